"""Fix and resubmit: new metadata for a triaged object, sent back to raw by a server-side copy (no data re-sent).

The hook sent the object to triage with its reasons. The uploader reads what the lake holds (headers merged with
the sidecar, if any), lays the corrections over it, checks the result against the schema as any upload is checked,
and asks the server to copy the triaged object into raw under the same key with the new metadata. The hook sees a
new object in raw and validates it again, with every check of a first upload: the copy is in the uploader's own
folder (the lake's policy lets only them write there), its sidecar (when the metadata is over 2 KB) is written
again for it, and its ``Sha256`` is the one the first upload declared, never the lake's: the content is compared
with it again, so a fix can correct metadata but never launder damaged data.

Why a copy: the data is already in the lake, possibly gigabytes; the copy request carries no body. The policy
lets an uploader read triage and write their folder of raw, which is what S3's CopyObject asks for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import urllib3.exceptions
from minio import Minio
from minio.commonconfig import REPLACE, ComposeSource, CopySource
from minio.error import S3Error

from planet_gui.core import lake, metadata_codec
from planet_gui.core.errors import MetadataInvalid, StorageError
from planet_gui.core.history import FIX, UploadHistory, UploadRecord
from planet_gui.core.i18n import tr
from planet_gui.core.profile import Buckets
from planet_gui.core.s3errors import NOT_FOUND_CODES
from planet_gui.core.schema import Schema
from planet_gui.core.status import State, split_reasons, unreachable, user_metadata
from planet_gui.core.storage import storage_error

#: S3 copies at most this much in one request; bigger objects are copied part by part (still server-side)
MAX_SINGLE_COPY = 5 * 1024**3
_GONE = NOT_FOUND_CODES
_POINTERS = frozenset({lake.POINTER_KEY.lower(), lake.POINTER_SHA_KEY.lower()})
#: fields a fix may not change: what the lake checks the content and the uploader against
FIXED_FIELDS = frozenset({lake.SHA256_FIELD, lake.UPLOADER_FIELD})


class FixRefused(StorageError):
    title = "Cannot resubmit"


@dataclass(frozen=True)
class Triaged:
    """A triaged object as the lake holds it: its schema values, its reasons, and which fields they concern."""

    key: str
    etag: str
    size: int
    values: dict[str, Any]
    reasons: tuple[str, ...]
    checked_at: str
    content_type: str | None
    #: field name -> the reasons that name it (``Label (name) …`` in the schema's problems)
    by_field: dict[str, tuple[str, ...]]
    rejected: bool = False
    #: its key in the triage bucket ('' : the same as ``key``)
    where: str = ""


@dataclass(frozen=True)
class Resubmitted:
    key: str
    etag: str
    changed: dict[str, Any]
    #: bytes of object data the request sent (0: the server copied them)
    sent_bytes: int = 0


def read_triaged(client: Minio, buckets: Buckets, schema: Schema, key: str,
                 key_in: Callable[[str, str], str] | None = None) -> Triaged:
    """What the lake holds for the upload of ``key`` in triage (raises :class:`FixRefused` when it is not there).
    ``key_in`` gives its key in the triage bucket (a destination's folder prefixes); the same key when None."""
    from planet_gui.core.transfer.sidecar import SidecarError, full_metadata

    where = key_in(buckets.triage, key) if key_in is not None else key
    try:
        stat = client.stat_object(buckets.triage, where)
    except S3Error as exc:
        if exc.code in _GONE:
            raise FixRefused(tr("{key} is not in triage: only a triaged file can be fixed and resubmitted.",
                                key=key)) from exc
        raise storage_error(exc, buckets.triage, tr("read {key} in triage", key=key)) from exc
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise unreachable(exc, tr("read {key} in triage", key=key)) from exc
    headers = user_metadata(dict(stat.metadata or {}))
    try:
        merged = full_metadata(client, buckets.triage, headers, where)
    except SidecarError:
        merged = dict(headers)  # the sidecar may be what the hook complained about: the headers still say a lot
    encoded = headers.get(lake.TRIAGE_REASON_KEY.lower())
    reasons = split_reasons(encoded) if encoded else ()
    values = schema.from_s3({k: v for k, v in merged.items() if k not in lake.HOOK_ONLY_KEYS and k not in _POINTERS})
    by_field = {name: tuple(r for r in reasons if f"({name})" in r or f" {name} " in f" {r} ")
                for name in schema.names}
    rejected = metadata_codec.decode(headers.get(lake.VERDICT_KEY.lower(), "")) == lake.VERDICT_REJECTED
    checked = headers.get(lake.CHECKED_AT_KEY.lower(), "")
    return Triaged(key=key, etag=(stat.etag or "").strip('"'), where=where, size=stat.size or 0, values=values,
                   reasons=reasons, checked_at=checked, content_type=stat.content_type,
                   by_field={k: v for k, v in by_field.items() if v}, rejected=rejected)


def resubmit(client: Minio, buckets: Buckets, schema: Schema, key: str, changes: Mapping[str, Any], *,
             uploader: str, history: UploadHistory | None = None, profile: str = "",
             key_in: Callable[[str, str], str] | None = None) -> Resubmitted:
    """Copy the triaged ``key`` back to raw with its metadata changed by ``changes`` (``None`` clears a field).
    Refused before anything is written when the result breaks the schema, when a curator rejected the object, or
    when raw already holds the key (something else waits there)."""
    from planet_gui.core.transfer.sidecar import plan_metadata, sidecar_headers

    triaged = read_triaged(client, buckets, schema, key, key_in)
    source = triaged.where or key
    if triaged.rejected:
        raise FixRefused(tr("A curator rejected {key}; it cannot be resubmitted. Ask the lake's curators.", key=key))
    locked = sorted(set(changes) & FIXED_FIELDS)
    if locked:
        raise FixRefused(tr("{fields} cannot be changed by a fix: the lake checks the content and the uploader "
                            "against them.", fields=", ".join(locked)))
    values = {**triaged.values, **changes}
    values = {k: v for k, v in values.items() if v is not None}
    values[lake.UPLOADER_FIELD] = uploader
    problems = schema.problems(values)
    if problems:
        raise MetadataInvalid(problems)
    plan = plan_metadata(schema, values, key)
    if _exists(client, buckets.raw, key):
        raise FixRefused(tr("{key} is already waiting for validation; wait for its verdict before resubmitting.",
                            key=key))
    try:
        if plan.sidecar_key is not None and plan.sidecar_body is not None:
            import io

            body = plan.sidecar_body
            client.put_object(buckets.raw, plan.sidecar_key, io.BytesIO(body), len(body),
                              content_type="application/json",
                              metadata=dict(sidecar_headers(key, plan.headers.get("Uploader"))))
        headers: dict[str, str | list[str] | tuple[str]] = dict(plan.headers)
        if triaged.content_type:
            headers["Content-Type"] = triaged.content_type
        if triaged.size > MAX_SINGLE_COPY:
            result = client.compose_object(buckets.raw, key,
                                           [ComposeSource(buckets.triage, source, match_etag=triaged.etag)],
                                           metadata=headers)
        else:
            result = client.copy_object(buckets.raw, key, CopySource(buckets.triage, source, match_etag=triaged.etag),
                                        metadata=headers, metadata_directive=REPLACE)
    except S3Error as exc:
        if exc.code == "PreconditionFailed":
            raise FixRefused(tr("{key} changed in triage while it was being resubmitted; look at it again.",
                                key=key)) from exc
        raise storage_error(exc, buckets.raw, tr("resubmit {key}", key=key)) from exc
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise unreachable(exc, tr("resubmit {key}", key=key)) from exc
    changed = {k: v for k, v in changes.items() if triaged.values.get(k) != v}
    etag = (result.etag or "").strip('"')
    if history is not None:
        sha256 = str(triaged.values.get(lake.SHA256_FIELD, ""))
        earlier = history.latest(key)
        if earlier is not None and earlier.sha256 == sha256:  # the attempt this fix follows keeps its verdict
            history.set_verdict(earlier.id, state=State.TRIAGE.value, bucket=buckets.triage,
                                reasons=triaged.reasons, etag=triaged.etag, checked_at=triaged.checked_at)
        history.add(UploadRecord(
            key=key, filename=key.rsplit("/", 1)[-1], sha256=sha256, size=triaged.size,
            uploaded_at=datetime.now(UTC).isoformat(timespec="seconds"), profile=profile, etag=etag, kind=FIX,
            note=", ".join(f"{k}={v}" for k, v in changed.items())))
    return Resubmitted(key=key, etag=etag, changed=changed)


def _exists(client: Minio, bucket: str, key: str) -> bool:
    try:
        client.stat_object(bucket, key)
    except S3Error as exc:
        if exc.code in _GONE:
            return False
        raise storage_error(exc, bucket, tr("check the status of {key}", key=key)) from exc
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise unreachable(exc, tr("check the status of {key}", key=key)) from exc
    return True
