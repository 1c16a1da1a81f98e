"""Speed of metadata inference (planet_gui.core.inspect.inspect_file) against the issue's targets.

    .venv/bin/python tests/bench/bench_inspect.py [--size-gib 1] [--workdir DIR] [--keep] [--with-pandas]

1. CSV: a file of ``--size-gib`` GiB made by repeating the data rows of the DPC national series
   (header once). The page cache is warmed, then ``wc -l`` (a subprocess) and the in-process
   ``inspect_file`` call are timed alternately, best of ``--repeat`` each. Target: inspect at most
   1.5x ``wc -l``. Peak memory is measured in a child process that runs one inspect call (see
   ``_child_memory``). ``--with-pandas`` also times a naive ``pandas.read_csv`` once, for scale.
2. netCDF: a big file (>= 1 GiB: an hourly time axis over 30 years and a float32 variable on a
   32 x 32 grid, written in slices) and a small one with the same time axis on a 2 x 2 grid.
   Target: the big one in under 0.5 s, and about as fast as the small one (only metadata and the
   time coordinate are read; the bytes the call read are reported from /proc/self/io).
3. 1,000 small files (variants of the shared test data): files per second, in one thread, as the
   GUI's worker thread does it.
4. JSON: an array of records (the national series' rows, repeated) of ``--json-mib`` MiB, read in
   full (below FULL_SCAN_LIMIT): seconds and MB/s of ``inspect_file``, best of ``--repeat``, and the
   peak memory of a child process doing it.

Not a pytest module (its name does not start with test_). Big files are deleted at the end unless
``--keep`` is given; a kept file of the right size is reused by the next run.
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from planet_gui.core.inspect import inspect_file  # noqa: E402

TESTDATA = Path(os.environ.get("PLANET_TESTDATA") or ROOT.parent / "shared" / "testdata")
NATIONAL = TESTDATA / "csv" / "dpc-covid19-ita-andamento-nazionale.csv"
T = TypeVar("T")
GIB = 1024**3
MIB = 1024**2


@dataclass
class Row:
    measure: str
    value: str
    target: str = ""
    result: str = ""  # PASS, FAIL or empty (informational)


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


# -- helpers -------------------------------------------------------------------------------------------


def best_of(repeat: int, call: Callable[[], T]) -> tuple[float, T]:
    """The shortest wall time of ``repeat`` calls (at least one), and the last result."""
    times = []
    for _ in range(max(1, repeat)):
        gc.collect()
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return min(times), result


def warm(path: Path) -> None:
    """Read the whole file once so that it sits in the page cache."""
    with path.open("rb", buffering=0) as handle:
        buffer = bytearray(8 * MIB)
        while handle.readinto(buffer):
            pass


def evict(path: Path) -> None:
    """Drop this one file's pages from the page cache (Linux; harmless elsewhere)."""
    if not hasattr(os, "posix_fadvise"):
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)  # written pages must reach the disk before they can be dropped
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def bytes_read() -> int | None:
    """Bytes this process has read through read()/pread() so far (Linux /proc/self/io rchar)."""
    try:
        for line in Path("/proc/self/io").read_text().splitlines():
            if line.startswith("rchar:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def run_child(code: str, *args: str) -> tuple[dict[str, Any], float]:
    """Run ``code`` in a fresh interpreter; its JSON output, and its peak RSS in MiB from wait4().

    wait4() returns the resource usage of that one child (ru_maxrss, KiB on Linux), so neither the
    wc -l runs nor another child can leak into the figure, as they could with RUSAGE_CHILDREN.
    """
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env
    ) as child:
        assert child.stdout is not None
        out = child.stdout.read().decode(errors="replace")
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    if child.returncode != 0:
        raise RuntimeError(f"child failed ({child.returncode}): {out[-2000:]}")
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return json.loads(out.strip().splitlines()[-1]), usage.ru_maxrss / scale


_CHILD_INSPECT = r"""
import json, resource, sys, time, tracemalloc
from planet_gui.core.inspect import inspect_file
import numpy  # imported by the call anyway; load it first so the baseline holds it
def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
inspect_file(sys.argv[2])  # warm-up on a small file: every lazy import is done
before = rss()
tracemalloc.start()
start = time.perf_counter()
ins = inspect_file(sys.argv[1])
took = time.perf_counter() - start
_, traced = tracemalloc.get_traced_memory()
tracemalloc.stop()
print(json.dumps({"before_mib": before, "after_mib": rss(), "traced_mib": traced / 2**20, "seconds": took,
                  "records": ins.metadata.get("record_count")}))
"""

_CHILD_PANDAS = r"""
import json, sys, time
import pandas as pd
start = time.perf_counter()
frame = pd.read_csv(sys.argv[1])
print(json.dumps({"seconds": time.perf_counter() - start, "rows": len(frame)}))
"""


