"""The folder watcher: upload each new file of a folder once it is complete, built on :class:`Session` alone
(prepare, submit, the journal's memory of what it uploaded), from outside the transfer package, so the engine
never knows about sessions. What it reports (:class:`WatchEvent`) and its settings live in
:mod:`planet_gui.core.transfer.watch`.

A file counts as complete when its size and modification time have not changed for ``stable_for`` seconds.
Each complete file is inspected, the template's values are merged over what inspection inferred
(:meth:`Session.prepare`), and it is uploaded once: the journal remembers each (path, size, mtime) it uploaded,
so restarting the watcher uploads nothing twice, and interrupted uploads are resumed.
"""

from __future__ import annotations

import fnmatch
import logging
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

from planet_gui.core.errors import PlanetError
from planet_gui.core.i18n import tr
from planet_gui.core.transfer.conflicts import ConflictPolicy
from planet_gui.core.transfer.events import Done, Subscriber, TransferEvent
from planet_gui.core.transfer.job import TransferJob, UploadOutcome
from planet_gui.core.transfer.journal import JournalEntry
from planet_gui.core.transfer.progress import FileState, Listener
from planet_gui.core.transfer.watch import DEFAULT_IGNORE, WatchEvent, WatchEventKind, WatchSettings

log = logging.getLogger(__name__)

__all__ = ["DEFAULT_IGNORE", "FolderWatcher", "WatchEvent", "WatchEventKind", "WatchSettings"]


_Identity = tuple[int, int]  # size, mtime_ns


class Prepared(Protocol):
    @property
    def values(self) -> dict[str, Any]: ...


class Uploader(Protocol):
    """The part of :class:`~planet_gui.core.session.Session` the watcher drives (a protocol, so the session can
    build a watcher without the two modules importing each other)."""

    def prepare(self, path: Path, overrides: Mapping[str, Any] | None = None, *,
                destination: str | None = None) -> Prepared: ...

    def submit(self, path: Path, values: Mapping[str, Any], *, conflict: ConflictPolicy | None = None,
               on_update: Listener | None = None, destination: str | None = None) -> TransferJob: ...

    def resume_interrupted(self, on_update: Listener | None = None) -> list[TransferJob]: ...

    def uploaded_before(self, path: Path, size: int, mtime_ns: int) -> JournalEntry | None: ...

    def wait_upload(self, job: TransferJob) -> UploadOutcome: ...

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]: ...


