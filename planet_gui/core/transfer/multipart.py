"""Sending a file of many parts: create the multipart upload (or find what the server still holds of an
interrupted one), read every part once in order and send the missing ones in parallel while the same reads give
the SHA-256 of the whole file, check the content against the lake once that SHA-256 is known, then complete with
``If-None-Match`` and hand over to :mod:`.finishing` for the seal and the verification.

Memory stays bounded: each part is read into a buffer from the engine's pool, charged to its byte budget, and
given back once it is both sent and hashed (:class:`~.buffers.Lease`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import replace

from minio.error import S3Error

from planet_gui.core.errors import StorageError
from planet_gui.core.i18n import tr
from planet_gui.core.transfer import retry, s3ops
from planet_gui.core.transfer.buffers import Lease
from planet_gui.core.transfer.conflicts import Conflict
from planet_gui.core.transfer.finishing import UploadDamaged, object_headers, object_metadata, transient_or_late_failure
from planet_gui.core.transfer.job import Interrupted, TransferJob, gate
from planet_gui.core.transfer.journal import ConfirmedPart, JournalEntry, UploadState
from planet_gui.core.transfer.plumbing import Hashed, Plumbing, Restart, file_identity, first_error, read_exact
from planet_gui.core.transfer.progress import FileState
from planet_gui.core.transfer.resolving import content_conflict, settle_content
from planet_gui.core.transfer.s3ops import Checksum
from planet_gui.core.transfer.sidecar import MetadataPlan
from planet_gui.core.transfer.sizing import PartPlan

log = logging.getLogger(__name__)


def send_multipart(base: Plumbing, job: TransferJob, entry: JournalEntry, plan: PartPlan, hashed: Hashed,
                    metadata: MetadataPlan, *, fresh: bool) -> None:
    """``fresh``: the journal entry was made by this attempt, so no earlier run can have left an upload of
    it on the server."""
    name = job.item.path.name
    algorithm = Checksum(entry.part_checksum)
    upload_id = entry.upload_id
    created = upload_id is None
    if upload_id is None:
        if not fresh:
            base.abort_entry(entry, job)  # an orphan from a run killed right after creating it
        headers = object_headers(job, metadata)
        upload_id = retry.call(
            lambda: base.with_fresh_credentials(
                lambda: s3ops.create_multipart(base.client(), entry.bucket, entry.key, headers, algorithm)),
            policy=base.settings.retry, gate=gate(job), action=tr("start the upload of {name}", name=name),
            bucket=entry.bucket, on_retry=job.on_retry)
        base.journal.set_upload_id(entry.id, upload_id)
        entry = replace(entry, upload_id=upload_id)
    confirmed = {} if created else reconcile(base, job, entry, plan)  # a new upload holds no parts
    if confirmed is None:  # the server no longer knows the upload: completed before a crash, or gone
        interrupted_late = entry.state in (UploadState.COMPLETING, UploadState.SEALING)
        if interrupted_late and base.finisher.already_complete(job, entry):
            return
        base.journal.forget_parts(entry.id)
        base.journal.set_upload_id(entry.id, None)
        raise Restart("the server no longer knows the upload")
    resumed = sum(p.size for p in confirmed.values())
    job.set_bytes(done=resumed, resumed=resumed)
    job.emit(force=True)
    content: list[Conflict | None] = []  # checked while the last parts are still on their way
    sha256 = send_parts(base, job, entry, plan, confirmed, on_hashed=None if entry.sha256 else
                              lambda digest: content.append(content_conflict(base, job, entry, digest)))
    job.check()
    parts = base.journal.parts(entry.id)
    if sorted(parts) != list(range(1, plan.part_count + 1)):
        raise StorageError(tr("Not every part of {name} reached the server.", name=name))
    if file_identity(job.item.path) != (entry.size, entry.mtime_ns):
        raise Restart("the file changed while it was uploaded")  # its journal identity no longer matches
    if entry.sha256 and entry.sha256 != sha256:
        base.supersede(entry, "the file changed since its SHA-256 was taken", job)
        raise Restart("the file changed since its SHA-256 was taken")
    if not entry.sha256:
        base.journal.set_sha256(entry.id, sha256)
        entry = replace(entry, sha256=sha256)
        settle_content(base, job, entry, content[0] if content else content_conflict(base, job, entry, sha256))
    metadata = object_metadata(base.schema, entry)
    if metadata.sidecar_key != entry.sidecar_key:  # the real SHA-256 can tip the metadata over 2 KB
        base.journal.set_key(entry.id, entry.key, metadata.sidecar_key)
        entry = replace(entry, sidecar_key=metadata.sidecar_key)
    base.put_sidecar(job, entry, metadata)
    base.journal.set_state(entry.id, UploadState.COMPLETING)
    job.set_state(FileState.COMPLETING)
    expected = algorithm.composite([parts[n].checksum for n in sorted(parts)])
    ordered = [(n, parts[n].etag, parts[n].checksum) for n in sorted(parts)]
    try:
        result = retry.call(
            lambda: base.with_fresh_credentials(lambda: s3ops.complete(
                base.client(), entry.bucket, entry.key, upload_id, ordered, if_none_match=not entry.overwrite,
                algorithm=algorithm)),
            policy=base.settings.retry, gate=gate(job), action=tr("complete the upload of {name}", name=name),
            bucket=entry.bucket, on_retry=job.on_retry,
            transient=transient_or_late_failure)
    except S3Error as exc:
        if exc.code == "PreconditionFailed":
            raise base.late_conflict(job, entry) from exc
        if exc.code == "NoSuchUpload" and base.finisher.already_complete(job, entry):
            return  # a retried Complete whose first answer was lost
        raise retry.permanent_error(exc, tr("complete the upload of {name}", name=name), entry.bucket) from exc
    except s3ops.CompleteFailed as exc:
        raise StorageError(tr("Could not complete the upload of {name}: {code}: {message}",
                              name=name, code=exc.code, message=exc.message)) from exc
    if result.checksum and result.checksum != expected:
        raise UploadDamaged(tr("The server's checksum of {name} ({checksum}) is not ours ({expected}).",
                               name=name, checksum=result.checksum, expected=expected))
    base.finisher.verify_and_finish(job, entry, expected, result.etag, metadata)

def reconcile(base: Plumbing, job: TransferJob, entry: JournalEntry, plan: PartPlan) -> dict[int, ConfirmedPart] | None:
    """The parts the server holds and we can trust; None when the server no longer knows the upload."""
    assert entry.upload_id is not None
    upload_id = entry.upload_id
    algorithm = Checksum(entry.part_checksum)
    journaled = base.journal.parts(entry.id)
    try:
        on_server = retry.call(
            lambda: s3ops.list_parts(base.client(), entry.bucket, entry.key, upload_id),
            policy=base.settings.retry, gate=gate(job), action=tr("resume the upload of {name}",
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
        data = read_exact(job.item.path, offset, length)
        if hashlib.md5(data, usedforsecurity=False).hexdigest() == held.etag:
            part = ConfirmedPart(number, length, algorithm.b64(data), held.etag, "adopted")
            base.journal.confirm_part(entry.id, part)
            confirmed[number] = part
            log.info("part %d of %s was on the server already; not sent again", number, entry.key)
    return confirmed

def send_parts(base: Plumbing, job: TransferJob, entry: JournalEntry, plan: PartPlan,
                confirmed: Mapping[int, ConfirmedPart], on_hashed: Callable[[str], None] | None = None) -> str:
    """Read every part in order, hashing the whole file on the way; send the missing ones in parallel (stop
    at the first failure), check the confirmed ones against their journaled checksum. Returns the SHA-256.
    ``on_hashed`` gets the SHA-256 as soon as the last part is read, while parts may still be in flight."""
    _, pool = base.pools()
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
                if sending and base.rate_limiter is not None:
                    base.rate_limiter.acquire(length, job.check)
                base.budget.acquire(plan.part_size, job.check)
                buffer = base.buffers.take(plan.part_size)
                data = memoryview(buffer)[:length]
                try:
                    if os.preadv(handle.fileno(), [data], offset) != length:
                        raise Restart("the file got shorter while it was uploaded")
                    if not sending:
                        full.update(data)
                        changed = algorithm.b64(data) != confirmed[number].checksum
                except BaseException:
                    base.give_back(buffer, plan.part_size)
                    raise
                if not sending:
                    base.give_back(buffer, plan.part_size)
                    if changed:
                        break
                    continue
                # sent while this thread hashes it: the first part leaves without waiting for its SHA-256
                lease = Lease(buffer, plan.part_size, base.give_back)
                try:
                    futures.append(pool.submit(_part_task, base, job, entry, number, data, lease, failed))
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
        raise first_error(errors)
    if changed:  # a part the server holds is not the file's any more: never mix old and new bytes
        base.supersede(entry, "the file changed since its upload was interrupted", job)
        raise Restart("the file changed since its upload was interrupted")
    return full.hexdigest()

def _part_task(base: Plumbing, job: TransferJob, entry: JournalEntry, number: int, data: memoryview, lease: Lease,
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
            return base.logged_send(entry, number, lambda: s3ops.upload_part(
                base.client(), entry.bucket, entry.key, upload_id, number, data, checksum, algorithm))

        try:
            send_id, result = retry.call(attempt, policy=base.settings.retry, gate=gate(job),
                                         action=tr("send part {number} of {name}",
                                                   number=number, name=job.item.path.name),
                                         bucket=entry.bucket, on_retry=job.on_retry)
        except S3Error as exc:
            if exc.code == "BadDigest":
                raise Restart("the file changed while it was uploaded") from exc
            if exc.code == "NoSuchUpload":
                raise Restart("the server no longer knows the upload") from exc
            raise retry.permanent_error(exc, tr("upload {name}", name=job.item.path.name), entry.bucket) from exc
        if result.checksum and result.checksum != checksum:
            raise UploadDamaged(tr("The server computed a different checksum for part {number} of {name}.",
                                   number=number, name=job.item.path.name))
        base.journal.confirm_part(entry.id, ConfirmedPart(number, length, checksum, result.etag, "sent"),
                                  send_id)
        job.back_to(FileState.UPLOADING)
        job.add_sent(length)
    except BaseException:
        failed.set()
        raise
    finally:
        lease.done()
