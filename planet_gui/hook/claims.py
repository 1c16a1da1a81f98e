"""One hook at a time per raw object: a claim object the S3 server creates for only one of several racing hooks.

Argo retries a workflow, MinIO may deliver an event twice, a sweep and an event may name the same object: several
hooks can start on one object at once. Each would hash it, copy it, remove it and notify, so the object would get
several verdicts (and ``Checked_at``\\ s) and its uploader several e-mails. Before judging, a hook therefore creates
``.planet-hook/claims/<digest>`` in the location's triage bucket with ``If-None-Match: *``: the server creates it
for exactly one request and answers ``412 Precondition Failed`` to the others (SeaweedFS and MinIO both do, and so
does AWS S3; checked here with 8 concurrent PUTs, one winner each time). The digest names the raw object *version*
(bucket, key and :attr:`~planet_gui.hook.mover.Source.identity`), so a re-upload under the same key is another
claim.

The winner removes its claim once the object has left raw (``If-Match`` on its own claim's ETag, so it never
removes a claim someone else took over). Each claim's body carries a random nonce, so two claims never share an
ETag.

A claim is a *lease*: while its holder works, a heartbeat thread rewrites it every ``ttl / 3`` seconds
(``If-Match`` on the ETag it last wrote, so a renewal never overwrites a claim someone else took over). A claim
is stale once another hook has seen its ETag unchanged for ``ttl`` seconds, or once the server says it was last
written over ``ttl`` + 1 seconds ago (its ``Date`` header minus the claim's ``Last-Modified``, for runs that look
once, as the sweep and an outbox delivery do); neither compares two machines' clocks, which may disagree (the
extra second: HTTP dates count whole seconds). Why: under Argo a hook pod that dies mid-judgement leaves its
claim, and the retry runs in another pod, on another machine; with a lease it takes over within a lease of the
holder's last renewal, not after an hour, while a live holder busy for many leases (a big scan) keeps renewing
and never loses its claim. A stale claim is taken over atomically, by replacing it with ``If-Match`` on the ETag
seen: when several retries race, exactly one PUT succeeds. A holder whose renewal is refused (someone took over:
it stalled for over ``ttl``), or that could not renew for ``ttl`` seconds, has lost its claim
(:attr:`Claim.lost`) and must not move the object or notify.

A claim also names its holder (host, boot, process and the process's start time): a hook on the same machine,
restarted by systemd after a crash, sees that the holder is dead and takes the claim over at once instead of
waiting ``ttl`` (in Kubernetes each pod is another host, so there the lease rules). ``PLANET_HOOK_HOST``
overrides the host name a hook records and compares (tests use it to play a hook on another machine).

The triage bucket is used because the hook writes there anyway; the ``.planet-hook/`` folder lies outside the
lake's key layout (``{category}/…``), and a claim names no object, only a digest.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from minio import Minio
from minio.error import S3Error

from planet_gui.hook.content import GONE, read_capped

log = logging.getLogger("planet_gui.hook")

PREFIX = ".planet-hook/claims/"
_PRECONDITION_FAILED = "PreconditionFailed"
_MAX_CLAIM_BYTES = 4096
#: a heartbeat renews each held claim this often (a fraction of the lease), never faster than _MIN_BEAT
_BEATS_PER_TTL = 3
_MIN_BEAT = 0.1
HOST_ENV = "PLANET_HOOK_HOST"


def _boot_id() -> str:
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as handle:
            return handle.read(64).strip()
    except OSError:
        return ""


def _started(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (``/proc/PID/stat``), None when it is not running."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            stat = handle.read(4096)
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()
    return fields[19] if len(fields) > 19 else None


def holder() -> dict[str, object]:
    """Who this process is, in a way a later process on the same machine can tell whether it is still alive."""
    pid = os.getpid()
    host = os.environ.get(HOST_ENV) or socket.gethostname()
    return {"host": host, "boot": _boot_id(), "pid": pid, "started": _started(pid) or ""}


def holder_is_dead(recorded: object) -> bool:
    """True only when ``recorded`` names a process on this very machine (and boot) that is no longer running;
    a holder elsewhere, or one this hook cannot judge, counts as alive."""
    if not isinstance(recorded, dict):
        return False
    me = holder()
    if not me["boot"] or recorded.get("host") != me["host"] or recorded.get("boot") != me["boot"]:
        return False
    pid = recorded.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    return _started(pid) != recorded.get("started")


@dataclass(eq=False)
class Claim:
    """A claim this hook holds: its ETag changes with each renewal; ``lost`` is set when it stopped being ours."""

    bucket: str
    key: str
    etag: str
    renewals: int = 0
    lost: threading.Event = field(default_factory=threading.Event)
    #: monotonic time of the last write that made it ours (taken or renewed)
    renewed_at: float = field(default_factory=time.monotonic)
    #: held while the claim is written or removed, so a release never races a renewal's new ETag
    lock: threading.Lock = field(default_factory=threading.Lock)
    released: bool = False


def claim_key(raw_bucket: str, key: str, identity: str) -> str:
    """Where the claim on one version of one raw object lives."""
    digest = hashlib.sha256(f"{raw_bucket}\n{key}\n{identity}".encode()).hexdigest()
    return PREFIX + digest


class Claims:
    def __init__(self, client: Minio, bucket: str, ttl: float) -> None:
        self.client = client
        self.bucket = bucket
        self.ttl = ttl
        #: claims of others this hook has looked at: name -> (ETag, monotonic time it was first seen)
        self._seen: dict[str, tuple[str, float]] = {}
        self._held: dict[str, Claim] = {}
        self._state = threading.Lock()
        self._wake = threading.Event()
        self._beat: threading.Thread | None = None

    @property
    def beat_interval(self) -> float:
        return max(self.ttl / _BEATS_PER_TTL, _MIN_BEAT)

    def acquire(self, raw_bucket: str, key: str, identity: str) -> Claim | None:
        """The claim on this raw object's version (renewed by the heartbeat until :meth:`release`), or None
        while another hook holds a live one."""
        name = claim_key(raw_bucket, key, identity)
        for _ in range(2):  # a second try when the other claim vanished between our PUT and our look
            etag = self._put(name, {"If-None-Match": "*"})
            if etag is not None:
                return self._hold(Claim(self.bucket, name, etag))
            try:
                stat = self.client.stat_object(self.bucket, name)
            except S3Error as exc:
                if exc.code in GONE:
                    continue
                raise
            seen_etag = (stat.etag or "").strip('"')
            unchanged = max(self._unchanged_for(name, seen_etag), _server_age(stat) - 1.0)
            if unchanged < self.ttl and not self._holder_died(name, seen_etag):
                return None
            log.warning("taking over the claim on %s: unchanged for %.1f s (lease %.0f s) or its holder died on "
                        "this machine", key, unchanged, self.ttl)
            etag = self._put(name, {"If-Match": _quoted(seen_etag)})
            with self._state:
                self._seen.pop(name, None)
            return self._hold(Claim(self.bucket, name, etag)) if etag is not None else None
        return None

    def _unchanged_for(self, name: str, etag: str) -> float:
        """How long this hook has seen the claim ``name`` with this very ETag (0 at the first look)."""
        now = time.monotonic()
        with self._state:
            seen = self._seen.get(name)
            if seen is None or seen[0] != etag:
                if len(self._seen) > 10_000:  # bounded: a sweep over many claimed objects
                    self._seen.clear()
                self._seen[name] = (etag, now)
                return 0.0
            return now - seen[1]

    def release(self, claim: Claim) -> None:
        """Stop renewing and remove our claim (never one another hook took over from us). Best effort: a claim
        left behind only makes the next hook wait one lease, and only if the object is still in raw."""
        with self._state:
            self._held.pop(claim.key, None)
        with claim.lock:
            claim.released = True
            if claim.lost.is_set():
                return
            try:
                self.client._execute("DELETE", claim.bucket, claim.key, headers={"If-Match": _quoted(claim.etag)})
            except S3Error as exc:
                if exc.code not in GONE and exc.code != _PRECONDITION_FAILED:
                    log.warning("could not remove the claim %s: %s", claim.key, exc.code)
            except Exception as exc:  # the server went away: the claim expires
                log.warning("could not remove the claim %s: %s", claim.key, exc)
        if claim.renewals:
            log.info("released the claim %s after %d renewals", claim.key, claim.renewals)

    def renew(self, claim: Claim) -> bool:
        """Rewrite ``claim`` if it is still ours (False when it is not, or no longer held)."""
        with claim.lock:
            if claim.released or claim.lost.is_set():
                return False
            try:
                etag = self._put(claim.key, {"If-Match": _quoted(claim.etag)})
            except Exception as exc:  # noqa: BLE001 - the server hiccupped: try at the next beat
                if time.monotonic() - claim.renewed_at >= self.ttl:
                    log.error("lost the claim %s: not renewed for %.0f s (%s)", claim.key, self.ttl, exc)
                    claim.lost.set()
                else:
                    log.warning("could not renew the claim %s: %s", claim.key, exc)
                return False
            if etag is None:
                log.error("lost the claim %s: another hook took it over (this one stalled past its lease)",
                          claim.key)
                claim.lost.set()
                return False
            claim.etag = etag
            claim.renewals += 1
            claim.renewed_at = time.monotonic()
            return True

    def _hold(self, claim: Claim) -> Claim:
        with self._state:
            self._held[claim.key] = claim
            if self._beat is None or not self._beat.is_alive():
                self._beat = threading.Thread(target=self._heartbeat, name="planet-hook-claims", daemon=True)
                self._beat.start()
        return claim

    def _heartbeat(self) -> None:
        """Renew every held claim each beat; ends when none is held."""
        while True:
            self._wake.wait(self.beat_interval)
            with self._state:
                held = list(self._held.values())
                if not held:
                    self._beat = None
                    return
            for claim in held:
                if not self.renew(claim):
                    with self._state:
                        if self._held.get(claim.key) is claim and claim.lost.is_set():
                            self._held.pop(claim.key, None)

    def _holder_died(self, name: str, etag: str) -> bool:
        body = read_capped(self.client, self.bucket, name, etag, _MAX_CLAIM_BYTES)
        if body is None:
            return False
        try:
            return holder_is_dead(json.loads(body).get("holder"))
        except (ValueError, AttributeError):
            return False

    def _put(self, name: str, condition: dict[str, str]) -> str | None:
        """The new claim's ETag, or None when ``condition`` did not hold (someone else's claim is there)."""
        body = json.dumps({"claimed_at": datetime.now(UTC).isoformat(timespec="seconds"),
                           "nonce": secrets.token_hex(16), "holder": holder()}).encode("ascii")
        headers: dict[str, str | list[str] | tuple[str]] = {"Content-Type": "application/json", **condition}
        try:
            response = self.client._execute("PUT", self.bucket, name, body=body, headers=headers)
        except S3Error as exc:
            if exc.code == _PRECONDITION_FAILED or exc.code in GONE:  # GONE: the stale claim was removed meanwhile
                return None
            raise
        return str(response.headers.get("ETag", "")).strip('"')


def _server_age(stat: Any) -> float:
    """Seconds since the object was last written, by the server's clock (0 when the answer has no date)."""
    headers = stat.metadata or {}
    date = headers.get("Date") or headers.get("date")
    if not date or stat.last_modified is None:
        return 0.0
    try:
        return float((parsedate_to_datetime(str(date)) - stat.last_modified).total_seconds())
    except (TypeError, ValueError):
        return 0.0


def _quoted(etag: str) -> str:
    etag = etag.strip()
    return etag if etag.startswith('"') else f'"{etag}"'
