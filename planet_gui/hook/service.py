"""Check one object and move it: to *validated* only what the lake itself checked, everything else to *triage*.

What the hook checks itself, whatever the upload says (see the README's trust model):

* **who sent it**: the owner of the key's ``{user}`` folder, which the lake's policy lets only that user write
  to. An ``Uploader`` that names anyone else sends the object to triage, and the notification names the owner.
* **its bytes**: the SHA-256 of the content, streamed from the server, must be the one the upload declared.
* **its metadata**: the schema, over the headers and the one sidecar the same upload wrote for the same key.
* **its verdict fields**: whatever a client sent under a field only the hook writes is dropped first.

The move is idempotent (:mod:`planet_gui.hook.mover`): after a crash between copy and delete the restarted hook
recognises its own copy and finishes the move.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from minio import Minio
from minio.error import S3Error

from planet_gui.core import lake, metadata_codec, triage_index
from planet_gui.core.keys import sanitise_segment
from planet_gui.core.schema import Schema
from planet_gui.core.status import ALREADY_VALIDATED, split_reasons, user_metadata
from planet_gui.core.triage_index import TriageIndex
from planet_gui.hook import checks, sidecars
from planet_gui.hook.claims import Claim, Claims
from planet_gui.hook.config import HookConfig
from planet_gui.hook.content import GONE, sha256_of
from planet_gui.hook.mover import (
    CRASH_CLAIMED,
    CRASH_NOTIFYING,
    Copy,
    Mover,
    Source,
    crash_point,
    metadata_digest,
    pause_point,
)
from planet_gui.hook.outbox import Entry as OutboxEntry
from planet_gui.hook.outbox import Outbox
from planet_gui.hook.personal_data import undeclared_personal_data
from planet_gui.hook.sources import EventSource

log = logging.getLogger("planet_gui.hook")

#: seconds between two looks at the outbox while a long-running hook processes keys
DELIVER_EVERY = 60.0
_POINTERS = frozenset({lake.POINTER_KEY.lower(), lake.POINTER_SHA_KEY.lower()})


@dataclass(frozen=True)
class Verdict:
    key: str
    valid: bool
    problems: tuple[str, ...]
    destination: str
    #: the owner of the key's folder (the lake's policy lets no one else write there); None for a key outside the
    #: lake's layout, whose uploader the lake cannot tell
    uploader: str | None = None


class ClaimLost(Exception):
    """This hook's claim was taken over (it stalled past its lease): it must not move the object or notify."""


def _still_ours(claim: Claim) -> None:
    if claim.lost.is_set():
        raise ClaimLost(claim.key)


class Skip(StrEnum):
    """Why a look at an object gave no verdict now."""

    GONE = "gone"  # not in raw (another hook moved it, or it never was there)
    SIDECAR = "sidecar"  # a metadata sidecar: it moves with its data
    SEALING = "sealing"  # its upload is still recording its SHA-256
    CLAIMED = "claimed"  # another hook is checking this very version now
    CHANGED = "changed"  # replaced or removed while it was read
    RESERVED = "reserved"  # named into the hook's own area (.planet-hook/) of a destination: never moved


@dataclass(frozen=True)
class Decision:
    """A verdict, or why there is none yet."""

    verdict: Verdict | None
    skip: Skip | None = None


def client_metadata(metadata: Mapping[str, str]) -> dict[str, str]:
    """The upload's own metadata, lower-case keys, without anything under a field only the hook writes (a client
    value there is never kept, and never sent next to the hook's own spelling of it)."""
    kept: dict[str, str] = {}
    for name, value in metadata.items():
        lowered = name.lower()
        if lowered in lake.HOOK_ONLY_KEYS:
            log.warning("dropping the client's %s metadata: only the hook writes it", name)
            continue
        kept[lowered] = value
    return kept


