"""Upload one file with its metadata to the raw bucket, then check what arrived.

This is the first engine: one call per file, streaming from disk (the SDK sends multipart for
large files). Resume, journal and parallel scheduling build on this contract later.
"""

from __future__ import annotations

import mimetypes
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from minio import Minio
from minio.error import S3Error

from planet_gui.core.errors import StorageError
from planet_gui.core.hashing import sha256_file
from planet_gui.core.profile import Buckets
from planet_gui.core.schema import Schema
from planet_gui.core.status import State, locate
from planet_gui.core.storage import storage_error

ProgressCallback = Callable[[int, int], None]  # (bytes done, bytes total)


@dataclass(frozen=True)
class UploadResult:
    key: str
    bucket: str
    sha256: str
    size: int
    etag: str


class _SdkProgress(threading.Thread):
    """The minio SDK wants a Thread-typed object with ``set_meta``/``update``; we only forward counts."""

    def __init__(self, total: int, callback: ProgressCallback) -> None:
        super().__init__(daemon=True)
        self._total = total
        self._done = 0
        self._callback = callback
        self._lock = threading.Lock()

    def set_meta(self, object_name: str, total_length: int) -> None:
        self._total = total_length

    def update(self, size: int) -> None:
        with self._lock:
            self._done += size
            done = self._done
        self._callback(done, self._total)


def upload_file(
    client: Minio,
    buckets: Buckets,
    schema: Schema,
    path: Path,
    key: str,
    values: Mapping[str, Any],
    *,
    uploader: str,
    validate: bool = True,
    overwrite: bool = False,
    on_progress: ProgressCallback | None = None,
) -> UploadResult:
    """Validate, hash, refuse silent overwrites, upload, and verify size and checksum on the server."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise StorageError(f"Cannot read {path.name}: {exc.strerror or exc}") from exc
    full: dict[str, Any] = dict(values)
    full["uploader"] = uploader
    if validate:
        schema.validate({k: v for k, v in full.items() if k != "sha256"})
    if not overwrite:
        existing = locate(client, buckets, key)
        if existing.state is not State.MISSING:
            raise StorageError(
                f"{key} is already in the lake ({existing.state.value}). Choose another name or overwrite.",
                title="Already uploaded",
            )
    full["sha256"] = sha256_file(path)
    headers: dict[str, str | list[str] | tuple[str]] = dict(schema.to_s3(full))
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    progress = _SdkProgress(size, on_progress) if on_progress else None
    try:
        result = client.fput_object(
            buckets.raw, key, str(path), content_type=content_type, metadata=headers, progress=progress
        )
    except S3Error as exc:
        raise storage_error(exc, buckets.raw, f"upload {path.name}") from exc
    # the hook may already have moved it, so look wherever it is now
    arrived = locate(client, buckets, key)
    if arrived.size != size or arrived.metadata.get("sha256") != full["sha256"]:
        raise StorageError(
            f"The server holds {arrived.size} bytes of {path.name}, expected {size}; the upload is not intact.",
            title="Upload damaged",
        )
    return UploadResult(key=key, bucket=buckets.raw, sha256=full["sha256"], size=size,
                        etag=result.etag or "")
