"""The upload engine: resumable, parallel, verified multipart uploads with bounded memory.

One engine serves the GUI, the CLI and the folder watcher. Each submitted file becomes a :class:`TransferJob`:

1. **check**: is the key already in the lake? (:mod:`.resolving`, :mod:`.conflicts`; when it is, the file is
   hashed first, to tell "the same file again" from "another file under a taken name")
2. **journal**: the upload is written to the local journal before anything changes on the server;
3. **send**: parts are read from disk one at a time, in order, and sent in parallel; the SHA-256 of the whole
   file is computed from those same reads while each part is on its way, so the file is read once and the
   hashing overlaps the network; a global limit bounds the requests in flight over all files, a byte budget
   bounds the file data held in memory; each part carries its CRC32C, which the server checks; each confirmed
   part and its ETag go to the journal at once (:mod:`.multipart`);
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

import itertools
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from minio.error import S3Error

from planet_gui.core.errors import MetadataInvalid, PlanetError, StorageError
from planet_gui.core.i18n import tr
from planet_gui.core.transfer import retry, s3ops
from planet_gui.core.transfer.conflicts import AlreadyInLake, Conflict, ConflictPolicy
from planet_gui.core.transfer.events import Done, EventStream, Progress, Queued, Subscriber
from planet_gui.core.transfer.finishing import UploadDamaged, object_headers, object_metadata
from planet_gui.core.transfer.job import Cancelled, Interrupted, TransferJob, UploadItem, UploadOutcome, gate
from planet_gui.core.transfer.journal import Claim, ConfirmedPart, JournalEntry, UploadState
from planet_gui.core.transfer.multipart import send_multipart
from planet_gui.core.transfer.plumbing import (
    EngineSetup,
    Hashed,
    Plumbing,
    Restart,
    SourceChanged,
    TransferSettings,
    file_identity,
)
from planet_gui.core.transfer.progress import FileState, Listener, Overall, RateMeter, TransferUpdate, eta
from planet_gui.core.transfer.resolving import previous_upload, resolve_key, same_source
from planet_gui.core.transfer.s3ops import Checksum
from planet_gui.core.transfer.sidecar import MetadataPlan, plan_metadata
from planet_gui.core.transfer.sizing import PartPlan, TooLarge, plan_parts

log = logging.getLogger(__name__)

#: a file that keeps changing while it is read is given up after this many fresh starts
MAX_SOURCE_RESTARTS = 2

__all__ = ["EngineSetup", "SourceChanged", "TransferEngine", "TransferSettings"]


class TransferEngine(Plumbing):
    """Runs the uploads; the :class:`~.job.JobContext` of its jobs; the source of the event stream."""

    def __init__(self, setup: EngineSetup) -> None:
        super().__init__(setup)
        setup.journal.prune()  # once per engine: bounded growth, done uploads remembered
        self.retries = 0  # requests that failed and were tried again, over all jobs
        self.events = EventStream()
        self._meter = RateMeter()
        self._jobs: list[TransferJob] = []
        self._jobs_lock = threading.Lock()
        # the jobs' sums, kept by their tally() calls: overall() reads them instead of walking every job
        self._sums_lock = threading.Lock()
        self._total = self._done = self._finished = self._failed = 0
        self._resumed = threading.Event()
        self._resumed.set()
        self._stopping = threading.Event()

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

    def stop(self, wait: bool = True) -> None:
        """Interrupt every upload, keeping them resumable (the journal keeps their state)."""
        self._stopping.set()
        self._resumed.set()
        if wait:
            for job in self.jobs():
                job.wait()

    def close(self) -> None:
        self.stop(wait=True)
        self.close_pools()

    def jobs(self) -> list[TransferJob]:
        with self._jobs_lock:
            return list(self._jobs)

    def clear_finished(self) -> None:
        with self._jobs_lock:
            kept = []
            for job in self._jobs:
                if not job.finished:
                    kept.append(job)
                    continue
                total, done, finished, failed = job.tallied()
                self.tally(total=-total, done=-done, finished=-finished, failed=-failed)
            self._jobs = kept

    def overall(self) -> Overall:
        """The batch's sums, kept up to date by the jobs (:meth:`tally`): O(1) per update, not O(jobs)."""
        with self._jobs_lock:
            files = len(self._jobs)
        with self._sums_lock:
            total, done, finished, failed = self._total, self._done, self._finished, self._failed
        rate = self._meter.rate()
        return Overall(files=files, finished=finished, failed=failed, total=total, done=done, rate=rate,
                       eta=eta(total - done, rate))

    def tally(self, *, total: int = 0, done: int = 0, finished: int = 0, failed: int = 0) -> None:
        with self._sums_lock:
            self._total += total
            self._done += done
            self._finished += finished
            self._failed += failed

    @property
    def followed(self) -> bool:
        return self.events.followed

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Follow every job of this engine (queued, progress, done); returns the function that stops it."""
        return self.events.subscribe(subscriber)

    # -- the job's context (:class:`~.job.JobContext`) -----------------------------------------

    def wait_resumed(self, timeout: float) -> None:
        self._resumed.wait(timeout)

    def count_sent(self, amount: int) -> None:
        self._meter.add(amount)

    def count_retry(self) -> None:
        self.retries += 1

    def publish(self, update: TransferUpdate) -> None:
        if self.events.followed:
            self.events.publish(Progress(update))

    def taken_keys(self, job: TransferJob) -> set[str]:
        return {j.key for j in self.jobs() if j is not job and not j.finished}

    # -- submitting ----------------------------------------------------------------------------

    def submit(self, item: UploadItem, on_update: Listener | None = None,
               resume_entry: JournalEntry | None = None) -> TransferJob:
        if self.stopping:
            raise StorageError(tr("The uploader is stopping; no new upload can start."))
        job = TransferJob(self, item, on_update, resume_entry)
        with self._jobs_lock:
            self._jobs.append(job)
        self.events.publish(Queued(job.id, item.path, item.key, resumed=resume_entry is not None))
        files, _ = self.pools()
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

    def running_entries(self) -> set[int]:
        """Journal entries a job of this engine drives now (resumed, or the same file submitted again)."""
        running: set[int] = set()
        for job in self.jobs():
            if not job.finished:
                running.update(job.entry_ids())
        return running

    def abandoned(self) -> list[JournalEntry]:
        """Unfinished uploads no job of this engine drives: what a crash, a kill or Ctrl-C left behind."""
        running = self.running_entries()
        return [entry for entry in self.unfinished() if entry.id not in running]

    def held_elsewhere(self, entry: JournalEntry) -> bool:
        """Another process (a window, a CLI upload, a watcher) drives this entry now: its claim is taken. The
        probe lets go at once."""
        claim = Claim(self.journal, entry.id)
        if not claim.acquire():
            return True
        claim.release()
        return False

    def resume_unfinished(self, on_update: Listener | None = None) -> list[TransferJob]:
        """Restart every upload the journal holds as unfinished (after a crash, a kill, a reboot)."""
        jobs = []
        for entry in self.abandoned():
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
                self.abort_entry(entry, None)
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
                except Restart as why:
                    if restart >= MAX_SOURCE_RESTARTS:
                        raise SourceChanged(tr("{name} keeps changing while it is uploaded; upload it once it "
                                               "is complete.", name=item.path.name)) from why
                    log.info("restarting %s: %s", item.path, why)
                    job.resume_entry = None
                    job.set_bytes(done=0, resumed=0)
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
            job.mark_finished()
            if job.outcome is not None:
                self.events.publish(Done(job.id, job.outcome))

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
                upload_ids = [entry.upload_id] if entry.upload_id else self.orphans(entry, None)
                for upload_id in upload_ids:
                    self.abort_one(entry, upload_id, policy, None)
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
                self.supersede(job.resume_entry, "the file is gone", job)
            raise StorageError(tr("{path} is gone; its interrupted upload was cancelled on the server.", path=path),
                               title="File gone")
        size, mtime_ns = file_identity(path)
        job.total = size
        try:
            plan = plan_parts(size, job.resume_entry.part_size if job.resume_entry else self.settings.part_size)
        except TooLarge as exc:
            raise StorageError(tr("{name}: {error}", name=path.name, error=exc)) from exc

        # an upload of this file or key left unfinished earlier (the journal), resumed if the file is the same
        previous = previous_upload(self, job, path)
        if previous is not None and not job.claim(previous.id):
            raise StorageError(tr("{name} is being uploaded by another PLANET Uploader window or command.",
                                  name=path.name))

        if plan.multipart:  # hashed while the parts stream (an interrupted upload may know it already)
            hashed = Hashed(previous.sha256 if previous is not None else "", None)
        else:
            job.set_state(FileState.HASHING)
            hashed = self.hash(job, path, plan)
        try:
            if file_identity(path) != (size, mtime_ns):
                raise Restart("the file changed while it was read")
            if previous is not None and same_source(previous, path, size, mtime_ns, hashed, plan):
                entry = previous
                job.key = entry.key
                log.info("resuming %s as %s (upload %s)", path, entry.key, entry.upload_id)
            else:
                if previous is not None:
                    self.supersede(previous, "the file changed since the interrupted upload", job)
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
                send_multipart(self, job, entry, plan, hashed, metadata, fresh=entry is not previous)
            else:
                self._send_single(job, entry, hashed, metadata)
        finally:
            if hashed.data is not None:
                self.budget.release(len(hashed.data))
                hashed.data = None

    def _begin(self, job: TransferJob, path: Path, size: int, mtime_ns: int, hashed: Hashed, plan: PartPlan
               ) -> JournalEntry:
        item = job.item
        values = {k: v for k, v in item.values.items() if v is not None and k != "sha256"}
        if item.validate:
            problems = self.schema.problems(values)
            if problems:
                raise MetadataInvalid([f"{path.name}: {p}" for p in problems])
        job.set_state(FileState.CHECKING)
        key, overwrite = resolve_key(self, job, path, size, hashed, plan)
        if hashed.sha256:
            values["sha256"] = hashed.sha256
        job.key = key
        metadata = plan_metadata(self.schema, values, key)
        entry = self.journal.begin(scope=self.scope, bucket=self.buckets.raw, key=key, path=path, size=size,
                                   mtime_ns=mtime_ns, sha256=hashed.sha256, part_size=plan.part_size,
                                   part_count=plan.part_count, values=values, overwrite=overwrite,
                                   sidecar_key=metadata.sidecar_key,
                                   part_checksum=s3ops.PART_CHECKSUM.value,
                                   durable=plan.multipart)  # a single PUT's COMPLETING write syncs it (_send_single)
        job.claim(entry.id)
        return entry

    def _send_single(self, job: TransferJob, entry: JournalEntry, hashed: Hashed, metadata: MetadataPlan) -> None:
        assert hashed.data is not None
        data = hashed.data
        job.check()
        if entry.state is UploadState.COMPLETING and self.finisher.already_complete(job, entry):
            return  # sent before a crash that came before the journal heard of it
        # durable before the server changes (the sidecar, then the data): it syncs the entry begun without a sync;
        # a run killed from here on looks for the object first (already_complete above), and sends what is missing
        self.journal.set_state(entry.id, UploadState.COMPLETING)
        self.put_sidecar(job, entry, metadata)
        _, parts_pool = self.pools()
        headers = object_headers(job, metadata)
        algorithm = Checksum(entry.part_checksum)
        expected = algorithm.b64(data)
        send_id, result = parts_pool.submit(self._put_whole, job, entry, data, headers, expected, algorithm).result()
        if result.checksum and result.checksum != expected:
            raise UploadDamaged(tr("The server computed a different checksum for {name}.", name=job.item.path.name))
        part = ConfirmedPart(1, len(data), expected, result.etag, "sent")
        if result.checksum != expected:
            self.journal.confirm_part(entry.id, part, send_id)
            self.finisher.verify_and_finish(job, entry, expected, result.etag, metadata)
            return
        # the server's checksum of what it stored is ours: content (and so size) verified by its answer; the part
        # is journaled with DONE, in one transaction (Journal.finish_single)
        self.finisher.verify_and_finish(job, entry, expected, result.etag, metadata, verified=True,
                                        confirmed=(part, send_id))

    def _put_whole(self, job: TransferJob, entry: JournalEntry, data: bytes, headers: dict[str, str],
                   checksum: str, algorithm: Checksum) -> tuple[int, s3ops.WriteResult]:
        def attempt() -> tuple[int, s3ops.WriteResult]:
            return self.logged_send(entry, 1, lambda: s3ops.put_object(
                self.client(), entry.bucket, entry.key, data, headers, checksum, if_none_match=not entry.overwrite,
                algorithm=algorithm))

        try:
            send_id, result = retry.call(attempt, policy=self.settings.retry, gate=gate(job),
                                         action=tr("upload {name}", name=job.item.path.name), bucket=entry.bucket,
                                         on_retry=job.on_retry)
        except S3Error as exc:
            if exc.code == "PreconditionFailed":
                raise self.late_conflict(job, entry) from exc
            raise retry.permanent_error(exc, tr("upload {name}", name=job.item.path.name), entry.bucket) from exc
        job.back_to(FileState.UPLOADING)
        job.add_sent(len(data))
        return send_id, result
