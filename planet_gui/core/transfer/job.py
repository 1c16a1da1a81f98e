"""One file's upload as the engine drives it: what was asked (:class:`UploadItem`), how it ended
(:class:`UploadOutcome`), and the job in between (:class:`TransferJob`): its state and progress for the GUI and the
CLI, and the controls (cancel, pause through the engine) every step of the engine checks.

The job sees the engine only through :class:`JobContext` (pause, stop, the journal, the shared counters, the
event stream), so this module sits below the engine and the finishing steps: nothing here imports them.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from planet_gui.core.errors import PlanetError
from planet_gui.core.i18n import tr
from planet_gui.core.transfer.conflicts import Conflict, ConflictPolicy
from planet_gui.core.transfer.journal import Claim, Journal, JournalEntry
from planet_gui.core.transfer.progress import FileProgress, FileState, Listener, Overall, RateMeter, TransferUpdate, eta

if TYPE_CHECKING:
    from planet_gui.core.transfer import retry
else:  # the S3 client's errors load with the first upload, not with the window that imports a job's types
    from planet_gui.core.lazy import LazyName

    retry = LazyName("planet_gui.core.transfer.retry")

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.2


@dataclass(frozen=True)
class UploadItem:
    path: Path
    key: str
    values: Mapping[str, Any]  # schema values, uploader included; the engine adds sha256
    validate: bool = True
    conflict: ConflictPolicy = ConflictPolicy.REFUSE
    content_type: str | None = None


@dataclass(frozen=True)
class UploadOutcome:
    path: Path
    state: FileState  # DONE, SKIPPED, FAILED, CANCELLED, or PAUSED (interrupted: resumes next time)
    key: str
    bucket: str
    size: int = 0
    sha256: str = ""
    etag: str = ""
    resumed_bytes: int = 0
    sent_bytes: int = 0
    sidecar_key: str | None = None
    error: PlanetError | None = None
    conflict: Conflict | None = None
    journal_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.state is FileState.DONE


class Cancelled(Exception):
    """The user cancelled this upload: abort it on the server."""


class Interrupted(Exception):
    """The engine is stopping (Ctrl-C, window closed): leave the upload resumable."""


class JobContext(Protocol):
    """What a job needs from the engine that runs it (the engine is one; tests may pass another)."""

    @property
    def journal(self) -> Journal: ...

    @property
    def stopping(self) -> bool: ...

    @property
    def paused(self) -> bool: ...

    def wait_resumed(self, timeout: float) -> None:
        """Block up to ``timeout`` seconds while the engine is paused."""

    def count_sent(self, amount: int) -> None:
        """Bytes confirmed by the server, for the engine's overall rate."""

    def count_retry(self) -> None:
        """A request failed and will be tried again."""

    def overall(self) -> Overall: ...

    @property
    def followed(self) -> bool:
        """Someone follows the engine's event stream (else a job with no listener of its own builds no update)."""

    def tally(self, *, total: int = 0, done: int = 0, finished: int = 0, failed: int = 0) -> None:
        """A change of this job's size, confirmed bytes or end (+1/-1), for :meth:`overall` without a pass over
        every job at each update (called under the job's lock, so the sums match the jobs' fields)."""

    def publish(self, update: TransferUpdate) -> None:
        """The job's progress, for the engine's event stream (its subscribers)."""


