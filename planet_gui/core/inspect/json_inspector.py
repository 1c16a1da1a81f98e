"""JSON holding records: an array of objects, an object holding them under a key ("results",
"data"...), a pandas ``to_json`` table (orient table/split/columns/index), GeoJSON, or JSON Lines.

Arrays are streamed, so a file of any size is read with bounded memory; past FULL_SCAN_LIMIT
characters reading stops and the record count is estimated.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from planet_gui.core.errors import InspectionError
from planet_gui.core.i18n import N_, tr
from planet_gui.core.inspect import text as textmod
from planet_gui.core.inspect.jsonstream import (
    FastPathDeclined,
    JsonLimit,
    JsonStream,
    JsonSyntaxError,
    StopScan,
    is_streamed,
)
from planet_gui.core.inspect.model import FULL_SCAN_LIMIT, Inspection, Preview
from planet_gui.core.inspect.table import (
    MAX_COLUMNS,
    Collector,
    cell_text,
    columns_note,
    describe_table,
    plan_table,
    preview_cells,
)

_SAMPLE_RECORDS = 1000
_BATCH = 5000
_SCAN_ROWS = 500  # records kept for the personal-data scan (its SAMPLE_ROWS), one more to tell there are more
_BATCH_NODES = 200_000  # values of the records waiting in a batch
_PREFERRED_KEYS = (
    "results",
    "result",
    "data",
    "records",
    "items",
    "rows",
    "features",
    "values",
    "entries",
    "objects",
    "list",
    "elements",
    "dati",
    "risultati",
)
_NOT_RECORDS = N_(
    "expected an array of objects, an object holding an array of objects under a key (e.g. "
    '"results" or "data"), a pandas to_json table, GeoJSON or JSON Lines'
)


class _Sink:
    """Receives the items of one streamed array: keeps a sample, then feeds a table of the rest."""

    def __init__(self, key: str | None, budget: _Budget) -> None:
        self.key = key
        self.count = 0
        self.sample: list[Any] = []
        self.table: _RecordTable | None = None
        self._tried = False
        self._pending: list[dict[str, Any]] = []
        self._pending_nodes = 0
        self._budget = budget

    def __call__(self, item: Any, nodes: int = 1) -> None:
        self.count += 1
        if self.count <= _SAMPLE_RECORDS:
            self._budget.keep(nodes)
            self.sample.append(item)
            return
        if not self._tried:
            self._tried = True
            self.table = _RecordTable.from_sample(self.sample)
        if self.table is not None and isinstance(item, dict):
            self._pending.append(item)
            self._pending_nodes += nodes
            if len(self._pending) >= _BATCH or self._pending_nodes >= _BATCH_NODES:
                self.flush()
        if self.count % _BATCH == 0 or nodes > _BATCH:
            self._budget.check()

    def flush(self) -> None:
        if self.table is not None and self._pending:
            self.table.add_records(self._pending)
        self._pending = []
        self._pending_nodes = 0


@dataclass
class _Budget:
    stream: JsonStream | None = None
    stopped: bool = False

    def check(self) -> None:
        if self.stream is not None and self.stream.offset > FULL_SCAN_LIMIT:
            self.stopped = True
            raise StopScan

    def keep(self, nodes: int) -> None:
        if self.stream is not None:
            self.stream.keep(nodes)


def _is_records(items: list[Any]) -> bool:
    return bool(items) and sum(1 for item in items if isinstance(item, dict)) >= 0.9 * len(items)


def _is_feature(item: dict[str, Any]) -> bool:
    return str(item.get("type", "")).lower() == "feature" and isinstance(item.get("properties"), dict)


def _geo_record(item: Any) -> dict[str, Any]:
    """A GeoJSON feature as a flat record: its properties, plus the first point of its geometry."""
    if not isinstance(item, dict):
        return {}
    record = dict(item.get("properties") or {})
    point = _first_point(item.get("geometry"))
    if point is not None and "lat" not in record and "lon" not in record:
        record["lon"], record["lat"] = point
    return record


def _first_point(geometry: Any) -> tuple[float, float] | None:
    coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
    while isinstance(coords, list) and coords and isinstance(coords[0], list):
        coords = coords[0]
    if isinstance(coords, list) and len(coords) >= 2 and all(isinstance(c, int | float) for c in coords[:2]):
        return float(coords[0]), float(coords[1])
    return None


class _RecordTable:
    """Columns from a sample of records, then a plan and a collector fed with every record."""

    def __init__(self, sample: list[dict[str, Any]], unwrap: Callable[[Any], dict[str, Any]] | None) -> None:
        self.unwrap = unwrap
        records = [unwrap(item) for item in sample] if unwrap else sample
        columns: dict[str, None] = {}
        for record in records:
            for key in record:
                columns.setdefault(str(key), None)
        self.width = len(columns)
        self.columns = list(columns)[:MAX_COLUMNS]
        self._known = set(self.columns)
        self.extra: dict[str, None] = {}
        rows = [self._row(record) for record in records]
        self.sample_rows = rows
        self.native = _native_types(self.columns, records)
        self.plan = plan_table(self.columns, rows)
        self.collector = Collector(self.plan)
        self.collector.add_rows(rows)

    @classmethod
    def from_sample(
        cls, sample: list[Any], unwrap: Callable[[Any], dict[str, Any]] | None = None
    ) -> _RecordTable | None:
        if not _is_records(sample):
            return None
        records = [item for item in sample if isinstance(item, dict)]
        if unwrap is None and all(_is_feature(item) for item in records[:50]):
            unwrap = _geo_record
        return cls(records, unwrap)

    def _row(self, record: dict[str, Any]) -> list[str | None]:
        return [None if (value := record.get(name)) is None else cell_text(value) for name in self.columns]

    def add_records(self, items: list[dict[str, Any]]) -> None:
        records = [self.unwrap(item) for item in items] if self.unwrap else items
        known = self._known
        if len(self.extra) < 1000:
            for record in records:
                if not record.keys() <= known:
                    for key in record:
                        if key not in known:
                            self.extra.setdefault(str(key), None)
        names = self.columns

        def column(index: int) -> list[str | None]:
            name = names[index]
            return [_text(record.get(name)) for record in records]

        self.collector.add_columns(len(records), column)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return cell_text(value)


def _native_types(columns: list[str], records: list[dict[str, Any]]) -> dict[str, str]:
    """JSON's own types where they say more than the text would (numbers, booleans, objects)."""
    found: dict[str, set[str]] = {name: set() for name in columns}
    for record in records:
        for name in columns:
            value = record.get(name)
            if value is None:
                continue
            if isinstance(value, bool):
                kind = "boolean"
            elif isinstance(value, int):
                kind = "integer"
            elif isinstance(value, float):
                kind = "float"
            elif isinstance(value, dict):
                kind = "object"
            elif isinstance(value, list):
                kind = "array"
            else:
                kind = "string"
            found[name].add(kind)
    types: dict[str, str] = {}
    for name, kinds in found.items():
        if kinds == {"integer"}:
            types[name] = "integer"
        elif kinds and kinds <= {"integer", "float"}:
            types[name] = "float"
        elif len(kinds) == 1 and kinds != {"string"}:
            types[name] = next(iter(kinds))
        elif kinds == {"string"}:
            types[name] = "string"  # refined from the text below
        elif kinds:
            types[name] = "mixed"
    return types


