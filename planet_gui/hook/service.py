"""Check one object and move it: copy to the destination with the verdict, verify, then delete."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from minio import Minio
from minio.commonconfig import REPLACE, ComposeSource, CopySource
from minio.error import S3Error

from planet_gui.core import metadata_codec
from planet_gui.core.schema import Schema
from planet_gui.core.status import ALREADY_VALIDATED, CHECKED_AT_KEY, TRIAGE_REASON_KEY, user_metadata
from planet_gui.core.transfer import s3ops, sidecar
from planet_gui.hook.config import HookConfig
from planet_gui.hook.sources import EventSource

log = logging.getLogger("planet_gui.hook")

_GONE = {"NoSuchKey", "NoSuchObject", "ResourceNotFound"}
MAX_SINGLE_COPY = 5 * 1024**3


def _sha256_pending(metadata: dict[str, str]) -> bool:
    return {k.lower(): v for k, v in metadata.items()}.get("sha256") == s3ops.PENDING_SHA256


@dataclass(frozen=True)
class Verdict:
    key: str
    valid: bool
    problems: tuple[str, ...]
    destination: str
    uploader: str | None = None


class ValidationHook:
    """``notify`` hears every verdict once the object has moved (see :mod:`planet_gui.hook.notify`)."""

    def __init__(self, client: Minio, config: HookConfig, schema: Schema,
                 notify: Callable[[Verdict], None] | None = None) -> None:
        self.client = client
        self.config = config
        self.schema = schema
        self.notify = notify

    def problems_for(self, metadata: dict[str, str]) -> list[str]:
        try:  # metadata over S3's 2 KB limit is in a JSON sidecar the headers point to
            full = sidecar.full_metadata(self.client, self.config.buckets.raw, metadata)
        except sidecar.SidecarError as exc:
            return [exc.message]
        values = self.schema.from_s3(full)
        return self.schema.problems(values)

    def process(self, key: str) -> Verdict | None:
        """None when the object vanished meanwhile (another hook instance took it)."""
        buckets = self.config.buckets
        try:
            stat = self.client.stat_object(buckets.raw, key)
        except S3Error as exc:
            if exc.code in _GONE:
                return None
            raise
        metadata = user_metadata(dict(stat.metadata or {}))
        if sidecar.is_sidecar(metadata):
            self._drop_if_orphaned(key, metadata, stat.last_modified)
            return None  # a metadata sidecar moves with its data object
        unsealed = _sha256_pending(metadata)
        if unsealed and not self._sealing_overdue(stat.last_modified):
            return None  # its uploader records the SHA-256 in a moment (see planet_gui.core.transfer.engine)
        problems = self.problems_for(metadata)
        if unsealed:
            problems = [f"the upload was never finished: its SHA-256 was not recorded within "
                        f"{self.config.seal_grace / 3600:g} h; upload the file again"]
        if not problems and self._exists(buckets.validated, key):
            # never replace validated data silently: a curator decides which version stays
            problems = [ALREADY_VALIDATED]
        destination = buckets.triage if problems else buckets.validated
        new_metadata = dict(metadata)
        new_metadata[CHECKED_AT_KEY] = datetime.now(UTC).isoformat(timespec="seconds")
        if problems:
            new_metadata[TRIAGE_REASON_KEY] = metadata_codec.encode("\n".join(problems))
        found = sidecar.pointer(metadata)
        sidecar_copied = found is not None and self._copy_sidecar(found[0], destination)
        self._move(key, destination, new_metadata, stat.size, stat.content_type)
        if found is not None and sidecar_copied:  # copied first, removed last: the data never points nowhere
            self.client.remove_object(buckets.raw, found[0])
        verdict = Verdict(key=key, valid=not problems, problems=tuple(problems), destination=destination,
                          uploader=self._uploader(metadata))
        if problems:
            log.warning("triage %s: %s", key, "; ".join(problems))
        else:
            log.info("validated %s", key)
        if self.notify is not None:
            self.notify(verdict)
        return verdict

    def _uploader(self, metadata: dict[str, str]) -> str | None:
        found = self.schema.from_s3(metadata).get("uploader")
        return str(found) if found else None

    def _sealing_overdue(self, last_modified: datetime | None) -> bool:
        if last_modified is None:
            return True
        return (datetime.now(UTC) - last_modified).total_seconds() > self.config.seal_grace

    def _drop_if_orphaned(self, key: str, metadata: dict[str, str], last_modified: datetime | None) -> None:
        """Remove a sidecar whose data never arrived (its upload was cancelled, or failed, after the sidecar went
        up) once the sealing grace has passed; nothing else would ever move it out of raw. Safe for an upload
        resumed later: it writes its sidecar again just before its data appears."""
        if not self._sealing_overdue(last_modified):
            return
        data_key = sidecar.data_key(metadata)
        if data_key is None or self._exists(self.config.buckets.raw, data_key):
            return
        log.warning("removing %s: the metadata of %s, which never arrived", key, data_key)
        self.client.remove_object(self.config.buckets.raw, key)

    def _exists(self, bucket: str, key: str) -> bool:
        try:
            self.client.stat_object(bucket, key)
        except S3Error as exc:
            if exc.code in _GONE:
                return False
            raise
        return True

    def _copy_sidecar(self, sidecar_key: str, destination: str) -> bool:
        try:
            self.client.copy_object(destination, sidecar_key, CopySource(self.config.buckets.raw, sidecar_key))
        except S3Error as exc:
            if exc.code in _GONE:
                return False
            raise
        return True

    def _move(self, key: str, destination: str, metadata: dict[str, str], size: int | None,
              content_type: str | None) -> None:
        headers: dict[str, str | list[str] | tuple[str]] = dict(metadata)
        if content_type:
            headers["Content-Type"] = content_type
        if size is not None and size > MAX_SINGLE_COPY:
            # S3 copies at most 5 GiB in one request; compose copies in parts server-side
            self.client.compose_object(destination, key, [ComposeSource(self.config.buckets.raw, key)],
                                       metadata=headers)
        else:
            self.client.copy_object(
                destination, key, CopySource(self.config.buckets.raw, key),
                metadata=headers, metadata_directive=REPLACE,
            )
        copied = self.client.stat_object(destination, key)
        if copied.size != size:
            raise RuntimeError(f"copy of {key} to {destination} has {copied.size} bytes, expected {size}")
        self.client.remove_object(self.config.buckets.raw, key)

    def run(self, source: EventSource, stop: threading.Event) -> int:
        """Process keys until ``stop``; returns how many objects got a verdict."""
        handled = 0
        for key in source.keys(stop):
            try:
                if self.process(key) is not None:
                    handled += 1
            except S3Error as exc:
                log.error("could not process %s: %s %s", key, exc.code, exc.message)
            except Exception as exc:  # the server went away mid-move: the object is still in raw, for next time
                log.error("could not process %s: %s", key, exc)
        return handled
