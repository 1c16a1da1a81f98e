"""Paired A/B of the transfer engine between two checkouts of this repository (say, before and after a
refactoring), against one SeaweedFS, rounds alternating which goes first, the same files for both; the wall time
of each engine process (its start included), as ``bench_upload.py`` measures the engine, and its CPU seconds (user +
system, threads included, from ``os.wait4``'s rusage): on a shared machine the wall time swings with the other
loads, the CPU an engine burns per run much less.

    git archive BASE | tar -x -C /tmp/base
    .venv/bin/python tests/bench/bench_ab.py --before /tmp/base --after . --rounds 6

Prints a table with the medians (wall and CPU) and each round's after ÷ before. On a busy machine the rounds spread
widely: compare the per-round ratios, not the absolute times. Not a pytest module.
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

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench import bench_upload as B  # noqa: E402
from tests.support.servers import OidcServer, S3Server  # noqa: E402


class _Pair(B.Bench):
    tree = ROOT

    def _child(self, kind: str, paths: list[Path], prefix: str) -> list[str]:
        argv = super()._child(kind, paths, prefix)
        argv[1] = str(self.tree / "tests" / "bench" / "bench_upload.py")  # that checkout's engine
        return argv

    def run_engine(self, paths: list[Path]) -> tuple[float, float]:
        """Wall and CPU seconds (user + system of the child and its threads) of one engine upload."""
        self.round += 1
        prefix = f"bench/ab/{self.round}"
        started = time.perf_counter()
        process = subprocess.Popen(self._child("engine", paths, prefix), env=self.python_env(),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        err = process.stderr.read() if process.stderr else b""
        if status != 0:
            raise RuntimeError(f"engine of {self.tree} failed ({status}): {err.decode(errors='replace')[-2000:]}")
        self._check_and_clean(prefix, paths)
        os.sync()  # not timed: the next run starts with nothing left to write back (as Bench.upload)
        return wall, usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, default=ROOT)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--big-mib", type=int, default=256)
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--small", type=int, default=0, help="also upload this many files of 64 KiB (per-file cost)")
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    work = Path(tempfile.mkdtemp(prefix="bench-ab-"))
    data = work / "data"
    data.mkdir()
    big = B.make_file(data / "big.bin", args.big_mib * B.MiB, 1)
    many_dir = data / "many"
    many_dir.mkdir()
    many = [B.make_file(many_dir / f"f{i:03d}.bin", 5 * B.MiB, 100 + i) for i in range(args.files)]
    workloads = {f"{args.big_mib} MiB": [big], f"{args.files} x 5 MiB": many}
    if args.small:
        small_dir = data / "small"
        small_dir.mkdir()
        workloads[f"{args.small} x 64 KiB"] = [B.make_file(small_dir / f"s{i:04d}.bin", 64 * 1024, 5000 + i)
                                              for i in range(args.small)]
    oidc = OidcServer.start(work / "oidc")
    s3 = S3Server.start(work / "s3", oidc_issuer=oidc.issuer)
    try:
        bench = _Pair(work, s3.endpoint, s3.admin_access_key, s3.admin_secret_key)
        for tree in trees.values():  # not measured: the server sets up its volumes, bytecode is cached
            bench.tree = tree
            bench.upload("engine", [many[0]], None)
        times: dict[tuple[str, str], list[float]] = {(w, t): [] for w in workloads for t in trees}
        cpu: dict[tuple[str, str], list[float]] = {(w, t): [] for w in workloads for t in trees}
        for round_ in range(args.rounds):
            order = list(trees) if round_ % 2 == 0 else list(reversed(trees))
            for workload, paths in workloads.items():
                B.warm(paths)
                for name in order:
                    bench.tree = trees[name]
                    seconds, cpu_seconds = bench.run_engine(paths)
                    times[(workload, name)].append(seconds)
                    cpu[(workload, name)].append(cpu_seconds)
                    print(f"{workload:12} {name:6} {seconds:7.2f} s  CPU {cpu_seconds:6.2f} s", flush=True)
        print(f"\nload average after the runs: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print("\n| workload | before, median (s) | after, median (s) | after ÷ before, each round "
              "| CPU before, median (s) | CPU after, median (s) | CPU after ÷ before, each round |")
        print("|---|---:|---:|---|---:|---:|---|")
        for workload in workloads:
            before, after = times[(workload, "before")], times[(workload, "after")]
            ratios = ", ".join(f"{a / b:.2f}" for a, b in zip(after, before, strict=True))
            cpu_before, cpu_after = cpu[(workload, "before")], cpu[(workload, "after")]
            cpu_ratios = ", ".join(f"{a / b:.2f}" for a, b in zip(cpu_after, cpu_before, strict=True))
            print(f"| {workload} | {statistics.median(before):.2f} | {statistics.median(after):.2f} | {ratios} "
                  f"| {statistics.median(cpu_before):.2f} | {statistics.median(cpu_after):.2f} | {cpu_ratios} |")
    finally:
        s3.stop()
        oidc.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
