"""The GUI against the real servers, offscreen: log in, drop a file, edit a field, submit, see it validated."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPlainTextEdit

from planet_gui.qt import files_model as fm
from planet_gui.qt.main_window import MainWindow
from tests.conftest import Lake
from tests.support.device_user import approve

pytestmark = pytest.mark.e2e


def drop_files(qtbot, window: MainWindow, paths: list[Path]) -> None:  # noqa: ANN001
    """What a file manager's drag does: enter (the window must accept it), then drop; returns once the
    dropped folders are listed (off the UI thread) and their files are rows."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    target = window.table.viewport()
    enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted(), "the window refused the drag"
    drop = QDropEvent(QPointF(QPoint(20, 20)), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.paths_added, timeout=10_000):
        QApplication.sendEvent(target, drop)


def test_drop_edit_submit_validated(qtbot, window: MainWindow, lake: Lake, testdata: Path, tmp_path: Path) -> None:  # noqa: ANN001
    # log in through the dialog, the test acting as the user in the browser
    dialog = window.open_login()
    qtbot.waitUntil(lambda: dialog.authorization is not None, timeout=20_000)
    assert dialog.code_label.text() == dialog.authorization.user_code
    assert dialog.authorization.link in dialog.link_label.text()
    approve(dialog.authorization.link, user="alice")
    qtbot.waitUntil(lambda: window.identity is not None, timeout=30_000)
    assert "alice" in window.user_label.text()

    # drop a file; inspection runs off the UI thread and fills in the form
    dropped = tmp_path / "dpc-covid19-ita-regioni-gui.csv"
    shutil.copy(testdata / "csv" / "dpc-covid19-ita-regioni-latest.csv", dropped)
    with dropped.open("ab") as handle:  # other content: the same bytes as an earlier upload would be refused
        handle.write(dropped.read_bytes().splitlines(keepends=True)[-1])
    drop_files(qtbot, window, [dropped])
    assert window.model.rowCount() == 1
    entry = window.model.entries[0]
    qtbot.waitUntil(lambda: entry.state == fm.READY, timeout=30_000)
    assert entry.values["category"] == "COVID-19"
    window.select_rows([0])

    # edit a field as a user would: type into it
    licence = window.form.findChild(QLineEdit, "field_licence")
    assert licence is not None and licence.isEnabled()
    qtbot.keyClicks(licence, "CC BY 4.0")
    assert entry.values["licence"] == "CC BY 4.0"
    description = window.form.findChild(QPlainTextEdit, "field_description")
    description.setFocus()
    description.insertPlainText("Dati regionali più recenti — Protezione Civile")  # QTest types Latin-1 only
    assert entry.values["description"] == "Dati regionali più recenti — Protezione Civile"

    # submit, confirm, and wait for the hook's verdict
    window.submit_action.trigger()
    qtbot.waitUntil(lambda: window.confirm_box is not None and window.confirm_box.isVisible(), timeout=5_000)
    assert dropped.name in window.confirm_box.text()
    window.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: entry.state == fm.VALIDATED, timeout=60_000)
    assert window.model.data(window.model.index(0, 4)) == "validated"

    stat = lake.admin().stat_object("validated", entry.key)
    meta = {k.lower(): v for k, v in stat.metadata.items()}
    from planet_gui.core import metadata_codec

    assert meta["x-amz-meta-licence"] == "CC BY 4.0"
    assert metadata_codec.decode(meta["x-amz-meta-description"]) == "Dati regionali più recenti — Protezione Civile"


def test_cancelled_confirmation_uploads_nothing(qtbot, window: MainWindow, testdata: Path, tmp_path: Path) -> None:  # noqa: ANN001
    window.identity = object()  # type: ignore[assignment]  # only the confirmation step is exercised
    dropped = tmp_path / "dpc-covid19-ita-regioni-cancel.csv"
    shutil.copy(testdata / "csv" / "dpc-covid19-ita-regioni-latest.csv", dropped)
    drop_files(qtbot, window, [dropped])
    entry = window.model.entries[0]
    qtbot.waitUntil(lambda: entry.state == fm.READY, timeout=30_000)
    window.submit_action.trigger()
    qtbot.waitUntil(lambda: window.confirm_box is not None, timeout=5_000)
    window.confirm_box.button(QMessageBox.StandardButton.Cancel).click()
    assert entry.state == fm.READY and entry.key == ""
