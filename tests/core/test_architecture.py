"""The core must stay importable with Qt absent: the CLI and the hook run on servers without it."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


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


ROOT = Path(__file__).resolve().parents[2]


def test_the_import_contracts_hold() -> None:
    """pyproject.toml's [tool.importlinter] contracts: the layers, engine > finishing > job, the hook alone, no Qt
    in the core, no cycles between siblings (imports made for type checking count)."""
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.skip("import-linter is not installed: pip install -e '.[test]'")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_import_cycle_between_modules() -> None:
    """Stricter than import-linter's sibling check: no two modules of planet_gui reach each other, counting
    imports inside functions and under TYPE_CHECKING (a module that types the object it calls depends on it).
    A package's ``__init__`` re-exporting its children is left out: it is a doorway, not a dependency."""
    grimp = pytest.importorskip("grimp")
    graph = grimp.build_graph("planet_gui")
    packages = {m for m in graph.modules if (ROOT / Path(*m.split("."), "__init__.py")).exists()}
    edges: dict[str, set[str]] = {m: set() for m in graph.modules if m.startswith("planet_gui")}
    for importer in edges:
        for imported in graph.find_modules_directly_imported_by(importer):
            if imported not in edges or (importer in packages and imported.startswith(importer + ".")):
                continue
            edges[importer].add(imported)
    cycles = [sorted(c) for c in _strongly_connected(edges) if len(c) > 1]
    assert cycles == []


def _strongly_connected(edges: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative (the graph is a few hundred modules)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                found.append(component)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert [c for c in _strongly_connected(edges) if len(c) > 1] == [{"a", "b", "c"}]


#: modules still over the limit, and their length when this test was written: they may only shrink. The window
#: is being split by the GUI's own work (issue 20); empty this once it is under 600 lines.
STILL_LONG = {"planet_gui/qt/main_window.py": 766}


def test_no_module_over_600_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in sorted((ROOT / "planet_gui").rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    grown = {name: n for name, n in long.items() if n > STILL_LONG.get(name, 600)}
    assert grown == {}


def test_the_hook_and_the_status_check_load_no_engine() -> None:
    """The hook runs on a server: it needs the lake contract, the schema and storage, not the upload engine, the
    session or their journal; ``status`` (the GUI's refresh) needs no engine either."""
    script = (
        "import sys, planet_gui.hook.service, planet_gui.core.status\n"
        "print(sorted(m for m in ('planet_gui.core.transfer.engine', 'planet_gui.core.session',\n"
        "                         'planet_gui.core.transfer.journal', 'PySide6') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
