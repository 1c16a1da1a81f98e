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


KILLED_PARENT = """
import multiprocessing, os, sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from planet_gui.core import inspect_child
if __name__ == "__main__":
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["planet_gui.core.inspect_child"])
    pool = ProcessPoolExecutor(2, mp_context=context, initializer=inspect_child.start, initargs=("en",))
    assert pool.submit(inspect_child.read, Path(sys.argv[1])).result()[0] is not None
    print(*[p.pid for p in multiprocessing.active_children()], flush=True)
    os.kill(os.getpid(), 9)
"""


def test_children_end_when_the_window_is_killed(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    """A window killed with -9 sends its children no stop: they end once their parent is gone (before, they and
    their forkserver waited for work forever)."""
    import subprocess
    import sys

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return
    table = tmp_path / "casi.csv"
    table.write_text("data,casi\n2024-01-01,1\n", encoding="utf-8")
    script = tmp_path / "killed_parent.py"
    script.write_text(KILLED_PARENT, encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, str(script), str(table)], capture_output=True, text=True, timeout=60,
                          cwd=root, env={**os.environ, "PYTHONPATH": str(root)})
    assert done.returncode == -9, done.stderr
    children = [int(pid) for pid in done.stdout.split()]
    assert children

    def gone(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return Path(f"/proc/{pid}/stat").is_file() and Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"

    qtbot.waitUntil(lambda: all(gone(pid) for pid in children), timeout=15_000)


def test_warm_up_starts_the_children_before_the_first_file(qtbot, offline_window: MainWindow,  # noqa: ANN001
                                                           tmp_path: Path) -> None:
    """The app starts the readers' processes once its window has painted (``planet_gui.qt.app``): the first files
    added find them up, and the window's process did the pool's imports and the forkserver's launch while idle."""
    before = set(multiprocessing.active_children())
    inspections = offline_window.inspections
    inspections.warm_up()
    qtbot.waitUntil(lambda: inspections.warmed, timeout=30_000)
    children = [p for p in multiprocessing.active_children() if p not in before]
    assert len(children) == 2 and all(p.is_alive() for p in children)
    table = tmp_path / "casi.csv"
    table.write_text("data,casi\n2024-01-01,1\n2024-01-02,2\n", encoding="utf-8")
    offline_window.add_paths([table])
    qtbot.waitUntil(lambda: offline_window.model.rowCount() == 1 and
                    offline_window.model.entries[0].state != fm.INSPECTING, timeout=30_000)
    assert offline_window.model.entries[0].details.get("detected") == "csv"
    assert set(multiprocessing.active_children()) - before == set(children)  # the same children read it
    offline_window.close()
    qtbot.waitUntil(lambda: not any(p.is_alive() for p in children), timeout=15_000)
