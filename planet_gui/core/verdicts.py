"""Many uploads' verdicts at once: listed, not asked for one object at a time, and never asked for twice once final.

Asking S3 where each object is (one to three HEADs per object, one after the other) took 21 s for 10,000 uploads
and 4.6 s for the window's poll of 1,000 pending rows. Here:

* **final verdicts are cached** in the history (:mod:`planet_gui.core.history`): a validated upload, and any
  attempt a later one superseded (a fix), is answered from there, with no request at all;
* **the rest is listed**: the uploads are grouped by folder, and each folder is listed once per bucket (raw first,
  then triage, then validated: an object moving meanwhile is copied before it is deleted, so it cannot slip
  between two listings), between the group's first and last key only;
* **a HEAD only where the listing cannot tell**: an object whose ETag is not the one its upload (or its cached
  verdict) ended with, to compare its SHA-256, and a new triage verdict, for its reasons. Those run in parallel.
  MinIO can put the user metadata in the listing (``metadata=true``); where it does, no HEAD is needed at all.
  SeaweedFS does not: there a triaged object's reasons come from the hook's triage index of its folder
  (:mod:`planet_gui.core.triage_index`), one GET per folder, trusted only for the very version listed.
* **destinations with folder prefixes** are listed like any other: ``key_in`` gives each upload's key in each of
  its destination's buckets (:meth:`~planet_gui.core.destinations.Destination.key_in`).

A folder holding only one or two of the uploads is not listed (two HEADs cost less than three listings).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import urllib3.exceptions
from minio import Minio
from minio.error import S3Error

from planet_gui.core import lake, metadata_codec, triage_index
from planet_gui.core.destinations import Destination, destination_of
from planet_gui.core.history import UploadHistory, UploadRecord
from planet_gui.core.i18n import tr
from planet_gui.core.profile import Buckets
from planet_gui.core.s3errors import NOT_FOUND_CODES
from planet_gui.core.status import (
    KNOWN_REASONS,
    ObjectStatus,
    State,
    elsewhere,
    locate,
    split_reasons,
    stat_or_none,
    unreachable,
    user_metadata,
)
from planet_gui.core.storage import read_capped, storage_error

#: a folder with fewer uploads than this is asked about object by object
LIST_AT_LEAST = 3
#: HEADs in flight at once
PARALLEL = 16


@dataclass(frozen=True)
class Listed:
    """One object as a listing shows it."""

    etag: str
    size: int
    last_modified: str
    metadata: Mapping[str, str] | None  # lower-case user metadata, when the server sends it (MinIO)
    #: the hook's triage index entry for this very version (ETag and date), for a listing of triage
    verdict: triage_index.Entry | None = None


def cached_status(record: UploadRecord) -> ObjectStatus:
    """The verdict the history remembers, as ``status`` reports it (the hook's known reasons in the reader's
    language: the history keeps them as the hook wrote them)."""
    return ObjectStatus(key=record.key, state=State(record.state), bucket=record.bucket or None, size=record.size,
                        reasons=tuple(tr(r) if r in KNOWN_REASONS else r for r in record.reasons),
                        metadata={lake.SHA256_KEY.lower(): record.sha256},
                        checked_at=record.checked_at)


def is_final(record: UploadRecord, superseded: bool) -> bool:
    """Nothing the lake does later changes what ``status`` says about it: validated, or an attempt a later one
    replaced (it keeps the verdict it had, so the history shows both)."""
    return record.state == State.VALIDATED.value or (superseded and record.state != "")


class VerdictFinder:
    """The verdicts of uploads to one destination: ``buckets`` its three buckets, ``key_in(bucket, raw_key)`` where
    an upload's (raw) key is in each (the same key everywhere when None). ``use_index`` False ignores the hook's
    triage index (the benchmark's baseline)."""

    def __init__(self, client: Minio, buckets: Buckets, history: UploadHistory, *, parallel: int = PARALLEL,
                 key_in: Callable[[str, str], str] | None = None, use_index: bool = True) -> None:
        self.client = client
        self.buckets = buckets
        self.history = history
        self.parallel = parallel
        self.key_in = key_in
        self.use_index = use_index
        #: requests sent by the last :meth:`find` (listings, list pages and HEADs), for the benchmark and tests
        self.requests = 0
        self._count_lock = threading.Lock()

    def find(self, records: Sequence[UploadRecord], *, refresh: bool = False) -> list[ObjectStatus]:
        """Each record's verdict, in the records' order. ``refresh`` asks again even for cached final ones."""
        self.requests = 0
        latest: dict[str, int] = {}
        for record in records:
            latest[record.key] = max(latest.get(record.key, 0), record.id)
        results: list[ObjectStatus | None] = [None] * len(records)
        todo: list[int] = []
        for index, record in enumerate(records):
            superseded = record.id != 0 and latest[record.key] != record.id
            if not refresh and is_final(record, superseded):
                results[index] = cached_status(record)
            else:
                todo.append(index)
        with ThreadPoolExecutor(max_workers=self.parallel, thread_name_prefix="planet-status") as pool:
            # raw first: an upload still there (its own ETag) is pending, and its destinations need no listing
            raw = self.buckets.raw
            seen: dict[int, dict[str, Listed | None]] = {index: {} for index in todo}
            heads: set[int] = set()
            for indexes in self._listed(records, todo, (raw,), pool, seen, heads):
                for index in indexes:
                    listed = seen[index][raw]
                    if listed is not None and self._ours_pending(records[index], listed):
                        results[index] = ObjectStatus(key=records[index].key, state=State.PENDING, bucket=raw,
                                                      size=listed.size, etag=listed.etag, metadata={
                                                          lake.SHA256_KEY.lower(): records[index].sha256})
            # then triage: an upload still there as it was last seen keeps its reasons (cached, no HEAD)
            triage = self.buckets.triage
            rest = [index for index in todo if results[index] is None and index not in heads]
            for indexes in self._listed(records, rest, (triage,), pool, seen, heads):
                for index in indexes:
                    listed = seen[index][triage]
                    if listed is not None:
                        results[index] = self._still_triaged(records[index], listed)
            # validated last, only for what is in neither: by its ETag, else HEADs settle it
            rest = [index for index in rest if results[index] is None and index not in heads]
            slow: dict[int, Future[ObjectStatus]] = {}
            for indexes in self._listed(records, rest, (self.buckets.validated,), pool, seen, heads):
                for index in indexes:
                    quick = self._quick(records[index], seen[index])
                    if quick is not None:
                        results[index] = quick
                    else:
                        slow[index] = pool.submit(self._listed_walk, records[index], seen[index])
            slow.update({index: pool.submit(self._head_walk, records[index]) for index in heads if index not in slow})
            for index, future in slow.items():
                results[index] = future.result()
        found = [status for status in results if status is not None]
        assert len(found) == len(records)
        self._remember([(records[i], found[i]) for i in todo])
        return found

    def _key(self, bucket: str, key: str) -> str:
        return self.key_in(bucket, key) if self.key_in is not None else key

    def _listed(self, records: Sequence[UploadRecord], indexes: Sequence[int], buckets: Sequence[str],
                pool: ThreadPoolExecutor, seen: dict[int, dict[str, Listed | None]],
                heads: set[int]) -> Iterator[list[int]]:
        """List ``buckets`` for the records at ``indexes``, a folder at a time; fills ``seen`` and yields each
        folder's indexes once its listings are in. Records of folders too small to list go to ``heads``."""
        groups: dict[str, list[int]] = defaultdict(list)
        for index in indexes:
            groups[_folder(records[index].key)].append(index)
        futures = {}
        for folder, members in groups.items():
            if len(members) < LIST_AT_LEAST:
                heads.update(members)
                continue
            futures[folder] = [(bucket, pool.submit(self._list, bucket, [self._key(bucket, records[i].key)
                                                                         for i in members]))
                               for bucket in buckets]
        for folder, listings in futures.items():
            members = groups[folder]
            for bucket, future in listings:
                found = future.result()
                for index in members:
                    seen[index][bucket] = found.get(self._key(bucket, records[index].key))
            yield members

    def _still_triaged(self, record: UploadRecord, listed: Listed) -> ObjectStatus | None:
        """This upload's triage verdict when the listing shows its triaged object unchanged since last seen
        (or, from MinIO, with its metadata; or with the hook's index entry for this very version): a curator's
        release or a validated fix would have moved it."""
        if listed.verdict is not None:
            status = self._from_index(record.key, listed)
            return status if not record.sha256 or status.sha256 == record.sha256 else None
        if listed.metadata is not None:
            status = _status_from(record.key, self.buckets.triage, State.TRIAGE, listed.size, listed.metadata,
                                  listed.last_modified)
            return status if not record.sha256 or status.sha256 == record.sha256 else None
        if record.state == State.TRIAGE.value and record.verdict_etag == listed.etag:
            return cached_status(record)
        return None

    @staticmethod
    def _ours_pending(record: UploadRecord, listed: Listed) -> bool:
        """The object in raw is this upload: its ETag is the one the upload ended with (or the one its pending
        verdict was last seen with); an upload recorded without a SHA-256 is known by its key alone."""
        if listed.metadata is not None:
            sha = listed.metadata.get(lake.SHA256_KEY.lower(), "")
            return not record.sha256 or sha in (record.sha256, lake.PENDING_SHA256)
        return (bool(record.etag) and listed.etag == record.etag.strip('"')) or not record.sha256 or (
            record.state == State.PENDING.value and record.verdict_etag == listed.etag)

    def _count(self, requests: int) -> None:
        with self._count_lock:
            self.requests += requests

    # -- listing ---------------------------------------------------------------------------------------

    def _order(self) -> tuple[str, str, str]:
        """Raw first, destinations after: a move copies before it deletes, so an object is always seen."""
        return (self.buckets.raw, self.buckets.triage, self.buckets.validated)

    def _list(self, bucket: str, keys: Sequence[str]) -> dict[str, Listed]:
        """The objects of ``keys``' folder between their first and last (the listing stops past the last); in
        triage, with the hook's index entry of each version listed (:meth:`_with_index`)."""
        found = self._list_folder(bucket, _folder(keys[0]), keys)
        if bucket == self.buckets.triage and self.use_index and any(
                listed.metadata is None for listed in found.values()):
            found = self._with_index(_folder(keys[0]), found)
        return found

    def _with_index(self, folder: str, found: dict[str, Listed]) -> dict[str, Listed]:
        """``found`` with each object's triage index entry where the index names this very version (its ETag
        and its last-modified second): one GET for the folder. An index missing or unreadable changes nothing
        (each triaged object's HEAD gives its reasons, as before)."""
        name = triage_index.index_key(folder)
        self._count(1)
        try:
            body = read_capped(self.client, self.buckets.triage, name, triage_index.MAX_BYTES)
        except S3Error as exc:
            if exc.code in NOT_FOUND_CODES or exc.code == "AccessDenied":
                return found
            raise storage_error(exc, self.buckets.triage, tr("list your uploads in {bucket}",
                                                             bucket=self.buckets.triage)) from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise unreachable(exc, tr("list your uploads in {bucket}", bucket=self.buckets.triage)) from exc
        entries = triage_index.parse(body, folder) if body is not None else None
        if not entries:
            return found
        matched = {}
        for key, listed in found.items():
            entry = entries.get(key)
            if entry is not None and entry.etag == listed.etag.strip('"') and entry.modified == listed.last_modified:
                listed = replace(listed, verdict=entry)
            matched[key] = listed
        return matched

    def _list_folder(self, bucket: str, folder: str, keys: Sequence[str]) -> dict[str, Listed]:
        wanted = set(keys)
        first, last = min(keys), max(keys)
        found: dict[str, Listed] = {}
        start_after = _just_before(first)
        self._count(1)
        try:
            page = min(1000, len(wanted) + 8)  # the range is dense in the wanted keys: a page past them is waste
            listing = self.client._list_objects(bucket, delimiter="/", prefix=folder, start_after=start_after,
                                                include_user_meta=True, max_keys=page, encoding_type="url")
            for count, obj in enumerate(listing):
                if count and count % page == 0:
                    self._count(1)
                name = obj.object_name or ""
                if name > last:
                    break
                if name in wanted and not obj.is_dir:
                    meta = user_metadata(dict(obj.metadata)) if obj.metadata else None
                    found[name] = Listed((obj.etag or "").strip('"'), obj.size or 0,
                                         triage_index.stamp(obj.last_modified), meta or None)
        except S3Error as exc:
            if exc.code == "NoSuchBucket":
                return found
            raise storage_error(exc, bucket, tr("list your uploads in {bucket}", bucket=bucket)) from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise unreachable(exc, tr("list your uploads in {bucket}", bucket=bucket)) from exc
        return found

    def _state_of(self, bucket: str) -> State:
        return {self.buckets.validated: State.VALIDATED, self.buckets.triage: State.TRIAGE}.get(bucket, State.PENDING)

    def _quick(self, record: UploadRecord, seen: Mapping[str, Listed | None]) -> ObjectStatus | None:
        """The verdict from the listings alone, or None when a HEAD must settle it."""
        for bucket in reversed(self._order()):  # validated, triage, raw: the destination's copy carries the verdict
            listed = seen.get(bucket)
            if listed is None:
                continue
            state = self._state_of(bucket)
            if listed.verdict is not None:
                status = self._from_index(record.key, listed)
                if not record.sha256 or status.sha256 == record.sha256:
                    return status
                continue
            if listed.metadata is not None:
                status = _status_from(record.key, bucket, state, listed.size, listed.metadata, listed.last_modified)
                if not record.sha256 or status.sha256 == record.sha256:
                    return status
                continue
            ours = bool(record.etag) and listed.etag == record.etag.strip('"')
            if state is State.TRIAGE:
                cached = record.state == State.TRIAGE.value and record.verdict_etag == listed.etag
                if cached:
                    return cached_status(record)
                return None  # its reasons (and maybe whose it is) need a HEAD
            if ours or (record.state == state.value and record.verdict_etag == listed.etag) or not record.sha256:
                return ObjectStatus(key=record.key, state=state, bucket=bucket, size=listed.size, etag=listed.etag,
                                    metadata={lake.SHA256_KEY.lower(): record.sha256},
                                    checked_at=listed.last_modified if state is not State.PENDING else "")
            return None
        return ObjectStatus(key=record.key, state=State.MISSING)

    def _listed_walk(self, record: UploadRecord, seen: Mapping[str, Listed | None]) -> ObjectStatus:
        """HEAD what the listings found, destination first, until this upload's content is met."""
        others: list[ObjectStatus] = []
        for bucket in reversed(self._order()):
            if seen.get(bucket) is None:
                continue
            status = self._head(bucket, record.key)
            if status is None:
                continue
            if not record.sha256 or status.sha256 == record.sha256:
                return status
            others.append(status)
        if not others:  # moved on since it was listed: ask where it is now
            return self._head_walk(record)
        return elsewhere(record.key, others)

    def _head_walk(self, record: UploadRecord) -> ObjectStatus:
        self._count(3)
        return locate(self.client, self.buckets, record.key, record.sha256 or None, key_in=self.key_in)

    def _from_index(self, key: str, listed: Listed) -> ObjectStatus:
        """A triaged upload's verdict from the hook's index entry for the version listed (no HEAD)."""
        entry = listed.verdict
        assert entry is not None
        meta = {lake.SHA256_KEY.lower(): entry.sha256}
        if entry.uploader:
            meta[lake.UPLOADER_KEY.lower()] = entry.uploader
        return ObjectStatus(key=key, state=State.TRIAGE, bucket=self.buckets.triage, size=listed.size,
                            reasons=tuple(tr(r) if r in KNOWN_REASONS else r for r in entry.reasons), metadata=meta,
                            checked_at=metadata_codec.decode(entry.checked_at) if entry.checked_at else "",
                            etag=listed.etag)

    def _head(self, bucket: str, key: str) -> ObjectStatus | None:
        """The upload of ``key`` as a HEAD of its object in ``bucket`` sees it (known by ``key``)."""
        self._count(1)
        stat = stat_or_none(self.client, bucket, self._key(bucket, key), key)
        if stat is None:
            return None
        meta = user_metadata(dict(stat.metadata or {}))
        status = _status_from(key, bucket, self._state_of(bucket), stat.size or 0, meta,
                              stat.last_modified.isoformat(timespec="seconds") if stat.last_modified else "")
        return replace(status, etag=(stat.etag or "").strip('"'))

    def _remember(self, pairs: Sequence[tuple[UploadRecord, ObjectStatus]]) -> None:
        """Store what changed, in one transaction."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        rows = []
        for record, status in pairs:
            if not record.id:  # a key asked about that this computer never uploaded
                continue
            etag = status.etag or record.verdict_etag
            if (record.state, record.bucket, record.reasons, record.verdict_etag) == (
                    status.state.value, status.bucket or "", as_written(status.reasons), etag):
                continue
            rows.append((record.id, status.state.value, status.bucket or "", as_written(status.reasons), etag,
                         status.checked_at or now))
        if rows:
            self.history.set_verdicts(rows)


def find_verdicts(client: Minio, places: Sequence[Destination], history: UploadHistory,
                  records: Sequence[UploadRecord], *, refresh: bool = False,
                  finders: list[VerdictFinder] | None = None) -> list[ObjectStatus]:
    """Each record's verdict, in the records' order, each looked for in its destination (the one whose raw folder
    holds its key): one finder per destination, each listing its own buckets and folders (appended to
    ``finders`` when given, for their request counts)."""
    groups: dict[Destination, list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        groups[destination_of(places, record.key)].append(index)
    results: list[ObjectStatus | None] = [None] * len(records)
    for place, indexes in groups.items():
        plain = not (place.raw.prefix or place.validated.prefix or place.triage.prefix)
        finder = VerdictFinder(client, place.buckets, history, key_in=None if plain else place.key_in)
        if finders is not None:
            finders.append(finder)
        for index, status in zip(indexes, finder.find([records[i] for i in indexes], refresh=refresh), strict=True):
            results[index] = status
    return [status for status in results if status is not None]


def as_written(reasons: Sequence[str]) -> tuple[str, ...]:
    """Reasons as the hook wrote them: a known one read in another language back to its English template."""
    back = {tr(known): known for known in KNOWN_REASONS}
    return tuple(back.get(reason, reason) for reason in reasons)


def _status_from(key: str, bucket: str, state: State, size: int, meta: Mapping[str, str],
                 last_modified: str) -> ObjectStatus:
    encoded = meta.get(lake.TRIAGE_REASON_KEY.lower())
    reasons = split_reasons(encoded) if state is State.TRIAGE and encoded else ()
    checked = meta.get(lake.CHECKED_AT_KEY.lower(), last_modified if state is not State.PENDING else "")
    return ObjectStatus(key=key, state=state, bucket=bucket, size=size, reasons=reasons, metadata=dict(meta),
                        checked_at=metadata_codec.decode(checked) if checked else "")


def _folder(key: str) -> str:
    return key.rsplit("/", 1)[0] + "/" if "/" in key else ""


def _just_before(key: str) -> str | None:
    """A name sorting just before ``key`` (S3's ``start-after`` is exclusive), or None to start at the top."""
    if not key:
        return None
    last = key[-1]
    return key[:-1] + chr(ord(last) - 1) + "\U0010ffff" if ord(last) > 0 else key[:-1] or None

