"""A table's preview data, read from a capped head of the file: the rows the Preview tab plots and profiles.

A CSV is read again from its start, at most ``HEAD_ROWS`` rows and ``HEAD_BYTES`` characters, with the encoding
and dialect its inspection found; Parquet, Stata/SPSS/SAS, spreadsheets and compressed CSV have their head read
again too (:mod:`.heads`); JSON uses the rows its inspection already previewed.
So a 1 GiB file costs what its first 4 MiB cost, and the plot says it shows the first rows only."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from planet_gui.core.inspect.time_axis import detect_format
from planet_gui.core.preview.heads import read_head
from planet_gui.core.preview.profile import NUMERIC, ColumnProfile, FloatArray, column_numbers, profile_column

_PLACE_KEYS = ("city_field", "province_field", "region_field", "place_field")
# At most this many places are drawn as points on the map (the first ones met).
MAX_POINTS = 5_000


@dataclass
class Points:
    """Places with coordinates, one per distinct (lon, lat), labelled by the place column when there is one."""

    lon: list[float] = field(default_factory=list)
    lat: list[float] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)


@dataclass
class TablePreview:
    columns: list[str]
    rows_read: int
    complete: bool  # the sample is the whole file
    profiles: list[ColumnProfile]
    time_field: str | None
    group_field: str | None
    times: FloatArray  # seconds since 1970 (UTC), NaN where the time field did not parse
    numbers: dict[str, FloatArray]  # the numeric columns, NaN where missing
    groups: list[str] | None  # the place of each row, when the table has a place column
    points: Points | None
    bbox: tuple[float, float, float, float] | None = None

    @property
    def numeric_columns(self) -> list[str]:
        return list(self.numbers)


def table_preview(path: Path | None, details: Mapping[str, Any], metadata: Mapping[str, Any],
                  columns: Sequence[str] = (), rows: Sequence[Sequence[str]] = ()) -> TablePreview:
    """The preview of a table: the capped head of the file at ``path`` read again (CSV, compressed CSV, Parquet,
    Stata/SPSS/SAS, ODS/XLS: see :mod:`.heads`), else (JSON, or no path) the given ``rows``."""
    complete = True
    head = read_head(path, details, metadata, columns) if path is not None else None
    if head is not None:
        columns, rows, complete = head
    names = [str(name) for name in columns]
    width = len(names)
    cells = [row if len(row) == width else list(row[:width]) + [""] * (width - len(row)) for row in rows]
    del rows
    count = len(cells)
    by_column: list[Sequence[str]] = list(zip(*cells, strict=True)) if cells else [() for _ in names]
    del cells
    kinds = dict(details.get("field_types") or {})
    decimal = str(details.get("decimal") or ".")
    thousands = str(details.get("thousands") or "")
    profiles: list[ColumnProfile] = []
    parsed: dict[str, FloatArray] = {}
    for name, values in zip(names, by_column, strict=True):
        kind = str(kinds.get(name) or kinds.get(" ".join(name.split())) or "")
        numbers = column_numbers(values, decimal, thousands) if kind in NUMERIC or not kind else None
        profile = profile_column(name, values, kind, numbers)
        profiles.append(profile)
        if profile.kind in NUMERIC and numbers is not None:
            parsed[name] = numbers
    keep = {str(metadata.get("time_field") or ""), *(str(details.get(key) or "") for key in _PLACE_KEYS)}
    by_column = [values if name in keep or name not in parsed else () for name, values in zip(names, by_column,
                                                                                              strict=True)]
    by_name = {profile.name: profile for profile in profiles}
    time_field = str(metadata.get("time_field") or "") or None
    if time_field not in by_name:
        time_field = None
    group_field = _group_field(details, by_name)
    skip = {details.get("lat_field"), details.get("lon_field"), time_field, group_field}
    numbers_out = {name: values for name, values in parsed.items() if name not in skip}
    times = _times(by_column[names.index(time_field)]) if time_field else np.full(count, math.nan)
    groups = [value.strip() for value in by_column[names.index(group_field)]] if group_field else None
    points = _points(names, by_column, parsed, details, group_field)
    bbox = details.get("bbox")
    return TablePreview(names, count, complete, profiles, time_field, group_field, times, numbers_out, groups,
                        points, tuple(float(v) for v in bbox) if bbox else None)  # type: ignore[arg-type]


def _group_field(details: Mapping[str, Any], profiles: Mapping[str, ColumnProfile]) -> str | None:
    """The place column whose values split the series: a region, province or city named by the inspection."""
    for key in _PLACE_KEYS:
        name = details.get(key)
        if isinstance(name, str) and name in profiles and profiles[name].distinct > 1:
            return name
    return None


def _times(values: Sequence[str]) -> FloatArray:
    found = detect_format([value.strip() for value in values[:2000]], share=0.8)
    out = np.full(len(values), math.nan)
    if found is None:
        return out
    seen: dict[str, float] = {}  # a panel repeats each time once per place
    for i, text in enumerate(values):
        stamp = seen.get(text)
        if stamp is None:
            moment = found.parse(text.strip()) if text.strip() else None
            stamp = _seconds(moment) if moment is not None else math.nan
            seen[text] = stamp
        out[i] = stamp
    return out


def _seconds(moment: datetime) -> float:
    try:
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
    except (OverflowError, OSError, ValueError):
        return math.nan


def _points(names: list[str], by_column: Sequence[Sequence[str]], parsed: Mapping[str, FloatArray],
            details: Mapping[str, Any], label_field: str | None) -> Points | None:
    lat_name, lon_name = details.get("lat_field"), details.get("lon_field")
    if lat_name not in parsed or lon_name not in parsed:
        return None
    lats, lons = parsed[str(lat_name)], parsed[str(lon_name)]
    labels = by_column[names.index(label_field)] if label_field else None
    points = Points()
    seen: set[tuple[float, float]] = set()
    for i, (lat, lon) in enumerate(zip(lats.tolist(), lons.tolist(), strict=True)):
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lon, lat) in seen:  # NaN fails both
            continue
        seen.add((lon, lat))
        points.lon.append(lon)
        points.lat.append(lat)
        points.labels.append(labels[i].strip() if labels is not None else "")
        if len(seen) >= MAX_POINTS:
            break
    return points if points.lon else None
