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

    window.toggle_login()  # log out: the window asks first
    from PySide6.QtWidgets import QMessageBox

    window.logout_box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: window.identity is None and window.statusBar().currentMessage() != "", timeout=30_000)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Logged out"), timeout=30_000)
    assert "the identity provider revoked your login" in window.statusBar().currentMessage()


def test_the_window_refuses_to_import_a_look_alike_profile(qtbot, lake, tmp_path: Path,  # noqa: ANN001
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 14, hole 6, through "Import profile…": a profile taking a kept profile's name with another identity
    provider is explained and not kept; the window stays on the real one."""
    from planet_gui.core.profile import import_profile, list_profiles
    from tests.conftest import write_profile
    from tests.support.login import memory_session

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for folder in ("given", "mail"):
        (tmp_path / folder).mkdir()
    real = import_profile(write_profile(tmp_path / "given" / "planet.toml", lake.oidc, lake.s3))
    look_alike = tmp_path / "mail" / "planet-update.toml"
    # the real profile's text (name = "planet" inside) under another file name, with another issuer
    look_alike.write_text(real.read_text(encoding="utf-8").replace(lake.oidc.issuer, "https://iam.evil.example/"),
                          encoding="utf-8")
    assert 'name = "planet"' in look_alike.read_text(encoding="utf-8")
    window = MainWindow(memory_session(real))
    qtbot.addWidget(window)
    window.show()
    monkeypatch.setattr("planet_gui.qt.window_profiles.QFileDialog.getOpenFileName",
                        lambda *_a, **_k: (str(look_alike), ""))
    window.import_profile()
    qtbot.waitUntil(lambda: window.error_box is not None and window.error_box.isVisible(), timeout=10_000)
    shown = window.error_box.windowTitle() + window.error_box.text()
    assert "iam.evil.example" in shown and "same name" in shown
    assert list_profiles() == [real] and window.session.profile.path == real
