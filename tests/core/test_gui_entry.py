"""``planet-gui`` without PySide6 (an install without the ``gui`` extra) says what to install, with no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WITHOUT_QT = """
import sys
sys.modules["PySide6"] = None  # import PySide6 fails and find_spec finds nothing, as when it is not installed
from planet_gui.gui_main import main
sys.exit(main([]))
"""


def test_planet_gui_without_pyside6_says_what_to_install() -> None:
    done = subprocess.run([sys.executable, "-c", WITHOUT_QT], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "needs PySide6" in done.stderr and "planet-uploader[gui]" in done.stderr
