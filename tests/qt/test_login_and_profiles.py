"""The login dialog's extras, profile switching, and a session that ends with files still queued."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from keyring.backends import fail
from PySide6.QtWidgets import QMessageBox

from planet_gui.core.auth.token_store import TokenStore
from planet_gui.core.profile import load_profile, profiles_dir
from planet_gui.core.session import Session
from planet_gui.qt import files_model as fm
from planet_gui.qt.main_window import MainWindow
from tests.conftest import Lake, write_profile
from tests.qt.test_main_window import drop_files
from tests.support.device_user import approve
from tests.support.servers import free_port

pytestmark = pytest.mark.e2e


def memory_session(path: Path) -> Session:
    return Session(load_profile(path), token_store=TokenStore("gui-test", backend=fail.Keyring()))


def log_in(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    dialog = window.open_login()
    qtbot.waitUntil(lambda: dialog.authorization is not None, timeout=20_000)
    assert not dialog.qr_label.pixmap().isNull()  # a QR code of the complete link, for phones
    assert dialog.qr_label.pixmap().width() >= 100
    approve(dialog.authorization.link, user="alice")
    qtbot.waitUntil(lambda: window.identity is not None, timeout=30_000)


def test_switch_between_profiles(qtbot, lake: Lake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    folder = profiles_dir()
    folder.mkdir(parents=True)
    first = write_profile(folder / "lake-one.toml", lake.oidc, lake.s3)
    # another storage server (a port nothing answers on): a login is bound to its provider and storage server, so
    # lake-two has none of its own and the window must not carry lake-one's over
    write_profile(folder / "lake-two.toml", lake.oidc, lake.s3, endpoint=f"127.0.0.1:{free_port()}")
    window = MainWindow(memory_session(first))
    qtbot.addWidget(window)
    window.show()
    box = window.profile_box
    assert [box.itemText(i) for i in range(box.count())] == ["lake-one", "lake-two", "Sandbox (this computer)", "",
                                                            "Import profile…"]
    log_in(qtbot, window)

    box.setCurrentIndex(1)
    box.activated.emit(1)
    assert window.session.profile.name == "lake-two"
    assert window.identity is None and "lake-two" in window.windowTitle()
    qtbot.waitUntil(lambda: "Not logged in" in window.user_label.text(), timeout=10_000)


def test_a_profile_is_imported_from_the_list_and_opened(qtbot, lake: Lake, tmp_path: Path,  # noqa: ANN001
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    example = write_profile(tmp_path / "example.toml", lake.oidc, lake.s3)
    (tmp_path / "downloads").mkdir()
    given = write_profile(tmp_path / "downloads" / "lake-infn.toml", lake.oidc, lake.s3)
    window = MainWindow(memory_session(example))
    qtbot.addWidget(window)
    window.show()
    chosen: list[str] = []

    def choose(*_args: object, **_kwargs: object) -> tuple[str, str]:  # the file dialog, answered as a user would
        chosen.append("asked")
        return str(given), ""

    monkeypatch.setattr("planet_gui.qt.window_profiles.QFileDialog.getOpenFileName", choose)
    box = window.profile_box
    import_index = box.findText("Import profile…")
    box.setCurrentIndex(import_index)
    box.activated.emit(import_index)
    qtbot.waitUntil(lambda: window.session.profile.name == "lake-infn", timeout=10_000)
    assert chosen == ["asked"]
    assert (profiles_dir() / "lake-infn.toml").read_text(encoding="utf-8") == given.read_text(encoding="utf-8")
    assert box.currentText() == "lake-infn" and "lake-infn" in window.windowTitle()


def test_first_run_offers_to_import_and_a_broken_file_is_explained(qtbot, lake: Lake, tmp_path: Path,  # noqa: ANN001
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    window = MainWindow(memory_session(write_profile(tmp_path / "example.toml", lake.oidc, lake.s3)))
    qtbot.addWidget(window)
    window.show()
    broken = tmp_path / "broken.toml"
    broken.write_text("[oidc]\nissuer = 'http://iam.example/'\n", encoding="utf-8")
    monkeypatch.setattr("planet_gui.qt.window_profiles.QFileDialog.getOpenFileName",
                        lambda *_a, **_k: (str(broken), ""))
    window.hint_first_run()
    box = window.first_run_box
    assert box is not None and box.isVisible()
    importing = next(b for b in box.buttons() if b.text() == "Import profile…")
    importing.click()
    qtbot.waitUntil(lambda: window.error_box is not None and window.error_box.isVisible(), timeout=10_000)
    assert "Profile problem" in window.error_box.windowTitle() + window.error_box.text()
    assert window.session.profile.name == "example"  # nothing switched, nothing kept
    assert not profiles_dir().exists() or list(profiles_dir().iterdir()) == []


def test_session_end_keeps_files_queued(qtbot, lake: Lake, hook, testdata: Path, tmp_path: Path) -> None:  # noqa: ANN001
    window = MainWindow(memory_session(write_profile(tmp_path / "ending.toml", lake.oidc, lake.s3)))
    qtbot.addWidget(window)
    window.show()
    log_in(qtbot, window)
    dropped = tmp_path / "dpc-covid19-ita-regioni-session-end.csv"
    shutil.copy(testdata / "csv" / "dpc-covid19-ita-regioni-latest.csv", dropped)
    drop_files(qtbot, window, [dropped])
    entry = window.model.entries[0]
    qtbot.waitUntil(lambda: entry.state == fm.READY, timeout=30_000)

    # the provider revokes the login (for real), and the access token runs out (we move its clock)
    session = window.session
    tokens = session.current_tokens()
    assert session.flow.revoke(tokens.refresh_token or "")
    tokens.expires_at = 0
    # and the storage credentials already held (read at login, with the lake's schema) come to their end too
    session.credentials.forget()

    window.submit_action.trigger()
    qtbot.waitUntil(lambda: window.confirm_box is not None, timeout=5_000)
    window.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: window.identity is None, timeout=30_000)
    assert entry.state == fm.READY, entry.message  # still queued, nothing lost
    assert "log in again" in entry.message
    assert window.login_dialog is not None and window.login_dialog.isVisible()
    window.login_dialog.reject()
