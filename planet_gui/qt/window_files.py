"""The main window's files: dropped, chosen or listed from folders, put in the table a chunk at a time, and read
for their metadata (:mod:`.inspections`), the results reaching the table in batches.

A thousand files added at once keep the window responsive: :data:`ADD_CHUNK` rows per event-loop turn, the
readers on threads of their own, each batch of results one table update (tests/bench/bench_gui.py)."""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog

from planet_gui.core.listing import expand_paths
from planet_gui.core.tracking import from_problems
from planet_gui.qt import files_model as fm
from planet_gui.qt.inspections import Result

if TYPE_CHECKING:
    from planet_gui.core.prepared import Prepared
    from planet_gui.qt.window_api import WindowApi

    _Base = WindowApi
else:
    _Base = object

ADD_CHUNK = 200  # rows put in the table per event-loop turn: a thousand dropped files never freeze it


class FilesMixin(_Base):
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event: Any) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_paths(paths)

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("Add files"))
        self.add_paths([Path(n) for n in names])

    def add_paths(self, paths: list[Path]) -> None:
        """Add dropped or chosen files; folders are listed on a worker (a big tree or a network share would
        freeze the window), and :attr:`paths_added` tells when their files are in the table."""
        if not paths:
            return
        self.statusBar().showMessage(self.tr("Looking for files…"))
        self._run(expand_paths, list(paths), on_done=self._add_files, on_failed=self._listing_failed)

    def _listing_failed(self, title: str, message: str) -> None:
        self.statusBar().showMessage(f"{title}: {message}")
        self.paths_added.emit(0)

    def _add_files(self, files: list[Path]) -> None:
        """Put the listed files in the table, :data:`ADD_CHUNK` rows per event-loop turn (one insertion each),
        and have them read; :attr:`paths_added` says how many once all of this call's files are in."""
        if self.statusBar().currentMessage() == self.tr("Looking for files…"):
            self.statusBar().clearMessage()
        self._adding.append((deque(files), [0]))
        if not self._add_timer.isActive():
            self._add_chunk()

    def _add_chunk(self) -> None:
        remaining, added = self._adding[0]
        chunk = [remaining.popleft() for _ in range(min(ADD_CHUNK, len(remaining)))]
        new = self.model.add_many(chunk)
        added[0] += len(new)
        self.inspections.add(new)
        self.drop_hint.setVisible(not self.model.entries)
        if new and not self.table.selectionModel().hasSelection():
            self.select_rows([self.model.row_of(new[0])])
        self._states_changed()
        if not remaining:
            self._adding.popleft()
            self.paths_added.emit(added[0])
        if self._adding:
            self._add_timer.start()

    def _inspect(self, entry: fm.FileEntry) -> None:
        """Queue the file to be read (again). A few files are read at a time, on threads of their own: a thousand
        dropped files neither flood the pool ahead of a status poll or a cancel, nor cost the window a thousand
        workers at once (:mod:`.inspections`)."""
        self.inspections.add([entry])

    def _inspections_done(self, results: list[Result]) -> None:
        """A batch of read files: each row's values, warnings and state set, then one table update, one counts
        update, and the form refreshed once if it shows one of them."""
        changed: list[fm.FileEntry] = []
        for entry, inspection, problem in results:
            if inspection is None:
                self.queue.inspection_failed(entry, *problem)  # editable by hand, Inspect again
            elif self._apply_inspection(entry, inspection):
                changed.append(entry)
        self.model.changed_many(changed)
        if any(entry in self._selected_set for entry in changed):
            self._selection_changed()
        self._states_changed()

    def _apply_inspection(self, entry: fm.FileEntry, prepared: Prepared) -> bool:
        """:meth:`Session.prepare`'s values (the schema's defaults and what inspection inferred), then the user's
        edits kept from before a restart; checked field by field (:class:`FieldChecks`, for quick bulk edits)."""
        inspection = prepared.inspection
        if entry not in self.model or inspection is None:
            return False
        if entry.state not in (fm.INSPECTING, fm.READY, fm.INVALID):  # on its way up or done: its values stay
            entry.preview, entry.details = inspection.preview, inspection.details
            return True
        entry.values = dict(prepared.values)
        entry.preview = inspection.preview
        entry.details = inspection.details
        self.queue.inspected(entry, inspection)  # warnings; edits kept from before a restart
        if entry.state not in (fm.INSPECTING, fm.READY, fm.INVALID):
            return True
        entry.problems = self.checks.all(entry.values)
        problems = self.checks.joined(entry.problems, entry.values)
        entry.state, entry.message = from_problems(problems).value, "\n".join(problems)
        return True

    def _inspected(self, entry: fm.FileEntry, prepared: Prepared) -> None:
        """One file read outside the batches (Inspect again): as one result of a batch."""
        self._inspections_done([(entry, prepared, ("", ""))])
