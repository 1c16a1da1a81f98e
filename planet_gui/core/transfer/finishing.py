"""The last steps of an upload, once its data is on the server: seal the object with its SHA-256, verify what
the server holds, and recognise an upload that a crash interrupted after all its data had arrived.

Why sealing exists: S3 fixes an object's metadata when its multipart upload is created, before the SHA-256 of
the content is known (it is taken from the same reads that send the parts). So the upload is created with
``Sha256: pending`` and, once complete, given its real metadata by a copy onto itself (the server rewrites only
the metadata; ``If-Match`` on our ETag makes sure it is still our object). The validation hook leaves pending
objects alone.

Kept apart from :mod:`.engine`, which decides what to send and when; this module only checks and records.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from minio import Minio
from minio.error import S3Error

from planet_gui.core.errors import StorageError
from planet_gui.core.i18n import tr
from planet_gui.core.lake import PENDING_SHA256, SHA256_FIELD, SHA256_KEY
from planet_gui.core.schema import Schema
from planet_gui.core.status import State
from planet_gui.core.transfer import retry, s3ops
from planet_gui.core.transfer.conflicts import LakeIndex
from planet_gui.core.transfer.job import TransferJob, UploadOutcome, gate
from planet_gui.core.transfer.journal import ConfirmedPart, Journal, JournalEntry, UploadState
from planet_gui.core.transfer.progress import FileState
from planet_gui.core.transfer.retry import RetryPolicy
from planet_gui.core.transfer.s3ops import Checksum
from planet_gui.core.transfer.sidecar import MetadataPlan, plan_metadata

_SHA_META = SHA256_KEY.lower()  # Head.metadata has lower-case keys


class UploadDamaged(StorageError):
    title = "Upload damaged"


def transient_or_late_failure(exc: BaseException) -> bool:
    """Complete and copy may answer 200 with an error document; a transient code there is retried too."""
    return retry.is_transient(exc) or (isinstance(exc, s3ops.CompleteFailed) and exc.code in retry.TRANSIENT_CODES)


def object_metadata(schema: Schema, entry: JournalEntry) -> MetadataPlan:
    """The object's metadata; ``Sha256: pending`` until the whole file went by (see :meth:`Finisher.seal`)."""
    values = dict(entry.values)
    values[SHA256_FIELD] = entry.sha256 or PENDING_SHA256
    return plan_metadata(schema, values, entry.key)


def object_headers(job: TransferJob, metadata: MetadataPlan) -> dict[str, str]:
    """The headers that carry the object's metadata and content type."""
    content_type = job.item.content_type or mimetypes.guess_type(job.item.path.name)[0] or \
        "application/octet-stream"
    headers = s3ops.meta_headers(metadata.headers)
    headers["Content-Type"] = content_type
    return headers


