"""The desktop bundle builds from this checkout and both of its programs start (installers/build.sh).

Slow (a PyInstaller build, about two minutes), and worth it: a module imported lazily, a Qt plugin or a resource
file missing from the bundle shows only when the frozen program runs, never in the other tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import _testdata_dir

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(1200)
@pytest.mark.skipif(shutil.which("python3") is None, reason="building the bundle needs python3 with venv")
def test_the_bundle_builds_and_both_programs_start() -> None:
    data = _testdata_dir()
    if not data.is_dir():
        pytest.skip(f"the shared test data is not at {data} (set PLANET_TESTDATA): the bundle's check reads it")
    result = subprocess.run(["bash", "installers/build.sh", "--bundle-only"], cwd=ROOT, capture_output=True,
                            text=True, timeout=1100, env={**os.environ, "PLANET_TESTDATA": str(data)})
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert "smoke: no test data" not in output, "the inspection check did not run"
    # the sandbox starts from the bundle (its children are the frozen planet-lake, weed is bundled)
    assert "smoke: the bundle's sandbox demo validated its sample" in output, output[-4000:]
    assert f"smoke: {ROOT / 'dist' / 'planet-uploader'} works" in output
    for program in ("planet-gui", "planet-lake"):
        assert (ROOT / "dist" / "planet-uploader" / program).is_file()
    assert (ROOT / "dist" / "planet-uploader" / "_internal" / "planet_gui" / "_resources" / "translations"
            / "core_it.json").is_file()
