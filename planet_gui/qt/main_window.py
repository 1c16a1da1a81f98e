"""The main window: drop files, review and edit what was inferred, submit, watch the verdicts; resume what an
earlier run left unfinished; watch a folder for new deliveries.

Its parts live in small modules: the actions and menus (:mod:`.window_actions`), the uploads
(:mod:`.window_uploads`, through the bridge in :mod:`.uploads`), the confirmation (:mod:`.confirm_dialog`), the
file list's sorting and filtering (:mod:`.files_view`), the problem banner (:mod:`.banner`)."""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planet_gui.core.session import Session
from planet_gui.core.tracking import RowState, from_lake, from_problems
from planet_gui.core.transfer.watch import WatchEventKind
from planet_gui.qt import files_model as fm
from planet_gui.qt import my_uploads
from planet_gui.qt.banner import ProblemBanner
from planet_gui.qt.conflicts import ConflictAsker
from planet_gui.qt.field_checks import FieldChecks
from planet_gui.qt.files_view import FilesProxy, FilterBar, make_table
from planet_gui.qt.inspections import Inspections
from planet_gui.qt.login_dialog import LoginDialog
from planet_gui.qt.metadata_form import DESTINATION, MetadataForm
from planet_gui.qt.preview import PreviewPane, source_of
from planet_gui.qt.privacy_panel import PrivacyPanel
from planet_gui.qt.queue_persist import QueuePersistence
from planet_gui.qt.resume_offer import ResumeOfferDialog
from planet_gui.qt.template_dialog import SaveTemplateDialog
from planet_gui.qt.uploads import UploadBridge
from planet_gui.qt.watch_panel import WatchPanel
from planet_gui.qt.window_actions import Actions
from planet_gui.qt.window_files import FilesMixin
from planet_gui.qt.window_profiles import ProfilesMixin
from planet_gui.qt.window_uploads import UploadsMixin
from planet_gui.qt.workers import Worker, Workers

if TYPE_CHECKING:
    from planet_gui.core.auth.logout import LogoutResult
    from planet_gui.core.auth.tokens import Identity
    from planet_gui.core.status import ObjectStatus
    from planet_gui.core.transfer import TransferJob
    from planet_gui.core.transfer.watch import WatchEvent
    from planet_gui.qt.confirm_dialog import (
        ConfirmDialog,  # only named in annotations: the window paints before their modules load (core/lazy.py)
    )

STATUS_POLL_MS = 1500
WATCH_STOP_WAIT = 10.0  # seconds closing the window waits for the watcher's current look at its folder
COUNTS_DELAY_MS = 150  # the status bar's counts follow changes at most this often
FIRST_PAINT_WAIT_MS = 500  # what waits for the first paint (the stored login check) waits at most this long
#: how long a thread holds the GIL before another that waits gets it (Python's default: 5 ms). The UI thread gives
#: the GIL up at many Qt calls; with readers and uploads running, each wait for it back cost up to 5 ms per waiting
#: thread, and a slot of a dozen Qt calls stalled the window for 100 ms and more (tests/bench/bench_gui.py)
UI_SWITCH_INTERVAL = 0.0005


_EDITABLE = (fm.READY, fm.INVALID)


