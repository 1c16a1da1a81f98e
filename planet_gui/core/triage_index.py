"""The hook's triage index: one small JSON object per triage folder, naming each triaged object's reasons, so that
``status`` reads the reasons of a whole folder with one GET instead of one HEAD per triaged object.

Why: a listing gives each object's ETag and date but no user metadata on SeaweedFS (MinIO can add it), and the
reasons live in the triaged copy's metadata. Reading them object by object cost 3,000 of the 3,030 requests of a
cold ``status`` of 10,000 uploads.

Trust: only the hook writes the index (it lives in the triage bucket, under ``.planet-hook/``, where the lake's
policy lets no uploader write, and the hook never moves an object there). An entry speaks for exactly one
version of a triaged object: its ETag *and* its last-modified second, as the listing shows them. Anything else
(an entry missing, a curator's later change, a hook killed between its copy and its index write, an index that is
unreadable or too big) is not an answer, and the reader asks the object itself, as before. Before it copies a new
version into triage the hook removes the key's old entry, so an old entry never describes a new copy.

The hook writes entries with :class:`TriageIndex` (a curator's tool removes an entry before it changes a triaged
object, with the same class), ``status`` reads them in :mod:`planet_gui.core.verdicts`.

Several hooks may write one folder's index at once (one-shot hooks in parallel workflows, a sweep and an event):
each rewrite is a read, a change and a conditional PUT (``If-Match`` on the ETag read, ``If-None-Match: *`` when
there was none), retried when another writer came in between, so no entry is lost. The index is only a shortcut:
when an entry cannot be added the verdict still stands in the object's metadata and readers ask the object, so
:meth:`TriageIndex.record` logs and carries on; :meth:`TriageIndex.forget` raises, and the caller must then not
change the object (an old entry would outlive its version).
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from minio import Minio
from minio.error import S3Error

from planet_gui.core.s3errors import NOT_FOUND_CODES

log = logging.getLogger(__name__)

#: where the indexes live, at the top of the triage bucket (next to the hook's claims)
PREFIX = ".planet-hook/verdicts/"
VERSION = 1
#: an index over this is not read (the reader asks object by object); the hook prunes before it gets there
MAX_BYTES = 8 * 1024 * 1024
#: the hook prunes entries whose objects left triage once a folder's index holds this many
PRUNE_AT = 5000


@dataclass(frozen=True)
class Entry:
    """One triaged object's verdict, as the hook wrote it on the copy."""

    #: the copy's ETag (unquoted) and last-modified time (ISO 8601, seconds, UTC): the version this speaks for
    etag: str
    modified: str
    #: the ``Sha256`` the upload declared (as written on the copy), and its ``Uploader`` (encoded as on the copy)
    sha256: str
    uploader: str
    #: the reasons, one per problem, in the hook's language
    reasons: tuple[str, ...]
    checked_at: str


def index_key(folder: str) -> str:
    """The index of the triage folder ``folder`` (a key prefix ending in ``/``, or '' for the bucket's top)."""
    return PREFIX + hashlib.sha256(folder.encode("utf-8")).hexdigest() + ".json"


def is_reserved(key: str) -> bool:
    """A key in the hook's own area of a bucket: never an upload's place."""
    return key.startswith(".planet-hook/")


def folder_of(key: str) -> str:
    return key.rsplit("/", 1)[0] + "/" if "/" in key else ""


def stamp(when: Any) -> str:
    """A datetime as the index and the listing compare it (UTC, to the second)."""
    from datetime import UTC

    if when is None:
        return ""
    return str(when.astimezone(UTC).isoformat(timespec="seconds"))


