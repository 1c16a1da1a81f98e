"""Resumable, parallel, verified uploads: the engine behind ``Session.submit``, ``planet-lake upload`` and
``planet-lake watch``. Pure Python; progress reaches the GUI and the CLI through callbacks and the engine's event
stream (:mod:`.events`).

* :mod:`.engine` — :class:`TransferEngine`: check, journal, send, complete
* :mod:`.resolving` — which earlier upload a file continues, which key it may take (no silent overwrite)
* :mod:`.multipart` — a file of many parts: create, send in parallel while hashing, complete
* :mod:`.plumbing` — what every step shares: client, journal, budget, pools, request helpers
* :mod:`.finishing` — seal the object with its SHA-256, verify it, recognise an upload finished before a crash
* :mod:`.job` — one file's upload: its item, state, progress, outcome, cancel; sees the engine as a JobContext
* :mod:`.events` — the engine's event stream: queued / progress / done
* :mod:`.journal` — the SQLite journal that makes uploads survive crashes
* :mod:`.retry` — backoff with jitter, transient vs permanent errors
* :mod:`.sizing` — part sizes within S3's limits
* :mod:`.sidecar` — metadata within 2 KB, JSON sidecar for the rest
* :mod:`.conflicts` — no silent overwrite
* :mod:`.progress` — bytes, rate, ETA
* :mod:`.watch` — what the folder watcher reports (the watcher itself is :mod:`planet_gui.core.watching`)
* :mod:`.templates` — named sets of metadata values

The names below load their module on first use, so importing one small module of the package (the hook reads
:mod:`.sidecar` and :mod:`.s3ops`) does not load the engine, the journal and their threads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planet_gui.core.lazy import package_getattr

if TYPE_CHECKING:
    from planet_gui.core.transfer.conflicts import (
        AlreadyInLake,
        Conflict,
        ConflictKind,
        ConflictPolicy,
        Resolution,
    )
    from planet_gui.core.transfer.engine import TransferEngine
    from planet_gui.core.transfer.job import TransferJob, UploadItem, UploadOutcome
    from planet_gui.core.transfer.journal import Journal, JournalEntry, UploadState, default_journal_path
    from planet_gui.core.transfer.plumbing import EngineSetup
    from planet_gui.core.transfer.progress import FileProgress, FileState, Overall, TransferUpdate
    from planet_gui.core.transfer.retry import RetryPolicy
    from planet_gui.core.transfer.settings import TransferSettings

_HOMES = {
    "AlreadyInLake": "conflicts",
    "Conflict": "conflicts",
    "ConflictKind": "conflicts",
    "ConflictPolicy": "conflicts",
    "Resolution": "conflicts",
    "TransferEngine": "engine",
    "EngineSetup": "plumbing",
    "TransferSettings": "settings",
    "TransferJob": "job",
    "UploadItem": "job",
    "UploadOutcome": "job",
    "Journal": "journal",
    "JournalEntry": "journal",
    "UploadState": "journal",
    "default_journal_path": "journal",
    "FileProgress": "progress",
    "FileState": "progress",
    "Overall": "progress",
    "TransferUpdate": "progress",
    "RetryPolicy": "retry",
}

__all__ = [
    "AlreadyInLake",
    "Conflict",
    "ConflictKind",
    "ConflictPolicy",
    "EngineSetup",
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


__getattr__ = package_getattr(__name__, _HOMES)
