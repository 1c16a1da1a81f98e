"""How the window keeps up with batches of hundreds and with big uploads. Prints a table with PASS/FAIL per target.

    .venv/bin/python tests/bench/bench_gui.py                 # everything (starts SeaweedFS and the OIDC stand-in)
    .venv/bin/python tests/bench/bench_gui.py --skip-upload   # no servers: keystroke, adding files, cold start
    .venv/bin/python tests/bench/bench_gui.py --size-mib 256  # a smaller "big" upload

1. **bulk-edit keystroke**: 1,000 rows selected, a word typed into Source; each keystroke timed from the key
   press until the event loop is idle again (the table repainted). Also one keystroke that changes every row's
   state (emptying a required field). Target: median ≤ 16 ms (one frame).
2. **adding 1,000 files**: a folder of 1,000 small CSVs added; a 10 ms heartbeat timer records every gap in the
   event loop until all are inspected. Target: every gap ≤ 50 ms.
3. **1 GiB upload with 50 inspections queued** (real servers, a real login): the heartbeat's gaps from the
   submit until the upload is confirmed. Targets: p99 ≤ 50 ms, max ≤ 100 ms.
4. **cold start to first paint**: a new process runs the app's entry point (``planet_gui.qt.app.main``) on the
   example profile; the time from starting the process to the window's first paint event. Target: median of
   7 ≤ 0.6 s.

Runs offscreen unless ``QT_QPA_PLATFORM`` says otherwise. Timings depend on what else runs on the machine: on the
shared 2-core development machine, run it when it is otherwise idle. Not a pytest module.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

# Qt and the app are imported in the functions, not here: the window's file readers are child processes, and each
# child imports the parent's main module (this file) before it reads anything. The app's own main module
# (planet_gui/gui_main.py) imports nothing heavy; with Qt at the top of this file every child imported PySide6, at
# the window's priority, while the benchmark timed the window.

VALID = {"category": "Other", "source": "Benchmark", "area": "Italia", "frequency": "none", "format": "other",
         "personal_data": False}
MiB = 1024 * 1024

Row = tuple[str, str, str, bool | None]  # what, measured, target, passed (None: for information)


class Heartbeat:
    """A timer every 10 ms; the gaps between its ticks are how long the event loop was busy elsewhere.

    Also the UI thread's own CPU time between two ticks (``cpu``): on a loaded machine a gap is mostly the thread
    waiting for a core (or for the GIL), which no change to the window can remove; the CPU the window spent in
    one go is what it did itself."""

    def __init__(self, interval_ms: int = 10) -> None:
        from PySide6.QtCore import QElapsedTimer, QTimer

        self.gaps: list[float] = []
        self.cpu: list[float] = []
        self.clock = QElapsedTimer()
        self.timer = QTimer(interval=interval_ms, timeout=self._tick)
        self._cpu_at = 0.0

    def start(self) -> None:
        self.gaps.clear()
        self.cpu.clear()
        self._cpu_at = time.thread_time()
        self.clock.start()
        self.timer.start()

    def _tick(self) -> None:
        self.gaps.append(self.clock.nsecsElapsed() / 1e6)
        self.clock.restart()
        now = time.thread_time()
        self.cpu.append((now - self._cpu_at) * 1000)
        self._cpu_at = now

    def stop(self) -> list[float]:
        self.timer.stop()
        return self.gaps


def wait(app: QApplication, condition: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the benchmark waited too long")
        app.processEvents()
        time.sleep(0.001)


def offline_window() -> Any:
    from keyring.backends import fail

    from planet_gui.core.auth.token_store import TokenStore
    from planet_gui.core.profile import load_profile
    from planet_gui.core.resources import resource_path
    from planet_gui.core.session import Session
    from planet_gui.qt.main_window import MainWindow

    session = Session(load_profile(resource_path("profiles", "local-test.toml")),
                      token_store=TokenStore("bench", backend=fail.Keyring()))
    window = MainWindow(session)
    window.resize(1400, 900)
    window.show()
    settle(window)
    return window


#: the longest event-loop gap of each window's start (its warm-up, after the first paint), for the table
WARM_UP_GAPS: list[float] = []


def settle(window: Any) -> None:
    """What the app does once its window has painted (``planet_gui.qt.app``): full garbage collections left to
    the quiet moments, the plot's libraries loaded and the file readers' processes started ahead. A user adds
    files to a window that is up; the gaps of this start are not the adding's, and are reported on a line of
    their own."""
    from PySide6.QtWidgets import QApplication

    from planet_gui.qt.pauses import keep_pauses_short

    app = QApplication.instance()
    beat = Heartbeat()
    beat.start()
    keep_pauses_short(window)
    window.preview.warm_up()
    window.inspections.warm_up()
    wait(app, lambda: window.preview.warmed and window.inspections.warmed, 60)
    WARM_UP_GAPS.append(max(beat.stop(), default=0.0))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def bench_keystroke(app: QApplication, workdir: Path) -> list[Row]:
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit

    from planet_gui.qt import files_model as fm

    window = offline_window()
    entries = window.model.add_many([workdir / f"edit-{i:04d}.csv" for i in range(1000)])
    for entry in entries:
        entry.values = dict(VALID)
        window._revalidate(entry)
    window.drop_hint.hide()
    window.select_rows(list(range(1000)))
    source = window.form.findChild(QLineEdit, "field_source")
    source.setFocus()
    app.processEvents()
    times = []
    for char in "Protezione Civile regionale":
        started = time.perf_counter()
        QTest.keyClick(source, char)
        app.processEvents()
        times.append((time.perf_counter() - started) * 1000)
    assert {e.values["source"] for e in entries} == {"BenchmarkProtezione Civile regionale"}
    area = window.form.findChild(QLineEdit, "field_area")
    area.selectAll()
    started = time.perf_counter()
    QTest.keyClick(area, "\b")
    app.processEvents()
    state_change = (time.perf_counter() - started) * 1000
    assert all(e.state == fm.INVALID for e in entries)
    window.close()
    median = statistics.median(times)
    return [("bulk-edit keystroke, 1,000 rows selected (median)", f"{median:.1f} ms", "≤ 16 ms", median <= 16),
            ("  same, slowest of 27", f"{max(times):.1f} ms", "", None),
            ("  a keystroke changing every row's state", f"{state_change:.1f} ms", "", None)]


def bench_adding(app: QApplication, workdir: Path, count: int = 1000) -> list[Row]:
    from planet_gui.qt import files_model as fm

    folder = workdir / "thousand"
    folder.mkdir(exist_ok=True)
    for i in range(count):
        (folder / f"consegna-{i:04d}.csv").write_text(
            "data,regione,casi\n" + "".join(f"2024-02-{d:02d},Marche,{i * d}\n" for d in range(1, 2 + i % 25)),
            encoding="utf-8")
    window = offline_window()
    beat = Heartbeat()
    beat.start()
    started = time.monotonic()
    window.add_paths([folder])
    wait(app, lambda: window.model.rowCount() == count and
         all(e.state != fm.INSPECTING for e in window.model.entries), 600)
    took = time.monotonic() - started
    gaps = beat.stop()
    window.close()
    worst = max(gaps)
    return [("adding 1,000 files: longest event-loop gap", f"{worst:.1f} ms", "≤ 50 ms", worst <= 50),
            ("  p99 gap / all inspected after", f"{percentile(gaps, 0.99):.1f} ms / {took:.1f} s", "", None),
            ("  most UI-thread CPU between two beats / in all", f"{max(beat.cpu):.1f} ms / {sum(beat.cpu):.0f} ms",
             "", None)]


def bench_upload(app: QApplication, workdir: Path, size_mib: int) -> list[Row]:
    from planet_gui.qt import files_model as fm
    from planet_gui.qt.main_window import MainWindow
    from tests.conftest import write_profile
    from tests.support.login import logged_in, memory_session
    from tests.support.servers import OidcServer, S3Server
    from tests.support.uploads import make_file

    oidc = OidcServer.start(workdir / "oidc")
    try:
        s3 = S3Server.start(workdir / "s3", oidc_issuer=oidc.issuer)
        try:
            profile = write_profile(workdir / "bench-lake.toml", oidc, s3)
            alice = logged_in(profile)
            session = memory_session(profile, workdir / "journal.sqlite3", login_of=alice)
            window = MainWindow(session)
            window.resize(1400, 900)
            window.show()
            settle(window)
            window.restore_login()
            wait(app, lambda: window.identity is not None, 60)
            big = make_file(workdir / "big.bin", size_mib * MiB)
            small = workdir / "fifty"
            small.mkdir(exist_ok=True)
            for i in range(50):
                (small / f"campione-{i:02d}.csv").write_text(
                    "data,valore\n" + "".join(f"2024-03-{d:02d},{d * i}\n" for d in range(1, 29)), encoding="utf-8")
            entry, = window.model.add_many([big])
            entry.values = {**VALID, "source": f"Bench {time.time():.0f}"}
            entry.state = fm.READY
            beat = Heartbeat()
            beat.start()
            started = time.monotonic()
            window._confirmed([entry])
            window.add_paths([small])
            wait(app, lambda: entry.state != fm.UPLOADING, 1800)
            took = time.monotonic() - started
            gaps = beat.stop()
            cpu = list(beat.cpu)
            assert entry.state == fm.PENDING, (entry.state, entry.message)
            window.close()
        finally:
            s3.stop()
    finally:
        oidc.stop()
    p99, worst = percentile(gaps, 0.99), max(gaps)
    what = f"{size_mib / 1024:.0f} GiB" if size_mib >= 1024 else f"{size_mib} MiB"
    return [(f"{what} upload + 50 inspections: p99 gap", f"{p99:.1f} ms", "≤ 50 ms", p99 <= 50),
            ("  longest gap", f"{worst:.1f} ms", "≤ 100 ms", worst <= 100),
            ("  most UI-thread CPU between two beats", f"{max(cpu):.1f} ms", "", None),
            ("  upload took", f"{took:.1f} s ({size_mib / took:.0f} MiB/s)", "", None)]


CHILD = """
import os, sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            print(time.monotonic(), time.process_time(), flush=True)
            os._exit(0)
        return False

