"""Hostile files: every one inspects in bounded memory and time, or stops with a clear error.

Each file is built here (tests/core/hostile_files.py: zip bombs cost a few MB of disk, big text is
streamed out) and inspected in a child process: its peak memory is the child's own ``VmHWM`` (imports
included) and the inspection's own time comes from the child's clock. A child that
hangs (a FIFO nobody writes, a parser looping) is killed by a timer and fails the test.

``ru_maxrss`` from wait4 would be the child's peak, but Linux starts it from the parent's RSS at fork (pytest
late in a full run is past 300 MB by itself), so the judge is ``VmHWM``, the high-water mark of the child's
own address space after exec, which must stay under 300 MB; wait4's figure is printed beside it.

Some zip bombs are inspected twice: as they come (the zip ratio check refuses them before reading),
and with that check lifted in the child (``MAX_RATIO``), so that the streaming limits behind it are
shown to hold on their own.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.core import hostile_files as h

ROOT = Path(__file__).resolve().parents[2]
MAX_SECONDS = 10.0
MAX_RSS_MB = 300.0
KILL_AFTER = 60.0  # wall time of the child, imports included, before it is called hung
NO_RATIO = "import planet_gui.core.inspect.xlsx_reader as r; r.MAX_RATIO = 10**9"
GIB = 1024 * h.MIB

_CHILD = r"""
import json, sys, time
exec(sys.argv[2])
from planet_gui.core.errors import PlanetError
# what the window and the CLI run: inspection, then the personal-data scan of a sample (it reads the file again)
from planet_gui.core.privacy.inspection import inspect_and_scan
start = time.perf_counter()
try:
    ins = inspect_and_scan(sys.argv[1])
    out = {"ok": True, "format": ins.metadata.get("format"), "fields": len(ins.metadata.get("fields") or []),
           "warnings": ins.warnings}
except PlanetError as exc:
    out = {"ok": False, "title": exc.title, "error": exc.message}
out["seconds"] = time.perf_counter() - start
with open("/proc/self/status") as status:  # this process's own high-water mark (not the parent's, see below)
    out["vmhwm_mb"] = int(next(line for line in status if line.startswith("VmHWM:")).split()[1]) / 1024
