"""Run core calls on a thread pool and deliver results, errors and progress as Qt signals."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from planet_gui.core.errors import PlanetError
from planet_gui.qt.error_titles import error_title, window_message


class WorkerSignals(QObject):
    # object: the worker runs any core call, so its result and its progress reports have no one type
    done = Signal(object)
    failed = Signal(str, str)  # title, message
    raised = Signal(PlanetError)  # the domain error itself, for callers that act on its kind
    progress = Signal(object)


class Worker(QRunnable):
    """``fn`` gets a ``report`` callable as keyword ``report`` when ``with_progress`` is set."""

    def __init__(self, fn: Callable[..., Any], *args: Any, with_progress: bool = False, **kwargs: Any) -> None:
        super().__init__()
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.signals = WorkerSignals()
        if with_progress:
            self.kwargs["report"] = self.signals.progress.emit

    def run(self) -> None:
        try:
            result = self.fn(*self.args, **self.kwargs)
        except PlanetError as exc:
            self._emit(self.signals.raised, exc)
            self._emit(self.signals.failed, error_title(exc), window_message(exc))  # the window's words
        except Exception as exc:  # noqa: BLE001 - shown to the user instead of killing the thread
            traceback.print_exc()
            unexpected = PlanetError(f"{type(exc).__name__}: {exc}", title="Unexpected error")
            self._emit(self.signals.raised, unexpected)
            self._emit(self.signals.failed, error_title(unexpected), unexpected.message)
        else:
            self._emit(self.signals.done, result)

    def _emit(self, signal: Any, *args: Any) -> None:
        """Deliver, unless the signals' object is gone (its owner closed while this ran): there is nobody left to
        tell, and emitting raised "Signal source has been deleted" on the pool thread (seen in soak runs)."""
        if not shiboken6.isValid(self.signals):
            return
        try:
            signal.emit(*args)
        except RuntimeError:  # deleted between the check and the emit
            pass


def start(worker: Worker, pool: QThreadPool | None = None) -> Worker:
    (pool or QThreadPool.globalInstance()).start(worker)
    return worker


class Workers:
    """Runs core calls for one owner (a window, a dialog), holding each worker until it reports: a worker
    nobody references could be collected, with its signals, before its result arrives. A result that arrives
    after the owner was closed and deleted is dropped: its callbacks would touch widgets that are gone."""

    def __init__(self, owner: QObject | None = None) -> None:
        self.running: set[Worker] = set()
        self._owner = owner

    def _while_alive(self, callback: Callable[..., Any]) -> Callable[..., Any]:
        owner = self._owner
        if owner is None:
            return callback

        def guarded(*args: Any) -> Any:
            return callback(*args) if shiboken6.isValid(owner) else None

        return guarded

    def run(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], Any],
            on_failed: Callable[[str, str], Any], with_progress: bool = False,
            on_progress: Callable[[Any], Any] | None = None, **kwargs: Any) -> Worker:
        worker = Worker(fn, *args, with_progress=with_progress, **kwargs)
        worker.signals.done.connect(self._while_alive(on_done))
        worker.signals.failed.connect(self._while_alive(on_failed))
        if on_progress is not None:
            worker.signals.progress.connect(self._while_alive(on_progress))
        self.running.add(worker)
        worker.signals.done.connect(lambda _r, w=worker: self.running.discard(w))
        worker.signals.failed.connect(lambda *_a, w=worker: self.running.discard(w))
        return start(worker)
