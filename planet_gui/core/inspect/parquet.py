"""Parquet: the schema, row count and row-group statistics from the footer (pyarrow), a sample of rows from the
first row group, and only the role columns (time, region, coordinates) of the other row groups.

The footer says how many rows there are, so the record count is exact without reading any data. The role
columns of every row group are read only when their uncompressed size (from the footer) stays under
``_ROLE_BYTES`` and the rows under ``_FULL_ROWS``; a bigger file has its time axis from the first batch of the
first row group and the last batch of the last, as a big CSV from its head and tail. Values become text in Arrow
(C), not one Python call each. A first row group whose footer claims chunks over ``_CHUNK_LIMIT`` is refused.
"""

from __future__ import annotations

import collections
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from planet_gui.core.errors import InspectionError
from planet_gui.core.i18n import tr
from planet_gui.core.inspect.frames import SAMPLE_ROWS, Batch, cells, describe_frame
from planet_gui.core.inspect.model import FULL_SCAN_LIMIT, Inspection
from planet_gui.core.inspect.table import TablePlan

_ROLE_BYTES = FULL_SCAN_LIMIT
# rows whose role columns are all read (each value becomes text for the shared table analysis, ~1 µs apiece);
# more rows: head and tail row groups, as for a big CSV
_FULL_ROWS = 500_000
_BATCH_ROWS = 65_536
# footer metadata larger than this is not a table anyone wrote by hand or by pandas: refused before parsing
_FOOTER_LIMIT = 64 * 1024 * 1024
# one sample row group column read at most this much uncompressed data
_CHUNK_LIMIT = 256 * 1024 * 1024


