"""What a table (CSV, JSON records, a sheet) says about itself, shared by every tabular inspector.

1. :func:`plan_table` looks at the header and a sample of rows: field types, and which columns
   hold the time, the region, the country, latitude and longitude.
2. A :class:`Collector` is fed every row (or a sample of a huge file) and keeps only what those
   few columns need: distinct timestamps, distinct region names, coordinate extremes.
3. :func:`describe_table` turns both into schema metadata, details and warnings.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from planet_gui.core.i18n import tr
from planet_gui.core.inspect import area, guess
from planet_gui.core.inspect.fields import detect_decimal, infer_type, present, to_float
from planet_gui.core.inspect.model import PREVIEW_CELL_LIMIT, clip
from planet_gui.core.inspect.person_hints import is_birth_date_header
from planet_gui.core.inspect.time_axis import TimeCollector, TimeFormat, is_time_name

_REGION_HINTS = ("regione", "region", "reg", "area", "nome_area", "denominazione_regione", "territorio")
_COUNTRY_HINTS = ("stato", "state", "country", "paese", "nazione", "nation", "iso3", "country_code")
_LAT_NAMES = ("lat", "latitude", "latitudine", "lat_dd", "y_lat")
_LON_NAMES = ("lon", "long", "lng", "longitude", "longitudine", "lon_dd", "x_lon")
_MAX_REGION_VALUES = 10_000
_MAX_COUNTRY_VALUES = 100
_MAX_PAIRS = 100_000
_MAX_POINTS = 5_000
_POINTS_FOR_REGIONS = 300


def _words(name: str) -> list[str]:
    return [word for word in re.split(r"[^a-z0-9]+", name.lower()) if word]


def _coordinate_kind(name: str) -> str | None:
    lowered = name.strip().lower()
    words = _words(name)
    if lowered in _LAT_NAMES or (words and (words[0] in _LAT_NAMES or words[-1] in _LAT_NAMES)):
        return "lat"
    if lowered in _LON_NAMES or (words and (words[0] in _LON_NAMES or words[-1] in _LON_NAMES)):
        return "lon"
    return None


@dataclass
class TablePlan:
    columns: list[str]
    types: dict[str, str]
    decimal: str = "."
    thousands: str | None = None
    time: int | None = None
    time_format: TimeFormat | None = None
    region: int | None = None
    region_codes: bool = False  # the region column holds codes like "LOM"
    country: int | None = None
    lat: int | None = None
    lon: int | None = None

    @property
    def needs_values(self) -> bool:
        """Whether any column needs every row (otherwise counting lines is enough)."""
        return any(role is not None for role in (self.time, self.region, self.country, self.lat, self.lon))


def _column(rows: Sequence[Sequence[str | None]], index: int) -> list[str | None]:
    return [row[index] if index < len(row) else None for row in rows]


def _region_score(values: list[str], codes: bool, needed: float) -> tuple[float, int]:
    """(share of distinct values naming a region, how many); (0, 0) as soon as ``needed`` is out of reach."""
    distinct = set(values)
    if not distinct:
        return 0.0, 0
    lookup = area.region_from_code if codes else area.normalise_region
    total = len(distinct)
    matched = missed = 0
    for value in distinct:
        if lookup(value):
            matched += 1
        else:
            missed += 1
            if (total - missed) / total < needed:  # even if every other value matched
                return 0.0, 0
    return matched / total, matched


def plan_table(columns: list[str], rows: Sequence[Sequence[str | None]], *, separator: str = ",") -> TablePlan:
    """Types and column roles from the header and a sample of (text) rows."""
    if rows and {len(row) for row in rows} == {len(columns)}:  # the usual case: transpose in one go
        by_column: list[list[str | None]] = [list(values) for values in zip(*rows, strict=True)]
    else:
        by_column = [_column(rows, index) for index in range(len(columns))]
    decimal = detect_decimal(by_column, separator)
    thousands = separator == ";"
    texts = [present(values) for values in by_column]  # each column's non-missing cells, stripped
    plan = TablePlan(columns=list(columns), types={}, decimal=decimal)
    time_candidates: list[tuple[int, int, TimeFormat]] = []
    for index, name in enumerate(columns):
        kind, time_format = infer_type(
            by_column[index], name=name, decimal=decimal, thousands=thousands, texts=texts[index]
        )
        if kind == "integer" and thousands and any("." in (v or "") for v in by_column[index]):
            plan.thousands = "."
        plan.types.setdefault(name, kind)
        if time_format is not None and not is_birth_date_header(name):  # births are not the data's time
            rank = 0 if is_time_name(name) else 1
            time_candidates.append((rank, index, time_format))
    if time_candidates:
        _, plan.time, plan.time_format = min(time_candidates, key=lambda item: (item[0], item[1]))

    best_region: tuple[float, int, int, bool] | None = None  # (score, matched, -index, codes)
    for index, name in enumerate(columns):
        if plan.types.get(name) not in ("string",):
            continue
        values = texts[index]
        hinted = any(word in _REGION_HINTS for word in _words(name)) or name.lower() in _REGION_HINTS
        for codes in (False, True):
            if codes and not hinted:
                continue
            needed = 0.8 if hinted else 0.9
            share, matched = _region_score(values, codes, needed)
            if matched and share >= needed and (hinted or matched >= 3):
                candidate = (share + (0.5 if hinted else 0) - (0.3 if codes else 0), matched, -index, codes)
                if best_region is None or candidate > best_region:
                    best_region = candidate
    if best_region is not None:
        plan.region = -best_region[2]
        plan.region_codes = best_region[3]

    for index, name in enumerate(columns):
        if plan.country is None and any(word in _COUNTRY_HINTS for word in _words(name)):
            values = texts[index]
            counts = Counter(values)
            matched = sum(count for value, count in counts.items() if area.normalise_country(value))
            if values and matched >= 0.9 * len(values):
                plan.country = index
        axis = _coordinate_kind(name)
        if axis and plan.types.get(name) in ("float", "integer"):
            numbers = [to_float(v, decimal) for v in texts[index]]
            limit = 90.0 if axis == "lat" else 360.0
            if numbers and all(n is not None and -limit <= n <= limit for n in numbers):
                if axis == "lat" and plan.lat is None:
                    plan.lat = index
                elif axis == "lon" and plan.lon is None:
                    plan.lon = index
    if plan.lat is None or plan.lon is None:
        plan.lat = plan.lon = None
    return plan


class Collector:
    """Accumulates, over every row, only what the plan's role columns need (bounded memory).

    Feed it with :meth:`add_rows` (batches of text rows, in column order) or :meth:`add_columns`.
    """

    def __init__(self, plan: TablePlan) -> None:
        self.plan = plan
        self.rows = 0
        self.time = TimeCollector(plan.time_format) if plan.time is not None and plan.time_format is not None else None
        self.region_values: set[str | None] = set()
        self.country_values: set[str | None] = set()
        self.bbox: list[float] | None = None  # min_lon, min_lat, max_lon, max_lat
        self.points: list[tuple[float, float]] = []  # a bounded sample of distinct (lat, lon)
        self._pairs: set[tuple[str | None, str | None]] = set()
        roles = [plan.time, plan.region, plan.country, plan.lat, plan.lon]
        self._need = max((index + 1 for index in roles if index is not None), default=0)

    @property
    def need(self) -> int:
        """How many leading columns of a row the collector looks at (0: it only counts rows)."""
        return self._need

    def add(self, row: Sequence[str | None]) -> None:
        self.add_rows([row])

    def add_rows(self, rows: Sequence[Sequence[str | None]]) -> None:
        if not rows:
            return
        if self._need == 0:
            self.rows += len(rows)
            return
        if min(map(len, rows)) < self._need:  # short (ragged) rows: pad them
            rows = [list(row) + [None] * (self._need - len(row)) for row in rows]

        def column(index: int) -> Iterable[str | None]:
            return map(itemgetter(index), rows)

        self.add_columns(len(rows), column)

    def add_columns(self, count: int, column: Callable[[int], Iterable[str | None]]) -> None:
        """Add ``count`` rows given as columns: ``column(i)`` yields the values of column i."""
        self.rows += count
        plan = self.plan
        if self.time is not None and plan.time is not None:
            self.time.update(column(plan.time))
        if plan.region is not None and len(self.region_values) < _MAX_REGION_VALUES:
            self.region_values.update(column(plan.region))
        if plan.country is not None and len(self.country_values) < _MAX_COUNTRY_VALUES:
            self.country_values.update(column(plan.country))
        if plan.lat is not None and plan.lon is not None:
            self._pairs.update(zip(column(plan.lat), column(plan.lon), strict=False))
            if len(self._pairs) > _MAX_PAIRS:
                self._flush_points()

    def merge(self, other: Collector) -> None:
        """Add what ``other`` (same plan, e.g. the tail of a big file) collected; rows are not added."""
        if self.time is not None and other.time is not None:
            self.time.merge(other.time)
        if len(self.region_values) < _MAX_REGION_VALUES:
            self.region_values.update(other.region_values)
        if len(self.country_values) < _MAX_COUNTRY_VALUES:
            self.country_values.update(other.country_values)
        other.finish()
        self.points.extend(other.points[: max(0, _MAX_POINTS - len(self.points))])
        if other.bbox is not None:
            self._extend_bbox(other.bbox[0], other.bbox[1])
            self._extend_bbox(other.bbox[2], other.bbox[3])

    def _extend_bbox(self, lon: float, lat: float) -> None:
        if self.bbox is None:
            self.bbox = [lon, lat, lon, lat]
        else:
            box = self.bbox
            box[0], box[1] = min(box[0], lon), min(box[1], lat)
            box[2], box[3] = max(box[2], lon), max(box[3], lat)

    def _flush_points(self) -> None:
        pairs, self._pairs = self._pairs, set()
        decimal = self.plan.decimal
        for lat_text, lon_text in pairs:
            lat, lon = to_float(lat_text, decimal), to_float(lon_text, decimal)
            if lat is None or lon is None or (lat == 0 and lon == 0) or not -90 <= lat <= 90:
                continue
            if lat != lat or lon != lon:  # NaN
                continue
            lon = area.normalise_lon(lon)
            self._extend_bbox(lon, lat)
            if len(self.points) < _MAX_POINTS:
                self.points.append((lat, lon))

    def finish(self) -> None:
        self._flush_points()


@dataclass
class TableResult:
    metadata: dict[str, Any]
    details: dict[str, Any]
    warnings: list[str]
    confidence: dict[str, float]


def _spread(items: list[tuple[float, float]], count: int) -> list[tuple[float, float]]:
    if len(items) <= count:
        return items
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def describe_table(
    plan: TablePlan,
    collector: Collector,
    *,
    filename: str,
    sample_rows: Sequence[Sequence[str | None]] = (),
    estimated: bool = False,
) -> TableResult:
    """Schema metadata (no format/record_count: the caller knows those), details and warnings."""
    metadata: dict[str, Any] = {"fields": list(plan.columns)}
    details: dict[str, Any] = {"field_types": dict(plan.types), "decimal": plan.decimal}
    if plan.thousands:
        details["thousands"] = plan.thousands
    warnings: list[str] = []
    confidence: dict[str, float] = {"fields": 1.0}
    columns = plan.columns

    # -- time ------------------------------------------------------------------------------------
    collector.finish()
    summary = None
    if collector.time is not None and plan.time is not None:
        name = columns[plan.time]
        times = collector.time
        summary = times.summary()
        details["time_format"] = times.format.name
        if times.bad:
            warnings.append(tr("{bad} value(s) of '{name}' are not dates, e.g. {bad_example!r}",
                               bad=times.bad, name=name, bad_example=times.bad_example))
        if summary is not None:
            metadata["time_field"] = name
            metadata["period_start"] = summary.start
            metadata["period_end"] = summary.end
            metadata["frequency"] = summary.frequency
            details["time_steps"] = summary.steps
            if times.approximate:
                details["time_steps_approximate"] = True
            if summary.step_seconds is not None:
                details["time_step_seconds"] = summary.step_seconds
            if summary.note:
                warnings.append(tr("Frequency set to 'irregular': {note}", note=summary.note))
            level = 0.6 if estimated else 0.9
            confidence.update(time_field=0.9, period_start=level, period_end=level, frequency=level)
    if summary is None:
        metadata["frequency"] = "none"
        confidence["frequency"] = 0.6

    # -- area ------------------------------------------------------------------------------------
    regions: list[str] = []
    if plan.region is not None:
        lookup = area.region_from_code if plan.region_codes else area.normalise_region
        unmatched = []
        for value in collector.region_values:
            if not value or not value.strip():
                continue
            region = lookup(value)
            if region:
                regions.append(region)
            else:
                unmatched.append(value)
        regions = area.sort_regions(regions)
        details["region_field"] = columns[plan.region]
        if unmatched:
            details["region_values_unmatched"] = sorted(unmatched)[:20]
    countries = {area.normalise_country(value) for value in collector.country_values if value and value.strip()}
    if plan.country is not None:
        details["country_field"] = columns[plan.country]
    if collector.bbox is not None:
        details["bbox"] = area.format_bbox((collector.bbox[0], collector.bbox[1], collector.bbox[2], collector.bbox[3]))
        details["lat_field"] = columns[plan.lat] if plan.lat is not None else None
        details["lon_field"] = columns[plan.lon] if plan.lon is not None else None
    if regions:
        metadata["regions"] = regions
        metadata["area"] = area.describe_regions(regions)
        metadata["state"] = area.ITALY
        confidence.update(regions=0.9, area=0.85, state=0.9)
    elif countries == {area.ITALY}:
        metadata["area"] = area.ITALY
        metadata["state"] = area.ITALY
        confidence.update(area=0.8, state=0.9)
    elif collector.bbox is not None:
        box = collector.bbox
        points = _spread(sorted(set(collector.points)), _POINTS_FOR_REGIONS)
        area.apply_guess(area.describe_bbox((box[0], box[1], box[2], box[3]), points), metadata, confidence)

    # -- category and source ------------------------------------------------------------------------
    texts = _sample_texts(plan, sample_rows)
    category = guess.guess_category(names=columns, texts=texts, filename=filename)
    if category is not None:
        metadata["category"] = category.value
        confidence["category"] = category.confidence
        details["category_evidence"] = category.evidence
    source = guess.guess_source(filename=filename, names=columns)
    if source is not None:
        metadata["source"] = source.value
        confidence["source"] = source.confidence
    details["confidence"] = confidence
    return TableResult(metadata, details, warnings, confidence)


def _sample_texts(plan: TablePlan, rows: Sequence[Sequence[str | None]]) -> list[str]:
    """Distinct short text values of the sample's string columns (e.g. "Pfizer/BioNTech")."""
    seen: set[str] = set()
    for index, name in enumerate(plan.columns):
        if plan.types.get(name) != "string" or index == plan.region:
            continue
        for row in rows[:500]:
            value = row[index] if index < len(row) else None
            if value and len(value) <= 40:
                seen.add(value)
            if len(seen) >= 300:
                return sorted(seen)
    return sorted(seen)


