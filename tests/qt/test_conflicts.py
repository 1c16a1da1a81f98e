"""A file already in the lake: the GUI asks (rename, replace when still pending, or skip) and does what was chosen."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from planet_gui.qt import files_model as fm
from planet_gui.qt.main_window import MainWindow
from tests.conftest import Lake
from tests.qt.test_main_window import drop_files
from tests.support.device_user import approve

pytestmark = pytest.mark.e2e


def submit_and_confirm(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    window.submit_action.trigger()
    qtbot.waitUntil(lambda: window.confirm_box is not None and window.confirm_box.isVisible(), timeout=5_000)
    window.confirm_box.button(QMessageBox.StandardButton.Yes).click()


def test_conflict_is_asked_and_rename_uploads_a_second_copy(qtbot, window: MainWindow, lake: Lake,  # noqa: ANN001
                                                            testdata: Path, tmp_path: Path) -> None:
    dialog = window.open_login()
    qtbot.waitUntil(lambda: dialog.authorization is not None, timeout=20_000)
    approve(dialog.authorization.link, user="alice")
    qtbot.waitUntil(lambda: window.identity is not None, timeout=30_000)

    first = tmp_path / "one" / "dpc-covid19-ita-regioni-conflict.csv"
    second = tmp_path / "two" / first.name  # same name, same content: same key
    for path in (first, second):
        path.parent.mkdir()
        shutil.copy(testdata / "csv" / "dpc-covid19-ita-regioni-latest.csv", path)
    with first.open("ab") as a, second.open("ab") as b:  # content no earlier test uploaded
        marker = b"2025-01-08T17:00:00,ITA,99,Conflict test,0,0" + b",0" * 24 + b"\n"
        a.write(marker)
        b.write(marker)

    drop_files(qtbot, window, [first])
    entry = window.model.entries[0]
    qtbot.waitUntil(lambda: entry.state == fm.READY, timeout=30_000)
    window.select_rows([0])
    submit_and_confirm(qtbot, window)
    qtbot.waitUntil(lambda: entry.state == fm.VALIDATED, timeout=60_000)

    window.model.remove_rows([0])
    drop_files(qtbot, window, [second])
    again = window.model.entries[0]
    qtbot.waitUntil(lambda: again.state == fm.READY, timeout=30_000)
    window.select_rows([0])
    submit_and_confirm(qtbot, window)
    qtbot.waitUntil(lambda: (window.conflicts.box is not None and window.conflicts.box.isVisible())
                    or again.state not in (fm.READY, fm.UPLOADING), timeout=30_000)
    assert window.conflicts.box is not None, (again.state, again.message, again.key)
    box = window.conflicts.box
    assert "already in the lake" in box.text() and "same content" in box.text()
    labels = [b.text() for b in box.buttons()]
    assert "Replace it" not in labels  # a validated file is never replaced by the uploader
    next(b for b in box.buttons() if b.text() == "Upload under a new name").click()
    qtbot.waitUntil(lambda: again.state == fm.VALIDATED, timeout=60_000)
    assert again.key != entry.key and again.key.endswith("dpc-covid19-ita-regioni-conflict (2).csv")
    names = {o.object_name for o in lake.admin().list_objects("validated", recursive=True)}
    assert {entry.key, again.key} <= names


def test_pause_toggles_the_engine(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    window.pause_action.trigger()
    qtbot.waitUntil(lambda: window.session._engine().paused, timeout=5_000)
    assert window.pause_action.text() == "Resume uploads"
    window.pause_action.trigger()
    qtbot.waitUntil(lambda: not window.session._engine().paused, timeout=5_000)
    assert window.pause_action.text() == "Pause uploads"
