"""Plain-text rendering of inspections for the terminal: a table of files, or every field of each file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from planet_gui.core.inspect import Inspection

COLUMNS = ("file", "format", "records", "frequency", "period", "category", "source", "area")
WIDTHS = {"file": 36, "period": 35}
MAX_CELL = 28


def _period(metadata: dict[str, Any]) -> str:
    start, end = metadata.get("period_start"), metadata.get("period_end")
    if not start:
        return ""
    ends = [str(start), str(end or start)]
    whole_days = all(len(v) <= 10 or v[10:].startswith("T00:00") for v in ends)
    short = [v[:10] if whole_days else v[:16].replace("T", " ") for v in ends]
    return short[0] if short[0] == short[1] else f"{short[0]} → {short[1]}"


def _row(inspection: Inspection) -> list[str]:
    meta = inspection.metadata
    records = meta.get("record_count")
    estimated = inspection.details.get("record_count_estimated")
    return [
        inspection.path.name,
        str(meta.get("format", "")),
        "" if records is None else (f"~{records}" if estimated else str(records)),
        str(meta.get("frequency", "")),
        _period(meta),
        str(meta.get("category", "?")),
        str(meta.get("source", "?")),
        str(meta.get("area", "?")),
    ]


def _clip(text: str, column: str) -> str:
    limit = WIDTHS.get(column, MAX_CELL)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def table(inspections: Sequence[Inspection]) -> str:
    """One line per file; '?' marks a required field the inspection could not infer, '~' an estimate."""
    rows = [[c.upper() for c in COLUMNS]]
    rows += [[_clip(cell, col) for cell, col in zip(_row(i), COLUMNS, strict=True)] for i in inspections]
    widths = [max(len(row[col]) for row in rows) for col in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    for inspection in inspections:
        lines.extend(f"{inspection.path.name}: warning: {w}" for w in inspection.warnings)
    return "\n".join(lines)


def details(inspection: Inspection) -> str:
    lines = [f"== {inspection.path}"]
    for key, value in inspection.metadata.items():
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        lines.append(f"  {key:14} {shown}")
    for key in ("encoding", "separator", "record_count_estimated", "bbox"):
        if key in inspection.details:
            lines.append(f"  {key:14} {inspection.details[key]}")
    lines.extend(f"  warning: {w}" for w in inspection.warnings)
    return "\n".join(lines)
