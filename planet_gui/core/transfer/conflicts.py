"""No silent overwrite: is this key, or this content, already in the lake?

Three places are checked before an upload starts:

* the key itself in the raw, validated and triage buckets: from a listing of the key's folder in each
  bucket, taken at most ``LISTING_TTL`` seconds ago (one listing serves a whole batch), confirmed by a HEAD
  when the key is there (a HEAD in each bucket when the folder is too large to list);
* files this computer uploaded before (the journal remembers each file's SHA-256 and key);
* the same folder of the lake (same category/source/user prefix): objects of the same size are asked for
  their SHA-256 (the ``Sha256`` metadata the uploader writes), once per key and per minute.

S3 cannot search metadata, so a copy of the same content elsewhere in the lake, uploaded from another
computer under another folder, is not found. Whatever was checked, the raw bucket refuses a second writer
atomically (``If-None-Match: *`` on the PUT or CompleteMultipartUpload), and validated/triage are read-only for
uploaders. No client-side check can see an upload of the same key from elsewhere that the hook moves to
validated between the check and the upload: only the hook can refuse that one.
"""

from __future__ import annotations

import posixpath
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from planet_gui.core.errors import StorageError
from planet_gui.core.i18n import tr
from planet_gui.core.profile import Buckets
from planet_gui.core.status import State
from planet_gui.core.transfer.journal import Journal

if TYPE_CHECKING:
    from minio import Minio

    from planet_gui.core.transfer import s3ops
else:  # the S3 client loads on first use, not with the window that imports Conflict (core/lazy.py)
    from planet_gui.core.lazy import LazyName

    s3ops = LazyName("planet_gui.core.transfer.s3ops")

SHA_META = "sha256"
LISTING_TTL = 30.0
LISTING_CAP = 5000
HEAD_CAP = 50


class ConflictPolicy(StrEnum):
    REFUSE = "refuse"  # the CLI's default: stop and say why
    OVERWRITE = "overwrite"  # replace a pending object in raw (never validated/triage)
    RENAME = "rename"  # upload under "name (2).ext"
    ASK = "ask"  # call the resolver (the GUI's dialog)


class Resolution(StrEnum):
    OVERWRITE = "overwrite"
    RENAME = "rename"
    SKIP = "skip"


class ConflictKind(StrEnum):
    SAME_KEY = "same-key"
    SAME_CONTENT = "same-content"


@dataclass(frozen=True)
class Conflict:
    kind: ConflictKind
    path: Path
    key: str  # the key this upload wants
    existing_key: str
    state: State  # where the existing object is: pending (raw), validated or triage
    identical: bool  # the existing object has the same SHA-256

    @property
    def can_overwrite(self) -> bool:
        """The uploader may replace only a pending object in raw, and only when the key is the same."""
        return self.kind is ConflictKind.SAME_CONTENT or self.state is State.PENDING

    @property
    def message(self) -> str:
        where = {State.PENDING: "waiting for validation in raw", State.VALIDATED: "validated",
                 State.TRIAGE: "in triage"}.get(self.state, self.state.value)
        if self.kind is ConflictKind.SAME_CONTENT:
            return (f"{self.path.name}: the same content (SHA-256) is already in the lake as {self.existing_key} "
                    f"({where}). Use --rename (or --overwrite) to upload it again anyway.")
        same = "the same file" if self.identical else "a different file"
        text = f"{self.key} is already in the lake ({where}), holding {same}."
        if self.state is State.PENDING:
            return text + " Use --overwrite to replace it, or --rename to upload under a new name."
        return (text + " The uploader may not replace files that were already checked; ask a curator, "
                "or use --rename to upload under a new name.")


class AlreadyInLake(StorageError):
    title = "Already in the lake"

    def __init__(self, conflict: Conflict, message: str | None = None) -> None:
        super().__init__(message or conflict.message)
        self.conflict = conflict


Resolver = Callable[[Conflict], Resolution]

_STATES = ((State.VALIDATED, "validated"), (State.TRIAGE, "triage"), (State.PENDING, "raw"))


