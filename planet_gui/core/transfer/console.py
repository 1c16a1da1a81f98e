"""Progress bars for the command line (rich), fed by the engine's event stream (:meth:`ConsoleProgress.follow`).

One bar per file (bytes, rate, ETA, state) and one for the whole batch. Without a terminal (a pipe, a log,
CI) nothing is drawn: the command prints one line per finished file instead.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from planet_gui.core.transfer.events import Progress, TransferEvent
from planet_gui.core.transfer.progress import FileState, TransferUpdate

_ACTIVE_STATES = {
    FileState.QUEUED: "queued",
    FileState.HASHING: "checksum",
    FileState.CHECKING: "checking",
    FileState.UPLOADING: "sending",
    FileState.PAUSED: "paused",
    FileState.RETRYING: "retrying",
    FileState.COMPLETING: "completing",
    FileState.VERIFYING: "verifying",
    FileState.DONE: "done",
    FileState.SKIPPED: "skipped",
    FileState.FAILED: "failed",
    FileState.CANCELLED: "cancelled",
}


class ConsoleProgress:
    """Call :meth:`follow` (a subscriber of the engine's events) or :meth:`update` from any thread."""

    def __init__(self, stream: IO[str], *, enabled: bool) -> None:
        self.enabled = enabled
        self._lock = threading.Lock()
        self._tasks: dict[int, Any] = {}
        self._overall: Any = None
        self._progress: Any = None
        if enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                DownloadColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
                TransferSpeedColumn,
            )

            self._progress = Progress(
                TextColumn("{task.fields[state]:>10}"),
                TextColumn("[bold]{task.description}", justify="left"),
                BarColumn(bar_width=None),
                DownloadColumn(binary_units=True),
                TransferSpeedColumn(),
                TimeRemainingColumn(),
                console=Console(file=stream),
                transient=False,
                expand=True,
            )

    @contextmanager
    def shown(self) -> Iterator[ConsoleProgress]:
        if self._progress is None:
            yield self
            return
        with self._progress:
            yield self

    def follow(self, event: TransferEvent) -> None:
        if isinstance(event, Progress):
            self.update(event.update)

    def update(self, update: TransferUpdate) -> None:
        if self._progress is None:
            return
        file = update.file
        with self._lock:
            if self._overall is None:
                self._overall = self._progress.add_task("all files", total=None, state="")
            task = self._tasks.get(file.job)
            if task is None:
                task = self._progress.add_task(_shorten(file.path.name), total=file.total or None,
                                               state=_ACTIVE_STATES[file.state])
                self._tasks[file.job] = task
            done = file.done if file.state is not FileState.HASHING else file.hashed
            self._progress.update(task, completed=done, total=file.total or None,
                                  state=_ACTIVE_STATES[file.state])
            overall = update.overall
            self._progress.update(self._overall, completed=overall.done, total=overall.total or None,
                                  state=f"{overall.finished}/{overall.files}")


def _shorten(name: str, width: int = 40) -> str:
    return name if len(name) <= width else name[: width - 12] + "…" + name[-11:]
