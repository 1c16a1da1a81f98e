"""Resumable, parallel, verified uploads: the engine behind ``Session.upload``, ``planet-lake upload`` and
``planet-lake watch``. Pure Python; progress reaches the GUI and the CLI through callbacks.

* :mod:`.engine` — :class:`TransferEngine`: check, journal, send, complete
* :mod:`.finishing` — seal the object with its SHA-256, verify it, recognise an upload finished before a crash
* :mod:`.job` — one file's upload: its item, state, progress, outcome, cancel
* :mod:`.journal` — the SQLite journal that makes uploads survive crashes
* :mod:`.retry` — backoff with jitter, transient vs permanent errors
* :mod:`.sizing` — part sizes within S3's limits
* :mod:`.sidecar` — metadata within 2 KB, JSON sidecar for the rest
* :mod:`.conflicts` — no silent overwrite
* :mod:`.progress` — bytes, rate, ETA
* :mod:`.watch` — upload each complete new file of a folder once
* :mod:`.templates` — named sets of metadata values
"""

from planet_gui.core.transfer.conflicts import (
    AlreadyInLake,
    Conflict,
    ConflictKind,
    ConflictPolicy,
    Resolution,
)
from planet_gui.core.transfer.engine import TransferEngine, TransferSettings
from planet_gui.core.transfer.job import TransferJob, UploadItem, UploadOutcome
from planet_gui.core.transfer.journal import Journal, JournalEntry, UploadState, default_journal_path
from planet_gui.core.transfer.progress import FileProgress, FileState, Overall, TransferUpdate
from planet_gui.core.transfer.retry import RetryPolicy

__all__ = [
    "AlreadyInLake",
    "Conflict",
    "ConflictKind",
    "ConflictPolicy",
    "FileProgress",
    "FileState",
    "Journal",
    "JournalEntry",
    "Overall",
    "Resolution",
    "RetryPolicy",
    "TransferEngine",
    "TransferJob",
    "TransferSettings",
    "TransferUpdate",
    "UploadItem",
    "UploadOutcome",
    "UploadState",
    "default_journal_path",
]
