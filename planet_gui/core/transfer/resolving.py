"""Which upload a submitted file becomes: the unfinished one it continues (the journal), and the key it may
take (no silent overwrite). Three moments ask: before anything is sent (the key, and the content when the key
is taken), once the SHA-256 is known (the same content elsewhere in the lake), and when the server refuses the
Complete because someone wrote the key meanwhile (:meth:`.plumbing.Plumbing.late_conflict`).

The question itself is :mod:`.conflicts`; this module applies the answer to one job.
"""

from __future__ import annotations

import logging
from pathlib import Path

from planet_gui.core.i18n import tr
from planet_gui.core.transfer import retry
from planet_gui.core.transfer.conflicts import AlreadyInLake, Conflict, ConflictKind, Resolution
from planet_gui.core.transfer.job import TransferJob, gate
from planet_gui.core.transfer.journal import Claim, JournalEntry, UploadState
from planet_gui.core.transfer.plumbing import Hashed, Plumbing
from planet_gui.core.transfer.progress import FileState
from planet_gui.core.transfer.sizing import PartPlan

log = logging.getLogger(__name__)


def previous_upload(base: Plumbing, job: TransferJob, path: Path) -> JournalEntry | None:
    """The unfinished journal entry this job continues, if any; others for the same file are superseded."""
    if job.resume_entry is not None:
        return job.resume_entry
    candidates = [e for e in base.journal.unfinished_for_path(base.scope, path) if e.bucket == base.buckets.raw]
    same_key = [e for e in candidates if e.key == job.key]
    for other in candidates:
        if other not in same_key[-1:]:
            claim = Claim(base.journal, other.id)
            if claim.acquire():
                try:
                    base.supersede(other, "the same file was submitted again", job)
                finally:
                    claim.release()
    return same_key[-1] if same_key else None


def same_source(entry: JournalEntry, path: Path, size: int, mtime_ns: int, hashed: Hashed, plan: PartPlan) -> bool:
    """Is the file still the one the interrupted upload was sending (so its confirmed parts can be kept)?"""
    if (entry.size, entry.mtime_ns, entry.part_size) != (size, mtime_ns, plan.part_size):
        return False
    if entry.sha256 and hashed.sha256 and entry.sha256 != hashed.sha256:
        return False
    return entry.path == str(path)


def resolve_key(base: Plumbing, job: TransferJob, path: Path, size: int, hashed: Hashed, plan: PartPlan
                ) -> tuple[str, bool]:
    """The key to upload to and whether it may replace a pending object, or raise AlreadyInLake. Without
    the SHA-256 yet, only the key is checked (the content is checked before completing, in
    :func:`content_conflict`), unless the key is taken: then the file is hashed now, because "this very file
    is there already" is skipped, not asked about."""
    key = job.key

    def find() -> Conflict | None:
        return base.index.conflict_for(path, key, size, hashed.sha256 or None)

    def check() -> Conflict | None:
        return retry.call(find, policy=base.settings.retry, gate=gate(job),
                          action=tr("check whether {name} is already in the lake", name=path.name),
                          bucket=base.buckets.raw, on_retry=job.on_retry)

    conflict = check()
    if conflict is not None and not hashed.sha256:
        job.set_state(FileState.HASHING)
        hashed.sha256 = base.hash(job, path, plan).sha256
        job.set_state(FileState.CHECKING)
        conflict = check()
    if conflict is None:
        return key, False
    decision = base.decide(job, conflict)
    if decision is None or decision is Resolution.SKIP:
        raise AlreadyInLake(conflict)
    if conflict.kind is ConflictKind.SAME_CONTENT:
        return key, False  # the key itself is free: the user chose to keep a second copy
    if decision is Resolution.OVERWRITE:
        if not conflict.can_overwrite:
            raise AlreadyInLake(conflict)
        return key, True
    taken = base.taken_keys(job)
    new_key = retry.call(lambda: base.index.free_key(key, taken), policy=base.settings.retry, gate=gate(job),
                         action=tr("find a free name"), bucket=base.buckets.raw, on_retry=job.on_retry)
    log.info("%s exists; uploading %s as %s", key, path.name, new_key)
    return new_key, False


def content_conflict(base: Plumbing, job: TransferJob, entry: JournalEntry, sha256: str) -> Conflict | None:
    """With the SHA-256 known at last: is the same content in the lake already?"""
    path = job.item.path
    return retry.call(lambda: base.index.content_conflict(path, entry.key, entry.size, sha256),
                      policy=base.settings.retry, gate=gate(job),
                      action=tr("check whether {name} is already in the lake", name=path.name),
                      bucket=entry.bucket, on_retry=job.on_retry)


def settle_content(base: Plumbing, job: TransferJob, entry: JournalEntry, conflict: Conflict | None) -> None:
    """The user's (or the policy's) answer to the same content in the lake. Skipping aborts the upload, so
    nothing of it ever appears in the lake."""
    if conflict is None:
        return
    decision = base.decide(job, conflict)
    if decision is not None and decision is not Resolution.SKIP:
        return  # the user keeps a second copy under this key
    base.abort_entry(entry, job)
    base.journal.set_state(entry.id, UploadState.CANCELLED, "the same content is in the lake already")
    raise AlreadyInLake(conflict)
