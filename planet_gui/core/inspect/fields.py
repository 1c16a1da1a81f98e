"""Field types of a table column from a sample of its text cells."""

from __future__ import annotations

import itertools
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
# Every spelling of the missing markers whose lower case is one ("NA", "Null", "N.D."...).
_MISSING_ANY_CASE = frozenset(
    "".join(letters) for word in MISSING for letters in itertools.product(*({c, c.upper()} for c in word))
)


def _lines_of(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A pattern matching one or more lines, each matching ``pattern``, separated by newlines."""
    return re.compile(rf"(?:{pattern.pattern})(?:\n(?:{pattern.pattern}))*", pattern.flags)


_INT_LINES = _lines_of(_INT)
_FLOAT_LINES = _lines_of(_FLOAT)
_LEADING_ZERO = re.compile(r"^[+-]*0\d", re.MULTILINE)


def _all_match(pattern: re.Pattern[str], lines: re.Pattern[str], texts: list[str]) -> bool:
    """``all(pattern.fullmatch(t) for t in texts)``, in one regex call when no text holds a newline."""
    joined = "\n".join(texts)
    if joined.count("\n") == len(texts) - 1:
        return lines.fullmatch(joined) is not None
    return all(pattern.fullmatch(text) for text in texts)


def present(values: Sequence[str | None]) -> list[str]:
    """The non-missing cells, stripped."""
    try:
        texts = list(map(str.strip, values))  # type: ignore[arg-type]
    except TypeError:  # some cells are None
        texts = [value.strip() for value in values if value is not None]
    missing = _MISSING_ANY_CASE.intersection(texts)
    return [text for text in texts if text not in missing] if missing else texts


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
    values: Sequence[str | None],
    *,
    name: str = "",
    decimal: str = ".",
    thousands: bool = False,
    texts: list[str] | None = None,
) -> tuple[str, TimeFormat | None]:
    """The type of a column and, for dates, their format. ``thousands``: "1.234" may be 1234.

    ``texts``: ``present(values)``, when the caller already has it.
    """
    if texts is None:
        texts = present(values)
    if not texts:
        return "empty", None
    if _all_match(_INT, _INT_LINES, texts):
        if _LEADING_ZERO.search("\n".join(texts)):
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
    if decimal == "." and _all_match(_FLOAT, _FLOAT_LINES, texts):
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
