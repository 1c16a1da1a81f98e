"""Scan a file (or a byte stream) for personal data: a bounded sample before upload, the whole on demand.

``scan_file(path)`` reads the same first MiB and rows inspection reads (so it fits in inspection's
time); ``scan_file(path, full=True)`` and ``scan_stream(stream, name)`` read everything, in batches,
in bounded memory (the validation hook streams an object with the latter).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planet_gui.core.i18n import tr
from planet_gui.core.inspect import text as textmod
from planet_gui.core.inspect.model import SAMPLE_BYTES
from planet_gui.core.inspect.sniff import EXTENSIONS, sniff, sniff_magic
from planet_gui.core.privacy import containers, readers
from planet_gui.core.privacy.columns import ColumnScanner
from planet_gui.core.privacy.findings import ColumnFinding, judge_table
from planet_gui.core.privacy.frames import FRAME_KINDS, read_frame
from planet_gui.core.privacy.readers import CsvHint, PrivacyScanError
from planet_gui.core.privacy.streams import ByteStream, Counting, read_exact, transpose

SAMPLE_ROWS = 500  # rows of the pre-upload scan: enough to tell a column's kind, cheap next to inspection
_SCANNED_KINDS = ("csv", "json", "xlsx", "text")
_SPOOL_BYTES = 64 * 1024 * 1024


@dataclass
class ScanReport:
    """What a scan found in one file."""

    name: str
    format: str  # csv, json, xlsx, text, or the kind of a file that is not scanned (netcdf, pdf…)
    full: bool  # the whole file was read (else a sample)
    findings: list[ColumnFinding] = field(default_factory=list)
    scanned: bool = True  # False: a format without tables or text to scan (images, netCDF…)
    rows: int = 0
    bytes_read: int = 0
    seconds: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def personal_data(self) -> bool:
        return bool(self.findings)

    @property
    def kinds(self) -> list[str]:
        """Every kind found, once, in the order of the findings."""
        seen: list[str] = []
        for finding in self.findings:
            for kind in (finding.kind, *finding.embedded):
                if kind not in seen:
                    seen.append(kind)
        return seen

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.name,
            "format": self.format,
            "scope": "full" if self.full else "sample",
            "scanned": self.scanned,
            "personal_data": self.personal_data,
            "kinds": self.kinds,
            "rows": self.rows,
            "bytes": self.bytes_read,
            "seconds": round(self.seconds, 3),
            "findings": [finding.to_json() for finding in self.findings],
            **({"details": self.details} if self.details else {}),
        }


class _Tables:
    """The column scanners of every table a reader reports, keyed by table and column name."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, ColumnScanner]] = {}
        self.rows: dict[str, int] = {}

    def __call__(self, table: str, header: list[str], columns: list[Sequence[str]]) -> None:
        scanners = self.tables.setdefault(table, {})
        if columns:
            self.rows[table] = self.rows.get(table, 0) + max(len(column) for column in columns)
        for index, (name, cells) in enumerate(zip(header, columns, strict=False)):
            key = name or f"column {index + 1}"
            if key not in scanners:
                if len(scanners) >= readers.MAX_COLUMNS:
                    continue
                scanners[key] = ColumnScanner(key)
            scanners[key].add(list(cells))

    def scanners_for(self, table: str, header: list[str]) -> list[ColumnScanner]:
        """The scanners of ``header``'s columns, in order (for the byte-level full scan)."""
        scanners = self.tables.setdefault(table, {})
        found = []
        for index, name in enumerate(header[: readers.MAX_COLUMNS]):
            key = name or f"column {index + 1}"
            found.append(scanners.setdefault(key, ColumnScanner(key)))
        return found

    def add_rows(self, table: str, rows: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + rows

    def findings(self) -> list[ColumnFinding]:
        found: list[ColumnFinding] = []
        for table, scanners in self.tables.items():
            found.extend(judge_table(list(scanners.values()), table=table))
        return found


def _kind(head: bytes, name: str) -> str:
    found = _base_kind(head, name)
    claimed = EXTENSIONS.get(Path(name).suffix.lower())
    if found in ("binary", "text") and claimed in FRAME_KINDS and claimed not in ("ods", "xls"):
        return str(claimed)  # SAS's sas7bdat has no magic bytes inspection knows: its name says it
    return found


def _base_kind(head: bytes, name: str) -> str:
    suffix = Path(name).suffix.lower()
    claimed = EXTENSIONS.get(suffix)
    if claimed in ("csv", "json") and sniff_magic(head) is None and not textmod.looks_binary(head):
        # a text file named as a table: the first character tells JSON (the full sniff parses CSV: slower)
        start = head[:4096].decode("latin-1").lstrip("\ufeff\xef\xbb\xbf \t\r\n")[:1]
        return "json" if start in ("{", "[") else "csv"
    kind, claimed = sniff(head, suffix)
    if kind == "zip" and (claimed == "xlsx" or suffix in (".xlsx", ".xlsm")):
        return "xlsx"
    if kind == "zip" and head[30:60].find(b"[Content_Types].xml") >= 0:
        return "xlsx"
    if kind in ("csv", "json", "text") and claimed in ("csv", "json"):
        return claimed if not (claimed == "csv" and kind == "json") else "json"
    return kind


def scan_stream(stream: ByteStream, name: str, *, full: bool = True, known: CsvHint | None = None,
                path: Path | None = None, nested: bool = False) -> ScanReport:
    """Scan a binary stream (a file, or an S3 object's body) of a file called ``name``.

    The stream is read once, front to back; a workbook, a Parquet, Stata, SPSS, SAS, ODS or XLS file or a zip,
    which need random access, are spooled to a temporary file first (unless ``path`` is the stream's own file);
    a ``.gz`` is unpacked as it streams, and so is the one table of a zip. Raises PrivacyScanError for content
    that cannot be read as its kind.
    """
    started = time.monotonic()
    head = read_exact(stream, SAMPLE_BYTES)
    kind = _kind(head, name)
    if kind in containers.CONTAINER_KINDS:
        if nested:
            raise PrivacyScanError(tr("{name} holds another compressed file inside; unpack it first.", name=name))
        found = _scan_container(kind, _Chained(head, stream), name, path, full=full)
        found.seconds = time.monotonic() - started
        return found
    report = ScanReport(name=name, format=kind, full=full)
    if kind not in _SCANNED_KINDS and kind not in FRAME_KINDS:
        report.scanned = False
        report.bytes_read = len(head)
        return report
    counting = Counting(_Chained(head, stream))
    tables = _Tables()
    limit = None if full else SAMPLE_ROWS
    suffix = Path(name).suffix.lower()
    if kind in FRAME_KINDS:
        try:
            with containers.local_file(counting, path, suffix) as local:
                report.details = read_frame(kind, local, tables, limit_rows=limit, name=name)
                if path is not None:
                    counting.count = local.stat().st_size  # read by the library, from the file itself
        except PrivacyScanError:
            if kind == "xls" and suffix != ".xls":  # another OLE2 document (.doc, .msg): no table, as inspection
                report.scanned = False
                report.bytes_read = counting.count
                return report
            raise
    elif kind == "csv":
        report.details = readers.read_csv(counting, tables, limit_rows=limit, suffix=suffix, known=known)
    elif kind == "json":
        report.details = readers.read_json(counting, tables, limit_rows=limit)
    elif kind == "text":
        report.details = readers.read_text(counting, tables, limit_rows=limit)
    else:
        with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as spool:
            while block := counting.read(4 * 1024 * 1024):
                spool.write(block)
            spool.seek(0)
            report.details = readers.read_xlsx(spool, tables, limit_rows=limit)
    _conclude(report, tables, limit)
    report.bytes_read = counting.count
    report.seconds = time.monotonic() - started
    return report


def scan_rows(name: str, header: list[str], rows: list[list[str]], *, complete: bool,
              details: dict[str, Any] | None = None, format: str = "csv") -> ScanReport:
    """The pre-upload scan of a table inspection has already parsed (its header and first rows): the same
    findings as :func:`scan_file` gives for the sample, without reading, decoding and parsing it again."""
    started = time.monotonic()
    report = ScanReport(name=name, format=format, full=False, details=dict(details or {}))
    sampled = len(rows) > SAMPLE_ROWS or not complete
    rows = rows[:SAMPLE_ROWS]
    header = [cell.strip() for cell in header][: readers.MAX_COLUMNS]
    tables = _Tables()
    if header:
        tables("", header, transpose(rows, len(header)))
    report.findings = tables.findings()
    report.rows = sum(tables.rows.values())
    if sampled:
        report.details["sampled"] = True
    report.full = not sampled
    report.seconds = time.monotonic() - started
    return report


def scan_file(path: str | os.PathLike[str], *, full: bool = False, known: CsvHint | None = None) -> ScanReport:
    """Scan the file at ``path``: a sample (the default, for the pre-upload check) or all of it. ``known``: the
    encoding and dialect of a CSV, when inspection has already detected them."""
    file_path = Path(path)
    try:
        with file_path.open("rb") as handle:
            report = scan_stream(handle, file_path.name, full=full, known=known, path=file_path)
    except PermissionError as exc:
        raise PrivacyScanError(tr("No permission to read {name}.", name=file_path.name)) from exc
    except FileNotFoundError as exc:
        raise PrivacyScanError(tr("There is no file at {path}.", path=file_path)) from exc
    except IsADirectoryError as exc:
        raise PrivacyScanError(tr("{path} is a folder, not a file.", path=file_path)) from exc
    except (UnicodeError, MemoryError) as exc:
        raise PrivacyScanError(tr("Could not read {name}: {error}", name=file_path.name, error=exc)) from exc
    if not full and not report.details.get("sampled") and report.bytes_read >= file_path.stat().st_size:
        report.full = True  # the sample was the whole file
    return report


def _scan_container(kind: str, stream: ByteStream, name: str, path: Path | None, *, full: bool) -> ScanReport:
    """A gzip (its content scanned as it unpacks) or a zip (an ODS spreadsheet, or the one table it holds)."""
    if kind == "gzip":
        unpacked = containers.Gunzipped(stream, name)
        report = scan_stream(unpacked, containers.inner_name(name), full=full, nested=True)
        report.details["compression"] = "gzip"
        report.bytes_read = unpacked.packed.count
    else:
        counting = Counting(stream)
        with containers.local_file(counting, path, ".zip") as local:
            content, member = containers.zip_content(local, name)
            if content == "ods":
                report = ScanReport(name=name, format="ods", full=full)
                tables = _Tables()
                report.details = read_frame("ods", local, tables, limit_rows=None if full else SAMPLE_ROWS,
                                            name=name)
                _conclude(report, tables, None if full else SAMPLE_ROWS)
            elif member is not None:
                with containers.open_member(local, member, name) as handle:
                    report = scan_stream(handle, member.filename, full=full, nested=True)
                report.details.update(compression="zip", member=member.filename)
            else:
                report = ScanReport(name=name, format="zip", full=full, scanned=False)
            report.bytes_read = counting.count if path is None else local.stat().st_size
    report.name = name
    return report


def _conclude(report: ScanReport, tables: _Tables, limit: int | None) -> None:
    report.findings = tables.findings()
    report.rows = sum(tables.rows.values())
    if limit is not None and any(rows >= limit for rows in tables.rows.values()):
        report.details["sampled"] = True  # the first rows only


class _Chained:
    """``head`` (already read to sniff the kind) followed by the rest of ``stream``."""

    def __init__(self, head: bytes, stream: ByteStream) -> None:
        self.head = head
        self.stream = stream

    def read(self, size: int = -1, /) -> bytes:
        if self.head:
            if size < 0:
                data, self.head = self.head + self.stream.read(), b""
                return data
            data, self.head = self.head[:size], self.head[size:]
            return data
        return self.stream.read(size)
