"""Field types of a table column from a sample of its text cells."""

from __future__ import annotations

import re
from collections.abc import Sequence

from planet_gui.core.inspect.time_axis import TimeFormat, detect_format

_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?|[+-]?(?:nan|inf|infinity)", re.IGNORECASE)
_COMMA_FLOAT = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+,\d+|[+-]?\d+,\d+(?:[eE][+-]?\d+)?")
_THOUSANDS_INT = re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+")
_SMALL_INT = re.compile(r"[+-]?\d{1,3}")
_BOOLEANS = {"true", "false", "yes", "no", "si", "sì", "vero", "falso"}
MISSING = {"", "na", "n/a", "nan", "null", "none", "-", "nd", "n.d.", "#n/d", "#n/a"}

FIELD_TYPES = ("integer", "float", "boolean", "date", "datetime", "string", "empty")


def present(values: Sequence[str | None]) -> list[str]:
    """The non-missing cells, stripped."""
    out = []
    for value in values:
        if value is None:
            continue
        text = value.strip()
        if text.lower() not in MISSING:
            out.append(text)
    return out


def detect_decimal(columns: Sequence[Sequence[str | None]], separator: str) -> str:
    """ "," when numbers are written with a decimal comma (only possible if "," is not the separator)."""
    if separator == ",":
        return "."
    comma = dot = 0
    for values in columns:
        for text in present(values[:500]):
            if _COMMA_FLOAT.fullmatch(text):
                comma += 1
            elif "." in text and _FLOAT.fullmatch(text) and not _THOUSANDS_INT.fullmatch(text):
                dot += 1
    return "," if comma > dot else "."


def infer_type(
    values: Sequence[str | None], *, name: str = "", decimal: str = ".", thousands: bool = False
) -> tuple[str, TimeFormat | None]:
    """The type of a column and, for dates, their format. ``thousands``: "1.234" may be 1234."""
    texts = present(values)
    if not texts:
        return "empty", None
    if all(_INT.fullmatch(text) for text in texts):
        if any(len(text.lstrip("+-")) > 1 and text.lstrip("+-").startswith("0") for text in texts):
            return "string", None  # codes with leading zeros ("066"): keep them as text
        time_format = detect_format(texts, name=name) if len(texts[0]) in (4, 8) else None
        if time_format is not None and time_format.name in {"year", "yyyymmdd"}:
            return "date", time_format
        return "integer", None
    if thousands and all(_THOUSANDS_INT.fullmatch(t) or _SMALL_INT.fullmatch(t) for t in texts):
        if any(_THOUSANDS_INT.fullmatch(text) for text in texts):
            return "integer", None
    if decimal == "," and all(_COMMA_FLOAT.fullmatch(t) or _INT.fullmatch(t) for t in texts):
        return "float", None
    if decimal == "." and all(_FLOAT.fullmatch(text) for text in texts):
        return "float", None
    if all(text.lower() in _BOOLEANS for text in texts):
        return "boolean", None
    time_format = detect_format(texts, name=name)
    if time_format is not None:
        return ("datetime" if time_format.has_time else "date"), time_format
    return "string", None


def to_float(text: str | None, decimal: str = ".") -> float | None:
    if text is None:
        return None
    text = text.strip()
    if decimal == ",":
        text = text.replace(".", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None