print(json.dumps(out))
"""

#: the same child for the personal-data scan of the whole file (``planet-lake scan --full``), which reads
#: workbooks itself: it must meet the same bounds through the same reader
_SCAN_CHILD = _CHILD.replace("ins = inspect_and_scan(sys.argv[1])", """from planet_gui.core.privacy import scan_file
    report = scan_file(sys.argv[1], full=True)
    ins = type("Scanned", (), {"metadata": {"format": report.format}, "warnings": []})()""")


@dataclass
class Case:
    id: str
    build: Callable[[Path], Path]
    expect: str  # "result", "error" or "either"
    pattern: str = ""  # what the error (or, for a result, a warning) says
    setup: str = ""


def _sym_zero(folder: Path) -> Path:
    return h.symlink(folder / "zero.csv", Path("/dev/zero"))


def _sym_file(folder: Path) -> Path:
    target = folder / "real.csv"
    target.write_text("data,valore\n2024-01-01,1\n2024-01-02,2\n2024-01-03,3\n")
    return h.symlink(folder / "link.csv", target)


CASES = [
    Case("xlsx-cell-ZZZZZZ2", lambda d: h.xlsx_huge_cell_reference(d / "ref.xlsx"), "error", r"ZZZZZZ2.*XFD"),
    Case("xlsx-3gb-row", lambda d: h.xlsx_huge_row(d / "row.xlsx", 3 * GIB), "error", r"column XFD|zip bomb"),
    Case("xlsx-1gb-row-no-ratio-check", lambda d: h.xlsx_huge_row(d / "row.xlsx", GIB), "error", r"column XFD",
         NO_RATIO),
    Case("xlsx-3gb-styles", lambda d: h.xlsx_huge_styles(d / "styles.xlsx"), "error", r"zip bomb"),
    Case("xlsx-1gb-styles-no-ratio-check", lambda d: h.xlsx_huge_styles(d / "styles.xlsx", GIB), "error",
         r"styles\.xml is larger than", NO_RATIO),
    Case("xlsx-styles-lying-size", lambda d: h.xlsx_huge_styles(d / "lie.xlsx", GIB, declared=2000), "error",
         r"not a readable XLSX"),
    Case("xlsx-1gb-cell-no-ratio-check", lambda d: h.xlsx_huge_cell(d / "cell.xlsx", GIB), "error",
         r"single cell or string", NO_RATIO),
    Case("xlsx-1gb-shared-strings-no-ratio-check", lambda d: h.xlsx_huge_shared_strings(d / "sst.xlsx", GIB),
         "result", r"only the first [0-9,]+ strings", NO_RATIO),
    Case("xlsx-1gb-shared-string-no-ratio-check", lambda d: h.xlsx_one_huge_shared_string(d / "s1.xlsx", GIB),
         "error", r"single cell or string", NO_RATIO),
    Case("xlsx-deep-xml", lambda d: h.xlsx_deep_xml(d / "deep.xlsx"), "error", r"nests XML", NO_RATIO),
    Case("json-300mb-object", lambda d: h.json_huge_object(d / "object.json"), "error", r"values outside"),
    Case("json-300mb-first-item", lambda d: h.json_huge_first_item(d / "first.json"), "error", r"values|longer than"),
    Case("json-300mb-array-of-arrays", lambda d: h.json_huge_array_of_arrays(d / "arrays.json"), "error",
         r"values|array of arrays"),
    Case("json-300mb-string", lambda d: h.json_huge_string(d / "string.json"), "error", r"longer than"),
    Case("json-100m-deep-arrays", lambda d: h.json_deep_arrays(d / "deep.json"), "error", r"levels deep"),
    Case("json-10m-deep-objects", lambda d: h.json_deep_objects(d / "deepo.json"), "error", r"levels deep"),
    Case("csv-100k-columns", lambda d: h.csv_wide(d / "wide.csv"), "result", r"100,000 columns"),
    Case("csv-100k-columns-duplicated", lambda d: h.csv_wide_duplicates(d / "dup.csv"), "result",
         r"Duplicate column names"),
    Case("nul-bytes-named-csv", lambda d: h.nul_bytes(d / "nul.csv"), "error", r"binary"),
    Case("nul-bytes", lambda d: h.nul_bytes(d / "nul.dat"), "result"),
    Case("nul-in-csv", lambda d: h.nul_in_csv(d / "nulrow.csv"), "either"),
    Case("invalid-utf8-csv", lambda d: h.invalid_utf8(d / "bad.csv"), "either"),
    Case("invalid-utf8-json", lambda d: h.invalid_utf8_json(d / "bad.json"), "either"),
    Case("truncated-netcdf-classic", lambda d: h.truncated_netcdf(d / "cut.nc"), "error", r"truncated"),
    Case("truncated-netcdf4", lambda d: h.truncated_netcdf(d / "cut4.nc", "NETCDF4"), "error", r"truncated"),
    Case("fifo", lambda d: h.fifo(d / "pipe.csv"), "error", r"not a regular file"),
    Case("symlink-to-dev-zero", _sym_zero, "error", r"not a regular file"),
    Case("symlink-to-a-file", _sym_file, "result"),
]


def inspect_in_child(path: Path, setup: str = "", script: str = _CHILD) -> tuple[dict[str, object], float, float]:
    """(the child's answer, its peak RSS in MB, its wall time); the child is killed after KILL_AFTER."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.monotonic()
    child = subprocess.Popen([sys.executable, "-c", script, str(path), setup], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env, cwd=ROOT)
    killer = threading.Timer(KILL_AFTER, child.kill)
    killer.start()
    try:
        assert child.stdout is not None and child.stderr is not None
        out, err = child.stdout.read(), child.stderr.read()
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    finally:
        killer.cancel()
    wall = time.monotonic() - start
    assert child.returncode == 0, f"child ended with {child.returncode} after {wall:.1f} s: {err.decode()[-3000:]}"
    return json.loads(out.decode().strip().splitlines()[-1]), usage.ru_maxrss / 1024, wall


@pytest.mark.timeout(180)
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_file_is_bounded(case: Case, tmp_path: Path) -> None:
    path = case.build(tmp_path)
    try:
        answer, rss_mb, wall = inspect_in_child(path, case.setup)
    finally:
        for item in tmp_path.iterdir():
            item.unlink()  # big files go at once, not when pytest prunes its folders
    seconds = float(answer["seconds"])  # type: ignore[arg-type]
    print(f"{case.id}: {seconds:.2f} s inspecting, {wall:.2f} s child wall, {rss_mb:.0f} MB wait4 ru_maxrss, "
          f"{answer['vmhwm_mb']:.0f} MB VmHWM: {answer}")
    assert seconds < MAX_SECONDS, answer
    # the child's own peak: wait4's ru_maxrss starts from the parent's RSS at fork (pytest after a whole suite
    # is past 300 MB by itself), so it is printed above, not judged
    assert float(answer["vmhwm_mb"]) < MAX_RSS_MB, answer  # type: ignore[arg-type]
    if case.expect == "result":
        assert answer["ok"] is True, answer
    elif case.expect == "error":
        assert answer["ok"] is False, answer
    if answer["ok"] is False:
        message = str(answer["error"])
        assert answer["title"] and message and "Traceback" not in message
        assert len(message) < 600, message  # a sentence, not a dump
    if case.pattern:
        said = str(answer["error"]) if answer["ok"] is False else "\n".join(answer["warnings"])  # type: ignore[arg-type]
        assert re.search(case.pattern, said), said


XLSX_CASES = [case for case in CASES if case.id.startswith("xlsx-")]


@pytest.mark.timeout(180)
@pytest.mark.parametrize("case", XLSX_CASES, ids=[case.id for case in XLSX_CASES])
def test_hostile_workbook_is_bounded_in_the_personal_data_scan(case: Case, tmp_path: Path) -> None:
    """``planet-lake scan --full`` reads workbooks through the same bounded reader: a result or a clear error,
    within the same time and memory."""
    path = case.build(tmp_path)
    try:
        answer, rss_mb, _wall = inspect_in_child(path, case.setup, _SCAN_CHILD)
    finally:
        for item in tmp_path.iterdir():
            item.unlink()
    assert float(answer["seconds"]) < MAX_SECONDS, answer  # type: ignore[arg-type]
    assert float(answer["vmhwm_mb"]) < MAX_RSS_MB, (rss_mb, answer)  # type: ignore[arg-type]
    if answer["ok"] is False:
        assert answer["title"] and "Traceback" not in str(answer["error"]) and len(str(answer["error"])) < 600
