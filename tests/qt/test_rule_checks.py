"""The rules that need no content run in the window while a row is edited (issue 17: "rules that need only
metadata also run in the client before upload"): a row they refuse shows invalid with the hook's text at once,
beside the schema's problems, instead of looking ready and failing when submitted. No servers needed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLineEdit

from planet_gui.qt import files_model as fm
from planet_gui.qt.main_window import MainWindow
from tests.qt.test_main_window import drop_files

CSV = "data,casi\n2024-01-01,3\n2024-01-02,4\n2024-01-03,5\n"


def type_date(qtbot, window: MainWindow, name: str, text: str) -> None:  # noqa: ANN001
    editor = window.form.findChild(QLineEdit, f"field_{name}")
    assert editor is not None and editor.isEnabled()
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    editor.editingFinished.emit()


def test_a_period_ending_before_it_starts_makes_the_rows_invalid_while_edited(  # noqa: ANN001
        qtbot, offline_window: MainWindow, tmp_path: Path) -> None:
    window = offline_window
    paths = []
    for name in ("uno.csv", "due.csv"):
        path = tmp_path / name
        path.write_text(CSV, encoding="utf-8")
        paths.append(path)
    drop_files(qtbot, window, paths)
    entries = list(window.model.entries)
    qtbot.waitUntil(lambda: all(e.state != fm.INSPECTING for e in entries), timeout=30_000)
    for entry in entries:  # what the schema asks for, so only the rule can refuse them
        entry.values.update({"category": "COVID-19", "source": "Rule test", "area": "Umbria"})
        window._revalidate(entry)  # noqa: SLF001
    assert all(e.state == fm.READY for e in entries), [e.message for e in entries]
    assert all(e.values.get("period_start") == "2024-01-01" for e in entries)  # inferred from the data

    window.select_rows([0, 1])
    type_date(qtbot, window, "period_end", "2023-12-31")  # a bulk edit of a field the rule reads
    assert all(e.state == fm.INVALID for e in entries)
    assert all("is before period start" in e.message for e in entries), [e.message for e in entries]
    # the session refuses with the same words when submitting (Session.review, as the hook words them)
    assert entries[0].message.splitlines()[-1] in window.session.review(
        entries[0].path, entries[0].values).problems

    type_date(qtbot, window, "source", "Another source")  # a field the rule does not read: its problem stays
    assert all(e.state == fm.INVALID for e in entries)

    type_date(qtbot, window, "period_end", "2024-01-03")
    assert all(e.state == fm.READY for e in entries), [e.message for e in entries]
