"""What every ``planet-lake`` command module shares when reading its arguments: the usage error and ``--set
FIELD=VALUE`` pairs. A module of its own because :mod:`planet_gui.lake_cli` cannot import :mod:`planet_gui.cli`
(which imports it: a cycle), and the two had grown a copy each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from planet_gui.core.errors import PlanetError
from planet_gui.core.schema import Schema


class UsageError(PlanetError):
    title = "Usage"


def parse_sets(schema: Schema, pairs: Sequence[str]) -> dict[str, Any]:
    """``--set`` pairs as field values, coerced by the schema (``FIELD=`` clears the field)."""
    values: dict[str, Any] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        name = name.strip()
        if not sep or name not in schema.names:
            known = ", ".join(schema.names)
            raise UsageError(f"--set takes FIELD=VALUE with FIELD one of: {known}; got {pair!r}")
        values[name] = schema.coerce(name, text)
    return values
