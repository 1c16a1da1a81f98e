"""How fast the sandbox lake starts, and how fast `bash scripts/run-app.sh` shows its window the second time.

    .venv/bin/python tests/bench/bench_sandbox.py [--runs 5] [--window-runs 3] [--venv DIR] [--no-window]

1. Sandbox ready: ``Sandbox.start()`` in a throw-away HOME, each run in a child process (cold imports, as at an
   app's start), from the call until all three servers answer (the identity provider's discovery, the S3 server
   listing its buckets with the admin keys, the hook's "ready" line), per server (polled together, so each time is
   that server's own) and overall; then the time ``stop()`` takes, the CPU seconds of the run (the child and the
   three servers it reaped) and the load average after it. Run 1 is a first start (keys made, empty data); later
   runs start on the data of run 1, as the app's next start does. Target: ready <= 5 s, worst run.
2. Second run-app.sh to a visible window: the real ``scripts/run-app.sh`` under Xvfb (started here when there is no
   DISPLAY), with no profile of the user's own (so it opens the sandbox), from launch until the main window is
   mapped (``xwininfo``: IsViewable), until it is painted (a grab of the window shows its widgets, not one flat
   colour), and until its sandbox answers (for information: the window does not wait for it). Its install check
   runs for real: a throw-away venv folder links the ``--venv``'s Python and site-packages, holds a ``planet-gui``
   launcher that runs this checkout, and the stamp that run-app.sh's own ``install_fingerprint`` computes for it;
   the bench checks that ``install_is_current`` holds and that no timed run installed. The first launch warms the
   caches and makes the sandbox; the next ``--window-runs`` are timed.
   Target: painted <= 3 s, worst run.

Prints tables with PASS/FAIL per target; the exit status is 1 when a target fails. Not a pytest module.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

READY_TARGET = 5.0
WINDOW_TARGET = 3.0
RUN_APP = ROOT / "scripts" / "run-app.sh"


def isolated_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PLANET_"))}
    env.update(HOME=str(home), PYTHONPATH=str(ROOT))
    return env


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_ready(runs: int) -> list[dict[str, Any]]:
    """Each run in a child process, so imports are as cold as at an app's start."""
    code = """
import json, sys, time
from planet_gui.sandbox.lake import Sandbox
lake = Sandbox()
lake.start()
began = time.monotonic()
lake.stop()
print(json.dumps({**lake.timings, "stop": time.monotonic() - began}))
"""
    rows = []
    with tempfile.TemporaryDirectory(prefix="planet-bench-sandbox-") as home:
        for _ in range(runs):
            cpu = _cpu_of_children()
            out = subprocess.run([sys.executable, "-c", code], env=isolated_env(Path(home)), capture_output=True,
                                 text=True, timeout=180, check=True, cwd=ROOT)
            row: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
            row.update(cpu=_cpu_of_children() - cpu, load=_load())
            rows.append(row)
    return rows


class _Screen:
    """Finds the app's main window on the X display and tells whether it is mapped, and painted."""

    def __init__(self, display: str) -> None:
        self.env = {**os.environ, "DISPLAY": display}
        os.environ.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
        from PySide6.QtGui import QGuiApplication

        self.app = QGuiApplication.instance() or QGuiApplication(["bench"])

    def main_window(self) -> str | None:
        """The id of a viewable top-level window titled "PLANET Uploader…" and bigger than Qt's 1x1 leader window
        (which bears the application's name too)."""
        tree = subprocess.run(["xwininfo", "-root", "-tree"], env=self.env, capture_output=True, text=True).stdout
        for match in re.finditer(r"^\s*(0x[0-9a-f]+) \"(PLANET Uploader[^\"]*)\".*?(\d+)x(\d+)[+-]", tree,
                                 re.MULTILINE):
            if int(match.group(3)) >= 200 and int(match.group(4)) >= 200:
                info = subprocess.run(["xwininfo", "-id", match.group(1)], env=self.env, capture_output=True,
                                      text=True)
                if "IsViewable" in info.stdout:
                    return match.group(1)
        return None

    def painted(self, window: str) -> bool:
        """Its pixels show widgets: a window mapped but not painted yet is one flat colour."""
        from PySide6.QtGui import QGuiApplication

        screen = QGuiApplication.primaryScreen()
        image = screen.grabWindow(int(window, 16)).toImage().scaled(64, 40)
        colours = {image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}
        return len(colours) >= 16


