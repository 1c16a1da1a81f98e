"""The core must stay importable with Qt absent: the CLI and the hook run on servers without it."""

import json
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
        pytest.skip("import-linter is not installed: pip install -e '.[gui,test]'")
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


def test_no_module_over_600_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in sorted((ROOT / "planet_gui").rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert long == {}


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


# -- Session, the only way in -----------------------------------------------------------------------

#: what only the session may touch: the engine, its journal and the journal's claims
_ENGINE_NAMES = frozenset({"TransferEngine", "Journal", "Claim"})
_ENGINE_ATTRIBUTES = frozenset({"transfers", "_transfers", "_engine", "journal"})


def _engine_uses(path: Path) -> list[str]:
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("planet_gui.core.transfer"):
            found += [f"{node.lineno}: imports {a.name}" for a in node.names if a.name in _ENGINE_NAMES]
        elif isinstance(node, ast.Attribute) and node.attr in _ENGINE_ATTRIBUTES:
            found.append(f"{node.lineno}: .{node.attr}")
    return found


def test_nothing_but_the_session_touches_the_engine() -> None:
    """The GUI, the CLI, the watcher and the sandbox drive uploads through :class:`Session` alone: no module of
    the app outside ``core/session.py`` and the engine's own package builds the engine, opens its journal or
    reaches for ``session.transfers`` (gone) or ``session._engine()``."""
    app = ROOT / "planet_gui"
    inside = {app / "core" / "session.py"}
    found = {str(p.relative_to(ROOT)): uses for p in sorted(app.rglob("*.py"))
             if p not in inside and (app / "core" / "transfer") not in p.parents and (uses := _engine_uses(p))}
    assert found == {}


def test_the_engine_check_sees_a_way_around(tmp_path: Path) -> None:
    around = tmp_path / "around.py"
    around.write_text("from planet_gui.core.transfer.journal import Claim\n"
                      "def f(session):\n    return session._engine().journal\n", encoding="utf-8")
    assert len(_engine_uses(around)) == 3


# -- tables instead of lists: a new format, a new column ------------------------------------------

_FITS_INSPECTOR = '''
"""A test format: FITS images (astronomy), recognised by their first card."""
from pathlib import Path

from planet_gui.core.inspect.model import Inspection, Preview


def inspect_fits(path: Path, size: int, *, preview_rows: int, head: bytes) -> Inspection:
    return Inspection(path=path, size=size, metadata={"format": "image", "record_count": 1},
                      details={"fits_cards": head.count(b"=")}, preview=Preview(kind="text", text="FITS"))
'''


def _copy_of_the_code(tmp_path: Path) -> Path:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(ROOT / "planet_gui", copy / "planet_gui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "resources", copy / "resources")
    return copy


def _run_in(copy: Path, script: str) -> str:
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=copy,
                            env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin", "HOME": str(copy)})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_new_format_is_one_module_and_one_row(tmp_path: Path) -> None:
    copy = _copy_of_the_code(tmp_path)
    inspect_dir = copy / "planet_gui" / "core" / "inspect"
    (inspect_dir / "fits.py").write_text(_FITS_INSPECTOR, encoding="utf-8")
    table = inspect_dir / "formats.py"
    text = table.read_text(encoding="utf-8")
    row = ('    Format("fits", "FITS", (b"SIMPLE  =",), (".fits", ".fit"), '
           '"planet_gui.core.inspect.fits:inspect_fits"),\n')
    anchor = "FORMATS: tuple[Format, ...] = (\n"
    assert anchor in text
    table.write_text(text.replace(anchor, anchor + row), encoding="utf-8")  # the one row
    sample = tmp_path / "m31.fits"
    sample.write_bytes(b"SIMPLE  =                    T" + b" " * 50 + b"BITPIX  =                    8" + b" " * 2800)
    renamed = tmp_path / "m31.dat"  # the magic bytes alone say what it is
    renamed.write_bytes(sample.read_bytes())
    out = _run_in(copy, textwrap.dedent(f"""
        import json
        from planet_gui.core.inspect import inspect_file
        for name in ({str(sample)!r}, {str(renamed)!r}):
            found = inspect_file(name)
            print(json.dumps([found.details.get("detected"), found.details.get("fits_cards"), found.metadata]))
        """))
    for line in out.splitlines():
        detected, cards, metadata = json.loads(line)
        assert detected == "fits" and cards == 2
        assert metadata == {"format": "image", "record_count": 1}
    # the untouched code does not know it: the row and the module are what made the difference
    plain = subprocess.run([sys.executable, "-c", f"from planet_gui.core.inspect import inspect_file; "
                            f"print(inspect_file({str(sample)!r}).details.get('detected'))"],
                           capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert plain.returncode != 0 or plain.stdout.strip() != "fits"


def test_a_new_column_is_one_flag_in_the_schema_file(tmp_path: Path) -> None:
    copy = _copy_of_the_code(tmp_path)
    schema_file = copy / "resources" / "schema" / "planet-metadata.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    schema["fields"].insert(3, {"name": "station", "s3_key": "Station", "type": "string", "required": False,
                                "column": True, "max_length": 50,
                                "label": {"en": "Station", "it": "Stazione"}, "help": {"en": "Where it was measured"}})
    schema_file.write_text(json.dumps(schema), encoding="utf-8")
    out = _run_in(copy, textwrap.dedent("""
        import json
        from planet_gui.core.schema import load_schema
        from planet_gui.core.tracking import table_columns
        schema = load_schema()
        print(json.dumps([table_columns(schema), schema.to_s3({"station": "Bologna Urbana"}),
                          schema.problems({"station": "x" * 60})]))
        """))
    columns, headers, problems = json.loads(out)
    assert columns == ["file", "category", "station", "format", "record_count", "status"]
    assert headers.get("Station") == "Bologna Urbana"  # it travels with the upload too
    assert any("station" in p.lower() or "Station" in p for p in problems)
