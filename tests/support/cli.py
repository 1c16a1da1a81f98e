"""Run ``planet-lake`` as a user would: a separate process, its own output, its exit code."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.support.device_user import approve

ROOT = Path(__file__).resolve().parents[2]


def cli(profile: Path, *args: str, timeout: float = 180, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planet_gui.cli", "--profile", str(profile), *args],
        capture_output=True, text=True, timeout=timeout, cwd=ROOT, env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
    )


def cli_login(profile: Path, user: str = "alice", deny: bool = False, timeout: float = 120) -> tuple[int, str, str]:
    """Run ``planet-lake login``, read the link it prints, and approve it in the provider as ``user``."""
    process = subprocess.Popen(
        [sys.executable, "-m", "planet_gui.cli", "--profile", str(profile), "login"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, stdin=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    printed = []
    for line in process.stdout:
        printed.append(line)
        match = re.match(r"To log in, open: (\S+)", line)
        if match:
            approve(match.group(1), user=user, deny=deny)
            break
    out, err = process.communicate(timeout=timeout)
    return process.returncode, "".join(printed) + out, err