class MainWindow(FilesMixin, ProfilesMixin, UploadsMixin, QMainWindow):
    status_refreshed = Signal()
    form_edited = Signal(str, object)  # the on-screen form's edited(name, value); value: any schema type
    paths_added = Signal(int)  # rows added by one add_paths call, once its folders are listed
    actions: Actions  # type: ignore[assignment]  # the window's actions, in place of QWidget.actions()

    def __init__(self, session: Session, language: str = "en") -> None:
        super().__init__()
        self.session = session
        self.language = language
        self.identity: Identity | None = None
        self.confirm_box: ConfirmDialog | None = None
        self.error_box: QMessageBox | None = None
        self.first_run_box: QMessageBox | None = None
        self.logout_box: QMessageBox | None = None
        self.help_box: QMessageBox | None = None
        self.login_dialog: LoginDialog | None = None
        self.resume_dialog: ResumeOfferDialog | None = None
        self.template_dialog: SaveTemplateDialog | None = None
        self.rate_dialog: Any = None
        self._offered: set[str] = set()  # profiles whose interrupted uploads were offered at log-in
        self._overall_text = ""  # the last "Uploading…" line shown, cleared once no upload runs
        self._watch_error = False  # the watcher stopped because it failed
        self._status_busy = False
        self._rate_pending = False  # a bandwidth cap waits for the running uploads to end
        self._jobs: dict[int, TransferJob] = {}  # our jobs whose outcome is still to be fetched
        self._selected: list[fm.FileEntry] = []
        self._selected_set: set[fm.FileEntry] = set()
        self._checks: FieldChecks | None = None
        self._adding: deque[tuple[deque[Path], list[int]]] = deque()  # each add_paths call's files still to add
        self._workers = Workers(self)
        sys.setswitchinterval(min(sys.getswitchinterval(), UI_SWITCH_INTERVAL))
        #: added files are read on threads of their own, their results reach the table in batches
        self.inspections = Inspections(lambda path: self.session.prepare(path),
                                       lambda entry: entry in self.model and entry.state == fm.INSPECTING,
                                       self._inspections_done, self,
                                       finish=lambda path, inspection: self.session.review(
                                           path, self.session.initial_values(inspection), inspection=inspection))
        self.setWindowTitle(self.tr("PLANET Uploader") + f" — {session.profile.name}")
        self.setAcceptDrops(True)
        self.resize(1100, 680)

        self.model = fm.FilesModel(session.schema, language)
        self.proxy = FilesProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = make_table(self.proxy)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.rowsRemoved.connect(self._selection_changed)
        self.filter_bar = FilterBar(self.proxy)
        self.filter_bar.changed.connect(self._selection_changed)
        self.drop_hint = QLabel(self.tr("Drop files or folders here, or use Add files…"))
        self.drop_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_hint.setStyleSheet("color: #666; padding: 8px;")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.filter_bar)
        left_layout.addWidget(self.drop_hint)
        left_layout.addWidget(self.table)
        left.setMinimumWidth(fm.MIN_LIST_WIDTH)  # the file names keep some room however the window is split

        self.form = MetadataForm(session.schema, language,
                                 destinations=[place.name for place in session.profile.places])
        self.form.edited.connect(self.form_edited)  # the window's signal: it outlives a form rebuilt for a schema
        self.form_edited.connect(self._field_edited)
        # above the tabs, never below the fold of the form, and in a room of its own: why the selected file
        # failed or waits
        self.banner = ProblemBanner()
        self.problems_label = self.banner.label
        self.bridge = UploadBridge(self)
        #: the session whose uploads the bridge follows, and how to stop following it
        self._followed: tuple[Session | None, Callable[[], None] | None] = (None, None)
        self.bridge.update.connect(self._transfer_update)
        self.watch_panel = WatchPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.watch_panel)
        self.watch_panel.hide()
        self.actions = Actions(self)
        self.login_action, self.add_action, self.remove_action = (self.actions.login, self.actions.add,
                                                                  self.actions.remove)
        self.submit_action, self.pause_action, self.template_action = (self.actions.submit, self.actions.pause,
                                                                       self.actions.template)
        self.interrupted_action = self.actions.interrupted

        form_page = QWidget()
        form_layout = QVBoxLayout(form_page)
        template_button = QToolButton()
        template_button.setDefaultAction(self.template_action)
        form_layout.addWidget(self.form)
        self.privacy = PrivacyPanel(self)  # the selected file's personal-data findings, Pseudonymise…, Receipt…
        form_layout.addWidget(self.privacy)
        form_layout.addWidget(template_button, 0, Qt.AlignmentFlag.AlignRight)
        form_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_page)
        self.preview = PreviewPane()
        self.tabs = QTabWidget()
        self.tabs.addTab(scroll, self.tr("Metadata"))
        self.tabs.addTab(self.preview, self.tr("Preview"))

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(self.tabs, 1)
        self.splitter = QSplitter()
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([680, 420])  # the form needs about 420 px; the file names get the rest
        self.setCentralWidget(self.splitter)
        QWidget.setTabOrder(self.filter_bar.states, self.table)
        QWidget.setTabOrder(self.table, next(iter(self.form.editors.values())))  # Tab leaves the table for the form

        self._fill_profiles()
        self.profile_box.activated.connect(self._profile_chosen)
        self.counts_label = QLabel("")
        self.counts_label.setObjectName("state_counts")
        self.rate_label = QLabel("")
        self.rate_label.setObjectName("rate_limit")
        self.statusBar().addPermanentWidget(self.rate_label)
        self.statusBar().addPermanentWidget(self.counts_label)
        self.statusBar().showMessage(self.tr("Ready"))
        self._counts_timer = QTimer(self, singleShot=True, interval=COUNTS_DELAY_MS,  # type: ignore[call-arg]
                                    timeout=self._show_counts)  # properties and signals as keywords (PySide)
        self._selected_timer = QTimer(self, singleShot=True, interval=0,  # type: ignore[call-arg]
                                      timeout=self._refresh_selected)
        self._after_paint: list[Callable[[], object]] = []
        self._after_paint_timer = QTimer(self, singleShot=True, interval=FIRST_PAINT_WAIT_MS,  # type: ignore[call-arg]
                                         timeout=self._run_after_paint)
        self._add_timer = QTimer(self, singleShot=True, interval=0,  # type: ignore[call-arg]
                                 timeout=self._add_chunk)

        self.watch_panel.start_requested.connect(self.start_watching)
        watch = self.watch_panel.watch
        watch.happened.connect(self._watch_event)
        watch.failed.connect(self._watch_failed)
        watch.stopped.connect(self._watch_stopped)

        self.conflicts = ConflictAsker(self)
        self._configure_transfers()
        self._show_rate()

        self.status_timer = QTimer(self)
        self.status_timer.setInterval(STATUS_POLL_MS)
        self.status_timer.timeout.connect(self.refresh_status)

        self.notifier, self.my_uploads, self.triage_fix = my_uploads.install(self)  # past uploads, fixing triage
        # the queue kept on disk (restored by app.main), warnings and upload details on the rows
        self.queue = QueuePersistence(self)
        self._restore_layout()

    # -- threads, layout -----------------------------------------------------------------------

    def _run(self, fn: Any, *args: Any, on_done: Any, on_failed: Any, with_progress: bool = False,
             on_progress: Any = None, **kwargs: Any) -> Worker:
        return self._workers.run(fn, *args, on_done=on_done, on_failed=on_failed, with_progress=with_progress,
                                 on_progress=on_progress, **kwargs)

    def _restore_layout(self) -> None:
        """Where the user left the window, and how they split it (QSettings)."""
        settings = QSettings()
        geometry, split = settings.value("window/geometry"), settings.value("window/splitter")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if split is not None:
            self.splitter.restoreState(split)

    def _save_layout(self) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/splitter", self.splitter.saveState())

    def show_help(self) -> None:
        self.help_box = self.actions.show_help(self)

    # -- login ---------------------------------------------------------------------------------

    def restore_login(self) -> None:
        self.user_label.setText(self.tr("Checking stored login…"))
        self._run(self.session.restore, on_done=self._set_identity,
                  on_failed=lambda _t, m: self._set_identity(None, m))

    def after_first_paint(self, fn: Callable[[], object]) -> None:
        """Call ``fn`` once the window has been painted (or after :data:`FIRST_PAINT_WAIT_MS` if it is not shown).
        The stored login is checked this way at start: the worker's keyring import (~0.12 s of CPU) competed with
        the first paint for the interpreter and delayed it (tests/bench/bench_gui.py, cold start)."""
        self._after_paint.append(fn)
        if not self._after_paint_timer.isActive():
            self._after_paint_timer.start()

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if self._after_paint:
            self._after_paint_timer.start(0)  # after this paint is on screen, on the next event-loop turn

    def _run_after_paint(self) -> None:
        waiting, self._after_paint = self._after_paint, []
        for fn in waiting:
            fn()

    def _set_identity(self, identity: Identity | None, note: str = "") -> None:
        self.identity = identity
        if identity is None:
            self.user_label.setText(note or self.tr("Not logged in"))
            self.login_action.setText(self.tr("Log in"))
        else:
            groups = ", ".join(identity.groups)
            self.user_label.setText(f"{identity.name or identity.username} ({identity.username}) · {groups}")
            self.login_action.setText(self.tr("Log out"))
        if self.session.keyring_problem:
            self.statusBar().showMessage(self.session.keyring_problem)
        if identity is not None:
            self.check_interrupted()
            self._run(self.session.refresh_lake_schema, on_done=self._lake_schema_read,
                      on_failed=lambda _t, m: self.statusBar().showMessage(m))

    def toggle_login(self) -> None:
        """Log in; or, logged in, ask first: logging out stops a watched folder and needs a new login to upload."""
        if self.identity is None:
            self.open_login()
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Log out"),
                          self.tr("Log out of %1? Files in the list stay; uploading them needs a new login.")
                          .replace("%1", self.session.profile.name),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda _r: self.log_out()
                             if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes) else None)
        self.logout_box = box
        box.open()

    def log_out(self) -> None:
        self.logout_box = None
        self.watch_panel.watch.stop()  # its next delivery could not be uploaded anyway
        self._run(self.session.logout, on_done=self._logged_out, on_failed=self._show_error)

    def _logged_out(self, result: LogoutResult) -> None:
        self._set_identity(None)
        self.statusBar().showMessage(result.message)  # revoked, or removed here only: never claimed on a guess

    def open_login(self) -> LoginDialog:
        dialog = LoginDialog(self.session, self)
        dialog.logged_in.connect(self._logged_in)
        self.login_dialog = dialog
        dialog.open()
        dialog.begin()
        return dialog

    def _logged_in(self, identity: Identity) -> None:
        self._set_identity(identity)
        self.statusBar().showMessage(self.tr("Logged in as %1").replace("%1", identity.username))

    # -- files ---------------------------------------------------------------------------------

    @property
    def checks(self) -> FieldChecks:
        if self._checks is None or self._checks.schema is not self.session.schema or \
                self._checks.rules is not self.session.rules:
            self._checks = FieldChecks(self.session.schema, self.language, self.session.rules)
        return self._checks

    def _revalidate(self, entry: fm.FileEntry) -> None:
        if entry.state not in (fm.INSPECTING, fm.READY, fm.INVALID):
            return
        entry.problems = self.checks.all(entry.values)
        problems = self.checks.joined(entry.problems, entry.values)
        self._set_state(entry, from_problems(problems).value, "\n".join(problems))

    def _set_state(self, entry: fm.FileEntry, state: str, message: str = "") -> None:
        if entry not in self.model:
            return
        entry.state = state
        entry.message = message
        self.model.changed(entry)
        if entry in self._selected_set:
            if len(self._selected) == 1:
                self._show_problem(entry)
            self._selected_timer.start()  # the form follows (enabled again once the row is ready)
        self._states_changed()

    def _states_changed(self) -> None:
        """Rows changed state: the counts in the status bar follow, a moment later (one count for many)."""
        if not self._counts_timer.isActive():
            self._counts_timer.start()

    def _show_counts(self) -> None:
        self.proxy.refresh()
        counts = self.model.counts()
        parts = [self.tr("%1 file(s)").replace("%1", str(len(self.model.entries)))] if self.model.entries else []
        parts += [f"{fm.state_label(state)}: {counts[state]}" for state in fm.STATE_ORDER if counts.get(state)]
        self.counts_label.setText(" · ".join(parts))

    def _show_problem(self, entry: fm.FileEntry | None) -> None:
        """The selected file's problem: why it failed, is in triage, lacks fields, or was not sent (a READY
        row keeps the reason it came back, e.g. already in the lake). Progress and success stay in the table."""
        text = entry.message if entry is not None and entry.state in (fm.INVALID, fm.TRIAGE, fm.FAILED, fm.READY) \
            else ""
        self.problems_label.setText(text)
        self.problems_label.setVisible(bool(text))
        if entry is not None and entry.state in (fm.INVALID, fm.READY):  # the rules' problems beside their fields
            self.form.show_problems(self.checks.rule_problems(entry.values))
        elif self.triage_fix.entry is None:  # (a row being fixed shows the lake's reasons there)
            self.form.show_problems({})

    def selected_entries(self) -> list[fm.FileEntry]:
        """The selected rows that the filter shows, in the model's order."""
        rows = {self.proxy.mapToSource(index).row() for index in self.table.selectionModel().selectedRows()}
        return [self.model.entries[r] for r in sorted(rows) if 0 <= r < len(self.model.entries)]

    def select_rows(self, rows: list[int]) -> None:
        """Select rows of the model (not of the sorted, filtered view) as one change, runs of neighbours as one
        range each (a selection of a thousand single rows made every painted cell search a thousand ranges)."""
        shown = sorted(r for r in (self.proxy.mapFromSource(self.model.index(row, 0)).row() for row in rows) if r >= 0)
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        start = 0
        for i in range(1, len(shown) + 1):
            if i == len(shown) or shown[i] != shown[i - 1] + 1:
                selection.select(self.proxy.index(shown[start], 0), self.proxy.index(shown[i - 1], last))
                start = i
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().select(selection, flags)

    def _selection_changed(self, *_args: Any) -> None:
        self._selected = self.selected_entries()
        self._selected_set = set(self._selected)
        entries = [e for e in self._selected if e.state != fm.INSPECTING]
        self.form.show_values([{**e.values, DESTINATION: e.destination or self.session.profile.places[0].name}
                               for e in entries])
        self.preview.show_preview(entries[0].preview if entries else None, source_of(entries[0]) if entries else None)
        self._refresh_selected()
        self.triage_fix.selection(entries)

    def _refresh_selected(self) -> None:
        """What depends on the selected rows' states, not their values: the form editable or not, the problem,
        the actions that apply."""
        entries = [e for e in self._selected if e.state != fm.INSPECTING]
        self.form.setEnabled(bool(entries) and all(e.state in _EDITABLE for e in entries))
        self.triage_fix.keep_form_enabled(entries)
        self._show_problem(entries[0] if len(entries) == 1 else None)
        self.template_action.setEnabled(any(e.values for e in entries))
        self.actions.cancel.setEnabled(any(e.state == fm.UPLOADING for e in self._selected))
        self.actions.retry.setEnabled(any(e.state == fm.FAILED for e in self._selected))
        self.privacy.show_entries(entries)

    def _field_edited(self, name: str, value: Any) -> None:
        """One edit for every selected file: the value set, the field checked once (the value is the same for
        all), each file's problems put together again, one table update. Linear in the files selected, and
        light: a keystroke with a thousand selected stays within a frame (tests/bench/bench_gui.py)."""
        entries = [e for e in self._selected if e.state in _EDITABLE]
        if name == DESTINATION:  # where the files go: no schema field, nothing to check
            for entry in entries:
                entry.destination = str(value or "")
            return
        checks = self.checks
        problems = checks.one(name, None if value == "" else value)
        changed: list[fm.FileEntry] = []
        for entry in entries:
            if value is None or value == "":
                entry.values.pop(name, None)
            else:
                entry.values[name] = value
            if problems:
                entry.problems[name] = problems
            else:
                entry.problems.pop(name, None)
            found = checks.joined(entry.problems, entry.values)
            state = fm.INVALID if found else fm.READY
            if state != entry.state:
                changed.append(entry)
            entry.state, entry.message = state, "\n".join(found)
        # the table repaints only if it shows what changed: the field's column, or a row's state
        self.model.changed_many(entries if name in self.model.columns else changed)
        if len(entries) == 1:
            self._show_problem(entries[0])
        self._states_changed()

    def remove_selected(self) -> None:
        selected = self.selected_entries()
        for entry in selected:
            if entry.state == fm.UPLOADING:  # removing a file being uploaded cancels its upload on the server
                self._run(self.session.cancel_upload, entry.path, on_done=lambda _r: None, on_failed=self._show_error)
        self.model.remove_rows([self.model.row_of(e) for e in selected if e.state != fm.UPLOADING])
        self.drop_hint.setVisible(not self.model.entries)
        self._states_changed()

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        """The watcher stops, uploads still running stop where they are; the journal resumes them next time."""
        self._save_layout()
        self.inspections.close()
        self.watch_panel.watch.stop()
        self.watch_panel.watch.join(WATCH_STOP_WAIT)
        self.session.stop_uploads()
        super().closeEvent(event)

    # -- watched folder ------------------------------------------------------------------------

    def start_watching(self, folder: Path, template: str) -> None:
        if self.identity is None:
            self._show_error(self.tr("Not logged in"), self.tr("Please log in before watching a folder."))
            return
        self.watch_panel.watch.start(self.session, folder, template)
        self.statusBar().showMessage(self.tr("Watching %1").replace("%1", str(folder)))

    def _watch_event(self, event: WatchEvent, values: dict[str, Any]) -> None:
        """Each delivery becomes a row, like a dropped file. Files delivered before (skipped) get none unless
        the table shows them already: a restarted watcher would list the whole folder."""
        kind = event.kind
        if kind is WatchEventKind.SKIPPED:
            found = self.model.entry_by_path(event.path)
            if found is not None and found.state in (fm.WAITING, fm.UPLOADING):
                self._set_state(found, fm.SKIPPED, event.message)
            return
        entry = self.model.entry_for(event.path)
        if kind is WatchEventKind.WAITING:
            if entry.state in (fm.INSPECTING, fm.FAILED, fm.SKIPPED):  # a row being edited stays as it is
                self._set_state(entry, fm.WAITING, self.tr("Waiting until the file stops changing"))
        elif kind in (WatchEventKind.UPLOADING, WatchEventKind.RESUMING):
            entry.key = event.message
            names = set(self.session.schema.names)
            entry.values = {k: v for k, v in values.items() if k in names} or entry.values
            entry.progress, entry.rate, entry.eta = 0.0, 0.0, None
            self._set_state(entry, fm.UPLOADING)
        elif kind is WatchEventKind.UPLOADED and event.outcome is not None:
            self._outcome(event.outcome)
        elif kind is WatchEventKind.FAILED:
            if event.outcome is not None:
                self._outcome(event.outcome)
            if entry.state != fm.FAILED:
                self._set_state(entry, fm.FAILED, event.message)
        self.drop_hint.setVisible(not self.model.entries)
        if entry in self._selected_set:
            self._selection_changed()

    def _watch_failed(self, title: str, message: str) -> None:
        self._watch_error = True
        self._show_error(title, message)

    def _watch_stopped(self) -> None:
        """Files still being written when watching stopped were not delivered: their rows go; watching again
        picks them up."""
        waiting = [self.model.row_of(e) for e in self.model.entries if e.state == fm.WAITING]
        self.model.remove_rows(waiting)
        self.drop_hint.setVisible(not self.model.entries)
        if not self._watch_error:  # after a failure the error says it; "stopped" would read like a choice
            self.statusBar().showMessage(self.tr("Stopped watching the folder."))
        self._watch_error = False

    # -- templates -----------------------------------------------------------------------------

    def save_as_template(self) -> None:
        entries = [e for e in self.selected_entries() if e.state != fm.INSPECTING and e.values]
        if not entries:
            return
        places = {e.destination for e in entries} if len(self.session.profile.places) > 1 else set()
        dialog = SaveTemplateDialog(self.session.schema, [e.values for e in entries], self.language, self,
                                    destination=places.pop() or None if len(places) == 1 else None)
        dialog.saved.connect(self._template_saved)
        self.template_dialog = dialog
        dialog.open()

    def _template_saved(self, name: str) -> None:
        self.template_dialog = None
        self.watch_panel.refresh_templates(select=name)
        self.statusBar().showMessage(self.tr("Saved the template %1.").replace("%1", name))

    # -- status --------------------------------------------------------------------------------

    def refresh_status(self) -> None:
        keys = [e.key for e in self.model.entries if e.state == fm.PENDING and e.key]
        if not keys:
            self.status_timer.stop()
            return
        if self._status_busy:
            return
        self._status_busy = True
        self._run(self.session.status, keys, on_done=self._statuses, on_failed=self._status_failed)

    def _statuses(self, statuses: list[ObjectStatus]) -> None:
        self._status_busy = False
        self.notifier.from_statuses({e.key: e.state for e in self.model.entries if e.key}, statuses)
        for status in statuses:
            entry = self.model.entry_by_key(status.key)
            if entry is None:
                continue
            verdict = from_lake(status.state)
            if verdict is RowState.VALIDATED:
                self._set_state(entry, fm.VALIDATED, self.tr("Accepted into %1").replace("%1", status.bucket or ""))
            elif verdict is RowState.TRIAGE:
                self._set_state(entry, fm.TRIAGE, status.reason)
        self.status_refreshed.emit()

    def _status_failed(self, title: str, message: str) -> None:
        self._status_busy = False
        self.statusBar().showMessage(f"{title}: {message}")

    def _show_error(self, title: str, message: str) -> None:
        """Window-modal but not blocking: the event loop (and any upload) keeps running behind it."""
        self.statusBar().showMessage(f"{title}: {message}")
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self)
        self.error_box = box
        box.open()

