"""Delimited text (CSV, TSV, semicolon files): dialect, header, types, time, area, record count.

Reads a bounded sample first. A file that fits in the sample is done from it; a file up to
FULL_SCAN_LIMIT is read once more, streamed, either through the csv module (only when some column
needs every value: time, region, coordinates) or by counting newlines. Bigger files are never
parsed row by row: their records are counted as lines (as fast as ``wc -l``) when the sample shows
no cell spanning lines, otherwise estimated from the sample's bytes per row; the period comes from
the head and a tail sample, the frequency from the distinct timestamps of those samples.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import sys
from collections.abc import Iterable, Iterator
from operator import methodcaller
from pathlib import Path
from typing import TypeVar

from planet_gui.core.errors import InspectionError
from planet_gui.core.i18n import tr
from planet_gui.core.inspect import text as textmod
from planet_gui.core.inspect.linecount import NewlineCounter, count_records
from planet_gui.core.inspect.model import FULL_SCAN_LIMIT, SAMPLE_BYTES, Inspection, Preview
from planet_gui.core.inspect.table import (
    Collector,
    TablePlan,
    cap_columns,
    describe_table,
    header_names,
    plan_table,
    preview_cells,
)

_SAMPLE_ROWS = 2000
TABLE_SAMPLE_ROWS = 500  # rows handed to the personal-data scan (its SAMPLE_ROWS), one more to tell there are more
_SEP_LINE = re.compile(r"sep=([^\r\n])[ \t]*\r?\n", re.IGNORECASE)
_BATCH = 20_000
_BLOCK_CHARS = 4 * 1024 * 1024
_TAIL_BYTES = 64 * 1024


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
            tr("{name} does not look like text (it holds binary bytes), so it cannot be read as CSV.", name=path.name)
        )
    encoding = textmod.detect_encoding(head, complete=complete)
    sample = textmod.decode_head(head, encoding, complete=complete)
    if sample.startswith("\ufeff"):
        sample = sample[1:]
    if encoding.confidence < 1.0:
        warnings.append(tr("Encoding guessed as {name}; check accented letters in the preview", name=encoding.name))
    preferred = "\t" if path.suffix.lower() == ".tsv" else None
    excel_hint = _SEP_LINE.match(sample)  # Excel's "sep=;" first line names the separator
    leading = 1 if excel_hint else 0  # records before the header
    if excel_hint:
        sample = sample[excel_hint.end() :]
        dialect = textmod.Dialect(excel_hint[1], quoted='"' in sample[:65536])
    else:
        dialect = textmod.detect_dialect(sample, preferred=preferred)

    counter = None
    if size > FULL_SCAN_LIMIT and encoding.ascii_compatible:
        # Start counting lines now, in the background: the head is analysed meanwhile.
        counter = NewlineCounter(path, _newline(sample))
    try:
        return _inspect_text(path, size, preview_rows, complete, encoding, sample, dialect, leading, warnings, counter)
    finally:
        if counter is not None:
            counter.cancel()  # no effect once counted; stops the threads if the count is not wanted


def _inspect_text(
    path: Path,
    size: int,
    preview_rows: int,
    complete: bool,
    encoding: textmod.Encoding,
    sample: str,
    dialect: textmod.Dialect,
    leading: int,
    warnings: list[str],
    counter: NewlineCounter | None,
) -> Inspection:
    # A big file is only sampled: its head needs no more rows than the field types are read from.
    head_rows = _SAMPLE_ROWS + 2 if size > FULL_SCAN_LIMIT else None
    try:
        rows = list(itertools.islice(_reader(io.StringIO(sample, newline=""), dialect), head_rows))
    except csv.Error as exc:
        raise InspectionError(tr("{name} is not a readable CSV file: {error}", name=path.name, error=exc)) from exc
    if not complete and rows:
        rows.pop()  # the sample may end in the middle of a row (or the row after the head)
    parsed_rows = len(rows)
    rows = [row for row in rows if not _blank(row)]
    blank_in_sample = parsed_rows - len(rows)
    if not rows:
        if not complete:
            raise InspectionError(
                tr("The first line of {name} is longer than {kib} KiB; it does not look like a CSV table.",
                   name=path.name, kib=SAMPLE_BYTES // 1024)
            )
        raise InspectionError(tr("{name} holds no rows of text, so there is no header to read.", name=path.name))
    header, data_rows = rows[0], rows[1:]
    columns, header_warnings = header_names(header)
    warnings.extend(header_warnings)
    if len(columns) == 1 and dialect.delimiter not in sample[:65536]:
        warnings.append(tr("Found a single column: no ',', ';', tab or '|' separator in the first lines"))
    if columns and all(_is_number(cell) for cell in header):
        warnings.append(tr("The first row looks like data, not a header; field names may be wrong"))

    width = len(columns)  # of every record; the analysis looks at the first MAX_COLUMNS
    columns = cap_columns(columns, warnings)
    plan = plan_table(columns, data_rows[:_SAMPLE_ROWS], separator=dialect.delimiter)
    details: dict[str, object] = {
        "excel_sep_line": bool(leading),
        "encoding": encoding.name,
        "bom": encoding.bom,
        "separator": dialect.delimiter,
        "quotechar": dialect.quotechar,
    }
    estimated = False
    sampled = False
    count_confidence = 1.0
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
        sampled = True  # period and frequency come from the head and tail samples
        collector = _sample_collector(plan, data_rows, ragged)
        tail = Collector(plan)
        tail.add_rows(_tail_rows(path, size, encoding, dialect, width))
        collector.merge(tail)
        limit = tr("File larger than {mib} MiB", mib=FULL_SCAN_LIMIT // (1024 * 1024))
        multiline = dialect.quoted and _spans_lines(rows)
        if counter is not None and not multiline:
            lines = counter.result()
            lines += _unterminated_tail(path, size, _newline(sample))
            record_count = max(0, lines - blank_in_sample - 1 - leading)
            details["record_count_method"] = "lines"
            if dialect.quoted:
                count_confidence = 0.95
                details["record_count_note"] = (
                    "lines counted; quoted cells in the first MiB span no lines, assumed true for the rest"
                )
            warnings.append(
                tr("{limit}: records counted as lines; period from the first and last rows, frequency from "
                   "those rows", limit=limit)
            )
        else:
            estimated = True
            sample_bytes = len(sample.encode(encoding.name, errors="replace"))
            body_rows = max(1, len(data_rows))
            header_bytes = len((dialect.delimiter.join(header) + "\n").encode(encoding.name, errors="replace"))
            per_row = max(1.0, (sample_bytes - header_bytes) / body_rows)
            record_count = int(round((size - header_bytes) / per_row))
            details["record_count_method"] = "estimated"
            why = tr("cells span lines") if multiline else tr("{encoding} text", encoding=encoding.name)
            warnings.append(
                tr("{limit} ({why}): record count estimated from a sample, period from the first and last rows",
                   limit=limit, why=why)
            )
    details["record_count_estimated"] = estimated
    if sampled:
        details["time_sampled"] = True
    if ragged.count:
        details["ragged_rows"] = ragged.count
        warnings.append(
            tr("{count} row(s) have a different number of fields than the header's {width} (first at row "
               "{first_line}, counting the header as row 1)",
               count=ragged.count, width=width, first_line=ragged.first_line)
        )

    result = describe_table(plan, collector, filename=path.name, sample_rows=data_rows, estimated=sampled)
    metadata = {"format": "CSV", "record_count": record_count, **result.metadata}
    result.confidence.update(format=1.0, record_count=0.5 if estimated else count_confidence)
    preview = Preview(
        kind="table",
        columns=list(columns),
        rows=[preview_cells(row, len(columns)) for row in data_rows[:preview_rows]],
    )
    return Inspection(
        path=path,
        size=size,
        metadata=metadata,
        details={**details, **result.details},
        preview=preview,
        warnings=warnings + result.warnings,
        table_sample=(header, data_rows[:TABLE_SAMPLE_ROWS + 1], complete),
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
    """Stream every row, keeping only the plan's columns.

    Text is read in blocks of whole lines. A block without the quote character, whose lines all
    hold the header's number of fields, is split with ``str.split`` up to the last column the plan
    needs (several times faster than the csv module building every cell); any other block, and
    everything after the first quote character, goes through the csv module.
    """
    for errors in ("strict", "replace"):
        collector = Collector(plan)
        ragged.count, ragged.first_line = 0, None
        try:
            with _open_text(path, encoding, errors) as handle:
                _stream(handle, dialect, collector, ragged, 1 + leading)  # skip the header and a "sep=" line
            return collector
        except UnicodeDecodeError:
            warnings.append(tr("Some bytes are not valid {name}; they were replaced while reading",
                               name=encoding.name))
        except csv.Error as exc:
            raise InspectionError(tr("{name} is not a readable CSV file: {error}", name=path.name, error=exc)) from exc
    return collector


_T = TypeVar("_T")


class _Position:
    """Where the stream is: records still to skip (header), and the file row of the next record."""

    def __init__(self, to_skip: int) -> None:
        self.to_skip = to_skip
        self.row_number = 2  # the header is row 1

    def skip(self, rows: list[_T]) -> list[_T]:
        if self.to_skip and rows:
            skipped = min(self.to_skip, len(rows))
            rows, self.to_skip = rows[skipped:], self.to_skip - skipped
        return rows


def _stream(
    handle: io.TextIOWrapper, dialect: textmod.Dialect, collector: Collector, ragged: _Ragged, to_skip: int
) -> None:
    position = _Position(to_skip)
    while True:
        block = handle.read(_BLOCK_CHARS)
        if not block:
            return
        if block[-1] not in "\r\n" or block[-1] == "\r":
            block += handle.readline()  # complete the last line (or its "\r\n")
        if dialect.quotechar and dialect.quotechar in block:  # cells may span lines from here on
            rest = itertools.chain(io.StringIO(block, newline=""), handle)
            reader = csv.reader(rest, delimiter=dialect.delimiter, quotechar=dialect.quotechar)
            while batch := list(itertools.islice(reader, _BATCH)):
                _add_parsed(batch, collector, ragged, position)
            return
        lines = _plain_lines(block, dialect.delimiter, ragged.width)
        if lines is None:  # blank lines, rows of another width, lone "\r": the csv module decides
            _add_parsed(list(_reader(io.StringIO(block, newline=""), dialect)), collector, ragged, position)
            continue
        lines = position.skip(lines)
        position.row_number += len(lines)
        need = collector.need
        if need == 0:
            collector.rows += len(lines)
            continue
        # split(d, k): the first k pieces are cells; the last piece is a cell too when k = width - 1
        parts = min(need, ragged.width - 1)
        delimiter = dialect.delimiter
        collector.add_rows([line.split(delimiter, parts) for line in lines])


def _plain_lines(block: str, delimiter: str, width: int) -> list[str] | None:
    """The lines of ``block`` when each is a record of ``width`` unquoted cells, else None."""
    if "\r" in block:
        block = block.replace("\r\n", "\n")
        if "\r" in block:
            return None
    lines = block.split("\n")
    if lines[-1] == "":
        lines.pop()
    if "" in lines:
        return None
    fields = width - 1
    if block.count(delimiter) != fields * len(lines):
        return None
    if any(count != fields for count in map(methodcaller("count", delimiter), lines)):
        return None
    return lines


def _add_parsed(batch: list[list[str]], collector: Collector, ragged: _Ragged, position: _Position) -> None:
    rows = batch
    if rows and min(map(len, rows)) <= 1:
        rows = [row for row in rows if row and (len(row) > 1 or row[0].strip())]
    rows = position.skip(rows)
    ragged.check_batch(rows, position.row_number)
    position.row_number += len(rows)
    collector.add_rows(rows)


def _count(path: Path, encoding: textmod.Encoding, dialect: textmod.Dialect, sample: str, warnings: list[str]) -> int:
    """Data records (header excluded) by counting newlines, quote-aware when the sample had quotes."""
    if not encoding.ascii_compatible:
        with _open_text(path, encoding, "replace") as handle:
            rows = sum(1 for row in _reader(handle, dialect) if not _blank(row))
        return max(0, rows - 1)
    newline = _newline(sample)
    total = count_records(path, quoted=dialect.quoted, newline=newline)
    if total is None:
        warnings.append(tr("Quotes do not balance; records counted as lines"))
        total = count_records(path, quoted=False, newline=newline)
    return max(0, (total or 0) - 1)


def _newline(sample: str) -> bytes:
    """The byte that ends lines: "\\n" (also for "\\r\\n"), or "\\r" for old Mac files."""
    return b"\n" if "\n" in sample or "\r" not in sample else b"\r"


def _spans_lines(rows: list[list[str]]) -> bool:
    """Whether any cell of ``rows`` holds a line break (a quoted cell spanning lines)."""
    return any("\n" in cell or "\r" in cell for row in rows for cell in row)


def _unterminated_tail(path: Path, size: int, newline: bytes) -> int:
    """Lines to add to the newline count: +1 for a last line without a newline, minus blank lines at the end."""
    with path.open("rb") as handle:
        handle.seek(max(0, size - 4096))
        end = handle.read()
    body = end.rstrip(b"\r\n \t")
    newlines = end[len(body) :].count(newline)
    if newlines == 0:
        return 1 if body else 0
    return -(newlines - 1)


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
