"""``python -m planet_gui.sandbox.hook_start HOOK-ARGS...``: the sandbox's validation hook, started together with
its S3 server and run once that server answers.

The hook publishes the lake's schema as its first act. Started at the same moment as ``weed mini``, it met a
refused connection and urllib3's exponential back-off (0.5, 1, 2 s... retries of the hook's pool), so it was
sometimes ready seconds after the S3 server was (6.8 s, then 21 s, against a target of 5 s). Waiting for the
server in the hook's own code would change the hook for every lake; here, only the sandbox's start waits: the
hook's modules are imported while ``weed`` starts (the two overlap instead of following each other), then the
server is polled every :data:`POLL` s with no retries and short time-outs, then ``planet-lake hook HOOK-ARGS`` runs
in this same process. The settings are the hook's own (``ENDPOINT``, ``ACCESSKEYID``, ``SECRETACCESSKEY``).
"""

from __future__ import annotations

import os
import runpy
import sys
import time

#: seconds between two probes of the S3 server: short, so the hook starts within this much of the server
POLL = 0.05
#: how long to wait for the S3 server before giving up (the sandbox's own start gives up after 60 s too)
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


def wait_for_s3(endpoint: str, access_key: str, secret_key: str, patience: float = PATIENCE) -> bool:
    """True once the server lists its buckets with the admin keys; False after ``patience`` s without."""
    import urllib3
    from minio import Minio

    host = endpoint.split("://", 1)[-1]
    pool = urllib3.PoolManager(timeout=urllib3.Timeout(connect=1.0, read=5.0), retries=urllib3.Retry(total=0))
    client = Minio(host, access_key=access_key, secret_key=secret_key, secure=endpoint.startswith("https://"),
                   region="us-east-1", http_client=pool)
    deadline = time.monotonic() + patience
    while True:
        try:
            client.list_buckets()
            return True
        except Exception:  # noqa: BLE001 - refused, reset, 503 while weed's filer starts: not ready yet
            if time.monotonic() > deadline:
                return False
        time.sleep(POLL)


def main(argv: list[str]) -> int:
    warm_up()
    endpoint = os.environ.get("ENDPOINT", "")
    if not wait_for_s3(endpoint, os.environ.get("ACCESSKEYID", ""), os.environ.get("SECRETACCESSKEY", "")):
        print(f"sandbox hook: the S3 server at {endpoint} did not answer within {PATIENCE:.0f} s", file=sys.stderr)
        return 1
    sys.argv = ["planet-lake", "hook", *argv]
    runpy.run_module("planet_gui.cli", run_name="__main__", alter_sys=True)  # its main() exits with its status
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
