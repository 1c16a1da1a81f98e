"""``python -m planet_gui.sandbox.hook_start --start-when FILE HOOK-ARGS...``: the sandbox's validation hook, started
together with its S3 server, and run once the sandbox has seen that server store an object.

The hook publishes the lake's schema as its first act. Started at the same moment as ``weed mini``, it met a
refused connection and urllib3's exponential back-off (0.5, 1, 2 s... retries of the hook's pool), or a server
that answers but cannot store anything yet (see :func:`planet_gui.sandbox.s3.volume_server_registered`), so it was
sometimes ready many seconds after the S3 server (6.8 s, then 21 s, against a target of 5 s). Waiting for the
server in the hook's own code would change the hook for every lake; here, only the sandbox's start waits: the
hook's modules are imported while ``weed`` starts (the two overlap instead of following each other), then this
waits, looking every :data:`POLL` s, for FILE, which the sandbox writes once a write to the S3 server went through
(:meth:`planet_gui.sandbox.lake.Sandbox._s3_answers`, which restarts a server that lost weed's start-up race), then
``planet-lake hook HOOK-ARGS`` runs in this same process with the hook's own settings (``ENDPOINT``,
``ACCESSKEYID``, ``SECRETACCESSKEY``).
"""

from __future__ import annotations

import runpy
import sys
import time
from pathlib import Path

#: seconds between two looks for the go-ahead file: the hook starts within this much of the S3 server's readiness
POLL = 0.05
#: how long to wait for the go-ahead before giving up (the sandbox's own start gives up after 60 s too)
PATIENCE = 60.0


def warm_up() -> None:
    """Import what ``planet-lake hook`` imports, while the S3 server is still starting (``planet_gui.cli`` itself,
    which imports the sandbox, is left to :func:`main`'s ``runpy``: some 30 ms once these are loaded)."""
    import planet_gui.core.schema  # noqa: F401 - imported for the module cache
    import planet_gui.core.storage  # noqa: F401
    import planet_gui.hook.checks  # noqa: F401
    import planet_gui.hook.main  # noqa: F401
    import planet_gui.hook.service  # noqa: F401
    import planet_gui.hook.sources  # noqa: F401


def wait_for(flag: Path, patience: float = PATIENCE) -> bool:
    """True once ``flag`` exists; False after ``patience`` s without."""
    deadline = time.monotonic() + patience
    while not flag.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(POLL)
    return True


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "--start-when":
        print("usage: python -m planet_gui.sandbox.hook_start --start-when FILE HOOK-ARGS...", file=sys.stderr)
        return 2
    flag, argv = Path(argv[1]), argv[2:]
    warm_up()
    if not wait_for(flag):
        print(f"sandbox hook: the S3 server was not ready within {PATIENCE:.0f} s ({flag} never came)",
              file=sys.stderr)
        return 1
    sys.argv = ["planet-lake", "hook", *argv]
    runpy.run_module("planet_gui.cli", run_name="__main__", alter_sys=True)  # its main() exits with its status
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
