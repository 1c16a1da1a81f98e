"""Paired A/B of the transfer engine between two checkouts of this repository (say, before and after a
refactoring), against one SeaweedFS, rounds alternating which goes first, the same files for both; the wall time
of each engine process (its start included), as ``bench_upload.py`` measures the engine.

    git archive BASE | tar -x -C /tmp/base
    .venv/bin/python tests/bench/bench_ab.py --before /tmp/base --after . --rounds 6

Prints a table with the medians and each round's after ÷ before. On a busy machine the rounds spread widely:
compare the per-round ratios, not the absolute times. Not a pytest module.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, default=ROOT)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--big-mib", type=int, default=256)
    parser.add_argument("--files", type=int, default=40)
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
    oidc = OidcServer.start(work / "oidc")
    s3 = S3Server.start(work / "s3", oidc_issuer=oidc.issuer)
    try:
        bench = _Pair(work, s3.endpoint, s3.admin_access_key, s3.admin_secret_key)
        for tree in trees.values():  # not measured: the server sets up its volumes, bytecode is cached
            bench.tree = tree
            bench.upload("engine", [many[0]], None)
        times: dict[tuple[str, str], list[float]] = {(w, t): [] for w in workloads for t in trees}
        for round_ in range(args.rounds):
            order = list(trees) if round_ % 2 == 0 else list(reversed(trees))
            for workload, paths in workloads.items():
                B.warm(paths)
                for name in order:
                    bench.tree = trees[name]
                    seconds, _rss = bench.upload("engine", paths, None)
                    times[(workload, name)].append(seconds)
                    print(f"{workload:12} {name:6} {seconds:7.2f} s", flush=True)
        print("\n| workload | before, median (s) | after, median (s) | after ÷ before, each round |")
        print("|---|---:|---:|---|")
        for workload in workloads:
            before, after = times[(workload, "before")], times[(workload, "after")]
            ratios = ", ".join(f"{a / b:.2f}" for a, b in zip(after, before, strict=True))
            print(f"| {workload} | {statistics.median(before):.2f} | {statistics.median(after):.2f} | {ratios} |")
    finally:
        s3.stop()
        oidc.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
