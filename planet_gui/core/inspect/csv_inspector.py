"""Delimited text (CSV, TSV, semicolon files): dialect, header, types, time, area, record count.

Reads a bounded sample first. A file that fits in the sample is done from it; a file up to
FULL_SCAN_LIMIT is read once more, streamed, either through the csv module (only when some column
needs every value: time, region, coordinates) or by counting newlines. Bigger files are estimated
from their head and tail.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from planet_gui.core.errors import InspectionError
from planet_gui.core.inspect import text as textmod
from planet_gui.core.inspect.linecount import count_records
from planet_gui.core.inspect.model import FULL_SCAN_LIMIT, SAMPLE_BYTES, Inspection, Preview
from planet_gui.core.inspect.table import (
    Collector,
    TablePlan,
    describe_table,
    header_names,
    plan_table,
    preview_cells,
)

_SAMPLE_ROWS = 2000
_SEP_LINE = re.compile(r"sep=([^\r\n])[ \t]*\r?\n", re.IGNORECASE)
_BATCH = 20_000
_TAIL_BYTES = 256 * 1024


def _raise_field_limit() -> None:
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 10


def _reader(stream: Iterable[str], dialect: textmod.Dialect) -> Iterator[list[str]]:
    return csv.reader(stream, delimiter=dialect.delimiter, quotechar=dialect.quotechar)


def inspect_csv(path: Path, size: int, *, preview_rows: int, head: bytes) -> Inspection:
    _raise_field_limit()
    warnings: list[str] = []
    complete = size <= len(head)
    if textmod.looks_binary(head):
        raise InspectionError(
            f"{path.name} does not look like text (it holds binary bytes), so it cannot be read as CSV."
        )
    encoding = textmod.detect_encoding(head, complete=complete)
    sample = textmod.decode_head(head, encoding, complete=complete)
    if sample.startswith("\ufeff"):
        sample = sample[1:]
    if encoding.confidence < 1.0:
        warnings.append(f"Encoding guessed as {encoding.name}; check accented letters in the preview")
    preferred = "\t" if path.suffix.lower() == ".tsv" else None
    excel_hint = _SEP_LINE.match(sample)  # Excel's "sep=;" first line names the separator
    leading = 1 if excel_hint else 0  # records before the header
    if excel_hint:
        sample = sample[excel_hint.end() :]
        dialect = textmod.Dialect(excel_hint[1], quoted='"' in sample[:65536])
    else:
        dialect = textmod.detect_dialect(sample, preferred=preferred)

    try:
        rows = list(_reader(io.StringIO(sample, newline=""), dialect))
    except csv.Error as exc:
        raise InspectionError(f"{path.name} is not a readable CSV file: {exc}") from exc
    if not complete and rows:
        rows.pop()  # the sample may end in the middle of a row
    rows = [row for row in rows if not _blank(row)]
    if not rows:
        if not complete:
            raise InspectionError(
                f"The first line of {path.name} is longer than {SAMPLE_BYTES // 1024} KiB; "
                "it does not look like a CSV table."
            )
        raise InspectionError(f"{path.name} holds no rows of text, so there is no header to read.")
    header, data_rows = rows[0], rows[1:]
    columns, header_warnings = header_names(header)
    warnings.extend(header_warnings)
    if len(columns) == 1 and dialect.delimiter not in sample[:65536]:
        warnings.append("Found a single column: no ',', ';', tab or '|' separator in the first lines")
    if columns and all(_is_number(cell) for cell in header):
        warnings.append("The first row looks like data, not a header; field names may be wrong")

    plan = plan_table(columns, data_rows[:_SAMPLE_ROWS], separator=dialect.delimiter)
    width = len(columns)
    details: dict[str, object] = {
        "excel_sep_line": bool(excel_hint),
        "encoding": encoding.name,
        "bom": encoding.bom,
        "separator": dialect.delimiter,
        "quotechar": dialect.quotechar,
    }
    estimated = False
    ragged = _Ragged(width)

    if complete:
        collector = _sample_collector(plan, data_rows, ragged)
        record_count = collector.rows
        details["record_count_method"] = "parsed"
    elif size <= FULL_SCAN_LIMIT:
        if plan.needs_values:
            collector = _full_pass(path, encoding, dialect, plan, ragged, warnings, leading)
            record_count = collector.rows
            details["record_count_method"] = "parsed"
        else:
            collector = _sample_collector(plan, data_rows, ragged)
            record_count = _count(path, encoding, dialect, sample, warnings) - leading
            details["record_count_method"] = "counted"
    else:
        estimated = True
        collector = _sample_collector(plan, data_rows, ragged)
        sample_bytes = len(sample.encode(encoding.name, errors="replace"))
        body_rows = max(1, len(data_rows))
        header_bytes = len((dialect.delimiter.join(header) + "\n").encode(encoding.name, errors="replace"))
        per_row = max(1.0, (sample_bytes - header_bytes) / body_rows)
        record_count = int(round((size - header_bytes) / per_row))
        collector.add_rows(_tail_rows(path, size, encoding, dialect, width))
        details["record_count_method"] = "estimated"
        warnings.append(
            f"File larger than {FULL_SCAN_LIMIT // (1024 * 1024)} MiB: record count estimated from a "
            "sample, period from the first and last rows"
        )
    details["record_count_estimated"] = estimated
    if ragged.count:
        details["ragged_rows"] = ragged.count
        warnings.append(
            f"{ragged.count} row(s) have a different number of fields than the header's {width} "
            f"(first at row {ragged.first_line}, counting the header as row 1)"
        )

    result = describe_table(plan, collector, filename=path.name, sample_rows=data_rows, estimated=estimated)
    metadata = {"format": "CSV", "record_count": record_count, **result.metadata}
    result.confidence.update(format=1.0, record_count=0.5 if estimated else 1.0)
    preview = Preview(
        kind="table",
        columns=list(columns),
        rows=[preview_cells(row, width) for row in data_rows[:preview_rows]],
    )
    return Inspection(
        path=path,
        size=size,
        metadata=metadata,
        details={**details, **result.details},
        preview=preview,
        warnings=warnings + result.warnings,
    )


def _sample_collector(plan: TablePlan, rows: list[list[str]], ragged: _Ragged) -> Collector:
    collector = Collector(plan)
    for index, row in enumerate(rows):
        ragged.check(row, index + 2)
    collector.add_rows(rows)
    return collector


def _blank(row: list[str]) -> bool:
    return not row or (len(row) == 1 and not row[0].strip())


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


class _Ragged:
    def __init__(self, width: int) -> None:
        self.width = width
        self.count = 0
        self.first_line: int | None = None

    def check(self, row: list[str], line: int) -> None:
        if len(row) != self.width:
            self.count += 1
            if self.first_line is None:
                self.first_line = line

    def check_batch(self, rows: list[list[str]], first_row: int) -> None:
        """Rows of one batch, the first of which is row ``first_row`` of the file (header = 1)."""
        widths = set(map(len, rows))
        if widths and widths != {self.width}:
            for index, row in enumerate(rows):
                if len(row) != self.width:
                    self.check(row, first_row + index)


def _open_text(path: Path, encoding: textmod.Encoding, errors: str) -> io.TextIOWrapper:
    return open(path, encoding=encoding.name, errors=errors, newline="")  # noqa: SIM115


def _full_pass(
    path: Path,
    encoding: textmod.Encoding,
    dialect: textmod.Dialect,
    plan: TablePlan,
    ragged: _Ragged,
    warnings: list[str],
    leading: int = 0,
) -> Collector:
    """Stream every row through the csv module in batches, keeping only the plan's columns."""
    for errors in ("strict", "replace"):
        collector = Collector(plan)
        ragged.count, ragged.first_line = 0, None
        try:
            with _open_text(path, encoding, errors) as handle:
                reader = csv.reader(handle, delimiter=dialect.delimiter, quotechar=dialect.quotechar)
                to_skip = 1 + leading  # the header, and an Excel "sep=" line before it
                row_number = 2
                while True:
                    batch = list(itertools.islice(reader, _BATCH))
                    if not batch:
                        break
                    rows = batch
                    if min(map(len, batch)) <= 1:
                        rows = [row for row in batch if row and (len(row) > 1 or row[0].strip())]
                    if to_skip and rows:
                        skipped = min(to_skip, len(rows))
                        rows, to_skip = rows[skipped:], to_skip - skipped
                    ragged.check_batch(rows, row_number)
                    row_number += len(rows)
                    collector.add_rows(rows)
            return collector
        except UnicodeDecodeError:
            warnings.append(f"Some bytes are not valid {encoding.name}; they were replaced while reading")
        except csv.Error as exc:
            raise InspectionError(f"{path.name} is not a readable CSV file: {exc}") from exc
    return collector


