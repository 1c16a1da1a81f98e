"""Cost of the personal-data scan: before upload (next to inspection) and over a whole 1 GiB CSV.

    .venv/bin/python tests/bench/bench_privacy.py [--testdata DIR] [--repeat 9] [--size-mib 1024] [--workdir DIR]
        [--code DIR] [--skip-full] [--skip-pre]

``--code DIR`` imports ``planet_gui`` from another checkout (``git archive COMMIT planet_gui | tar -x -C DIR``):
the same measurements of an earlier version, for a before/after table on the same (loaded) machine.

1. **Pre-upload**: for each file of the shared test data, the median CPU time of ``inspect_file`` and of the
   scan it is followed by (``apply_scan``, what ``inspect_and_scan`` adds: the rows inspection parsed, or the
   file's sample); the overhead is scan / inspection. Target: <= 20% per file. Timed apart (not as the
   difference of two medians, which under load is mostly noise).
2. **Full scan**: two generated CSVs of ``--size-mib`` MiB: *persons* (Faker it_IT: names, codice fiscale,
   birth date, phone, e-mail, address, TEAM card, IBAN, diagnosis, a note column with identifiers in 10% of
   rows; 20,000 distinct rows repeated), and *aggregated* (the DPC national series, repeated). Each is scanned
   with ``scan_file(path, full=True)`` in a child process; the table gives wall time and MB/s, CPU time and
   MB/s per CPU-second, and the child's peak RSS (``ru_maxrss``). Targets: >= 100 MB/s, RSS < 300 MB.
   The load average is printed with the results: on a shared machine the wall-clock rate is the machine's,
   not the scan's, and CPU time is the fairer measure.

Not a pytest module. Files are read from the page cache (written just before).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE = Path(sys.argv[sys.argv.index("--code") + 1]).resolve() if "--code" in sys.argv else ROOT
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(CODE))  # planet_gui from here (tests.* still from this checkout)

_CHILD = """
import json, resource, sys, time
from planet_gui.core.privacy import scan_file
wall, cpu = time.perf_counter(), time.process_time()
report = scan_file(sys.argv[1], full=True)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(json.dumps({"wall": wall, "cpu": cpu, "bytes": report.bytes_read, "rows": report.rows,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "kinds": report.kinds, "method": report.details.get("method", "csv")}))
"""


def _median_time(function, repeat: int) -> float:  # type: ignore[no-untyped-def]
    """Median CPU time of this process (all its threads): on a shared machine, wall time measures the others."""
    times = []
    for _ in range(repeat):
        started = time.process_time()
        function()
        times.append(time.process_time() - started)
    return statistics.median(times)


def pre_upload(testdata: Path, repeat: int) -> list[tuple[str, float, float, float]]:
    from planet_gui.core.inspect import inspect_file
    from planet_gui.core.privacy.inspection import apply_scan, inspect_and_scan

    rows = []
    for path in sorted(p for p in testdata.rglob("*") if p.is_file() and p.name != "SOURCES.md"):
        inspect_and_scan(path)  # warm the page cache and the imports
        inspection = inspect_file(path)
        without = max(1e-9, _median_time(lambda path=path: inspect_file(path), repeat))
        scan = _median_time(lambda path=path, inspection=inspection: apply_scan(inspection, path), repeat)
        rows.append((path.name, without, scan, scan / without))
    return rows


def _persons_block() -> bytes:
    from tests.core.privacy_tables import COLUMNS, people

    rows = people(20_000, seed=99)
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return (",".join(COLUMNS) + "\n").encode(), buffer.getvalue().encode()


def _aggregated_block(testdata: Path) -> tuple[bytes, bytes]:
    data = (testdata / "csv" / "dpc-covid19-ita-andamento-nazionale.csv").read_bytes()
    header, _, body = data.partition(b"\n")
    return header + b"\n", body


def _write(path: Path, header: bytes, body: bytes, size: int) -> Path:
    with path.open("wb") as handle:
        handle.write(header)
        written = len(header)
        while written < size:
            handle.write(body)
            written += len(body)
    return path


def full_scan(path: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, cwd=CODE,
                          check=True)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--testdata", type=Path, default=Path(os.environ.get("PLANET_TESTDATA",
                                                                              ROOT.parent / "shared" / "testdata")))
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--code", type=Path, default=None, help="import planet_gui from this checkout")
    parser.add_argument("--skip-full", action="store_true", help="only the pre-upload table")
    parser.add_argument("--skip-pre", action="store_true", help="only the full-scan table")
    args = parser.parse_args()
    if not args.testdata.is_dir():
        sys.exit(f"no test data at {args.testdata} (pass --testdata or set PLANET_TESTDATA)")

    print(f"code: {CODE}; load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if not args.skip_pre:
        print("\n1. pre-upload scan vs inspection (median CPU time of", args.repeat, "runs)")
        print(f"{'file':48} {'inspect ms':>10} {'scan ms':>8} {'overhead':>8}  target <= 20%")
        for name, inspection, scan, ratio in pre_upload(args.testdata, args.repeat):
            verdict = "ok" if ratio <= 0.2 else "OVER"
            print(f"{name[:48]:48} {inspection * 1000:10.1f} {scan * 1000:8.2f} {ratio:8.1%}  {verdict}")
    if args.skip_full:
        return

    size = args.size_mib * 1024 * 1024
    print(f"\n2. full scan of {args.size_mib} MiB CSVs (child process each)")
    print(f"{'file':12} {'rows':>10} {'wall s':>7} {'wall MB/s':>9} {'cpu s':>7} {'cpu MB/s':>8} {'RSS MB':>7}  "
          f"method  kinds")
    with tempfile.TemporaryDirectory(dir=args.workdir) as workdir:
        for name, (header, body) in (("persons", _persons_block()), ("aggregated", _aggregated_block(args.testdata))):
            path = _write(Path(workdir) / f"{name}.csv", header, body, size)
            result = full_scan(path)
            megabytes = result["bytes"] / 1e6
            print(f"{name:12} {result['rows']:10d} {result['wall']:7.1f} {megabytes / result['wall']:9.1f} "
                  f"{result['cpu']:7.1f} {megabytes / result['cpu']:8.1f} {result['rss_mb']:7.0f}  "
                  f"{result['method']:6}  {', '.join(result['kinds'])}")
            path.unlink()
    print(f"\nload average after: {os.getloadavg()[0]:.1f}; targets: >= 100 MB/s, RSS < 300 MB")


if __name__ == "__main__":
    main()