class TransferJob:
    _ids = itertools.count(1)

    def __init__(self, context: JobContext, item: UploadItem, on_update: Listener | None,
                 resume_entry: JournalEntry | None = None) -> None:
        self.id = next(self._ids)
        self.context = context
        self.item = item
        self.key = item.key
        self.state = FileState.QUEUED
        self.message = ""
        self._total = 0
        self.done_bytes = 0
        self.resumed_bytes = 0
        self.sent_bytes = 0
        self.hashed_bytes = 0
        self.meter = RateMeter()
        self.resume_entry = resume_entry
        self.entry: JournalEntry | None = None
        self.outcome: UploadOutcome | None = None
        self._on_update = on_update
        self._cancel = threading.Event()
        self._finished = threading.Event()
        self._last_emit = 0.0
        self._lock = threading.Lock()
        self._retrying = False
        self._claims: dict[int, Claim] = {}

    @property
    def total(self) -> int:
        return self._total

    @total.setter
    def total(self, size: int) -> None:
        with self._lock:
            self.context.tally(total=size - self._total)
            self._total = size

    def tallied(self) -> tuple[int, int, int, int]:
        """What this job added to its context's sums (total, done, finished, failed), to take it out again."""
        with self._lock:
            return self._total, self.done_bytes, int(self.state.finished), int(self.state is FileState.FAILED)

    # -- control -------------------------------------------------------------------------------

    def cancel(self) -> None:
        """Stop and abort the upload on the server; the journal forgets it."""
        self._cancel.set()

    def claim(self, entry_id: int) -> bool:
        """Hold the journal entry for this job (no other process or job may drive it meanwhile)."""
        if entry_id in self._claims:
            return True
        claim = Claim(self.context.journal, entry_id)
        if not claim.acquire():
            return False
        self._claims[entry_id] = claim
        return True

    def release_claims(self) -> None:
        for claim in self._claims.values():
            claim.release()
        self._claims.clear()

    def entry_ids(self) -> set[int]:
        """The journal entries this job drives or holds (so a resume does not start them a second time)."""
        held = set(self._claims)
        held.update(e.id for e in (self.resume_entry, self.entry) if e is not None)
        return held

    def mark_finished(self) -> None:
        """The engine is done with this job: release its claims and wake whoever waits for it."""
        self.release_claims()
        self._finished.set()

    def set_bytes(self, *, done: int | None = None, resumed: int | None = None) -> None:
        """Progress counters set outright (a resumed upload, a restart from zero, a finished upload)."""
        with self._lock:
            if done is not None:
                self.context.tally(done=done - self.done_bytes)
                self.done_bytes = done
            if resumed is not None:
                self.resumed_bytes = resumed

    def finish_with(self, outcome: UploadOutcome, message: str = "") -> None:
        """Record how the upload ended (the first outcome wins) and say so to the listeners."""
        if self.outcome is None:
            self.outcome = outcome
        self.key = self.outcome.key
        self.set_state(self.outcome.state, message)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def wait(self, timeout: float | None = None) -> UploadOutcome | None:
        self._finished.wait(timeout)
        return self.outcome

    @property
    def finished(self) -> bool:
        return self._finished.is_set()

    def check(self) -> None:
        """Raise if this job must stop; block while the engine is paused."""
        if self._cancel.is_set():
            raise Cancelled()
        context = self.context
        if context.stopping:
            raise Interrupted()
        if context.paused:
            previous = self.state
            while context.paused:
                if self._cancel.is_set():
                    raise Cancelled()
                if context.stopping:
                    raise Interrupted()
                if self.state is not FileState.PAUSED:  # parts that were in flight may have said otherwise
                    self.set_state(FileState.PAUSED)
                context.wait_resumed(0.2)
            self.set_state(previous if previous is not FileState.PAUSED else FileState.UPLOADING)

    def wait_delay(self, seconds: float) -> None:
        """The retry gate: sleep, but wake for cancel/stop, and hold while paused."""
        deadline = time.monotonic() + seconds
        while True:
            self.check()
            left = deadline - time.monotonic()
            if left <= 0:
                return
            self._cancel.wait(min(left, 0.2))

    # -- progress ------------------------------------------------------------------------------

    def set_state(self, state: FileState, message: str = "") -> None:
        with self._lock:
            changed = state is not self.state or message != self.message
            if state is not self.state:
                was_failed, now_failed = self.state is FileState.FAILED, state is FileState.FAILED
                self.context.tally(finished=state.finished - self.state.finished, failed=now_failed - was_failed)
            self.state = state
            self.message = message
        if changed:
            self.emit(force=True)

    def add_sent(self, amount: int) -> None:
        with self._lock:
            self.sent_bytes += amount
            self.done_bytes += amount
            self.context.tally(done=amount)
        self.meter.add(amount)
        self.context.count_sent(amount)
        self.emit()

    def snapshot(self) -> FileProgress:
        with self._lock:
            rate = self.meter.rate() if not self.state.finished else 0.0
            return FileProgress(
                job=self.id, path=self.item.path, key=self.key, state=self.state, total=self.total,
                done=self.done_bytes, resumed=self.resumed_bytes, hashed=self.hashed_bytes, rate=rate,
                eta=eta(self.total - self.done_bytes, rate) if not self.state.finished else 0.0,
                message=self.message,
            )

    def emit(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_emit < PROGRESS_INTERVAL:
            return
        self._last_emit = now
        if self._on_update is None and not self.context.followed:
            return  # nobody to tell (a CLI batch without a progress bar, a benchmark)
        update = TransferUpdate(self.snapshot(), self.context.overall())
        if self._on_update is not None:
            try:
                self._on_update(update)
            except Exception:  # noqa: BLE001 - a broken progress display must not break the upload
                log.exception("progress listener failed")
        self.context.publish(update)

    def on_retry(self, exc: BaseException, attempt: int, delay: float) -> None:
        self.context.count_retry()
        problem = retry.human_message(exc, tr("reach the storage server"))
        self.set_state(FileState.RETRYING, tr("{problem} Retrying (attempt {attempt}) in {delay:.0f} s.",
                                              problem=problem, attempt=attempt + 1, delay=delay))
        self._retrying = True

    def back_to(self, state: FileState) -> None:
        if self.context.paused:
            return
        if self._retrying or self.state is not state:
            self._retrying = False
            self.set_state(state)


def gate(job: TransferJob | None) -> retry.Gate:
    """What a retry waits on: the job's own wait (cancel, stop and pause wake it), else plain sleep."""
    if job is None:
        return retry.SleepGate()
    return _JobGate(job)


class _JobGate:
    def __init__(self, job: TransferJob) -> None:
        self._job = job

    def wait(self, seconds: float) -> None:
        self._job.wait_delay(seconds)
