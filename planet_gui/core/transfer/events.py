"""The engine's one event stream: every job's life as typed events, for whoever follows the engine as a whole
(the CLI's summary, the folder watcher, :mod:`planet_gui.core.tracking`), as s3transfer's subscribers hear
``on_queued`` / ``on_progress`` / ``on_done``.

* :class:`Queued` — a file was submitted (or an interrupted upload taken up again);
* :class:`Progress` — its state or bytes changed (the same :class:`~.progress.TransferUpdate` the per-submit
  ``on_update`` callback gets, at most every 0.2 s plus every state change);
* :class:`Done` — it ended, with its :class:`~.job.UploadOutcome` (done, skipped, failed, cancelled, interrupted).

Subscribers are called on the engine's threads; one that raises is logged and never stops an upload.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from planet_gui.core.transfer.job import UploadOutcome
from planet_gui.core.transfer.progress import TransferUpdate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Queued:
    job: int
    path: Path
    key: str
    resumed: bool = False  # an interrupted upload taken up again


@dataclass(frozen=True)
class Progress:
    update: TransferUpdate

    @property
    def job(self) -> int:
        return self.update.file.job

    @property
    def path(self) -> Path:
        return self.update.file.path


@dataclass(frozen=True)
class Done:
    job: int
    outcome: UploadOutcome

    @property
    def path(self) -> Path:
        return self.outcome.path


TransferEvent = Queued | Progress | Done
Subscriber = Callable[[TransferEvent], None]


class EventStream:
    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Hear every event from now on; call the returned function to stop."""
        with self._lock:
            self._subscribers = [*self._subscribers, subscriber]

        def unsubscribe() -> None:
            with self._lock:
                self._subscribers = [s for s in self._subscribers if s is not subscriber]

        return unsubscribe

    @property
    def followed(self) -> bool:
        return bool(self._subscribers)

    def publish(self, event: TransferEvent) -> None:
        for subscriber in self._subscribers:  # a copy-on-write list: no lock while calling out
            try:
                subscriber(event)
            except Exception:  # noqa: BLE001 - a broken follower must not break the upload
                log.exception("transfer event subscriber failed")