class ValidationHook:
    """``notify`` hears every verdict once the object has moved (see :mod:`planet_gui.hook.notify`)."""

    def __init__(self, client: Minio, config: HookConfig, schema: Schema,
                 notify: Callable[[Verdict], None] | None = None) -> None:
        self.client = client
        self.config = config
        self.schema = schema
        self.notify = notify
        self.mover = Mover(client, config.buckets.raw, config.destination.key_in)
        self.claims = Claims(client, config.buckets.triage, config.claim_ttl)
        self.index = TriageIndex(client, config.buckets.triage)
        self.outbox = Outbox(client, config.buckets.triage, self.claims)

    def process(self, key: str) -> Verdict | None:
        """None when there is nothing to decide now: the object vanished or changed meanwhile (another hook
        instance took it, its uploader replaced it), it is a sidecar (it moves with its data), its upload is
        still being sealed, or another hook is checking it (see :meth:`decide` for which)."""
        return self.decide(key).verdict

    def decide(self, key: str) -> Decision:
        """Check ``key`` and move it, unless another hook holds the claim on this version of it
        (:mod:`planet_gui.hook.claims`): then one move, one verdict and one notification, however many hooks
        were told about it."""
        buckets = self.config.buckets
        try:
            stat = self.client.stat_object(buckets.raw, key)
        except S3Error as exc:
            if exc.code in GONE:
                return Decision(None, Skip.GONE)
            raise
        metadata = client_metadata(user_metadata(dict(stat.metadata or {})))
        if any(triage_index.is_reserved(self.mover.target_key(bucket, key)) for bucket in (buckets.validated,
                                                                                            buckets.triage)):
            log.error("leaving %s in %s: its name lies in the hook's own area (%s) of the destination, where no "
                      "upload may go", key, buckets.raw, triage_index.PREFIX)
            return Decision(None, Skip.RESERVED)
        if self._is_sidecar(key, metadata, stat.size or 0):
            self._drop_if_orphaned(key, stat.last_modified)
            return Decision(None, Skip.SIDECAR)  # a metadata sidecar moves with its data object
        unsealed = metadata.get(lake.SHA256_KEY.lower()) == lake.PENDING_SHA256
        if unsealed and not self._sealing_overdue(stat.last_modified):
            # its uploader records the SHA-256 in a moment (see planet_gui.core.transfer.finishing)
            return Decision(None, Skip.SEALING)
        source = Source(buckets.raw, key, stat.etag or "", stat.size or 0, stat.last_modified, stat.content_type,
                        metadata_digest(user_metadata(dict(stat.metadata or {}))))
        claim = self.claims.acquire(buckets.raw, key, source.identity)
        if claim is None:
            return Decision(None, Skip.CLAIMED)
        crash_point(CRASH_CLAIMED)
        try:
            pause_point(CRASH_CLAIMED)
            # looked at only now that this hook holds the claim: a hook that finished before we claimed has
            # removed the raw object, so the conditional read below finds it gone
            existing = [found for bucket in (buckets.validated, buckets.triage)
                        if (found := self.mover.look_copy(bucket, key)) is not None]
            sha256 = sha256_of(self.client, buckets.raw, key, source.etag)
            if sha256 is None:
                return Decision(None, Skip.CHANGED)  # replaced or removed while it was read: checked again later
            for copy in existing:
                if copy.made_from(source, sha256):
                    _still_ours(claim)
                    return Decision(self._finish_interrupted_move(source, copy))
            try:
                return Decision(self._judge(source, metadata, sha256, unsealed, existing, claim))
            except sidecars.SidecarChanged:
                return Decision(None, Skip.CHANGED)
        except ClaimLost:
            return Decision(None, Skip.CLAIMED)  # the hook that took it over decides
        finally:
            self.claims.release(claim)

    def checked_copy(self, key: str) -> Copy | None:
        """The copy of ``key`` the hook left in validated or triage (with its verdict), if any."""
        for bucket in (self.config.buckets.validated, self.config.buckets.triage):
            found = self.mover.look_copy(bucket, key)
            if found is not None and lake.VERDICT_KEY.lower() in found.metadata:
                return found
        return None

    def _judge(self, source: Source, metadata: dict[str, str], sha256: str, unsealed: bool,
               existing: list[Copy], claim: Claim) -> Verdict:
        buckets = self.config.buckets
        key = source.key
        owner = lake.owner_of(key, self.config.key_template)
        problems: list[str] = []
        if unsealed:
            problems.append(f"the upload was never finished: its SHA-256 was not recorded within "
                            f"{self.config.seal_grace / 3600:g} h; upload the file again")
        if owner is None:
            problems.append(f"its name does not follow the lake's layout {self.config.key_template}, so the lake "
                            "cannot tell who uploaded it")
        sidecar = sidecars.check(self.client, buckets.raw, key, metadata, owner)
        problems += sidecar.problems
        merged = {**metadata, **{k: v for k, v in sidecar.metadata.items() if k not in lake.HOOK_ONLY_KEYS}}
        merged = {k: v for k, v in merged.items() if k not in _POINTERS}
        problems += self._identity_problems(owner, metadata, merged)
        if not unsealed:
            problems += self._content_problems(sha256, metadata, merged)
            problems += checks.problems(self.client, buckets.raw, key, source.etag, self.schema, self.config, merged)
            problems += undeclared_personal_data(self.client, buckets.raw, key, source.etag,
                                                 self.schema.from_s3(merged), max_bytes=self.config.scan_max_bytes,
                                                 seconds=self.config.scan_seconds)
        if not problems and any(copy.bucket == buckets.validated for copy in existing):
            # never replace validated data silently: a curator decides which version stays
            problems.append(ALREADY_VALIDATED)
        destination = buckets.triage if problems else buckets.validated
        written = self._verdict_metadata(metadata, sidecar.pointer_ok, owner, sha256, source, problems)
        moves_along = sidecar.moves_along
        # the folder's owner; never the name an upload gives, which anyone can write
        verdict = Verdict(key=key, valid=not problems, problems=tuple(problems), destination=destination,
                          uploader=owner)
        _still_ours(claim)  # a holder that stalled past its lease leaves the move to the hook that took over
        pending = self._outbox_entry(source, verdict)
        if pending is not None:  # written before the move: a hook killed after it still gets it delivered
            self.outbox.write(pending)
        if problems:  # an entry of an earlier version of this key must never describe the new copy
            self.index.forget(self.mover.target_key(destination, key))
        rewritten = self._retargeted(key, destination, sidecar, written)  # before ``written`` is used
        copy = self.mover.move(source, destination, written,
                               (moves_along.key, moves_along.etag) if moves_along is not None else None, rewritten)
        if problems:
            self._index(copy)
        if not problems:  # a fix of a triaged upload (the same content): its triaged copy is superseded
            self._drop_superseded(key, sha256, existing)
        crash_point(CRASH_NOTIFYING)
        self._announce(verdict, pending)
        return verdict

    def _retargeted(self, key: str, destination: str, sidecar: sidecars.SidecarCheck,
                    written: dict[str, str]) -> tuple[bytes, dict[str, str]] | None:
        """The sidecar to write in ``destination`` when the data's key changes there (another folder prefix): its
        body and headers naming the new key, and the data's pointer (and its SHA-256) changed in ``written``."""
        target = self.mover.target_key(destination, key)
        found = sidecar.moves_along
        if found is None or sidecar.body is None or target == key:
            return None
        body = sidecars.retarget(sidecar.body, target)
        written[lake.POINTER_KEY.lower()] = metadata_codec.encode(lake.sidecar_key_for(target))
        written[lake.POINTER_SHA_KEY.lower()] = hashlib.sha256(body).hexdigest()
        headers = {lake.SIDECAR_FOR_KEY: metadata_codec.encode(target), lake.CHECKED_SOURCE_KEY: found.etag.strip('"')}
        uploader = found.metadata.get(lake.UPLOADER_KEY.lower())
        if uploader is not None:
            headers[lake.UPLOADER_KEY] = uploader
        return body, headers

    def _outbox_entry(self, source: Source, verdict: Verdict) -> OutboxEntry | None:
        """The outbox entry of a verdict someone is told about (a triage one, with a notifier configured)."""
        if self.notify is None or verdict.valid:
            return None
        return OutboxEntry(raw_bucket=source.bucket, raw_key=source.key, identity=source.identity,
                           bucket=verdict.destination, copy_key=self.mover.target_key(verdict.destination, source.key),
                           key=verdict.key, valid=verdict.valid, problems=verdict.problems, uploader=verdict.uploader)

    def deliver_pending(self) -> int:
        """Send the notifications a hook killed between its move and its notification left in the outbox
        (:mod:`planet_gui.hook.outbox`); how many. Nothing without a notifier."""
        notify = self.notify
        if notify is None:
            return 0

        def send(entry: OutboxEntry) -> None:
            notify(Verdict(key=entry.key, valid=entry.valid, problems=entry.problems, destination=entry.bucket,
                           uploader=entry.uploader))

        try:
            return self.outbox.deliver(send, self.mover)
        except Exception as exc:  # noqa: BLE001 - tried again at the next run
            log.error("could not deliver the notifications left undelivered: %s", exc)
            return 0

    def _identity_problems(self, owner: str | None, headers: Mapping[str, str],
                           merged: Mapping[str, str]) -> list[str]:
        if owner is None:
            return []
        problems = []
        for declared in {headers.get(lake.UPLOADER_KEY.lower()), merged.get(lake.UPLOADER_KEY.lower())}:
            if declared is None:
                continue
            name = metadata_codec.decode(declared)
            if sanitise_segment(name) != owner:
                problems.append(f"it says it was uploaded by {name}, but it is in {owner}'s folder, where only "
                                f"{owner} can write: it was uploaded by {owner}")
        return problems

    @staticmethod
    def _content_problems(sha256: str, headers: Mapping[str, str], merged: Mapping[str, str]) -> list[str]:
        problems = []
        for declared in {headers.get(lake.SHA256_KEY.lower()), merged.get(lake.SHA256_KEY.lower())}:
            if declared is not None and declared.lower() != sha256:
                problems.append(f"its content is not what its upload declared: the SHA-256 the lake computed is "
                                f"{sha256}, the upload said {declared[:80]}; the file changed or was damaged on "
                                "its way, upload it again")
        return problems

    def _verdict_metadata(self, metadata: Mapping[str, str], pointer_ok: bool, owner: str | None, sha256: str,
                          source: Source, problems: list[str]) -> dict[str, str]:
        written = {k: v for k, v in metadata.items() if pointer_ok or k not in _POINTERS}
        written.setdefault(lake.SHA256_KEY.lower(), sha256)  # the lake's own, when the upload gave none
        if owner is not None:
            written.setdefault(lake.UPLOADER_KEY.lower(), metadata_codec.encode(owner))
            written[lake.CHECKED_UPLOADER_KEY] = metadata_codec.encode(owner)
        written[lake.CHECKED_AT_KEY] = datetime.now(UTC).isoformat(timespec="seconds")
        written[lake.CHECKED_SHA256_KEY] = sha256
        written[lake.CHECKED_SOURCE_KEY] = source.identity
        written[lake.VERDICT_KEY] = lake.VERDICT_TRIAGE if problems else lake.VERDICT_VALIDATED
        if problems:
            written[lake.TRIAGE_REASON_KEY] = metadata_codec.encode("\n".join(problems))
        return written

    def _drop_superseded(self, key: str, sha256: str, existing: list[Copy]) -> None:
        triage = self.config.buckets.triage
        for copy in existing:
            if copy.bucket == triage and copy.metadata.get(lake.CHECKED_SHA256_KEY.lower()) == sha256:
                log.info("removing the triaged copy of %s: its fix was validated", key)
                for name in (lake.sidecar_key_for(key), key):
                    try:
                        self.client.remove_object(triage, name)
                    except S3Error as exc:
                        if exc.code not in GONE:
                            raise

    def _finish_interrupted_move(self, source: Source, copy: Copy) -> Verdict:
        """The hook had copied this very object (same raw version, same content) before a crash: finish the move
        and give the verdict the copy carries, instead of judging the object against its own copy."""
        log.warning("finishing the interrupted move of %s to %s", source.key, copy.bucket)
        self.mover.finish(source, copy)
        if copy.bucket == self.config.buckets.triage:
            self._index(copy)
        reasons = copy.metadata.get(lake.TRIAGE_REASON_KEY.lower())
        problems = split_reasons(reasons) if reasons else ()
        owner = copy.metadata.get(lake.CHECKED_UPLOADER_KEY.lower())
        verdict = Verdict(key=source.key, valid=copy.bucket == self.config.buckets.validated, problems=problems,
                          destination=copy.bucket, uploader=metadata_codec.decode(owner) if owner else None)
        self._announce(verdict, self._outbox_entry(source, verdict))  # its outbox entry, if any, goes too
        return verdict

    def _index(self, copy: Copy) -> None:
        """The triaged copy's reasons in its folder's triage index, for ``status`` to read without a HEAD."""
        meta = lake.lowered(copy.metadata)
        encoded = metadata_codec.decode(meta.get(lake.TRIAGE_REASON_KEY.lower(), ""))
        reasons = tuple(part.strip() for part in encoded.split("\n") if part.strip())
        self.index.record(copy.key, triage_index.Entry(
            etag=copy.etag.strip('"'), modified=copy.modified, sha256=meta.get(lake.SHA256_KEY.lower(), ""),
            uploader=meta.get(lake.UPLOADER_KEY.lower(), ""), reasons=reasons,
            checked_at=meta.get(lake.CHECKED_AT_KEY.lower(), "")))

    def _announce(self, verdict: Verdict, pending: OutboxEntry | None = None) -> None:
        if verdict.problems:
            log.warning("triage %s: %s", verdict.key, "; ".join(verdict.problems))
        else:
            log.info("validated %s", verdict.key)
        if self.notify is not None:
            self.notify(verdict)
        if pending is not None:
            self.outbox.done(pending)

    def _sealing_overdue(self, last_modified: datetime | None) -> bool:
        if last_modified is None:
            return True
        return (datetime.now(UTC) - last_modified).total_seconds() > self.config.seal_grace

    @staticmethod
    def _is_sidecar(key: str, metadata: Mapping[str, str], size: int) -> bool:
        """A sidecar by its name, its own header *and* its size: an object only named like one, or too big to be
        one, is checked like any other object (and goes to triage for want of metadata)."""
        described = metadata.get(lake.SIDECAR_FOR_KEY.lower())
        data_key = lake.data_key_of(key)
        return data_key is not None and described is not None and metadata_codec.decode(described) == data_key \
            and size <= lake.SIDECAR_MAX_BYTES

    def _drop_if_orphaned(self, key: str, last_modified: datetime | None) -> None:
        """Remove a sidecar whose data never arrived (its upload was cancelled, or failed, after the sidecar went
        up) once the sealing grace has passed; nothing else would ever move it out of raw. Safe for an upload
        resumed later: it writes its sidecar again just before its data appears."""
        if not self._sealing_overdue(last_modified):
            return
        data_key = lake.data_key_of(key)
        if data_key is None or self.mover.look(self.config.buckets.raw, data_key) is not None:
            return
        log.warning("removing %s: the metadata of %s, which never arrived", key, data_key)
        self.client.remove_object(self.config.buckets.raw, key)

    def run(self, source: EventSource, stop: threading.Event) -> int:
        """Process keys until ``stop``; returns how many objects got a verdict. Notifications left undelivered
        by a hook that died are sent first, and again every ``DELIVER_EVERY`` seconds while keys come."""
        handled = 0
        self.deliver_pending()
        delivered_at = time.monotonic()
        for key in source.keys(stop):
            if time.monotonic() - delivered_at > DELIVER_EVERY:
                self.deliver_pending()
                delivered_at = time.monotonic()
            try:
                if self.process(key) is not None:
                    handled += 1
            except S3Error as exc:
                log.error("could not process %s: %s %s", key, exc.code, exc.message)
            except Exception as exc:  # the server went away mid-move: the object is still in raw, for next time
                log.error("could not process %s: %s", key, exc)
        return handled
