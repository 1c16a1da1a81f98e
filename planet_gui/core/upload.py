"""Upload files with their metadata to the raw bucket: the small API over :mod:`planet_gui.core.transfer`.

:func:`upload_file` uploads one file and raises on failure, as the first engine did; the engine itself
(resumable, parallel, verified, journaled) is in :mod:`planet_gui.core.transfer`, and ``Session`` drives it
for the GUI, the CLI and the folder watcher.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from minio import Minio

from planet_gui.core.errors import StorageError
from planet_gui.core.i18n import tr
from planet_gui.core.profile import Buckets
from planet_gui.core.schema import Schema
from planet_gui.core.transfer import (
    ConflictPolicy,
    FileState,
    Journal,
    TransferEngine,
    TransferSettings,
    TransferUpdate,
    UploadItem,
    UploadOutcome,
)

ProgressCallback = Callable[[int, int], None]  # (bytes done, bytes total)


@dataclass(frozen=True)
class UploadResult:
    key: str
    bucket: str
    sha256: str
    size: int
    etag: str
    resumed_bytes: int = 0  # bytes the server already held from an interrupted run
    sidecar_key: str | None = None


def result_of(outcome: UploadOutcome) -> UploadResult:
    """The result of a finished upload, or the error that stopped it."""
    if outcome.state is not FileState.DONE:
        if outcome.error is not None:
            raise outcome.error
        if outcome.state is FileState.CANCELLED:
            raise StorageError(tr("The upload of {name} was cancelled; nothing of it is left on the server.",
                                  name=outcome.path.name), title="Upload cancelled")
        if outcome.state is FileState.PAUSED:
            raise StorageError(tr("The upload of {name} was interrupted; it continues where it stopped the "
                                  "next time it is uploaded.", name=outcome.path.name), title="Upload interrupted")
        raise StorageError(tr("{name} was not uploaded ({state}).", name=outcome.path.name,
                              state=outcome.state.value))
    return UploadResult(key=outcome.key, bucket=outcome.bucket, sha256=outcome.sha256, size=outcome.size,
                        etag=outcome.etag, resumed_bytes=outcome.resumed_bytes, sidecar_key=outcome.sidecar_key)


def bytes_progress(callback: ProgressCallback | None) -> Callable[[TransferUpdate], None] | None:
    """Adapt the engine's updates to the (done, total) callback of the first API."""
    if callback is None:
        return None
    return lambda update: callback(update.file.done, update.file.total)


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
    journal: Journal | None = None,
    settings: TransferSettings | None = None,
    scope: str = "default",
) -> UploadResult:
    """Validate, hash, refuse silent overwrites, upload (resumably), and verify size and checksum."""
    full: dict[str, Any] = dict(values)
    full["uploader"] = uploader
    engine = TransferEngine(lambda: client, buckets, schema, journal or Journal(), scope=scope, settings=settings)
    try:
        item = UploadItem(path=path, key=key, values=full, validate=validate,
                          conflict=ConflictPolicy.OVERWRITE if overwrite else ConflictPolicy.REFUSE)
        outcome = engine.run([item], on_update=bytes_progress(on_progress))[0]
    finally:
        engine.close()
    return result_of(outcome)