@dataclass
class Finisher:
    """Seals and verifies the engine's uploads. ``fresh_credentials`` runs a request again once with new STS
    credentials when the server says ours expired."""

    client: Callable[[], Minio]
    schema: Schema
    journal: Journal
    index: LakeIndex
    policy: RetryPolicy
    fresh_credentials: Callable[[Callable[[], Any]], Any]

    def expected_checksum(self, entry: JournalEntry) -> str:
        """Our composite checksum of a multipart upload from its journaled parts ("" if some are missing)."""
        parts = self.journal.parts(entry.id)
        if sorted(parts) != list(range(1, entry.part_count + 1)):
            return ""
        return Checksum(entry.part_checksum).composite([parts[n].checksum for n in sorted(parts)])

    def already_complete(self, job: TransferJob, entry: JournalEntry) -> bool:
        """After a crash during Complete (or the PUT, or the seal): is the object there, ours and whole? Then
        seal it if it still waits for its SHA-256, and verify it."""
        if not entry.sha256:
            return False
        found = retry.call(lambda: self.index.find_key(entry.key, raw_first=True), policy=self.policy,
                           gate=gate(job), action=tr("check {key}", key=entry.key), bucket=entry.bucket,
                           on_retry=job.on_retry)
        if found is None:
            return False
        _state, head = found
        if head.size != entry.size:
            return False
        if entry.part_count > 1:
            expected = self.expected_checksum(entry)
        else:
            parts = self.journal.parts(entry.id)
            expected = parts[1].checksum if 1 in parts else ""
        written = head.metadata.get(_SHA_META)
        if written == PENDING_SHA256:  # ours only if the server holds exactly our parts
            if not expected or head.checksum(Checksum(entry.part_checksum)) != expected:
                return False
        elif written != entry.sha256:
            return False
        job.set_bytes(done=entry.size, resumed=entry.size)
        self.verify_and_finish(job, entry, expected, head.etag, object_metadata(self.schema, entry))
        return True

    def _find(self, job: TransferJob, entry: JournalEntry) -> tuple[State, s3ops.Head]:
        found = retry.call(lambda: self.index.find_key(entry.key, raw_first=True), policy=self.policy,
                           gate=gate(job), action=tr("verify {name}", name=job.item.path.name), bucket=entry.bucket,
                           on_retry=job.on_retry)
        if found is None:
            raise UploadDamaged(tr("{name} is not on the server after its upload.", name=job.item.path.name))
        return found

    def seal(self, job: TransferJob, entry: JournalEntry, metadata: MetadataPlan, etag: str) -> None:
        """Give the completed object its metadata with the real SHA-256 (it was created "pending")."""
        name = job.item.path.name
        self.journal.set_state(entry.id, UploadState.SEALING)
        headers = object_headers(job, metadata)
        try:
            retry.call(
                lambda: self.fresh_credentials(lambda: s3ops.replace_metadata(
                    self.client(), entry.bucket, entry.key, headers, if_match=etag)),
                policy=self.policy, gate=gate(job), action=tr("record the SHA-256 of {name}", name=name),
                bucket=entry.bucket, on_retry=job.on_retry,
                transient=transient_or_late_failure)
        except S3Error as exc:
            if exc.code == "PreconditionFailed":
                raise UploadDamaged(tr("{key} was replaced on the server before the SHA-256 of {name} was "
                                       "recorded; nothing of yours was overwritten.",
                                       key=entry.key, name=name)) from exc
            raise retry.permanent_error(exc, tr("record the SHA-256 of {name}", name=name), entry.bucket) from exc
        except s3ops.CompleteFailed as exc:
            raise StorageError(tr("Could not record the SHA-256 of {name}: {code}: {message}",
                                  name=name, code=exc.code, message=exc.message)) from exc

    def verify_and_finish(self, job: TransferJob, entry: JournalEntry, checksum: str, etag: str,
                          metadata: MetadataPlan, *, verified: bool = False,
                          confirmed: tuple[ConfirmedPart, int | None] | None = None) -> None:
        """Seal the object if it still waits for its SHA-256, then check what the server holds (size, SHA-256
        metadata, the server's checksum), unless the upload's own answer already carried the server's SHA-256
        of the whole content (``verified``). ``confirmed``: a single PUT's part and send, not journaled yet: they
        are written with the verdict."""
        job.set_state(FileState.VERIFYING)
        name = job.item.path.name
        problems = []
        if verified:
            state, head = State.PENDING, s3ops.Head(entry.bucket, entry.key, entry.size, etag)
        else:
            state, head = self._find(job, entry)
            written = head.metadata.get(_SHA_META)
            if state is State.PENDING and written == PENDING_SHA256:
                self.seal(job, entry, metadata, head.etag)
                state, head = self._find(job, entry)
                written = head.metadata.get(_SHA_META)
            if written == PENDING_SHA256:
                problems.append(tr("the validation hook moved it to {bucket} before its SHA-256 was recorded",
                                   bucket=state.value))
            elif written != entry.sha256:
                problems.append(tr("its SHA-256 metadata is not the file's"))
        if head.size != entry.size:
            problems.append(tr("the server holds {size} bytes, expected {expected}", size=head.size,
                               expected=entry.size))
        server_checksum = head.checksum(Checksum(entry.part_checksum))
        if state is State.PENDING and checksum and server_checksum and server_checksum != checksum:
            problems.append(tr("the server's checksum of the content is not the file's"))
        if problems:
            if confirmed is not None:
                self.journal.confirm_part(entry.id, *confirmed)
            self.journal.set_state(entry.id, UploadState.FAILED, "; ".join(problems))
            raise UploadDamaged(tr("{name}: {problems}.", name=name, problems="; ".join(problems)))
        if confirmed is not None:
            self.journal.finish_single(entry.id, *confirmed)
        else:
            self.journal.set_state(entry.id, UploadState.DONE)
        self.index.record(entry.key, entry.size, entry.sha256)
        job.set_bytes(done=entry.size)
        job.finish_with(UploadOutcome(
            path=job.item.path, state=FileState.DONE, key=entry.key, bucket=entry.bucket, size=entry.size,
            sha256=entry.sha256, etag=etag or head.etag, resumed_bytes=job.resumed_bytes, sent_bytes=job.sent_bytes,
            sidecar_key=metadata.sidecar_key, journal_id=entry.id,
        ), tr("uploaded as {key}", key=entry.key))
