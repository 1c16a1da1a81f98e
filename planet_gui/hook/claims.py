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
removes a claim someone else took over). A hook killed while holding a claim leaves it behind: after ``ttl``
seconds (server time, from the claim's Last-Modified) another hook may take it over, again atomically, by
replacing it with ``If-Match`` on the stale claim's ETag. Each claim's body carries a random nonce, so two claims
never share an ETag. A claim also names its holder (host, boot, process and the process's start time): a hook on
the same machine, restarted by systemd after a crash, sees that the holder is dead and takes the claim over at
once instead of waiting ``ttl`` (in Kubernetes each pod is another host, so there the ``ttl`` rules).

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
from dataclasses import dataclass
from datetime import UTC, datetime

from minio import Minio
from minio.error import S3Error

from planet_gui.hook.content import GONE, read_capped

log = logging.getLogger("planet_gui.hook")

PREFIX = ".planet-hook/claims/"
_PRECONDITION_FAILED = "PreconditionFailed"
_MAX_CLAIM_BYTES = 4096


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
    return {"host": socket.gethostname(), "boot": _boot_id(), "pid": pid, "started": _started(pid) or ""}


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


@dataclass(frozen=True)
class Claim:
    bucket: str
    key: str
    etag: str


def claim_key(raw_bucket: str, key: str, identity: str) -> str:
    """Where the claim on one version of one raw object lives."""
    digest = hashlib.sha256(f"{raw_bucket}\n{key}\n{identity}".encode()).hexdigest()
    return PREFIX + digest


class Claims:
    def __init__(self, client: Minio, bucket: str, ttl: float) -> None:
        self.client = client
        self.bucket = bucket
        self.ttl = ttl

    def acquire(self, raw_bucket: str, key: str, identity: str) -> Claim | None:
        """The claim on this raw object's version, or None while another hook holds a live one."""
        name = claim_key(raw_bucket, key, identity)
        for _ in range(2):  # a second try when the other claim vanished between our PUT and our look
            etag = self._put(name, {"If-None-Match": "*"})
            if etag is not None:
                return Claim(self.bucket, name, etag)
            try:
                stat = self.client.stat_object(self.bucket, name)
            except S3Error as exc:
                if exc.code in GONE:
                    continue
                raise
            age = (datetime.now(UTC) - stat.last_modified).total_seconds() if stat.last_modified else 0.0
            if age <= self.ttl and not self._holder_died(name, stat.etag or ""):
                return None
            log.warning("taking over the claim on %s, left %.0f s ago by a hook that did not finish", key, age)
            etag = self._put(name, {"If-Match": _quoted(stat.etag or "")})
            return Claim(self.bucket, name, etag) if etag is not None else None
        return None

    def release(self, claim: Claim) -> None:
        """Remove our claim (never one another hook took over from us). Best effort: a claim left behind only
        makes the next hook wait ``ttl`` seconds, and only if the object is still in raw."""
        try:
            self.client._execute("DELETE", claim.bucket, claim.key, headers={"If-Match": _quoted(claim.etag)})
        except S3Error as exc:
            if exc.code not in GONE and exc.code != _PRECONDITION_FAILED:
                log.warning("could not remove the claim %s: %s", claim.key, exc.code)
        except Exception as exc:  # the server went away: the claim expires
            log.warning("could not remove the claim %s: %s", claim.key, exc)

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


def _quoted(etag: str) -> str:
    etag = etag.strip()
    return etag if etag.startswith('"') else f'"{etag}"'
