"""The upload history's WAL is copied into the database by a thread of its own, so that recording an upload never
pays for a checkpoint's fsync (the 1-in-200 spikes of the benchmark), and the WAL still stays bounded."""

from __future__ import annotations

import threading
from pathlib import Path

from planet_gui.core import history as history_module
from planet_gui.core.history import UploadHistory, UploadRecord


def _record(n: int) -> UploadRecord:
    return UploadRecord(key=f"c/s/alice/{n:05d}.csv", filename=f"{n:05d}.csv", sha256=f"{n:064x}", size=n,
                        uploaded_at="2026-12-02T00:00:00+00:00", profile="t", etag=f"{n:032x}")


def test_checkpoints_run_off_the_recording_thread_and_bound_the_wal(tmp_path: Path) -> None:
    history = UploadHistory(tmp_path / "uploads-t.sqlite3")
    history.add(_record(0))
    assert history._conn().execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0  # never on add's thread
    empty = history.path.stat().st_size
    for n in range(1, 3 * history_module.CHECKPOINT_EVERY + 1):
        history.add(_record(n))
    checkpointer = history._checkpointer
    assert checkpointer is not None and checkpointer.name == "planet-history-checkpoint"
    assert checkpointer is not threading.current_thread()
    assert history.wait_checkpointed()
    assert history.path.stat().st_size > empty  # the records reached the database file itself
    wal = history.path.with_name(history.path.name + "-wal")
    # without checkpoints the WAL would hold every page written (about 20 KB a record): here at most a few batches
    assert wal.stat().st_size < 3 * history_module.CHECKPOINT_EVERY * 20_000 / 2
    history.close()
    reopened = UploadHistory(history.path)
    assert reopened.count() == 3 * history_module.CHECKPOINT_EVERY + 1


def test_an_add_during_a_checkpoints_restart_waits_for_nothing_and_is_never_lost(tmp_path: Path) -> None:
    """While the checkpointer holds the file for its RESTART (its fsyncs were the worst adds' wait), an add
    leaves its record pending and returns at once; the record is written as the file is let go, and any read
    includes it before that. Two uploads of one content under one key in one pending batch leave one record."""
    history = UploadHistory(tmp_path / "uploads-t.sqlite3")
    kept = history.add(_record(0))
    assert kept.id > 0
    history._restarting = True  # as the checkpointer sets it before it takes the file
    taken, done = threading.Event(), threading.Event()

    def checkpointer() -> None:  # holds the file as the RESTART does: an add that waited for it would hang
        with history._lock:
            taken.set()
            done.wait(30)

    holder = threading.Thread(target=checkpointer)
    holder.start()
    try:
        assert taken.wait(30)
        pending = [history.add(_record(n)) for n in (1, 2, 2)]
        assert [r.id for r in pending] == [0, 0, 0]  # returned at once, no row yet
    finally:
        history._restarting = False
        done.set()
        holder.join()
    assert [r.key for r in history.records()] == [_record(n).key for n in (0, 1, 2)]  # the read wrote them first
    assert history._pending == []
    history.close()
    assert UploadHistory(history.path).count() == 3


def test_a_burst_across_many_checkpoints_keeps_every_record_in_order(tmp_path: Path) -> None:
    history = UploadHistory(tmp_path / "uploads-t.sqlite3")
    total = 4 * history_module.CHECKPOINT_EVERY
    for n in range(total):
        history.add(_record(n))
    assert [r.key for r in history.records()] == [_record(n).key for n in range(total)]
    history.close()
