"""Metadata within S3's limits: US-ASCII headers, at most 2 KB in all, and a JSON sidecar for the rest.

S3 stores at most 2 KB of user metadata per object (keys and values, as sent). Values are encoded to US-ASCII
reversibly by :mod:`planet_gui.core.metadata_codec`. When the encoded total is over the limit (a long field
list, a long description with accents), the complete metadata goes to a JSON object next to the data
(``<key>.planet-meta.json``, uploaded just before the data appears) and the data's headers keep the schema's
required fields, the system fields (checksum, uploader) and a pointer to the sidecar with the sidecar's
SHA-256. Readers (status, the tests) merge the sidecar back with :func:`read_metadata`; the validation hook has
its own, stricter reader (:mod:`planet_gui.hook.sidecars`). The names and the format are the lake's contract
(:mod:`planet_gui.core.lake`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from minio import Minio
from minio.error import S3Error

from planet_gui.core import lake, metadata_codec
from planet_gui.core.errors import MetadataInvalid, StorageError
from planet_gui.core.i18n import tr
from planet_gui.core.lake import POINTER_KEY as POINTER_KEY  # the lake's contract, re-exported
from planet_gui.core.lake import POINTER_SHA_KEY as POINTER_SHA_KEY
from planet_gui.core.lake import SIDECAR_FOR_KEY as SIDECAR_FOR_KEY
from planet_gui.core.lake import SIDECAR_SUFFIX as SIDECAR_SUFFIX
from planet_gui.core.lake import SIDECAR_VERSION
from planet_gui.core.schema import Schema, is_empty
from planet_gui.core.storage import read_capped
from planet_gui.core.transfer import s3ops

METADATA_LIMIT = 2048


@dataclass(frozen=True)
class MetadataPlan:
    headers: dict[str, str]  # user metadata, key without the x-amz-meta- prefix -> US-ASCII value
    sidecar_key: str | None = None
    sidecar_body: bytes | None = None

    @property
    def has_sidecar(self) -> bool:
        return self.sidecar_key is not None


def metadata_size(headers: Mapping[str, str]) -> int:
    """Bytes S3 counts against its 2 KB limit (we count the ``x-amz-meta-`` prefix too, to be safe)."""
    return sum(len(lake.META_PREFIX) + len(k.encode()) + len(v.encode()) for k, v in headers.items())


def sidecar_key_for(key: str) -> str:
    return lake.sidecar_key_for(key)


def plan_metadata(schema: Schema, values: Mapping[str, Any], key: str, *, limit: int = METADATA_LIMIT) -> MetadataPlan:
    """Headers alone when they fit; else the required and system fields plus a pointer, and the sidecar."""
    full = schema.to_s3(values)
    if metadata_size(full) <= limit:
        return MetadataPlan(headers=full)
    kept_names = {spec.s3_key for spec in schema.fields if spec.required or spec.system}
    headers = {name: value for name, value in full.items() if name in kept_names}
    readable = {spec.name: _jsonable(values[spec.name]) for spec in schema.fields
                if spec.name in values and not is_empty(values[spec.name])}
    document = {
        "planet_sidecar": SIDECAR_VERSION,
        "object": key,
        "schema": schema.name,
        "schema_version": schema.version,
        "metadata": readable,  # for people and other tools
        "s3": full,  # exactly the headers the object would carry without the 2 KB limit
    }
    body = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False).encode("utf-8")
    sidecar_key = sidecar_key_for(key)
    headers[POINTER_KEY] = metadata_codec.encode(sidecar_key)
    headers[POINTER_SHA_KEY] = hashlib.sha256(body).hexdigest()
    size = metadata_size(headers)
    if size > limit:
        raise MetadataInvalid([f"the required metadata alone takes {size} bytes, more than the {limit} bytes "
                               "S3 allows; shorten the source or area"])
    return MetadataPlan(headers=headers, sidecar_key=sidecar_key, sidecar_body=body)


def sidecar_headers(key: str, uploader_header: str | None) -> dict[str, str]:
    headers = {SIDECAR_FOR_KEY: metadata_codec.encode(key)}
    if uploader_header:
        headers["Uploader"] = uploader_header
    return headers


def is_sidecar(user_metadata: Mapping[str, str]) -> bool:
    return SIDECAR_FOR_KEY.lower() in {k.lower() for k in user_metadata}


def data_key(user_metadata: Mapping[str, str]) -> str | None:
    """The key of the data object a sidecar describes (None for any other object)."""
    lowered = {k.lower(): v for k, v in user_metadata.items()}
    raw = lowered.get(SIDECAR_FOR_KEY.lower())
    return metadata_codec.decode(raw) if raw is not None else None


def pointer(user_metadata: Mapping[str, str]) -> tuple[str, str] | None:
    """(sidecar key, its SHA-256) when the headers point to a sidecar."""
    lowered = {k.lower(): v for k, v in user_metadata.items()}
    raw = lowered.get(POINTER_KEY.lower())
    if raw is None:
        return None
    return metadata_codec.decode(raw), lowered.get(POINTER_SHA_KEY.lower(), "")


class SidecarError(StorageError):
    title = "Metadata sidecar problem"


def load_sidecar(client: Minio, bucket: str, user_metadata: Mapping[str, str],
                 key: str | None = None) -> dict[str, str] | None:
    """The complete S3 metadata map from the object's sidecar (None when the headers point to none).

    Only ``<key>.planet-meta.json`` can be an object's sidecar (with ``key``, a pointer elsewhere is refused), and
    at most :data:`planet_gui.core.lake.SIDECAR_MAX_BYTES` of it is read. Raises :class:`SidecarError` when the
    sidecar is missing, too big, or is not the one the pointer names."""
    found = pointer(user_metadata)
    if found is None:
        return None
    sidecar_key, expected_sha = found
    if key is not None and sidecar_key != sidecar_key_for(key):
        raise SidecarError(tr("the metadata sidecar {sidecar_key} is not the one of {key}",
                              sidecar_key=sidecar_key, key=key))
    try:
        body = read_capped(client, bucket, sidecar_key, lake.SIDECAR_MAX_BYTES)
    except S3Error as exc:
        if exc.code in s3ops.GONE_CODES:
            raise SidecarError(tr("the metadata sidecar {sidecar_key} is missing from {bucket}",
                                  sidecar_key=sidecar_key, bucket=bucket)) from exc
        raise
    if body is None:
        raise SidecarError(tr("the metadata sidecar {sidecar_key} is too big", sidecar_key=sidecar_key))
    if expected_sha and hashlib.sha256(body).hexdigest() != expected_sha:
        raise SidecarError(tr("the metadata sidecar {sidecar_key} does not match its checksum",
                              sidecar_key=sidecar_key))
    described = lake.data_key_of(sidecar_key) or ""
    try:
        return lake.parse_sidecar(body, key if key is not None else described)
    except lake.SidecarShapeError as exc:
        raise SidecarError(tr("the metadata sidecar {sidecar_key} is not valid JSON metadata",
                              sidecar_key=sidecar_key)) from exc


def full_metadata(client: Minio, bucket: str, user_metadata: Mapping[str, str],
                  key: str | None = None) -> dict[str, str]:
    """The headers merged with their sidecar, if any (sidecar values win; our pointer keys are dropped)."""
    merged = {k.lower(): v for k, v in user_metadata.items()
              if k.lower() not in {POINTER_KEY.lower(), POINTER_SHA_KEY.lower()}}
    extra = load_sidecar(client, bucket, user_metadata, key)
    if extra:
        merged.update({k.lower(): v for k, v in extra.items()})
    return merged


def read_metadata(client: Minio, schema: Schema, bucket: str, key: str) -> dict[str, Any]:
    """Read back an object's metadata as schema values, sidecar included."""
    found = s3ops.head(client, bucket, key)
    if found is None:
        raise StorageError(tr("{key} is not in {bucket}", key=key, bucket=bucket))
    return schema.from_s3(full_metadata(client, bucket, found.metadata, key))


def _jsonable(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
