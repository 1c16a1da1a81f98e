"""The hook's own reading of an object: its SHA-256, computed from the bytes the server holds.

The ``Sha256`` metadata is what the uploader says; the lake checks it. The content is streamed in 1 MiB pieces
(memory stays flat whatever the size) with ``If-Match`` on the ETag the hook saw when it looked at the object, so
the hash is of exactly that version: an object replaced meanwhile is left for the next pass, never judged by the
bytes of another. The move copies with the same condition (see :mod:`planet_gui.hook.mover`).
"""

from __future__ import annotations

import hashlib

from minio import Minio
from minio.error import S3Error

from planet_gui.core import storage
from planet_gui.core.s3errors import NOT_FOUND_CODES

CHUNK = 1024 * 1024
GONE = NOT_FOUND_CODES
CHANGED = frozenset({"PreconditionFailed"})


def sha256_of(client: Minio, bucket: str, key: str, etag: str) -> str | None:
    """The hex SHA-256 of the object's content, or None when it is gone or no longer has ``etag``."""
    digest = hashlib.sha256()
    try:
        response = client.get_object(bucket, key, request_headers={"If-Match": _quoted(etag)})
    except S3Error as exc:
        if exc.code in GONE | CHANGED:
            return None
        raise
    try:
        for chunk in response.stream(CHUNK):
            digest.update(chunk)
    finally:
        response.close()
        response.release_conn()
    return digest.hexdigest()


def read_capped(client: Minio, bucket: str, key: str, etag: str, cap: int) -> bytes | None:
    """At most ``cap`` bytes of the object at ``etag``; None when it holds more, is gone or has changed."""
    try:
        return storage.read_capped(client, bucket, key, cap, etag=_quoted(etag))
    except S3Error as exc:
        if exc.code in GONE | CHANGED:
            return None
        raise


def _quoted(etag: str) -> str:
    etag = etag.strip()
    return etag if etag.startswith('"') else f'"{etag}"'
