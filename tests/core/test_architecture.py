"""The core must stay importable with Qt absent: the CLI and the hook run on servers without it."""

import subprocess
import sys
import textwrap


def test_core_imports_without_qt() -> None:
    script = textwrap.dedent(
        """
        import importlib, pkgutil, sys

        class BlockQt:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in {"PySide6", "shiboken6", "PyQt5", "PyQt6"}:
                    raise ImportError(f"Qt import blocked: {name}")
                return None

        sys.meta_path.insert(0, BlockQt())
        import planet_gui.core as core
        names = [m.name for m in pkgutil.walk_packages(core.__path__, "planet_gui.core.")]
        for name in names:
            importlib.import_module(name)
        import planet_gui.cli, planet_gui.hook.service
        assert not any(m.startswith(("PySide6", "shiboken6")) for m in sys.modules)
        print(len(names))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 10  # the walk really found the core's modules


def test_core_does_not_import_pandas_at_startup() -> None:
    """Heavy libraries load on first use, so the window opens fast."""
    script = (
        "import sys, planet_gui.core.session, planet_gui.cli, planet_gui.core.inspect\n"
        "print(sorted(m for m in ('pandas', 'xarray') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