def render(folder: str, entries: Mapping[str, Entry]) -> bytes:
    document = {"planet_triage_index": VERSION, "folder": folder,
                "entries": {key: {**asdict(entry), "reasons": list(entry.reasons)}
                            for key, entry in sorted(entries.items())}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def parse(body: bytes, folder: str) -> dict[str, Entry] | None:
    """The entries of an index written for ``folder``; None when the body is not one (then nothing is trusted)."""
    if len(body) > MAX_BYTES:
        return None
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("planet_triage_index") != VERSION \
            or document.get("folder") != folder or not isinstance(document.get("entries"), dict):
        return None
    found: dict[str, Entry] = {}
    for key, item in document["entries"].items():
        if not isinstance(item, dict) or folder_of(key) != folder:
            continue
        reasons = item.get("reasons")
        fields = [item.get(name) for name in ("etag", "modified", "sha256", "uploader", "checked_at")]
        if not all(isinstance(v, str) for v in fields) or not isinstance(reasons, list) or \
                not all(isinstance(r, str) for r in reasons):
            continue
        etag, modified, sha256, uploader, checked_at = (str(v) for v in fields)
        found[key] = Entry(etag, modified, sha256, uploader, tuple(reasons), checked_at)
    return found


_ATTEMPTS = 30
_CONFLICT = "PreconditionFailed"


class TriageIndex:
    """The indexes of one triage bucket."""

    def __init__(self, client: Minio, bucket: str) -> None:
        self.client = client
        self.bucket = bucket

    def record(self, key: str, entry: Entry) -> None:
        """Add (or replace) the entry of the triaged object ``key``. Best effort (see the module)."""
        try:
            self.update(folder_of(key), lambda entries: _put_entry(entries, key, entry))
        except Exception as exc:  # noqa: BLE001 - a shortcut lost: readers ask the object instead
            log.warning("could not add %s to the triage index: %s", key, exc)

    def record_many(self, folder: str, entries: Mapping[str, Entry]) -> None:
        """Add many entries of one folder in one rewrite (raises on failure)."""
        self.update(folder, lambda found: found.update(entries) is None)

    def forget(self, key: str) -> None:
        """Remove ``key``'s entry (before a new version of it is copied into triage). Raises when the index
        cannot be written: the caller must not make the new copy then."""
        self.update(folder_of(key), lambda entries: entries.pop(key, None) is not None)

    def update(self, folder: str, change: Callable[[dict[str, Entry]], bool]) -> None:
        """Read the folder's index, apply ``change`` (True when it changed something) and write it back if
        nobody wrote it meanwhile; otherwise read it again and retry."""
        name = index_key(folder)
        for attempt in range(_ATTEMPTS):
            body, etag = self._read(name)
            entries = (parse(body, folder) or {}) if body is not None else {}
            if not change(entries):
                return
            if len(entries) >= PRUNE_AT:
                self._prune(folder, entries)
            if self._write(name, render(folder, entries), etag):
                return
            time.sleep(random.uniform(0.005, 0.02) * min(attempt + 1, 10))  # another hook wrote it: read again
        raise RuntimeError(f"the triage index of {folder} kept changing under this hook ({_ATTEMPTS} attempts)")

    def _read(self, name: str) -> tuple[bytes | None, str | None]:
        try:
            response = self.client.get_object(self.bucket, name)
        except S3Error as exc:
            if exc.code in NOT_FOUND_CODES:
                return None, None
            raise
        try:
            etag = str(response.headers.get("ETag", "")).strip('"')
            body = response.read(MAX_BYTES + 1)
        finally:
            response.close()
            response.release_conn()
        return body, etag

    def _write(self, name: str, body: bytes, etag: str | None) -> bool:
        condition = {"If-Match": f'"{etag}"'} if etag is not None else {"If-None-Match": "*"}
        headers: dict[str, str | list[str] | tuple[str]] = {"Content-Type": "application/json", **condition}
        try:
            self.client._execute("PUT", self.bucket, name, body=body, headers=headers)
        except S3Error as exc:
            if exc.code == _CONFLICT or exc.code in NOT_FOUND_CODES:
                return False
            raise
        return True

    def _prune(self, folder: str, entries: dict[str, Entry]) -> None:
        """Drop the entries of objects no longer in triage as they were (released, fixed, removed); the oldest
        go too if the folder still holds more than the index may."""
        present = {obj.object_name: (obj.etag or "").strip('"')
                   for obj in self.client.list_objects(self.bucket, prefix=folder) if obj.object_name}
        for key in [k for k, entry in entries.items() if present.get(k) != entry.etag]:
            del entries[key]
        if len(entries) >= PRUNE_AT:
            for key in sorted(entries, key=lambda k: entries[k].checked_at)[: len(entries) - PRUNE_AT
                                                                            + PRUNE_AT // 10]:
                del entries[key]


def _put_entry(entries: dict[str, Entry], key: str, entry: Entry) -> bool:
    if entries.get(key) == entry:
        return False
    entries[key] = entry
    return True
