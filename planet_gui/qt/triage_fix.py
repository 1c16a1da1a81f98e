"""Fixing a triaged row in the window: the form shows what the lake holds for it, the lake's reasons under the
fields they concern, takes the corrections, and *Resubmit* sends them with :meth:`Session.fix` (a server-side
copy back to raw; no data is sent again). The row then waits for the hook's new verdict like any upload.

The window keeps the form disabled for rows that left the queue; this module enables it for one triaged row at a
time, once the lake's values are in (read on a worker), and keeps its own list of the corrections: the row's
values stay what was uploaded until the lake accepts the resubmission."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from planet_gui.qt import files_model as fm
from planet_gui.qt.workers import Workers

if TYPE_CHECKING:  # the S3 client behind fixing loads with the first fix
    from planet_gui.core.fix import Resubmitted, Triaged
    from planet_gui.qt.window_api import WindowApi


class TriageFixer(QObject):
    def __init__(self, window: WindowApi) -> None:
        super().__init__(window)
        self.window = window
        self._workers = Workers(self)
        self.entry: fm.FileEntry | None = None
        self.triaged: Triaged | None = None
        self.changes: dict[str, Any] = {}
        self.bar = QWidget()
        self.bar.setObjectName("triage_fix_bar")
        self.note = QLabel("")
        self.note.setObjectName("triage_fix_note")
        self.note.setWordWrap(True)
        self.button = QPushButton(self.tr("Resubmit with these corrections"))
        self.button.setObjectName("triage_fix_resubmit")
        self.button.setToolTip(self.tr("The lake copies the file it already holds back for validation, with the "
                                       "corrected metadata; nothing is uploaded again."))
        self.button.clicked.connect(self.resubmit)
        layout = QHBoxLayout(self.bar)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note, 1)
        layout.addWidget(self.button)
        self.bar.hide()
        form_page = window.form.parentWidget()
        page_layout = form_page.layout() if form_page is not None else None
        if isinstance(page_layout, QBoxLayout):
            page_layout.insertWidget(0, self.bar)
        window.form_edited.connect(self._edited)

    # -- following the selection ---------------------------------------------------------------------

    def selection(self, entries: list[fm.FileEntry], *, refill: bool = True) -> None:
        """The window's selection (or a selected row's state) changed: one triaged row with a key starts (or
        resumes) a fix. ``refill`` puts the lake's values and the corrections back in the form (the window
        filled it with the row's own)."""
        one = entries[0] if len(entries) == 1 and entries[0].state == fm.TRIAGE and entries[0].key else None
        if one is None:
            self._clear()
            return
        if one is self.entry:
            if self.triaged is not None:
                self._show() if refill else self.window.form.setEnabled(True)
            return
        self._clear()
        self.entry = one
        self.note.setText(self.tr("Reading what the lake holds for this file…"))
        self.bar.show()
        self.button.setEnabled(False)
        self._workers.run(self.window.session.triaged, one.key, on_done=lambda t, e=one: self._loaded(e, t),  # type: ignore[misc]
                          on_failed=self._failed)

    def keep_form_enabled(self, entries: list[fm.FileEntry]) -> None:
        """The window disables the form for rows out of the queue; a row being fixed keeps it (and a selected row
        that just went to triage starts its fix)."""
        self.selection(entries, refill=False)

    def _loaded(self, entry: fm.FileEntry, triaged: Triaged) -> None:
        if entry is not self.entry:
            return  # the selection moved on meanwhile
        self.triaged = triaged
        if triaged.rejected:
            self.note.setText(self.tr("A curator rejected this file; it cannot be resubmitted."))
            self.triaged = None
            return
        self._show()

    def _show(self) -> None:
        triaged = self.triaged
        assert triaged is not None
        form = self.window.form
        form.show_values([{**triaged.values, **self.changes}])
        form.setEnabled(True)
        loose = [r for r in triaged.reasons if not any(r in rs for rs in triaged.by_field.values())]
        form.show_reasons(triaged.by_field, triaged.values)
        self.bar.show()
        self._explain(loose)

    def _explain(self, loose: list[str] | None = None) -> None:
        triaged = self.triaged
        if triaged is None:
            return
        values = {k: v for k, v in {**triaged.values, **self.changes}.items() if v is not None}
        values["uploader"] = triaged.values.get("uploader", "")
        problems = self.window.session.schema.problems(values, self.window.language)
        if problems:
            text = self.tr("Still to correct: %1").replace("%1", "; ".join(problems))
        elif self.changes:
            text = self.tr("Corrected: %1. Resubmit to have the lake check it again.").replace(
                "%1", ", ".join(sorted(self.changes)))
        else:
            text = self.tr("In triage. Correct the fields marked below, then resubmit.")
        if loose:
            text += "\n" + "\n".join(f"⚠ {r}" for r in loose)
        self.note.setText(text)
        self.button.setEnabled(bool(self.changes) and not problems)

    def _edited(self, name: str, value: Any) -> None:
        if self.triaged is None or self.entry is None or self.window.selected_entries() != [self.entry]:
            return
        value = None if value == "" else value
        if self.triaged.values.get(name) == value:
            self.changes.pop(name, None)
        else:
            self.changes[name] = value
        self._explain()

    # -- resubmitting --------------------------------------------------------------------------------

    def resubmit(self) -> None:
        entry, changes = self.entry, dict(self.changes)
        if entry is None or not changes:
            return
        self.button.setEnabled(False)
        self.note.setText(self.tr("Resubmitting…"))
        self._workers.run(self.window.session.fix, entry.key, changes,
                          on_done=lambda done, e=entry: self._resubmitted(e, done),  # type: ignore[misc]
                          on_failed=self._failed)

    def _resubmitted(self, entry: fm.FileEntry, done: Resubmitted) -> None:
        triaged = self.triaged
        if triaged is not None and entry is self.entry:
            entry.values.update({k: v for k, v in done.changed.items() if v is not None})
            for name in (k for k, v in done.changed.items() if v is None):
                entry.values.pop(name, None)
        self._clear()
        window = self.window
        window._set_state(entry, fm.PENDING, self.tr("Resubmitted with corrections; waiting for the server's "
                                                     "validation"))
        window.status_timer.start()
        window.statusBar().showMessage(self.tr("Resubmitted %1; nothing was uploaded again.").replace(
            "%1", entry.path.name))
        window._selection_changed()

    def _failed(self, title: str, message: str) -> None:
        self.note.setText(f"{title}: {message}")
        self.button.setEnabled(bool(self.changes))

    def _clear(self) -> None:
        if self.entry is not None:
            self.window.form.show_reasons({})
        self.entry = None
        self.triaged = None
        self.changes = {}
        self.bar.hide()
