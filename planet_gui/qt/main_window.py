"""The main window: drop files, review and edit what was inferred, submit, watch the verdicts; resume what an
earlier run left unfinished; watch a folder for new deliveries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planet_gui.core.auth.logout import LogoutResult
from planet_gui.core.auth.tokens import Identity
from planet_gui.core.errors import NotLoggedIn, PlanetError
from planet_gui.core.listing import expand_paths
from planet_gui.core.profile import import_profile, list_profiles, load_profile
from planet_gui.core.session import Session
from planet_gui.core.status import ObjectStatus, State
from planet_gui.core.transfer import FileState, TransferUpdate, UploadOutcome
from planet_gui.core.transfer.watch import WatchEvent, WatchEventKind
from planet_gui.qt import files_model as fm
from planet_gui.qt import resume_offer, sandbox_ui
from planet_gui.qt.conflicts import ConflictAsker
from planet_gui.qt.error_titles import error_title
from planet_gui.qt.login_dialog import LoginDialog
from planet_gui.qt.metadata_form import MetadataForm
from planet_gui.qt.preview import PreviewPane
from planet_gui.qt.queue_persist import QueuePersistence, window_message
from planet_gui.qt.resume_offer import InterruptedUpload, ResumeOfferDialog
from planet_gui.qt.template_dialog import SaveTemplateDialog
from planet_gui.qt.watch_panel import WatchPanel
from planet_gui.qt.workers import Worker, Workers

STATUS_POLL_MS = 1500
WATCH_STOP_WAIT = 10.0  # seconds closing the window waits for the watcher's current look at its folder


_IMPORT_PROFILE = "import-profile"  # the profile list's last item: not a path


class MainWindow(QMainWindow):
    status_refreshed = Signal()
    paths_added = Signal(int)  # rows added by one add_paths call, once its folders are listed

    def __init__(self, session: Session, language: str = "en") -> None:
        super().__init__()
        self.session = session
        self.language = language
        self.identity: Identity | None = None
        self.confirm_box: QMessageBox | None = None
        self.error_box: QMessageBox | None = None
        self.first_run_box: QMessageBox | None = None
        self.login_dialog: LoginDialog | None = None
        self.resume_dialog: ResumeOfferDialog | None = None
        self.template_dialog: SaveTemplateDialog | None = None
        self._offered: set[str] = set()  # profiles whose interrupted uploads were offered at log-in
        self._overall_text = ""  # the last "Uploading…" line shown, cleared once no upload runs
        self._watch_error = False  # the watcher stopped because it failed
        self._status_busy = False
        self._workers = Workers()
        self.setWindowTitle(self.tr("PLANET Uploader") + f" — {session.profile.name}")
        self.setAcceptDrops(True)
        self.resize(1100, 680)

        self.model = fm.FilesModel(session.schema, language)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # the file name gets the room: one line per file, shortened in the middle so the end and the extension
        # stay (the whole path is the tooltip); the short columns get what their words need
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        for column, width in (("category", 95), ("format", 65), ("record_count", 75)):
            self.table.setColumnWidth(fm.FilesModel.COLUMNS.index(column), width)
        self.table.setColumnWidth(fm.FilesModel.COLUMNS.index("status"), 190)  # "uploading 42% · 3.1 MB/s…"
        self.table.verticalHeader().setVisible(False)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.drop_hint = QLabel(self.tr("Drop files or folders here, or use Add files…"))
        self.drop_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_hint.setStyleSheet("color: #666; padding: 8px;")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.drop_hint)
        left_layout.addWidget(self.table)

        self.form = MetadataForm(session.schema, language)
        self.form.edited.connect(self._field_edited)
        # above the tabs, never below the fold of the form: why the selected file failed or waits
        self.problems_label = QLabel("")
        self.problems_label.setObjectName("problems")
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #c62828;")
        self.problems_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems_label.hide()
        form_page = QWidget()
        form_layout = QVBoxLayout(form_page)
        self.template_action = QAction(self.tr("Save as template…"), self)
        self.template_action.setToolTip(self.tr("Keep these values for a watched folder's new files"))
        self.template_action.setEnabled(False)
        self.template_action.triggered.connect(self.save_as_template)
        template_button = QToolButton()
        template_button.setDefaultAction(self.template_action)
        form_layout.addWidget(self.form)
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
        right_layout.addWidget(self.problems_label)
        right_layout.addWidget(self.tabs, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([560, 540])
        self.setCentralWidget(splitter)

        toolbar = self.addToolBar(self.tr("Main"))
        toolbar.setMovable(False)
        self.login_action = QAction(self.tr("Log in"), self)
        self.login_action.triggered.connect(self.toggle_login)
        self.add_action = QAction(self.tr("Add files…"), self)
        self.add_action.triggered.connect(self.choose_files)
        self.remove_action = QAction(self.tr("Remove"), self)
        self.remove_action.triggered.connect(self.remove_selected)
        self.submit_action = QAction(self.tr("Submit"), self)
        self.submit_action.triggered.connect(self.submit)
        self.pause_action = QAction(self.tr("Pause uploads"), self)
        self.pause_action.setCheckable(True)
        self.pause_action.toggled.connect(self.set_paused)
        for action in (self.add_action, self.remove_action, self.submit_action, self.pause_action, self.login_action):
            toolbar.addAction(action)
        self.user_label = QLabel(self.tr("Not logged in"))
        toolbar.addSeparator()
        toolbar.addWidget(self.user_label)
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(self.tr("Profile:") + " "))
        self.profile_box = QComboBox()
        self.profile_box.setObjectName("profile_switcher")
        self._fill_profiles()
        self.profile_box.activated.connect(self._profile_chosen)
        toolbar.addWidget(self.profile_box)
        self.statusBar().showMessage(self.tr("Ready"))

        self.watch_panel = WatchPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.watch_panel)
        self.watch_panel.hide()
        self.watch_panel.start_requested.connect(self.start_watching)
        watch = self.watch_panel.watch
        watch.happened.connect(self._watch_event)
        watch.update.connect(self._transfer_update)
        watch.failed.connect(self._watch_failed)
        watch.stopped.connect(self._watch_stopped)

        uploads_menu = self.menuBar().addMenu(self.tr("&Uploads"))
        uploads_menu.addAction(self.add_action)
        uploads_menu.addAction(self.submit_action)
        uploads_menu.addSeparator()
        self.watch_action = self.watch_panel.toggleViewAction()
        self.watch_action.setText(self.tr("Watch a folder…"))
        uploads_menu.addAction(self.watch_action)
        uploads_menu.addAction(self.template_action)
        uploads_menu.addSeparator()
        self.interrupted_action = QAction(self.tr("Interrupted uploads…"), self)
        self.interrupted_action.triggered.connect(lambda: self.check_interrupted(asked=True))
        uploads_menu.addAction(self.interrupted_action)

        self.conflicts = ConflictAsker(self)
        self._configure_transfers()

        self.status_timer = QTimer(self)
        self.status_timer.setInterval(STATUS_POLL_MS)
        self.status_timer.timeout.connect(self.refresh_status)

        # the queue kept on disk (restored by app.main), warnings and upload details on the rows
        self.queue = QueuePersistence(self)

    # -- threads -------------------------------------------------------------------------------

    def _run(self, fn: Any, *args: Any, on_done: Any, on_failed: Any, with_progress: bool = False,
             on_progress: Any = None, **kwargs: Any) -> Worker:
        return self._workers.run(fn, *args, on_done=on_done, on_failed=on_failed, with_progress=with_progress,
                                 on_progress=on_progress, **kwargs)

    # -- profiles ------------------------------------------------------------------------------

    def _fill_profiles(self) -> None:
        """The profiles in the user's config folder, plus the one in use wherever it lives, and last a way to
        import the profile file a lake's administrators give out."""
        self.profile_box.clear()
        paths = list_profiles()
        current = self.session.profile.path
        if current is not None and current not in paths:
            paths.insert(0, current)
        for path in paths:
            self.profile_box.addItem(path.stem, str(path))
        self.profile_box.insertSeparator(self.profile_box.count())
        self.profile_box.addItem(self.tr("Import profile…"), _IMPORT_PROFILE)
        sandbox_ui.decorate(self)
        if current is not None:
            self.profile_box.setCurrentIndex(max(self.profile_box.findData(str(current)), 0))

    def _profile_chosen(self, index: int) -> None:
        if self.profile_box.itemData(index) == _IMPORT_PROFILE:
            # the list shows the profile in use again while the file is chosen
            self.profile_box.setCurrentIndex(max(self.profile_box.findData(str(self.session.profile.path)), 0))
            self.import_profile()
            return
        self.switch_profile(Path(self.profile_box.itemData(index)))

    def import_profile(self) -> None:
        """Check the chosen file and keep it in the profiles folder (on a worker: it reads and writes files),
        then switch to it."""
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Import a profile"), "",
                                              self.tr("Profiles (*.toml);;All files (*)"))
        if name:
            self._run(import_profile, Path(name), on_done=self._profile_imported, on_failed=self._show_error)

    def _profile_imported(self, target: Path) -> None:
        self._fill_profiles()
        self.statusBar().showMessage(self.tr("Profile %1 imported.").replace("%1", target.stem))
        self.switch_profile(target)

    def hint_first_run(self) -> None:
        """The app started on its example profile because the user has none yet: say how to get theirs, and
        offer to import it now (not modal: the window stays usable)."""
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Welcome to PLANET Uploader"),
                          self.tr("To upload to your data lake, import the profile file its administrators gave "
                                  "you. Until then the example profile for a lake on this computer is open. "
                                  "You can import it later from the Profile list."), parent=self)
        importing = box.addButton(self.tr("Import profile…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Later"), QMessageBox.ButtonRole.RejectRole)
        box.buttonClicked.connect(lambda button: self.import_profile() if button is importing else None)
        sandbox_ui.offer_in_welcome(self, box)
        self.first_run_box = box
        box.open()

    def switch_profile(self, path: Path) -> None:
        if path == self.session.profile.path or sandbox_ui.intercept_switch(self, path):
            return
        busy = [e for e in self.model.entries if e.state in (fm.UPLOADING, fm.PENDING)]
        if busy or self.watch_panel.watch.running:
            self._show_error(self.tr("Profile not switched"),
                             self.tr("Wait until the current uploads have a verdict, and stop watching the "
                                     "folder, before switching."))
            self._fill_profiles()
            return
        try:
            profile = load_profile(path)
        except PlanetError as exc:
            self._show_error(error_title(exc), exc.message)
            self._fill_profiles()
            return
        self.switch_session(Session(profile))

    def _configure_transfers(self) -> None:
        """Conflicts are asked about in a dialog, never settled silently."""
        self.session.configure_transfers(resolver=self.conflicts)

    def set_paused(self, paused: bool) -> None:
        """Parts in flight finish; no new part leaves until resumed. Nothing is lost either way."""
        # on a worker: the first call builds the engine, which opens the journal on disk
        call = self.session.pause_uploads if paused else self.session.resume_paused_uploads
        self._run(call, on_done=lambda _r: None, on_failed=self._show_error)
        self.pause_action.setText(self.tr("Resume uploads") if paused else self.tr("Pause uploads"))

    def switch_session(self, session: Session) -> None:
        """Queued files stay; only who we are and where they go changes."""
        self.session = session
        self._configure_transfers()
        self.setWindowTitle(self.tr("PLANET Uploader") + f" — {session.profile.name}")
        self._set_identity(None)
        self._fill_profiles()
        self.restore_login()

    # -- login ---------------------------------------------------------------------------------

    def restore_login(self) -> None:
        self.user_label.setText(self.tr("Checking stored login…"))
        self._run(self.session.restore, on_done=self._set_identity,
                  on_failed=lambda _t, m: self._set_identity(None, m))

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

    def toggle_login(self) -> None:
        if self.identity is not None:
            self.watch_panel.watch.stop()  # its next delivery could not be uploaded anyway
            self._run(self.session.logout, on_done=self._logged_out, on_failed=self._show_error)
            return
        self.open_login()

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
        if self.statusBar().currentMessage() == self.tr("Looking for files…"):
            self.statusBar().clearMessage()
        added = 0
        first_new: int | None = None
        for path in files:
            row = self.model.add(path)
            if row is None:
                continue
            added += 1
            first_new = row if first_new is None else first_new
            entry = self.model.entries[row]
            self._run(self.session.inspect, path, on_done=lambda r, e=entry: self._inspected(e, r),
                      on_failed=lambda t, m, e=entry: self.queue.inspection_failed(e, t, m))
        self.drop_hint.setVisible(not self.model.entries)
        if first_new is not None and not self.table.selectionModel().hasSelection():
            self.table.selectRow(first_new)
        self.paths_added.emit(added)

    def _inspected(self, entry: fm.FileEntry, inspection: Any) -> None:
        if entry not in self.model.entries:
            return
        entry.values = self.session.initial_values(inspection)
        entry.preview = inspection.preview
        entry.details = inspection.details
        self.queue.inspected(entry, inspection)  # warnings; edits kept from before a restart
        self._revalidate(entry)
        if entry in self.selected_entries():
            self._selection_changed()

    def _revalidate(self, entry: fm.FileEntry) -> None:
        if entry.state not in (fm.INSPECTING, fm.READY, fm.INVALID):
            return
        problems = self.session.schema.problems(entry.values, self.language)
        self._set_state(entry, fm.INVALID if problems else fm.READY, "\n".join(problems))

    def _set_state(self, entry: fm.FileEntry, state: str, message: str = "") -> None:
        if entry not in self.model.entries:
            return
        entry.state = state
        entry.message = message
        self.model.changed(entry)
        selected = self.selected_entries()
        if entry in selected:
            self._show_problem(entry if len(selected) == 1 else None)

    def _show_problem(self, entry: fm.FileEntry | None) -> None:
        """The selected file's problem: why it failed, is in triage, lacks fields, or was not sent (a READY
        row keeps the reason it came back, e.g. already in the lake). Progress and success stay in the table."""
        text = entry.message if entry is not None and entry.state in (fm.INVALID, fm.TRIAGE, fm.FAILED, fm.READY) \
            else ""
        self.problems_label.setText(text)
        self.problems_label.setVisible(bool(text))

    def selected_entries(self) -> list[fm.FileEntry]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.entries[r] for r in rows if r < len(self.model.entries)]

    def select_rows(self, rows: list[int]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row in rows:
            selection.select(self.model.index(row, 0), flags)

    def _selection_changed(self, *_args: Any) -> None:
        entries = [e for e in self.selected_entries() if e.state != fm.INSPECTING]
        self.form.show_values([e.values for e in entries])
        editable = all(e.state in (fm.READY, fm.INVALID) for e in entries)
        self.form.setEnabled(bool(entries) and editable)
        self._show_problem(entries[0] if len(entries) == 1 else None)
        self.preview.show_preview(entries[0].preview if entries else None)
        self.template_action.setEnabled(any(e.values for e in entries))

    def _field_edited(self, name: str, value: Any) -> None:
        for entry in self.selected_entries():
            if value is None or value == "":
                entry.values.pop(name, None)
            else:
                entry.values[name] = value
            self._revalidate(entry)
            self.model.changed(entry)

    def remove_selected(self) -> None:
        for entry in self.selected_entries():
            if entry.state == fm.UPLOADING:  # removing a file being uploaded cancels its upload on the server
                self._run(self.session.cancel_upload, entry.path, on_done=lambda _r: None, on_failed=self._show_error)
        rows = [self.model.row_of(e) for e in self.selected_entries() if e.state != fm.UPLOADING]
        self.model.remove_rows(rows)
        self.drop_hint.setVisible(not self.model.entries)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        """The watcher stops, uploads still running stop where they are; the journal resumes them next time."""
        self.watch_panel.watch.stop()
        self.watch_panel.watch.join(WATCH_STOP_WAIT)
        self.session.stop_uploads()
        super().closeEvent(event)

    # -- submit --------------------------------------------------------------------------------

    def submit(self) -> None:
        if self.identity is None:
            self._show_error(self.tr("Not logged in"), self.tr("Please log in before submitting files."))
            return
        chosen = self.selected_entries() or self.model.entries
        ready = [e for e in chosen if e.state == fm.READY]
        blocked = [e for e in chosen if e.state == fm.INVALID]
        if not ready:
            self._show_error(self.tr("Nothing to submit"),
                             self.tr("No selected file is ready: fill in the required fields first."))
            return
        lines = "\n".join(f"• {e.path.name} → {self.session.object_key(e.path, e.values)}" for e in ready)
        text = self.tr("Upload %1 file(s) to the data lake?").replace("%1", str(len(ready))) + "\n\n" + lines
        if blocked:
            text += "\n\n" + self.tr("%1 file(s) with missing fields stay here.").replace("%1", str(len(blocked)))
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Confirm upload"), text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda result, entries=ready: self._confirmed(result, entries))
        self.confirm_box = box
        box.open()

    def _confirmed(self, result: int, entries: list[fm.FileEntry]) -> None:
        self.confirm_box = None
        if result != QMessageBox.StandardButton.Yes:
            return
        for entry in entries:
            entry.key = self.session.object_key(entry.path, entry.values)
            self._set_state(entry, fm.UPLOADING)

            def upload(report: Any, e: fm.FileEntry = entry) -> Any:
                from planet_gui.core.transfer import ConflictPolicy

                return self.session.upload(e.path, dict(e.values), conflict=ConflictPolicy.ASK, on_update=report)

            worker = self._run(upload, with_progress=True, on_done=lambda r, e=entry: self._uploaded(e, r),
                               on_failed=lambda _t, _m: None, on_progress=lambda p, e=entry: self._progress(e, p))
            worker.signals.raised.connect(lambda exc, e=entry: self._upload_failed(e, exc))
        self._selection_changed()

    def _upload_failed(self, entry: fm.FileEntry, error: PlanetError) -> None:
        from planet_gui.core.transfer.conflicts import AlreadyInLake

        if isinstance(error, AlreadyInLake):  # the user chose to skip it: it stays here, ready
            self._set_state(entry, fm.READY, f"{error_title(error)}: {window_message(error)}")
            return
        if isinstance(error, NotLoggedIn):
            # the login ended: keep the file queued, ready to submit again once logged in
            entry.state = fm.READY
            self._set_state(entry, fm.READY, f"{error_title(error)}: {window_message(error)}")
            if self.identity is not None:
                self._set_identity(None, window_message(error))
                self.open_login()
            return
        self._set_state(entry, fm.FAILED, f"{error_title(error)}: {window_message(error)}")

    def _progress(self, entry: fm.FileEntry, update: Any) -> None:
        """Per file: fraction, rate, time left; overall in the status bar."""
        progress = update.file
        entry.progress = progress.fraction
        entry.rate = progress.rate
        entry.eta = progress.eta
        if entry in self.model.entries:
            self.model.changed(entry)
        self._show_overall(update.overall)

    def _show_overall(self, overall: Any) -> None:
        """All uploads at once in the status bar; cleared when none runs (no stale "Uploading…")."""
        running = overall.files - overall.finished
        if not running:
            if self.statusBar().currentMessage() == self._overall_text:
                self.statusBar().clearMessage()
            return
        if overall.total:
            text = self.tr("Uploading %1 file(s): %2").replace("%1", str(running)) \
                .replace("%2", f"{overall.done / overall.total:.0%}")
            if overall.rate > 0:
                text += f" · {fm.human_rate(overall.rate)}"
            self._overall_text = text
            self.statusBar().showMessage(text)

    def _uploaded(self, entry: fm.FileEntry, result: Any) -> None:
        entry.key = result.key
        self.queue.uploaded(entry, result)  # SHA-256 and uploader into the row
        self._set_state(entry, fm.PENDING, self.tr("Waiting for the server's validation"))
        if not self.status_timer.isActive():
            self.status_timer.start()

    # -- uploads started outside the submit path: resumed ones, a watched folder's --------------

    def _transfer_update(self, update: TransferUpdate) -> None:
        """The engine's word on a file the table knows by path: progress, then where it ended."""
        progress = update.file
        entry = self.model.entry_by_path(progress.path)
        if entry is None or entry.state not in (fm.UPLOADING, fm.WAITING):
            return  # not ours, or already past its upload (a late update)
        if progress.state.finished:
            self._show_overall(update.overall)
        if progress.state is FileState.DONE:
            self._uploaded(entry, progress)
        elif progress.state in (FileState.FAILED, FileState.CANCELLED):
            self._set_state(entry, fm.FAILED, progress.message)
        elif progress.state is FileState.SKIPPED:
            self._set_state(entry, fm.SKIPPED, progress.message)
        else:
            entry.key = progress.key
            if entry.state != fm.UPLOADING:
                self._set_state(entry, fm.UPLOADING, progress.message)
            self._progress(entry, update)

    def _outcome(self, outcome: UploadOutcome) -> None:
        """A finished upload's result, which names the error (title and message) that an update cannot."""
        entry = self.model.entry_by_path(outcome.path)
        if entry is None:
            return
        self.queue.outcome(outcome)
        if outcome.ok and entry.state == fm.UPLOADING:
            self._uploaded(entry, outcome)
        elif outcome.error is not None and entry.state in (fm.UPLOADING, fm.FAILED):
            self._set_state(entry, fm.FAILED, f"{error_title(outcome.error)}: {window_message(outcome.error)}")

    # -- interrupted uploads -------------------------------------------------------------------

    def check_interrupted(self, *, asked: bool = False) -> None:
        """Offer the profile's interrupted uploads, found on a worker (the journal is on disk). At log-in this
        happens once per profile; asked from the menu, it always answers."""
        session = self.session
        if not asked:
            if session.transfer_scope in self._offered:
                return
            self._offered.add(session.transfer_scope)
        on_failed = self._show_error if asked else lambda t, m: self.statusBar().showMessage(f"{t}: {m}")
        self._run(resume_offer.find_interrupted, session, on_failed=on_failed,
                  on_done=lambda found: self._offer_interrupted(session, found, asked))

    def _offer_interrupted(self, session: Session, found: list[InterruptedUpload], asked: bool) -> None:
        if session is not self.session or self.resume_dialog is not None:
            return  # another profile by now, or the offer is on screen already
        recovered = session.transfers.journal.recovered  # an unreadable journal was moved aside: say so
        if recovered:
            self.statusBar().showMessage(recovered)
        if not found:
            if asked:
                self.statusBar().showMessage(self.tr("No interrupted uploads."))
            return
        dialog = ResumeOfferDialog(found, self)
        dialog.chosen.connect(lambda choice: self._interrupted_choice(choice, found))
        self.resume_dialog = dialog
        dialog.open()

    def _interrupted_choice(self, choice: str, found: list[InterruptedUpload]) -> None:
        self.resume_dialog = None
        if choice == resume_offer.RESUME:
            self.resume_interrupted(found)
        elif choice == resume_offer.DISCARD:
            self._run(self.session.discard_unfinished_uploads, on_done=self._discarded, on_failed=self._show_error)
        else:
            self.statusBar().showMessage(self.tr("Interrupted uploads wait; Uploads ▸ Interrupted uploads… "
                                                 "offers them again."))

    def resume_interrupted(self, found: list[InterruptedUpload]) -> None:
        """Each interrupted file becomes (or reuses) a row that shows its upload like a submitted one."""
        if self.identity is None:
            self._show_error(self.tr("Not logged in"), self.tr("Please log in before resuming uploads."))
            return
        names = set(self.session.schema.names)
        for upload in found:
            entry = self.model.entry_for(upload.path)
            if entry.state in (fm.UPLOADING, fm.PENDING):
                continue  # submitted again meanwhile
            entry.values = {k: v for k, v in upload.entry.values.items() if k in names}
            entry.key = upload.entry.key
            entry.progress = upload.fraction
            entry.rate, entry.eta = 0.0, None
            self._set_state(entry, fm.UPLOADING, self.tr("Resuming where it stopped"))
        self.drop_hint.setVisible(not self.model.entries)
        self._selection_changed()
        session = self.session
        self._run(lambda report: session.resume_uploads(on_update=report), with_progress=True,
                  on_progress=self._transfer_update, on_done=self._resumed,
                  on_failed=lambda t, m: self._resume_failed(found, t, m))

    def _resumed(self, outcomes: list[UploadOutcome]) -> None:
        for outcome in outcomes:
            self._outcome(outcome)
        done = sum(1 for o in outcomes if o.ok)
        self.statusBar().showMessage(self.tr("Resumed %1 of %2 interrupted upload(s).")
                                     .replace("%1", str(done)).replace("%2", str(len(outcomes))))

    def _resume_failed(self, found: list[InterruptedUpload], title: str, message: str) -> None:
        for upload in found:
            entry = self.model.entry_by_path(upload.path)
            if entry is not None and entry.state == fm.UPLOADING:
                self._set_state(entry, fm.FAILED, f"{title}: {message}")
        self._show_error(title, message)

    def _discarded(self, entries: list[Any]) -> None:
        self.queue.discarded({Path(e.path) for e in entries})
        self.statusBar().showMessage(self.tr("Discarded %1 interrupted upload(s); nothing of them is left on the "
                                             "server.").replace("%1", str(len(entries))))

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
        if entry in self.selected_entries():
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
        dialog = SaveTemplateDialog(self.session.schema, [e.values for e in entries], self.language, self)
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
        for status in statuses:
            entry = self.model.entry_by_key(status.key)
            if entry is None:
                continue
            if status.state is State.VALIDATED:
                self._set_state(entry, fm.VALIDATED, self.tr("Accepted into %1").replace("%1", status.bucket or ""))
            elif status.state is State.TRIAGE:
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