class LakeIndex:
    """What the lake holds, as far as conflicts go; caches folder listings for a minute."""

    def __init__(self, client: Callable[[], Minio], buckets: Buckets, journal: Journal, scope: str) -> None:
        self._client = client
        self._buckets = buckets
        self._journal = journal
        self._scope = scope
        self._lock = threading.Lock()
        # (bucket, prefix) -> (listed at, complete, {key: [size, sha256 or None]})
        self._listings: dict[tuple[str, str], tuple[float, bool, dict[str, list[object]]]] = {}

    def _bucket(self, state: State) -> str:
        return {State.VALIDATED: self._buckets.validated, State.TRIAGE: self._buckets.triage,
                State.PENDING: self._buckets.raw}[state]

    def find_key(self, key: str, *, raw_first: bool = False) -> tuple[State, s3ops.Head] | None:
        """Where ``key`` is; the destinations first, since during a move the object briefly exists twice
        (``raw_first`` for an object just uploaded, which is most likely still in raw)."""
        order = (_STATES[2], _STATES[0], _STATES[1]) if raw_first else _STATES
        for state, _ in order:
            found = s3ops.head(self._client(), self._bucket(state), key)
            if found is not None:
                return state, found
        return None

    def conflict_for(self, path: Path, key: str, size: int, sha256: str | None) -> Conflict | None:
        """The key, then (when the SHA-256 is known) the content."""
        # always HEAD the key itself: a cached listing can be a minute old, and trusting its silence
        # let a second upload slip past an object validated meanwhile
        found = self.find_key(key)
        if found is not None:
            state, head = found
            identical = sha256 is not None and head.metadata.get(SHA_META) == sha256
            return Conflict(ConflictKind.SAME_KEY, path, key, key, state, identical)
        return self.content_conflict(path, key, size, sha256) if sha256 else None

    def content_conflict(self, path: Path, key: str, size: int, sha256: str) -> Conflict | None:
        """The same content under another key: uploaded from this computer, or in the same folder."""
        for entry in self._journal.done_with_sha(self._scope, sha256)[:5]:
            if entry.key == key:
                continue
            elsewhere = self.find_key(entry.key)
            if elsewhere is not None and elsewhere[1].metadata.get(SHA_META) == sha256:
                return Conflict(ConflictKind.SAME_CONTENT, path, key, entry.key, elsewhere[0], True)
        match = self._same_folder(key, size, sha256)
        if match is not None:
            return Conflict(ConflictKind.SAME_CONTENT, path, key, match[1], match[0], True)
        return None

    def _same_folder(self, key: str, size: int, sha256: str) -> tuple[State, str] | None:
        prefix = _folder(key)
        heads = 0
        for state, _ in _STATES:
            bucket = self._bucket(state)
            listed = self._listing(bucket, prefix)[1]
            with self._lock:  # record() adds our own uploads to it from other files' threads
                items = list(listed.items())
            for other, entry in items:
                if other == key or entry[0] != size:
                    continue
                known = entry[1]
                if known is None and heads < HEAD_CAP:
                    heads += 1
                    found = s3ops.head(self._client(), bucket, other)
                    known = found.metadata.get(SHA_META, "") if found is not None else ""
                    entry[1] = known
                if known == sha256:
                    return state, other
        return None

    def _listing(self, bucket: str, prefix: str) -> tuple[bool, dict[str, list[object]]]:
        """(complete, {key: [size, sha256 or None]}) of the folder, listed at most LISTING_TTL s ago."""
        now = time.monotonic()
        with self._lock:
            cached = self._listings.get((bucket, prefix))
            if cached is not None and now - cached[0] < LISTING_TTL:
                return cached[1], cached[2]
        from minio.error import S3Error

        listed: dict[str, list[object]] = {}
        complete = True
        try:
            for count, item in enumerate(self._client().list_objects(bucket, prefix=prefix, recursive=False)):
                if count >= LISTING_CAP:
                    complete = False
                    break
                if item.object_name and not item.is_dir:
                    listed[item.object_name] = [item.size, None]
        except S3Error as exc:
            if exc.code not in {"AccessDenied", "NoSuchBucket"}:
                raise
            complete = False
        with self._lock:
            self._listings[(bucket, prefix)] = (now, complete, listed)
        return complete, listed

    def record(self, key: str, size: int, sha256: str) -> None:
        """Remember an upload of ours, so the next file of a batch is compared with it without asking."""
        with self._lock:
            cached = self._listings.get((self._buckets.raw, _folder(key)))
            if cached is not None:
                cached[2][key] = [size, sha256]

    def free_key(self, key: str, taken: Iterable[str] = ()) -> str:
        """``dir/name (2).ext``, ``(3)``, ... : the first that is in no bucket and not being uploaded."""
        reserved = set(taken)
        folder, name = posixpath.split(key)
        stem, dot, ext = name.rpartition(".")
        if not dot or not stem:
            stem, ext = name, ""
        for number in range(2, 1000):
            candidate_name = f"{stem} ({number})" + (f".{ext}" if ext else "")
            candidate = posixpath.join(folder, candidate_name) if folder else candidate_name
            if candidate in reserved or self._journal.unfinished_for(self._scope, self._buckets.raw, candidate):
                continue
            if self.find_key(candidate) is None:
                return candidate
        raise StorageError(tr("Could not find a free name for {key}", key=key))


def _folder(key: str) -> str:
    prefix = posixpath.dirname(key)
    return prefix + "/" if prefix else ""
