"""Reading a file for its metadata in a child process: the window's inspection pool runs :func:`read` there.

Inspection and the personal-data scan are pure Python (csv, regular expressions, JSON): on threads of the window's
process they held the GIL the UI thread needs for every cell it paints, and adding 1,000 files stalled the event
loop for 100-300 ms at a time (tests/bench/bench_gui.py). In a child they share no GIL with the window, and run
at a lower CPU priority so the window gets a core first. Everything here is Qt-free and returns plain, picklable
values; the child is started by the window (``planet_gui.qt.inspections``), never on its own.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import traceback
from multiprocessing.process import BaseProcess
from pathlib import Path

from planet_gui.core.errors import PlanetError
from planet_gui.core.i18n import set_language
from planet_gui.core.inspect.model import Inspection

#: how much lower than the window the children run (nice 5: about a third of the CPU share of nice 0, so the
#: window wins a contended core while uploads at nice 0 still leave the readers a share)
NICENESS = 5

#: what :func:`read` gives back: the inspection, or the title and message of why the file could not be read
Outcome = tuple[Inspection | None, tuple[str, str]]


def start(language: str) -> None:
    """A child's initialiser: the window's language for the messages inspection writes, a lower priority, and
    the inspectors imported once (not at the first file)."""
    set_language(language)
    if hasattr(os, "nice"):
        try:
            os.nice(NICENESS)
        except OSError:  # not allowed here: the child runs at the window's priority
            pass
    import planet_gui.core.privacy.inspection  # noqa: F401 - preloaded

    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent,), name="parent-watch", daemon=True).start()


def _end_with(parent: BaseProcess) -> None:
    """End this child once the window's process is gone. A window killed (``kill -9``, a crash) never tells its
    children to stop: they waited for work forever, and kept their forkserver alive with them."""
    parent.join()
    os._exit(0)


def ready() -> bool:
    """Nothing: what the window sends to start its children ahead of the first file."""
    return True


def read(path: Path) -> Outcome:
    """``inspect_and_scan(path)``, with failures as text (an exception's pickling loses its title)."""
    from planet_gui.core.privacy.inspection import inspect_and_scan

    try:
        inspection = inspect_and_scan(path)
    except PlanetError as exc:
        return None, (exc.title, exc.message)
    except Exception as exc:  # noqa: BLE001 - shown on the row instead of killing the child
        traceback.print_exc()
        return None, ("Unexpected error", f"{type(exc).__name__}: {exc}")
    inspection.table_sample = None  # only the scan, done here, reads it: not copied back to the window
    return inspection, ("", "")