@dataclass
class _Found:
    structure: str
    table: _RecordTable
    count: int
    result_key: str | None = None
    schema_types: dict[str, str] = field(default_factory=dict)


def inspect_json(path: Path, size: int, *, preview_rows: int, head: bytes) -> Inspection:
    complete = size <= len(head)
    warnings: list[str] = []
    if textmod.looks_binary(head):
        raise InspectionError(tr("{name} does not look like text (it holds binary bytes), so it is not JSON.",
                                 name=path.name))
    encoding = textmod.detect_encoding(head, complete=complete)
    if encoding.name not in ("utf-8", "utf-8-sig", "utf-16", "utf-32"):
        warnings.append(tr("JSON should be UTF-8; read as {name}", name=encoding.name))
    first_text = textmod.decode_head(head, encoding, complete=complete).lstrip("\ufeff \t\r\n")
    if not first_text:
        raise InspectionError(tr("{name} holds only blank space, no JSON.", name=path.name))
    if first_text[0] not in "[{":
        raise InspectionError(tr("{name} does not hold records ({hint}).",
                                 name=path.name, hint=tr(_NOT_RECORDS)))
    try:
        with open(path, "rb") as handle:
            try:
                budget, found = _read(handle, encoding.name, first_text, path.name, fast=True)
            except FastPathDeclined:  # a value too long for the C builder: again, event by event
                handle.seek(0)
                budget, found = _read(handle, encoding.name, first_text, path.name, fast=False)
    except JsonSyntaxError as exc:
        raise InspectionError(tr("{name} is not valid JSON: {error}", name=path.name, error=exc)) from exc
    except JsonLimit as exc:
        raise InspectionError(tr("{name} cannot be inspected safely: {reason}", name=path.name, reason=exc)) from exc
    except RecursionError as exc:
        raise InspectionError(tr("{name} nests JSON too deeply to read", name=path.name)) from exc

    estimated = budget.stopped
    table = found.table
    if estimated:
        consumed = max(1, budget.stream.offset if budget.stream else 1)
        found.count = int(round(found.count * size / consumed))
        warnings.append(
            tr("File larger than {mib} MiB: record count estimated, period and areas from the records read",
               mib=FULL_SCAN_LIMIT // (1024 * 1024))
        )
    result = describe_table(
        table.plan, table.collector, filename=path.name, sample_rows=table.sample_rows, estimated=estimated
    )
    fields = table.columns + [name for name in table.extra if name not in table.columns]
    metadata: dict[str, Any] = {"format": "JSON", "record_count": found.count, **result.metadata}
    metadata["fields"] = fields
    if found.result_key:
        metadata["result_key"] = found.result_key
    field_types = dict(result.details.get("field_types", {}))
    for name, kind in table.native.items():
        if kind != "string" or field_types.get(name) in ("integer", "float", "boolean"):
            field_types[name] = kind
    field_types.update(found.schema_types)
    result.details["field_types"] = field_types
    result.details.pop("decimal", None)
    result.confidence.update(format=1.0, record_count=0.5 if estimated else 1.0)
    if found.result_key:
        result.confidence["result_key"] = 0.9
    details: dict[str, Any] = {
        "encoding": encoding.name,
        "structure": found.structure,
        "record_count_estimated": estimated,
        **result.details,
    }
    if table.width > len(table.columns):
        warnings.append(columns_note(table.width))
    if table.extra:
        warnings.append(tr("{count} field(s) appear only after the first {sample} records",
                           count=len(table.extra), sample=_SAMPLE_RECORDS))
    preview = Preview(
        kind="table",
        columns=list(table.columns),
        rows=[preview_cells(row, len(table.columns)) for row in table.sample_rows[:preview_rows]],
    )
    found_inspection = Inspection(path, size, metadata, details, preview, warnings + result.warnings)
    # the records read, as text, for the personal-data scan (not parsed a second time); its columns named as
    # the full scan names them (the path of the key that holds the records, then the field)
    prefix = f"{found.result_key}." if found.result_key else ""
    found_inspection.table_sample = (
        [prefix + name for name in table.columns],
        [[value or "" for value in row] for row in table.sample_rows[:_SCAN_ROWS + 1]],
        not estimated and found.count <= len(table.sample_rows),
    )
    return found_inspection


def _looks_ndjson(text: str) -> bool:
    first, _, rest = text.partition("\n")
    if not rest.strip():
        return False
    try:
        json.loads(first)
    except ValueError:
        return False
    return rest.lstrip()[:1] in ("{", "[")


def _read(handle: IO[bytes], encoding: str, first_text: str, name: str, *, fast: bool) -> tuple[_Budget, _Found]:
    """Read the document from the start of ``handle``; ``fast``: records and lines built by ijson's C builder
    (raises :class:`FastPathDeclined` for a value too long for it)."""
    stream = JsonStream(handle, encoding)
    budget = _Budget(stream)
    if first_text[0] == "{" and _looks_ndjson(first_text):
        return budget, _read_ndjson(stream, budget, fast=fast)
    return budget, _read_document(stream, budget, name, fast=fast and first_text[0] == "[")


def _read_ndjson(stream: JsonStream, budget: _Budget, *, fast: bool) -> _Found:
    """JSON Lines: one value per line (read with the same stream, values separated by blank space)."""
    sink = _Sink(None, budget)
    try:
        if fast:
            stream.items(False, sink)
        while not stream.at_end():
            sink(*stream.value_sized())
    except StopScan:
        pass
    table = _finish(sink)
    if table is None:
        raise InspectionError(tr("The JSON Lines file holds no objects, so no records."))
    return _Found("ndjson", table, sink.count)


def _finish(sink: _Sink) -> _RecordTable | None:
    if sink.table is not None:
        sink.flush()
        return sink.table
    return _RecordTable.from_sample(sink.sample)


def _read_document(stream: JsonStream, budget: _Budget, name: str, *, fast: bool = False) -> _Found:
    """``fast``: the document is an array (its first character says so), its records built by the C builder."""
    first = "[" if fast else stream.peek()
    if first == "[":
        sink = _Sink(None, budget)
        try:
            if fast:
                stream.items(True, sink)
            else:
                stream.array(sink)
            _expect_end(stream)
        except StopScan:
            pass
        if sink.sample and all(isinstance(item, list) for item in sink.sample):
            raise InspectionError(tr("{name} holds an array of arrays, not records with field names "
                                     "({hint}).", name=name, hint=tr(_NOT_RECORDS)))
        table = _finish(sink)
        if table is None:
            raise InspectionError(tr("{name} does not hold records ({hint}).",
                                     name=name, hint=tr(_NOT_RECORDS)))
        return _Found("array", table, sink.count)

    sinks: dict[str, _Sink] = {}

    def on_value(key: str) -> Callable[[Any, int], None]:
        sinks[key] = _Sink(key, budget)
        return sinks[key]

    try:
        document = stream.object(on_value)
        _expect_end(stream)
    except StopScan:
        document = {key: None for key in sinks}
    return _choose(document, sinks, name)


def _expect_end(stream: JsonStream) -> None:
    if not stream.at_end():
        raise stream.error("Unexpected text after the end of the JSON value")


def _choose(document: dict[str, Any], sinks: dict[str, _Sink], name: str) -> _Found:
    """Find the records in a top-level object."""
    # pandas orient="table": {"schema": {"fields": [...]}, "data": [...]}
    schema = document.get("schema")
    if isinstance(schema, dict) and "data" in sinks and isinstance(schema.get("fields"), list):
        table = _finish(sinks["data"])
        if table is not None:
            types = {
                str(f.get("name")): str(f.get("type"))
                for f in schema["fields"]
                if isinstance(f, dict) and f.get("name") in table.columns
            }
            return _Found("pandas-table", table, sinks["data"].count, "data", types)
    # pandas orient="split": {"columns": [...], "index": [...], "data": [[...], ...]}
    columns_sink = sinks.get("columns")
    columns = columns_sink.sample if columns_sink and columns_sink.count == len(columns_sink.sample) else None
    if columns and "data" in sinks and all(isinstance(c, str) for c in columns):
        sample = [dict(zip(columns, row, strict=False)) for row in sinks["data"].sample if isinstance(row, list)]
        if sample:
            if sinks["data"].count > len(sinks["data"].sample):
                raise InspectionError(tr("{name}: pandas 'split' JSON this large is not supported; use records",
                                         name=name))
            table = _RecordTable(sample, None)
            return _Found("pandas-split", table, sinks["data"].count, "data")
    # GeoJSON FeatureCollection
    if str(document.get("type", "")).lower() == "featurecollection" and "features" in sinks:
        sink = sinks["features"]
        table = _finish(sink)
        if table is not None:
            return _Found("geojson", table, sink.count, "features")
    # an array of records under a key: preferred names first, then the longest
    candidates = [(key, sink) for key, sink in sinks.items() if _is_records(sink.sample)]
    if candidates:

        def rank(item: tuple[str, _Sink]) -> tuple[int, int]:
            key, sink = item
            preferred = key.lower() in _PREFERRED_KEYS
            return (0 if preferred else 1, -sink.count)

        key, sink = min(candidates, key=rank)
        table = _finish(sink)
        if table is not None:
            return _Found("object", table, sink.count, key)
    # records one or two levels down, e.g. {"response": {"results": [...]}}
    for key, records in _nested_records(document, ""):
        table = _RecordTable.from_sample(records[:_SAMPLE_RECORDS])
        if table is not None:
            table.add_records([record for record in records[_SAMPLE_RECORDS:] if isinstance(record, dict)])
            return _Found("object", table, len(records), key)
    # pandas orient="columns" {"col": {"0": v, ...}} or orient="index" {"0": {"col": v}, ...}
    values = [value for value in document.values() if not is_streamed(value)]
    if len(values) == len(document) >= 1 and all(isinstance(v, dict) and v for v in values):
        inner_keys = [tuple(v) for v in values]
        if len(set(inner_keys)) == 1:
            if all(_is_index_label(key) for key in document):
                records = list(values)
                table = _RecordTable(records[:_SAMPLE_RECORDS], None)
                table.add_records(records[_SAMPLE_RECORDS:])
                return _Found("pandas-index", table, len(records))
            if all(_is_index_label(key) for key in inner_keys[0]):
                rows = [{col: document[col].get(index) for col in document} for index in inner_keys[0]]
                table = _RecordTable(rows[:_SAMPLE_RECORDS], None)
                table.add_records(rows[_SAMPLE_RECORDS:])
                return _Found("pandas-columns", table, len(rows))
    raise InspectionError(tr("{name} does not hold records ({hint}).", name=name, hint=tr(_NOT_RECORDS)))


def _is_index_label(key: str) -> bool:
    return key.lstrip("-").isdigit()


def _nested_records(value: Any, prefix: str, depth: int = 0) -> Iterator[tuple[str, list[Any]]]:
    if depth > 2 or not isinstance(value, dict):
        return
    items: Iterable[tuple[str, Any]] = value.items()
    ordered = sorted(items, key=lambda kv: 0 if str(kv[0]).lower() in _PREFERRED_KEYS else 1)
    for key, item in ordered:
        path = f"{prefix}.{key}" if prefix else str(key)
        if depth > 0 and isinstance(item, list) and _is_records(item[:_SAMPLE_RECORDS]):
            yield path, item
    for key, item in ordered:
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(item, dict):
            yield from _nested_records(item, path, depth + 1)