def inspect_parquet(path: Path, size: int, *, preview_rows: int, head: bytes) -> Inspection:
    del head
    import pyarrow as pa
    import pyarrow.parquet as pq

    _check_footer(path, size)
    try:
        handle = pq.ParquetFile(path)
        meta = handle.metadata
        schema = handle.schema_arrow
        columns = [str(name) for name in schema.names]
        groups = meta.num_row_groups
        for group in range(min(groups, 1)):
            for index in range(meta.num_columns):
                if meta.row_group(group).column(index).total_uncompressed_size > _CHUNK_LIMIT:
                    raise InspectionError(tr("{name}: a column chunk of the first row group would unpack to more "
                                             "than {mib} MiB; it is not read.", name=path.name,
                                             mib=_CHUNK_LIMIT // (1024 * 1024)))
        sample: list[list[str | None]] = []
        if groups:
            batches = handle.iter_batches(batch_size=SAMPLE_ROWS, row_groups=[0])
            first = next(batches, None)
            if first is not None:
                sample = [list(row) for row in zip(*(column_texts(col) for col in first.columns), strict=True)]
    except InspectionError:
        raise
    except (pa.ArrowException, OSError, ValueError, IndexError) as exc:
        raise InspectionError(tr("{name} is not a readable Parquet file (damaged or truncated?): {error}",
                                 name=path.name, error=exc)) from exc
    details: dict[str, Any] = {
        "row_groups": groups,
        "created_by": meta.created_by or "",
        "column_types": {name: str(schema.field(name).type) for name in columns[:200]},
    }
    stats = _statistics(meta, columns)
    if stats:
        details["column_statistics"] = stats
    sampled = False

    def more(plan: TablePlan, roles: list[int]) -> Iterator[Batch]:
        nonlocal sampled
        role_bytes = sum(meta.row_group(g).column(i).total_uncompressed_size for g in range(groups) for i in roles)
        wanted = list(range(groups))
        if (role_bytes > _ROLE_BYTES or meta.num_rows > _FULL_ROWS) and groups > 2:
            wanted, sampled = [groups - 1], True  # the first is read below: head and tail, as for a big CSV
        skip = len(sample)
        names = [columns[i] for i in roles]
        try:
            for group in ([0] if wanted[0] != 0 else []) + wanted:
                batches = handle.iter_batches(batch_size=_BATCH_ROWS, row_groups=[group], columns=names)
                if sampled:  # a big file's head and tail: the first batch of the first group, the last of the last
                    kept = [next(batches, None)] if group == 0 else list(collections.deque(batches, maxlen=1))
                    batches = iter([batch for batch in kept if batch is not None])
                for batch in batches:
                    values = {index: column_texts(batch.column(k)) for k, index in enumerate(roles)}
                    if group == 0 and skip:  # the sample's rows are in already
                        cut = min(skip, batch.num_rows)
                        values = {index: found[cut:] for index, found in values.items()}
                        skip -= cut
                        yield batch.num_rows - cut, values
                    else:
                        yield batch.num_rows, values
        except (pa.ArrowException, OSError, ValueError) as exc:
            raise InspectionError(tr("{name} is not a readable Parquet file (damaged or truncated?): {error}",
                                     name=path.name, error=exc)) from exc

    warnings: list[str] = []
    found = describe_frame(path, size, label="Parquet", columns=columns, sample=sample, preview_rows=preview_rows,
                           record_count=int(meta.num_rows), more=more, details=details, warnings=warnings)
    if sampled:
        found.details["time_sampled"] = True
        found.warnings.append(tr("Large Parquet file: period and frequency from the first and last row groups"))
    return found


def column_texts(column: Any) -> list[Any]:
    """A column as the text a CSV would hold, converted by Arrow in C (a Python call per value cost seconds per
    million rows): timestamps as ISO 8601 (the date alone when every one is at midnight), dates as dates."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    try:
        if pa.types.is_timestamp(kind):
            column = pc.cast(column, pa.timestamp("s"), safe=False)  # whole seconds, as the UTC wall time
            midnight = pc.all(pc.equal(pc.cast(pc.cast(column, pa.date32()), column.type), column)).as_py()
            return list(pc.strftime(column, "%Y-%m-%d" if midnight is not False else "%Y-%m-%dT%H:%M:%S").to_pylist())
        if pa.types.is_date(kind) or pa.types.is_integer(kind) or pa.types.is_string(kind) \
                or pa.types.is_large_string(kind) or pa.types.is_boolean(kind):
            return list(pc.cast(column, pa.string()).to_pylist())
    except (pa.ArrowException, ValueError):
        pass
    return cells(column.to_pylist())


def _check_footer(path: Path, size: int) -> None:
    """The footer's length, read from the file's last 8 bytes, before pyarrow allocates it."""
    if size < 12:
        raise InspectionError(tr("{name} is too short to be a Parquet file (truncated?).", name=path.name))
    with path.open("rb") as handle:
        handle.seek(size - 8)
        tail = handle.read(8)
    if tail[4:] != b"PAR1":
        raise InspectionError(tr("{name} does not end with the Parquet footer: it is truncated or damaged.",
                                 name=path.name))
    footer = int.from_bytes(tail[:4], "little")
    if footer > min(_FOOTER_LIMIT, size - 12):
        raise InspectionError(tr("{name} has a damaged Parquet footer (it claims {size:,} bytes).",
                                 name=path.name, size=footer))


def _statistics(meta: Any, columns: list[str]) -> dict[str, dict[str, Any]]:
    """Min, max and nulls of each column over all row groups, from the footer (no data read)."""
    found: dict[str, dict[str, Any]] = {}
    for index, name in enumerate(columns[:200]):
        low = high = None
        nulls = 0
        complete = True
        for group in range(meta.num_row_groups):
            stats = meta.row_group(group).column(index).statistics
            if stats is None or not stats.has_min_max:
                complete = False
                break
            try:
                low = stats.min if low is None or stats.min < low else low
                high = stats.max if high is None or stats.max > high else high
            except TypeError:
                complete = False
                break
            nulls += stats.null_count or 0
        if complete and low is not None:
            found[name] = {"min": low, "max": high, "nulls": nulls}
    return found
