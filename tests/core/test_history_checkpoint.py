"""The upload history's WAL is copied into the database by a thread of its own, so that recording an upload never
pays for a checkpoint's fsync (the 1-in-200 spikes of the benchmark), and the WAL still stays bounded."""

from __future__ import annotations

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
    checkpointer.join()
    assert history.path.stat().st_size > empty  # the records reached the database file itself
    wal = history.path.with_name(history.path.name + "-wal")
    # without checkpoints the WAL would hold every page written (about 20 KB a record): here at most a few batches
    assert wal.stat().st_size < 3 * history_module.CHECKPOINT_EVERY * 20_000 / 2
    history.close()
    reopened = UploadHistory(history.path)
    assert reopened.count() == 3 * history_module.CHECKPOINT_EVERY + 1
