"""An uploaded row's way back to analysis: Copy snippet, Copy link and Download on a validated file, against the
real lake (the snippet names the object and no secret; the link downloads the bytes; the download matches)."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
from PySide6.QtGui import QGuiApplication

from planet_gui.core.session import Session
from planet_gui.qt import files_model as fm
from planet_gui.qt.main_window import MainWindow
from tests.qt.conftest import sign_in
from tests.qt.test_conflicts import submit_and_confirm
from tests.qt.test_uploads import queue


def test_copy_snippet_link_and_download_on_a_validated_row(qtbot, window: MainWindow, alice: Session,  # noqa: ANN001
                                                           tmp_path: Path) -> None:
    sign_in(qtbot, window, alice, tmp_path / "journal.sqlite3")
    path = tmp_path / f"ritorno-{uuid.uuid4().hex[:8]}.csv"
    content = b"giorno,casi\n2024-01-01,3\n2024-01-02,4\n2024-01-03,5\n"
    path.write_bytes(content)
    entry, = queue(qtbot, window, [path], "Retrieve test")
    retrieve = window.actions.retrieve
    window.select_rows([window.model.row_of(entry)])
    retrieve.snippet.trigger()  # not uploaded yet: nothing to open
    assert "validated" in window.statusBar().currentMessage()
    submit_and_confirm(qtbot, window)
    qtbot.waitUntil(lambda: entry.state not in (fm.READY, fm.UPLOADING, fm.PENDING), timeout=90_000)
    assert entry.state == fm.VALIDATED, (entry.state, entry.message)
    window.select_rows([window.model.row_of(entry)])
    clipboard = QGuiApplication.clipboard()

    clipboard.clear()
    retrieve.snippet.trigger()
    qtbot.waitUntil(lambda: "client.get_object" in clipboard.text(), timeout=30_000)
    code = clipboard.text()
    assert repr(entry.key) in code and "credentials" in code and "pd.read_csv" in code
    secret = alice.credentials.retrieve().secret_key
    assert secret not in code

    clipboard.clear()
    retrieve.link.trigger()
    qtbot.waitUntil(lambda: clipboard.text().startswith("http"), timeout=30_000)
    assert httpx.get(clipboard.text(), timeout=30).content == content
    assert "copied" in window.statusBar().currentMessage()

    dest = tmp_path / "saved.csv"
    retrieve.download_to(entry.key, dest)
    qtbot.waitUntil(lambda: dest.exists(), timeout=30_000)
    assert dest.read_bytes() == content
    qtbot.waitUntil(lambda: "SHA-256" in window.statusBar().currentMessage(), timeout=10_000)
