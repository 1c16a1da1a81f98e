"""The head of a table file, read again for the preview as text rows (what a CSV holds): a CSV's first lines, a
gzip- or zip-compressed CSV's first decompressed lines, a Parquet file's first rows of its first row group (only
the columns shown), a Stata/SPSS/SAS file's first rows (pyreadstat's ``row_limit``), the first rows of an ODS,
XLS or XLSX sheet as its inspection reads them.

Each reader stops at ``HEAD_ROWS`` rows and at ``HEAD_CELLS`` cells (a wide file gets fewer rows), a CSV also
at ``HEAD_BYTES`` characters: so a 1 GiB file costs what its first few MiB cost. ``complete`` says whether the
rows are the whole table (the plot then says "first N rows" when they are not).
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

HEAD_ROWS = 20_000
HEAD_BYTES = 4 * 1024 * 1024
# rows x columns read at most from a typed table (each cell becomes a Python string: ~60 bytes)
HEAD_CELLS = 1_000_000
# ODS, XLS and XLSX have no cheap way to read a few rows: their inspection is run again for this many
SHEET_ROWS = 2_000
_READSTAT = {"Stata": "stata", "SPSS": "spss", "SAS": "sas"}

Head = tuple[list[str], list[list[str]], bool]  # header, rows, complete


def head_rows(columns: int) -> int:
    """Rows to read from a table ``columns`` wide: HEAD_ROWS, fewer when that would pass HEAD_CELLS."""
    return max(1, min(HEAD_ROWS, HEAD_CELLS // max(1, columns)))


def read_head(path: Path, details: Mapping[str, Any], metadata: Mapping[str, Any],
              columns: Sequence[str] = ()) -> Head | None:
    """The file's head as text rows, or None for a kind whose inspection preview is all there is (JSON)."""
    label = str(metadata.get("format") or "")
    if details.get("separator"):
        return read_csv_head(path, details)
    if label == "Parquet":
        return _parquet_head(path, columns)
    if label in _READSTAT:
        return _readstat_head(path, _READSTAT[label], columns)
    if label in ("ODS", "XLS", "XLSX"):
        return _sheet_head(path)
    return None


def _text(path: Path, details: Mapping[str, Any], encoding: str) -> IO[str]:
    """The CSV as text: decompressed on the fly when its inspection found it gzip- or zip-compressed (only what
    is read is decompressed, so the cap on characters bounds the work whatever the archive claims)."""
    compression = details.get("compression")
    if compression == "gzip":
        return gzip.open(path, "rt", encoding=encoding, errors="replace", newline="")
    if compression == "zip":
        archive = zipfile.ZipFile(path)
        member = archive.open(str(details.get("member") or archive.namelist()[0]))
        return io.TextIOWrapper(member, encoding=encoding, errors="replace", newline="")
    return open(path, encoding=encoding, errors="replace", newline="")  # noqa: SIM115 - closed by the caller


def read_csv_head(path: Path, details: Mapping[str, Any]) -> Head:
    """Header and up to HEAD_ROWS rows from the first HEAD_BYTES characters; ``complete`` when that was all.
    Lines are read one at a time (the file is never held whole): a 1 GiB file costs its first HEAD_BYTES."""
    encoding = str(details.get("encoding") or "utf-8")
    if details.get("bom") and encoding.replace("-", "").lower() == "utf8":
        encoding = "utf-8-sig"
    quotechar = str(details.get("quotechar") or '"')
    cut = [False]
    with _text(path, details, encoding) as handle:

        def lines() -> Iterator[str]:
            first = handle.readline().removeprefix("\ufeff")
            if not details.get("excel_sep_line"):
                yield first
            read = len(first)
            for line in handle:
                read += len(line)
                if read > HEAD_BYTES:
                    cut[0] = True
                    return
                yield line

        reader = csv.reader(lines(), delimiter=str(details["separator"]), quotechar=quotechar)
        header = next(reader, [])
        rows: list[list[str]] = []
        for row in reader:
            if len(row) == 1 and not row[0].strip() or not row:
                continue
            rows.append(row)
            if len(rows) >= HEAD_ROWS:
                cut[0] = next(reader, None) is not None
                break
        if cut[0] and len(rows) < HEAD_ROWS and rows:
            rows.pop()  # may end inside a quoted field the cap cut
    return header, rows, not cut[0]


def _parquet_head(path: Path, columns: Sequence[str]) -> Head:
    """The first rows of the first row group, only the columns the inspection shows, as text converted by Arrow
    (in C). Read in pages of 1 MiB (``buffer_size``), not a whole column chunk at a time."""
    import pyarrow.parquet as pq

    from planet_gui.core.inspect.parquet import column_texts

    handle = pq.ParquetFile(path, buffer_size=1 << 20)
    names = [str(name) for name in handle.schema_arrow.names]
    wanted = [name for name in columns if name in names] or names
    limit = head_rows(len(wanted))
    if handle.metadata.num_row_groups == 0:
        return wanted, [], True
    batch = next(handle.iter_batches(batch_size=limit, row_groups=[0], columns=wanted), None)
    if batch is None:
        return wanted, [], True
    texts = [["" if value is None else str(value) for value in column_texts(column)] for column in batch.columns]
    rows = [list(row) for row in zip(*texts, strict=True)]
    return wanted, rows, handle.metadata.num_rows <= len(rows)


def _readstat_head(path: Path, kind: str, columns: Sequence[str]) -> Head:
    """The first rows (``row_limit``; one more tells whether there are others), only the columns shown."""
    from planet_gui.core.inspect.frames import cells
    from planet_gui.core.inspect.readstat import reader_for

    read = reader_for(kind, path.suffix.lower())
    _, meta = read(str(path), metadataonly=True)
    known = set(meta.column_names or ())
    wanted = [name for name in columns if name in known]  # an unknown name would fail the whole read
    limit = head_rows(len(wanted) or len(known) or 1)
    frame, _ = read(str(path), row_limit=limit + 1, usecols=wanted or None)
    names = [str(name) for name in frame.columns]
    rows = [["" if value is None else value for value in cells(row)]
            for row in frame.head(limit).itertuples(index=False, name=None)]
    return names, rows, len(frame) <= limit


def _sheet_head(path: Path) -> Head:
    """ODS/XLS: the first SHEET_ROWS rows of the sheet the inspection describes, by running it again with that
    many preview rows (the inspection's own limits bound the work)."""
    from planet_gui.core.inspect import inspect_file

    found = inspect_file(path, preview_rows=SHEET_ROWS)
    rows = [[str(cell) for cell in row] for row in found.preview.rows]
    records = found.metadata.get("record_count")
    return list(found.preview.columns), rows, isinstance(records, int) and records <= len(rows)
