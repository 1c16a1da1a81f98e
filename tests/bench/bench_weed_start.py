"""How long the tests' S3 server (``tests.support.servers.S3Server``) takes until it really stores an object.

    .venv/bin/python tests/bench/bench_weed_start.py [--runs 15] [--restarts 15]

Starts one stand-in identity provider, then ``S3Server.start`` ``--runs`` times in a row (each on a fresh data
folder, stopped before the next), and times each from the call until a first ``put_object`` of a small object
with the admin keys succeeds (a patient client: 30 s read time-out, its write waits as long as weed makes it):
``ready`` is when ``start`` returned, ``first write`` the whole time to a stored object, ``restarts`` how many
stalled starts the readiness rule restarted. Then one server is killed and ``restart``-ed ``--restarts`` times
on its ports and data (as the fault tests do), timed from ``restart`` to its first write. Before the readiness
rule, ``start`` returned as soon as the buckets listed, and in some starts (weed's master/volume-server race,
see ``planet_gui.sandbox.s3``) the first write then waited 5-23 s. Prints the distribution (median, 90th
percentile, worst) and the load average. Not a pytest module; run the same script from an older checkout to
compare.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.servers import OidcServer, S3Server  # noqa: E402


def first_write(server: S3Server, began: float) -> tuple[float, float, int]:
    """(ready, first write) seconds since ``began``, and the restarts so far."""
    import urllib3
    from minio import Minio

    ready = time.monotonic() - began
    pool = urllib3.PoolManager(timeout=urllib3.Timeout(connect=2.0, read=30.0), retries=urllib3.Retry(total=0))
    client = Minio(server.endpoint, access_key=server.admin_access_key, secret_key=server.admin_secret_key,
                   secure=False, region="us-east-1", http_client=pool)
    body = b"first object\n"
    client.put_object("raw", "bench/first", io.BytesIO(body), len(body))
    return ready, time.monotonic() - began, int(getattr(server, "stalled_starts", 0))


def fresh_starts(folder: Path, issuer: str, runs: int) -> list[tuple[float, float, int]]:
    """``S3Server.start`` on a new data folder and new ports each time."""
    rows = []
    for n in range(runs):
        began = time.monotonic()
        server = S3Server.start(folder / f"s3-{n}", oidc_issuer=issuer)
        try:
            rows.append(first_write(server, began))
        finally:
            server.kill()
            server.stop()
    return rows


def restarts(folder: Path, issuer: str, runs: int) -> list[tuple[float, float, int]]:
    """One server killed (SIGKILL, as the fault tests do) and ``restart``-ed on its ports and data each time."""
    rows = []
    server = S3Server.start(folder / "s3-restarted", oidc_issuer=issuer)
    try:
        for _ in range(runs):
            before = int(getattr(server, "stalled_starts", 0))
            server.kill()
            began = time.monotonic()
            server.restart()
            ready, written, total = first_write(server, began)
            rows.append((ready, written, total - before))
    finally:
        server.kill()
        server.stop()
    return rows


def report(title: str, rows: list[tuple[float, float, int]]) -> None:
    print(f"{title}: {'run':>3} {'ready s':>8} {'first write s':>14} {'restarts':>8}")
    for n, (ready, written, restarted) in enumerate(rows, 1):
        print(f"{'':{len(title)}}  {n:>3} {ready:8.2f} {written:14.2f} {restarted:8d}")
    writes = sorted(w for _, w, _ in rows)
    p90 = writes[min(len(writes) - 1, int(round(0.9 * (len(writes) - 1))))]
    print(f"{title} first write: median {statistics.median(writes):.2f} s, p90 {p90:.2f} s, worst {writes[-1]:.2f} s,"
          f" mean {statistics.fmean(writes):.2f} s; over 4 s: {sum(w > 4 for w in writes)} of {len(writes)};"
          f" restarts {sum(r for *_, r in rows)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="fresh starts")
    parser.add_argument("--restarts", type=int, default=15, help="kills and restarts of one server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-weed-") as tmp:
        oidc = OidcServer.start(Path(tmp) / "oidc")
        try:
            fresh = fresh_starts(Path(tmp), oidc.issuer, args.runs) if args.runs else []
            again = restarts(Path(tmp), oidc.issuer, args.restarts) if args.restarts else []
        finally:
            oidc.stop()
    print(f"checkout {ROOT}; load {'/'.join(f'{x:.1f}' for x in os.getloadavg())}")
    if fresh:
        report("fresh start", fresh)
    if again:
        report("kill+restart", again)
    return 0


if __name__ == "__main__":
    sys.exit(main())
