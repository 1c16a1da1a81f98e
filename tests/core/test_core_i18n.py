"""The core's messages in Italian: every template has its translation with the same fields, every message a
person reads goes through ``tr``, and switching the language changes what a real error says."""

from __future__ import annotations

import ast
import json
import string
from pathlib import Path

import pytest

from planet_gui.core import i18n
from planet_gui.core.errors import InspectionError, PlanetError
from planet_gui.core.inspect import inspect_file
from planet_gui.core.resources import resource_path
from planet_gui.core.schema import load_schema

CORE = Path(__file__).resolve().parents[2] / "planet_gui" / "core"


def _modules() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in sorted(CORE.rglob("*.py"))]


def _called(node: ast.Call) -> str | None:
    return node.func.id if isinstance(node.func, ast.Name) else \
        node.func.attr if isinstance(node.func, ast.Attribute) else None


def _templates() -> dict[str, str]:
    """Each literal passed to tr() or N_() in the core, with where it is."""
    found: dict[str, str] = {}
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called(node) in {"tr", "N_"} and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.setdefault(first.value, f"{path.relative_to(CORE)}:{node.lineno}")
    return found


def _fields(template: str) -> list[tuple[str | None, str | None, str | None]]:
    return sorted((name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(template)
                  if name is not None)


def test_every_core_template_has_its_italian_with_the_same_fields() -> None:
    templates = _templates()
    assert len(templates) > 150
    italian = {k: v for k, v in json.loads(resource_path("translations", "core_it.json").read_text("utf-8")).items()
               if not k.startswith("//")}
    missing = {t: where for t, where in templates.items() if t not in italian}
    assert not missing, f"add to resources/translations/core_it.json: {missing}"
    assert sorted(set(italian) - set(templates)) == []  # no stale entries
    for english, translated in italian.items():
        assert _fields(translated) == _fields(english), english


def _error_classes() -> set[str]:
    import importlib
    import pkgutil

    import planet_gui.core

    for module in pkgutil.walk_packages(planet_gui.core.__path__, "planet_gui.core."):
        importlib.import_module(module.name)
    names: set[str] = set()
    pending: list[type[PlanetError]] = [PlanetError]
    while pending:
        cls = pending.pop()
        names.add(cls.__name__)
        pending.extend(cls.__subclasses__())
    return names


def test_every_message_a_person_reads_goes_through_tr() -> None:
    """A domain error or an inspection warning built from a bare string literal or an f-string would stay English
    in the Italian window, and so would a template passed to tr() as an f-string (no catalogue can hold it)."""
    errors = _error_classes()
    bare: list[str] = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            first = node.args[0]
            literal = isinstance(first, ast.JoinedStr) or (isinstance(first, ast.Constant)
                                                           and isinstance(first.value, str))
            receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
            warning = _called(node) == "append" and isinstance(receiver, ast.Name | ast.Attribute) and \
                (receiver.id if isinstance(receiver, ast.Name) else receiver.attr).endswith("warnings")
            if ((_called(node) in errors or warning) and literal) or \
                    (_called(node) == "tr" and isinstance(first, ast.JoinedStr)):
                bare.append(f"{path.relative_to(CORE)}:{node.lineno}")
    assert bare == []


def test_a_real_error_speaks_the_chosen_language(tmp_path: Path) -> None:
    empty = tmp_path / "rilevazioni vuote.csv"
    empty.write_bytes(b"")
    with pytest.raises(InspectionError) as english:
        inspect_file(empty)
    assert english.value.message == "rilevazioni vuote.csv is empty."
    assert "Category (category) is required" in load_schema().problems({})
    i18n.set_language("it")
    try:
        with pytest.raises(InspectionError) as italian:
            inspect_file(empty)
        assert italian.value.message == "rilevazioni vuote.csv è vuoto."
        assert "Categoria (category): campo obbligatorio" in load_schema().problems({})  # schema checks too
    finally:
        i18n.set_language("en")


def test_a_language_without_a_catalogue_stays_english() -> None:
    i18n.set_language("de")
    assert i18n.language() == "en"
    assert i18n.tr("{name} is empty.", name="a.csv") == "a.csv is empty."
