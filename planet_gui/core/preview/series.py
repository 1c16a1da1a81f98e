"""Time series out of a table sample: one line per place (the DPC regional panel: one line per region), or one
line for the whole table; rows sharing a time and a place are summed (a panel by age band and supplier becomes
doses per region and day)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planet_gui.core.preview.profile import FloatArray
from planet_gui.core.preview.tables import TablePreview

# More places than this: the largest ones (by their sum) are drawn, and the plot says how many were left out.
MAX_LINES = 30


@dataclass
class Line:
    label: str  # the place, or the column's name when the table has no place column
    x: FloatArray  # seconds since 1970, increasing
    y: FloatArray


@dataclass
class Lines:
    column: str
    lines: list[Line]
    groups_total: int  # places in the sample (lines drawn may be fewer)


def lines_for(table: TablePreview, column: str, *, max_lines: int = MAX_LINES) -> Lines:
    """The series of ``column`` over the table's time field, split by its place column when it has one."""
    values = table.numbers[column]
    usable = ~np.isnan(table.times) & ~np.isnan(values)
    if table.groups is None:
        line = _aggregate(column, table.times[usable], values[usable])
        return Lines(column, [line] if line.x.size else [], 1)
    groups = np.array(table.groups, dtype=object)
    names = sorted({str(g) for g in groups[usable]})
    lines = [_aggregate(name, table.times[usable & (groups == name)], values[usable & (groups == name)])
             for name in names]
    lines = [line for line in lines if line.x.size]
    if len(lines) > max_lines:
        lines = sorted(lines, key=lambda line: -float(np.nansum(line.y)))[:max_lines]
        lines.sort(key=lambda line: line.label)
    return Lines(column, lines, len(names))


def _aggregate(label: str, x: FloatArray, y: FloatArray) -> Line:
    if not x.size:
        return Line(label, x, y)
    times, inverse = np.unique(x, return_inverse=True)
    sums = np.zeros(times.size, dtype=np.float64)
    np.add.at(sums, inverse, y)
    return Line(label, times.astype(np.float64), sums)


def default_column(table: TablePreview) -> str | None:
    """The column plotted first: a count of new cases when there is one (what epidemiologists look at
    first), else the first numeric column."""
    names = table.numeric_columns
    for hint in ("nuovi_positivi", "casi_positivi", "new_cases", "nuovi", "casi", "cases", "positiv"):
        for name in names:
            if hint in name.lower() and bool(np.isfinite(table.numbers[name]).any()):
                return name
    return names[0] if names else None
