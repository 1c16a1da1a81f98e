"""The watched folder in the GUI: "Save as template" keeps what fits a series; a watched folder's new file becomes
a row that reaches "validated", uploaded with the template's values (read back from the lake); stopping, or
closing the window, ends the watcher's thread."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox

from planet_gui.core.session import Session
from planet_gui.core.transfer.sidecar import read_metadata
from planet_gui.core.transfer.templates import save_template, templates_dir
from planet_gui.core.transfer.watch import WatchSettings
from planet_gui.qt import files_model as fm
from planet_gui.qt.main_window import MainWindow
from tests.conftest import Lake
from tests.qt.conftest import sign_in
from tests.qt.test_main_window import drop_files

pytestmark = pytest.mark.e2e

TEMPLATE = {"category": "Atmosphere", "source": "ARPA Lombardia", "area": "Lombardia", "frequency": "daily",
            "licence": "CC BY 4.0", "personal_data": False}
QUICK = WatchSettings(interval=0.1, stable_for=0.3)


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return templates_dir()


def test_save_as_template_keeps_what_the_selected_files_share(qtbot, offline_window: MainWindow,  # noqa: ANN001
                                                              templates: Path, tmp_path: Path) -> None:
    window = offline_window
    files = [tmp_path / "pm10-a.csv", tmp_path / "pm10-b.csv"]
    files[0].write_text("data;pm10\n2024-01-01;12\n2024-01-02;15\n2024-01-03;11\n", encoding="utf-8")
    files[1].write_text("data;pm10\n2024-02-01;9\n", encoding="utf-8")
    drop_files(qtbot, window, files)
    qtbot.waitUntil(lambda: all(e.state in (fm.READY, fm.INVALID) for e in window.model.entries), timeout=30_000)
    assert window.model.entries[0].values["record_count"] != window.model.entries[1].values["record_count"]

    window.select_rows([0])  # a value only one file has describes no series
    qtbot.keyClicks(window.form.findChild(QLineEdit, "field_licence"), "solo A")
    window.select_rows([0, 1])
    assert window.template_action.isEnabled()
    for name, value in TEMPLATE.items():
        editor = window.form.findChild(QComboBox, f"field_{name}")
        if editor is not None:
            editor.setCurrentIndex(editor.findData(value))
            if window.form.mixed_box is not None:  # over "(several values)": the window asks first
                window.form.mixed_box.button(QMessageBox.StandardButton.Yes).click()
        elif isinstance(value, str) and name != "licence":
            line = window.form.findChild(QLineEdit, f"field_{name}")
            line.selectAll()
            qtbot.keyClicks(line, value)

    window.template_action.trigger()
    dialog = window.template_dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.save_button.isEnabled()  # no name yet
    shown = {dialog.kept.topLevelItem(i).text(0) for i in range(dialog.kept.topLevelItemCount())}
    assert shown == {"Category", "Source", "Area", "Frequency", "Time field", "Contains personal data"}
    dialog.name_box.setEditText("arpa pm10")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)

    saved = tomllib.loads((templates / "arpa pm10.toml").read_text(encoding="utf-8"))["metadata"]
    # no record count, fields, format or period (each file's own), no licence (only one file had it)
    assert saved == {**{k: v for k, v in TEMPLATE.items() if k != "licence"}, "time_field": "data"}
    panel = window.watch_panel  # the watched-folder picker lists it, chosen
    qtbot.waitUntil(lambda: panel.template_name == "arpa pm10", timeout=10_000)
    assert "Saved the template arpa pm10." in window.statusBar().currentMessage()


def test_a_watched_folder_delivers_each_new_file_with_its_template(qtbot, window: MainWindow, lake: Lake,  # noqa: ANN001
                                                                   alice: Session, templates: Path,  # noqa: F811
                                                                   tmp_path: Path) -> None:
    save_template("arpa-gui", TEMPLATE, window.session.schema)
    sign_in(qtbot, window, alice, tmp_path / "journal.sqlite3")
    panel = window.watch_panel
    window.watch_action.trigger()
    assert panel.isVisible()
    qtbot.waitUntil(lambda: panel.template_box.findData("arpa-gui") >= 0, timeout=10_000)
    panel.template_box.setCurrentIndex(panel.template_box.findData("arpa-gui"))
    folder = tmp_path / "incoming"
    folder.mkdir()
    panel.folder_edit.setText(str(folder))
    panel.watch.settings = QUICK
    panel.start_button.click()
    assert panel.watch.running and panel.start_button.text() == "Stop watching"
    thread = panel.watch._thread

    delivered = folder / f"pm10-{tmp_path.name}.csv"
    delivered.write_text("data;pm10\n2024-03-01;21\n2024-03-02;18\n2024-03-03;25\n", encoding="utf-8")
    qtbot.waitUntil(lambda: window.model.entry_by_path(delivered) is not None, timeout=30_000)
    entry = window.model.entry_by_path(delivered)
    qtbot.waitUntil(lambda: entry.state == fm.VALIDATED, timeout=90_000)
    assert entry.key == f"Atmosphere/ARPA Lombardia/alice/{delivered.name}"
    assert entry.values["licence"] == "CC BY 4.0"  # the row shows what was uploaded
    values = read_metadata(lake.admin(), window.session.schema, "validated", entry.key)
    assert {k: values[k] for k in TEMPLATE} == TEMPLATE
    assert values["format"] == "CSV" and values["record_count"] == 3  # read from the file itself
    assert "1 uploaded" in panel.status_label.text()

    with qtbot.waitSignal(panel.watch.stopped, timeout=10_000):
        panel.start_button.click()  # stop
    assert not panel.watch.running and thread is not None
    thread.join(5)
    assert not thread.is_alive()
    assert panel.start_button.text() == "Start watching" and panel.folder_edit.isEnabled()
    assert entry.state == fm.VALIDATED  # its row stays


def test_closing_the_window_ends_the_watcher(qtbot, window: MainWindow, alice: Session,  # noqa: ANN001, F811
                                             tmp_path: Path) -> None:
    sign_in(qtbot, window, alice, tmp_path / "journal.sqlite3")
    panel = window.watch_panel
    panel.folder_edit.setText(str(tmp_path))
    panel.watch.settings = QUICK
    panel.start_button.click()
    thread = panel.watch._thread
    assert thread is not None and thread.is_alive()
    window.close()
    assert not thread.is_alive()


def test_watching_needs_a_login_and_an_existing_folder(qtbot, offline_window: MainWindow,  # noqa: ANN001
                                                      tmp_path: Path) -> None:
    panel = offline_window.watch_panel
    panel.start_button.click()
    assert "Choose the folder" in panel.status_label.text() and not panel.watch.running
    panel.folder_edit.setText(str(tmp_path))
    panel.start_button.click()
    assert not panel.watch.running and panel.status_label.text() == ""
    assert offline_window.error_box is not None and "log in" in offline_window.error_box.text()

    offline_window.identity = object()  # type: ignore[assignment]  # the folder check is the watcher's own
    panel.folder_edit.setText(str(tmp_path / "missing"))
    with qtbot.waitSignal(panel.watch.stopped, timeout=10_000):
        panel.start_button.click()
    assert not panel.watch.running and panel.start_button.text() == "Start watching"
    assert "is not a folder" in panel.status_label.text()
    assert "is not a folder" in offline_window.error_box.text()
    assert "Stopped watching" not in offline_window.statusBar().currentMessage()  # it failed; it did not stop
