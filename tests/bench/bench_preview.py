"""Preview of big files (issue 19): a 1 GiB CSV and a 1 GiB netCDF ready in at most 1 s, RSS growth < 150 MB.

    .venv/bin/python tests/bench/bench_preview.py [--size-gib 1] [--workdir DIR] [--keep]

Each file is previewed in a fresh child process, as the window does it: the row was inspected before (not
timed here, reported), then the Preview pane (offscreen Qt) is asked for the preview and the clock stops when
its plot (CSV) or its map and tree (netCDF) are drawn. The CPU seconds the process used meanwhile (all threads)
are reported too: on a shared machine they say more about the work than the wall clock.
RSS growth is the child's peak RSS during the preview (VmHWM, reset just before it through /proc/self/clear_refs,
so the inspection's own peak does not count) minus its RSS just before the preview. A small file of the same
shape is previewed twice in the same child first: the first time pays the import of pyqtgraph and the plot
widgets (reported), the second is the baseline the big file's time is compared with (the machine may be shared:
the ratio says more than the seconds).

1. CSV: the data rows of the DPC national series (shared test data) repeated to --size-gib, header once.
2. Parquet: the same rows as the CSV (so ~9 million rows, far fewer bytes), in row groups of ~530,000 rows;
   the small file is the national series alone. Its preview reads the first row group's first 20,000 rows.
3. netCDF: hourly t2m(time, lat, lon) on a 256 x 256 grid over Italy, float32, one step per chunk, written
   in blocks until --size-gib; the small file has the same grid and 48 steps.

Not a pytest module. Files go to --workdir (default planet-bench-preview in the temp folder) and are deleted
unless --keep; a kept file of the right size is reused.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TESTDATA = Path(os.environ.get("PLANET_TESTDATA") or ROOT.parent / "shared" / "testdata")
NATIONAL = TESTDATA / "csv" / "dpc-covid19-ita-andamento-nazionale.csv"
GIB = 1024**3
SIDE = 256
TARGET_SECONDS = 1.0
TARGET_RSS_MB = 150.0

CHILD = r"""
import json, os, resource, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication
from planet_gui.core.inspect import inspect_file
from planet_gui.qt.preview import PreviewPane, PreviewSource

app = QApplication([])
pane = PreviewPane()
pane.resize(900, 700)
pane.show()


def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")  # resets VmHWM (Linux >= 4.0)
    except OSError:
        pass  # then the peak may be an earlier one (the inspection's): the growth is over-stated, never under


def peak_mb():
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e6
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def rss_mb():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def ready():
    if pane.data is None:
        return False
    table = sys.argv[1] != "netcdf"
    content = pane.plot_slot.content if table else pane.map_slot.content
    if content is None:
        return False
    return table or getattr(content, "shown_map", None) is not None


def preview(path):
    started = time.perf_counter()
    found = inspect_file(path)
    inspected = time.perf_counter() - started
    reset_peak()
    before = rss_mb()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    pane.show_preview(found.preview, PreviewSource(Path(path), found.details, found.metadata))
    columns = None
    while not ready():
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        if columns is None and pane.columns.rowCount():
            columns = time.perf_counter() - started
        if time.perf_counter() - started > 120:
            raise SystemExit("no preview after 120 s")
    app.processEvents()
    pane.grab()  # painted
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak = peak_mb()
    return {"inspect_s": inspected, "preview_s": seconds,
            "columns_s": columns if columns is not None else seconds, "cpu_s": usage.ru_utime + usage.ru_stime - cpu,
            "rss_before_mb": before, "peak_mb": peak,
            "rows": getattr(pane.data, "rows_read", None)}


if sys.argv[4:] == ["big-first"]:  # the big file is the run's first preview: it pays the import of pyqtgraph
    print(json.dumps({"first": preview(sys.argv[3])}))
    raise SystemExit(0)
cold = preview(sys.argv[2])  # the first preview of the run: imports pyqtgraph, makes the plot widgets
small = preview(sys.argv[2])
big = preview(sys.argv[3])
print(json.dumps({"cold": cold, "small": small, "big": big}))
"""


def make_csv(path: Path, size: int) -> None:
    if path.exists() and path.stat().st_size >= size:
        return
    header, *rows = NATIONAL.read_bytes().splitlines(keepends=True)
    block = b"".join(rows)
    with path.open("wb") as handle:
        handle.write(header)
        written = len(header)
        while written < size:
            handle.write(block)
            written += len(block)


def make_parquet(path: Path, rows: int, small: Path) -> None:
    """The national series as Parquet (``small``), and repeated to ``rows`` rows (``path``) by writing one block of
    300 copies (one row group each) until there are enough: the block is all this process holds."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    national = pd.read_csv(NATIONAL)
    national["data"] = pd.to_datetime(national["data"])
    national.to_parquet(small, index=False)
    if path.exists():
        return
    block = pa.Table.from_pandas(pd.concat([national] * 300, ignore_index=True), preserve_index=False)
    with pq.ParquetWriter(path, block.schema) as writer:
        written = 0
        while written < rows:
            writer.write_table(block, row_group_size=block.num_rows)
            written += block.num_rows


