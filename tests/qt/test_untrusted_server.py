"""The window on a lake whose certificate the profile does not vouch for (no CA bundle for INFN's own CA): the
file's row says so in words at once, instead of retrying for minutes as if the network had dropped."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.backends import fail
from PySide6.QtWidgets import QMessageBox

from planet_gui.core.auth.token_store import TokenStore
from planet_gui.core.profile import load_profile
from planet_gui.core.session import Session
from planet_gui.qt import files_model as fm
from planet_gui.qt.main_window import MainWindow
from tests.qt.test_main_window import drop_files
from tests.support.login import logged_in
from tests.support.servers import OidcServer
from tests.support.uploads import TlsLake, tls_lake

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory, oidc_server: OidcServer) -> Iterator[TlsLake]:
    with tls_lake(tmp_path_factory.mktemp("tls-lake-gui"), oidc_server) as lake:
        yield lake


def test_an_untrusted_storage_server_is_named_on_the_files_row(qtbot, tls: TlsLake, oidc_server: OidcServer,  # noqa: ANN001
                                                              testdata: Path, tmp_path: Path) -> None:
    trusting = logged_in(tls.profile(oidc_server, "gui-trusted", trusted=True))
    profile = load_profile(tls.profile(oidc_server, "gui-untrusted", trusted=False))
    window = MainWindow(Session(profile, token_store=TokenStore("gui-untrusted", backend=fail.Keyring())))
    qtbot.addWidget(window)
    window.show()
    session = Session(profile, token_store=trusting.tokens_store)  # alice, as restored at start-up
    session.configure_transfers(journal_path=tmp_path / "journal.sqlite3")
    window.switch_session(session)
    qtbot.waitUntil(lambda: window.identity is not None, timeout=30_000)

    dropped = tmp_path / "dpc-covid19-ita-andamento-nazionale.csv"
    shutil.copy(testdata / "csv" / "dpc-covid19-ita-andamento-nazionale.csv", dropped)
    drop_files(qtbot, window, [dropped])
    entry = window.model.entries[0]
    qtbot.waitUntil(lambda: entry.state == fm.READY, timeout=30_000)
    window.select_rows([0])
    window.submit_action.trigger()
    qtbot.waitUntil(lambda: window.confirm_box is not None and window.confirm_box.isVisible(), timeout=5_000)
    window.confirm_box.button(QMessageBox.StandardButton.Yes).click()

    # a quick failure: the engine's update (its plain message) may reach the row before the job's outcome, which
    # names the error's title; the row ends with the outcome's
    qtbot.waitUntil(lambda: entry.state == fm.FAILED and entry.message.startswith("Untrusted storage server: "),
                    timeout=30_000)
    assert entry.message.startswith("Untrusted storage server: The certificate of https://127.0.0.1:")
    assert "ca_bundle" in entry.message
    assert window.problems_label.text() == entry.message  # the selected row's problem, where the user looks
    window.session.stop_uploads()
