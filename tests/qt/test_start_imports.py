"""The window paints before the heavy libraries load (issue 15: cold start to first paint ≤ 0.6 s).

Importing httpx (which pulls rich and pygments), minio (urllib3, pycryptodome, argon2, cffi), the JWT library
or a data-format reader costs more than the whole start budget, and nothing before the first paint needs them:
they load with the first login, upload or inspection (:mod:`planet_gui.core.lazy`, imports under
``TYPE_CHECKING``). One eager import anywhere on the path brings them all back without any test failing, so
this runs the real entry point in a fresh interpreter up to the window's first paint and lists what it loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: top-level packages the window must not import before its first paint
HEAVY = ("httpx", "httpcore", "rich", "pygments", "minio", "urllib3", "Crypto", "argon2", "cffi", "pycparser",
         "authlib", "cryptography", "crc32c", "netCDF4", "h5py", "openpyxl", "pandas", "numpy", "pyarrow",
         "charset_normalizer", "planet_gui.core.transfer.engine", "planet_gui.core.transfer.s3ops",
         "planet_gui.core.auth.device_flow", "planet_gui.core.inspect", "planet_gui.core.privacy",
         # the stored login is checked once the window is painted: keyring (with jaraco and importlib_metadata)
         # cost ~0.12 s of CPU on the worker, taken from the first paint; the rules' entry points ~40 ms
         "keyring", "importlib_metadata", "importlib.metadata")

CHILD = """
import json, os, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            print(json.dumps(sorted(sys.modules)), flush=True)
            os._exit(0)
        return False

exec_ = QApplication.exec
def exec_with_probe(self=None):
    app = QApplication.instance()
    probe = FirstPaint(app)
    app.installEventFilter(probe)
    return exec_()
QApplication.exec = exec_with_probe

from planet_gui.qt.app import main
sys.exit(main(["--lang", "en"]))
"""


def loaded(module: str, modules: set[str]) -> bool:
    return module in modules or any(name.startswith(module + ".") for name in modules)


def test_first_paint_loads_no_heavy_library(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "PYTHONPATH": str(ROOT), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
           "QT_QPA_PLATFORM": "offscreen", "PLANET_PROFILE": ""}
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, timeout=120,
                          cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.strip(), done.stderr[-3000:]
    modules = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "planet_gui.qt.main_window" in modules  # the probe saw the real window, not an error box
    eager = [name for name in HEAVY if loaded(name, modules)]
    assert not eager, f"imported before the first paint: {eager} (make them lazy: planet_gui/core/lazy.py)"


@pytest.mark.parametrize("name", ["httpx", "minio"])
def test_the_check_sees_an_eager_import(tmp_path: Path, name: str) -> None:
    """The probe would notice: the same child, with one eager import added, lists it."""
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "PYTHONPATH": str(ROOT),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", f"import {name}\n" + CHILD], capture_output=True, text=True,
                          env=env, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert loaded(name, set(json.loads(done.stdout.strip().splitlines()[-1])))
