"""Repeated deliveries without human work: upload each new file of a folder once it is complete.

A file counts as complete when its size and modification time have not changed for ``stable_for`` seconds
(writers that copy slowly, or in bursts, are waited for). Each complete file is inspected, the template's
values are merged over what inspection inferred, and it is uploaded once: the journal remembers each
(path, size, mtime) it uploaded, so restarting the watcher uploads nothing twice, and interrupted uploads
are resumed. A file rewritten later with new content is a new delivery.
"""

from __future__ import annotations

import fnmatch
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planet_gui.core.errors import PlanetError
from planet_gui.core.i18n import tr
from planet_gui.core.transfer.conflicts import ConflictPolicy
from planet_gui.core.transfer.job import TransferJob, UploadOutcome
from planet_gui.core.transfer.progress import FileState, Listener

if TYPE_CHECKING:
    from planet_gui.core.session import Session

log = logging.getLogger(__name__)

DEFAULT_IGNORE = ("*.part", "*.partial", "*.tmp", "*.crdownload", "*.swp", "~*", ".*", "*.planet-meta.json")


@dataclass(frozen=True)
class WatchSettings:
    interval: float = 2.0  # seconds between two looks at the folder
    stable_for: float = 5.0  # a file is complete once its size and mtime held this long
    recursive: bool = True
    once: bool = False  # handle what is there (waiting until it is complete), then return
    ignore: tuple[str, ...] = DEFAULT_IGNORE


class WatchEventKind(StrEnum):
    WAITING = "waiting"  # seen, still changing
    UPLOADING = "uploading"
    UPLOADED = "uploaded"
    RESUMING = "resuming"
    SKIPPED = "skipped"  # uploaded before, or already in the lake
    FAILED = "failed"


@dataclass(frozen=True)
class WatchEvent:
    kind: WatchEventKind
    path: Path
    message: str = ""
    outcome: UploadOutcome | None = None


_Identity = tuple[int, int]  # size, mtime_ns


class FolderWatcher:
    def __init__(
        self,
        session: Session,
        folder: Path,
        *,
        template: Mapping[str, Any],
        settings: WatchSettings | None = None,
        conflict: ConflictPolicy | None = None,
        on_event: Callable[[WatchEvent], None] | None = None,
        on_update: Listener | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.session = session
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
        self.uploaded: list[UploadOutcome] = []
        self.failed: list[WatchEvent] = []

    # -- the loop ------------------------------------------------------------------------------

    def run(self, stop: threading.Event) -> None:
        if not self.folder.is_dir():
            raise PlanetError(tr("{folder} is not a folder.", folder=self.folder), title="Cannot watch")
        for job in self.session.transfers.resume_unfinished(on_update=self.on_update):
            self._emit(WatchEventKind.RESUMING, job.item.path, job.key)
            self._jobs[job.item.path] = (job, (-1, -1))
        while not stop.is_set():
            waiting = self.scan()
            self._collect()
            if self.settings.once and not waiting and not self._jobs:
                return
            stop.wait(self.settings.interval)
        self._collect()

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
        journal = self.session.transfers.journal
        done = journal.done_for_identity(self.session.transfer_scope, path, *identity)
        if done is not None:
            self._handled[path] = identity
            self._emit(WatchEventKind.SKIPPED, path, f"uploaded before as {done.key}")
            return
        try:
            values = self.session.initial_values(self.session.inspect(path))
            values.update(self.template)
            values = {k: v for k, v in values.items() if v is not None}
            item = self.session.upload_item(path, values, conflict=self.conflict)
            job = self.session.transfers.submit(item, on_update=self.on_update)
        except PlanetError as exc:
            self._handled[path] = identity
            self._fail(path, exc.message)
            return
        self._jobs[path] = (job, identity)
        self._emit(WatchEventKind.UPLOADING, path, item.key)

    def _collect(self) -> None:
        for path, (job, identity) in list(self._jobs.items()):
            if not job.finished:
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
