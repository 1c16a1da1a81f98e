"""The queue comes back after the window goes away without closing (as in a crash): the rows in order, what the
user typed (also after the file is inspected again), inspection warnings on the row and above the form, a file
whose inspection failed typed in by hand, and a file gone from disk said so on its row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLineEdit

from planet_gui.core.auth.token_store import TokenStore
from planet_gui.core.profile import load_profile
from planet_gui.core.queue_store import QueuedFile, QueueStore
from planet_gui.core.resources import resource_path
from planet_gui.core.session import Session
from planet_gui.qt import files_model as fm
from planet_gui.qt.main_window import MainWindow
from tests.conftest import Lake
from tests.qt.test_conflicts import submit_and_confirm
from tests.support.device_user import approve
from tests.support.uploads import sha256_file

CSV = "date,station,pm10\n2024-01-01,Perugia,21\n2024-01-02,Perugia,25\n2024-01-03,Terni,30\n"


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's data folder of this test alone (where the queue, the journal and the history live)."""
    home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def new_window(qtbot) -> MainWindow:  # noqa: ANN001
    session = Session(load_profile(resource_path("profiles", "local-test.toml")),
                      token_store=TokenStore("offline", backend=fail.Keyring()))
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    return window


def settled(window: MainWindow) -> bool:
    return bool(window.model.entries) and all(e.state != fm.INSPECTING for e in window.model.entries) \
        and not window.queue.pending


def type_into(window: MainWindow, name: str, text: str) -> None:
    editor = window.form.editors[name]
    assert isinstance(editor, QLineEdit) and editor.isEnabled()
    editor.selectAll()
    QTest.keyClick(editor, Qt.Key.Key_Delete)
    QTest.keyClicks(editor, text)


def test_rows_and_edits_come_back_after_the_window_is_gone(qtbot, tmp_path: Path, data_home: Path) -> None:  # noqa: ANN001
    files = tmp_path / "files"
    files.mkdir()
    for i in range(6):
        (files / f"pm10-{i}.csv").write_text(CSV, encoding="utf-8")
    (files / "really-json.csv").write_text(json.dumps([{"a": 1, "b": 2}] * 5), encoding="utf-8")
    (files / "broken.json").write_text('{"a": [1, 2,', encoding="utf-8")
    paths = sorted(files.iterdir())

    first = new_window(qtbot)
    with qtbot.waitSignal(first.paths_added, timeout=10_000):
        first.add_paths(paths)
    qtbot.waitUntil(lambda: settled(first), timeout=30_000)
    row_of = {e.path.name: first.model.row_of(e) for e in first.model.entries}

    # a bulk edit of three rows, then one row alone, then a field cleared
    first.select_rows([row_of["pm10-0.csv"], row_of["pm10-1.csv"], row_of["pm10-2.csv"]])
    type_into(first, "source", "ARPA Umbria")
    first.select_rows([row_of["pm10-3.csv"]])
    type_into(first, "source", "Comune di Terni")
    type_into(first, "area", "")
    # the file whose inspection failed: typed in by hand
    broken = first.model.entries[row_of["broken.json"]]
    assert broken.state == fm.INVALID and broken.warnings and "broken.json" in broken.warnings[0]
    first.select_rows([row_of["broken.json"]])
    assert first.form.isEnabled()
    combo = first.form.editors["category"]
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData("Other"))
    for name, text in (("source", "Hand typed"), ("area", "Italia")):
        type_into(first, name, text)
    format_box = first.form.editors["format"]
    assert isinstance(format_box, QComboBox)
    format_box.setCurrentIndex(format_box.findData("JSON"))
    frequency = first.form.editors["frequency"]
    assert isinstance(frequency, QComboBox)
    frequency.setCurrentIndex(frequency.findData("none"))
    assert broken.state == fm.READY, broken.message
    qtbot.waitUntil(lambda: not first.queue.pending, timeout=5_000)
    shown = {e.path: (e.state, dict(e.values)) for e in first.model.entries}
    (files / "pm10-5.csv").unlink()  # gone before the next start

    # the window goes away without closing: nothing more is written after this point
    first.queue.deleteLater()
    first.hide()

    second = new_window(qtbot)
    assert second.queue.restore() == len(paths)
    assert [e.path for e in second.model.entries] == paths
    back = {e.path.name: e for e in second.model.entries}
    for i in range(3):
        assert back[f"pm10-{i}.csv"].values["source"] == "ARPA Umbria"
    assert back["pm10-3.csv"].values["source"] == "Comune di Terni" and "area" not in back["pm10-3.csv"].values
    assert back["pm10-4.csv"].values == shown[files / "pm10-4.csv"][1]
    assert back["broken.json"].state == fm.READY and back["broken.json"].values["source"] == "Hand typed"
    for entry in second.model.entries:
        if entry.path.exists():
            assert (entry.state, entry.values) == shown[entry.path], entry.path

    gone = back["pm10-5.csv"]
    assert gone.state == fm.FAILED and str(files / "pm10-5.csv") in gone.message

    warned = back["really-json.csv"]
    assert any("named .csv but holds JSON" in w for w in warned.warnings)
    index = second.model.index(second.model.row_of(warned), 0)
    assert "named .csv but holds JSON" in second.model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert second.model.data(index, Qt.ItemDataRole.DecorationRole) is not None
    second.select_rows([second.model.row_of(warned)])
    qtbot.waitUntil(lambda: second.queue.notes.isVisible(), timeout=2_000)
    assert "named .csv but holds JSON" in second.queue.notes.text()

    # a restored row gets its preview when looked at; its values stay
    plain = back["pm10-4.csv"]
    assert plain.preview is None
    second.select_rows([second.model.row_of(plain)])
    qtbot.waitUntil(lambda: plain.preview is not None, timeout=10_000)
    assert plain.preview.kind == "table" and plain.values == shown[files / "pm10-4.csv"][1]

    # inspecting again infers afresh, and what the user typed stays
    second.select_rows([second.model.row_of(back["pm10-3.csv"])])
    second.queue.retry_action.trigger()
    qtbot.waitUntil(lambda: back["pm10-3.csv"].state != fm.INSPECTING, timeout=10_000)
    assert back["pm10-3.csv"].values["source"] == "Comune di Terni" and "area" not in back["pm10-3.csv"].values
    assert back["pm10-3.csv"].preview is not None and back["pm10-3.csv"].preview.kind == "table"

    # and the store holds one row per file of this profile, nothing else
    kept = QueueStore(second.session.transfer_scope).rows()
    assert [k.path for k in kept] == paths


