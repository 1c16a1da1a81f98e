"""Tables only a library reads (Parquet, Stata/SPSS/SAS, ODS, legacy XLS), batch by batch, for the scan.

Each reader takes a local file (the scan spools a stream to a private temporary file first: these formats need
random access, and pyreadstat and xlrd want a path), turns a batch of rows into text cells exactly as
inspection does (:func:`planet_gui.core.inspect.frames.cell`: dates as ISO 8601, so a birth-date column reads
as one), and hands it to the sink as columns. Memory is one batch, whatever the file holds; ``limit_rows``
bounds a sample.
"""

from __future__ import annotations

import itertools
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from planet_gui.core.i18n import tr
from planet_gui.core.privacy.readers import BATCH_ROWS, MAX_COLUMNS, PrivacyScanError, Sink
from planet_gui.core.privacy.streams import transpose

FRAME_KINDS = ("parquet", "stata", "spss", "sas", "ods", "xls")
_MAX_SHEETS = 50
_XLS_BYTES = 256 * 1024 * 1024  # as inspection: xlrd maps the file whole; a BIFF sheet cannot need more
_LABELS = {"parquet": "Parquet", "stata": "Stata", "spss": "SPSS", "sas": "SAS", "ods": "ODS", "xls": "XLS"}


def read_frame(kind: str, path: Path, sink: Sink, *, limit_rows: int | None, name: str) -> dict[str, Any]:
    """Read the table(s) of ``path`` (a ``kind`` of :data:`FRAME_KINDS`) into ``sink``; what was read."""
    try:
        if kind == "parquet":
            return _parquet(path, sink, limit_rows, name)
        if kind in ("stata", "spss", "sas"):
            return _readstat(kind, path, sink, limit_rows, name)
        if kind == "ods":
            return _ods(path, sink, limit_rows)
        return _xls(path, sink, limit_rows)
    except PrivacyScanError:
        raise
    except Exception as exc:  # each library has its own errors (ArrowException, ReadstatError, XLRDError…)
        if isinstance(exc, MemoryError | KeyboardInterrupt):
            raise
        raise PrivacyScanError(tr("Could not read {name} as {label}: {error}", name=name, label=_LABELS[kind],
                                  error=exc)) from exc


def _text(values: Sequence[Any]) -> list[str]:
    from planet_gui.core.inspect.frames import cell

    return [(cell(value) or "").strip() for value in values]


def _parquet(path: Path, sink: Sink, limit_rows: int | None, name: str) -> dict[str, Any]:
    import pyarrow.parquet as pq

    from planet_gui.core.inspect.parquet import _CHUNK_LIMIT, _check_footer, column_texts

    _check_footer(path, path.stat().st_size)  # the footer's claimed size, before pyarrow allocates it
    handle = pq.ParquetFile(path)
    meta = handle.metadata
    for group in range(meta.num_row_groups):  # a batch is read from one row group's chunks: each must fit
        for index in range(meta.num_columns):
            if meta.row_group(group).column(index).total_uncompressed_size > _CHUNK_LIMIT:
                raise PrivacyScanError(tr("{name}: a column of row group {group} would unpack to more than {mib} "
                                          "MiB; it cannot be scanned in bounded memory.", name=name,
                                          group=group + 1, mib=_CHUNK_LIMIT // (1024 * 1024)))
    names = [str(name) for name in handle.schema_arrow.names][:MAX_COLUMNS]
    left = limit_rows
    for batch in handle.iter_batches(batch_size=BATCH_ROWS, columns=names):
        if left is not None:
            if left <= 0:
                break
            batch = batch.slice(0, left)
            left -= batch.num_rows
        sink("", names, [_strip(column_texts(batch.column(index))) for index in range(len(names))])
    return {"rows_total": int(meta.num_rows)}


def _strip(values: list[Any]) -> list[str]:
    return [value.strip() if isinstance(value, str) else ("" if value is None else str(value)) for value in values]


def _readstat(kind: str, path: Path, sink: Sink, limit_rows: int | None, name: str) -> dict[str, Any]:
    from planet_gui.core.inspect.readstat import reader_for

    read = reader_for(kind, Path(name).suffix.lower() or path.suffix.lower())
    offset = 0
    while limit_rows is None or offset < limit_rows:
        size = BATCH_ROWS if limit_rows is None else min(BATCH_ROWS, limit_rows - offset)
        frame, _ = read(str(path), row_offset=offset, row_limit=size)
        columns = [str(column) for column in frame.columns][:MAX_COLUMNS]
        if len(frame) == 0:
            break
        sink("", columns, [_text(frame.iloc[:, index].tolist()) for index in range(len(columns))])
        offset += len(frame)
        if len(frame) < size:
            break
    return {}


def _ods(path: Path, sink: Sink, limit_rows: int | None) -> dict[str, Any]:
    from planet_gui.core.inspect.ods import _Sheet
    from planet_gui.core.inspect.table import header_names
    from planet_gui.core.inspect.xlsx_reader import check_members

    with zipfile.ZipFile(path) as archive:
        check_members(archive)  # the zip-bomb check inspection makes
        sheet = _Sheet(archive, limit=None)
        rows = sheet.rows()
        first = next(rows, None)
        if first is None:
            return {}
        header, _ = header_names(first[0])
        header = header[:MAX_COLUMNS]

        def expanded() -> Iterator[list[str]]:
            for cells, repeat in rows:  # a repeated row once per repeat, up to a batch: enough to count it
                yield from itertools.repeat([(value or "").strip() for value in cells], min(repeat, BATCH_ROWS))

        _batches(sink, "", header, expanded(), limit_rows)
    return {"sheet": sheet.name}


def _xls(path: Path, sink: Sink, limit_rows: int | None) -> dict[str, Any]:
    import xlrd

    from planet_gui.core.inspect.xls import _Quiet

    if path.stat().st_size > _XLS_BYTES:
        raise PrivacyScanError(tr("{name} is larger than {mib} MiB, more than a legacy Excel workbook can hold; it is "
                                  "not read.", name=path.name, mib=_XLS_BYTES // (1024 * 1024)))
    book = xlrd.open_workbook(str(path), on_demand=True, logfile=_Quiet())
    try:
        names = book.sheet_names()[:_MAX_SHEETS]
        for index, sheet_name in enumerate(names):
            sheet = book.sheet_by_index(index)

            def value(row: int, col: int, sheet: Any = sheet) -> str:
                raw: Any = sheet.cell_value(row, col)
                if sheet.cell_type(row, col) == xlrd.XL_CELL_DATE:
                    try:
                        raw = xlrd.xldate_as_datetime(raw, book.datemode)
                    except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                        pass
                return _text([raw])[0] if raw != "" else ""

            rows = ([value(row, col) for col in range(sheet.row_len(row))] for row in range(sheet.nrows))
            filled = (row for row in rows if any(row))
            header = next(filled, None)
            if header is not None:
                _batches(sink, sheet_name if len(names) > 1 else "", header[:MAX_COLUMNS], filled, limit_rows)
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return {"sheets": len(names)}


def _batches(sink: Sink, table: str, header: list[str], rows: Iterator[list[str]], limit_rows: int | None) -> None:
    rest = rows if limit_rows is None else itertools.islice(rows, limit_rows)
    while batch := list(itertools.islice(rest, BATCH_ROWS)):
        sink(table, header, transpose(batch, len(header)))
