"""Batches of hundreds, offline: bulk edits touch every selected row and only those, mixed values say so and a
pick over them asks first, the form comes back when a row is ready again, the confirmation stays compact,
the list sorts, filters and searches, and the status bar counts the states."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QMessageBox

from planet_gui.qt import files_model as fm
from planet_gui.qt.main_window import MainWindow
from tests.support.uploads import VALID


def fill(window: MainWindow, count: int, tmp_path: Path, **values: object) -> list[fm.FileEntry]:
    """``count`` rows with complete metadata, as after inspection (files on disk, for their sizes)."""
    entries = []
    for i in range(count):
        path = tmp_path / f"rilevazioni-{i:04d}.csv"
        path.write_bytes(b"giorno,casi\n2024-01-01,1\n" * (i + 1))
        entry = window.model.entry_for(path)
        entry.values = {**VALID, **values}
        window._revalidate(entry)
        entries.append(entry)
    window.drop_hint.setVisible(False)
    return entries


def test_bulk_edit_of_hundreds_sets_each_and_checks_each(qtbot, offline_window: MainWindow,  # noqa: ANN001
                                                          tmp_path: Path) -> None:
    window = offline_window
    entries = fill(window, 300, tmp_path)
    chosen = list(range(0, 300, 2))
    window.select_rows(chosen)
    assert len(window.selected_entries()) == 150
    area = window.form.findChild(QLineEdit, "field_area")
    area.selectAll()
    qtbot.keyClick(area, Qt.Key.Key_Backspace)  # Area is required: every selected row now lacks it
    assert all(entries[r].state == fm.INVALID for r in chosen)
    assert all(entries[r].state == fm.READY for r in range(1, 300, 2))
    assert "Area" in entries[0].message
    qtbot.keyClicks(area, "Umbria")
    assert {entries[r].values["area"] for r in chosen} == {"Umbria"}
    assert all(entries[r].state == fm.READY for r in chosen)
    assert {entries[r].values["area"] for r in range(1, 300, 2)} == {"Italia"}


def test_mixed_values_show_and_picking_one_asks(qtbot, offline_window: MainWindow, tmp_path: Path) -> None:  # noqa: ANN001
    window = offline_window
    entries = fill(window, 3, tmp_path)
    entries[1].values["category"] = "COVID-19"
    window.select_rows([0, 1, 2])
    category = window.form.findChild(QComboBox, "field_category")
    assert category.currentIndex() == -1 and category.placeholderText() == "(several values)"
    assert category.currentText() == ""

    category.setCurrentIndex(category.findData("Clinical"))  # as the user's pick does
    box = window.form.mixed_box
    assert box is not None and box.isVisible() and "3 selected files" in box.text()
    assert [e.values["category"] for e in entries] == ["Other", "COVID-19", "Other"]  # nothing changed yet
    box.button(QMessageBox.StandardButton.No).click()
    assert category.currentIndex() == -1  # "(several values)" again
    assert [e.values["category"] for e in entries] == ["Other", "COVID-19", "Other"]

    category.setCurrentIndex(category.findData("Clinical"))
    window.form.mixed_box.button(QMessageBox.StandardButton.Yes).click()
    assert [e.values["category"] for e in entries] == ["Clinical"] * 3

    window.select_rows([0])  # one file: a pick is just an edit
    category.setCurrentIndex(category.findData("Other"))
    assert window.form.mixed_box is None and entries[0].values["category"] == "Other"


def test_form_comes_back_when_a_row_is_ready_again(qtbot, offline_window: MainWindow, tmp_path: Path) -> None:  # noqa: ANN001
    window = offline_window
    entry, = fill(window, 1, tmp_path)
    window.select_rows([0])
    assert window.form.isEnabled()
    window._set_state(entry, fm.UPLOADING)
    qtbot.waitUntil(lambda: not window.form.isEnabled(), timeout=2_000)
    window._set_state(entry, fm.READY, "Already in the lake: skipped")  # "Skip this file"
    qtbot.waitUntil(window.form.isEnabled, timeout=2_000)
    assert window.problems_label.text() == "Already in the lake: skipped"


def test_confirmation_of_two_hundred_files_is_compact(qtbot, offline_window: MainWindow, tmp_path: Path) -> None:  # noqa: ANN001
    window = offline_window
    window.resize(1024, 700)
    window.identity = object()  # type: ignore[assignment]  # only the confirmation step is exercised
    entries = fill(window, 200, tmp_path)
    for entry in entries[:120]:
        entry.values["category"] = "COVID-19"
    entries[5].values["personal_data"] = True
    entries[7].values.pop("area")
    for entry in entries[5:8]:
        window._revalidate(entry)
    window.submit_action.trigger()
    box = window.confirm_box
    assert box is not None
    qtbot.waitUntil(box.isVisible, timeout=5_000)
    assert box.heading.text() == "Upload 199 file(s) to the data lake?"
    assert "COVID-19 (119)" in box.summary.text() and "Other (80)" in box.summary.text()
    assert "Total size:" in box.summary.text() and "raw/" in box.summary.text()
    assert "1 file(s) whose metadata needs fixing stay here." in box.warnings.text()
    assert "1 file(s) say they contain personal data." in box.warnings.text()
    assert box.list.topLevelItemCount() == 199
    yes = box.button(QMessageBox.StandardButton.Yes)
    assert box.height() <= 700, box.height()  # fits the smallest supported screen
    assert yes.isVisible() and box.rect().contains(yes.geometry().translated(yes.parentWidget().pos()))
    assert "rilevazioni-0000.csv" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert all(e.state in (fm.READY, fm.INVALID) for e in entries)


def test_sort_filter_search_and_counts(qtbot, offline_window: MainWindow, tmp_path: Path) -> None:  # noqa: ANN001
    window = offline_window
    entries = fill(window, 12, tmp_path)
    window._set_state(entries[3], fm.FAILED, "Storage problem: gone")
    window._set_state(entries[9], fm.TRIAGE, "a reason")
    for i, entry in enumerate(entries):
        entry.values["record_count"] = 100 - i * 7  # numbers sort as numbers
    qtbot.waitUntil(lambda: "ready: 10" in window.counts_label.text(), timeout=2_000)
    assert window.counts_label.text() == "12 file(s) · failed: 1 · triage: 1 · ready: 10"

    window.table.sortByColumn(window.model.columns.index("record_count"), Qt.SortOrder.AscendingOrder)
    first = window.proxy.mapToSource(window.proxy.index(0, 0)).row()
    assert entries[first] is entries[11]
    window.table.sortByColumn(window.model.columns.index("status"), Qt.SortOrder.AscendingOrder)
    shown = [window.model.entries[window.proxy.mapToSource(window.proxy.index(r, 0)).row()].state
             for r in range(2)]
    assert shown == [fm.FAILED, fm.TRIAGE]  # what needs the user first
    window.select_rows([9])  # model rows, whatever the view's order
    assert window.selected_entries() == [entries[9]]

    window.filter_bar.search.setText("RILEVAZIONI-001")
    assert window.proxy.rowCount() == 2  # 0010, 0011
    window.filter_bar.search.clear()
    states = window.filter_bar.states
    states.setCurrentIndex(states.findData(fm.FAILED))
    assert window.proxy.rowCount() == 1
    window.select_rows(list(range(12)))
    assert window.selected_entries() == [entries[3]]  # only what the filter shows is acted on
    states.setCurrentIndex(0)
    assert window.proxy.rowCount() == 12
    QApplication.processEvents()