# -- 1. CSV --------------------------------------------------------------------------------------------


def make_csv(path: Path, size: int) -> Path:
    """Header once, then the national series' data rows over and over until ``size`` bytes."""
    raw = NATIONAL.read_bytes()
    cut = raw.index(b"\n") + 1
    header, body = raw[:cut], raw[cut:]
    if not body.endswith(b"\n"):
        body += b"\n"
    if path.exists() and size <= path.stat().st_size < size + len(body) + len(header):
        return path
    block = body * max(1, (16 * MIB) // len(body))
    partial = path.with_suffix(".partial")
    with partial.open("wb") as out:
        out.write(header)
        written = len(header)
        while written < size:
            piece = block if size - written >= len(block) else body * (-(-(size - written) // len(body)))
            out.write(piece)
            written += len(piece)
    partial.replace(path)
    return path


def wc_lines(path: Path) -> int:
    out = subprocess.run(["wc", "-l", str(path)], capture_output=True, text=True, check=True).stdout
    return int(out.split()[0])


def bench_csv(args: argparse.Namespace, work: Path, rows: list[Row]) -> list[Path]:
    size = int(args.size_gib * GIB)
    path = make_csv(work / f"national-{args.size_gib:g}gib.csv", size)
    print(f"CSV: {path} ({path.stat().st_size / GIB:.2f} GiB)", flush=True)
    warm(path)
    inspect_file(NATIONAL)  # load every lazy import before timing
    wc_best = ins_best = float("inf")
    lines = 0
    inspection = None
    for _ in range(args.repeat):  # alternate, so that both see the same machine load
        took, lines = best_of(1, lambda: wc_lines(path))
        wc_best = min(wc_best, took)
        took, inspection = best_of(1, lambda: inspect_file(path))
        ins_best = min(ins_best, took)
    assert inspection is not None
    md, det = inspection.metadata, inspection.details
    ratio = ins_best / wc_best
    rows.append(Row(f"csv: wc -l (best of {args.repeat})", f"{wc_best:.3f} s ({lines} lines)"))
    rows.append(Row(f"csv: inspect_file (best of {args.repeat})", f"{ins_best:.3f} s"))
    rows.append(Row("csv: inspect / wc -l", f"{ratio:.2f}x", "<= 1.5x", _verdict(ratio <= 1.5)))
    exact = md.get("record_count") == lines - 1
    rows.append(
        Row(
            "csv: record_count",
            f"{md.get('record_count')} ({det.get('record_count_method')}, "
            f"estimated={det.get('record_count_estimated')})",
            f"= wc -l - 1 = {lines - 1}",
            _verdict(exact),
        )
    )
    rows.append(
        Row(
            "csv: period / frequency",
            f"{md.get('period_start')} .. {md.get('period_end')} {md.get('frequency')}",
            "2020-02-24T18:00:00 .. series end, daily",
            _verdict(md.get("period_start") == "2020-02-24T18:00:00" and md.get("frequency") == "daily"),
        )
    )
    child, peak = run_child(_CHILD_INSPECT, str(path), str(NATIONAL))
    rows.append(
        Row(
            "csv: peak memory of the call",
            f"{peak:.0f} MiB peak RSS of a child process doing it (wait4; {child['before_mib']:.0f} MiB "
            f"before the call), tracemalloc peak of the call {child['traced_mib']:.1f} MiB",
            "< 200 MB",
            _verdict(peak * MIB < 200e6),
        )
    )
    if args.with_pandas:
        print("CSV: naive pandas.read_csv (once) ...", flush=True)
        child, peak = run_child(_CHILD_PANDAS, str(path))
        rows.append(
            Row(
                "csv: naive pandas.read_csv (once)",
                f"{child['seconds']:.2f} s, peak RSS {peak:.0f} MiB",
                "for scale",
            )
        )
    return [path]


# -- 2. netCDF -----------------------------------------------------------------------------------------


def make_netcdf(path: Path, *, years: int = 30, grid: int = 32, written_hours: int | None = None) -> Path:
    """An hourly time axis over ``years`` years and a float32 ``t2m(time, lat, lon)`` in chunks of 30 days.

    ``written_hours``: how much of ``t2m`` to write (all by default, one year at a time, so the
    data is never all in memory). Chunks never written take no space: with a few hours written the
    file has the same structure as the full one but a few MiB instead of a GiB.
    """
    import netCDF4
    import numpy as np

    if path.exists():
        return path
    hours = years * 8760
    written = hours if written_hours is None else written_hours
    partial = path.with_suffix(".partial")
    with netCDF4.Dataset(partial, "w", format="NETCDF4") as ds:
        ds.title = "Synthetic 2 m temperature over northern Italy (benchmark)"
        ds.Conventions = "CF-1.8"
        ds.createDimension("time", hours)
        ds.createDimension("lat", grid)
        ds.createDimension("lon", grid)
        time_var = ds.createVariable("time", "f8", ("time",))
        time_var.units = "hours since 1991-01-01 00:00:00"
        time_var.calendar = "standard"
        time_var.standard_name = "time"
        time_var.axis = "T"
        time_var[:] = np.arange(hours, dtype="f8")
        lat = ds.createVariable("lat", "f4", ("lat",))
        lat.units, lat.standard_name = "degrees_north", "latitude"
        lat[:] = np.linspace(44.0, 46.5, grid, dtype="f4")
        lon = ds.createVariable("lon", "f4", ("lon",))
        lon.units, lon.standard_name = "degrees_east", "longitude"
        lon[:] = np.linspace(7.0, 12.0, grid, dtype="f4")
        t2m = ds.createVariable("t2m", "f4", ("time", "lat", "lon"), chunksizes=(720, grid, grid))
        t2m.units, t2m.long_name, t2m.standard_name = "K", "2 metre temperature", "air_temperature"
        step = 8760
        pattern = (280.0 + 10.0 * np.sin(np.arange(step, dtype="f4") / 24.0))[:, None, None]
        slab = np.broadcast_to(pattern, (step, grid, grid)).astype("f4")
        for start in range(0, written, step):
            stop = min(written, start + step)
            t2m[start:stop] = slab[: stop - start]
    partial.replace(path)
    return path


_CHILD_FIRST_CALL = r"""
import json, sys, time
start = time.perf_counter()
from planet_gui.core.inspect import inspect_file
inspect_file(sys.argv[1])
print(json.dumps({"seconds": time.perf_counter() - start}))
"""


def bench_netcdf(args: argparse.Namespace, work: Path, rows: list[Row]) -> list[Path]:
    big = make_netcdf(work / "hourly-30y-32x32.nc")
    small = make_netcdf(work / "hourly-30y-32x32-720h-written.nc", written_hours=720)
    print(f"netCDF: {big} ({big.stat().st_size / GIB:.2f} GiB), {small} ({small.stat().st_size / MIB:.1f} MiB)")
    inspect_file(small)  # load xarray, netCDF4 and pandas before timing
    timings = {}
    for name, path in (("big", big), ("small", small)):
        evict(path)
        before = bytes_read()
        start = time.perf_counter()
        inspection = inspect_file(path)
        cold = time.perf_counter() - start
        after = bytes_read()
        warm_time, _ = best_of(args.repeat, functools.partial(inspect_file, path))
        timings[name] = warm_time
        md = inspection.metadata
        read = f", read {((after or 0) - (before or 0)) / MIB:.1f} MiB" if before is not None else ""
        size = path.stat().st_size
        label = f"{size / GIB:.2f} GiB" if size >= GIB else f"{size / MIB:.1f} MiB"
        ok = warm_time < 0.5 and cold < 0.5 and md.get("frequency") == "hourly" and md.get("record_count") == 262800
        rows.append(
            Row(
                f"netcdf {name} ({label}): inspect",
                f"{warm_time:.3f} s (evicted from cache {cold:.3f} s{read}); {md.get('record_count')} steps "
                f"{md.get('period_start')} .. {md.get('period_end')} {md.get('frequency')}",
                "< 0.5 s",
                _verdict(ok),
            )
        )
    ratio = timings["big"] / timings["small"]
    rows.append(
        Row(
            "netcdf: big / small time",
            f"{ratio:.2f}x for {big.stat().st_size / small.stat().st_size:.0f}x the bytes",
            "constant: <= 1.5x or < 20 ms apart",
            _verdict(ratio <= 1.5 or timings["big"] - timings["small"] < 0.02),
        )
    )
    child, _ = run_child(_CHILD_FIRST_CALL, str(big))
    rows.append(
        Row(
            "netcdf big: first call in a fresh process",
            f"{child['seconds']:.3f} s (imports xarray, pandas, netCDF4 once)",
            "report",
        )
    )
    return [big, small]


# -- 4. JSON --------------------------------------------------------------------------------------------


def make_json(path: Path, size: int) -> Path:
    """A JSON array of the national series' records, repeated until about ``size`` bytes."""
    import csv

    if path.exists() and abs(path.stat().st_size - size) < 2 * MIB:
        return path
    with NATIONAL.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    block = ", ".join(json.dumps(record) for record in records).encode()
    partial = path.with_suffix(".partial")
    with partial.open("wb") as out:
        out.write(b"[")
        written = 1
        while written < size:
            out.write(block if written == 1 else b", " + block)
            written += len(block) + 2
        out.write(b"]")
    partial.replace(path)
    return path


def bench_json(args: argparse.Namespace, work: Path, rows: list[Row]) -> list[Path]:
    path = make_json(work / f"national-{args.json_mib}mib.json", args.json_mib * MIB)
    size = path.stat().st_size
    warm(path)
    inspect_file(NATIONAL)
    took, inspection = best_of(args.repeat, lambda: inspect_file(path))
    rows.append(Row(f"json: inspect_file, {size / MIB:.0f} MiB array (best of {args.repeat})",
                    f"{took:.3f} s ({size / MIB / took:.0f} MiB/s), {inspection.metadata.get('record_count')} records, "
                    f"estimated={inspection.details.get('record_count_estimated')}", "report"))
    child, peak = run_child(_CHILD_INSPECT, str(path), str(NATIONAL))
    rows.append(Row("json: peak memory of the call", f"{peak:.0f} MiB peak RSS of a child ({child['before_mib']:.0f} "
                    f"MiB before the call)", "< 300 MB", _verdict(peak * MIB < 300e6)))
    return [path]


# -- 3. many small files -------------------------------------------------------------------------------


def make_small_files(folder: Path, count: int) -> list[Path]:
    """``count`` files: the shared test data, CSVs cut to different lengths, the rest copied."""
    sources = [p for p in sorted(TESTDATA.rglob("*")) if p.is_file() and p.suffix.lower() != ".md"]
    folder.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    index = 0
    while len(made) < count:
        source = sources[index % len(sources)]
        target = folder / f"{index:04d}-{source.name}"
        if not target.exists():
            if source.suffix.lower() == ".csv" and index >= len(sources):
                lines = source.read_bytes().splitlines(keepends=True)
                keep = 2 + (index * 37) % max(1, len(lines) - 1)
                target.write_bytes(b"".join(lines[:keep]))
            else:
                shutil.copyfile(source, target)
        made.append(target)
        index += 1
    return made


def bench_small(args: argparse.Namespace, work: Path, rows: list[Row]) -> list[Path]:
    files = make_small_files(work / "small", args.small_files)
    total = sum(p.stat().st_size for p in files)
    for path in files[:20]:  # lazy imports
        inspect_file(path)
    failed = 0
    start = time.perf_counter()
    for path in files:
        try:
            inspect_file(path)
        except Exception:  # noqa: BLE001 - counted and reported
            failed += 1
    took = time.perf_counter() - start
    rows.append(
        Row(
            f"{len(files)} small files ({total / MIB:.0f} MiB): inspect, one thread",
            f"{len(files) / took:.0f} files/s ({took:.2f} s, {failed} refused)",
            "report",
        )
    )
    return [work / "small"]


# -- main ----------------------------------------------------------------------------------------------


def print_table(rows: list[Row]) -> None:
    headers = ("measure", "value", "target", "result")
    cells = [headers, *[(r.measure, r.value, r.target, r.result) for r in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(4)]
    for number, row in enumerate(cells):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if number == 0:
            print("  ".join("-" * width for width in widths))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-gib", type=float, default=1.0, help="size of the generated CSV (default 1)")
    parser.add_argument("--workdir", type=Path, help="where to write the generated files (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files (reused next time)")
    parser.add_argument("--with-pandas", action="store_true", help="also time a naive pandas.read_csv, once")
    parser.add_argument("--repeat", type=int, default=3, help="timings are the best of this many runs")
    parser.add_argument("--small-files", type=int, default=1000, help="how many small files to inspect")
    parser.add_argument(
        "--only", choices=("csv", "netcdf", "small", "json"), action="append",
        help="run only these parts (repeatable)"
    )
    parser.add_argument("--json-mib", type=int, default=60, help="size of the generated JSON (default 60 MiB)")
    args = parser.parse_args(argv)
    if not NATIONAL.is_file():
        parser.error(f"test data not found at {TESTDATA} (set PLANET_TESTDATA)")
    work = args.workdir or Path(tempfile.gettempdir()) / "planet-bench-inspect"
    work.mkdir(parents=True, exist_ok=True)
    parts = args.only or ["csv", "netcdf", "small", "json"]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, workdir {work}", flush=True)
    rows: list[Row] = []
    made: list[Path] = []
    try:
        if "csv" in parts:
            made += bench_csv(args, work, rows)
        if "netcdf" in parts:
            made += bench_netcdf(args, work, rows)
        if "small" in parts:
            made += bench_small(args, work, rows)
        if "json" in parts:
            made += bench_json(args, work, rows)
    finally:
        if not args.keep:
            for path in made:
                shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
            if args.workdir is None and not any(work.iterdir()):
                work.rmdir()
    print()
    print_table(rows)
    return 1 if any(row.result == "FAIL" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
