"""Reading added files for their metadata, off the UI thread, with results handed to the window in batches.

A thousand dropped files used to cost the UI thread a worker object, four signal connections and a queued signal
per file, and each result its own table update: with the readers holding the GIL, every one of those Qt calls
could wait a switch interval for it, and the event loop stalled for hundreds of milliseconds. Here the readers are
threads of their own (never the global pool that status polls and cancels need), they take the next file
themselves, and the UI thread collects what they finished on a timer, at most :data:`BUDGET_MS` per tick.

Given ``finish``, the reading itself (inspection and the personal-data scan, pure Python) runs in child processes
(:mod:`planet_gui.core.inspect_child`) and the reader threads only wait for them and ``finish`` the result: the
readers held the GIL the UI thread needs for each cell it paints, and each of those Python calls could wait a
switch interval for it (a 100-300 ms gap while adding 1,000 files, tests/bench/bench_gui.py).
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from concurrent.futures import CancelledError, Executor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer

from planet_gui.core.errors import PlanetError
from planet_gui.qt.error_titles import error_title
from planet_gui.qt.files_model import FileEntry

AT_ONCE = 2  # files read at once: the readers are Python and share the GIL with the UI thread (2-core machines)
DRAIN_MS = 30  # how often finished results reach the table while files are being read
BUDGET_MS = 8.0  # UI time spent on results per tick; what is left waits for the next tick

#: one finished file: the entry, its inspection (None if it failed) and the failure's title and message
Result = tuple[FileEntry, Any, tuple[str, str]]


class Inspections(QObject):
    """``inspect(path)`` runs on :data:`AT_ONCE` reader threads for each file :meth:`add`-ed and still
    ``wanted``; ``deliver(results)`` gets the finished ones on the UI thread, a batch per tick."""

    def __init__(self, inspect: Callable[[Any], Any], wanted: Callable[[FileEntry], bool],
                 deliver: Callable[[list[Result]], None], parent: QObject | None = None,
                 at_once: int = AT_ONCE, finish: Callable[[Path, Any], Any] | None = None) -> None:
        """``finish(path, inspection)``: read in child processes and finish on the reader thread (a frozen
        bundle reads on the threads with ``inspect``, as it starts no helper processes)."""
        super().__init__(parent)
        self._inspect = inspect
        self._finish = None if getattr(sys, "frozen", False) else finish
        self._children: Executor | None = None  # the child processes, started by the first reader
        self._wanted = wanted
        self._deliver = deliver
        self._at_once = at_once
        self._todo: deque[FileEntry] = deque()
        self._done: deque[Result] = deque()
        self._lock = threading.Lock()
        self._readers = 0
        self._pool = ThreadPoolExecutor(max_workers=at_once, thread_name_prefix="inspect")
        self._timer = QTimer(self)
        self._timer.setInterval(DRAIN_MS)
        self._timer.timeout.connect(self.drain)
        self._closed = False
        self.warmed = False  # the child processes are up (warm_up)

    def warm_up(self) -> None:
        """Start the child processes now, on a reader thread, rather than when the first files arrive. The app
        calls this once its window has painted (``planet_gui.qt.app``): starting them imports the process-pool
        modules in this process and launches the forkserver, Python work that shared the interpreter with the UI
        thread during the first second of adding 1,000 files (tests/bench/bench_gui.py). :attr:`warmed` says when
        the children are up (at once where files are read on threads)."""
        if self._finish is None or self._closed:
            self.warmed = True
            return
        self._pool.submit(self._start_children)

    def _start_children(self) -> None:
        from planet_gui.core import inspect_child

        try:
            children = self._processes()
            for ready in [children.submit(inspect_child.ready) for _ in range(self._at_once)]:
                ready.result()
        except (CancelledError, RuntimeError, BrokenProcessPool):  # closed meanwhile, or a child died: the next
            pass  # file starts them again
        self.warmed = True

    @property
    def busy(self) -> bool:
        """Files waiting, being read, or read and not yet delivered."""
        with self._lock:
            return bool(self._todo or self._readers or self._done)

    def add(self, entries: list[FileEntry]) -> None:
        if not entries or self._closed:
            return
        with self._lock:
            self._todo.extend(entries)
            start = min(self._at_once - self._readers, len(self._todo))
            self._readers += max(0, start)
        for _ in range(start):
            self._pool.submit(self._read)
        if not self._timer.isActive():
            self._timer.start()

    def _read(self) -> None:
        """A reader: takes files until none is left (a removed row, or one no longer waiting, is skipped)."""
        while True:
            with self._lock:
                if not self._todo or self._closed:
                    self._readers -= 1
                    return
                entry = self._todo.popleft()
            if not self._wanted(entry):
                continue
            try:
                result: Result = self._read_one(entry)
            except (CancelledError, RuntimeError) as exc:  # the window closed while the file waited for a child
                if self._closed:
                    continue
                result = (entry, None, (error_title("Unexpected error"), f"{type(exc).__name__}: {exc}"))
            except PlanetError as exc:
                result = (entry, None, (error_title(exc), exc.message))
            except Exception as exc:  # noqa: BLE001 - shown on the row instead of killing the reader
                traceback.print_exc()
                unexpected = PlanetError(f"{type(exc).__name__}: {exc}", title="Unexpected error")
                result = (entry, None, (error_title(unexpected), unexpected.message))
            self._done.append(result)  # deque appends are atomic: no lock held while the UI thread drains

    def _read_one(self, entry: FileEntry) -> Result:
        if self._finish is None:
            return entry, self._inspect(entry.path), ("", "")
        from planet_gui.core import inspect_child

        try:
            inspection, (title, message) = self._processes().submit(inspect_child.read, entry.path).result()
        except BrokenProcessPool as exc:  # a child died (killed, out of memory): the next file gets new ones
            with self._lock:
                broken, self._children = self._children, None
            if broken is not None:
                broken.shutdown(wait=False, cancel_futures=True)
            raise PlanetError(f"the process reading the file stopped ({exc})", title="Unexpected error") from exc
        if inspection is None:
            return entry, None, (error_title(title), message)
        return entry, self._finish(entry.path, inspection), ("", "")

    def _processes(self) -> Executor:
        """The child processes (as many as readers), started on first use: a forkserver that imported the
        inspectors forks them (spawn where there is none); the window's cold start starts none."""
        with self._lock:
            if self._closed:
                raise CancelledError
            if self._children is None:
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor

                from planet_gui.core import inspect_child
                from planet_gui.core.i18n import language

                method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
                context = multiprocessing.get_context(method)
                if method == "forkserver":
                    context.set_forkserver_preload(["planet_gui.core.inspect_child"])
                self._children = ProcessPoolExecutor(self._at_once, mp_context=context,
                                                     initializer=inspect_child.start, initargs=(language(),))
            return self._children

    def drain(self) -> int:
        """On the UI thread: deliver what the readers finished, within the tick's budget; returns how many."""
        started = time.perf_counter()
        delivered = 0
        while self._done and (time.perf_counter() - started) * 1000 < BUDGET_MS:
            batch: list[Result] = []
            while self._done and len(batch) < 16:
                batch.append(self._done.popleft())
            self._deliver(batch)
            delivered += len(batch)
        if not self.busy:
            self._timer.stop()
        return delivered

    def close(self) -> None:
        """Stop taking files (the window closes); a file being read finishes on its thread, unheard."""
        with self._lock:
            self._closed = True
            children, self._children = self._children, None
        self._timer.stop()
        self._pool.shutdown(wait=False, cancel_futures=True)
        if children is not None:  # a file being read finishes first; then the children and their thread end
            children.shutdown(wait=False, cancel_futures=True)
