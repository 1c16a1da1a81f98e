"""Full garbage collections wait for a quiet window (``planet_gui.qt.pauses``): a walk of everything the window
holds took 30-180 ms and froze it on whichever thread it fell (tests/bench/bench_gui.py)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from planet_gui.qt import pauses


@pytest.fixture
def collector_in_charge() -> Iterator[None]:
    """The app's settings for this test only: what it freezes is thawed and the thresholds put back after."""
    thresholds = gc.get_threshold()
    pauses.freeze_start()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
        pauses._frozen = False  # noqa: SLF001


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cycle collector frees it


def _old_cycle() -> weakref.ref[_Node]:
    """A garbage cycle in the oldest generation: only a full collection frees it."""
    node = _Node()
    gc.collect(1)  # alive through a collection of the middle generation: moved to the oldest
    return weakref.ref(node)


def test_the_start_is_frozen_and_full_collections_are_left_to_the_collector(collector_in_charge: None) -> None:
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[2] == pauses.DEFERRED
    cycle = _old_cycle()
    for _ in range(3):
        gc.collect(1)  # what the interpreter still does on its own: the young generations only
    assert cycle() is not None


def test_a_quiet_window_collects_a_busy_one_waits_at_most_the_longest_interval(qtbot,  # noqa: ANN001
                                                                              collector_in_charge: None) -> None:
    now = [1000.0]
    busy = [True]
    live = [True]
    collector = pauses.QuietCollector(lambda: busy[0], clock=lambda: now[0], live=lambda: live[0])
    cycle = _old_cycle()

    now[0] += pauses.QUIET_EVERY_S + 1
    assert not collector.check() and cycle() is not None  # uploads running: not now

    busy[0] = False
    live[0] = False
    assert not collector.check() and cycle() is not None  # its window closed: never

    live[0] = True
    assert collector.check() and cycle() is None  # quiet, and due
    assert not collector.check()  # just done: not again until QUIET_EVERY_S has passed

    busy[0] = True
    cycle = _old_cycle()
    now[0] += pauses.AT_LEAST_EVERY_S - 1
    assert not collector.check() and cycle() is not None
    now[0] += 2
    assert collector.check() and cycle() is None  # busy for AT_LEAST_EVERY_S: collected all the same
    assert collector.collections == 2
    collector.stop()