@pytest.mark.e2e
def test_a_row_after_upload_shows_key_sha_and_uploader(qtbot, window: MainWindow, lake: Lake,  # noqa: ANN001
                                                       tmp_path: Path) -> None:
    """Against the real lake: once uploaded, the row and the form show the object's key, its SHA-256 and who
    uploaded it (not "set when uploading"); the same file again, skipped, says why in the window's words (no
    command-line flags)."""
    dialog = window.open_login()
    qtbot.waitUntil(lambda: dialog.authorization is not None, timeout=20_000)
    approve(dialog.authorization.link, user="alice")
    qtbot.waitUntil(lambda: window.identity is not None, timeout=30_000)
    first = tmp_path / "one" / f"pm10-{tmp_path.name}.csv"
    second = tmp_path / "two" / first.name
    for path in (first, second):
        path.parent.mkdir()
        path.write_text(CSV + f"2024-01-04,{tmp_path.name},1\n", encoding="utf-8")

    with qtbot.waitSignal(window.paths_added, timeout=10_000):
        window.add_paths([first])
    entry = window.model.entries[0]
    qtbot.waitUntil(lambda: entry.state != fm.INSPECTING, timeout=10_000)
    window.select_rows([0])
    type_into(window, "source", "Row details test")
    type_into(window, "area", "Umbria")
    assert entry.state == fm.READY, entry.message
    submit_and_confirm(qtbot, window)
    qtbot.waitUntil(lambda: entry.state == fm.VALIDATED, timeout=60_000)

    assert entry.values["sha256"] == sha256_file(first) and entry.values["uploader"] == "alice"
    window.select_rows([])
    window.select_rows([0])
    sha_editor = window.form.editors["sha256"]
    assert isinstance(sha_editor, QLineEdit) and sha_editor.text() == sha256_file(first)
    uploader_editor = window.form.editors["uploader"]
    assert isinstance(uploader_editor, QLineEdit) and uploader_editor.text() == "alice"
    qtbot.waitUntil(lambda: f"Object key: {entry.key}" in window.queue.notes.text(), timeout=2_000)
    tooltip = window.model.data(window.model.index(0, window.model.columns.index("status")),
                                Qt.ItemDataRole.ToolTipRole)
    assert f"SHA-256: {sha256_file(first)}" in tooltip and "Uploaded by: alice" in tooltip

    with qtbot.waitSignal(window.paths_added, timeout=10_000):
        window.add_paths([second])
    again = window.model.entries[1]
    qtbot.waitUntil(lambda: again.state != fm.INSPECTING, timeout=10_000)
    window.select_rows([1])
    type_into(window, "source", "Row details test")
    type_into(window, "area", "Umbria")
    submit_and_confirm(qtbot, window)
    qtbot.waitUntil(lambda: window.conflicts.box is not None and window.conflicts.box.isVisible(), timeout=30_000)
    box = window.conflicts.box
    next(b for b in box.buttons() if b.text() == "Skip this file").click()
    qtbot.waitUntil(lambda: again.state == fm.READY and again.message != "", timeout=30_000)
    assert "already in the lake" in again.message and entry.key in again.message
    assert "--" not in again.message, again.message


