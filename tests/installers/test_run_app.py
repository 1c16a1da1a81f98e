"""scripts/run-app.sh installs on a fresh clone and again only when what the install depends on changed.

Each test runs the real run-app.sh in a temporary copy of the repository's top (pyproject.toml, scripts/), where
scripts/install.sh is replaced by a stand-in that records its runs and makes the files an install leaves in the
venv (python, planet-gui, PySide6's package). The stand-in's planet-gui records its arguments, so a run shows
whether it installed, and what it started.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("bash") is None or shutil.which("sha256sum") is None,
                                reason="needs bash and sha256sum")

STAND_IN_INSTALL = """#!/usr/bin/env bash
# stand-in for scripts/install.sh: records the run, makes what an install leaves in the venv
set -euo pipefail
venv="${PLANET_VENV:-.venv}"
echo "Installing Python packages into $venv (pip shows each one)"
echo run >> "$LOG/installs"
mkdir -p "$venv/bin" "$venv/lib/python3.99/site-packages/PySide6"
touch "$venv/lib/python3.99/site-packages/PySide6/__init__.py"
ln -sf "$PYTHON_TARGET" "$venv/bin/python"
printf '#!/bin/sh\\necho "$@" >> "$LOG/started"\\n' > "$venv/bin/planet-gui"
chmod +x "$venv/bin/planet-gui"
"""


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", repo / "pyproject.toml")
    shutil.copy(ROOT / "scripts" / "run-app.sh", repo / "scripts" / "run-app.sh")
    (repo / "scripts" / "install.sh").write_text(STAND_IN_INSTALL, encoding="utf-8")
    (tmp_path / "log").mkdir()
    (tmp_path / "home").mkdir()
    python = tmp_path / "python"  # the venv's python: records each start
    python.write_text(f'#!/bin/sh\necho run >> "{tmp_path}/log/python-runs"\nexec "{sys.executable}" "$@"\n')
    python.chmod(0o755)
    return repo


def run_app(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLANET_", "XDG_"))}
    env.update(HOME=str(repo.parent / "home"), LOG=str(repo.parent / "log"), PYTHON_TARGET=str(repo.parent / "python"))
    return subprocess.run(["bash", str(repo / "scripts" / "run-app.sh"), *args], cwd=repo.parent, env=env,
                          capture_output=True, text=True, timeout=60, check=True)


def installs(repo: Path) -> int:
    path = repo.parent / "log" / "installs"
    return len(path.read_text().splitlines()) if path.exists() else 0


def started(repo: Path) -> list[str]:
    return (repo.parent / "log" / "started").read_text().splitlines()


def test_a_fresh_clone_installs_with_progress_then_starts_the_sandbox(clone: Path) -> None:
    first = run_app(clone)
    assert installs(clone) == 1
    assert "==> Installing PLANET Uploader" in first.stdout and "Installing Python packages" in first.stdout
    assert (clone / ".venv" / ".planet-install-stamp").is_file()
    assert started(clone) == ["--sandbox"]  # no profile of the user's own


def test_a_second_run_skips_the_install(clone: Path) -> None:
    run_app(clone)
    second = run_app(clone, "--profile", "mine.toml")
    assert installs(clone) == 1
    assert "Installing" not in second.stdout
    assert started(clone)[-1] == "--profile mine.toml"


def test_a_changed_pyproject_or_install_script_installs_again(clone: Path) -> None:
    run_app(clone)
    with (clone / "pyproject.toml").open("a") as handle:
        handle.write("\n# a new dependency\n")
    run_app(clone)
    assert installs(clone) == 2
    run_app(clone)
    assert installs(clone) == 2
    with (clone / "scripts" / "install.sh").open("a") as handle:
        handle.write("\n# a new system package\n")
    run_app(clone)
    assert installs(clone) == 3


def test_another_python_in_the_venv_installs_again(clone: Path) -> None:
    run_app(clone)
    other = clone.parent / "other-python"
    shutil.copy(clone.parent / "python", other)
    venv_python = clone / ".venv" / "bin" / "python"
    venv_python.unlink()
    venv_python.symlink_to(other)  # the venv made again with another interpreter
    run_app(clone)
    assert installs(clone) == 2


def test_a_venv_without_pyside6_or_an_interrupted_install_installs_again(clone: Path) -> None:
    run_app(clone)
    shutil.rmtree(clone / ".venv" / "lib" / "python3.99" / "site-packages" / "PySide6")  # a venv made for the hook
    run_app(clone)
    assert installs(clone) == 2
    (clone / ".venv" / ".planet-install-stamp").unlink()  # what an install that failed half-way leaves
    run_app(clone)
    assert installs(clone) == 3


def test_the_up_to_date_check_starts_no_python(clone: Path) -> None:
    """The check reads files only (a Python start with PySide6's import cost a second run some 0.1-0.5 s)."""
    run_app(clone)
    run_app(clone)
    assert installs(clone) == 1
    assert not (clone.parent / "log" / "python-runs").exists()