def _count(path: Path, encoding: textmod.Encoding, dialect: textmod.Dialect, sample: str, warnings: list[str]) -> int:
    """Data records (header excluded) by counting newlines, quote-aware when the sample had quotes."""
    if not encoding.ascii_compatible:
        with _open_text(path, encoding, "replace") as handle:
            rows = sum(1 for row in _reader(handle, dialect) if not _blank(row))
        return max(0, rows - 1)
    newline = b"\n" if "\n" in sample or "\r" not in sample else b"\r"
    total = count_records(path, quoted=dialect.quoted, newline=newline)
    if total is None:
        warnings.append("Quotes do not balance; records counted as lines")
        total = count_records(path, quoted=False, newline=newline)
    return max(0, (total or 0) - 1)


def _tail_rows(
    path: Path, size: int, encoding: textmod.Encoding, dialect: textmod.Dialect, width: int
) -> list[list[str]]:
    """Complete rows from the end of a big file (rows of the wrong width are dropped)."""
    if not encoding.ascii_compatible:
        return []
    with path.open("rb") as handle:
        handle.seek(max(0, size - _TAIL_BYTES))
        raw = handle.read()
    cut = raw.find(b"\n")
    raw = raw[cut + 1 :] if cut >= 0 else b""
    text = raw.decode(encoding.name.replace("-sig", ""), errors="replace")
    try:
        rows = list(_reader(io.StringIO(text, newline=""), dialect))
    except csv.Error:
        return []
    return [row for row in rows if len(row) == width]
