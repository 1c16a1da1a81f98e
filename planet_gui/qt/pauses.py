"""The interpreter's own pauses kept out of the window's way: full garbage collections run when the window is quiet.

CPython's cycle collector stops every thread while it walks the tracked objects of the generation it collects. The
oldest generation holds nearly everything: the modules and classes imported at start, PySide's wrappers, and with
1,000 files listed their rows and inspections. One walk of it took 30-180 ms on this 2-core machine, and it runs on
whichever thread happens to allocate, the UI thread adding rows or an upload thread, freezing the window either way:
it was the longest event-loop gap while adding 1,000 files and during a 1 GiB upload (tests/bench/bench_gui.py, with
``gc.callbacks`` timing each collection). So, for the desktop app (``planet_gui.qt.app``; tests keep the default):

- once the first window has painted, what exists then (about 40,000 objects: the modules, classes, widgets and
  schema that live as long as the app) is collected once and frozen (:func:`gc.freeze`): it is never walked again;
- the oldest generation is no longer collected on its own: :class:`QuietCollector` collects it on a timer, when no
  file is being read or uploaded (at most every :data:`QUIET_EVERY_S`), and at least every :data:`AT_LEAST_EVERY_S`
  even when busy, so a day of uploads does not let garbage cycles pile up.

The young generations are still collected as usual: they hold only what is new, a few milliseconds at most.
Reference counting frees everything that is not in a cycle at once, frozen or not.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from planet_gui.qt import files_model as fm

if TYPE_CHECKING:
    from planet_gui.qt.main_window import MainWindow

CHECK_MS = 30_000  # how often the collector looks whether a collection is due
QUIET_EVERY_S = 120.0  # a quiet window: a full collection at most this often
AT_LEAST_EVERY_S = 900.0  # a busy window (uploads for hours): a full collection at least this often
#: the oldest generation's threshold while the collector is in charge: never reached in practice (it counts
#: collections of the middle generation since the last full one)
DEFERRED = 1_000_000_000
#: rows in these states mean work under way: a pause now would be seen (progress, rows filling in)
_BUSY = frozenset({fm.INSPECTING, fm.UPLOADING, fm.WAITING})

_frozen = False  # the start's objects are frozen once per process, by the first window


def freeze_start() -> None:
    """Collect once, freeze what survives, and leave the oldest generation to :class:`QuietCollector`."""
    global _frozen
    if _frozen:
        return
    _frozen = True
    gc.collect()
    gc.freeze()
    young, middle, _old = gc.get_threshold()
    gc.set_threshold(young, middle, DEFERRED)


class QuietCollector(QObject):
    """Collects the oldest generation when ``busy()`` is false and :data:`QUIET_EVERY_S` has passed since the last
    full collection, or once :data:`AT_LEAST_EVERY_S` has passed whatever ``busy()`` says; never while ``live()``
    is false (its window closed). ``clock`` is :func:`time.monotonic` (tests pass their own)."""

    def __init__(self, busy: Callable[[], bool], parent: QObject | None = None,
                 clock: Callable[[], float] = time.monotonic, live: Callable[[], bool] = lambda: True) -> None:
        super().__init__(parent)
        self._busy = busy
        self._live = live
        self._clock = clock
        self.last = clock()
        self.collections = 0  # how many full collections this collector ran
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> bool:
        """Collect if due; returns whether it did."""
        waited = self._clock() - self.last
        if not self._live() or waited < QUIET_EVERY_S or (waited < AT_LEAST_EVERY_S and self._busy()):
            return False
        gc.collect()
        self.last = self._clock()
        self.collections += 1
        return True

    def stop(self) -> None:
        self._timer.stop()


def keep_pauses_short(window: MainWindow) -> QuietCollector:
    """For the app's window, once it has painted: :func:`freeze_start`, then a :class:`QuietCollector` (a child of
    the window) that counts the window busy while a row is being read or uploaded, and stops looking once the window
    is closed."""
    freeze_start()

    def busy() -> bool:
        return window.inspections.busy or any(entry.state in _BUSY for entry in window.model.entries)

    return QuietCollector(busy, window, live=window.isVisible)