def test_the_rows_follow_a_switch_of_profile(qtbot, tmp_path: Path, data_home: Path) -> None:  # noqa: ANN001
    """Queued files stay in the window when the profile changes: kept on disk, they belong to the new profile."""
    window = new_window(qtbot)
    files = [tmp_path / f"pm10-{i}.csv" for i in range(3)]
    for path in files:
        path.write_text(CSV, encoding="utf-8")
    with qtbot.waitSignal(window.paths_added, timeout=10_000):
        window.add_paths(files)
    qtbot.waitUntil(lambda: settled(window), timeout=30_000)
    before = window.session.transfer_scope
    assert [k.path for k in QueueStore(before).rows()] == files

    other = tmp_path / "other-lake.toml"
    other.write_text(resource_path("profiles", "local-test.toml").read_text(encoding="utf-8")
                     .replace('name = "local-test"', 'name = "other-lake"'), encoding="utf-8")
    window.switch_session(Session(load_profile(other), token_store=TokenStore("offline", backend=fail.Keyring())))
    after = window.session.transfer_scope
    assert after != before
    qtbot.waitUntil(lambda: [k.path for k in QueueStore(after).rows()] == files, timeout=5_000)
    assert QueueStore(before).rows() == []


@pytest.mark.e2e
def test_a_restored_pending_row_gets_its_verdict_once_logged_in(qtbot, data_home: Path, window: MainWindow,  # noqa: ANN001
                                                                alice: Session, lake: Lake, tmp_path: Path) -> None:
    """A file uploaded in an earlier run, still waiting for its verdict when the app stopped: back as pending, its
    verdict is asked for once the login is restored (not before, which could only fail), and it turns validated."""
    from tests.qt.conftest import sign_in
    from tests.support.login import memory_session
    from tests.support.uploads import VALID

    source = tmp_path / f"earlier-{tmp_path.name}.csv"
    source.write_text(CSV, encoding="utf-8")
    journal = tmp_path / "journal.sqlite3"
    earlier = memory_session(window.session.profile, journal, login_of=alice)
    result = earlier.upload(source, {**VALID, "source": "Earlier run"})
    earlier.stop_uploads()
    QueueStore(window.session.transfer_scope).save([QueuedFile(
        path=source, state=fm.PENDING, values={**VALID, "source": "Earlier run", "sha256": result.sha256,
                                               "uploader": "alice"}, key=result.key,
        message="Waiting for the server's validation")])

    assert window.queue.restore() == 1
    (entry,) = window.model.entries
    assert entry.state == fm.PENDING and entry.key == result.key
    assert not window.status_timer.isActive()  # nobody to ask as yet
    sign_in(qtbot, window, alice, journal)
    qtbot.waitUntil(lambda: entry.state == fm.VALIDATED, timeout=60_000)
    assert entry.values["sha256"] == sha256_file(source)


def test_the_lakes_schema_read_at_login_leaves_a_row_being_read_alone(qtbot, tmp_path: Path,  # noqa: ANN001
                                                                       data_home: Path) -> None:
    """Regression (CI at e7da362: test_a_failed_upload_is_retried, test_a_row_after_upload_shows_key_sha_and_uploader):
    the lake's schema, read after the login, checked every row again, and a row still being read turned
    "invalid" with its fields empty. It looked editable; the reading's values then replaced what was typed, and
    the retried upload was refused for the fields the user had filled. A row being read stays so until its
    reading ends; a reading that ends after the row moved on leaves its values alone."""
    window = new_window(qtbot)
    path = tmp_path / "pm10.csv"
    path.write_text(CSV, encoding="utf-8")
    entry, = window.model.add_many([path])  # in the table, its reading not started yet
    assert entry.state == fm.INSPECTING
    window._lake_schema_read()  # noqa: SLF001 - what the login's schema read calls on the UI thread
    assert entry.state == fm.INSPECTING and entry.values == {}

    prepared = window.session.prepare(path)
    window._inspected(entry, prepared)  # noqa: SLF001 - the reading's result reaching the window
    assert entry.state in (fm.READY, fm.INVALID) and entry.values.get("format") == "CSV"

    entry.values["source"] = "Typed by the user"
    entry.state = fm.UPLOADING
    window._inspected(entry, window.session.prepare(path))  # noqa: SLF001 - a late reading of the same file
    assert entry.values["source"] == "Typed by the user" and entry.state == fm.UPLOADING
