"""The main window: drop files, review and edit what was inferred, submit, watch the verdicts."""

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
    QVBoxLayout,
    QWidget,
)

from planet_gui.core.auth.tokens import Identity
from planet_gui.core.errors import NotLoggedIn, PlanetError
from planet_gui.core.profile import list_profiles, load_profile
from planet_gui.core.session import Session
from planet_gui.core.status import ObjectStatus, State
from planet_gui.qt import files_model as fm
from planet_gui.qt.conflicts import ConflictAsker
from planet_gui.qt.login_dialog import LoginDialog
from planet_gui.qt.metadata_form import MetadataForm
from planet_gui.qt.preview import PreviewPane
from planet_gui.qt.workers import Worker, start

STATUS_POLL_MS = 1500


def expand_paths(paths: list[Path]) -> list[Path]:
    """Folders become the files inside them (hidden ones skipped), in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and not any(
                part.startswith(".") for part in p.relative_to(path).parts)))
        else:
            found.append(path)
    return found


class MainWindow(QMainWindow):
    status_refreshed = Signal()

    def __init__(self, session: Session, language: str = "en") -> None:
        super().__init__()
        self.session = session
        self.language = language
        self.identity: Identity | None = None
        self.confirm_box: QMessageBox | None = None
        self.error_box: QMessageBox | None = None
        self.login_dialog: LoginDialog | None = None
        self._status_busy = False
        self._workers: set[Worker] = set()
        self.setWindowTitle(self.tr("PLANET Uploader") + f" — {session.profile.name}")
        self.setAcceptDrops(True)
        self.resize(1100, 680)

        self.model = fm.FilesModel(session.schema, language)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
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
        self.problems_label = QLabel("")
        self.problems_label.setObjectName("problems")
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #c62828;")
        form_page = QWidget()
        form_layout = QVBoxLayout(form_page)
        form_layout.addWidget(self.form)
        form_layout.addWidget(self.problems_label)
        form_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_page)
        self.preview = PreviewPane()
        self.tabs = QTabWidget()
        self.tabs.addTab(scroll, self.tr("Metadata"))
        self.tabs.addTab(self.preview, self.tr("Preview"))

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
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

        self.conflicts = ConflictAsker(self)
        self._configure_transfers()

        self.status_timer = QTimer(self)
        self.status_timer.setInterval(STATUS_POLL_MS)
        self.status_timer.timeout.connect(self.refresh_status)

    # -- threads -------------------------------------------------------------------------------

    def _run(self, fn: Any, *args: Any, on_done: Any, on_failed: Any, with_progress: bool = False,
             on_progress: Any = None, **kwargs: Any) -> Worker:
        worker = Worker(fn, *args, with_progress=with_progress, **kwargs)
        worker.signals.done.connect(on_done)
        worker.signals.failed.connect(on_failed)
        if on_progress is not None:
            worker.signals.progress.connect(on_progress)
        self._workers.add(worker)
        worker.signals.done.connect(lambda _r, w=worker: self._workers.discard(w))
        worker.signals.failed.connect(lambda *_a, w=worker: self._workers.discard(w))
        return start(worker)

    # -- profiles ------------------------------------------------------------------------------

    def _fill_profiles(self) -> None:
        """The profiles in the user's config folder, plus the one in use wherever it lives."""
        self.profile_box.clear()
        paths = list_profiles()
        current = self.session.profile.path
        if current is not None and current not in paths:
            paths.insert(0, current)
        for path in paths:
            self.profile_box.addItem(path.stem, str(path))
        if current is not None:
            self.profile_box.setCurrentIndex(max(self.profile_box.findData(str(current)), 0))

    def _profile_chosen(self, index: int) -> None:
        path = Path(self.profile_box.itemData(index))
        if path == self.session.profile.path:
            return
        busy = [e for e in self.model.entries if e.state in (fm.UPLOADING, fm.PENDING)]
        if busy:
            self._show_error(self.tr("Profile not switched"),
                             self.tr("Wait until the current uploads have a verdict before switching."))
            self._fill_profiles()
            return
        try:
            profile = load_profile(path)
        except PlanetError as exc:
            self._show_error(exc.title, exc.message)
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

    def toggle_login(self) -> None:
        if self.identity is not None:
            self._run(self.session.logout, on_done=lambda _r: self._set_identity(None),
                      on_failed=self._show_error)
            return
        self.open_login()

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
        first_new: int | None = None
        for path in expand_paths(paths):
            row = self.model.add(path)
            if row is None:
                continue
            first_new = row if first_new is None else first_new
            entry = self.model.entries[row]
            self._run(self.session.inspect, path, on_done=lambda r, e=entry: self._inspected(e, r),
                      on_failed=lambda t, m, e=entry: self._set_state(e, fm.FAILED, f"{t}: {m}"))
        self.drop_hint.setVisible(not self.model.entries)
        if first_new is not None and not self.table.selectionModel().hasSelection():
            self.table.selectRow(first_new)

    def _inspected(self, entry: fm.FileEntry, inspection: Any) -> None:
        if entry not in self.model.entries:
            return
        entry.values = self.session.initial_values(inspection)
        entry.preview = inspection.preview
        entry.details = inspection.details
        self._revalidate(entry)
        if entry in self.selected_entries():
            self._selection_changed()

    def _revalidate(self, entry: fm.FileEntry) -> None:
        if entry.state not in (fm.INSPECTING, fm.READY, fm.INVALID):
            return
        problems = self.session.schema.problems(entry.values)
        self._set_state(entry, fm.INVALID if problems else fm.READY, "\n".join(problems))

    def _set_state(self, entry: fm.FileEntry, state: str, message: str = "") -> None:
        if entry not in self.model.entries:
            return
        entry.state = state
        entry.message = message
        self.model.changed(entry)
        if entry in self.selected_entries():
            self.problems_label.setText(message if state in (fm.INVALID, fm.TRIAGE, fm.FAILED) else "")

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
        self.problems_label.setText(entries[0].message if len(entries) == 1 else "")
        self.preview.show_preview(entries[0].preview if entries else None)

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
        """Uploads still running stop where they are; the journal resumes them next time."""
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
            self._set_state(entry, fm.READY, f"{error.title}: {error.message}")
            return
        if isinstance(error, NotLoggedIn):
            # the login ended: keep the file queued, ready to submit again once logged in
            entry.state = fm.READY
            self._set_state(entry, fm.READY, f"{error.title}: {error.message}")
            if self.identity is not None:
                self._set_identity(None, error.message)
                self.open_login()
            return
        self._set_state(entry, fm.FAILED, f"{error.title}: {error.message}")

    def _progress(self, entry: fm.FileEntry, update: Any) -> None:
        """Per file: fraction, rate, time left; overall in the status bar."""
        progress = update.file
        entry.progress = progress.fraction
        entry.rate = progress.rate
        entry.eta = progress.eta
        if entry in self.model.entries:
            self.model.changed(entry)
        overall = update.overall
        if overall.total:
            text = self.tr("Uploading %1 file(s): %2").replace("%1", str(overall.files - overall.finished)) \
                .replace("%2", f"{overall.done / overall.total:.0%}")
            if overall.rate > 0:
                text += f" · {fm.human_rate(overall.rate)}"
            self.statusBar().showMessage(text)

    def _uploaded(self, entry: fm.FileEntry, result: Any) -> None:
        entry.key = result.key
        self._set_state(entry, fm.PENDING, self.tr("Waiting for the server's validation"))
        if not self.status_timer.isActive():
            self.status_timer.start()

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

