"""Where the engine's time goes on one big file, next to the SDK's: start, setup, data, finish.

    .venv/bin/python tests/bench/bench_phases.py [--rounds 6] [--size-mib 1024] [--workdir DIR]

``bench_upload.py`` compares whole uploads, and on one 1 GiB file its rounds spread by ±10 %, more than the
difference it looks for. This script splits each upload of the engine and of ``fput_object`` into phases from
the times of its HTTP requests (the children of ``bench_upload.py``, run with ``--phases``):

* **start**: from the parent starting the process to its first request (interpreter, imports, setup);
* **setup**: first request to the first request that carries file data (the engine's conflict checks and
  journal, both tools' CreateMultipartUpload, reading the first part);
* **data**: from the first data request's start to the last one's end (the parts; what the server's speed sets);
* **finish**: from there to the process's exit (Complete; the engine's content check, seal and verification);

and prints, per tool, the median of each phase, the client's and the server's CPU seconds (``wait4``,
``/proc/<pid>/stat``), and the engine's ratio to the SDK per phase. The two tools run back to back, the order
alternating, so they see the server in the same state (it slows down as its volumes fill). Not a pytest module.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_checksum import server_cpu  # noqa: E402
from bench_upload import Bench, MiB, make_file, warm  # noqa: E402

PHASES = ("start", "setup", "data", "finish")
DATA_REQUEST = MiB  # requests carrying at least this many bytes are parts


def phases(record: dict[str, object], wall: float) -> dict[str, float]:
    requests = record["requests"]
    assert isinstance(requests, list) and requests, "the child made no request"
    data = [r for r in requests if r[2] >= DATA_REQUEST]
    first = min(r[0] for r in requests)
    first_data = min(r[0] for r in data)
    last_data = max(r[1] for r in data)
    return {"start": first, "setup": first_data - first, "data": last_data - first_data,
            "finish": wall - last_data}


def upload(bench: Bench, server_pid: int, tool: str, path: Path, tuning: list[str]) -> dict[str, float]:
    bench.round += 1
    prefix = f"bench/{tool}/{bench.round}"
    timings = bench.workdir / "phases.json"
    env = bench.python_env()
    env["BENCH_STARTED"] = repr(time.time())
    started = time.perf_counter()
    server_before = server_cpu(server_pid)
    argv = [*bench._child(tool, [path], prefix), f"--phases={timings}", *(tuning if tool == "engine" else [])]
    process = subprocess.Popen(argv, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    server = server_cpu(server_pid) - server_before
    error = process.stderr.read() if process.stderr else b""
    if status != 0:
        raise RuntimeError(f"{tool} failed: {error.decode(errors='replace')[-2000:]}")
    result = phases(json.loads(timings.read_text(encoding="utf-8")), wall)
    result.update(wall=wall, client_cpu=usage.ru_utime + usage.ru_stime, server_cpu=server)
    bench._check_and_clean(prefix, [path])
    os.sync()  # not timed, as in bench_upload.py
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--part-mib", type=int, default=0, help="the engine's part size (default: its own)")
    parser.add_argument("--concurrency", type=int, default=0, help="the engine's requests in flight (default: its own)")
    args = parser.parse_args()
    tuning = [f"--part-size={args.part_mib}"] if args.part_mib else []
    tuning += [f"--concurrency={args.concurrency}"] if args.concurrency else []

    from tests.support.servers import OidcServer, S3Server

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-phases-"))
    workdir.mkdir(parents=True, exist_ok=True)
    path = make_file(workdir / "one-file.bin", args.size_mib * MiB, 1)
    oidc = OidcServer.start(workdir / "oidc")
    s3 = S3Server.start(workdir / "s3", oidc_issuer=oidc.issuer)
    results: dict[str, list[dict[str, float]]] = {"engine": [], "minio": []}
    try:
        bench = Bench(workdir, s3.endpoint, s3.admin_access_key, s3.admin_secret_key)
        assert s3.pid is not None
        warm([path])
        for tool in ("minio", "engine"):  # not measured: volumes set up, bytecode cached
            upload(bench, s3.pid, tool, path, tuning)
        for round_ in range(args.rounds):
            for tool in ("engine", "minio") if round_ % 2 == 0 else ("minio", "engine"):
                result = upload(bench, s3.pid, tool, path, tuning)
                results[tool].append(result)
                print(f"  {tool:6} " + "  ".join(f"{k} {v:6.3f}" for k, v in result.items()), flush=True)
    finally:
        s3.kill()
        s3.stop()
        oidc.stop()
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    columns = (*PHASES, "wall", "client_cpu", "server_cpu")
    medians = {tool: {c: statistics.median(r[c] for r in rows) for c in columns} for tool, rows in results.items()}
    print()
    print(f"{args.size_mib} MiB, {args.rounds} rounds, medians in seconds")
    print()
    print("| tool | " + " | ".join(columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for tool, row in medians.items():
        print(f"| {tool} | " + " | ".join(f"{row[c]:.3f}" for c in columns) + " |")
    print("| engine − minio | " + " | ".join(f"{medians['engine'][c] - medians['minio'][c]:+.3f}"
                                           for c in columns) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
