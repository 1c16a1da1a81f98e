"""Added files are read in child processes (their pure-Python parsing no longer holds the GIL the window paints
with, tests/bench/bench_gui.py "adding 1,000 files"): what the child read reaches the row (values, warnings,
a failure's title and message), and the children end with the window."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

from planet_gui.qt import files_model as fm
from planet_gui.qt.main_window import MainWindow


def test_files_are_read_in_children_that_end_with_the_window(qtbot, offline_window: MainWindow,  # noqa: ANN001
                                                             tmp_path: Path) -> None:
    table = tmp_path / "casi.csv"
    table.write_text("data,regione,casi\n" + "".join(f"2024-02-{d:02d},Marche,{d}\n" for d in range(1, 29)),
                     encoding="utf-8")
    disguised = tmp_path / "really-json.csv"
    disguised.write_text(json.dumps([{"a": 1, "b": 2}] * 5), encoding="utf-8")
    before = set(multiprocessing.active_children())
    offline_window.add_paths([table, disguised])
    qtbot.waitUntil(lambda: offline_window.model.rowCount() == 2 and
                    all(e.state != fm.INSPECTING for e in offline_window.model.entries), timeout=30_000)
    rows = {e.path.name: e for e in offline_window.model.entries}
    assert rows["casi.csv"].state in (fm.READY, fm.INVALID), rows["casi.csv"].message
    assert rows["casi.csv"].preview is not None and rows["casi.csv"].details.get("detected") == "csv"
    assert any("named .csv but holds JSON" in w for w in rows["really-json.csv"].warnings)
    children = [p for p in multiprocessing.active_children() if p not in before]
    assert children and all(p.pid != os.getpid() for p in children)  # read outside the window's process
    offline_window.close()
    qtbot.waitUntil(lambda: not any(p.is_alive() for p in children), timeout=15_000)
