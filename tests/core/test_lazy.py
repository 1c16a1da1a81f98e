"""Lazy names (planet_gui.core.lazy) behave as the names they stand for, and load their module only when used."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from planet_gui.core.lazy import LazyName, lazy

ROOT = Path(__file__).resolve().parents[2]


def test_a_lazy_name_calls_reads_and_checks_like_the_real_one() -> None:
    ordered_dict, = lazy("collections", "OrderedDict")
    made = ordered_dict(a=1)
    assert made == {"a": 1} and type(made).__name__ == "OrderedDict"
    assert isinstance(made, ordered_dict)
    assert ordered_dict.fromkeys("ab") == {"a": None, "b": None}  # class attributes through the stand-in
    module = LazyName("json")
    assert module.loads("[1]") == [1]  # with no name, the module itself


def test_a_lazy_name_imports_nothing_until_used() -> None:
    code = ("import sys\nfrom planet_gui.core.lazy import lazy\nnames = lazy('wave', 'open')\n"
            "assert 'wave' not in sys.modules\nnames[0]\nassert 'wave' not in sys.modules\n"
            "names[0].__name__\nassert 'wave' in sys.modules\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
