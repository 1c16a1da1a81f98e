"""Progress of each file and of the whole batch: bytes, rate, ETA. Plain data and callbacks, never Qt.

The engine calls the listener from its worker threads; a GUI re-emits the updates as signals, the CLI draws a
progress bar.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class FileState(StrEnum):
    QUEUED = "queued"
    HASHING = "hashing"  # reading the file once for its SHA-256
    CHECKING = "checking"  # is it already in the lake?
    UPLOADING = "uploading"
    PAUSED = "paused"
    RETRYING = "retrying"  # waiting for the server to come back
    COMPLETING = "completing"
    VERIFYING = "verifying"
    DONE = "done"
    SKIPPED = "skipped"  # already in the lake, and the user said not to upload it again
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in {FileState.DONE, FileState.SKIPPED, FileState.FAILED, FileState.CANCELLED}


@dataclass(frozen=True)
class FileProgress:
    job: int
    path: Path
    key: str
    state: FileState
    total: int
    done: int  # bytes the server confirmed, including those confirmed before a restart
    resumed: int  # bytes found on the server from an earlier, interrupted run
    hashed: int  # bytes read for the checksum
    rate: float  # bytes per second over the last few seconds
    eta: float | None  # seconds
    message: str = ""

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else (1.0 if self.state is FileState.DONE else 0.0)


@dataclass(frozen=True)
class Overall:
    files: int
    finished: int
    failed: int
    total: int
    done: int
    rate: float
    eta: float | None


@dataclass(frozen=True)
class TransferUpdate:
    file: FileProgress
    overall: Overall


Listener = Callable[[TransferUpdate], None]


class RateMeter:
    """Bytes per second over a sliding window."""

    def __init__(self, window: float = 5.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._window = window
        self._clock = clock
        self._samples: deque[tuple[float, int]] = deque()
        self._count = 0
        self._lock = threading.Lock()

    def mark(self) -> None:
        """Sending starts (again) now: measure from here, not from the first confirmed part (which made a part
        that took seconds look instantaneous) nor from before an idle spell."""
        with self._lock:
            now = self._clock()
            if not self._samples or now - self._samples[-1][0] > self._window:
                self._samples.clear()
                self._samples.append((now, self._count))

    def add(self, amount: int) -> None:
        with self._lock:
            now = self._clock()
            if not self._samples:
                self._samples.append((now, self._count))
            self._count += amount
            self._samples.append((now, self._count))
            self._trim(now)

    def _trim(self, now: float) -> None:
        while len(self._samples) > 2 and now - self._samples[1][0] > self._window:
            self._samples.popleft()

    def rate(self) -> float:
        with self._lock:
            if len(self._samples) < 2:
                return 0.0
            now = self._clock()
            self._trim(now)
            start_t, start_n = self._samples[0]
            span = max(now - start_t, 1e-3)
            return (self._count - start_n) / span


def eta(remaining: int, rate: float) -> float | None:
    if remaining <= 0:
        return 0.0
    if rate <= 0:
        return None
    return remaining / rate


def human_bytes(count: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(count) < 1024 or unit == "TiB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} TiB"
