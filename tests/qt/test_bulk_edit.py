"""Drop a folder, select several files, and edit a field for all of them at once. No servers needed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLineEdit

from planet_gui.qt import files_model as fm
from planet_gui.qt.main_window import MainWindow
from tests.qt.test_main_window import drop_files


def test_bulk_edit_across_files(qtbot, offline_window: MainWindow, testdata: Path) -> None:  # noqa: ANN001
    window = offline_window
    drop_files(qtbot, window, [testdata / "csv"])  # a folder: every file inside is added
    names = sorted(e.path.name for e in window.model.entries)
    assert names == sorted(p.name for p in (testdata / "csv").iterdir())
    qtbot.waitUntil(lambda: all(e.state != fm.INSPECTING for e in window.model.entries), timeout=60_000)

    rows = [i for i, e in enumerate(window.model.entries) if e.path.name.startswith("dpc-")]
    assert len(rows) == 3
    window.select_rows(rows)
    records = window.form.findChild(QLineEdit, "field_record_count")
    assert records.text() == "" and records.placeholderText() == "(several values)"  # 1781, 149, 21
    source = window.form.findChild(QLineEdit, "field_source")
    assert source.text() == "Protezione Civile (DPC)"  # the same in all three

    licence = window.form.findChild(QLineEdit, "field_licence")
    qtbot.keyClicks(licence, "CC BY 4.0")
    chosen = [window.model.entries[r] for r in rows]
    assert [e.values.get("licence") for e in chosen] == ["CC BY 4.0"] * 3
    others = [e for i, e in enumerate(window.model.entries) if i not in rows]
    assert all("licence" not in e.values for e in others)
    assert len({e.values["record_count"] for e in chosen}) == 3  # untouched fields keep their own values


def test_submit_without_login_explains_and_keeps_files(qtbot, offline_window: MainWindow,  # noqa: ANN001
                                                      testdata: Path) -> None:
    window = offline_window
    drop_files(qtbot, window, [testdata / "csv" / "dpc-covid19-ita-regioni-latest.csv"])
    entry = window.model.entries[0]
    qtbot.waitUntil(lambda: entry.state == fm.READY, timeout=30_000)
    window.submit_action.trigger()
    assert window.confirm_box is None  # nothing to confirm: not logged in
    assert window.error_box is not None and window.error_box.isVisible()
    assert "log in" in window.error_box.text().lower()
    assert entry.state == fm.READY


def test_preview_shows_table_or_structure(qtbot, offline_window: MainWindow, testdata: Path) -> None:  # noqa: ANN001
    window = offline_window
    drop_files(qtbot, window, [testdata / "csv" / "dpc-covid19-ita-regioni-latest.csv",
                        testdata / "netcdf" / "cams_europe_aq_reanalysis_milan_2020.nc"])
    qtbot.waitUntil(lambda: all(e.state == fm.READY for e in window.model.entries), timeout=30_000)
    window.select_rows([0])
    table = window.preview.table  # the inspection's rows at once; the plot follows from a worker
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert "denominazione_regione" in headers and table.rowCount() == 20
    column = headers.index("denominazione_regione")
    assert table.item(0, column).text() == "Abruzzo"
    qtbot.waitUntil(lambda: window.preview.currentWidget() is window.preview.plot_slot, timeout=30_000)
    window.select_rows([1])
    assert "pm10" in window.preview.text.toPlainText() and "time" in window.preview.text.toPlainText()
    qtbot.waitUntil(lambda: window.preview.tree.topLevelItemCount() >= 4, timeout=30_000)
    assert window.preview.currentWidget() is window.preview.map_slot


def test_uploading_rows_show_rate_and_time_left() -> None:
    entry = fm.FileEntry(path=Path("big.nc"), state=fm.UPLOADING, progress=0.42, rate=3_100_000, eta=80)
    assert fm.upload_status(entry) == "uploading 42% · 3.1 MB/s · 1:20 left"
    entry.rate, entry.eta = 0.0, None  # before the first part is confirmed
    assert fm.upload_status(entry) == "uploading 42%"
    assert fm.human_duration(3725) == "1:02:05"


def test_a_rules_problem_shows_beside_its_field_before_submit(qtbot, offline_window: MainWindow,  # noqa: ANN001
                                                              testdata: Path) -> None:
    """A period that ends before it starts (a rule beyond the schema, run by the hook and at submit): the row is
    invalid at once, and the rule's words show under the period's end, where the problem is."""
    from PySide6.QtWidgets import QLabel

    window = offline_window
    drop_files(qtbot, window, [testdata / "csv" / "dpc-covid19-ita-regioni-latest.csv"])
    entry = window.model.entries[0]
    qtbot.waitUntil(lambda: entry.state == fm.READY, timeout=30_000)
    window.select_rows([0])
    label = window.form.findChild(QLabel, "reason_period_end")
    assert label is not None and not label.isVisible()
    for name, text in (("period_start", "2021-01-03"), ("period_end", "2021-01-01")):
        editor = window.form.findChild(QLineEdit, f"field_{name}")
        editor.clear()
        qtbot.keyClicks(editor, text)
    reason = "Period end (period_end) 2021-01-01 is before period start (period_start) 2021-01-03"
    assert entry.state == fm.INVALID and reason in entry.message  # refused here, not only at submit
    qtbot.waitUntil(label.isVisible, timeout=5_000)
    assert reason in label.text()
    assert not window.form.findChild(QLabel, "reason_period_start").isVisible()

    editor = window.form.findChild(QLineEdit, "field_period_end")
    editor.clear()
    qtbot.keyClicks(editor, "2021-01-05")
    assert entry.state == fm.READY
    qtbot.waitUntil(lambda: not label.isVisible(), timeout=5_000)
