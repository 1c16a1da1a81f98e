"""What keeping the window's queue on disk costs, with 1,000 rows.

    .venv/bin/python tests/bench/bench_queue.py [--rows 1000] [--repeat 5]

Core (:class:`planet_gui.core.queue_store.QueueStore`, no Qt): writing the whole queue, writing one edited row,
reading it back. Window (offscreen, the example profile, no server): what the persistence adds on the GUI
thread to a bulk edit of every row (its slots, without the flush), the flush that follows it (copying the rows
for the writer thread), the writer's own time, and :meth:`QueuePersistence.restore` of the whole queue.
Medians of ``--repeat`` runs, in milliseconds. Not a pytest module.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="planet-bench-queue-"))
    os.environ["XDG_DATA_HOME"] = str(workdir / "data")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from planet_gui.core.queue_store import QueuedFile, QueueStore

    values = {"category": "Atmosphere", "source": "ARPA Umbria", "area": "Umbria", "frequency": "daily",
              "format": "CSV", "record_count": 365, "fields": ["date", "station", "pm10", "pm25"],
              "personal_data": False, "period_start": "2024-01-01", "period_end": "2024-12-31"}
    rows = [QueuedFile(path=workdir / f"file-{i:05}.csv", state="ready", values=values, edits={"source": "x"})
            for i in range(args.rows)]
    store = QueueStore("bench", workdir / "core.sqlite3")
    table: list[tuple[str, float]] = []
    table.append((f"core: write {args.rows} rows", median_ms(lambda: store.save(rows), args.repeat)))
    one = [QueuedFile(path=rows[len(rows) // 2].path, state="ready", values=values, edits={"source": "typed"})]
    table.append(("core: write 1 edited row", median_ms(lambda: store.save(one), args.repeat)))
    table.append((f"core: read {args.rows} rows back", median_ms(store.rows, args.repeat)))

    from keyring.backends import fail
    from PySide6.QtWidgets import QApplication

    from planet_gui.core.auth.token_store import TokenStore
    from planet_gui.core.profile import load_profile
    from planet_gui.core.resources import resource_path
    from planet_gui.core.session import Session
    from planet_gui.qt import files_model as fm
    from planet_gui.qt.main_window import MainWindow

    app = QApplication([sys.argv[0]])
    session = Session(load_profile(resource_path("profiles", "local-test.toml")),
                      token_store=TokenStore("bench", backend=fail.Keyring()))
    window = MainWindow(session)
    for i in range(args.rows):
        path = workdir / f"file-{i:05}.csv"
        window.model.add(path)
        entry = window.model.entries[-1]
        entry.values, entry.state = dict(values), fm.READY
    window.queue.wait()
    window.select_rows(list(range(args.rows)))
    persist = window.queue
    counter = iter(range(10**9))

    last = len(window.model.columns) - 1

    def slots_only() -> None:  # what the persistence's slots add to one keystroke of a bulk edit of every row
        value = f"typed {next(counter)}"
        for entry in window.model.entries:
            entry.values["source"] = value
        persist._edited("source", value)  # noqa: SLF001
        for row in range(len(window.model.entries)):  # the model's dataChanged, one per row
            persist._changed(window.model.index(row, 0), window.model.index(row, last))  # noqa: SLF001
            persist._notes_later()  # noqa: SLF001

    table.append((f"window: persistence slots in a bulk-edit keystroke on {args.rows} rows",
                  median_ms(slots_only, args.repeat)))

    def flush() -> None:
        slots_only()
        start = time.perf_counter()
        persist.flush()
        flush_times.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        persist.wait()
        writer_times.append((time.perf_counter() - start) * 1000)

    flush_times: list[float] = []
    writer_times: list[float] = []
    for _ in range(args.repeat):
        flush()
    table.append((f"window: flush of {args.rows} edited rows (GUI thread)", statistics.median(flush_times)))
    table.append(("window: the writer thread's part (not on the GUI thread)", statistics.median(writer_times)))

    def restore() -> None:
        window.model.remove_rows(list(range(len(window.model.entries))))
        persist.wait()
        store_rows = persist.store.rows() if persist.store else []
        if not store_rows:
            persist.store.save(rows)  # type: ignore[union-attr]
        start = time.perf_counter()
        persist.restore()
        restore_times.append((time.perf_counter() - start) * 1000)

    restore_times: list[float] = []
    for _ in range(args.repeat):
        restore()
    table.append((f"window: restore {args.rows} rows at start", statistics.median(restore_times)))

    width = max(len(name) for name, _ in table)
    print(f"{'what':<{width}}  median ms")
    for name, ms in table:
        print(f"{name:<{width}}  {ms:9.2f}")
    window.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
