"""A CSV parses with the separator inspection detects, and holds the number of records its metadata declares.

The content is streamed (the object's bytes through a text decoder and :mod:`csv`, one row at a time), so a file
of any size is checked in bounded memory; a record over MAX_RECORD_CHARS is a parse error, not a memory
spike. Records are counted as inspection counts them: non-blank rows after the header.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Mapping
from contextlib import closing
from typing import IO, Any

from planet_gui.core.i18n import tr
from planet_gui.core.rules import OpenStream, Problem

HEAD_BYTES = 256 * 1024
#: the longest record (all its lines) read before the file is called unparsable: bounds the memory of one row
MAX_RECORD_CHARS = 16 * 1024 * 1024


class _Prefixed(io.RawIOBase):
    """``head`` and then the rest of ``stream``: the sniffed start is not read twice from the server."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self._head = memoryview(head)
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._head:
            size = min(len(view), len(self._head))
            view[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._stream.read(len(view))
        view[: len(data)] = data
        return len(data)


class _BoundedLines:
    """The text's lines for :mod:`csv`, refusing a record over :data:`MAX_RECORD_CHARS` (a line without end, a
    quote never closed): :mod:`csv`'s own field limit is process-wide, and inspection lifts it."""

    def __init__(self, text: IO[str]) -> None:
        self._text = text
        self._since_row = 0

    def __iter__(self) -> _BoundedLines:
        return self

    def __next__(self) -> str:
        line = self._text.readline(MAX_RECORD_CHARS + 1)
        if not line:
            raise StopIteration
        self._since_row += len(line)
        if self._since_row > MAX_RECORD_CHARS:
            raise csv.Error(f"a record is longer than {MAX_RECORD_CHARS:,} characters")
        return line

    def row_done(self) -> None:
        self._since_row = 0


class CsvRecordCount:
    name = "csv-records"
    version = "1"
    needs_content = True

    def check(self, metadata: Mapping[str, Any], open_stream: OpenStream | None) -> list[Problem]:
        if open_stream is None or str(metadata.get("format", "")).upper() != "CSV":
            return []
        # inspection's sniffing, loaded when a CSV is checked: the rule set is built with every session (the
        # window's start included) and the inspectors are not needed before the first paint
        from planet_gui.core.inspect.text import decode_head, detect_dialect, detect_encoding

        declared = metadata.get("record_count")
        with closing(open_stream()) as stream:
            head = stream.read(HEAD_BYTES)
            complete = len(head) < HEAD_BYTES
            encoding = detect_encoding(head, complete=complete)
            dialect = detect_dialect(decode_head(head, encoding, complete=complete))
            raw = io.BufferedReader(_Prefixed(head, stream), buffer_size=1024 * 1024)
            name = "utf-8-sig" if codecs.lookup(encoding.name).name == "utf-8" else encoding.name
            text = io.TextIOWrapper(raw, encoding=name, errors="replace", newline="")
            bounded = _BoundedLines(text)
            reader = csv.reader(bounded, delimiter=dialect.delimiter, quotechar=dialect.quotechar)
            rows = 0
            try:
                for row in reader:
                    bounded.row_done()
                    if any(cell.strip() for cell in row):
                        rows += 1
            except csv.Error as exc:
                separator = _shown(dialect.delimiter)
                return [Problem(tr("it does not parse as CSV with the separator {separator} (line {line}): {error}",
                                   separator=separator, line=reader.line_num, error=exc))]
        records = max(0, rows - 1)
        if isinstance(declared, int) and not isinstance(declared, bool) and declared != records:
            return [Problem(tr("Records (record_count) says {declared}, but the file holds {records} records "
                               "(separator {separator})", declared=declared, records=records,
                               separator=_shown(dialect.delimiter)), field="record_count")]
        return []


def _shown(delimiter: str) -> str:
    return {"\t": "tab", " ": "space"}.get(delimiter, repr(delimiter))
