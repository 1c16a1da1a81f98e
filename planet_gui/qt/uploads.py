"""The one path by which uploads reach the window. Uploads are handed to the engine and followed through its
updates; no thread waits for them. Pool threads do only short things: hand a batch to the engine, fetch a
finished job's outcome, cancel a job.

:class:`UploadBridge` follows the session's event stream (``Session.subscribe``): the engine calls it from its own
threads for every job (submitted, resumed, a watched folder's), and it re-emits each progress update as a signal,
which Qt queues to the UI thread."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from planet_gui.core.errors import PlanetError
from planet_gui.core.session import Session
from planet_gui.core.transfer import ConflictPolicy, TransferJob, TransferUpdate, UploadOutcome
from planet_gui.core.transfer.events import Progress, TransferEvent


class UploadBridge(QObject):
    """``update(TransferUpdate)`` on the UI thread for each engine update, whichever thread it came from."""

    update = Signal(TransferUpdate)

    def relay(self, event: TransferEvent) -> None:
        """The session's subscriber: called on an engine thread, so it only emits (a queued signal). A job's
        start and end come as progress updates too (its state), so only those are relayed."""
        if isinstance(event, Progress):
            self.update.emit(event.update)


Submitted = tuple[Path, "TransferJob | PlanetError"]


def submit_all(session: Session, files: list[tuple[Path, Mapping[str, Any]]],
               destinations: Mapping[Path, str] | None = None) -> list[Submitted]:
    """Hand each file to the engine (on a pool thread: the first call opens the journal) and return at once
    with its job, or the reason it could not start (not logged in, the engine stopping). The files are one
submission (they were confirmed together): their receipts name it and its receipt gathers them. Conflicts are asked
    about through the session's resolver (the window's dialog). ``destinations``: where each file goes, by path
    (the profile's first destination for a file not named)."""
    submitted: list[Submitted] = []
    session.open_submission([path for path, _values in files])  # confirmed together: one submission receipt
    for path, values in files:
        try:
            submitted.append((path, session.submit(path, values, conflict=ConflictPolicy.ASK,
                                                   destination=(destinations or {}).get(path))))
        except PlanetError as exc:
            submitted.append((path, exc))
    return submitted


def resume_all(session: Session) -> list[TransferJob]:
    """Restart the profile's interrupted uploads and return their jobs without waiting for them (the window
    asks for a login first)."""
    return session.resume_interrupted()


def outcome_of(session: Session, job: TransferJob) -> UploadOutcome:
    """A finished job's outcome, recorded in the upload history when it succeeded. Called once the engine said
    the job finished, so the wait is the instant between its last update and its end."""
    return session.wait_upload(job)
