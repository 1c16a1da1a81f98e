"""The result of one upload as ``Session.upload`` returns it (:class:`UploadResult`), or the error that stopped
it. The engine itself (resumable, parallel, verified, journaled) is :mod:`planet_gui.core.transfer`; ``Session``
drives it for the GUI, the CLI and the folder watcher.
"""

from __future__ import annotations

from dataclasses import dataclass

from planet_gui.core.errors import StorageError
from planet_gui.core.i18n import tr
from planet_gui.core.transfer.job import UploadOutcome
from planet_gui.core.transfer.progress import FileState


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
