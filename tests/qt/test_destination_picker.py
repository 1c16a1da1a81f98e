"""The form's destination picker: one per file, edited for several files at once like the fields (asking before
it replaces different choices), used for each file's key, kept in a saved template. No servers needed."""

from __future__ import annotations

from pathlib import Path

from keyring.backends import fail
from PySide6.QtWidgets import QComboBox, QMessageBox

from planet_gui.core.auth.token_store import TokenStore
from planet_gui.core.profile import load_profile
from planet_gui.core.resources import resource_path
from planet_gui.core.session import Session
from planet_gui.core.transfer.templates import template_destination, template_path
from planet_gui.qt import files_model as fm
from planet_gui.qt.main_window import MainWindow
from tests.qt.test_main_window import drop_files

DESTINATIONS = """
[[destinations]]
name = "Generale"

[[destinations]]
name = "Epidemiologici"
raw = "topics"
prefix = "Epidemiologici-raw/"
validated = "topics-validated"
triage = "topics-triage"
"""


def _window(qtbot, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    profile = tmp_path / "topics.toml"
    profile.write_text(resource_path("profiles", "local-test.toml").read_text(encoding="utf-8") + DESTINATIONS,
                       encoding="utf-8")
    session = Session(load_profile(profile), token_store=TokenStore("offline", backend=fail.Keyring()))
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    return window


def test_destination_per_file_and_for_several_at_once(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    window = _window(qtbot, tmp_path)
    files = []
    for name in ("a.csv", "b.csv"):
        path = tmp_path / name
        path.write_text(f"data,casi\n2021-01-01,{len(name)}\n2021-01-02,4\n", encoding="utf-8")
        files.append(path)
    drop_files(qtbot, window, files)
    qtbot.waitUntil(lambda: all(e.state != fm.INSPECTING for e in window.model.entries), timeout=30_000)
    first, second = sorted(window.model.entries, key=lambda e: e.path.name)
    picker = window.form.findChild(QComboBox, "field_destination")
    assert picker is not None and [picker.itemText(i) for i in range(picker.count())] == ["Generale",
                                                                                         "Epidemiologici"]
    window.select_rows([window.model.row_of(first)])
    assert picker.currentText() == "Generale"  # the profile's first, by default
    picker.setCurrentIndex(1)
    assert (first.destination, second.destination) == ("Epidemiologici", "")
    key = window.session.object_key(first.path, first.values, first.destination)
    assert key.startswith("Epidemiologici-raw/") and key.endswith("/anonymous/a.csv")

    window.select_rows([window.model.row_of(first), window.model.row_of(second)])
    assert picker.currentIndex() == -1 and picker.placeholderText() == "(several values)"
    picker.setCurrentIndex(1)  # over different choices: asked first
    box = window.form.mixed_box
    assert box is not None and "Set it to “Epidemiologici” for all" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    assert (first.destination, second.destination) == ("Epidemiologici", "Epidemiologici")

    window.save_as_template()
    dialog = window.template_dialog
    assert dialog is not None and dialog.destination == "Epidemiologici"
    dialog.name_box.setEditText("epi")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: template_path("epi").exists(), timeout=10_000)
    assert template_destination("epi") == "Epidemiologici"


def test_a_profile_with_one_destination_shows_no_picker(qtbot, offline_window: MainWindow) -> None:  # noqa: ANN001
    assert offline_window.form.findChild(QComboBox, "field_destination") is None


def test_the_confirmation_names_each_files_destination(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    from planet_gui.qt.confirm_dialog import ConfirmDialog

    window = _window(qtbot, tmp_path)
    path = tmp_path / "a.csv"
    path.write_text("data,casi\n2021-01-01,3\n2021-01-02,4\n", encoding="utf-8")
    drop_files(qtbot, window, [path])
    qtbot.waitUntil(lambda: all(e.state != fm.INSPECTING for e in window.model.entries), timeout=30_000)
    entry = window.model.entries[0]
    places = window.session.profile
    keys = [window.session.object_key(entry.path, entry.values, name) for name in ("Generale", "Epidemiologici")]
    buckets = [places.destination(name).raw.bucket for name in ("Generale", "Epidemiologici")]
    box = ConfirmDialog([entry, entry], keys, 0, buckets, window)
    qtbot.addWidget(box)
    summary = box.summary.text()
    assert f"{buckets[0]}/{Path(keys[0]).parent}/" in summary
    assert f"topics/{Path(keys[1]).parent}/" in summary and keys[1].startswith("Epidemiologici-raw/")
