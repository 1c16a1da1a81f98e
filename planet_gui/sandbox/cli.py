"""``planet-lake sandbox start | demo [FILES...] | reset``: the sandbox from the command line.

Registered into ``planet-lake``'s parser by :func:`register`; this module imports nothing heavy until a
sandbox command runs, so ``planet-lake --help`` stays fast.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from typing import Any

PROG = "planet-lake"


def register(sub: Any) -> None:
    """Add the ``sandbox`` command to ``planet-lake``'s subparsers."""
    sb = sub.add_parser("sandbox", help="a lake on this computer, to try everything: start, demo, reset",
                        description="start: run the sandbox lake until Ctrl-C (prints the profile to use with "
                                    "--profile). demo [FILES...]: start it, log in, upload, print each file's "
                                    "verdict, stop. reset: empty it.")
    sb.add_argument("action", choices=["start", "demo", "reset"])
    sb.add_argument("files", nargs="*", help="demo: files or folders to upload (default: a small sample CSV)")
    sb.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from planet_gui.core.errors import PlanetError
    from planet_gui.sandbox.procs import StartError

    if args.files and args.action != "demo":
        raise PlanetError(f"Only `{PROG} sandbox demo` takes files.", title="Usage")
    try:
        return {"start": _start, "demo": _demo, "reset": _reset}[args.action](args)
    except StartError as exc:
        raise PlanetError(str(exc), title="Sandbox not started") from exc


def _say(text: str) -> None:
    print(text, flush=True)


def _start(args: argparse.Namespace) -> int:
    from planet_gui.sandbox.lake import Sandbox

    lake = Sandbox()
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    profile = lake.start()
    try:
        _say(f"sandbox ready in {lake.timings['ready']:.1f} s: S3 at {lake.s3_endpoint}, identity provider at "
             f"{lake.issuer}, validation hook running")
        _say(f"profile: {profile}")
        _say(f"use it with: {PROG} --profile sandbox login   (or planet-gui --sandbox); Ctrl-C stops the sandbox")
        while not stop.wait(1.0):
            dead = [child.name for child in lake.children.values() if not child.running()]
            if dead:
                print(f"{PROG}: the sandbox's {', '.join(dead)} stopped; see {lake.paths.logs}", file=sys.stderr)
                return 1
    finally:
        lake.stop()
        _say("sandbox stopped")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from planet_gui.core.errors import PlanetError
    from planet_gui.core.listing import expand_paths
    from planet_gui.sandbox.demo import run_demo

    files: list[Path] = []
    for name in args.files:
        found = expand_paths([Path(name)])
        if not found:
            raise PlanetError(f"{name}: no such file, or a folder with no files in it.", title="Usage")
        files.extend(found)
    verdicts = run_demo(files, say=_say)
    return 0 if all(v.state in ("validated", "triage") for v in verdicts) else 1


def _reset(args: argparse.Namespace) -> int:
    from planet_gui.sandbox.lake import Sandbox

    lake = Sandbox()
    if lake.paths.root.exists():
        lake._take_lock()  # refuses while a sandbox runs
    lake.paths.reset()
    _say(f"sandbox emptied: {lake.paths.root} and its profile are gone; the next start makes a new one")
    return 0