def make_netcdf(path: Path, size: int) -> None:
    import netCDF4
    import numpy as np

    steps = max(48, size // (SIDE * SIDE * 4))
    if path.exists() and path.stat().st_size >= min(size, steps * SIDE * SIDE * 4):
        return
    with netCDF4.Dataset(path, "w") as ds:
        ds.createDimension("time", None)
        ds.createDimension("lat", SIDE)
        ds.createDimension("lon", SIDE)
        time = ds.createVariable("time", "f8", ("time",))
        time.units, time.standard_name = "hours since 2000-01-01 00:00:00", "time"
        lat = ds.createVariable("lat", "f4", ("lat",))
        lat.units = "degrees_north"
        lon = ds.createVariable("lon", "f4", ("lon",))
        lon.units = "degrees_east"
        lat[:] = np.linspace(47.5, 35.5, SIDE)
        lon[:] = np.linspace(6.0, 19.0, SIDE)
        var = ds.createVariable("t2m", "f4", ("time", "lat", "lon"), chunksizes=(1, SIDE, SIDE))
        var.units = "K"
        field = (280 + 10 * np.sin(np.linspace(0, 6, SIDE))[:, None] * np.cos(np.linspace(0, 4, SIDE))[None, :])
        block = 64
        for first in range(0, steps, block):
            last = min(steps, first + block)
            var[first:last] = (field[None] + np.arange(first, last)[:, None, None] % 24).astype(np.float32)
        time[:] = np.arange(steps, dtype=np.float64)


def run(kind: str, small: Path, big: Path, *order: str) -> dict[str, dict[str, float]]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", CHILD, kind, str(small), str(big), *order], capture_output=True,
                          text=True, env=env, timeout=900, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"{kind} child failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-gib", type=float, default=1.0)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "planet-bench-preview")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    if not NATIONAL.is_file():
        raise SystemExit(f"the shared test data is missing: {NATIONAL} (set PLANET_TESTDATA)")
    args.workdir.mkdir(parents=True, exist_ok=True)
    size = int(args.size_gib * GIB)
    big_csv, big_nc = args.workdir / "big.csv", args.workdir / "big.nc"
    small_nc = args.workdir / "small.nc"
    big_pq, small_pq = args.workdir / "big.parquet", args.workdir / "small.parquet"
    make_csv(big_csv, size)
    make_parquet(big_pq, size // (NATIONAL.stat().st_size // 1782), small_pq)
    make_netcdf(big_nc, size)
    make_netcdf(small_nc, 48 * SIDE * SIDE * 4)
    rows = []
    failed = False
    for kind, small, big in (("csv", NATIONAL, big_csv), ("parquet", small_pq, big_pq), ("netcdf", small_nc, big_nc)):
        found = run(kind, small, big)
        b, s = found["big"], found["small"]
        growth = b["peak_mb"] - b["rss_before_mb"]
        ok_time, ok_rss = b["preview_s"] <= TARGET_SECONDS, growth < TARGET_RSS_MB
        failed |= not (ok_time and ok_rss)
        mib = big.stat().st_size / 2**20
        rows.append((f"{kind} {mib:,.0f} MiB: preview ready", f"{b['preview_s']:.3f} s", f"<= {TARGET_SECONDS} s",
                     "PASS" if ok_time else "FAIL"))
        rows.append((f"{kind} small ({small.stat().st_size / 2**20:,.1f} MiB), same child", f"{s['preview_s']:.3f} s",
                     "baseline", ""))
        rows.append((f"{kind} small, the run's first preview (pyqtgraph import)", f"{found['cold']['preview_s']:.3f} s",
                     "", ""))
        rows.append((f"{kind} {mib:,.0f} MiB: CPU used by the preview", f"{b['cpu_s']:.3f} s", "", ""))
        rows.append((f"{kind} small: CPU used", f"{s['cpu_s']:.3f} s", "", ""))
        rows.append((f"{kind}: big / small", f"{b['preview_s'] / s['preview_s']:.2f} x", "", ""))
        rows.append((f"{kind}: RSS growth during the big preview", f"{growth:.0f} MB", f"< {TARGET_RSS_MB:.0f} MB",
                     "PASS" if ok_rss else "FAIL"))
        rows.append((f"{kind}: inspection before it (not part of the target)", f"{b['inspect_s']:.3f} s", "", ""))
        if kind == "csv":
            first = run(kind, small, big, "big-first")["first"]
            rows.append((f"{kind} {mib:,.0f} MiB as the run's first preview: columns shown",
                         f"{first['columns_s']:.3f} s", "", ""))
            rows.append((f"{kind} {mib:,.0f} MiB as the run's first preview: plot drawn (pyqtgraph imported)",
                         f"{first['preview_s']:.3f} s", "", ""))
        if b.get("rows"):
            rows.append((f"{kind}: rows in the preview sample", f"{b['rows']:,}", "", ""))
    width = max(len(row[0]) for row in rows)
    print(f"{'measure':<{width}}  {'value':>12}  {'target':>10}  result")
    for measure, value, target, result in rows:
        print(f"{measure:<{width}}  {value:>12}  {target:>10}  {result}")
    print("(measured on a shared machine: compare the big file with the baseline of the same run)")
    if not args.keep:
        shutil.rmtree(args.workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