def preview_cells(row: Sequence[Any], width: int) -> list[str]:
    """A row as ``width`` display strings (missing cells empty, long ones clipped)."""
    cells = []
    for index in range(width):
        value = row[index] if index < len(row) else None
        cells.append(clip(cell_text(value), PREVIEW_CELL_LIMIT))
    return cells


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# Columns analysed and listed as fields: wider tables keep their first MAX_COLUMNS (a note says so). Beyond
# a few thousand, the names are no use as metadata and the analysis alone would take tens of seconds.
MAX_COLUMNS = 4096


def cap_columns(columns: list[str], warnings: list[str]) -> list[str]:
    """The first MAX_COLUMNS of ``columns``, with a warning when there were more."""
    if len(columns) <= MAX_COLUMNS:
        return columns
    warnings.append(columns_note(len(columns)))
    return columns[:MAX_COLUMNS]


def columns_note(count: int) -> str:
    return tr("The table has {count:,} columns; only the first {limit:,} were analysed and listed as fields",
              count=count, limit=MAX_COLUMNS)


def header_names(cells: Iterable[str | None]) -> tuple[list[str], list[str]]:
    """Column names from header cells: multi-line cells joined with a space; blanks named."""
    names: list[str] = []
    warnings: list[str] = []
    blank = 0
    for index, cell in enumerate(cells):
        text = " ".join(part.strip() for part in (cell or "").splitlines() if part.strip()).strip()
        if not text:
            blank += 1
            text = f"column_{index + 1}"
        names.append(text)
    if blank:
        warnings.append(tr("{blank} column(s) have no name in the header; called column_N", blank=blank))
    duplicates = sorted(name for name, count in Counter(names).items() if count > 1)  # linear, not quadratic
    if duplicates:
        warnings.append(tr("Duplicate column names: {names}", names=', '.join(duplicates[:5])))
    return names, warnings
