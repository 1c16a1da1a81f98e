"""The upload engine: resumable, parallel, verified multipart uploads with bounded memory.

One engine serves the GUI, the CLI and the folder watcher. Each submitted file becomes a :class:`TransferJob`:

1. **check**: is the key already in the lake? (:mod:`.conflicts`; when it is, the file is hashed first, to
   tell "the same file again" from "another file under a taken name")
2. **journal**: the upload is written to the local journal before anything changes on the server;
3. **send**: parts are read from disk one at a time, in order, and sent in parallel; the SHA-256 of the whole
   file is computed from those same reads while each part is on its way, so the file is read once and the
   hashing overlaps the network; a global limit bounds the requests in flight over all files, a byte budget
   bounds the file data held in memory; each part carries its CRC32C, which the server checks; each confirmed
   part and its ETag go to the journal at once;
4. **check content**: with the SHA-256 known (after the last part is read, while parts are still in flight),
   is the same content already in the lake? If the user says skip, the upload is aborted before it ever became
   an object;
5. **complete** with ``If-None-Match: *`` (no silent overwrite, even against a racing writer) and compare the
   server's composite checksum with ours;
6. **seal**: the upload was created with ``Sha256: pending`` (S3 fixes metadata at creation, before the SHA-256
   is known); once complete it gets its real metadata by a copy onto itself (:mod:`.finishing`). A file of one
   part is read into memory, hashed, and PUT with its SHA-256 directly;
7. **verify** size, SHA-256 metadata and checksum of the object (:mod:`.finishing`).

After a crash the journal holds the upload id and the confirmed parts: the next run asks the server which parts
it holds, adopts those it has but the journal missed (checked by MD5 against their ETag), reads the confirmed
parts again for the SHA-256 (checking each against its journaled checksum: a changed file restarts) and sends
only the rest. Transient failures are retried with backoff (:mod:`.retry`); pause holds new requests, cancel
aborts the multipart upload on the server.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from minio import Minio
from minio.error import S3Error

from planet_gui.core.errors import MetadataInvalid, PlanetError, StorageError
from planet_gui.core.i18n import tr
from planet_gui.core.profile import Buckets
from planet_gui.core.schema import Schema
from planet_gui.core.status import State
from planet_gui.core.transfer import retry, s3ops
from planet_gui.core.transfer.buffers import Budget, BufferPool, Lease
from planet_gui.core.transfer.conflicts import (
    AlreadyInLake,
    Conflict,
    ConflictKind,
    ConflictPolicy,
    LakeIndex,
    Resolution,
    Resolver,
)
from planet_gui.core.transfer.finishing import (
    Finisher,
    UploadDamaged,
    object_headers,
    object_metadata,
    transient_or_late_failure,
)
from planet_gui.core.transfer.job import Cancelled, Interrupted, TransferJob, UploadItem, UploadOutcome, gate
from planet_gui.core.transfer.journal import Claim, ConfirmedPart, Journal, JournalEntry, UploadState
from planet_gui.core.transfer.progress import (
    FileState,
    Listener,
    Overall,
    RateMeter,
    eta,
)
from planet_gui.core.transfer.ratelimit import RateLimiter
from planet_gui.core.transfer.retry import RetryPolicy
from planet_gui.core.transfer.s3ops import Checksum
from planet_gui.core.transfer.sidecar import MetadataPlan, plan_metadata, sidecar_headers
from planet_gui.core.transfer.sizing import DEFAULT_PART_SIZE, MiB, PartPlan, TooLarge, plan_parts

log = logging.getLogger(__name__)

HASH_CHUNK = 4 * MiB
#: adopting a part found on the server after a crash compares its ETag with the MD5 of the local part
_MAX_SOURCE_RESTARTS = 2


@dataclass(frozen=True)
class TransferSettings:
    concurrency: int = 3  # requests carrying data in flight at once, over all files
    file_concurrency: int = 4  # files being hashed/checked/driven at once
    part_size: int = DEFAULT_PART_SIZE
    memory_budget: int = 0  # bytes of file data in memory at once; 0 = (concurrency + 1) * part size
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_rate: int = 0  # bytes per second over all uploads; 0 = as fast as the network goes

    @property
    def budget(self) -> int:
        return self.memory_budget or (self.concurrency + 1) * self.part_size


class SourceChanged(StorageError):
    title = "File changed"


class _Restart(Exception):
    """Start this file's upload again from the beginning (file changed, upload vanished on the server)."""


