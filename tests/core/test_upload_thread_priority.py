"""The window's upload threads run a few steps below its UI thread (``TransferSettings.niceness``): on a 2-core
machine hashing and sending at full speed kept the UI thread waiting for a core for 40-60 ms at a time
(tests/bench/bench_gui.py). Linux only: elsewhere a thread has no nice value of its own."""

from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from planet_gui.core.transfer.plumbing import lower_thread_priority

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's own nice value is Linux's")


def _own_priority() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def test_a_pool_thread_runs_lower_and_the_caller_keeps_its_priority() -> None:
    caller = _own_priority()
    with ThreadPoolExecutor(1, initializer=lower_thread_priority, initargs=(5,)) as pool:
        assert pool.submit(_own_priority).result() == min(19, caller + 5)
    assert _own_priority() == caller  # the thread only: the process (the window's UI thread) is untouched


def test_zero_leaves_the_threads_alone() -> None:
    caller = _own_priority()
    with ThreadPoolExecutor(1, initializer=lower_thread_priority, initargs=(0,)) as pool:
        assert pool.submit(_own_priority).result() == caller



def test_the_command_line_keeps_the_full_priority() -> None:
    from planet_gui.core.transfer import TransferSettings

    assert TransferSettings().niceness == 0  # planet-lake: as fast as the machine goes (the window: see tests/qt)
