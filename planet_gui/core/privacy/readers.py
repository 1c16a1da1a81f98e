"""Tables out of a byte stream, batch by batch: CSV/TSV, XLSX sheets, JSON records, plain text.

Each reader calls ``sink(table, columns, rows)`` with batches of rows of text cells and never holds
more than a batch. ``limit_rows`` bounds a sample (the pre-upload scan); ``None`` reads everything.
CSV encoding, separator and Excel's ``sep=`` line are detected with the inspector's own helpers, so the
scan reads a file exactly as inspection does.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import itertools
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from planet_gui.core.errors import PlanetError
from planet_gui.core.i18n import tr
from planet_gui.core.inspect import text as textmod
from planet_gui.core.inspect.model import SAMPLE_BYTES
from planet_gui.core.privacy.streams import ByteStream, read_exact, transpose

# sink(table, column names, cells column by column)
Sink = Callable[[str, list[str], list[Sequence[str]]], None]

BATCH_ROWS = 20_000
MAX_COLUMNS = 1000
_SEP_LINE = re.compile(r"sep=([^\r\n])[ \t]*\r?\n", re.IGNORECASE)
_TEXT_BLOCK = 4 * 1024 * 1024
_MAX_SHEETS = 50
_JSON_FLUSH = 50_000


class PrivacyScanError(PlanetError):
    title = "Cannot scan this file"


def _raise_field_limit() -> None:
    limit = 1 << 31
    csv.field_size_limit(limit - 1)


@dataclass(frozen=True)
class CsvHint:
    """Encoding and dialect already detected (by inspection): the scan need not detect them again."""

    encoding: str
    separator: str
    quotechar: str = '"'


def read_csv(stream: ByteStream, sink: Sink, *, limit_rows: int | None, suffix: str = "",
             known: CsvHint | None = None) -> dict[str, Any]:
    """Stream a delimited text file; returns what was detected (encoding, separator)."""
    _raise_field_limit()
    head = read_exact(stream, SAMPLE_BYTES)
    complete = len(head) < SAMPLE_BYTES
    encoding = textmod.Encoding(known.encoding) if known else textmod.detect_encoding(head, complete=complete)
    sample = textmod.decode_head(head, encoding, complete=complete)
    skip_chars = 1 if sample.startswith("\ufeff") else 0
    hint = _SEP_LINE.match(sample[skip_chars:])
    if hint:
        skip_chars += hint.end()
        dialect = textmod.Dialect(hint[1], quoted='"' in sample[:65536])
    elif known:
        dialect = textmod.Dialect(known.separator, known.quotechar or '"', quoted='"' in sample[:65536])
    else:
        dialect = textmod.detect_dialect(sample[skip_chars:], preferred="\t" if suffix == ".tsv" else None)
    info: dict[str, Any] = {"encoding": encoding.name, "separator": dialect.delimiter}
    scanners_for = getattr(sink, "scanners_for", None)
    if limit_rows is None and not complete and encoding.ascii_compatible and scanners_for is not None:
        fast = _fast_start(head, sample, skip_chars, dialect)
        if fast is not None:  # the whole of a big file: identifiers over raw bytes (see fastscan)
            from planet_gui.core.privacy.fastscan import FastCsv

            names, offset = fast
            scanner = FastCsv(scanners_for("", names), dialect.delimiter, dialect.quotechar,
                              encoding.name.replace("-sig", ""))
            scanner.feed(stream, head[offset:])
            getattr(sink, "add_rows")("", scanner.rows)  # noqa: B009 - a _Tables sink, checked above
            info["method"] = "bytes"
            return info
    if limit_rows is not None or complete:
        text: Iterable[str] = [sample[skip_chars:]]
        if not complete:
            info["sampled"] = True
    else:
        text = _decoded(head, stream, encoding.name, skip_chars)
    reader = csv.reader(_lines(text), delimiter=dialect.delimiter, quotechar=dialect.quotechar)
    rows_iter: Iterator[list[str]] = reader
    if limit_rows is not None:
        rows_iter = itertools.islice(reader, limit_rows + 1 + (0 if complete else 1))
    try:
        header: list[str] | None = None
        while True:
            batch = list(itertools.islice(rows_iter, BATCH_ROWS))
            if not batch:
                break
            if header is None:
                batch = [row for row in batch if row and any(cell.strip() for cell in row)]
                if not batch:
                    continue
                header, batch = [cell.strip() for cell in batch[0]][:MAX_COLUMNS], batch[1:]
            if limit_rows is not None and not complete and len(batch) > limit_rows:
                batch = batch[:limit_rows]  # the sample may end in the middle of a row
            sink("", header, transpose(batch, len(header)))
    except csv.Error as exc:
        raise PrivacyScanError(tr("Could not read the file as CSV: {error}", error=exc)) from exc
    return info


def _fast_start(head: bytes, sample: str, skip_chars: int, dialect: textmod.Dialect) -> tuple[list[str], int] | None:
    """(header, byte offset of the first record after it) when the header is one plain line, else None."""
    position = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
    if _SEP_LINE.match(sample.lstrip("\ufeff")):
        position = head.find(b"\n", position) + 1
    while True:
        end = head.find(b"\n", position)
        if end < 0:
            return None
        if head[position:end].strip():
            break
        position = end + 1
    line = head[position:end].decode("latin-1")
    if dialect.quotechar and line.count(dialect.quotechar) % 2:
        return None  # a quoted header cell spanning lines: the csv path reads it
    header = next(csv.reader([line.rstrip("\r")], delimiter=dialect.delimiter, quotechar=dialect.quotechar))
    text_header = sample[skip_chars:].lstrip("\r\n").split("\n", 1)[0].rstrip("\r")
    parsed = next(csv.reader([text_header], delimiter=dialect.delimiter, quotechar=dialect.quotechar), [])
    if len(parsed) != len(header):
        return None
    return [cell.strip() for cell in parsed][:MAX_COLUMNS], end + 1


def _decoded(head: bytes, stream: ByteStream, encoding: str, skip_chars: int) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    first = decoder.decode(head)[skip_chars:]
    yield first
    while block := stream.read(_TEXT_BLOCK):
        yield decoder.decode(block)
    yield decoder.decode(b"", final=True)


def _lines(blocks: Iterable[str]) -> Iterator[str]:
    """Lines (ends kept) from text blocks, in bounded memory."""
    rest = ""
    for block in blocks:
        if not block:
            continue
        lines = (rest + block).splitlines(keepends=True)
        rest = lines.pop() if lines and not lines[-1].endswith(("\n", "\r")) else ""
        if lines and lines[-1].endswith("\r"):  # a "\r\n" may be cut between blocks
            rest = lines.pop() + rest
        yield from lines
    if rest:
        yield rest


def read_text(stream: ByteStream, sink: Sink, *, limit_rows: int | None) -> dict[str, Any]:
    """Plain text: each line a value of one free-text column."""
    head = read_exact(stream, SAMPLE_BYTES)
    complete = len(head) < SAMPLE_BYTES
    encoding = textmod.detect_encoding(head, complete=complete)
    blocks = [textmod.decode_head(head, encoding, complete=complete)] if limit_rows is not None or complete \
        else _decoded(head, stream, encoding.name, 0)
    lines: Iterator[str] = (line.strip() for line in _lines(blocks))
    if limit_rows is not None:
        lines = itertools.islice(lines, limit_rows)
    while batch := list(itertools.islice(lines, BATCH_ROWS)):
        sink("", ["(text)"], [batch])
    return {"encoding": encoding.name}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value)
    return str(value)


def read_xlsx(path_or_stream: Any, sink: Sink, *, limit_rows: int | None) -> dict[str, Any]:
    """Every sheet of a workbook (up to ``_MAX_SHEETS``), row by row, through inspection's bounded XLSX reader:
    the same zip-bomb checks and limits (cells per row, XML depth, cell size), so a hostile workbook costs the
    scan no more than it costs inspection (openpyxl's own read-only mode pads a row to its last cell
    reference, and reads styles whole)."""
    from planet_gui.core.inspect import xlsx_reader

    try:
        with zipfile.ZipFile(path_or_stream) as archive:
            book = xlsx_reader.open_workbook(archive)  # checks the members' sizes and ratios first
            sheets = xlsx_reader.sheet_parts(archive)[:_MAX_SHEETS]
            for name, part in sheets:
                table = name if len(sheets) > 1 else ""
                cells = xlsx_reader.rows(archive, dataclasses.replace(book, sheet_path=part), {})
                rows = ([(cell or "").strip() for cell in row] for row in cells)
                rows = (row for row in rows if any(row))
                header = next(rows, None)
                if header is None:
                    continue
                header = header[:MAX_COLUMNS]
                rest: Iterator[list[str]] = rows if limit_rows is None else itertools.islice(rows, limit_rows)
                while batch := list(itertools.islice(rest, BATCH_ROWS)):
                    sink(table, header, transpose(batch, len(header)))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:  # XlsxLimit is a ValueError
        raise PrivacyScanError(tr("Could not read the workbook: {error}", error=exc)) from exc
    return {"sheets": len(book.sheets)}


def read_json(stream: ByteStream, sink: Sink, *, limit_rows: int | None) -> dict[str, Any]:
    """Any JSON (records, GeoJSON, NDJSON): each path to a scalar is a column ("item" levels dropped)."""
    import ijson

    columns: dict[str, list[str]] = {}
    buffered = 0
    limit_values = None if limit_rows is None else limit_rows * 50
    seen = 0

    def flush() -> None:
        nonlocal buffered
        if not columns:
            return
        sink("", list(columns), [list(values) for values in columns.values()])
        for values in columns.values():
            values.clear()
        buffered = 0

    try:
        for prefix, event, value in ijson.parse(stream, multiple_values=True):
            if event not in ("string", "number"):
                continue
            name = ".".join(part for part in prefix.split(".") if part != "item") or "(value)"
            values = columns.get(name)
            if values is None:
                if len(columns) >= MAX_COLUMNS:
                    continue
                values = columns[name] = []
            values.append(_cell(value))
            buffered += 1
            seen += 1
            if buffered >= _JSON_FLUSH:
                flush()
            if limit_values is not None and seen >= limit_values:
                flush()
                return {"sampled": True}
    except ijson.JSONError as exc:
        raise PrivacyScanError(tr("Could not read the JSON: {error}", error=exc)) from exc
    flush()
    return {}
