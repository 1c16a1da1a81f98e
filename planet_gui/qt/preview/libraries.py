"""Loading the plot and map modules (pyqtgraph) on the UI thread, a few milliseconds at a time.

They used to be imported on a worker thread, so the window would not freeze for the import. That raced the UI
thread: importing pyqtgraph touches every class of QtCore, QtGui and QtWidgets, and PySide6 builds each class's
Python type on first touch, which is not safe while the UI thread builds widgets; a test run died with a
segmentation fault in exactly that overlap (worker in ``pyqtgraph/Qt/__init__.py`` ``_copy_attrs``, UI thread in
``MetadataForm``). Now the part with no Qt (numpy, the core's preview) still loads on a worker, and the rest runs on
the UI thread in steps of at most :data:`STEP_MS`, each between two turns of the event loop: first the PySide6
classes pyqtgraph touches, a few at a time (about 70 ms in all, one class up to 20 ms), then pyqtgraph itself
(about 60 ms once those are built). The app starts this after its window has painted; a preview that needs the
modules before then starts it, and draws once :attr:`PlotLibraries.ready` says they are in.
"""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from types import ModuleType

from PySide6.QtCore import QObject, QTimer, Signal

from planet_gui.qt.workers import Workers

STEP_MS = 4.0  # UI time per event-loop turn while loading quietly
#: the Qt modules pyqtgraph imports, whose classes it copies
QT_MODULES = ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtSvg", "PySide6.QtOpenGL",
              "PySide6.QtOpenGLWidgets", "PySide6.QtTest")
PLOT_MODULES = ("planet_gui.qt.preview.plots", "planet_gui.qt.preview.maps", "planet_gui.qt.preview.grid_view")


def loaded() -> bool:
    return all(name in sys.modules for name in PLOT_MODULES)


def without_qt() -> None:
    """On a worker: what the preview needs that has nothing to do with Qt (safe off the UI thread)."""
    import numpy.ma  # noqa: F401 - numpy loads it on first use, which a table's first preview makes

    import planet_gui.core.preview  # noqa: F401


def _steps() -> Iterator[Callable[[], object]]:
    """The UI thread's part, in small steps: each Qt module, then its classes a dozen at a time, then pyqtgraph."""
    for module_name in QT_MODULES:
        try:
            module = importlib.import_module(module_name)  # run when the step before was taken: a step of its own
        except ImportError:  # not in this PySide6: pyqtgraph does without it, or says so in the last steps
            continue
        names = [name for name in dir(module) if not name.startswith("_")]
        for start in range(0, len(names), 12):
            yield partial(_touch, module, names[start:start + 12])
    for module_name in PLOT_MODULES:
        yield partial(importlib.import_module, module_name)


def _touch(module: ModuleType, names: list[str]) -> None:
    """Have PySide6 build these classes' Python types (it does so on first touch)."""
    for name in names:
        getattr(module, name, None)


class PlotLibraries(QObject):
    """Loads :data:`PLOT_MODULES` once per process; :attr:`ready` is emitted when they are in, :attr:`failed` (with
    the reason) if one could not be imported."""

    ready = Signal()
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workers = Workers(self)
        self._todo: Iterator[Callable[[], object]] | None = None
        self._started = False
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)

    def load_quietly(self) -> None:
        """Start loading: the Qt-free part on a worker, then the rest on this thread a step per event-loop turn."""
        if loaded():
            self.ready.emit()
            return
        if self._started:
            return
        self._started = True
        # numpy failing here fails again, with its reason, when the plot modules import it in the last steps
        self._workers.run(without_qt, on_done=lambda _: self._start_steps(),
                          on_failed=lambda _t, _m: self._start_steps())

    def _start_steps(self) -> None:
        self._todo = _steps()  # a generator: each step's own work (an import, a dir()) runs when it is taken
        self._timer.start()

    def _step(self) -> None:
        started = time.perf_counter()
        while self._todo is not None and (time.perf_counter() - started) * 1000 < STEP_MS:
            step = next(self._todo, None)
            if step is None:
                self._todo = None
                break
            try:
                step()
            except Exception as exc:  # noqa: BLE001 - a broken install: said where the plot would be, not raised in a slot
                self._timer.stop()
                self._todo = None
                self._started = False  # the next preview tries again (and says why again)
                self.failed.emit(f"{type(exc).__name__}: {exc}")
                return
        if self._todo is None:
            self._timer.stop()
            self.ready.emit()
