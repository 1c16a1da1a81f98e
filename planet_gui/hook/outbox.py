"""Triage notifications at least once: a hook that dies after moving an object and before notifying leaves an
outbox entry, and the next hook run delivers it.

Before the move, the hook writes ``.planet-hook/outbox/<digest>.json`` in the triage bucket (the digest is the
object's claim's, :func:`planet_gui.hook.claims.claim_key`: one raw object version, one entry), naming the verdict
it is about to give and where the copy goes. It moves the object, notifies, and removes the entry. A hook killed
in between leaves the entry behind; every hook run looks for entries (one listing) and delivers each one whose
move happened (the copy is there, made from that very raw version, and raw no longer holds that version), then
removes it.

Exactly one notification while the hooks live: a deliverer first takes the object's claim, which the hook that
wrote the entry holds until it has notified and removed the entry (a dead holder's claim is taken over as in
:mod:`planet_gui.hook.claims`: at once on the same machine, after one ``CLAIM_TTL`` lease elsewhere), and reads the
entry again once it holds the claim. A deliverer killed between its notification and the entry's removal sends it once
more next time: at least once, never zero times.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass

from minio import Minio
from minio.error import S3Error

from planet_gui.core import lake
from planet_gui.hook.claims import Claims, claim_key
from planet_gui.hook.content import GONE, read_capped
from planet_gui.hook.mover import Mover

log = logging.getLogger("planet_gui.hook")

PREFIX = ".planet-hook/outbox/"
_MAX_ENTRY_BYTES = 256 * 1024


@dataclass(frozen=True)
class Entry:
    raw_bucket: str
    raw_key: str
    #: the raw object version (:attr:`planet_gui.hook.mover.Source.identity`)
    identity: str
    #: where its copy goes (bucket and key)
    bucket: str
    copy_key: str
    key: str
    valid: bool
    problems: tuple[str, ...]
    uploader: str | None


def entry_name(raw_bucket: str, key: str, identity: str) -> str:
    return PREFIX + claim_key(raw_bucket, key, identity).rsplit("/", 1)[1] + ".json"


class Outbox:
    """The outbox of one triage bucket (where the claims are too)."""

    def __init__(self, client: Minio, bucket: str, claims: Claims) -> None:
        self.client = client
        self.bucket = bucket
        self.claims = claims

    def write(self, entry: Entry) -> None:
        """Before the move (raises when it cannot be written: then the hook must not move the object)."""
        import io

        body = json.dumps({"planet_outbox": 1, **asdict(entry), "problems": list(entry.problems)},
                          ensure_ascii=False).encode("utf-8")
        self.client.put_object(self.bucket, entry_name(entry.raw_bucket, entry.raw_key, entry.identity),
                               io.BytesIO(body), len(body), content_type="application/json")

    def done(self, entry: Entry) -> None:
        """After the notification. Best effort: an entry left behind is delivered once more."""
        try:
            self.client.remove_object(self.bucket, entry_name(entry.raw_bucket, entry.raw_key, entry.identity))
        except Exception as exc:  # noqa: BLE001 - the notification is out; at worst it goes twice
            log.warning("could not remove the outbox entry of %s: %s", entry.key, exc)

    def deliver(self, send: Callable[[Entry], None], mover: Mover) -> int:
        """Deliver (``send``) every entry left by a hook that died between its move and its notification; how
        many."""
        delivered = 0
        try:
            names = [obj.object_name for obj in self.client.list_objects(self.bucket, prefix=PREFIX)
                     if obj.object_name]
        except S3Error as exc:
            if exc.code in GONE:
                return 0
            raise
        for name in names:
            entry = self._read(name)
            if entry is None:
                continue
            claim = self.claims.acquire(entry.raw_bucket, entry.raw_key, entry.identity)
            if claim is None:
                continue  # the hook that wrote it is alive: it notifies itself
            try:
                if self._read(name) is None or not self._moved(entry, mover) or claim.lost.is_set():
                    continue  # delivered meanwhile, or never moved (the object's next check notifies)
                log.warning("delivering the notification about %s that a hook left undelivered", entry.key)
                send(entry)
                self.done(entry)
                delivered += 1
            finally:
                self.claims.release(claim)
        return delivered

    def _moved(self, entry: Entry, mover: Mover) -> bool:
        """The copy is there, made from the entry's raw version, and raw no longer holds that version."""
        copy = mover.look(entry.bucket, entry.copy_key)
        if copy is None or copy.metadata.get(lake.CHECKED_SOURCE_KEY.lower()) != entry.identity:
            return False
        raw = mover.look(entry.raw_bucket, entry.raw_key)
        return raw is None or not entry.identity.startswith(raw.etag.strip('"') + "@")

    def _read(self, name: str) -> Entry | None:
        try:
            stat = self.client.stat_object(self.bucket, name)
        except S3Error as exc:
            if exc.code in GONE:
                return None
            raise
        body = read_capped(self.client, self.bucket, name, stat.etag or "", _MAX_ENTRY_BYTES)
        if body is None:
            return None
        try:
            document = json.loads(body.decode("utf-8"))
            return Entry(raw_bucket=str(document["raw_bucket"]), raw_key=str(document["raw_key"]),
                         identity=str(document["identity"]), bucket=str(document["bucket"]),
                         copy_key=str(document["copy_key"]), key=str(document["key"]), valid=bool(document["valid"]),
                         problems=tuple(str(p) for p in document["problems"]),
                         uploader=str(document["uploader"]) if document.get("uploader") is not None else None)
        except (UnicodeDecodeError, ValueError, KeyError, TypeError):
            log.warning("ignoring the outbox entry %s: it is not one", name)
            return None
