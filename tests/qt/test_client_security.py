"""The window tells what happened (issue 14): logging out says whether the provider revoked the login, and an
unreadable upload journal that was moved aside is said, not a traceback. Against the real lake."""

from __future__ import annotations

from pathlib import Path

import pytest

from planet_gui.core.session import Session
from planet_gui.qt.main_window import MainWindow
from tests.qt.conftest import sign_in

pytestmark = pytest.mark.e2e


def test_an_unreadable_journal_is_said_and_logout_says_what_happened(qtbot, window: MainWindow,  # noqa: ANN001
                                                                     alice: Session, tmp_path: Path) -> None:
    journal = tmp_path / "transfers.sqlite3"
    journal.write_bytes(b"not a database at all\n" * 50)
    sign_in(qtbot, window, alice, journal)
    qtbot.waitUntil(lambda: "moved aside" in window.statusBar().currentMessage(), timeout=30_000)
    assert list(tmp_path.glob("transfers.sqlite3.unreadable-*"))

    window.toggle_login()  # log out
    qtbot.waitUntil(lambda: window.identity is None and window.statusBar().currentMessage() != "", timeout=30_000)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Logged out"), timeout=30_000)
    assert "the identity provider revoked your login" in window.statusBar().currentMessage()
