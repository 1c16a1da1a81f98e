"""Compressed tables: ``.csv.gz`` (gzip) and a zip holding one CSV (``.csv.zip``), and the zip dispatcher.

The compressed stream is decompressed into a private temporary file, at most ``DECOMPRESSED_CAP`` bytes, and
that file is inspected as a CSV (same inference as an uncompressed one). When the data goes on past the cap,
the records are estimated from the share of the compressed bytes consumed, and the inspection says so. A member
that unpacks at more than ``MAX_RATIO``:1 over more than ``RATIO_FLOOR`` bytes is a zip bomb: refused with a
sentence, having written at most the cap. Memory stays at one decompression block whatever the file holds.

A zip is dispatched here by content: an XLSX workbook, an ODS spreadsheet, a zip with one table (CSV/TSV) inside,
or else a plain archive ("other", its members listed).
"""

from __future__ import annotations

import gzip
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import IO, Any

from planet_gui.core.errors import InspectionError
from planet_gui.core.i18n import tr
from planet_gui.core.inspect.model import FULL_SCAN_LIMIT, Inspection

DECOMPRESSED_CAP = FULL_SCAN_LIMIT
MAX_RATIO = 150
RATIO_FLOOR = 32 * 1024 * 1024
_BLOCK = 256 * 1024
_TABLE_SUFFIXES = (".csv", ".tsv", ".tab", ".psv", ".txt")


