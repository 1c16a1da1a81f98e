"""The offer to finish what an earlier run left unfinished, against the real lake: shown once the login is
restored, "Resume all" takes the file on to "validated" without sending its confirmed part again, "Discard"
leaves no incomplete multipart upload on the server, and a file gone from disk gets a clear message."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from planet_gui.core.session import Session
from planet_gui.core.transfer import FileState, Journal, TransferSettings, UploadState
from planet_gui.qt import files_model as fm
from planet_gui.qt.main_window import MainWindow
from planet_gui.qt.resume_offer import ResumeOfferDialog
from tests.conftest import Lake, wait_for
from tests.qt.conftest import sign_in
from tests.support.login import memory_session
from tests.support.uploads import VALID, MiB, incomplete_uploads, make_file, sha256_file, sha256_object, where

pytestmark = pytest.mark.e2e

SIZE = 12 * MiB  # three parts of 5 MiB (the last one 2 MiB)


@dataclass
class EarlierRun:
    journal: Path
    source: Path
    key: str
    entry_id: int
    confirmed: int  # bytes the server confirmed before the run stopped


@pytest.fixture
def earlier(window: MainWindow, alice: Session, tmp_path: Path) -> EarlierRun:
    """An upload on the window's profile, slowed by a bandwidth cap and stopped once the server confirmed its
    first part, as when the app is closed (or dies) mid-upload."""
    journal = tmp_path / "journal.sqlite3"
    session = memory_session(window.session.profile, journal, login_of=alice)
    session.configure_transfers(TransferSettings(part_size=5 * MiB, max_rate=1 * MiB))
    source = make_file(tmp_path / f"{tmp_path.name}.bin", SIZE, seed=len(tmp_path.name))
    job = session._engine().submit(session.upload_item(source, {**VALID, "source": "GUI resume test"}))
    records = session._engine().journal
    wait_for(lambda: any(records.parts(e.id) for e in records.unfinished()), 60, "the server to confirm a part")
    session.stop_uploads()
    outcome = job.wait(30)
    assert outcome is not None and outcome.state is FileState.PAUSED, outcome
    check = Journal(journal)
    try:
        entry, = check.unfinished()
        confirmed = sum(part.size for part in check.parts(entry.id).values())
    finally:
        check.close()
    assert 0 < confirmed < SIZE
    return EarlierRun(journal, source, entry.key, entry.id, confirmed)


def reopen(qtbot, window: MainWindow, alice: Session, run: EarlierRun) -> ResumeOfferDialog:  # noqa: ANN001
    """A window on the earlier run's journal: once the login is restored, the offer must follow."""
    sign_in(qtbot, window, alice, run.journal)
    qtbot.waitUntil(lambda: window.resume_dialog is not None and window.resume_dialog.isVisible(), timeout=30_000)
    dialog = window.resume_dialog
    assert dialog is not None
    return dialog


def test_resume_all_finishes_the_upload_to_validated(qtbot, window: MainWindow, earlier: EarlierRun,  # noqa: ANN001
                                                     alice: Session, lake: Lake) -> None:
    dialog = reopen(qtbot, window, alice, earlier)
    assert dialog.list.topLevelItemCount() == 1
    item = dialog.list.topLevelItem(0)
    assert item.text(0) == earlier.source.name and item.text(1) == earlier.key
    assert item.text(2) == f"{earlier.confirmed / SIZE:.0%} of 12.0 MiB sent"

    dialog.resume_button.click()
    assert not dialog.isVisible() and window.resume_dialog is None
    entry = window.model.entry_by_path(earlier.source)
    assert entry is not None and entry.key == earlier.key
    assert entry.state in (fm.UPLOADING, fm.PENDING, fm.VALIDATED)
    qtbot.waitUntil(lambda: entry.state == fm.VALIDATED, timeout=90_000)
    assert window.model.data(window.model.index(window.model.row_of(entry), 4)) == "validated"

    admin = lake.admin()
    assert where(admin, earlier.key) == "validated"
    assert sha256_object(admin, "validated", earlier.key) == sha256_file(earlier.source)
    assert incomplete_uploads(admin, earlier.key) == []
    check = Journal(earlier.journal)
    try:
        assert check.get(earlier.entry_id).state is UploadState.DONE
        sends = check.sends(earlier.entry_id)
    finally:
        check.close()
    assert [outcome for number, outcome in sends if number == 1] == ["ok"]  # the confirmed part went once


def test_discard_leaves_nothing_on_the_server(qtbot, window: MainWindow, earlier: EarlierRun,  # noqa: ANN001
                                              alice: Session, lake: Lake) -> None:
    admin = lake.admin()
    assert [key for key, _ in incomplete_uploads(admin, earlier.key)] == [earlier.key]
    dialog = reopen(qtbot, window, alice, earlier)
    dialog.discard_button.click()
    qtbot.waitUntil(lambda: "Discarded 1 interrupted" in window.statusBar().currentMessage(), timeout=30_000)
    assert incomplete_uploads(admin, earlier.key) == []
    assert where(admin, earlier.key) is None
    assert window.model.entries == []

    window.interrupted_action.trigger()  # asked again from the menu: nothing is left to offer
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "No interrupted uploads.", timeout=10_000)
    assert window.resume_dialog is None


def test_later_then_a_file_gone_from_disk_is_explained(qtbot, window: MainWindow, earlier: EarlierRun,  # noqa: ANN001
                                                        alice: Session, lake: Lake) -> None:
    earlier.source.unlink()
    dialog = reopen(qtbot, window, alice, earlier)
    assert dialog.list.topLevelItem(0).text(2) == "the file is gone"
    dialog.later_button.click()
    assert window.resume_dialog is None and window.model.entries == []
    assert "offers them again" in window.statusBar().currentMessage()

    window.interrupted_action.trigger()
    qtbot.waitUntil(lambda: window.resume_dialog is not None and window.resume_dialog.isVisible(), timeout=10_000)
    window.resume_dialog.resume_button.click()
    entry = window.model.entry_by_path(earlier.source)
    assert entry is not None
    qtbot.waitUntil(lambda: entry.state == fm.FAILED and entry.message.startswith("File gone:"), timeout=30_000)
    assert f"{earlier.source} is gone" in entry.message
    assert incomplete_uploads(lake.admin(), earlier.key) == []  # what reached the server was removed
    assert window.session.unfinished_uploads() == []
