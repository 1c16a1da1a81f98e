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


def test_a_field_the_lakes_schema_adds_gets_its_editor_and_column(qtbot, offline_window: MainWindow,  # noqa: ANN001
                                                                   tmp_path: Path) -> None:
    """The lake's schema, read after the login, asks for a field the built-in one lacks: the form gets its editor
    (and the table its column), so the rows it makes invalid can be made ready in the window; edits in the new
    form still reach the rows and the queue kept on disk."""
    from dataclasses import replace

    from planet_gui.core.schema import FieldSpec

    window = offline_window
    path = tmp_path / "uno.csv"
    path.write_text(CSV, encoding="utf-8")
    drop_files(qtbot, window, [path])
    entry, = window.model.entries
    qtbot.waitUntil(lambda: entry.state != fm.INSPECTING, timeout=30_000)
    entry.values.update({"category": "COVID-19", "source": "Schema test", "area": "Umbria"})
    window._revalidate(entry)  # noqa: SLF001
    assert entry.state == fm.READY, entry.message
    assert window.form.findChild(QLineEdit, "field_ethics_ref") is None

    session = window.session
    stricter = replace(session.schema, fields=(*session.schema.fields, FieldSpec(
        "ethics_ref", "Ethics_ref", "string", required=True, column=True, label={"en": "Ethics approval"})))
    session.schema = stricter  # what Session.refresh_lake_schema does with the lake's schema
    window._lake_schema_read()  # noqa: SLF001 - the window's slot for the read's end
    assert entry.state == fm.INVALID and "Ethics approval (ethics_ref) is required" in entry.message
    assert "ethics_ref" in window.model.columns

    window.select_rows([0])
    editor = window.form.findChild(QLineEdit, "field_ethics_ref")
    assert editor is not None and editor.isEnabled() and editor.isVisible()
    qtbot.keyClicks(editor, "CE-Umbria 2024/17")
    assert entry.values["ethics_ref"] == "CE-Umbria 2024/17" and entry.state == fm.READY, entry.message
    assert window.queue._edits[entry.path]["ethics_ref"] == "CE-Umbria 2024/17"  # noqa: SLF001 - kept on disk too


def test_the_lakes_schema_with_the_same_fields_keeps_the_form(qtbot, offline_window: MainWindow) -> None:  # noqa: ANN001
    """The lake publishes the schema the app ships with (or none): the form and what was typed in it stay. It was
    rebuilt at every login (a new Schema object, the same fields), 30 ms of the UI thread and the editor's focus."""
    from dataclasses import replace

    window = offline_window
    form = window.form
    window.session.schema = replace(window.session.schema)  # equal, not the same object: as read from the lake
    assert window.session.schema is not form.schema
    window._lake_schema_read()  # noqa: SLF001 - the window's slot for the read's end
    assert window.form is form
