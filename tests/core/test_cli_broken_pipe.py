"""Issue 14, hole 10: ``planet-lake … | head`` ends quietly when the reader goes away, as Unix tools do: no
traceback, the status of a process ended by SIGPIPE. A real pipe whose read end is closed before the output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_output_to_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    profiles = tmp_path / "config" / "planet-uploader" / "profiles"
    profiles.mkdir(parents=True)
    for number in range(50):
        (profiles / f"lake-{number:02}.toml").write_text("", encoding="utf-8")
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader (head) has gone before the first line
    try:
        done = subprocess.run([sys.executable, "-m", "planet_gui.cli", "profile", "list"], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=60,
                              env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")})
    finally:
        os.close(write_end)
    assert done.stderr == ""  # no BrokenPipeError traceback, no "Exception ignored" at exit
    assert done.returncode == 141  # 128 + SIGPIPE, what a shell shows for `yes | head`