def _scratch_venv(scratch: Path, python: Path) -> Path:
    """A venv folder run-app.sh finds up to date: the real one's Python and site-packages, a launcher of this
    checkout, and the stamp of run-app.sh's own fingerprint (then checked with its own ``install_is_current``)."""
    real = python.parent.parent
    venv = scratch / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(python)
    (venv / "lib").symlink_to(real / "lib" if (real / "lib").is_dir() else Path(sys.prefix) / "lib")
    launcher = venv / "bin" / "planet-gui"
    launcher.write_text(f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{python}" -m planet_gui.qt.app "$@"\n')
    launcher.chmod(0o755)
    env = {**os.environ, "PLANET_VENV": str(venv)}
    stamp = subprocess.run(["bash", "-c", f'source "{RUN_APP}" && install_fingerprint'], env=env,
                           capture_output=True, text=True, check=True).stdout
    (venv / ".planet-install-stamp").write_text(stamp)
    if subprocess.run(["bash", "-c", f'source "{RUN_APP}" && install_is_current'], env=env).returncode != 0:
        raise RuntimeError(f"run-app.sh does not find {venv} up to date: a timed run would install (is PySide6 in "
                           f"{real}'s site-packages?)")
    return venv


def _sandbox_state(home: Path) -> Path:
    return home / ".local" / "share" / "planet-uploader" / "sandbox" / "state.json"


def _gone(pids: list[int], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    for pid in pids:
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.05)


def _launch(screen: _Screen, home: Path, venv: Path, display: str) -> dict[str, float]:
    """One run-app.sh: the times to a mapped and to a painted main window, then to its sandbox answering (the
    state file it writes when all three servers answer); it is stopped then, and its servers waited for."""
    env = {**isolated_env(home), "DISPLAY": display, "PLANET_VENV": str(venv), "QT_QPA_PLATFORM": "xcb"}
    env.pop("PYTHONPATH")
    log = home / "run-app.log"
    mark = log.stat().st_size if log.exists() else 0
    state = _sandbox_state(home)
    times: dict[str, float] = {}
    with log.open("ab") as output:
        began, wall = time.monotonic(), time.time()
        app = subprocess.Popen(["bash", str(RUN_APP)], env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        while "sandbox" not in times:
            if "painted" not in times:
                window = screen.main_window()
                if window is not None:
                    times.setdefault("mapped", time.monotonic() - began)
                    if screen.painted(window):
                        times["painted"] = time.monotonic() - began
            if state.exists() and state.stat().st_mtime >= wall:
                times.setdefault("sandbox", time.monotonic() - began)
            if app.poll() is not None or time.monotonic() - began > 60:
                raise RuntimeError(f"the app exited, or showed no window or no sandbox within 60 s:\n"
                                   f"{log.read_text()[-3000:]}")
            time.sleep(0.02)
    finally:
        if app.poll() is None:
            os.killpg(app.pid, signal.SIGTERM)  # the sandbox's servers die with it (PR_SET_PDEATHSIG)
        _, _, usage = os.wait4(app.pid, 0)
        times["cpu"] = usage.ru_utime + usage.ru_stime
        try:
            _gone(list(json.loads(state.read_text())["pids"].values()), 10)
        except (OSError, ValueError, KeyError):
            pass
    with log.open("rb") as handle:
        handle.seek(mark)
        if b"==> Installing" in handle.read():
            raise RuntimeError("run-app.sh installed during a timed run: not a second run")
    times["load"] = os.getloadavg()[0]
    return times


def bench_window(python: Path, runs: int) -> list[dict[str, float]]:
    display = os.environ.get("DISPLAY")
    xvfb = None
    if not display:
        display = ":97"
        xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while subprocess.run(["xwininfo", "-root"], env={**os.environ, "DISPLAY": display},
                             capture_output=True).returncode != 0:
            if time.monotonic() > deadline:
                raise RuntimeError("Xvfb did not start")
            time.sleep(0.05)
    try:
        screen = _Screen(display)
        with tempfile.TemporaryDirectory(prefix="planet-bench-window-") as scratch:
            home = Path(scratch) / "home"
            home.mkdir()
            venv = _scratch_venv(Path(scratch), python)
            _launch(screen, home, venv, display)  # the first run: caches, and the sandbox's data and keys
            return [_launch(screen, home, venv, display) for _ in range(runs)]
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="sandbox starts to time")
    parser.add_argument("--window-runs", type=int, default=3, help="second run-app.sh launches to time")
    parser.add_argument("--venv", type=Path, help="virtualenv whose Python runs the app (default .venv)")
    parser.add_argument("--no-window", action="store_true", help="skip the run-app.sh measurement")
    args = parser.parse_args()
    venv = args.venv or (ROOT / ".venv")
    python = venv / "bin" / "python" if (venv / "bin" / "python").exists() else Path(sys.executable)

    print(f"load average before: {_load()} on {os.cpu_count()} cores "
          "(timings grow with it: run on an otherwise idle machine)\n")
    rows = bench_ready(args.runs)
    print(f"{'sandbox start':16} {'idp':>6} {'s3':>6} {'hook':>6} {'ready':>6} {'stop':>6} {'cpu s':>6}  load after")
    for number, row in enumerate(rows, 1):
        label = "run 1 (first)" if number == 1 else f"run {number}"
        print(f"{label:16} " + " ".join(f"{row[k]:6.2f}" for k in ("idp", "s3", "hook", "ready", "stop", "cpu"))
              + f"  {row['load']}")
    worst = max(row["ready"] for row in rows)
    failed = worst > READY_TARGET
    results = [f"{'sandbox ready, all three answering (worst)':44} {worst:8.2f}s {READY_TARGET:6.1f}s  "
               f"{'PASS' if not failed else 'FAIL'}   (median {statistics.median(r['ready'] for r in rows):.2f} s)"]
    if not args.no_window:
        if shutil.which("xwininfo") is None or (not os.environ.get("DISPLAY") and shutil.which("Xvfb") is None):
            results.append("second run-app.sh to a visible window: skipped (needs Xvfb and xwininfo)")
        else:
            launches = bench_window(python, args.window_runs)
            print(f"\n{'second run-app.sh':16} {'mapped':>7} {'painted':>7} {'sandbox':>7} {'cpu s':>6}  load 1 min")
            for number, times in enumerate(launches, 1):
                print(f"{f'run {number}':16} " + " ".join(f"{times[k]:7.2f}" for k in ("mapped", "painted", "sandbox"))
                      + f" {times['cpu']:6.2f}  {times['load']:.1f}")
            shown = max(times["painted"] for times in launches)
            late = shown > WINDOW_TARGET
            failed = failed or late
            results.append(f"{'second run-app.sh to a painted window (worst)':44} {shown:8.2f}s "
                           f"{WINDOW_TARGET:6.1f}s  {'PASS' if not late else 'FAIL'}")
    print(f"\n{'target':44} {'measured':>9} {'target':>7}  result")
    print("\n".join(results))
    print(f"\nload average after: {_load()}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
