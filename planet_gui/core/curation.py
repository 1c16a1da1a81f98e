"""What the lake's curators do with triaged objects: look at them, release one to validated, reject one, and
replace a validated object with a triaged version of it. Each decision is written on the object itself (who, when,
why, what: the ``Curated_*`` fields only the lake writes, see :mod:`planet_gui.core.lake`), so it travels with the
data and is what ``status`` shows its uploader.

Curators act with the lake's service keys (as the hook does), not with an uploader's STS credentials: the
uploader role can neither write validated nor change triage. Moves are copy, check, delete (as the hook's), with
the sidecar copied before its data and removed after it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

from minio import Minio
from minio.commonconfig import REPLACE, ComposeSource, CopySource
from minio.error import S3Error

from planet_gui.core import lake, metadata_codec
from planet_gui.core.errors import StorageError
from planet_gui.core.i18n import tr
from planet_gui.core.profile import Buckets
from planet_gui.core.s3errors import NOT_FOUND_CODES
from planet_gui.core.status import split_reasons, user_metadata
from planet_gui.core.triage_index import TriageIndex

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
    def __init__(self, client: Minio, buckets: Buckets, name: str) -> None:
        if not name.strip():
            raise CurationRefused(tr("A curator's decision needs the curator's name."))
        self.client = client
        self.buckets = buckets
        self.name = name.strip()

    # -- looking ---------------------------------------------------------------------------------------

    def triaged(self, prefix: str = "") -> Iterator[TriagedObject]:
        """Every data object in triage under ``prefix`` (sidecars left out), with its reasons; metadata read by
        parallel HEADs, a page of the listing at a time."""
        names = (o.object_name for o in self.client.list_objects(self.buckets.triage, prefix=prefix, recursive=True)
                 if o.object_name and not o.object_name.endswith(lake.SIDECAR_SUFFIX))
        with ThreadPoolExecutor(max_workers=8, thread_name_prefix="planet-curator") as pool:
            batch: list[str] = []
            for name in names:
                batch.append(name)
                if len(batch) == 64:
                    yield from (t for t in pool.map(self._look, batch) if t is not None)
                    batch = []
            yield from (t for t in pool.map(self._look, batch) if t is not None)

    def show(self, key: str) -> TriagedObject:
        found = self._look(key)
        if found is None:
            raise CurationRefused(tr("{key} is not in triage.", key=key))
        return found

    def _look(self, key: str, bucket: str | None = None) -> TriagedObject | None:
        try:
            stat = self.client.stat_object(bucket or self.buckets.triage, key)
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
                             reasons=split_reasons(encoded) if encoded else (), metadata=meta)

    # -- deciding --------------------------------------------------------------------------------------

    def _stamp(self, action: str, reason: str) -> dict[str, str]:
        if not reason.strip():
            raise CurationRefused(tr("A curator's decision needs a reason."))
        return {lake.CURATED_BY_KEY: metadata_codec.encode(self.name),
                lake.CURATED_AT_KEY: datetime.now(UTC).isoformat(timespec="seconds"),
                lake.CURATED_REASON_KEY: metadata_codec.encode(reason.strip()),
                lake.CURATED_ACTION_KEY: action}

    def release(self, key: str, reason: str, *, replace: bool = False) -> TriagedObject:
        """Move a triaged object to validated, as validated by this curator. A validated object under the same
        key is replaced only with ``replace`` (recorded with the SHA-256 it had)."""
        found = self.show(key)
        stamp = self._stamp("replace" if replace else "release", reason)
        current = self._look(key, self.buckets.validated)
        if current is not None and not replace:
            raise CurationRefused(tr("{key} is already validated; replacing it is a decision of its own "
                                     "(planet-lake curator replace).", key=key))
        if current is not None:
            stamp[lake.CURATED_REPLACED_KEY] = current.metadata.get(lake.CHECKED_SHA256_KEY.lower(), current.etag)
        kept = {k: v for k, v in found.metadata.items()
                if k not in {lake.TRIAGE_REASON_KEY.lower(), lake.VERDICT_KEY.lower()}
                and not k.startswith("curated_")}
        metadata = {**kept, **stamp, lake.VERDICT_KEY: lake.VERDICT_VALIDATED}
        self._copy(found, self.buckets.validated, metadata)
        self._remove(self.buckets.triage, key)
        return found

    def replace(self, key: str, reason: str) -> TriagedObject:
        """Replace the validated object under ``key`` with its triaged version (the hook's "already validated")."""
        if self._look(key, self.buckets.validated) is None:
            raise CurationRefused(tr("{key} is not validated: there is nothing to replace; release it instead.",
                                     key=key))
        return self.release(key, reason, replace=True)

    def reject(self, key: str, reason: str) -> TriagedObject:
        """Keep the object in triage, marked rejected (it can no longer be resubmitted by a fix)."""
        found = self.show(key)
        metadata = {**{k: v for k, v in found.metadata.items() if not k.startswith("curated_")},
                    **self._stamp("reject", reason), lake.VERDICT_KEY: lake.VERDICT_REJECTED}
        TriageIndex(self.client, self.buckets.triage).forget(key)  # its entry no longer speaks for it
        self._copy(found, self.buckets.triage, metadata, sidecar=False)
        return found

    def _copy(self, found: TriagedObject, destination: str, metadata: Mapping[str, str], *,
              sidecar: bool = True) -> None:
        key = found.key
        sidecar_key = lake.sidecar_key_for(key)
        if sidecar and self._look(sidecar_key) is not None:
            self.client.copy_object(destination, sidecar_key, CopySource(self.buckets.triage, sidecar_key))
        # one spelling per name: two spellings of one header break the request's signature
        headers: dict[str, str | list[str] | tuple[str]] = {k.lower(): v for k, v in metadata.items()}
        if found.size > MAX_SINGLE_COPY:
            parts = [ComposeSource(self.buckets.triage, key, match_etag=found.etag)]
            self.client.compose_object(destination, key, parts,
                                       metadata=headers)
        else:
            self.client.copy_object(destination, key, CopySource(self.buckets.triage, key, match_etag=found.etag),
                                    metadata=headers, metadata_directive=REPLACE)
        copied = self._look(key, destination)
        if copied is None or copied.size != found.size:
            raise CurationRefused(tr("the copy of {key} in {bucket} is not the one just made; nothing was removed",
                                     key=key, bucket=destination))

    def _remove(self, bucket: str, key: str) -> None:
        sidecar_key = lake.sidecar_key_for(key)
        for name in (sidecar_key, key):
            try:
                self.client.remove_object(bucket, name)
            except S3Error as exc:
                if exc.code not in _GONE:
                    raise
