"""Move an object out of raw so that a crash at any step leaves it in exactly one place once the hook is back.

S3 has no move: the hook copies (with its verdict in the copy's metadata), verifies the copy, then removes the raw
object. A ``kill -9`` between copy and delete leaves the object twice. The copy therefore carries which raw object
it was made from (``Checked_source``: the raw ETag and last-modified time) and the SHA-256 the hook computed
(``Checked_sha256``); when the restarted hook finds such a copy of the very raw object it is looking at, with
the same content, it finishes the move (removes the raw object) instead of judging the object again and calling
its own copy "another file".

Order: the sidecar is copied before its data and removed before it, so the data never points nowhere and the
raw data object, which drives every pass, is the last thing to go.

``PLANET_HOOK_CRASH_AT`` (read by the hook process only, for the crash tests) names a step — ``copied``,
``verified``, ``deleting``, or ``notifying`` (the move done, its notification not sent) — at which the hook
kills itself with SIGKILL, a real crash with nothing cleaned up.
It only ever fires in the middle of a fresh move, never while a crashed one is being finished.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import signal
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from minio import Minio
from minio.commonconfig import REPLACE, ComposeSource, CopySource
from minio.error import S3Error

from planet_gui.core import lake
from planet_gui.core.status import user_metadata
from planet_gui.core.triage_index import stamp
from planet_gui.hook.content import GONE

log = logging.getLogger("planet_gui.hook")

CRASH_ENV = "PLANET_HOOK_CRASH_AT"
CRASH_STEPS = ("copied", "verified", "deleting")
#: after the move, before its notification (:mod:`planet_gui.hook.outbox`); not a step of the move itself
CRASH_NOTIFYING = "notifying"
#: right after the hook took an object's claim, before it judges it (the lease tests: a holder dead mid-judgement)
CRASH_CLAIMED = "claimed"
#: ``step:seconds``: the hook stops that long at ``step`` (the lease tests: a live holder slower than its lease)
PAUSE_ENV = "PLANET_HOOK_PAUSE_AT"
MAX_SINGLE_COPY = 5 * 1024**3


def crash_point(step: str) -> None:
    """Die here, as a ``kill -9`` would, when the crash tests ask for it (see the module's docstring)."""
    if os.environ.get(CRASH_ENV) == step:
        log.warning("%s=%s: killing the hook (SIGKILL) for a crash test", CRASH_ENV, step)
        for handler in logging.getLogger().handlers + log.handlers:
            handler.flush()
        os.kill(os.getpid(), signal.SIGKILL)


def pause_point(step: str) -> None:
    """Stop here for the seconds ``PLANET_HOOK_PAUSE_AT=step:seconds`` names (tests of slow holders only)."""
    wanted, _, seconds = os.environ.get(PAUSE_ENV, "").partition(":")
    if wanted == step and seconds:
        log.warning("%s=%s:%s: pausing the hook for a test", PAUSE_ENV, step, seconds)
        threading.Event().wait(float(seconds))


@dataclass(frozen=True)
class Source:
    """The raw object as the hook saw it (the version it checked)."""

    bucket: str
    key: str
    etag: str
    size: int
    last_modified: datetime | None
    content_type: str | None = None
    #: a digest of the upload's own metadata: a re-upload of the same bytes within the same second (S3 times
    #: have one-second resolution) but with other metadata is another upload
    metadata_digest: str = ""

    @property
    def identity(self) -> str:
        """Which raw object a copy was made from: a re-upload under the same key has another identity."""
        stamp = self.last_modified.isoformat() if self.last_modified is not None else "-"
        return f"{self.etag.strip(chr(34))}@{stamp}#{self.metadata_digest}"


def metadata_digest(metadata: Mapping[str, str]) -> str:
    """A short digest of user metadata (keys compared in lower case, in a fixed order)."""
    canonical = json.dumps(sorted((k.lower(), v) for k, v in metadata.items()), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()[:16]


@dataclass(frozen=True)
class Copy:
    """An object in a destination bucket, with its (lower-case) user metadata."""

    bucket: str
    key: str
    etag: str
    size: int
    metadata: Mapping[str, str]
    #: its last-modified time as listings show it (UTC, to the second; see :func:`triage_index.stamp`)
    modified: str = ""

    def made_from(self, source: Source, sha256: str) -> bool:
        """Whether the hook made this copy from ``source`` (the same raw object, the same content)."""
        return (self.metadata.get(lake.CHECKED_SOURCE_KEY.lower()) == source.identity
                and self.metadata.get(lake.CHECKED_SHA256_KEY.lower()) == sha256
                and self.size == source.size)


class Mover:
    """``target`` gives where a raw key goes in a destination bucket (:meth:`Destination.key_in`: the raw
    prefix swapped for the destination's); by default the same key."""

    def __init__(self, client: Minio, raw_bucket: str, target: Callable[[str, str], str] | None = None) -> None:
        self.client = client
        self.raw = raw_bucket
        self._target = target

    def target_key(self, bucket: str, raw_key: str) -> str:
        return self._target(bucket, raw_key) if self._target is not None else raw_key

    def look_copy(self, bucket: str, raw_key: str) -> Copy | None:
        """The copy of the raw object ``raw_key`` in the destination ``bucket``, if there is one."""
        return self.look(bucket, self.target_key(bucket, raw_key))

    def look(self, bucket: str, key: str) -> Copy | None:
        try:
            stat = self.client.stat_object(bucket, key)
        except S3Error as exc:
            if exc.code in GONE:
                return None
            raise
        return Copy(bucket, key, (stat.etag or "").strip('"'), stat.size or 0, user_metadata(dict(stat.metadata or {})),
                    stamp(stat.last_modified))

    def move(self, source: Source, destination: str, metadata: Mapping[str, str],
             sidecar: tuple[str, str] | None, rewritten: tuple[bytes, Mapping[str, str]] | None = None) -> Copy:
        """Copy ``source`` (and its checked ``sidecar``: key, ETag) to ``destination`` with ``metadata``, verify,
        then remove them from raw. Every copy is conditional on the ETag that was checked. Returns the copy.
        ``rewritten`` (body, headers) replaces the sidecar's copy when its data goes to another folder (the
        sidecar then names its new key; its ``Checked_source`` names the raw sidecar's ETag)."""
        if sidecar is not None:
            sidecar_key, sidecar_etag = sidecar
            target_sidecar = self.target_key(destination, sidecar_key)
            if rewritten is not None:
                body, sidecar_headers = rewritten
                self.client.put_object(destination, target_sidecar, io.BytesIO(body), len(body),
                                       content_type="application/json", metadata=dict(sidecar_headers))
            else:
                self.client.copy_object(destination, target_sidecar,
                                        CopySource(self.raw, sidecar_key, match_etag=sidecar_etag))
        headers: dict[str, str | list[str] | tuple[str]] = dict(metadata)
        if source.content_type:
            headers["Content-Type"] = source.content_type
        target = self.target_key(destination, source.key)
        if source.size > MAX_SINGLE_COPY:  # S3 copies at most 5 GiB in one request; compose copies in parts
            self.client.compose_object(destination, target,
                                       [ComposeSource(self.raw, source.key, match_etag=source.etag)],
                                       metadata=headers)
        else:
            self.client.copy_object(destination, target, CopySource(self.raw, source.key, match_etag=source.etag),
                                    metadata=headers, metadata_directive=REPLACE)
        crash_point("copied")
        copied = self.look(destination, target)
        if copied is None or copied.size != source.size or \
                copied.metadata.get(lake.CHECKED_SOURCE_KEY.lower()) != source.identity:
            raise RuntimeError(f"the copy of {source.key} in {destination} is not the one just made")
        crash_point("verified")
        if sidecar is not None:
            self._remove(sidecar[0])
        crash_point("deleting")
        self._remove(source.key)
        return copied

    def finish(self, source: Source, copy: Copy) -> None:
        """Finish a move a crash interrupted: ``copy`` is already the checked copy of ``source``. The raw sidecar
        goes only if the destination holds the same sidecar (it was copied along before the data)."""
        sidecar_key = lake.sidecar_key_for(source.key)
        raw_sidecar = self.look(self.raw, sidecar_key)
        if raw_sidecar is not None:
            moved = self.look(copy.bucket, self.target_key(copy.bucket, sidecar_key))
            same = moved is not None and moved.etag == raw_sidecar.etag and moved.size == raw_sidecar.size
            rewritten = moved is not None and moved.metadata.get(lake.CHECKED_SOURCE_KEY.lower()) == raw_sidecar.etag
            if same or rewritten:
                self._remove(sidecar_key)
        self._remove(source.key)

    def _remove(self, key: str) -> None:
        try:
            self.client.remove_object(self.raw, key)
        except S3Error as exc:
            if exc.code not in GONE:
                raise
