"""Time axes: recognise date/time text, and turn timestamps into a period and a frequency.

Frequency comes from the distinct timestamps, sorted, so panel data (many rows sharing one
timestamp, e.g. one row per region per day) gives the step between days, not zero.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from planet_gui.core.i18n import tr

HOUR = 3600.0
DAY = 86400.0

# Column / coordinate names that usually hold the time (lower case, exact or as a word).
TIME_NAME_HINTS = (
    "data", "date", "time", "datetime", "timestamp", "giorno", "day", "periodo", "period",
    "valid_time", "dt", "datetime_utc", "data_ora", "dataora", "ora", "istante", "mese", "month",
    "anno", "year", "settimana", "week",
)  # fmt: skip
_YEAR_HINTS = ("anno", "year", "yr", "anni")
_COMPACT_HINTS = ("data", "date", "day", "giorno", "time")

# (frequency, lowest step, highest step) in seconds; the ranges tolerate DST shifts and month lengths.
_STEPS: tuple[tuple[str, float, float], ...] = (
    ("hourly", 50 * 60, 70 * 60),
    ("3-hourly", 2.5 * HOUR, 3.5 * HOUR),
    ("daily", 20 * HOUR, 28 * HOUR),
    ("weekly", 6 * DAY, 8 * DAY),
    ("monthly", 27 * DAY, 32 * DAY),
    ("yearly", 360 * DAY, 370 * DAY),
)
_REGULAR_SHARE = 0.8
_MISSING = ("", "na", "nan", "nat", "null", "none", "-", "nd", "n.d.")


@dataclass(frozen=True)
class TimeFormat:
    """A way dates are written in a column; ``parse`` returns None for text not in this form."""

    name: str
    has_time: bool
    parse: Callable[[str], datetime | None]


_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}(?::\d{2}(?::\d{2}(?:[.,]\d+)?)?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?")
_ISO_SLASH = re.compile(r"\d{4}/\d{2}/\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_DMY_LINE = re.compile(r"^\s*" + _DMY.pattern + r"\s*$", re.MULTILINE)  # some line of a text may be one
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_YEAR = re.compile(r"(1[5-9]\d{2}|2[01]\d{2})")


def _parse_iso(text: str) -> datetime | None:
    text = text.strip()
    if not _ISO.fullmatch(text):
        return None
    try:
        return datetime.fromisoformat(text.replace(",", "."))
    except ValueError:
        return None


def _parse_iso_slash(text: str) -> datetime | None:
    text = text.strip()
    if not _ISO_SLASH.fullmatch(text):
        return None
    try:
        return datetime.fromisoformat(text.replace("/", "-"))
    except ValueError:
        return None


def _dmy_parser(day_first: bool) -> Callable[[str], datetime | None]:
    def parse(text: str) -> datetime | None:
        match = _DMY.fullmatch(text.strip())
        if not match:
            return None
        first, second, year, hour, minute, second_s = match.groups()
        day, month = (first, second) if day_first else (second, first)
        try:
            return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second_s or 0))
        except ValueError:
            return None

    return parse


def _parse_year_month(text: str) -> datetime | None:
    match = _YEAR_MONTH.fullmatch(text.strip())
    if not match:
        return None
    try:
        return datetime(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None


def _parse_compact(text: str) -> datetime | None:
    match = _COMPACT.fullmatch(text.strip())
    if not match:
        return None
    try:
        return datetime(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _parse_year(text: str) -> datetime | None:
    match = _YEAR.fullmatch(text.strip())
    return datetime(int(match[1]), 1, 1) if match else None


def _name_has(name: str, hints: Iterable[str]) -> bool:
    words = set(re.split(r"[^a-z0-9]+", name.lower()))
    return any(hint in words for hint in hints)


def is_time_name(name: str) -> bool:
    return _name_has(name, TIME_NAME_HINTS)


def detect_format(values: Sequence[str], *, name: str = "", share: float = 0.95) -> TimeFormat | None:
    """The format that parses (nearly) all of ``values``; None when they are not dates."""
    texts = [value.strip() for value in values if value and value.strip()]
    if not texts:
        return None
    candidates: list[TimeFormat] = []
    if any("-" in text for text in texts[:50]):
        has_time = any(len(text) > 10 for text in texts[:200])
        candidates.append(TimeFormat("iso", has_time, _parse_iso))
        candidates.append(TimeFormat("year-month", False, _parse_year_month))
    if any("/" in text for text in texts[:50]):
        has_time = any(len(text) > 10 for text in texts[:200])
        candidates.append(TimeFormat("iso-slash", has_time, _parse_iso_slash))
    dmy = [_DMY.fullmatch(text) for text in texts[:1000]] if _DMY_LINE.search("\n".join(texts[:1000])) else []
    if any(dmy):
        firsts = [int(m[1]) for m in dmy if m]
        seconds = [int(m[2]) for m in dmy if m]
        day_first = not (max(seconds) > 12 and max(firsts) <= 12)
        has_time = any(m[4] for m in dmy if m)
        label = "day/month/year" if day_first else "month/day/year"
        candidates.append(TimeFormat(label, has_time, _dmy_parser(day_first)))
    if _name_has(name, _COMPACT_HINTS):
        candidates.append(TimeFormat("yyyymmdd", False, _parse_compact))
    if _name_has(name, _YEAR_HINTS):
        candidates.append(TimeFormat("year", False, _parse_year))
    probe = texts[:2000]
    needed = share * len(probe)
    for candidate in candidates:
        parse = candidate.parse
        parsed = missed = 0
        for text in probe:
            if parse(text) is not None:
                parsed += 1
            else:
                missed += 1
                if len(probe) - missed < needed:  # out of reach even if every other text parsed
                    break
        if parsed and parsed >= needed:
            return candidate
    return None


@dataclass(frozen=True)
class TimeSummary:
    start: str
    end: str
    frequency: str
    steps: int  # distinct timestamps
    step_seconds: float | None = None  # the dominant step, when there is one
    note: str | None = None  # why the frequency is "irregular", when it is


def _sort_key(moment: Any) -> Any:
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        return moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def format_moment(moment: Any, *, date_only: bool) -> str:
    """ISO 8601 text for a datetime (or cftime date); just the date for date-only data."""
    if date_only and isinstance(moment, datetime | date):
        return moment.strftime("%Y-%m-%d") if moment.year >= 1000 else moment.isoformat()[:10]
    if isinstance(moment, datetime):
        return moment.isoformat(timespec="microseconds" if moment.microsecond else "seconds")
    text = str(moment.isoformat()) if hasattr(moment, "isoformat") else str(moment)
    return text


def classify_steps(steps: Mapping[float, int]) -> tuple[str, float | None, str | None]:
    """Frequency from the steps between distinct sorted timestamps (seconds -> how many times)."""
    total = sum(steps.values())
    if total == 0:
        return "snapshot", None, None
    by_class: Counter[str] = Counter()
    for seconds, count in steps.items():
        for name, low, high in _STEPS:
            if low <= seconds <= high:
                by_class[name] += count
                break
    dominant_step, dominant_count = max(steps.items(), key=lambda item: item[1])
    if by_class:
        name, count = by_class.most_common(1)[0]
        if count >= _REGULAR_SHARE * total:
            return name, dominant_step, None
    if dominant_count >= _REGULAR_SHARE * total:
        return "irregular", dominant_step, tr("regular step of {step}, not in the schema",
                                              step=describe_seconds(dominant_step))
    return "irregular", None, "the time steps vary"


def describe_seconds(seconds: float) -> str:
    if seconds % DAY == 0:
        return f"{int(seconds // DAY)} d"
    if seconds % HOUR == 0:
        return f"{int(seconds // HOUR)} h"
    if seconds % 60 == 0:
        return f"{int(seconds // 60)} min"
    return f"{seconds:g} s"


def summarise(moments: Iterable[Any], *, date_only: bool = False) -> TimeSummary | None:
    """Period and frequency of timestamps (datetimes or cftime dates, repeats allowed)."""
    distinct = sorted(set(moments), key=_sort_key)
    if not distinct:
        return None
    start = format_moment(distinct[0], date_only=date_only)
    end = format_moment(distinct[-1], date_only=date_only)
    if len(distinct) == 1:
        return TimeSummary(start, end, "snapshot", 1)
    keys = [_sort_key(moment) for moment in distinct]
    steps: Counter[float] = Counter()
    for before, after in zip(keys, keys[1:], strict=False):
        steps[round((after - before).total_seconds(), 3)] += 1
    frequency, step, note = classify_steps(steps)
    return TimeSummary(start, end, frequency, len(distinct), step, note)


def summarise_steps(start: str, end: str, steps: Mapping[float, int], distinct: int) -> TimeSummary:
    """Like :func:`summarise`, for callers (netCDF) that computed the steps themselves."""
    if distinct <= 1:
        return TimeSummary(start, end, "snapshot", distinct)
    frequency, step, note = classify_steps(steps)
    return TimeSummary(start, end, frequency, distinct, step, note)


class TimeCollector:
    """Distinct timestamps of a column, as text, parsed in batches so memory stays bounded.

    Up to ``batch`` distinct values are kept; then they are parsed and reduced to the first and
    last moment and the counts of steps between consecutive distinct moments.
    """

    def __init__(self, time_format: TimeFormat, *, batch: int = 200_000) -> None:
        self.format = time_format
        self.batch = batch
        self._pending: set[str | None] = set()
        self._first: Any = None
        self._last: Any = None
        self._steps: Counter[float] = Counter()
        self._distinct = 0
        self.flushes = 0
        self.bad = 0
        self.bad_example: str | None = None

    def update(self, values: Iterable[str | None]) -> None:
        self._pending.update(values)
        if len(self._pending) > self.batch:
            self._flush()

    def _flush(self) -> None:
        pending, self._pending = self._pending, set()
        parsed: list[datetime] = []
        fast = datetime.fromisoformat if self.format.name == "iso" else None
        parse = self.format.parse
        for text in pending:
            if not text:
                continue
            if fast is not None:
                try:
                    parsed.append(fast(text))
                    continue
                except ValueError:
                    pass
            moment = parse(text)
            if moment is not None:
                parsed.append(moment)
            elif text.strip().lower() not in _MISSING:
                self.bad += 1
                if self.bad_example is None or text < self.bad_example:
                    self.bad_example = text
        if not parsed:
            return
        self.flushes += 1
        if any(moment.tzinfo is not None for moment in parsed):
            ordered = sorted(set(parsed), key=_sort_key)
            keys = [_sort_key(moment) for moment in ordered]
        else:
            ordered = keys = sorted(set(parsed))
        self._steps.update(
            round((after - before).total_seconds(), 3) for before, after in zip(keys, keys[1:], strict=False)
        )
        self._distinct += len(ordered)
        if self._first is None or keys[0] < _sort_key(self._first):
            self._first = ordered[0]
        if self._last is None or keys[-1] > _sort_key(self._last):
            self._last = ordered[-1]

    def merge(self, other: TimeCollector) -> None:
        """Add the timestamps ``other`` saw, without a step across the gap between the two.

        For a big file read as a head and a tail sample: the period spans both, the steps are
        those within each sample (the gap between them is not a step of the data).
        """
        self._flush()
        other._flush()
        self.bad += other.bad
        if other.bad_example is not None and (self.bad_example is None or other.bad_example < self.bad_example):
            self.bad_example = other.bad_example
        if other._first is None:
            return
        self._steps.update(other._steps)
        self._distinct += other._distinct
        self.flushes += max(1, other.flushes)
        if self._first is None or _sort_key(other._first) < _sort_key(self._first):
            self._first = other._first
        if self._last is None or _sort_key(other._last) > _sort_key(self._last):
            self._last = other._last

    @property
    def approximate(self) -> bool:
        """True when values were parsed in several batches (step counts are then approximate)."""
        return self.flushes > 1

    def summary(self) -> TimeSummary | None:
        self._flush()
        if self._first is None:
            return None
        date_only = not self.format.has_time
        start = format_moment(self._first, date_only=date_only)
        end = format_moment(self._last, date_only=date_only)
        return summarise_steps(start, end, self._steps, self._distinct)
