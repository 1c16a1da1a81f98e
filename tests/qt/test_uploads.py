"""Uploads never hold the window's threads, against the real lake: with five uploads running on a pool of two
threads (the 2-core machine) a new file is read at once; one upload is cancelled while the others go on;
a failed upload is retried; the bandwidth cap reaches the engine; a batch of duplicates is one question."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool

from planet_gui.core.session import Session
from planet_gui.core.transfer import FileState
from planet_gui.qt import files_model as fm
from planet_gui.qt.main_window import MainWindow
from tests.conftest import Lake
from tests.qt.conftest import sign_in
from tests.qt.test_conflicts import submit_and_confirm
from tests.qt.test_main_window import drop_files
from tests.support.uploads import VALID, MiB, incomplete_uploads, make_file

pytestmark = pytest.mark.e2e

CAP_KIB = 256  # slow enough that five 24 MiB uploads run for the whole test


@pytest.fixture
def two_threads() -> object:
    """The global pool as on the 2-core machine (idealThreadCount() = 2), whatever this one has."""
    pool = QThreadPool.globalInstance()
    before = pool.maxThreadCount()
    pool.setMaxThreadCount(2)
    yield pool
    pool.setMaxThreadCount(before)


def queue(qtbot, window: MainWindow, paths: list[Path], source: str) -> list[fm.FileEntry]:  # noqa: ANN001
    drop_files(qtbot, window, paths)
    entries = [window.model.entry_by_path(p) for p in paths]
    qtbot.waitUntil(lambda: all(e.state != fm.INSPECTING for e in entries), timeout=60_000)
    for entry in entries:
        entry.values.update({**VALID, "source": source})
        window._revalidate(entry)
        assert entry.state == fm.READY, entry.message
    window.select_rows([window.model.row_of(e) for e in entries])
    return entries


def test_five_uploads_leave_room_to_read_a_new_file(qtbot, window: MainWindow, alice: Session, lake: Lake,  # noqa: ANN001
                                                    two_threads: QThreadPool, testdata: Path, tmp_path: Path) -> None:
    sign_in(qtbot, window, alice, tmp_path / "journal.sqlite3")
    window.set_max_rate(CAP_KIB)
    try:
        qtbot.waitUntil(lambda: window.session._engine().settings.max_rate == CAP_KIB * 1024, timeout=10_000)
        assert "256.0 KiB/s" in window.rate_label.text()
        big = [make_file(tmp_path / f"grande-{i}.bin", 24 * MiB, seed=i) for i in range(5)]
        entries = queue(qtbot, window, big, f"Starvation {tmp_path.name}")
        submit_and_confirm(qtbot, window)
        engine = window.session._engine()
        qtbot.waitUntil(lambda: sum(j.state is FileState.UPLOADING for j in engine.jobs()) >= 4, timeout=60_000)
        assert all(e.state == fm.UPLOADING for e in entries)

        # a file added now is read at once: no upload holds a pool thread
        started = time.monotonic()
        drop_files(qtbot, window, [testdata / "csv" / "dpc-covid19-ita-regioni-latest.csv"])
        added = window.model.entries[-1]
        qtbot.waitUntil(lambda: added.state != fm.INSPECTING, timeout=30_000)
        assert time.monotonic() - started <= 2.0, time.monotonic() - started
        assert added.values.get("category") == "COVID-19"
        assert all(e.state == fm.UPLOADING for e in entries)  # still going

        # cancel one: its row comes back ready, nothing of it stays; the others go on
        window.select_rows([window.model.row_of(entries[0])])
        assert window.actions.cancel.isEnabled()
        window.actions.cancel.trigger()
        qtbot.waitUntil(lambda: entries[0].state == fm.READY, timeout=60_000)
        assert "cancelled" in entries[0].message
        assert all(e.state == fm.UPLOADING for e in entries[1:])
        assert incomplete_uploads(lake.admin(), entries[0].key) == []

        window.select_rows([window.model.row_of(e) for e in entries[1:]])
        window.actions.cancel.trigger()
        qtbot.waitUntil(lambda: all(e.state == fm.READY for e in entries), timeout=60_000)
        assert not window.rate_label.text().endswith("(from the next uploads)")
    finally:
        window.set_max_rate(0)
    qtbot.waitUntil(lambda: window.session._engine().settings.max_rate == 0, timeout=30_000)


def test_a_failed_upload_is_retried(qtbot, window: MainWindow, alice: Session, tmp_path: Path) -> None:  # noqa: ANN001
    sign_in(qtbot, window, alice, tmp_path / "journal.sqlite3")
    path = tmp_path / f"ritentare-{tmp_path.name}.csv"
    content = b"giorno,casi\n2024-01-01,3\n2024-01-02,4\n"
    path.write_bytes(content)
    entry, = queue(qtbot, window, [path], "Retry test")
    path.unlink()  # a real fault: the file is gone when the engine opens it
    submit_and_confirm(qtbot, window)
    qtbot.waitUntil(lambda: entry.state == fm.FAILED, timeout=30_000)
    window.select_rows([window.model.row_of(entry)])
    assert window.actions.retry.isEnabled() and not window.actions.cancel.isEnabled()
    path.write_bytes(content)
    window.actions.retry.trigger()  # confirmed once already: uploaded at once
    assert window.confirm_box is None
    qtbot.waitUntil(lambda: entry.state not in (fm.READY, fm.UPLOADING, fm.PENDING), timeout=90_000)
    assert entry.state == fm.VALIDATED, (entry.state, entry.message)


def test_a_batch_of_duplicates_is_one_question(qtbot, window: MainWindow, alice: Session, lake: Lake,  # noqa: ANN001
                                               tmp_path: Path) -> None:
    sign_in(qtbot, window, alice, tmp_path / "journal.sqlite3")
    paths = [tmp_path / f"doppione-{i}-{tmp_path.name}.csv" for i in range(3)]
    for i, path in enumerate(paths):
        path.write_bytes(f"giorno,casi\n2024-01-0{i + 1},{i}\n".encode())
    entries = queue(qtbot, window, paths, "Duplicates")
    admin = lake.admin()
    for entry in entries:  # another file already validated under each name
        key = window.session.object_key(entry.path, entry.values)
        admin.put_object("validated", key, io.BytesIO(b"other,content\n"), 14)
    submit_and_confirm(qtbot, window)
    qtbot.waitUntil(lambda: window.conflicts.box is not None and window.conflicts.box.isVisible(), timeout=30_000)
    box = window.conflicts.box
    check = window.conflicts.apply_all
    assert check is not None and check.text().startswith("Do the same for the other files already in the lake")
    qtbot.waitUntil(lambda: "(2 waiting)" in check.text() or all(e.state != fm.UPLOADING for e in entries[1:]),
                    timeout=10_000)
    check.setChecked(True)
    next(b for b in box.buttons() if b.text() == "Skip this file").click()
    qtbot.waitUntil(lambda: all(e.state == fm.READY for e in entries), timeout=30_000)
    assert window.conflicts.box is None  # one question for the three
    assert all(e.message.startswith("Already in the lake") for e in entries), [e.message for e in entries]
    assert not any(o.object_name.endswith(paths[0].name) for o in admin.list_objects("raw", recursive=True))


def test_the_windows_uploads_run_below_its_ui_thread(offline_window: MainWindow) -> None:
    """The engine the window configures lowers its pool threads (``TransferSettings.niceness``, see
    tests/core/test_upload_thread_priority.py); the bandwidth cap set beside it is kept."""
    from planet_gui.qt.window_uploads import UPLOAD_NICENESS

    assert UPLOAD_NICENESS > 0
    assert offline_window.session.transfer_settings.niceness == UPLOAD_NICENESS