class _Counting:
    """A binary file that counts the bytes read from it (the compressed bytes consumed)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.count += len(data)
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)


def _unpack(source: Any, target: IO[bytes], consumed: _Counting, name: str) -> bool:
    """Copy at most DECOMPRESSED_CAP bytes; True when the data went on past the cap. Refuses bombs."""
    written = 0
    while written <= DECOMPRESSED_CAP:
        block = source.read(_BLOCK)
        if not block:
            return False
        written += len(block)
        target.write(block[: max(0, DECOMPRESSED_CAP - (written - len(block)))])
        if written > RATIO_FLOOR and written / max(1, consumed.count) > MAX_RATIO:
            raise InspectionError(tr("{name} unpacks at more than {ratio} to 1 (over {mib} MiB from {packed:,} "
                                     "bytes): that is a compression bomb, not a data file; it is not read.",
                                     name=name, ratio=MAX_RATIO, mib=written // (1024 * 1024),
                                     packed=consumed.count))
    return True


def _inspect_unpacked(path: Path, size: int, inner: str, unpack: Any, *, preview_rows: int,
                      compression: str) -> Inspection:
    with tempfile.TemporaryDirectory(prefix="planet-inspect-") as folder:
        target = Path(folder) / (Path(inner).name or "data.csv")
        with target.open("wb") as handle:
            try:
                cut, consumed = unpack(handle)
            except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as exc:
                raise InspectionError(tr("{name} is not a readable {compression} file (damaged or truncated?): "
                                         "{error}", name=path.name, compression=compression, error=exc)) from exc
        with target.open("rb") as handle:
            if handle.read(4)[:2] in (b"\x1f\x8b", b"PK"):
                raise InspectionError(tr("{name} holds another compressed file inside; unpack it first.",
                                         name=path.name))
        unpacked = target.stat().st_size
        found = _inspect_inner(target, unpacked, preview_rows)
    found.path, found.size = path, size
    found.details.update(compression=compression, member=inner, decompressed_bytes_read=unpacked)
    if cut:
        share = max(consumed, 1) / max(size, 1)
        count = found.metadata.get("record_count")
        if isinstance(count, int) and share < 1:
            found.metadata["record_count"] = round(count / share)
        found.details["record_count_estimated"] = True
        found.details.setdefault("confidence", {})["record_count"] = 0.5
        found.details["time_sampled"] = True
        found.warnings.append(tr("Compressed data beyond {mib} MiB: records estimated from the compressed share "
                                 "read, period from the first {mib} MiB", mib=DECOMPRESSED_CAP // (1024 * 1024)))
    if found.metadata.get("format") == "other":
        found.warnings.append(tr("The {compression} file holds {member}, which is not a table; only its name and "
                                 "size are known.", compression=compression, member=inner))
    return found


def _inspect_inner(path: Path, size: int, preview_rows: int) -> Inspection:
    """The unpacked file as what it is: a CSV, JSON, or another file (the outer call checks the result)."""
    from planet_gui.core.inspect.formats import BY_KIND
    from planet_gui.core.inspect.generic import inspect_other
    from planet_gui.core.inspect.model import SAMPLE_BYTES
    from planet_gui.core.inspect.sniff import sniff

    with path.open("rb") as handle:
        head = handle.read(SAMPLE_BYTES)
    if not head:
        raise InspectionError(tr("{name} is empty once unpacked.", name=path.name))
    kind, claimed = sniff(head, path.suffix)
    if kind == "json" or (kind != "binary" and claimed == "json"):
        found = BY_KIND["json"].inspect(path, size, preview_rows=preview_rows, head=head)
    elif kind == "csv" or (kind != "binary" and claimed == "csv"):
        found = BY_KIND["csv"].inspect(path, size, preview_rows=preview_rows, head=head)
    else:
        return inspect_other(path, size, preview_rows=preview_rows, head=head, kind=kind)
    found.details.setdefault("detected", "json" if kind == "json" else "csv")
    return found


def inspect_gzip(path: Path, size: int, *, preview_rows: int, head: bytes) -> Inspection:
    del head
    inner = path.name[:-3] if path.name.lower().endswith(".gz") else path.stem or "data"

    def unpack(target: IO[bytes]) -> tuple[bool, int]:
        with path.open("rb") as raw:
            counting = _Counting(raw)
            with gzip.GzipFile(fileobj=counting, mode="rb") as source:
                cut = _unpack(source, target, counting, path.name)
            return cut, counting.count

    return _inspect_unpacked(path, size, inner, unpack, preview_rows=preview_rows, compression="gzip")


def inspect_zip(path: Path, size: int, *, preview_rows: int, head: bytes, claimed: str | None = None) -> Inspection:
    """A zip by what it holds: a workbook, a spreadsheet, one table, or an archive."""
    from planet_gui.core.inspect.formats import BY_KIND
    from planet_gui.core.inspect.ods import is_ods
    from planet_gui.core.inspect.xlsx import is_xlsx
    from planet_gui.core.inspect.xlsx_reader import XlsxLimit, check_members

    if is_xlsx(path):
        return _detected(BY_KIND["xlsx"].inspect(path, size, preview_rows=preview_rows, head=head), "xlsx")
    if is_ods(path):
        return _detected(BY_KIND["ods"].inspect(path, size, preview_rows=preview_rows, head=head), "ods")
    if claimed == "xlsx":
        raise InspectionError(tr("{name} is a zip file but not an Excel (XLSX) workbook.", name=path.name))
    if claimed == "ods":
        raise InspectionError(tr("{name} is a zip file but not an OpenDocument (ODS) spreadsheet.", name=path.name))
    try:
        with zipfile.ZipFile(path) as zf:
            check_members(zf)
            members = [info for info in zf.infolist() if not info.is_dir() and not info.filename.startswith("__MACOSX")]
    except XlsxLimit as exc:
        raise InspectionError(tr("{name} cannot be inspected safely: {reason}", name=path.name, reason=exc)) from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise InspectionError(tr("{name} is not a readable zip file (damaged or truncated?): {error}",
                                 name=path.name, error=exc)) from exc
    tables = [info for info in members if info.filename.lower().endswith(_TABLE_SUFFIXES)]
    if len(members) == 1 and tables:
        member = tables[0]
        if member.flag_bits & 0x1:
            raise InspectionError(tr("{name} is an encrypted zip; it cannot be inspected.", name=path.name))

        def unpack(target: IO[bytes]) -> tuple[bool, int]:
            with zipfile.ZipFile(path) as zf, zf.open(member) as source:
                counting = _Compressed(source, member)
                cut = _unpack(counting, target, counting, path.name)
                return cut, counting.count

        return _inspect_unpacked(path, size, member.filename, unpack, preview_rows=preview_rows, compression="zip")
    from planet_gui.core.inspect.generic import inspect_other

    found = inspect_other(path, size, preview_rows=preview_rows, head=head, kind="zip")
    found.details["members"] = [info.filename for info in members[:200]]
    found.details["member_count"] = len(members)
    found.warnings.append(tr("A zip archive of {count} file(s): it is uploaded as it is; its contents are not "
                             "inspected (a zip holding a single CSV is).", count=len(members)))
    return found


class _Compressed(_Counting):
    """A zip member's stream; ``count`` estimates the compressed bytes consumed from the decompressed ones."""

    def __init__(self, handle: IO[bytes], info: zipfile.ZipInfo) -> None:
        super().__init__(handle)
        self.ratio = max(1, info.compress_size) / max(1, info.file_size)
        self.unpacked = 0
        self.packed = max(1, info.compress_size)

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.unpacked += len(data)
        self.count = min(self.packed, int(self.unpacked * self.ratio) + 1)
        return data


def _detected(found: Inspection, kind: str) -> Inspection:
    found.details["detected"] = kind
    return found


__all__ = ["inspect_gzip", "inspect_zip"]
