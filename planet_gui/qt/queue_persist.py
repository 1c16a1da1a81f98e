"""The window's queue kept on disk and brought back at the next start: no work lost to a crash or a restart.

It follows the table from outside (rows added, changed, removed; fields the user typed) and writes what changed
to :class:`~planet_gui.core.queue_store.QueueStore` at most every :data:`FLUSH_MS`, one row per changed file, never
the whole queue. At the next start :meth:`QueuePersistence.restore` puts the rows back as they were: the user's
values, each row's state and verdict. An upload that was running comes back as *interrupted*; the journal has its
confirmed parts, and the offer to resume it follows the log-in as before. A file that is no longer on disk says
so on its row.

It also carries what the table shows about a file beyond its state: inspection warnings, a failed inspection
(the file can still be described by hand, and inspected again), and, once uploaded, the object's key, SHA-256 and
uploader.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu

from planet_gui.core.queue_store import QueuedFile, QueueStore
from planet_gui.qt import files_model as fm
from planet_gui.qt.banner import NotesText
from planet_gui.qt.preview import source_of
from planet_gui.qt.row_notes import row_notes

if TYPE_CHECKING:
    from planet_gui.core.inspect import Inspection
    from planet_gui.qt.window_api import WindowApi

log = logging.getLogger(__name__)

FLUSH_MS = 200
#: rows copied per flush on the UI thread; more wait for the next event-loop turn (a bulk edit of 1,000 rows
#: copied at once stalled the window ~40 ms, a frame and more, after each pause in typing)
FLUSH_AT_ONCE = 200
#: rows that are about a file still being written by a watched folder's source: not work of the user's
_NOT_KEPT = {fm.WAITING}
#: states whose file must still be on disk to go on
_EDITABLE = {fm.READY, fm.INVALID}
_NEEDS_FILE = {fm.INSPECTING, fm.READY, fm.INVALID, fm.UPLOADING, fm.INTERRUPTED}


translate = QCoreApplication.translate  # literal calls below, so lupdate finds the strings


class QueuePersistence(QObject):
    """Keeps ``window``'s queue in ``store`` (by default the user's, for the window's profile)."""

    restored = Signal(int)  # rows brought back

    def __init__(self, window: WindowApi, store: QueueStore | None = None) -> None:
        super().__init__(window)
        self.window = window
        self._store = store
        self._dirty: dict[int, fm.FileEntry] = {}
        self._removed: set[Path] = set()
        self._saved: dict[Path, tuple[Any, ...]] = {}
        self._restoring = False
        self._scheduled = False  # the flush timer runs (a Python flag: asking Qt costs more, per row)
        self._notes_due = False
        self._selected: list[fm.FileEntry] | None = None  # the selection's rows, until it changes
        self._forced: set[int] = set()  # rows whose values changed in place: written whatever their signature
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="queue-writer")
        # deleted without a close (its window gone): the writer's thread ends once what it was handed is written
        self._writers = writers = [self._writer]
        self.destroyed.connect(lambda *_args: writers[-1].shutdown(wait=False))
        self._writes: list[Future[None]] = []
        self._write_error: BaseException | None = None
        self._edits: dict[Path, dict[str, Any]] = {}
        self._failed_store = False
        self._opening = threading.Lock()  # the UI thread (restore) and the writer (first flush) may both open it
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FLUSH_MS)
        self._timer.timeout.connect(self.flush)
        self._verdicts_after_login = QTimer(self)
        self._verdicts_after_login.setInterval(500)
        self._verdicts_after_login.timeout.connect(self._ask_verdicts)
        self._previewing: set[Path] = set()
        model = window.model
        model.rowsInserted.connect(self._inserted)
        model.rowsAboutToBeRemoved.connect(self._removing)
        model.dataChanged.connect(self._changed)
        window.form_edited.connect(self._edited)
        # switching profile refills the profile list: the rows then move to the new profile (see ``store``)
        window.profile_box.currentIndexChanged.connect(lambda _i: self._schedule())
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.wait)
        window.installEventFilter(self)

        self.notes = NotesText()  # a key or a SHA-256 wraps instead of cutting the banner's lines
        self.notes.setObjectName("row_notes")
        self.notes.setStyleSheet("QTextBrowser { background: transparent; color: #8d5a00; }")
        self.notes.hide()
        # in the banner above the form, under the row's problem (a triage reason is read first; never a window
        # of its own)
        window.banner.column.insertWidget(1, self.notes)
        # at most once per event-loop pass: a bulk edit of 1,000 rows changes 1,000 rows at once
        self._notes_timer = QTimer(self)
        self._notes_timer.setSingleShot(True)
        self._notes_timer.setInterval(0)
        self._notes_timer.timeout.connect(self.show_notes)
        window.table.selectionModel().selectionChanged.connect(self._selection_changed)
        model.rowsInserted.connect(self._selection_changed)
        model.rowsRemoved.connect(self._selection_changed)
        model.dataChanged.connect(self._notes_later)

        self.retry_action = QAction(self.tr("Inspect again"), self)
        self.retry_action.setObjectName("retry_inspection")
        self.retry_action.setToolTip(self.tr("Read the selected files again and infer their metadata; what you "
                                             "typed stays"))
        self.retry_action.setShortcut(QKeySequence("Ctrl+I"))
        self.retry_action.triggered.connect(self.retry_inspection)
        window.table.addAction(window.interrupted_action)  # keeps the table's context menu useful
        window.table.addAction(self.retry_action)
        window.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for menu_action in window.menuBar().actions():
            menu = cast("QMenu | None", menu_action.menu())  # a QMenu, typed as any QObject
            if menu is not None and window.interrupted_action in menu.actions():
                menu.insertAction(window.interrupted_action, self.retry_action)

    # -- the store ----------------------------------------------------------------------------

    @property
    def store(self) -> QueueStore | None:
        """Opened on first use, for the window's profile; None when the disk refuses (said once)."""
        scope = self.window.session.transfer_scope
        if self._store is None and not self._failed_store:
            try:
                self._open_store(scope)
            except (sqlite3.Error, OSError) as exc:
                self._store_failed(exc)
        if self._store is not None and self._store.scope != scope:
            self._guard(lambda s: s.move_to(scope))  # the window switched profile: its rows go along
        return self._store

    def _open_store(self, scope: str) -> QueueStore:
        """The store, opened once on whichever thread first needs it. Opening creates the database and sets WAL
        (disk writes, 50-200 ms on a busy machine): the first flush of a window that restored nothing opens it on
        the writer thread, never the UI thread (tests/bench/bench_gui.py saw a 180 ms gap there)."""
        with self._opening:
            if self._store is None:
                self._store = QueueStore(scope)
            return self._store

    def _store_failed(self, exc: BaseException) -> None:
        log.warning("the queue cannot be kept on disk: %s", exc)
        if not self._failed_store:
            self._failed_store = True
            self.window.statusBar().showMessage(
                self.tr("The list of files cannot be saved on this computer (%1); it will not come back after "
                        "a restart.").replace("%1", str(exc)))

    def _guard(self, call: Any) -> Any:
        store = self._store
        if store is None:
            return None
        try:
            return call(store)
        except (sqlite3.Error, OSError) as exc:
            self._store_failed(exc)
            return None

    # -- following the table ------------------------------------------------------------------

    def _schedule(self) -> None:
        if not self._scheduled:  # at most every FLUSH_MS, even while progress keeps coming
            self._scheduled = True
            self._timer.start(FLUSH_MS)

    def _mark(self, entry: fm.FileEntry) -> None:
        self._dirty[id(entry)] = entry
        self._schedule()

    def _inserted(self, _parent: QModelIndex | QPersistentModelIndex, first: int, last: int) -> None:
        if self._restoring:
            return
        for row in range(first, last + 1):
            entry = self.window.model.entries[row]
            self._removed.discard(entry.path)
            self._touch(entry)

    def _removing(self, _parent: QModelIndex | QPersistentModelIndex, first: int, last: int) -> None:
        for row in range(first, last + 1):
            entry = self.window.model.entries[row]
            self._dirty.pop(id(entry), None)
            self._removed.add(entry.path)
            self._edits.pop(entry.path, None)
        self._schedule()

    def _changed(self, top_left: QModelIndex, bottom_right: QModelIndex, *_roles: Any) -> None:
        """Called for every progress tick and every row of a bulk edit: a dict insert per row, nothing more."""
        entries = self.window.model.entries
        dirty = self._dirty
        for row in range(top_left.row(), min(bottom_right.row() + 1, len(entries))):
            entry = entries[row]
            dirty[id(entry)] = entry
        self._schedule()

    def _edited(self, name: str, value: Any) -> None:
        """The user typed ``value`` into ``name`` for the selected rows: an edit that a new inspection keeps."""
        kept = None if value is None or value == "" else value
        edits, dirty, forced = self._edits, self._dirty, self._forced
        for entry in self._selection():
            if entry.state in _EDITABLE:
                edits.setdefault(entry.path, {})[name] = kept
                dirty[id(entry)] = entry
                forced.add(id(entry))
        self._schedule()

    def _snapshot(self, entry: fm.FileEntry) -> QueuedFile:
        values = dict(entry.values)
        return QueuedFile(path=entry.path, state=entry.state, values=values,
                          edits=dict(self._edits.get(entry.path, {})), warnings=tuple(entry.warnings),
                          key=entry.key, message=entry.message, sha256=str(values.get("sha256") or ""),
                          uploader=str(values.get("uploader") or ""))

    @staticmethod
    def _signature(entry: fm.FileEntry) -> tuple[Any, ...]:
        """Cheap: what tells a row worth writing from a progress tick. Values changed in place (the form, an
        inspection, an upload's SHA-256) are marked by :meth:`_touch`."""
        return entry.state, entry.key, entry.message, len(entry.values), len(entry.warnings)

    def _touch(self, entry: fm.FileEntry) -> None:
        self._forced.add(id(entry))
        self._mark(entry)

    def flush(self) -> int:
        """Hand every row that changed since the last flush to the writer thread; returns how many. The GUI
        thread only copies the rows (a few microseconds each); JSON and SQLite happen on the writer."""
        self._timer.stop()
        self._scheduled = False
        if len(self._dirty) > FLUSH_AT_ONCE:  # the rest on the next turn, after the window had its go
            rows = list(self._dirty.items())
            taken, self._dirty = dict(rows[:FLUSH_AT_ONCE]), dict(rows[FLUSH_AT_ONCE:])
            forced = {key for key in self._forced if key in taken}
            self._forced -= forced
            dirty = list(taken.values())
            self._scheduled = True
            self._timer.start(0)
        else:
            dirty, forced = list(self._dirty.values()), set(self._forced)
            self._dirty.clear()
            self._forced.clear()
        removed = set(self._removed)
        self._removed.clear()
        if self._write_error is not None:
            self._store_failed(self._write_error)
        if self._failed_store:
            return 0
        scope = self.window.session.transfer_scope
        store = self.store if self._store is not None else None  # not open yet: the writer opens it
        for path in removed:
            self._saved.pop(path, None)
        live = set(map(id, self.window.model.entries))
        changed: list[QueuedFile] = []
        for entry in dirty:
            if id(entry) not in live or entry.state in _NOT_KEPT:
                continue
            signature = self._signature(entry)
            if id(entry) in forced or self._saved.get(entry.path) != signature:
                self._saved[entry.path] = signature
                changed.append(self._snapshot(entry))
        if changed or removed:
            self._writes = [w for w in self._writes if not w.done()]
            self._writes.append(self._writer.submit(self._write, store, scope, removed, changed))
        return len(changed)

    def _write(self, store: QueueStore | None, scope: str, removed: set[Path], changed: list[QueuedFile]) -> None:
        """On the writer thread, in the order the flushes came (opening the store first if no one has)."""
        try:
            if store is None:
                store = self._open_store(scope)
            if removed:
                store.remove(removed)
            if changed:
                store.save(changed)
        except (sqlite3.Error, OSError) as exc:
            self._write_error = exc

    @property
    def pending(self) -> bool:
        """True while changes wait for the next flush or for the writer."""
        return bool(self._dirty or self._removed) or any(not w.done() for w in self._writes)

    def wait(self, timeout: float = 10.0) -> None:
        """Flush, and wait until the writer has written everything (closing the window). Its thread then ends (a
        closed window keeps no thread idle; the next flush starts a new one)."""
        self.flush()
        while self._dirty:
            self.flush()
        for write in list(self._writes):
            write.result(timeout)
        writer, self._writer = self._writer, ThreadPoolExecutor(max_workers=1, thread_name_prefix="queue-writer")
        self._writers[:] = [self._writer]
        writer.shutdown(wait=False)  # nothing is queued: its thread ends at once

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.wait()
        return False

    # -- the next start -----------------------------------------------------------------------

    def restore(self) -> int:
        """Bring back the rows kept for this profile (rows already in the table stay as they are)."""
        store = self.store
        rows = self._guard(lambda s: s.rows()) if store is not None else None
        if not rows:
            return 0
        window = self.window
        model = window.model
        schema = window.session.schema
        names = set(schema.names)
        known = {e.path for e in model.entries}
        added: list[fm.FileEntry] = []
        for kept in rows:  # one pass, one insertion: a queue of thousands comes back at once
            if kept.path in known:
                continue
            known.add(kept.path)
            entry = fm.FileEntry(path=kept.path, values={k: v for k, v in kept.values.items() if k in names},
                                 key=kept.key, warnings=list(kept.warnings))
            if kept.edits:
                self._edits[kept.path] = {k: v for k, v in kept.edits.items() if k in names}
            state, message = kept.state, kept.message
            if state == fm.UPLOADING:
                state = fm.INTERRUPTED
                message = self.tr("Interrupted when the app stopped: it resumes where it stopped once you choose "
                                  "Resume all (Uploads ▸ Interrupted uploads…)")
            if state in _NEEDS_FILE and not kept.path.is_file():
                state, message = fm.FAILED, self.tr("The file is no longer at %1: add it again from where it is "
                                                    "now.").replace("%1", str(kept.path))
            elif state in (fm.READY, fm.INVALID):  # the window's rule, with today's schema and rules
                problems = schema.problems(entry.values, window.language) + [
                    p.text for p in window.session.rules.problems(
                        {k: v for k, v in entry.values.items() if v is not None})]
                state, message = (fm.INVALID if problems else fm.READY), "\n".join(problems)
            entry.state, entry.message = state, message
            self._saved[kept.path] = self._signature(entry)
            added.append(entry)
        if added:
            self._restoring = True  # rows as they are on disk already: nothing to write
            try:
                model.add_entries(added)
            finally:
                self._restoring = False
        for entry in added:
            if entry.state == fm.INSPECTING:  # the app stopped before its inspection ended
                self.inspect(entry)
        pending = any(e.state == fm.PENDING for e in added)
        window.drop_hint.setVisible(not window.model.entries)
        if pending:  # their verdicts are asked for once logged in (asking before would only fail)
            self._verdicts_after_login.start()
        restored = len(added)
        if not restored:
            return 0
        window.statusBar().showMessage(self.tr("%1 file(s) from last time are back in the list.")
                                       .replace("%1", str(restored)))
        self.restored.emit(restored)
        return restored

    def _ask_verdicts(self) -> None:
        window = self.window
        if window.identity is None:
            return
        self._verdicts_after_login.stop()
        if not window.status_timer.isActive():
            window.status_timer.start()
        window.refresh_status()

    # -- inspection ---------------------------------------------------------------------------

    def _preview(self, entry: fm.FileEntry) -> None:
        """A restored row has its values but no preview: read the file for it when the row is looked at (the
        values stay as they are)."""
        if entry.path in self._previewing or not entry.path.is_file():  # once per file and run
            return
        self._previewing.add(entry.path)

        def shown(inspection: Inspection, e: fm.FileEntry = entry) -> None:
            e.preview, e.details = inspection.preview, inspection.details
            selected = self._selection()
            if len(selected) == 1 and selected[0] is e:
                self.window.preview.show_preview(e.preview, source_of(e))

        self.window._run(self.window.session.inspect, entry.path, on_done=shown,  # noqa: SLF001
                         on_failed=lambda _t, _m: None)  # tried once: Inspect again says why

    def inspect(self, entry: fm.FileEntry) -> None:
        """Inspect ``entry``'s file (again) on a worker; the user's edits are put back over the result."""
        window = self.window
        entry.state = fm.INSPECTING
        window.model.changed(entry)
        window._run(window.session.prepare, entry.path,  # noqa: SLF001 - the window's worker pool
                    on_done=lambda r, e=entry: window._inspected(e, r),  # noqa: SLF001
                    on_failed=lambda t, m, e=entry: self.inspection_failed(e, t, m))

    def retry_inspection(self) -> None:
        for entry in self.window.selected_entries():
            if entry.state in (fm.READY, fm.INVALID, fm.FAILED) and not entry.key:
                self.inspect(entry)

    def inspected(self, entry: fm.FileEntry, inspection: Inspection) -> None:
        """Called by the window once it set the inspection's values: its warnings go on the row, the user's
        edits (typed before a restart, or before inspecting again) on top of the inferred values."""
        entry.warnings = [str(w) for w in inspection.warnings]
        self._touch(entry)
        kept = self._edits.get(entry.path)
        if kept:
            entry.values = QueuedFile(path=entry.path, state=entry.state, edits=kept).applied_to(entry.values)

    def inspection_failed(self, entry: fm.FileEntry, title: str, message: str) -> None:
        """The file could not be read for its metadata: it can still be uploaded with metadata typed by hand
        (the schema's defaults to start from), and inspected again (:attr:`retry_action`)."""
        window = self.window
        if entry not in window.model:
            return
        try:
            nothing_to_send = entry.path.stat().st_size == 0 or not entry.path.is_file()
        except OSError:
            nothing_to_send = True
        if nothing_to_send:  # gone, empty, not a file: no metadata makes it worth uploading (Inspect again later)
            window._set_state(entry, fm.FAILED, f"{title}: {message}")  # noqa: SLF001
            return
        entry.warnings = [self.tr("Could not infer the metadata (%1: %2). Type it in by hand, or use Inspect "
                              "again.").replace("%1", title).replace("%2", message)]
        if not entry.values:
            entry.values = window.session.schema.defaults()
        kept = self._edits.get(entry.path)
        if kept:
            entry.values = QueuedFile(path=entry.path, state=entry.state, edits=kept).applied_to(entry.values)
        entry.state = fm.INSPECTING
        window._revalidate(entry)  # noqa: SLF001 - ready or to fix, as for any file
        if any(e is entry for e in self._selection()):
            window._selection_changed()  # noqa: SLF001 - the form becomes editable

    # -- what the row says after its upload ---------------------------------------------------

    def uploaded(self, entry: fm.FileEntry, result: Any) -> None:
        """The object's key, SHA-256 and uploader go into the row's values, where the form shows them."""
        sha256 = str(getattr(result, "sha256", "") or "")
        if not sha256 and entry.key:
            record = self.window.session.history.latest(entry.key)
            sha256 = record.sha256 if record is not None else ""
        if sha256:
            entry.values["sha256"] = sha256
        identity = self.window.identity
        if identity is not None:
            entry.values["uploader"] = identity.username
        self._touch(entry)

    def outcome(self, outcome: Any) -> None:
        """A finished upload's outcome (a resumed one's comes after its row moved on)."""
        from planet_gui.core.transfer import FileState
        from planet_gui.qt.error_titles import error_title, window_message

        entry = self.window.model.entry_by_path(outcome.path)
        if entry is None:
            return
        if outcome.ok:
            entry.key = outcome.key or entry.key
            self.uploaded(entry, outcome)
        elif entry.state == fm.SKIPPED and outcome.error is not None:
            # the engine's progress message for a skipped file is the CLI's (it names --rename)
            entry.message = f"{error_title(outcome.error)}: {window_message(outcome.error)}"
        elif outcome.state is FileState.CANCELLED and outcome.error is None:
            entry.message = self.tr("The upload was cancelled; nothing of it is left on the server.")
        self.window.model.changed(entry)

    def discarded(self, paths: set[Path]) -> None:
        """Interrupted uploads the user discarded: their rows can be submitted again."""
        for entry in self.window.model.entries:
            if entry.path in paths and entry.state == fm.INTERRUPTED:
                entry.state, entry.key = fm.INSPECTING, ""
                self.window._revalidate(entry)  # noqa: SLF001

    # -- notes above the form -----------------------------------------------------------------

    def _notes_later(self, *_args: Any) -> None:
        if not self._notes_due:
            self._notes_due = True
            self._notes_timer.start()

    def _selection_changed(self, *_args: Any) -> None:
        self._selected = None
        self._notes_later()

    def _selection(self) -> list[fm.FileEntry]:
        """The window's selected rows, kept until the selection or the rows change: a bulk edit asks once per
        keystroke, and the window's answer (through any sorting of the table) costs ~0.1 ms a row."""
        if self._selected is None:
            self._selected = self.window.selected_entries()
        return self._selected

    def show_notes(self, *_args: Any) -> None:
        """The selected file's warnings, and once uploaded its key, SHA-256 and uploader."""
        self._notes_due = False
        selected = self._selection()
        text = row_notes(selected[0]) if len(selected) == 1 else ""
        if len(selected) == 1 and selected[0].preview is None and selected[0].state != fm.INSPECTING:
            self._preview(selected[0])
        if len(selected) > 1:
            warned = sum(1 for e in selected if e.warnings)
            text = self.tr("%1 of the selected files have warnings.").replace("%1", str(warned)) if warned else ""
        if text != self.notes.text():
            self.notes.setText(text)
        self.notes.setVisible(bool(text))

