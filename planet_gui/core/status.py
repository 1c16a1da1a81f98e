"""Where an uploaded object is now: still in raw (pending), validated, or in triage with reasons.

The validation hook moves objects between buckets and writes its verdict on the copy; this module
is the client side of that contract, shared by the GUI, the CLI and the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from planet_gui.core import metadata_codec
from planet_gui.core.errors import StorageError
from planet_gui.core.i18n import N_, tr
from planet_gui.core.lake import CHECKED_AT_KEY, SHA256_KEY, TRIAGE_REASON_KEY, UPLOADER_KEY  # the lake's contract
from planet_gui.core.profile import Buckets
from planet_gui.core.tls import advice_for

if TYPE_CHECKING:
    from minio import Minio
    from minio.datatypes import Object

#: verdicts the hook writes in English (the language of its logs); the window shows them in its reader's
ALREADY_VALIDATED = N_("another file is already validated under this name; upload it under a new name or ask a "
                       "curator to replace it")
KNOWN_REASONS = frozenset({ALREADY_VALIDATED})


class State(StrEnum):
    PENDING = "pending"
    VALIDATED = "validated"
    TRIAGE = "triage"
    MISSING = "missing"


@dataclass(frozen=True)
class ObjectStatus:
    key: str
    state: State
    bucket: str | None = None
    size: int | None = None
    reasons: tuple[str, ...] = ()
    metadata: Mapping[str, str] = field(default_factory=dict)
    #: when the hook gave its verdict (ISO 8601; '' while pending or unknown)
    checked_at: str = ""
    #: the object's ETag where a HEAD saw it ('' from a listing or the cache)
    etag: str = ""

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)

    @property
    def sha256(self) -> str:
        """The SHA-256 the uploader recorded on the object ('' when there is none, ``pending`` while unsealed)."""
        return self.metadata.get(SHA256_KEY.lower(), "")

    @property
    def uploader(self) -> str:
        encoded = self.metadata.get(UPLOADER_KEY.lower())
        return metadata_codec.decode(encoded) if encoded else ""


def user_metadata(headers: Mapping[str, str]) -> dict[str, str]:
    """``X-Amz-Meta-*`` headers with the prefix removed; the server decides the case, so we lower it."""
    found: dict[str, str] = {}
    for name, value in headers.items():
        lowered = name.lower()
        if lowered.startswith("x-amz-meta-"):
            found[lowered[len("x-amz-meta-") :]] = value
    return found


def split_reasons(encoded: str) -> tuple[str, ...]:
    """The hook's reasons, one a line; those it writes from a known template in the reader's language."""
    text = metadata_codec.decode(encoded)
    parts = (part.strip() for part in text.split("\n") if part.strip())
    return tuple(tr(part) if part in KNOWN_REASONS else part for part in parts)


def locate(client: Minio, buckets: Buckets, key: str, sha256: str | None = None,
           key_in: Callable[[str, str], str] | None = None) -> ObjectStatus:
    """Where the upload of ``key`` stands. With ``sha256`` (what the uploader recorded for this upload), only an
    object holding that content is this upload's verdict: the hook sends a file to triage when another file is
    already validated under its name, and that other file's place says nothing about this one. Without it, the
    key alone decides (records from before the SHA-256 was kept).

    The destination buckets are looked in first: during a move the object briefly exists twice, and the
    destination's copy carries the verdict. ``key_in`` gives the key in each bucket (a destination's
    :meth:`~planet_gui.core.destinations.Destination.key_in`: its validated and triage folders); the same key
    everywhere when None."""
    others: list[ObjectStatus] = []
    for bucket, state in (
        (buckets.validated, State.VALIDATED),
        (buckets.triage, State.TRIAGE),
        (buckets.raw, State.PENDING),
    ):
        found = _stat(client, bucket, key_in(bucket, key) if key_in is not None else key, state)
        if found is not None and found.key != key:
            found = replace(found, key=key)  # known by the key it was uploaded under
        if found is None:
            continue
        if sha256 is None or found.sha256 == sha256:
            return found
        others.append(found)
    return elsewhere(key, others)


def elsewhere(key: str, others: Sequence[ObjectStatus]) -> ObjectStatus:
    """This upload is nowhere; ``others`` are other files found under its key (said in the reason)."""
    if others:
        where = ", ".join(tr(_WHERE[o.state]) for o in others)
        return ObjectStatus(key=key, state=State.MISSING, reasons=(
            tr("another file is under this name now ({where}); this upload is no longer in the lake",
               where=where),))
    return ObjectStatus(key=key, state=State.MISSING)


_WHERE = {State.VALIDATED: N_("validated"), State.TRIAGE: N_("in triage"),
          State.PENDING: N_("waiting for validation")}


def stat_or_none(client: Minio, bucket: str, name: str, key: str) -> Object | None:
    """A HEAD of object ``name`` in ``bucket`` (the minio client's stat), or None when it is not there; other
    failures as human errors about checking the status of the upload ``key``. Shared by :func:`locate` and the
    listing finder (:mod:`planet_gui.core.verdicts`)."""
    # the S3 client's modules load here, not with this module: the window imports State to paint its first rows
    import urllib3.exceptions
    from minio.error import S3Error

    from planet_gui.core.s3errors import NOT_FOUND_CODES
    from planet_gui.core.storage import storage_error

    try:
        return client.stat_object(bucket, name)
    except S3Error as exc:
        if exc.code in NOT_FOUND_CODES:
            return None
        raise storage_error(exc, bucket, tr("check the status of {key}", key=key)) from exc
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise unreachable(exc, tr("check the status of {key}", key=key)) from exc


def _stat(client: Minio, bucket: str, key: str, state: State) -> ObjectStatus | None:
    stat = stat_or_none(client, bucket, key, key)
    if stat is None:
        return None
    meta = user_metadata(dict(stat.metadata or {}))
    reasons = split_reasons(meta[TRIAGE_REASON_KEY.lower()]) if state is State.TRIAGE and \
        TRIAGE_REASON_KEY.lower() in meta else ()
    checked = meta.get(CHECKED_AT_KEY.lower(), "")
    return ObjectStatus(key=key, state=state, bucket=bucket, size=stat.size, reasons=reasons, metadata=meta,
                        checked_at=checked, etag=(stat.etag or "").strip('"'))


def unreachable(exc: BaseException, action: str) -> StorageError:
    """A human error for a server that cannot be reached (or whose certificate is not trusted), instead of the
    HTTP library's own exception, which the GUI would show as a bug."""
    from planet_gui.core.s3errors import human_message

    advice = advice_for(exc, tr("the storage server"), untrusted="Untrusted storage server")
    return StorageError(human_message(exc, action), title=advice.title if advice else "Storage server unreachable")
