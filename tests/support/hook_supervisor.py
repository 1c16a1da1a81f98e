"""Run ``planet-lake hook --poll`` the way a service manager does (systemd's ``Restart=always``): start it, and
start it again each time it dies, until this supervisor gets SIGTERM (passed on to the hook).

For the crash tests: with ``PLANET_HOOK_CRASH_AT`` set, the hook kills itself with SIGKILL in the middle of each
fresh move (see :mod:`planet_gui.hook.mover`), and every restart must finish what the dead one left. The hook's
modules are imported once here and each hook is a forked child, so a restart costs milliseconds instead of the
interpreter's start-up; the child is a new process that ran nothing before, as after a real restart.

    python -m tests.support.hook_supervisor LOG_FILE [hook arguments...]

Each child's end is appended to ``LOG_FILE.exits`` as one line: ``signal 9`` or ``exit 0``.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import planet_gui.cli  # noqa: F401 - imported once, before any fork
import planet_gui.hook.notify  # noqa: F401
import planet_gui.hook.service  # noqa: F401


def main(argv: list[str]) -> int:
    log_path = Path(argv[0])
    hook_args = ["hook", "--poll", *argv[1:]]
    exits = log_path.with_name(log_path.name + ".exits")
    stopping = False
    child = 0

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True
        if child:
            os.kill(child, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    while not stopping:
        child = os.fork()
        if child == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            os._exit(planet_gui.cli.main(hook_args))
        if stopping:  # SIGTERM came between the fork and knowing the child's pid
            os.kill(child, signal.SIGTERM)
        while True:
            try:
                _, status = os.waitpid(child, 0)
                break
            except InterruptedError:
                continue
        child = 0
        line = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit {os.WEXITSTATUS(status)}"
        with exits.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
