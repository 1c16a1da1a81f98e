"""What the lake's curators do with triaged objects: look at them, release one to validated, reject one, and
replace a validated object with a triaged version of it. Each decision is written on the object itself (who, when,
why, what: the ``Curated_*`` fields only the lake writes, see :mod:`planet_gui.core.lake`), so it travels with the
data and is what ``status`` shows its uploader.

Curators act with the lake's service keys (as the hook does), not with an uploader's STS credentials: the
uploader role can neither write validated nor change triage. Moves are copy, check, delete (as the hook's), with
the sidecar copied before its data and removed after it.

Destinations (:mod:`planet_gui.core.destinations`): a curator serves every destination of the hook's
configuration. A triaged object is named by its key in its triage bucket (``Epidemiologici-triage/alice/...``, as
``list`` and ``status`` print it); the destination is the one whose triage location holds that key (the longest
prefix), and releasing it puts it at the same place below that destination's validated prefix
(``Epidemiologici-validated/alice/...``), where the hook would have put it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

from minio import Minio
from minio.commonconfig import REPLACE, ComposeSource, CopySource
from minio.error import S3Error

from planet_gui.core import lake, metadata_codec
from planet_gui.core.destinations import Destination, default_destination
from planet_gui.core.errors import StorageError
from planet_gui.core.i18n import tr
from planet_gui.core.profile import Buckets
from planet_gui.core.s3errors import NOT_FOUND_CODES
from planet_gui.core.status import split_reasons, user_metadata
from planet_gui.core.triage_index import TriageIndex, is_reserved

MAX_SINGLE_COPY = 5 * 1024**3
_GONE = NOT_FOUND_CODES


class CurationRefused(StorageError):
    title = "Curation refused"


@dataclass(frozen=True)
class TriagedObject:
    key: str
    size: int
    etag: str
    uploader: str
    checked_at: str
    reasons: tuple[str, ...]
    metadata: Mapping[str, str]  # lower-case user metadata
    #: the bucket it is in, and the destination whose triage (or validated) location holds it
    bucket: str = ""
    destination: str = ""

    @property
    def rejected(self) -> bool:
        return metadata_codec.decode(self.metadata.get(lake.VERDICT_KEY.lower(), "")) == lake.VERDICT_REJECTED

    @property
    def decision(self) -> str:
        """The curator's recorded decision, as one line ('' when none)."""
        meta = self.metadata
        action = meta.get(lake.CURATED_ACTION_KEY.lower())
        if not action:
            return ""
        who = metadata_codec.decode(meta.get(lake.CURATED_BY_KEY.lower(), ""))
        why = metadata_codec.decode(meta.get(lake.CURATED_REASON_KEY.lower(), ""))
        return f"{action} by {who} at {meta.get(lake.CURATED_AT_KEY.lower(), '')}: {why}"


