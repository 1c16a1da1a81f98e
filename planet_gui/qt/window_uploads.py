"""The main window's uploads: submit (after the compact confirmation), follow each file through the engine's
updates, cancel or retry one file, cap the bandwidth, and offer to finish what an earlier run left unfinished.

No thread waits for an upload: :mod:`planet_gui.qt.uploads` hands files to the engine and every update of every
job arrives through one signal; a finished job's outcome is fetched on a pool thread in an instant."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QInputDialog

from planet_gui.core.errors import NotLoggedIn, PlanetError
from planet_gui.core.session import Session
from planet_gui.core.tracking import RowState, from_engine
from planet_gui.core.transfer import TransferJob, TransferSettings, TransferUpdate, UploadOutcome
from planet_gui.core.transfer.conflicts import AlreadyInLake
from planet_gui.core.transfer.progress import FileState, human_bytes
from planet_gui.qt import files_model as fm
from planet_gui.qt import resume_offer, uploads
from planet_gui.qt.error_titles import error_title, window_message
from planet_gui.qt.resume_offer import InterruptedUpload, ResumeOfferDialog

if TYPE_CHECKING:  # annotations only: the engine (and the S3 client) load with the first upload
    from planet_gui.core.transfer import TransferJob, TransferSettings, TransferUpdate, UploadOutcome
    from planet_gui.qt.confirm_dialog import ConfirmDialog
    from planet_gui.qt.window_api import WindowApi

    _Base = WindowApi
else:
    _Base = object

SUBMITTING = sys.maxsize  # FileEntry.job while a file is handed to the engine
MAX_RATE_SETTING = "uploads/max_rate_kib"  # KiB/s over all uploads; 0: no cap
UPLOAD_NICENESS = 5  # the upload threads run this much lower than the UI thread (TransferSettings.niceness)


class UploadsMixin(_Base):
    #: declared here, set by the window: the dialogs on screen (None when none is), the session whose uploads
    #: the bridge follows and how to stop following it, the status bar's text about all uploads
    confirm_box: ConfirmDialog | None
    resume_dialog: ResumeOfferDialog | None
    _followed: tuple[Session | None, Callable[[], None] | None]
    _overall_text: str

    # -- engine set-up --------------------------------------------------------------------------

    def _configure_transfers(self) -> None:
        """Conflicts are asked about in a dialog, never settled silently; every update comes to the bridge (one
        subscription per session: it outlives the engines ``configure_transfers`` builds)."""
        self.session.configure_transfers(self._transfer_settings(), resolver=self.conflicts)
        followed, unfollow = self._followed
        if followed is not self.session:
            if unfollow is not None:
                unfollow()
            self._followed = (self.session, self.session.subscribe(self.bridge.relay))

    def _transfer_settings(self) -> TransferSettings:
        """The session's settings with the window's bandwidth cap and its upload threads a little below the UI
        thread (the rest as configured: part size, …)."""
        return dataclasses.replace(self.session.transfer_settings, max_rate=self.max_rate_kib * 1024,
                                   niceness=UPLOAD_NICENESS)

    @property
    def max_rate_kib(self) -> int:
        return int(str(QSettings().value(MAX_RATE_SETTING, 0) or 0))  # an int, or its text in some formats

    def ask_max_rate(self) -> QInputDialog:
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("Bandwidth limit"))
        dialog.setLabelText(self.tr("Upload at most (KiB/s, 0 for no limit):"))
        dialog.setInputMode(QInputDialog.InputMode.IntInput)
        dialog.setIntRange(0, 10_000_000)
        dialog.setIntStep(256)
        dialog.setIntValue(self.max_rate_kib)
        dialog.intValueSelected.connect(self.set_max_rate)
        self.rate_dialog = dialog
        dialog.open()
        return dialog

    def set_max_rate(self, kib: int) -> None:
        """Keep the cap; the engine takes it now if no upload runs, else once the running ones end (a new
        set-up interrupts what runs)."""
        QSettings().setValue(MAX_RATE_SETTING, int(kib))
        self._rate_pending = True
        self._apply_rate_if_idle()
        self._show_rate()

    def _apply_rate_if_idle(self) -> None:
        if not self._rate_pending or any(e.state == fm.UPLOADING for e in self.model.entries):
            return
        self._rate_pending = False
        self._run(self.session.configure_transfers, self._transfer_settings(),
                  on_done=lambda _r: None, on_failed=self._show_error)

    def _show_rate(self) -> None:
        kib = self.max_rate_kib
        text = self.tr("Uploads limited to %1/s").replace("%1", human_bytes(kib * 1024)) if kib else ""
        if text and self._rate_pending:
            text += " " + self.tr("(from the next uploads)")
        self.rate_label.setText(text)
        self.rate_label.setVisible(bool(text))

    def set_paused(self, paused: bool) -> None:
        """Parts in flight finish; no new part leaves until resumed. Nothing is lost either way."""
        # on a worker: the first call builds the engine, which opens the journal on disk
        call = self.session.pause_uploads if paused else self.session.resume_paused_uploads
        self._run(call, on_done=lambda _r: None, on_failed=self._show_error)
        self.pause_action.setText(self.tr("Resume uploads") if paused else self.tr("Pause uploads"))

    def _lake_schema_read(self, _result: object = None) -> None:
        """The session validates with the lake's schema and rules now (read after the login): every file is
        checked again, and a note says when the lake's could not be read. A row still being read is left to
        its reading (checked with the session's schema when it ends): marked invalid now, it would look
        editable, and the reading's values would then replace what was typed."""
        self.follow_schema()  # a field the lake asks for gets its editor (and its column)
        for entry in list(self.model.entries):
            if entry.state != fm.INSPECTING:
                self._revalidate(entry)
        if self.session.schema_note:  # nothing to say otherwise: the bar keeps what it says (a journal moved aside)
            self.statusBar().showMessage(self.session.schema_note)

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
        keys = [self.session.object_key(e.path, e.values, e.destination or None) for e in ready]
        raw = [self.session.profile.destination(e.destination or None).raw.bucket for e in ready]  # each its own
        from planet_gui.qt.confirm_dialog import ConfirmDialog  # the personal-data policy loads on first submit

        box = ConfirmDialog(ready, keys, len(blocked), raw, self,
                            policy=self.session.profile.personal_data_policy, identity=self.session.identity)
        box.accepted.connect(lambda entries=ready: self._confirmed(entries))
        box.finished.connect(lambda _r: setattr(self, "confirm_box", None))
        self.confirm_box = box
        box.open()

    def _confirmed(self, entries: list[fm.FileEntry]) -> None:
        """Hand the files to the engine (one short task on the pool) and show them uploading."""
        self.conflicts.new_batch()
        files = []
        for entry in entries:
            entry.key = self.session.object_key(entry.path, entry.values, entry.destination or None)
            entry.state, entry.message = fm.UPLOADING, ""
            entry.job = SUBMITTING  # until the engine names the new job, earlier jobs' word on the file is stale
            entry.progress, entry.rate, entry.eta = 0.0, 0.0, None
            files.append((entry.path, dict(entry.values)))
        self.model.changed_many(entries)
        self._states_changed()
        destinations = {entry.path: entry.destination for entry in entries if entry.destination}
        self._run(uploads.submit_all, self.session, files, destinations, on_done=self._submitted,
                  on_failed=lambda t, m: self._submit_failed(entries, t, m))

    def _submitted(self, submitted: list[uploads.Submitted]) -> None:
        for path, job in submitted:
            entry = self.model.entry_by_path(path)
            if entry is None:
                continue
            if isinstance(job, PlanetError):
                self._upload_failed(entry, job)
            else:
                self._follow(entry, job)

    def _submit_failed(self, entries: list[fm.FileEntry], title: str, message: str) -> None:
        for entry in entries:
            self._set_state(entry, fm.FAILED, f"{title}: {message}")

    def _follow(self, entry: fm.FileEntry, job: TransferJob) -> None:
        """A job of ours: its outcome is fetched once it finished (perhaps already, for a quick failure)."""
        entry.job = job.id
        self._jobs[job.id] = job
        if job.finished:
            self._collect(job)

    def _collect(self, job: TransferJob) -> None:
        if self._jobs.pop(job.id, None) is None:
            return  # collected already
        session = self.session
        self._run(uploads.outcome_of, session, job, on_done=lambda outcome: self._outcome(outcome, job.id),
                  on_failed=self._show_error)

    # -- progress: every job's updates, one path ------------------------------------------------

    def _transfer_update(self, update: TransferUpdate) -> None:
        """The engine's word on a file the table knows by path: progress, then where it ended."""
        progress = update.file
        job = self._jobs.get(progress.job)
        entry = self.model.entry_by_path(progress.path)
        if entry is None or progress.job < entry.job or entry.state not in (fm.UPLOADING, fm.WAITING):
            return  # not ours, an older upload of the file, or already past its upload (a late update)
        entry.job = progress.job
        if progress.state.finished:
            self._show_overall(update.overall)
            if job is not None:
                self._collect(job)  # its outcome names the error (title and message) an update cannot
            elif (row := from_engine(progress.state)) is RowState.PENDING:  # a watched folder's or resumed upload
                self._uploaded(entry, progress)
            elif row in (RowState.FAILED, RowState.SKIPPED):  # failed, cancelled; or not sent
                self._set_state(entry, row.value, progress.message)
            return
        entry.key = progress.key
        if entry.state != fm.UPLOADING:
            self._set_state(entry, fm.UPLOADING, progress.message)
        entry.progress, entry.rate, entry.eta = progress.fraction, progress.rate, progress.eta
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

    def _outcome(self, outcome: UploadOutcome | None, job: int = 0) -> None:
        """Where a finished upload ended: waiting for validation, back to ready (skipped, cancelled, logged
        out), or failed with the error's title and message."""
        if outcome is None:
            return
        self.queue.outcome(outcome)
        entry = self.model.entry_by_path(outcome.path)
        if entry is None or (job and job < entry.job) or entry.state not in (fm.UPLOADING, fm.FAILED, fm.SKIPPED):
            return
        if outcome.ok:
            self._uploaded(entry, outcome)
        elif outcome.error is not None:
            self._upload_failed(entry, outcome.error)
        elif outcome.state is FileState.CANCELLED:
            self._set_state(entry, fm.READY, self.tr("Upload cancelled; nothing of it is left on the server."))
        elif outcome.state is FileState.PAUSED:
            self._set_state(entry, fm.READY, self.tr("Upload interrupted; it continues where it stopped when "
                                                     "submitted again."))
        else:
            self._set_state(entry, fm.FAILED, outcome.state.value)
        self._apply_rate_if_idle()

    def _upload_failed(self, entry: fm.FileEntry, error: PlanetError) -> None:
        if isinstance(error, AlreadyInLake):  # the user chose to skip it: it stays here, ready
            self._set_state(entry, fm.READY, f"{error_title(error)}: {window_message(error)}")
            return
        if isinstance(error, NotLoggedIn):
            # the login ended: keep the file queued, ready to submit again once logged in
            self._set_state(entry, fm.READY, f"{error_title(error)}: {window_message(error)}")
            if self.identity is not None:
                self._set_identity(None, window_message(error))
                self.open_login()
            return
        self._set_state(entry, fm.FAILED, f"{error_title(error)}: {window_message(error)}")

    def _uploaded(self, entry: fm.FileEntry, result: Any) -> None:
        entry.key = result.key
        entry.progress = 1.0
        self.queue.uploaded(entry, result)  # SHA-256 and uploader into the row
        self._set_state(entry, fm.PENDING, self.tr("Waiting for the server's validation"))
        if not self.status_timer.isActive():
            self.status_timer.start()

    # -- one file: cancel, retry ------------------------------------------------------------------

    def cancel_selected(self) -> None:
        """Cancel the selected uploads (on a worker: it only flags the jobs); each is aborted on the server and
        its row comes back ready."""
        for entry in self.selected_entries():
            if entry.state == fm.UPLOADING:
                self._run(self.session.cancel_upload, entry.path, on_done=lambda _r: None,
                          on_failed=self._show_error)

    def retry_selected(self) -> None:
        """Failed files again: a file whose reading failed is read again; one whose upload failed is uploaded
        again (it was confirmed already), going on from what reached the server."""
        failed = [e for e in self.selected_entries() if e.state == fm.FAILED]
        again = []
        for entry in failed:
            if not entry.values:
                self._set_state(entry, fm.INSPECTING)
                self._inspect(entry)
                continue
            entry.state = fm.READY
            self._revalidate(entry)
            if entry.state == fm.READY:
                again.append(entry)
        if again:
            self._confirmed(again)

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
        recovered = session.journal_recovered  # an unreadable journal was moved aside: say so
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
        self._run(uploads.resume_all, self.session, on_done=self._resumed,
                  on_failed=lambda t, m: self._resume_failed(found, t, m))

    def _resumed(self, jobs: list[TransferJob]) -> None:
        for job in jobs:
            entry = self.model.entry_by_path(job.item.path)
            if entry is not None:
                self._follow(entry, job)
        self.statusBar().showMessage(self.tr("Resuming %1 interrupted upload(s).").replace("%1", str(len(jobs))))

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