class TransferEngine:
    def __init__(
        self,
        client: Callable[[], Minio],
        buckets: Buckets,
        schema: Schema,
        journal: Journal,
        *,
        scope: str,
        settings: TransferSettings | None = None,
        resolver: Resolver | None = None,
        listener: Listener | None = None,
        on_credentials_expired: Callable[[], None] | None = None,
    ) -> None:
        """``client`` is called for every request (the session's client, whose provider renews STS
        credentials): the engine never keeps credentials."""
        self.client = client
        self.buckets = buckets
        self.schema = schema
        self.journal = journal
        self.scope = scope
        self.settings = settings or TransferSettings()
        self.resolver = resolver
        self.listener = listener
        self.on_credentials_expired = on_credentials_expired
        self.index = LakeIndex(client, buckets, journal, scope)
        self.finisher = Finisher(client, schema, journal, self.index, self.settings.retry,
                                 self._with_fresh_credentials)
        journal.prune()  # once per engine: bounded growth, done uploads remembered
        self.budget = Budget(self.settings.budget)
        self.buffers = BufferPool(self.settings.budget)
        self.rate_limiter = RateLimiter(self.settings.max_rate) if self.settings.max_rate > 0 else None
        self.retries = 0  # requests that failed and were tried again, over all jobs
        self._meter = RateMeter()
        self._jobs: list[TransferJob] = []
        self._jobs_lock = threading.Lock()
        self._resumed = threading.Event()
        self._resumed.set()
        self._stopping = threading.Event()
        self._files: ThreadPoolExecutor | None = None
        self._parts: ThreadPoolExecutor | None = None
        self._pools_lock = threading.Lock()

    # -- control -------------------------------------------------------------------------------

    @property
    def paused(self) -> bool:
        return not self._resumed.is_set()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def pause(self) -> None:
        """Start no new request (those in flight finish); uploads continue on :meth:`resume`."""
        self._resumed.clear()

    def resume(self) -> None:
        self._resumed.set()

    def cancel_all(self) -> None:
        for job in self.jobs():
            job.cancel()

    def stop(self, wait: bool = True) -> None:
        """Interrupt every upload, keeping them resumable (the journal keeps their state)."""
        self._stopping.set()
        self._resumed.set()
        if wait:
            for job in self.jobs():
                job.wait()

    def close(self) -> None:
        self.stop(wait=True)
        with self._pools_lock:
            for pool in (self._files, self._parts):
                if pool is not None:
                    pool.shutdown(wait=True)
            self._files = self._parts = None

    def jobs(self) -> list[TransferJob]:
        with self._jobs_lock:
            return list(self._jobs)

    def clear_finished(self) -> None:
        with self._jobs_lock:
            self._jobs = [j for j in self._jobs if not j.finished]

    def overall(self) -> Overall:
        jobs = self.jobs()
        total = sum(j.total for j in jobs)
        done = sum(j.done_bytes for j in jobs)
        rate = self._meter.rate()
        finished = sum(1 for j in jobs if j.state.finished)
        failed = sum(1 for j in jobs if j.state in (FileState.FAILED,))
        return Overall(files=len(jobs), finished=finished, failed=failed, total=total, done=done, rate=rate,
                       eta=eta(total - done, rate))

    # -- submitting ----------------------------------------------------------------------------

    def _pools(self) -> tuple[ThreadPoolExecutor, ThreadPoolExecutor]:
        with self._pools_lock:
            if self._files is None or self._parts is None:
                self._files = ThreadPoolExecutor(self.settings.file_concurrency, thread_name_prefix="upload-file")
                self._parts = ThreadPoolExecutor(self.settings.concurrency, thread_name_prefix="upload-part")
            return self._files, self._parts

    def submit(self, item: UploadItem, on_update: Listener | None = None,
               resume_entry: JournalEntry | None = None) -> TransferJob:
        if self.stopping:
            raise StorageError(tr("The uploader is stopping; no new upload can start."))
        job = TransferJob(self, item, on_update, resume_entry)
        with self._jobs_lock:
            self._jobs.append(job)
        files, _ = self._pools()
        files.submit(self._run_job, job)
        job.emit(force=True)
        return job

    def run(self, items: Sequence[UploadItem], on_update: Listener | None = None) -> list[UploadOutcome]:
        """Upload ``items`` (in parallel) and wait for all of them."""
        jobs = [self.submit(item, on_update) for item in items]
        return [self._outcome(job) for job in jobs]

    @staticmethod
    def _outcome(job: TransferJob) -> UploadOutcome:
        job.wait()
        assert job.outcome is not None
        return job.outcome

    def unfinished(self) -> list[JournalEntry]:
        return self.journal.unfinished(self.scope)

    def resume_unfinished(self, on_update: Listener | None = None) -> list[TransferJob]:
        """Restart every upload the journal holds as unfinished (after a crash, a kill, a reboot)."""
        running: set[int] = set()  # entries a job of this engine drives (resumed, or the same file submitted)
        for job in self.jobs():
            if not job.finished:
                running.update(job._claims)
                running.update(e.id for e in (job.resume_entry, job.entry) if e is not None)
        jobs = []
        for entry in self.unfinished():
            if entry.id in running:
                continue
            values = {k: v for k, v in entry.values.items() if k != "sha256"}
            item = UploadItem(path=Path(entry.path), key=entry.key, values=values, validate=False,
                              conflict=ConflictPolicy.OVERWRITE if entry.overwrite else ConflictPolicy.REFUSE)
            jobs.append(self.submit(item, on_update, resume_entry=entry))
        return jobs

    def discard_unfinished(self) -> list[JournalEntry]:
        """Abort every unfinished upload on the server and forget it."""
        discarded = []
        for entry in self.unfinished():
            claim = Claim(self.journal, entry.id)
            if not claim.acquire():
                continue
            try:
                self._abort_entry(entry, None)
                self.journal.set_state(entry.id, UploadState.CANCELLED, "discarded")
                discarded.append(entry)
            finally:
                claim.release()
        return discarded

    # -- one file ------------------------------------------------------------------------------

    def _run_job(self, job: TransferJob) -> None:
        item = job.item
        try:
            for restart in itertools.count():
                try:
                    self._attempt(job)
                    break
                except _Restart as why:
                    if restart >= _MAX_SOURCE_RESTARTS:
                        raise SourceChanged(tr("{name} keeps changing while it is uploaded; upload it once it "
                                               "is complete.", name=item.path.name)) from why
                    log.info("restarting %s: %s", item.path, why)
                    job.resume_entry = None
                    with job._lock:
                        job.done_bytes = job.resumed_bytes = 0
            assert job.outcome is not None
        except Cancelled:
            try:
                self._cancel_on_server(job)
            except PlanetError as exc:
                self._finish(job, FileState.FAILED, f"Cancelled, but {exc.message}", error=exc)
            else:
                self._finish(job, FileState.CANCELLED, "Cancelled; nothing is left on the server.")
        except Interrupted:
            self._finish(job, FileState.PAUSED, "Interrupted; the upload resumes where it stopped next time.")
        except AlreadyInLake as exc:
            self._finish(job, FileState.SKIPPED if exc.conflict.identical else FileState.FAILED, exc.message,
                         error=exc, conflict=exc.conflict)
        except PlanetError as exc:
            self._finish(job, FileState.FAILED, exc.message, error=exc)
        except Exception as exc:  # noqa: BLE001 - reported on the file, never kills the engine
            log.exception("upload of %s failed", item.path)
            self._finish(job, FileState.FAILED, f"{type(exc).__name__}: {exc}",
                         error=StorageError(tr("Unexpected error uploading {name}: {error}",
                                               name=item.path.name, error=exc)))
        finally:
            job.release_claims()
            job._finished.set()

    def _cancel_on_server(self, job: TransferJob) -> None:
        """Abort the multipart upload (after the parts in flight ended) and check the server lists it no more."""
        entry = job.entry
        if entry is None:
            return  # cancelled before anything reached the server
        entry = self.journal.get(entry.id)
        if entry.state not in (UploadState.ACTIVE, UploadState.COMPLETING):
            return
        policy = replace(self.settings.retry, max_elapsed=min(self.settings.retry.max_elapsed or 120.0, 120.0))
        if entry.part_count > 1:
            for _ in range(3):
                upload_ids = [entry.upload_id] if entry.upload_id else self._orphans(entry, None)
                for upload_id in upload_ids:
                    self._abort_one(entry, upload_id, policy, None)
                left = retry.call(lambda: s3ops.list_uploads(self.client(), entry.bucket, entry.key),
                                  policy=policy, action=tr("list unfinished uploads"), bucket=entry.bucket)
                if not any(p.key == entry.key and p.upload_id == entry.upload_id for p in left):
                    break
            else:
                raise StorageError(tr("the server still lists the upload of {key}", key=entry.key))
        self.journal.set_state(entry.id, UploadState.CANCELLED, "cancelled")

    def _finish(self, job: TransferJob, state: FileState, message: str, *, error: PlanetError | None = None,
                conflict: Conflict | None = None) -> None:
        if job.outcome is None:
            job.outcome = UploadOutcome(path=job.item.path, state=state, key=job.key, bucket=self.buckets.raw,
                                        size=job.total, resumed_bytes=job.resumed_bytes, sent_bytes=job.sent_bytes,
                                        error=error, conflict=conflict)
        job.set_state(state, message)

    def _attempt(self, job: TransferJob) -> None:
        item = job.item
        path = item.path.expanduser().absolute()
        job.check()
        if job.resume_entry is not None and not path.exists():
            if job.claim(job.resume_entry.id):  # nothing to resume from: drop what the server holds of it
                self._supersede(job.resume_entry, "the file is gone", job)
            raise StorageError(tr("{path} is gone; its interrupted upload was cancelled on the server.", path=path),
                               title="File gone")
        size, mtime_ns = _identity(path)
        job.total = size
        try:
            plan = plan_parts(size, job.resume_entry.part_size if job.resume_entry else self.settings.part_size)
        except TooLarge as exc:
            raise StorageError(tr("{name}: {error}", name=path.name, error=exc)) from exc

        # an upload of this file or key left unfinished earlier (the journal), resumed if the file is the same
        previous = self._previous(job, path)
        if previous is not None and not job.claim(previous.id):
            raise StorageError(tr("{name} is being uploaded by another PLANET Uploader window or command.",
                                  name=path.name))

        if plan.multipart:  # hashed while the parts stream (an interrupted upload may know it already)
            hashed = _Hashed(previous.sha256 if previous is not None else "", None)
        else:
            job.set_state(FileState.HASHING)
            hashed = self._hash(job, path, plan)
        try:
            if _identity(path) != (size, mtime_ns):
                raise _Restart("the file changed while it was read")
            if previous is not None and self._same_source(previous, path, size, mtime_ns, hashed, plan):
                entry = previous
                job.key = entry.key
                log.info("resuming %s as %s (upload %s)", path, entry.key, entry.upload_id)
            else:
                if previous is not None:
                    self._supersede(previous, "the file changed since the interrupted upload", job)
                    job.release_claims()
                    if job.resume_entry is not None:
                        log.warning("%s changed since its upload was interrupted; uploading it again from the "
                                    "start", path)
                entry = self._begin(job, path, size, mtime_ns, hashed, plan)
            job.entry = entry
            metadata = object_metadata(self.schema, entry)
            job.meter.mark()
            self._meter.mark()
            job.set_state(FileState.UPLOADING)
            if plan.multipart:
                self._send_multipart(job, entry, plan, hashed, metadata, fresh=entry is not previous)
            else:
                self._send_single(job, entry, hashed, metadata)
        finally:
            if hashed.data is not None:
                self.budget.release(len(hashed.data))
                hashed.data = None

    def _previous(self, job: TransferJob, path: Path) -> JournalEntry | None:
        """The unfinished journal entry this job continues, if any; others for the same file are superseded."""
        if job.resume_entry is not None:
            return job.resume_entry
        candidates = [e for e in self.journal.unfinished_for_path(self.scope, path) if e.bucket == self.buckets.raw]
        same_key = [e for e in candidates if e.key == job.key]
        for other in candidates:
            if other not in same_key[-1:]:
                claim = Claim(self.journal, other.id)
                if claim.acquire():
                    try:
                        self._supersede(other, "the same file was submitted again", job)
                    finally:
                        claim.release()
        return same_key[-1] if same_key else None

    def _same_source(self, entry: JournalEntry, path: Path, size: int, mtime_ns: int, hashed: _Hashed,
                     plan: PartPlan) -> bool:
        if (entry.size, entry.mtime_ns, entry.part_size) != (size, mtime_ns, plan.part_size):
            return False
        if entry.sha256 and hashed.sha256 and entry.sha256 != hashed.sha256:
            return False
        return entry.path == str(path)

    def _supersede(self, entry: JournalEntry, reason: str, job: TransferJob | None = None) -> None:
        log.info("superseding upload %s of %s: %s", entry.id, entry.key, reason)
        self._abort_entry(entry, job)
        self.journal.set_state(entry.id, UploadState.SUPERSEDED, reason)

    def _abort_entry(self, entry: JournalEntry, job: TransferJob | None) -> None:
        """Abort the entry's multipart upload on the server (and any orphan it may have left)."""
        upload_ids = [entry.upload_id] if entry.upload_id else self._orphans(entry, job)
        for upload_id in upload_ids:
            self._abort_one(entry, upload_id, self.settings.retry, job)

    def _abort_one(self, entry: JournalEntry, upload_id: str, policy: RetryPolicy, job: TransferJob | None) -> None:
        def abort() -> None:
            s3ops.abort(self.client(), entry.bucket, entry.key, upload_id)

        retry.call(abort, policy=policy, gate=gate(job), action=tr("cancel the upload of {key}", key=entry.key),
                   bucket=entry.bucket, on_retry=job.on_retry if job else None)

    def _orphans(self, entry: JournalEntry, job: TransferJob | None) -> list[str]:
        """Uploads of this key started by a run killed between CreateMultipartUpload and the journal write."""
        if entry.part_count <= 1:
            return []
        pending = retry.call(lambda: s3ops.list_uploads(self.client(), entry.bucket, entry.key),
                             policy=self.settings.retry, gate=gate(job), action=tr("list unfinished uploads"),
                             bucket=entry.bucket)
        since = entry.created_at - 300  # clock skew between this computer and the server
        return [p.upload_id for p in pending if p.key == entry.key and
                (p.initiated is None or p.initiated.timestamp() >= since)]

    # -- hashing -------------------------------------------------------------------------------

    def _hash(self, job: TransferJob, path: Path, plan: PartPlan) -> _Hashed:
        """Read the file for its SHA-256 before sending: a file of one part is read into memory once and sent
        from there; a bigger one only when its name is taken (streaming, to tell whether it is the same file)."""
        if not plan.multipart:
            self.budget.acquire(plan.size, job.check)
            try:
                data = _read_exact(path, 0, plan.size, whole=True)
            except BaseException:
                self.budget.release(plan.size)
                raise
            job.hashed_bytes = plan.size
            return _Hashed(hashlib.sha256(data).hexdigest(), data)
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
            raise _Restart("the file changed size while it was read")
        return _Hashed(full.hexdigest(), None)

    # -- starting an upload --------------------------------------------------------------------

    def _begin(self, job: TransferJob, path: Path, size: int, mtime_ns: int, hashed: _Hashed, plan: PartPlan
               ) -> JournalEntry:
        item = job.item
        values = {k: v for k, v in item.values.items() if v is not None and k != "sha256"}
        if item.validate:
            problems = self.schema.problems(values)
            if problems:
                raise MetadataInvalid([f"{path.name}: {p}" for p in problems])
        job.set_state(FileState.CHECKING)
        key, overwrite = self._resolve_conflicts(job, path, size, hashed, plan)
        if hashed.sha256:
            values["sha256"] = hashed.sha256
        job.key = key
        metadata = plan_metadata(self.schema, values, key)
        entry = self.journal.begin(scope=self.scope, bucket=self.buckets.raw, key=key, path=path, size=size,
                                   mtime_ns=mtime_ns, sha256=hashed.sha256, part_size=plan.part_size,
                                   part_count=plan.part_count, values=values, overwrite=overwrite,
                                   sidecar_key=metadata.sidecar_key,
                                   part_checksum=s3ops.PART_CHECKSUM.value)
        job.claim(entry.id)
        return entry

    def _decide(self, job: TransferJob, conflict: Conflict) -> Resolution | None:
        """The user's answer (GUI), or the policy's (CLI flags); None or SKIP means do not upload."""
        if job.item.conflict is ConflictPolicy.ASK and self.resolver is not None:
            return self.resolver(conflict)
        return {ConflictPolicy.OVERWRITE: Resolution.OVERWRITE,
                ConflictPolicy.RENAME: Resolution.RENAME}.get(job.item.conflict)

    def _resolve_conflicts(self, job: TransferJob, path: Path, size: int, hashed: _Hashed, plan: PartPlan
                           ) -> tuple[str, bool]:
        """The key to upload to and whether it may replace a pending object, or raise AlreadyInLake. Without
        the SHA-256 yet, only the key is checked (the content is checked before completing, in
        :meth:`_content_conflict`), unless the key is taken: then the file is hashed now, because "this very file
        is there already" is skipped, not asked about."""
        key = job.key

        def find() -> Conflict | None:
            return self.index.conflict_for(path, key, size, hashed.sha256 or None)

        def check() -> Conflict | None:
            return retry.call(find, policy=self.settings.retry, gate=gate(job),
                              action=tr("check whether {name} is already in the lake", name=path.name),
                              bucket=self.buckets.raw, on_retry=job.on_retry)

        conflict = check()
        if conflict is not None and not hashed.sha256:
            job.set_state(FileState.HASHING)
            hashed.sha256 = self._hash(job, path, plan).sha256
            job.set_state(FileState.CHECKING)
            conflict = check()
        if conflict is None:
            return key, False
        decision = self._decide(job, conflict)
        if decision is None or decision is Resolution.SKIP:
            raise AlreadyInLake(conflict)
        if conflict.kind is ConflictKind.SAME_CONTENT:
            return key, False  # the key itself is free: the user chose to keep a second copy
        if decision is Resolution.OVERWRITE:
            if not conflict.can_overwrite:
                raise AlreadyInLake(conflict)
            return key, True
        taken = {j.key for j in self.jobs() if j is not job and not j.finished}
        new_key = retry.call(lambda: self.index.free_key(key, taken), policy=self.settings.retry, gate=gate(job),
                             action=tr("find a free name"), bucket=self.buckets.raw, on_retry=job.on_retry)
        log.info("%s exists; uploading %s as %s", key, path.name, new_key)
        return new_key, False

    # -- single PUT ----------------------------------------------------------------------------

    def _send_single(self, job: TransferJob, entry: JournalEntry, hashed: _Hashed, metadata: MetadataPlan) -> None:
        assert hashed.data is not None
        data = hashed.data
        job.check()
        if entry.state is UploadState.COMPLETING and self.finisher.already_complete(job, entry):
            return  # sent before a crash that came before the journal heard of it
        self._put_sidecar(job, entry, metadata)
        self.journal.set_state(entry.id, UploadState.COMPLETING)
        _, parts_pool = self._pools()
        headers = object_headers(job, metadata)
        algorithm = Checksum(entry.part_checksum)
        expected = algorithm.b64(data)
        result = parts_pool.submit(self._put_whole, job, entry, data, headers, expected, algorithm).result()
        if result.checksum and result.checksum != expected:
            raise UploadDamaged(tr("The server computed a different checksum for {name}.", name=job.item.path.name))
        # the server's checksum of what it stored is ours: content (and so size) verified by its answer
        self.finisher.verify_and_finish(job, entry, expected, result.etag, metadata,
                                        verified=result.checksum == expected)

    def _put_whole(self, job: TransferJob, entry: JournalEntry, data: bytes, headers: dict[str, str],
                   checksum: str, algorithm: Checksum) -> s3ops.WriteResult:
        def attempt() -> tuple[int, s3ops.WriteResult]:
            return self._logged_send(entry, 1, lambda: s3ops.put_object(
                self.client(), entry.bucket, entry.key, data, headers, checksum, if_none_match=not entry.overwrite,
                algorithm=algorithm))

        try:
            send_id, result = retry.call(attempt, policy=self.settings.retry, gate=gate(job),
                                         action=tr("upload {name}", name=job.item.path.name), bucket=entry.bucket,
                                         on_retry=job.on_retry)
        except S3Error as exc:
            if exc.code == "PreconditionFailed":
                raise self._late_conflict(job, entry) from exc
            raise retry.permanent_error(exc, tr("upload {name}", name=job.item.path.name), entry.bucket) from exc
        self.journal.confirm_part(entry.id, ConfirmedPart(1, len(data), checksum, result.etag, "sent"), send_id)
        job.back_to(FileState.UPLOADING)
        job.add_sent(len(data))
        return result

    # -- multipart -----------------------------------------------------------------------------

    def _send_multipart(self, job: TransferJob, entry: JournalEntry, plan: PartPlan, hashed: _Hashed,
                        metadata: MetadataPlan, *, fresh: bool) -> None:
        """``fresh``: the journal entry was made by this attempt, so no earlier run can have left an upload of
        it on the server."""
        name = job.item.path.name
        algorithm = Checksum(entry.part_checksum)
        upload_id = entry.upload_id
        created = upload_id is None
        if upload_id is None:
            if not fresh:
                self._abort_entry(entry, job)  # an orphan from a run killed right after creating it
            headers = object_headers(job, metadata)
            upload_id = retry.call(
                lambda: self._with_fresh_credentials(
                    lambda: s3ops.create_multipart(self.client(), entry.bucket, entry.key, headers, algorithm)),
                policy=self.settings.retry, gate=gate(job), action=tr("start the upload of {name}", name=name),
                bucket=entry.bucket, on_retry=job.on_retry)
            self.journal.set_upload_id(entry.id, upload_id)
            entry = replace(entry, upload_id=upload_id)
        confirmed = {} if created else self._reconcile(job, entry, plan)  # a new upload holds no parts
        if confirmed is None:  # the server no longer knows the upload: completed before a crash, or gone
            interrupted_late = entry.state in (UploadState.COMPLETING, UploadState.SEALING)
            if interrupted_late and self.finisher.already_complete(job, entry):
                return
            self.journal.forget_parts(entry.id)
            self.journal.set_upload_id(entry.id, None)
            raise _Restart("the server no longer knows the upload")
        with job._lock:
            job.resumed_bytes = sum(p.size for p in confirmed.values())
            job.done_bytes = job.resumed_bytes
        job.emit(force=True)
        content: list[Conflict | None] = []  # checked while the last parts are still on their way
        sha256 = self._send_parts(job, entry, plan, confirmed, on_hashed=None if entry.sha256 else
                                  lambda digest: content.append(self._content_conflict(job, entry, digest)))
        job.check()
        parts = self.journal.parts(entry.id)
        if sorted(parts) != list(range(1, plan.part_count + 1)):
            raise StorageError(tr("Not every part of {name} reached the server.", name=name))
        if _identity(job.item.path) != (entry.size, entry.mtime_ns):
            raise _Restart("the file changed while it was uploaded")  # its journal identity no longer matches
        if entry.sha256 and entry.sha256 != sha256:
            self._supersede(entry, "the file changed since its SHA-256 was taken", job)
            raise _Restart("the file changed since its SHA-256 was taken")
        if not entry.sha256:
            self.journal.set_sha256(entry.id, sha256)
            entry = replace(entry, sha256=sha256)
            self._settle_content(job, entry, content[0] if content else self._content_conflict(job, entry, sha256))
        metadata = object_metadata(self.schema, entry)
        if metadata.sidecar_key != entry.sidecar_key:  # the real SHA-256 can tip the metadata over 2 KB
            self.journal.set_key(entry.id, entry.key, metadata.sidecar_key)
            entry = replace(entry, sidecar_key=metadata.sidecar_key)
        self._put_sidecar(job, entry, metadata)
        self.journal.set_state(entry.id, UploadState.COMPLETING)
        job.set_state(FileState.COMPLETING)
        expected = algorithm.composite([parts[n].checksum for n in sorted(parts)])
        ordered = [(n, parts[n].etag, parts[n].checksum) for n in sorted(parts)]
        try:
            result = retry.call(
                lambda: self._with_fresh_credentials(lambda: s3ops.complete(
                    self.client(), entry.bucket, entry.key, upload_id, ordered, if_none_match=not entry.overwrite,
                    algorithm=algorithm)),
                policy=self.settings.retry, gate=gate(job), action=tr("complete the upload of {name}", name=name),
                bucket=entry.bucket, on_retry=job.on_retry,
                transient=transient_or_late_failure)
        except S3Error as exc:
            if exc.code == "PreconditionFailed":
                raise self._late_conflict(job, entry) from exc
            if exc.code == "NoSuchUpload" and self.finisher.already_complete(job, entry):
                return  # a retried Complete whose first answer was lost
            raise retry.permanent_error(exc, tr("complete the upload of {name}", name=name), entry.bucket) from exc
        except s3ops.CompleteFailed as exc:
            raise StorageError(tr("Could not complete the upload of {name}: {code}: {message}",
                                  name=name, code=exc.code, message=exc.message)) from exc
        if result.checksum and result.checksum != expected:
            raise UploadDamaged(tr("The server's checksum of {name} ({checksum}) is not ours ({expected}).",
                                   name=name, checksum=result.checksum, expected=expected))
        self.finisher.verify_and_finish(job, entry, expected, result.etag, metadata)

    def _reconcile(self, job: TransferJob, entry: JournalEntry, plan: PartPlan) -> dict[int, ConfirmedPart] | None:
        """The parts the server holds and we can trust; None when the server no longer knows the upload."""
        assert entry.upload_id is not None
        upload_id = entry.upload_id
        algorithm = Checksum(entry.part_checksum)
        journaled = self.journal.parts(entry.id)
        try:
            on_server = retry.call(
                lambda: s3ops.list_parts(self.client(), entry.bucket, entry.key, upload_id),
                policy=self.settings.retry, gate=gate(job), action=tr("resume the upload of {name}",
                                                                       name=job.item.path.name),
                bucket=entry.bucket, on_retry=job.on_retry)
        except S3Error as exc:
            if exc.code == "NoSuchUpload":
                return None
            raise retry.permanent_error(exc, tr("resume the upload of {name}", name=job.item.path.name),
                                        entry.bucket) from exc
        server = {p.number: p for p in on_server}
        confirmed: dict[int, ConfirmedPart] = {}
        for number, part in journaled.items():
            held = server.get(number)
            if held is not None and held.etag == part.etag and held.size == part.size:
                confirmed[number] = part
        for number, held in server.items():
            if number in confirmed or not 1 <= number <= plan.part_count:
                continue
            offset, length = plan.bounds(number)
            if held.size != length:
                continue
            data = _read_exact(job.item.path, offset, length)
            if hashlib.md5(data, usedforsecurity=False).hexdigest() == held.etag:
                part = ConfirmedPart(number, length, algorithm.b64(data), held.etag, "adopted")
                self.journal.confirm_part(entry.id, part)
                confirmed[number] = part
                log.info("part %d of %s was on the server already; not sent again", number, entry.key)
        return confirmed

    def _send_parts(self, job: TransferJob, entry: JournalEntry, plan: PartPlan,
                    confirmed: Mapping[int, ConfirmedPart], on_hashed: Callable[[str], None] | None = None) -> str:
        """Read every part in order, hashing the whole file on the way; send the missing ones in parallel (stop
        at the first failure), check the confirmed ones against their journaled checksum. Returns the SHA-256.
        ``on_hashed`` gets the SHA-256 as soon as the last part is read, while parts may still be in flight."""
        _, pool = self._pools()
        algorithm = Checksum(entry.part_checksum)
        full = hashlib.sha256()
        futures: list[Future[None]] = []
        failed = threading.Event()
        changed = False
        try:
            with job.item.path.open("rb", buffering=0) as handle:
                for number in range(1, plan.part_count + 1):
                    if failed.is_set():
                        break
                    job.check()
                    offset, length = plan.bounds(number)
                    sending = number not in confirmed
                    if sending and self.rate_limiter is not None:
                        self.rate_limiter.acquire(length, job.check)
                    self.budget.acquire(plan.part_size, job.check)
                    buffer = self.buffers.take(plan.part_size)
                    data = memoryview(buffer)[:length]
                    try:
                        if os.preadv(handle.fileno(), [data], offset) != length:
                            raise _Restart("the file got shorter while it was uploaded")
                        if not sending:
                            full.update(data)
                            changed = algorithm.b64(data) != confirmed[number].checksum
                    except BaseException:
                        self._give_back(buffer, plan.part_size)
                        raise
                    if not sending:
                        self._give_back(buffer, plan.part_size)
                        if changed:
                            break
                        continue
                    # sent while this thread hashes it: the first part leaves without waiting for its SHA-256
                    lease = Lease(buffer, plan.part_size, self._give_back)
                    try:
                        futures.append(pool.submit(self._part_task, job, entry, number, data, lease, failed))
                    except BaseException:
                        lease.done()  # the task's share: it never ran
                        lease.done()
                        raise
                    try:
                        full.update(data)  # in order, by this thread alone; releases the GIL for big buffers
                    finally:
                        lease.done()
            if on_hashed is not None and not failed.is_set() and not changed:
                on_hashed(full.hexdigest())
        finally:
            errors = []
            for future in futures:
                try:
                    future.result()
                except BaseException as exc:  # noqa: BLE001 - the first meaningful one is raised below
                    errors.append(exc)
        if errors:
            raise _first_error(errors)
        if changed:  # a part the server holds is not the file's any more: never mix old and new bytes
            self._supersede(entry, "the file changed since its upload was interrupted", job)
            raise _Restart("the file changed since its upload was interrupted")
        return full.hexdigest()

    def _give_back(self, buffer: bytearray, charged: int) -> None:
        self.buffers.give(buffer)
        self.budget.release(charged)

    def _part_task(self, job: TransferJob, entry: JournalEntry, number: int, data: memoryview, lease: Lease,
                   failed: threading.Event) -> None:
        """Send one part (``data``, a view of the lease's buffer, which goes back to the pool afterwards)."""
        assert entry.upload_id is not None
        upload_id = entry.upload_id
        algorithm = Checksum(entry.part_checksum)
        length = len(data)
        try:
            if failed.is_set():
                raise Interrupted()
            job.check()
            checksum = algorithm.b64(data)  # sent along; the server refuses the part if it does not match

            def attempt() -> tuple[int, s3ops.WriteResult]:
                return self._logged_send(entry, number, lambda: s3ops.upload_part(
                    self.client(), entry.bucket, entry.key, upload_id, number, data, checksum, algorithm))

            try:
                send_id, result = retry.call(attempt, policy=self.settings.retry, gate=gate(job),
                                             action=tr("send part {number} of {name}",
                                                       number=number, name=job.item.path.name),
                                             bucket=entry.bucket, on_retry=job.on_retry)
            except S3Error as exc:
                if exc.code == "BadDigest":
                    raise _Restart("the file changed while it was uploaded") from exc
                if exc.code == "NoSuchUpload":
                    raise _Restart("the server no longer knows the upload") from exc
                raise retry.permanent_error(exc, tr("upload {name}", name=job.item.path.name), entry.bucket) from exc
            if result.checksum and result.checksum != checksum:
                raise UploadDamaged(tr("The server computed a different checksum for part {number} of {name}.",
                                       number=number, name=job.item.path.name))
            self.journal.confirm_part(entry.id, ConfirmedPart(number, length, checksum, result.etag, "sent"),
                                      send_id)
            job.back_to(FileState.UPLOADING)
            job.add_sent(length)
        except BaseException:
            failed.set()
            raise
        finally:
            lease.done()

    def _content_conflict(self, job: TransferJob, entry: JournalEntry, sha256: str) -> Conflict | None:
        """With the SHA-256 known at last: is the same content in the lake already?"""
        path = job.item.path
        return retry.call(lambda: self.index.content_conflict(path, entry.key, entry.size, sha256),
                          policy=self.settings.retry, gate=gate(job),
                          action=tr("check whether {name} is already in the lake", name=path.name),
                          bucket=entry.bucket, on_retry=job.on_retry)

    def _settle_content(self, job: TransferJob, entry: JournalEntry, conflict: Conflict | None) -> None:
        """The user's (or the policy's) answer to the same content in the lake. Skipping aborts the upload, so
        nothing of it ever appears in the lake."""
        if conflict is None:
            return
        decision = self._decide(job, conflict)
        if decision is not None and decision is not Resolution.SKIP:
            return  # the user keeps a second copy under this key
        self._abort_entry(entry, job)
        self.journal.set_state(entry.id, UploadState.CANCELLED, "the same content is in the lake already")
        raise AlreadyInLake(conflict)

    def _put_sidecar(self, job: TransferJob, entry: JournalEntry, metadata: MetadataPlan) -> None:
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

    def _late_conflict(self, job: TransferJob, entry: JournalEntry) -> AlreadyInLake:
        """Someone wrote the key between our check and our upload: abort ours, never replace theirs."""
        try:
            self._abort_entry(entry, job)
        finally:
            self.journal.set_state(entry.id, UploadState.FAILED, "the key was taken meanwhile")
        conflict = Conflict(kind=ConflictKind.SAME_KEY, path=job.item.path, key=entry.key, existing_key=entry.key,
                            state=State.PENDING, identical=False)
        return AlreadyInLake(conflict, f"{entry.key} appeared in the lake while {job.item.path.name} was being "
                                       "uploaded; nothing was replaced. Use --rename to upload under a new name.")

    def _logged_send(self, entry: JournalEntry, number: int, send: Callable[[], s3ops.WriteResult]
                     ) -> tuple[int, s3ops.WriteResult]:
        """One attempt to send a part, logged in the journal's ``sends`` (its outcome set on failure here, on
        success by :meth:`Journal.confirm_part`)."""
        send_id = self.journal.send_started(entry.id, number)
        try:
            return send_id, self._with_fresh_credentials(send)
        except BaseException as exc:
            self.journal.send_failed(send_id, getattr(exc, "code", None) or type(exc).__name__)
            raise

    def _with_fresh_credentials(self, fn: Callable[[], Any]) -> Any:
        """Retry once with new STS credentials when the server says ours expired (clock skew)."""
        try:
            return fn()
        except S3Error as exc:
            if exc.code not in {"ExpiredToken", "InvalidToken", "TokenRefreshRequired"} or \
                    self.on_credentials_expired is None:
                raise
            self.on_credentials_expired()
            return fn()


@dataclass
class _Hashed:
    sha256: str  # hex, of the whole file
    data: bytes | None  # the whole file, for a single PUT (held within the budget)


def _identity(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError as exc:
        raise StorageError(tr("Cannot read {name}: {reason}", name=path.name, reason=exc.strerror or exc)) from exc
    if not path.is_file():
        raise StorageError(tr("{name} is not a regular file.", name=path.name))
    return stat.st_size, stat.st_mtime_ns


def _read_exact(path: Path, offset: int, length: int, *, whole: bool = False) -> bytes:
    try:
        with path.open("rb", buffering=0) as handle:
            data = os.pread(handle.fileno(), length + (1 if whole else 0), offset)
    except OSError as exc:
        raise StorageError(tr("Cannot read {name}: {reason}", name=path.name, reason=exc.strerror or exc)) from exc
    if len(data) != length:
        raise _Restart("the file changed while it was read")
    return data


def _first_error(errors: list[BaseException]) -> BaseException:
    """Prefer the cause over the knock-on Interrupted of parts that were told to stop."""
    for kind in (Cancelled, _Restart, PlanetError):
        for error in errors:
            if isinstance(error, kind):
                return error
    for error in errors:
        if not isinstance(error, Interrupted):
            return error
    return errors[0]