class FolderWatcher:
    def __init__(
        self,
        session: Uploader,
        folder: Path,
        *,
        template: Mapping[str, Any],
        settings: WatchSettings | None = None,
        conflict: ConflictPolicy | None = None,
        on_event: Callable[[WatchEvent], None] | None = None,
        on_update: Listener | None = None,
        clock: Callable[[], float] = time.monotonic,
        destination: str | None = None,
    ) -> None:
        self.session = session
        self.destination = destination  # the profile's destination every file goes to (None: the first)
        self.folder = folder.expanduser().absolute()
        self.template = dict(template)
        self.settings = settings or WatchSettings()
        self.conflict = conflict or ConflictPolicy.REFUSE
        self.on_event = on_event
        self.on_update = on_update
        self._clock = clock
        self._seen: dict[Path, tuple[_Identity, float]] = {}  # path -> (identity, unchanged since)
        self._handled: dict[Path, _Identity] = {}  # delivered (or refused) with this identity
        self._jobs: dict[Path, tuple[TransferJob, _Identity]] = {}
        self._ended: set[int] = set()  # jobs the engine's event stream said are done, not yet collected
        self._ended_lock = threading.Lock()
        self.uploaded: list[UploadOutcome] = []
        self.failed: list[WatchEvent] = []

    # -- the loop ------------------------------------------------------------------------------

    def run(self, stop: threading.Event) -> None:
        if not self.folder.is_dir():
            raise PlanetError(tr("{folder} is not a folder.", folder=self.folder), title="Cannot watch")
        unfollow = self.session.subscribe(self._heard)
        try:
            for job in self.session.resume_interrupted(on_update=self.on_update):
                self._emit(WatchEventKind.RESUMING, job.item.path, job.key)
                self._jobs[job.item.path] = (job, (-1, -1))
            while not stop.is_set():
                waiting = self.scan()
                self._collect()
                if self.settings.once and not waiting and not self._jobs:
                    return
                stop.wait(self.settings.interval)
            self._collect()
        finally:
            unfollow()

    def _heard(self, event: TransferEvent) -> None:
        """The engine's event stream (its threads): remember which jobs ended, for the loop to collect."""
        if isinstance(event, Done):
            with self._ended_lock:
                self._ended.add(event.job)

    def scan(self) -> int:
        """Look at the folder once: submit complete new files; returns how many are still being written."""
        now = self._clock()
        present: set[Path] = set()
        waiting = 0
        for path in self._files():
            present.add(path)
            try:
                stat = path.stat()
            except OSError:
                continue  # gone meanwhile
            identity = (stat.st_size, stat.st_mtime_ns)
            if self._handled.get(path) == identity or path in self._jobs:
                continue
            seen = self._seen.get(path)
            if seen is None or seen[0] != identity:
                self._seen[path] = (identity, now)
                if seen is None:
                    self._emit(WatchEventKind.WAITING, path, "new file; waiting until it is complete")
                waiting += 1
                continue
            if now - seen[1] < self.settings.stable_for:
                waiting += 1
                continue
            del self._seen[path]
            self._deliver(path, identity)
        for gone in set(self._seen) - present:
            del self._seen[gone]
        return waiting

    def _files(self) -> list[Path]:
        pattern = "**/*" if self.settings.recursive else "*"
        found = []
        for path in self.folder.glob(pattern):
            relative = path.relative_to(self.folder)
            if any(part.startswith(".") for part in relative.parts[:-1]):
                continue
            if any(fnmatch.fnmatch(path.name, rule) for rule in self.settings.ignore):
                continue
            if path.is_file() and not path.is_symlink():
                found.append(path)
        return sorted(found)

    # -- one file ------------------------------------------------------------------------------

    def _deliver(self, path: Path, identity: _Identity) -> None:
        done = self.session.uploaded_before(path, *identity)
        if done is not None:
            self._handled[path] = identity
            self._emit(WatchEventKind.SKIPPED, path, f"uploaded before as {done.key}")
            return
        try:
            prepared = self.session.prepare(path, self.template, destination=self.destination)
            job = self.session.submit(path, prepared.values, conflict=self.conflict, on_update=self.on_update,
                                      destination=self.destination)
        except PlanetError as exc:
            self._handled[path] = identity
            self._fail(path, exc.message)
            return
        self._jobs[path] = (job, identity)
        self._emit(WatchEventKind.UPLOADING, path, job.key)

    def _collect(self) -> None:
        with self._ended_lock:
            ended, self._ended = self._ended, set()
        for path, (job, identity) in list(self._jobs.items()):
            if job.id not in ended:
                continue
            del self._jobs[path]
            outcome = self.session.wait_upload(job)
            if identity != (-1, -1):
                self._handled[path] = identity
            if outcome.state is FileState.DONE:
                self.uploaded.append(outcome)
                self._emit(WatchEventKind.UPLOADED, path, outcome.key, outcome)
            elif outcome.state is FileState.SKIPPED:
                self._emit(WatchEventKind.SKIPPED, path, outcome.error.message if outcome.error else "", outcome)
            elif outcome.state is FileState.PAUSED:
                self._handled.pop(path, None)  # interrupted: tried again on the next start
            else:
                message = outcome.error.message if outcome.error else outcome.state.value
                self._fail(path, message, outcome)

    def _fail(self, path: Path, message: str, outcome: UploadOutcome | None = None) -> None:
        event = WatchEvent(WatchEventKind.FAILED, path, message, outcome)
        self.failed.append(event)
        log.warning("%s: %s", path, message)
        if self.on_event is not None:
            self.on_event(event)

    def _emit(self, kind: WatchEventKind, path: Path, message: str = "",
              outcome: UploadOutcome | None = None) -> None:
        if self.on_event is not None:
            self.on_event(WatchEvent(kind, path, message, outcome))
