"""The GUI inspects dropped files on a thread pool: netCDF files side by side must not crash the process
(the HDF5 library under netCDF4 is not thread-safe). Run in a child process so a crash fails this test only."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.core.conftest import SmallData


def test_concurrent_netcdf_inspection_does_not_crash(small_data: SmallData, tmp_path: Path) -> None:
    for copy in range(5):  # five files, as the shared folder holds, each read six times at once
        shutil.copyfile(small_data.netcdf, tmp_path / f"copy{copy}.nc")
    script = textwrap.dedent(
        f"""
        from concurrent.futures import ThreadPoolExecutor
        from pathlib import Path
        from planet_gui.core.inspect import inspect_file
        files = sorted(Path({str(tmp_path)!r}).glob("*.nc")) * 6
        with ThreadPoolExecutor(8) as pool:
            formats = list(pool.map(lambda p: inspect_file(p).metadata["format"], files))
        print(len(formats), set(formats))
        """
    )
    for _ in range(3):
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=180)
        assert result.returncode == 0, f"exit {result.returncode}: {result.stderr[-2000:]}"
        assert result.stdout.split()[0] == "30" and "netCDF" in result.stdout
