"""The result of inspecting a file, and the limits every inspector respects."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

# Files up to this size are read completely (exact record counts, every timestamp); bigger ones are
# sampled (head and tail), and a CSV's records are counted as lines or, failing that, estimated.
FULL_SCAN_LIMIT = 64 * 1024 * 1024
# How much of a text file is read up front to detect encoding, dialect, header and field types.
SAMPLE_BYTES = 1024 * 1024
# Bound on the text excerpt / rendered tree in a preview, in characters.
PREVIEW_TEXT_LIMIT = 4096
PREVIEW_TREE_LIMIT = 16384
# Bound on one preview cell, in characters.
PREVIEW_CELL_LIMIT = 200


@dataclass
class Preview:
    kind: str = "none"  # "table" | "tree" | "text" | "none"
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    text: str = ""


@dataclass
class Inspection:
    path: Path
    size: int
    metadata: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    preview: Preview = field(default_factory=Preview)
    warnings: list[str] = field(default_factory=list)
    #: the rows a table's inspection parsed (header, data rows, whether they are the whole file), kept for the
    #: personal-data scan so it need not read and parse them again; never serialised
    table_sample: tuple[list[str], list[list[str]], bool] | None = field(default=None, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        """Everything, as plain JSON types (the path as a string)."""
        return {
            "path": str(self.path),
            "size": self.size,
            "metadata": jsonable(self.metadata),
            "details": jsonable(self.details),
            "preview": jsonable(asdict(self.preview)),
            "warnings": [str(warning) for warning in self.warnings],
        }


def jsonable(value: Any) -> Any:
    """``value`` with numpy scalars, tuples, dates, paths and NaN turned into plain JSON types."""
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [jsonable(item) for item in items]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    item = getattr(value, "item", None)  # numpy scalar
    if callable(item):
        try:
            return jsonable(item())
        except (TypeError, ValueError):
            pass
    isoformat = getattr(value, "isoformat", None)  # cftime dates
    if callable(isoformat):
        return str(isoformat())
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"
