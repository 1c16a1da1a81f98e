"""Tables read by a library into typed values (Parquet, Stata/SPSS/SAS, ODS, XLS): the shared step that
turns a sample and the role columns into an :class:`~.model.Inspection`, exactly as a CSV is described.

The library readers give numbers, dates and text; :func:`cell` turns each into the text a CSV would hold
(dates as ISO 8601), so :func:`~.table.plan_table` finds the time, region and coordinate columns with the
same rules, and :func:`~.table.describe_table` fills period, frequency, area, category and source the same way.
Readers that can read a few columns without the rest (Parquet, readstat) pass ``more``: batches of only the
columns the plan needs, so a wide file is never read whole.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from planet_gui.core.inspect.model import Inspection, Preview
from planet_gui.core.inspect.table import Collector, TablePlan, cap_columns, describe_table, plan_table, preview_cells

#: rows of a sample the field types are read from
SAMPLE_ROWS = 2000
#: rows kept for the personal-data scan (its sample: privacy.scan.SAMPLE_ROWS)
TABLE_SAMPLE_ROWS = 500
#: a batch of role columns: (rows in it, column index -> that column's values)
Batch = tuple[int, Mapping[int, Sequence[Any]]]


def cell(value: Any) -> str | None:
    """A typed value as the text a CSV would hold (None for missing; dates as ISO 8601)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        if value.hour == value.minute == value.second == value.microsecond == 0 and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    try:
        if value != value:  # NaN, NaT
            return None
    except (TypeError, ValueError):
        pass
    to_datetime = getattr(value, "to_pydatetime", None)  # pandas Timestamp
    if callable(to_datetime):
        return cell(to_datetime())
    if type(value).__name__.startswith("datetime64"):  # numpy
        import numpy

        return cell(str(numpy.datetime_as_string(value, unit="s")))
    item = getattr(value, "item", None)  # numpy scalar
    if callable(item):
        try:
            plain = item()
        except (TypeError, ValueError, OverflowError):
            return str(value)
        if isinstance(plain, int | float | str | bytes | datetime | date):
            return cell(plain) if not isinstance(plain, int) or isinstance(plain, bool) else str(plain)
    return str(value)


def cells(row: Iterable[Any]) -> list[str | None]:
    return [cell(value) for value in row]


def describe_frame(
    path: Path,
    size: int,
    *,
    label: str,
    columns: list[str],
    sample: list[list[str | None]],
    preview_rows: int,
    record_count: int | None = None,
    more: Callable[[TablePlan, list[int]], Iterable[Batch]] | None = None,
    sampled: bool = False,
    estimated: bool = False,
    details: Mapping[str, Any] | None = None,
    warnings: Sequence[str] = (),
    extra_names: Sequence[str] = (),
) -> Inspection:
    """The inspection of a table whose header is ``columns`` and first rows ``sample`` (as text cells).

    ``more(plan, roles)``, when given, yields batches of the columns listed in ``roles`` for the rows after the
    sample (or for every row, when the reader cannot skip: then it says so by yielding the sample's rows too and
    ``record_count`` is given). ``record_count`` defaults to the rows seen. ``sampled``: the time axis comes
    from a part of the rows only. ``extra_names``: labels (variable labels of Stata/SPSS) that count as names for
    the category guess.
    """
    notes = list(warnings)
    columns = cap_columns(columns, notes)
    width = len(columns)
    sample = [row[:width] for row in sample]
    plan = plan_table(columns, sample[:SAMPLE_ROWS])
    collector = Collector(plan)
    collector.add_rows(sample)
    roles = sorted({index for index in (plan.time, plan.region, plan.country, plan.lat, plan.lon) if index is not None})
    if more is not None and roles:
        for count, values in more(plan, roles):
            collector.add_columns(count, functools.partial(_column, values))
    elif more is not None and record_count is None:
        for count, _values in more(plan, []):
            collector.rows += count
    result = describe_table(plan, collector, filename=path.name, sample_rows=sample, estimated=sampled or estimated)
    if extra_names:
        _guess_again(result.metadata, result.details, result.confidence, list(columns) + list(extra_names), path.name)
    count = collector.rows if record_count is None else record_count
    metadata = {"format": label, "record_count": count, **result.metadata}
    result.confidence.update(format=1.0, record_count=0.5 if estimated else 1.0)
    found_details: dict[str, Any] = {**(details or {}), "record_count_estimated": estimated, **result.details}
    if sampled:
        found_details["time_sampled"] = True
    preview = Preview(kind="table", columns=list(columns),
                      rows=[preview_cells(row, width) for row in sample[:preview_rows]])
    found = Inspection(path, size, metadata, found_details, preview, notes + result.warnings)
    # the first rows as text, for the personal-data scan (one more than it reads: it can tell a sample)
    found.table_sample = (list(columns), [[value or "" for value in row] for row in sample[:TABLE_SAMPLE_ROWS + 1]],
                          len(sample) >= count)
    return found


def _column(values: Mapping[int, Sequence[Any]], index: int) -> Iterator[str | None]:
    found = values.get(index)
    if found is None:
        return itertools.repeat(None)
    return (cell(value) for value in found)


def _guess_again(metadata: dict[str, Any], details: dict[str, Any], confidence: dict[str, float],
                 names: list[str], filename: str) -> None:
    from planet_gui.core.inspect import guess

    category = guess.guess_category(names=names, filename=filename)
    if category is not None and "category" not in metadata:
        metadata["category"] = category.value
        confidence["category"] = category.confidence
        details["category_evidence"] = category.evidence