class Curator:
    def __init__(self, client: Minio, buckets: Buckets, name: str,
                 destinations: Sequence[Destination] = ()) -> None:
        if not name.strip():
            raise CurationRefused(tr("A curator's decision needs the curator's name."))
        self.client = client
        self.buckets = buckets
        self.name = name.strip()
        self.destinations = tuple(destinations) or (default_destination(buckets),)

    def _triage_places(self) -> list[Destination]:
        """One destination per distinct triage location (two destinations may share one)."""
        seen: dict[tuple[str, str], Destination] = {}
        for destination in self.destinations:
            seen.setdefault((destination.triage.bucket, destination.triage.prefix), destination)
        return list(seen.values())

    def _place(self, key: str, destination: str | None = None) -> tuple[Destination, TriagedObject]:
        """The destination whose triage location holds ``key``, and the object there. Refused when none does,
        or when several triage buckets hold that key and ``destination`` does not say which."""
        candidates = [d for d in self._triage_places() if key.startswith(d.triage.prefix)
                      and (destination is None or d.name == destination)]
        if destination is not None and not candidates and all(d.name != destination for d in self.destinations):
            raise CurationRefused(tr("There is no destination named {name}; there are: {names}.", name=destination,
                                     names=", ".join(d.name for d in self.destinations)))
        found: dict[str, tuple[Destination, TriagedObject]] = {}
        for place in sorted(candidates, key=lambda d: len(d.triage.prefix), reverse=True):
            if place.triage.bucket in found or is_reserved(key):
                continue
            looked = self._look(key, place.triage.bucket, place.name)
            if looked is not None:
                found[place.triage.bucket] = (place, looked)
        if not found:
            raise CurationRefused(tr("{key} is not in triage.", key=key))
        if len(found) > 1:
            raise CurationRefused(tr("{key} is in the triage of several destinations ({names}): say which with "
                                     "--dest.", key=key, names=", ".join(d.name for d, _ in found.values())))
        return next(iter(found.values()))

    # -- looking ---------------------------------------------------------------------------------------

    def triaged(self, prefix: str = "") -> Iterator[TriagedObject]:
        """Every data object in triage under ``prefix`` (a key prefix, as ``list`` prints keys), in every
        destination's triage location (sidecars and the hook's own area left out), with its reasons; metadata
        read by parallel HEADs, a page of the listing at a time."""
        with ThreadPoolExecutor(max_workers=8, thread_name_prefix="planet-curator") as pool:
            for place in self._triage_places():
                folder = place.triage.prefix
                if prefix.startswith(folder):
                    listed = prefix
                elif folder.startswith(prefix):
                    listed = folder
                else:
                    continue
                names = (o.object_name for o in self.client.list_objects(place.triage.bucket, prefix=listed,
                                                                         recursive=True)
                         if o.object_name and not o.object_name.endswith(lake.SIDECAR_SUFFIX)
                         and not is_reserved(o.object_name))
                look = functools.partial(self._look_in, place)
                batch: list[str] = []
                for name in names:
                    batch.append(name)
                    if len(batch) == 64:
                        yield from (t for t in pool.map(look, batch) if t is not None)
                        batch = []
                yield from (t for t in pool.map(look, batch) if t is not None)

    def show(self, key: str, destination: str | None = None) -> TriagedObject:
        return self._place(key, destination)[1]

    def _look_in(self, place: Destination, key: str) -> TriagedObject | None:
        return self._look(key, place.triage.bucket, place.name)

    def _look(self, key: str, bucket: str, destination: str = "") -> TriagedObject | None:
        try:
            stat = self.client.stat_object(bucket, key)
        except S3Error as exc:
            if exc.code in _GONE:
                return None
            raise
        meta = user_metadata(dict(stat.metadata or {}))
        encoded = meta.get(lake.TRIAGE_REASON_KEY.lower())
        uploader = meta.get(lake.CHECKED_UPLOADER_KEY.lower()) or meta.get(lake.UPLOADER_KEY.lower()) or ""
        return TriagedObject(key=key, size=stat.size or 0, etag=(stat.etag or "").strip('"'),
                             uploader=metadata_codec.decode(uploader), checked_at=meta.get(
                                 lake.CHECKED_AT_KEY.lower(), ""),
                             reasons=split_reasons(encoded) if encoded else (), metadata=meta, bucket=bucket,
                             destination=destination)

    # -- deciding --------------------------------------------------------------------------------------

    def _stamp(self, action: str, reason: str) -> dict[str, str]:
        if not reason.strip():
            raise CurationRefused(tr("A curator's decision needs a reason."))
        return {lake.CURATED_BY_KEY: metadata_codec.encode(self.name),
                lake.CURATED_AT_KEY: datetime.now(UTC).isoformat(timespec="seconds"),
                lake.CURATED_REASON_KEY: metadata_codec.encode(reason.strip()),
                lake.CURATED_ACTION_KEY: action}

    def release(self, key: str, reason: str, *, replace: bool = False,
                destination: str | None = None) -> TriagedObject:
        """Move a triaged object to its destination's validated location, as validated by this curator. A
        validated object at that place is replaced only with ``replace`` (recorded with the SHA-256 it had)."""
        place, found = self._place(key, destination)
        stamp = self._stamp("replace" if replace else "release", reason)
        target = self.validated_key(place, key)
        current = self._look(target, place.validated.bucket, place.name)
        if current is not None and not replace:
            raise CurationRefused(tr("{key} is already validated; replacing it is a decision of its own "
                                     "(planet-lake curator replace).", key=target))
        if current is not None:
            stamp[lake.CURATED_REPLACED_KEY] = current.metadata.get(lake.CHECKED_SHA256_KEY.lower(), current.etag)
        kept = {k: v for k, v in found.metadata.items()
                if k not in {lake.TRIAGE_REASON_KEY.lower(), lake.VERDICT_KEY.lower()}
                and not k.startswith("curated_")}
        metadata = {**kept, **stamp, lake.VERDICT_KEY: lake.VERDICT_VALIDATED}
        # its entry would speak for a version that is leaving (and a failed copy must not leave it speaking)
        TriageIndex(self.client, place.triage.bucket).forget(key)
        self._copy(found, place.validated.bucket, target, metadata)
        self._remove(place.triage.bucket, key)
        return found

    def validated_key(self, place: Destination, key: str) -> str:
        """Where the triaged ``key`` of ``place`` goes in validated: the same place below the validated prefix."""
        return place.validated.prefix + key[len(place.triage.prefix):]

    def replace(self, key: str, reason: str, destination: str | None = None) -> TriagedObject:
        """Replace the validated object at the triaged ``key``'s place with its triaged version (the hook's
        "already validated")."""
        place, _ = self._place(key, destination)
        if self._look(self.validated_key(place, key), place.validated.bucket) is None:
            raise CurationRefused(tr("{key} is not validated: there is nothing to replace; release it instead.",
                                     key=self.validated_key(place, key)))
        return self.release(key, reason, replace=True, destination=place.name)

    def reject(self, key: str, reason: str, destination: str | None = None) -> TriagedObject:
        """Keep the object in triage, marked rejected (it can no longer be resubmitted by a fix)."""
        place, found = self._place(key, destination)
        metadata = {**{k: v for k, v in found.metadata.items() if not k.startswith("curated_")},
                    **self._stamp("reject", reason), lake.VERDICT_KEY: lake.VERDICT_REJECTED}
        TriageIndex(self.client, place.triage.bucket).forget(key)  # its entry no longer speaks for it
        self._copy(found, place.triage.bucket, key, metadata, sidecar=False)
        return found

    def _copy(self, found: TriagedObject, destination: str, target: str, metadata: Mapping[str, str], *,
              sidecar: bool = True) -> None:
        key = found.key
        source_bucket = found.bucket
        sidecar_key = lake.sidecar_key_for(key)
        if sidecar and self._look(sidecar_key, source_bucket) is not None:
            self.client.copy_object(destination, lake.sidecar_key_for(target), CopySource(source_bucket, sidecar_key))
        # one spelling per name: two spellings of one header break the request's signature
        headers: dict[str, str | list[str] | tuple[str]] = {k.lower(): v for k, v in metadata.items()}
        if found.size > MAX_SINGLE_COPY:
            parts = [ComposeSource(source_bucket, key, match_etag=found.etag)]
            self.client.compose_object(destination, target, parts, metadata=headers)
        else:
            self.client.copy_object(destination, target, CopySource(source_bucket, key, match_etag=found.etag),
                                    metadata=headers, metadata_directive=REPLACE)
        copied = self._look(target, destination)
        if copied is None or copied.size != found.size:
            raise CurationRefused(tr("the copy of {key} in {bucket} is not the one just made; nothing was removed",
                                     key=target, bucket=destination))

    def _remove(self, bucket: str, key: str) -> None:
        sidecar_key = lake.sidecar_key_for(key)
        for name in (sidecar_key, key):
            try:
                self.client.remove_object(bucket, name)
            except S3Error as exc:
                if exc.code not in _GONE:
                    raise
