"""What the folder watcher (:mod:`planet_gui.core.watching`) says about each file: its settings and its events.
They live here, below the session, so the GUI and the CLI can name them without loading the watcher.

A file counts as complete when its size and modification time have not changed for ``stable_for`` seconds;
then it is uploaded once (a file rewritten later with new content is a new delivery).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from planet_gui.core.transfer.job import UploadOutcome

DEFAULT_IGNORE = ("*.part", "*.partial", "*.tmp", "*.crdownload", "*.swp", "~*", ".*", "*.planet-meta.json")


@dataclass(frozen=True)
class WatchSettings:
    interval: float = 2.0  # seconds between two looks at the folder
    stable_for: float = 5.0  # a file is complete once its size and mtime held this long
    recursive: bool = True
    once: bool = False  # handle what is there (waiting until it is complete), then return
    ignore: tuple[str, ...] = DEFAULT_IGNORE


class WatchEventKind(StrEnum):
    WAITING = "waiting"  # seen, still changing
    UPLOADING = "uploading"
    UPLOADED = "uploaded"
    RESUMING = "resuming"
    SKIPPED = "skipped"  # uploaded before, or already in the lake
    FAILED = "failed"


@dataclass(frozen=True)
class WatchEvent:
    kind: WatchEventKind
    path: Path
    message: str = ""
    outcome: UploadOutcome | None = None