exec_ = QApplication.exec
def exec_with_probe(self=None):
    app = QApplication.instance()
    probe = FirstPaint(app)
    app.installEventFilter(probe)
    return exec_()
QApplication.exec = exec_with_probe

from planet_gui.qt.app import main
sys.exit(main(["--lang", "en"]))
"""


def bench_cold_start(runs: int = 7) -> list[Row]:
    """One throw-away home for all runs, warmed by a first run that is not counted: fontconfig builds its cache in
    a new home, and Python compiles the modules (kept under the home, as an installed program has them)."""
    times, cpu = [], []
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "HOME": home, "XDG_CONFIG_HOME": f"{home}/.config", "XDG_CACHE_HOME": f"{home}/.cache",
               "XDG_DATA_HOME": f"{home}/.local/share", "PYTHONPATH": str(ROOT),
               "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", "PYTHONPYCACHEPREFIX": f"{home}/pycache"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for run in range(runs + 1):
            started = time.monotonic()
            done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, env=env,
                                  timeout=120, cwd=ROOT)
            if done.returncode != 0 or not done.stdout.strip():
                raise RuntimeError(done.stderr[-2000:])
            if run:
                painted, used = map(float, done.stdout.strip().splitlines()[-1].split())
                times.append(painted - started)
                cpu.append(used)
    median = statistics.median(times)
    return [(f"cold start to first paint (median of {runs})", f"{median:.2f} s", "≤ 0.6 s", median <= 0.6),
            ("  fastest / slowest", f"{min(times):.2f} s / {max(times):.2f} s", "", None),
            ("  CPU time to first paint (median; what a busy machine cannot inflate)",
             f"{statistics.median(cpu):.2f} s", "", None)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-upload", action="store_true", help="no servers: skip the big upload")
    parser.add_argument("--size-mib", type=int, default=1024, help="size of the big upload (default 1 GiB)")
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="planet-bench-gui-") as tmp:
        workdir = Path(tmp)
        rows += bench_keystroke(app, workdir)
        rows += bench_adding(app, workdir)
        if not args.skip_upload:
            rows += bench_upload(app, workdir, args.size_mib)
        rows += bench_cold_start()
    rows.append(("  longest gap while a window settled (warm-up after first paint)",
                 f"{max(WARM_UP_GAPS):.1f} ms", "", None))
    width = max(len(r[0]) for r in rows)
    print(f"\n{'what':<{width}}  {'measured':>22}  {'target':>9}  result")
    for what, measured, target, passed in rows:
        verdict = "" if passed is None else ("PASS" if passed else "FAIL")
        print(f"{what:<{width}}  {measured:>22}  {target:>9}  {verdict}")
    return 0 if all(r[3] is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
