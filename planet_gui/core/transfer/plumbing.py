"""What every step of an upload shares: the client, the journal, the settings, the memory budget and the thread
pools, and the few request helpers the steps have in common (fresh credentials, a logged part send, aborting an
upload on the server, the sidecar, the user's answer to a conflict).

:class:`Plumbing` is the base of :class:`~.engine.TransferEngine`; the steps in :mod:`.resolving` and
:mod:`.multipart` take it as their argument, so they sit below the engine and never import it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from minio import Minio
from minio.error import S3Error

from planet_gui.core.errors import PlanetError, StorageError
from planet_gui.core.i18n import tr
from planet_gui.core.profile import Buckets
from planet_gui.core.schema import Schema
from planet_gui.core.status import State
from planet_gui.core.transfer import retry, s3ops
from planet_gui.core.transfer.buffers import Budget, BufferPool
from planet_gui.core.transfer.conflicts import (
    AlreadyInLake,
    Conflict,
    ConflictKind,
    ConflictPolicy,
    LakeIndex,
    Resolution,
    Resolver,
)
from planet_gui.core.transfer.finishing import Finisher
from planet_gui.core.transfer.job import Cancelled, Interrupted, TransferJob, gate
from planet_gui.core.transfer.journal import Journal, JournalEntry, UploadState
from planet_gui.core.transfer.ratelimit import RateLimiter
from planet_gui.core.transfer.retry import RetryPolicy
from planet_gui.core.transfer.settings import TransferSettings as TransferSettings  # its home (light to import)
from planet_gui.core.transfer.sidecar import MetadataPlan, sidecar_headers
from planet_gui.core.transfer.sizing import MiB, PartPlan

log = logging.getLogger(__name__)

T = TypeVar("T")

HASH_CHUNK = 4 * MiB
#: codes that mean our STS credentials expired (clock skew): renewed once, then the request is sent again
EXPIRED_CREDENTIALS = frozenset({"ExpiredToken", "InvalidToken", "TokenRefreshRequired"})


def lower_thread_priority(niceness: int) -> None:
    """A pool thread's initialiser: run ``niceness`` steps below the process (Linux only, where a thread has a nice
    value of its own; on macOS the call would lower the whole process, window included, so nothing happens there).

    The window's uploads share the interpreter's process with its UI thread: on a 2-core machine, hashing and
    sending at full speed kept the UI thread waiting for a core for 40-60 ms at a time (tests/bench/bench_gui.py,
    its run-queue wait from ``/proc/self/task/*/schedstat``). A few steps lower, the window wins a contended core
    and the uploads lose nothing on an idle one."""
    if niceness <= 0 or not sys.platform.startswith("linux"):
        return
    thread = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + niceness))
    except OSError as exc:  # not allowed here (a sandbox): the thread keeps the process's priority
        log.debug("upload threads keep their priority: %s", exc)


class SourceChanged(StorageError):
    title = "File changed"


class Restart(Exception):
    """Start this file's upload again from the beginning (file changed, upload vanished on the server)."""


@dataclass
class Hashed:
    sha256: str  # hex, of the whole file
    data: bytes | None  # the whole file, for a single PUT (held within the budget)


@dataclass(frozen=True)
class EngineSetup:
    """What an engine is built from: the one definition of its parameters (:class:`Plumbing` and
    :class:`~.engine.TransferEngine` take it whole, so neither repeats the other's signature)."""

    #: called for every request (the session's client, whose provider renews STS credentials): the engine never
    #: keeps credentials
    client: Callable[[], Minio]
    buckets: Buckets
    schema: Schema
    journal: Journal
    #: the journal's partition (a user and a place): uploads of another scope are never resumed here
    scope: str
    settings: TransferSettings = field(default_factory=TransferSettings)
    #: asks the user about a conflict (the GUI); without it the item's policy decides
    resolver: Resolver | None = None
    #: forget the STS credentials the server called expired, so the next client() has new ones
    on_credentials_expired: Callable[[], None] | None = None


class Plumbing:
    def __init__(self, setup: EngineSetup) -> None:
        self.setup = setup
        self.client = setup.client
        self.buckets = setup.buckets
        self.schema = setup.schema
        self._journal = setup.journal
        self.scope = setup.scope
        self.settings = setup.settings
        self.resolver = setup.resolver
        self.on_credentials_expired = setup.on_credentials_expired
        self.index = LakeIndex(setup.client, setup.buckets, setup.journal, setup.scope)
        self.finisher = Finisher(setup.client, setup.schema, setup.journal, self.index, self.settings.retry,
                                 self.with_fresh_credentials)
        self.budget = Budget(self.settings.budget)
        self.buffers = BufferPool(self.settings.budget)
        self.rate_limiter = RateLimiter(self.settings.max_rate) if self.settings.max_rate > 0 else None
        self._files: ThreadPoolExecutor | None = None
        self._parts: ThreadPoolExecutor | None = None
        self._pools_lock = threading.Lock()

    @property
    def journal(self) -> Journal:
        return self._journal

    def taken_keys(self, job: TransferJob) -> set[str]:
        """Keys other running uploads of this engine are about to write (a renamed file must avoid them)."""
        return set()

    # -- threads -------------------------------------------------------------------------------

    def pools(self) -> tuple[ThreadPoolExecutor, ThreadPoolExecutor]:
        """The file pool (one thread drives one file) and the part pool (one thread sends one request)."""
        with self._pools_lock:
            if self._files is None or self._parts is None:
                lower = (self.settings.niceness,)
                self._files = ThreadPoolExecutor(self.settings.file_concurrency, thread_name_prefix="upload-file",
                                                 initializer=lower_thread_priority, initargs=lower)
                self._parts = ThreadPoolExecutor(self.settings.concurrency, thread_name_prefix="upload-part",
                                                 initializer=lower_thread_priority, initargs=lower)
            return self._files, self._parts

    def close_pools(self) -> None:
        with self._pools_lock:
            for pool in (self._files, self._parts):
                if pool is not None:
                    pool.shutdown(wait=True)
            self._files = self._parts = None

    def give_back(self, buffer: bytearray, charged: int) -> None:
        self.buffers.give(buffer)
        self.budget.release(charged)

    # -- requests ------------------------------------------------------------------------------

    def with_fresh_credentials(self, fn: Callable[[], T]) -> T:
        """Retry once with new STS credentials when the server says ours expired (clock skew)."""
        try:
            return fn()
        except S3Error as exc:
            if exc.code not in EXPIRED_CREDENTIALS or self.on_credentials_expired is None:
                raise
            self.on_credentials_expired()
            return fn()

    def logged_send(self, entry: JournalEntry, number: int, send: Callable[[], s3ops.WriteResult]
                    ) -> tuple[int, s3ops.WriteResult]:
        """One attempt to send a part, logged in the journal's ``sends`` (its outcome set on failure here, on
        success by :meth:`Journal.confirm_part`)."""
        send_id = self.journal.send_started(entry.id, number)
        try:
            return send_id, self.with_fresh_credentials(send)
        except BaseException as exc:
            code = exc.code if isinstance(exc, S3Error | s3ops.CompleteFailed) else None
            self.journal.send_failed(send_id, code or type(exc).__name__)
            raise

    def supersede(self, entry: JournalEntry, reason: str, job: TransferJob | None = None) -> None:
        log.info("superseding upload %s of %s: %s", entry.id, entry.key, reason)
        self.abort_entry(entry, job)
        self.journal.set_state(entry.id, UploadState.SUPERSEDED, reason)

    def abort_entry(self, entry: JournalEntry, job: TransferJob | None) -> None:
        """Abort the entry's multipart upload on the server (and any orphan it may have left)."""
        upload_ids = [entry.upload_id] if entry.upload_id else self.orphans(entry, job)
        for upload_id in upload_ids:
            self.abort_one(entry, upload_id, self.settings.retry, job)

    def abort_one(self, entry: JournalEntry, upload_id: str, policy: RetryPolicy, job: TransferJob | None) -> None:
        def abort() -> None:
            s3ops.abort(self.client(), entry.bucket, entry.key, upload_id)

        retry.call(abort, policy=policy, gate=gate(job), action=tr("cancel the upload of {key}", key=entry.key),
                   bucket=entry.bucket, on_retry=job.on_retry if job else None)

    def orphans(self, entry: JournalEntry, job: TransferJob | None) -> list[str]:
        """Uploads of this key started by a run killed between CreateMultipartUpload and the journal write."""
        if entry.part_count <= 1:
            return []
        pending = retry.call(lambda: s3ops.list_uploads(self.client(), entry.bucket, entry.key),
                             policy=self.settings.retry, gate=gate(job), action=tr("list unfinished uploads"),
                             bucket=entry.bucket)
        since = entry.created_at - 300  # clock skew between this computer and the server
        return [p.upload_id for p in pending if p.key == entry.key and
                (p.initiated is None or p.initiated.timestamp() >= since)]

    def put_sidecar(self, job: TransferJob, entry: JournalEntry, metadata: MetadataPlan) -> None:
        """The sidecar goes up just before the data appears, so the hook finds it when it sees the data."""
        if metadata.sidecar_key is None or metadata.sidecar_body is None:
            return
        body = metadata.sidecar_body
        sidecar_key = metadata.sidecar_key
        headers = s3ops.meta_headers(sidecar_headers(entry.key, metadata.headers.get("Uploader")))
        headers["Content-Type"] = "application/json"
        retry.call(
            lambda: s3ops.put_object(self.client(), entry.bucket, sidecar_key, body, headers,
                                     s3ops.b64_sha256(body), if_none_match=False),
            policy=self.settings.retry, gate=gate(job), action=tr("upload the metadata of {name}",
                                                                   name=job.item.path.name),
            bucket=entry.bucket, on_retry=job.on_retry)

    def late_conflict(self, job: TransferJob, entry: JournalEntry) -> AlreadyInLake:
        """Someone wrote the key between our check and our upload: abort ours, never replace theirs."""
        try:
            self.abort_entry(entry, job)
        finally:
            self.journal.set_state(entry.id, UploadState.FAILED, "the key was taken meanwhile")
        conflict = Conflict(kind=ConflictKind.SAME_KEY, path=job.item.path, key=entry.key, existing_key=entry.key,
                            state=State.PENDING, identical=False)
        return AlreadyInLake(conflict, f"{entry.key} appeared in the lake while {job.item.path.name} was being "
                                       "uploaded; nothing was replaced. Use --rename to upload under a new name.")

    def decide(self, job: TransferJob, conflict: Conflict) -> Resolution | None:
        """The user's answer (GUI), or the policy's (CLI flags); None or SKIP means do not upload."""
        if job.item.conflict is ConflictPolicy.ASK and self.resolver is not None:
            return self.resolver(conflict)
        return {ConflictPolicy.OVERWRITE: Resolution.OVERWRITE,
                ConflictPolicy.RENAME: Resolution.RENAME}.get(job.item.conflict)

    # -- reading the file ----------------------------------------------------------------------

    def hash(self, job: TransferJob, path: Path, plan: PartPlan) -> Hashed:
        """Read the file for its SHA-256 before sending: a file of one part is read into memory once and sent
        from there; a bigger one only when its name is taken (streaming, to tell whether it is the same file)."""
        if not plan.multipart:
            self.budget.acquire(plan.size, job.check)
            try:
                data = read_exact(path, 0, plan.size, whole=True)
            except BaseException:
                self.budget.release(plan.size)
                raise
            job.hashed_bytes = plan.size
            return Hashed(hashlib.sha256(data).hexdigest(), data)
        chunk_size = min(HASH_CHUNK, max(64 * 1024, self.budget.limit // 4))
        self.budget.acquire(chunk_size, job.check)
        full = hashlib.sha256()
        try:
            with path.open("rb", buffering=0) as handle:
                while chunk := handle.read(chunk_size):
                    job.check()
                    full.update(chunk)
                    job.hashed_bytes += len(chunk)
                    job.emit()
        finally:
            self.budget.release(chunk_size)
        if job.hashed_bytes != plan.size:
            raise Restart("the file changed size while it was read")
        return Hashed(full.hexdigest(), None)


def file_identity(path: Path) -> tuple[int, int]:
    """Size and modification time: what tells a changed file from the one an upload started with."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise StorageError(tr("Cannot read {name}: {reason}", name=path.name, reason=exc.strerror or exc)) from exc
    if not path.is_file():
        raise StorageError(tr("{name} is not a regular file.", name=path.name))
    return stat.st_size, stat.st_mtime_ns


def read_exact(path: Path, offset: int, length: int, *, whole: bool = False) -> bytes:
    try:
        with path.open("rb", buffering=0) as handle:
            data = os.pread(handle.fileno(), length + (1 if whole else 0), offset)
    except OSError as exc:
        raise StorageError(tr("Cannot read {name}: {reason}", name=path.name, reason=exc.strerror or exc)) from exc
    if len(data) != length:
        raise Restart("the file changed while it was read")
    return data


def first_error(errors: list[BaseException]) -> BaseException:
    """Prefer the cause over the knock-on Interrupted of parts that were told to stop."""
    for kind in (Cancelled, Restart, PlanetError):
        for error in errors:
            if isinstance(error, kind):
                return error
    for error in errors:
        if not isinstance(error, Interrupted):
            return error
    return errors[0]


__all__ = ["EngineSetup", "Hashed", "Plumbing", "Restart", "SourceChanged", "TransferSettings"]
