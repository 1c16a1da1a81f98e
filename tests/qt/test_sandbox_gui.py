"""The GUI's sandbox, as a newcomer meets it: the first start offers "Try it on this computer"; the sandbox starts,
the window says it is the sandbox, the device login is approved on the sandbox's page (over HTTP, as a browser
would), two real files are dropped and submitted, and both end validated by the sandbox's hook."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from keyring.backends import fail
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton

from planet_gui.core.auth.token_store import TokenStore
from planet_gui.core.profile import load_profile
from planet_gui.core.resources import resource_path
from planet_gui.core.session import Session
from planet_gui.qt import files_model as fm
from planet_gui.qt import sandbox_ui
from planet_gui.qt.main_window import MainWindow
from tests.e2e.test_sandbox import alive
from tests.qt.test_main_window import drop_files

pytestmark = pytest.mark.e2e

CSV = "csv/dpc-covid19-ita-regioni-latest.csv"
NETCDF = "netcdf/cams_europe_aq_reanalysis_milan_2020.nc"


def approve_in_browser(link: str) -> str:
    """What the user does in the browser: open the link, check the page, press the approve button."""
    with httpx.Client(timeout=10, trust_env=False) as browser:
        page = browser.get(link)
        assert page.status_code == 200 and "Approve as the sandbox user" in page.text, page.text
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
        assert set(fields) == {"user_code", "form_token"}, page.text
        answer = browser.post(link.split("?")[0], data={**fields, "decision": "approve"})
    assert answer.status_code == 200 and "Approved" in answer.text, answer.text
    return answer.text


def test_first_start_tries_the_sandbox_and_two_files_end_validated(qtbot, testdata: Path, tmp_path: Path,  # noqa: ANN001
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    example = Session(load_profile(resource_path("profiles", "local-test.toml")),
                      token_store=TokenStore("sandbox-gui", backend=fail.Keyring()))
    window = MainWindow(example)
    qtbot.addWidget(window)
    window.show()
    box = window.profile_box
    assert box.findText("Sandbox (this computer)") >= 0, "the switcher lists the sandbox before its first start"
    marker = window.findChild(QLabel, sandbox_ui.MARKER_NAME)
    assert marker is not None and not marker.isVisible()

    window.hint_first_run()
    welcome = window.first_run_box
    assert welcome is not None
    trying = welcome.findChild(QPushButton, "try_sandbox")
    assert trying is not None and trying.text() == "Try it on this computer"
    assert any(b.text() == "Import profile…" for b in welcome.buttons())
    pids: dict[str, int] = {}
    try:
        trying.click()
        qtbot.waitUntil(lambda: window.session.profile.name == "Sandbox (this computer)", timeout=60_000)
        sandbox = sandbox_ui.runner().sandbox
        assert sandbox is not None
        pids = sandbox.pids
        assert window.session.profile.path == sandbox.profile_path
        assert "Sandbox (this computer)" in window.windowTitle()
        assert box.currentText() == "Sandbox (this computer)"
        assert marker.isVisible() and "SANDBOX" in marker.text()
        assert window.session.profile.s3.endpoint.startswith("127.0.0.1:")

        dialog = window.open_login()
        qtbot.waitUntil(lambda: dialog.authorization is not None, timeout=20_000)
        approve_in_browser(dialog.authorization.link)
        qtbot.waitUntil(lambda: window.identity is not None, timeout=30_000)
        assert window.identity.username == "sandbox"

        drop_files(qtbot, window, [testdata / CSV, testdata / NETCDF])
        qtbot.waitUntil(lambda: [e.state for e in window.model.entries] == [fm.READY, fm.READY], timeout=30_000)
        window.select_rows([0, 1])
        window.submit()
        qtbot.waitUntil(lambda: window.confirm_box is not None and window.confirm_box.isVisible(), timeout=5_000)
        window.confirm_box.button(QMessageBox.StandardButton.Yes).click()
        qtbot.waitUntil(lambda: [e.state for e in window.model.entries] == [fm.VALIDATED, fm.VALIDATED],
                        timeout=120_000)
        assert [window.model.data(window.model.index(row, 4)) for row in (0, 1)] == ["validated", "validated"]
        access, secret = sandbox.admin_keys()
        from planet_gui.core.storage import make_admin_minio

        admin = make_admin_minio(sandbox.s3_endpoint, access, secret)
        for entry in window.model.entries:
            assert admin.stat_object("validated", entry.key).size == entry.path.stat().st_size
    finally:
        sandbox_ui.runner().stop()
    assert pids and not [name for name, pid in pids.items() if alive(pid)]
