"""Builders of hostile files for the inspection tests: zip bombs, deep and huge JSON, wide CSV...

Big files are made cheaply: a zip member's deflate stream is one compressed block repeated (each block ends
with a full flush, so blocks are independent), so a 3 GB part costs a few MB of disk and a CRC pass; sparse
files and streamed writes do the rest. Nothing here is a test; tests/core/test_inspect_hostile.py uses it.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
MIB = 1024 * 1024

CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>{strings}</Types>'
)
STRINGS_TYPE = ('<Override PartName="/xl/sharedStrings.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
PACKAGE_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = f'<workbook {NS} {REL}><sheets><sheet name="Dati" sheetId="1" r:id="rId1"/></sheets></workbook>'
WORKBOOK_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
STYLES = f'<styleSheet {NS}><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>'
SHEET = (
    f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>data</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>valore</t></is></c></row>'
    '<row r="2"><c r="A2" s="1"><v>44927</v></c><c r="B2"><v>1</v></c></row></sheetData></worksheet>'
)


def _add_repeated(zf: zipfile.ZipFile, name: str, head: bytes, block: bytes, count: int, tail: bytes,
                  declared: int | None = None) -> None:
    """Add member ``name`` = head + block * count + tail, deflated, without ever holding it whole.

    ``declared`` overrides the uncompressed size written in the headers (a lying zip)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    last = compressor.compress(tail) + compressor.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(block) * count + len(tail)
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.file_size = size if declared is None else declared
    info.compress_size = len(first) + len(repeated) * count + len(last)
    info.CRC = crc
    info.flag_bits = 0
    assert zf.fp is not None
    info.header_offset = zf.fp.tell()
    zf.fp.write(info.FileHeader(zip64=info.file_size > zipfile.ZIP64_LIMIT or size > zipfile.ZIP64_LIMIT))
    zf.fp.write(first)
    for _ in range(count):
        zf.fp.write(repeated)
    zf.fp.write(last)
    zf.filelist.append(info)
    zf.NameToInfo[name] = info
    zf.start_dir = zf.fp.tell()
    zf._didModify = True  # noqa: SLF001 - so that close() writes the central directory


def _workbook(path: Path, sheet: str | None, extra: Callable[[zipfile.ZipFile], None] | None = None,
              styles: bool = True, strings: bool = False) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES.format(strings=STRINGS_TYPE if strings else ""))
        zf.writestr("_rels/.rels", PACKAGE_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        if styles:
            zf.writestr("xl/styles.xml", STYLES)
        if sheet is not None:
            zf.writestr("xl/worksheets/sheet1.xml", sheet)
        if extra is not None:
            extra(zf)
    return path


def xlsx_huge_cell_reference(path: Path) -> Path:
    """1.2 KB: a cell at column ZZZZZZ, which a reader padding rows with empty cells fills for ever."""
    sheet = (f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c>'
             '<c r="ZZZZZZ2" t="inlineStr"><is><t>b</t></is></c></row>'
             '<row r="2"><c r="ZZZZZZ2"><v>1</v></c></row></sheetData></worksheet>')
    return _workbook(path, sheet)


def xlsx_huge_row(path: Path, size: int = 3 * 1024 * MIB) -> Path:
    """One row of ``size`` bytes of cells (a few MB on disk)."""
    cell = b"<c><v>1</v></c>" * 4096
    head = f'<worksheet {NS}><sheetData><row r="1">'.encode()
    tail = b"</row></sheetData></worksheet>"
    return _workbook(path, None, lambda zf: _add_repeated(zf, "xl/worksheets/sheet1.xml", head, cell,
                                                           size // len(cell), tail))


def xlsx_huge_cell(path: Path, size: int = 3 * 1024 * MIB) -> Path:
    """One inline string cell of ``size`` bytes."""
    head = f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'.encode()
    tail = b"</t></is></c></row></sheetData></worksheet>"
    block = b"x" * MIB
    return _workbook(path, None, lambda zf: _add_repeated(zf, "xl/worksheets/sheet1.xml", head, block,
                                                           size // MIB, tail))


def xlsx_huge_styles(path: Path, size: int = 3 * 1024 * MIB, declared: int | None = None) -> Path:
    """A ``size`` bytes styles.xml (``declared``: the size the zip headers claim)."""
    head = f'<styleSheet {NS}><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs><numFmts>'.encode()
    block = b'<numFmt numFmtId="200" formatCode="yyyy"/>' * 1024
    tail = b"</numFmts></styleSheet>"
    return _workbook(path, SHEET, lambda zf: _add_repeated(zf, "xl/styles.xml", head, block, size // len(block),
                                                            tail, declared), styles=False)


def xlsx_huge_shared_strings(path: Path, size: int = 3 * 1024 * MIB) -> Path:
    """A ``size`` bytes sharedStrings.xml of many small strings, referenced by the sheet."""
    head = f"<sst {NS}>".encode()
    block = b"<si><t>abcdefgh</t></si>" * 4096
    tail = b"</sst>"
    sheet = (f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
             '</row><row r="2"><c r="A2" t="s"><v>5000000</v></c><c r="B2"><v>2</v></c></row>'
             '</sheetData></worksheet>')
    return _workbook(path, sheet, lambda zf: _add_repeated(zf, "xl/sharedStrings.xml", head, block,
                                                            size // len(block), tail), strings=True)


def xlsx_one_huge_shared_string(path: Path, size: int = 3 * 1024 * MIB) -> Path:
    head = f"<sst {NS}><si><t>".encode()
    tail = b"</t></si></sst>"
    sheet = (f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
             '<c r="B1" t="inlineStr"><is><t>b</t></is></c></row></sheetData></worksheet>')
    return _workbook(path, sheet, lambda zf: _add_repeated(zf, "xl/sharedStrings.xml", head, b"y" * MIB,
                                                            size // MIB, tail), strings=True)


def xlsx_deep_xml(path: Path, depth: int = 5_000_000) -> Path:
    """A sheet whose cell nests millions of elements (the tree builder would hold every level)."""
    head = f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is>'.encode()
    return _workbook(path, None, lambda zf: _add_repeated(zf, "xl/worksheets/sheet1.xml", head, b"<r>" * 4096,
                                                           depth // 4096, b""))


# -- JSON ----------------------------------------------------------------------------------------------


def _write_repeated(path: Path, head: bytes, block: bytes, count: int, tail: bytes) -> Path:
    with path.open("wb") as out:
        out.write(head)
        chunk = block * max(1, MIB // len(block))
        per_chunk = max(1, MIB // len(block))
        whole, rest = divmod(count, per_chunk)
        for _ in range(whole):
            out.write(chunk)
        out.write(block * rest)
        out.write(tail)
    return path


def json_huge_object(path: Path, size: int = 300 * MIB) -> Path:
    """A top-level object of millions of distinct small keys, no records: ``{"k000000_0": 0, ...}``."""
    template = b"".join(b',"k@@@@@@_%d":%d' % (i, i % 10) for i in range(60_000))
    with path.open("wb") as out:
        out.write(b'{"first":0')
        written, block = 10, 0
        while written < size:
            piece = template.replace(b"@@@@@@", b"%06d" % block)
            out.write(piece)
            written += len(piece)
            block += 1
        out.write(b"}")
    return path


def json_huge_first_item(path: Path, size: int = 300 * MIB) -> Path:
    """An array whose first item is one huge object, then a normal record."""
    block = b'"field": "' + b"v" * 100 + b'", '
    return _write_repeated(path, b'[{"a": 1, ', block, size // len(block), b'"z": 2}, {"a": 2, "z": 3}]')


def json_huge_string(path: Path, size: int = 300 * MIB) -> Path:
    return _write_repeated(path, b'[{"a": "', b"s" * 4096, size // 4096, b'"}]')


def json_deep_arrays(path: Path, depth: int = 100 * MIB) -> Path:
    """``[[[[...]]]]``: ``depth`` levels of nesting."""
    return _write_repeated(path, b"", b"[" * 4096, depth // 4096, b"]" * 0)


def json_deep_objects(path: Path, depth: int = 10 * MIB) -> Path:
    return _write_repeated(path, b"", b'{"a":' * 1024, depth // 1024, b"")


def json_huge_array_of_arrays(path: Path, size: int = 300 * MIB) -> Path:
    """``[[1, 2, 3, ...]]``: one array item holding millions of numbers."""
    return _write_repeated(path, b"[[", b"1234567, " * 1000, size // 9000, b"0]]")


# -- other text and special files ------------------------------------------------------------------------


def csv_wide(path: Path, columns: int = 100_000) -> Path:
    header = ",".join(f"c{i}" for i in range(columns))
    row = ",".join(str(i % 10) for i in range(columns))
    path.write_text(header + "\n" + row + "\n" + row + "\n")
    return path


def csv_wide_duplicates(path: Path, columns: int = 100_000) -> Path:
    header = ",".join(f"c{i % 50_000}" for i in range(columns))
    path.write_text(header + "\n" + ",".join("1" for _ in range(columns)) + "\n")
    return path


def nul_bytes(path: Path, size: int = 8 * MIB) -> Path:
    with path.open("wb") as out:
        out.truncate(size)  # sparse: all NUL
    return path


def nul_in_csv(path: Path) -> Path:
    path.write_bytes(b"a,b,c\n" + b"1,2,3\n" * 1000 + b"4,\x00\x00,6\n" + b"1,2,3\n" * 1000)
    return path


def invalid_utf8(path: Path) -> Path:
    path.write_bytes(b"nome,valore\n" + b"\xff\xfe\xc3\x28,\xa0\xa1\n" * 5000 + b"\xed\xa0\x80,1\n")
    return path


def invalid_utf8_json(path: Path) -> Path:
    path.write_bytes(b'[{"a": "\xff\xfe", "b": 1}, {"a": "\xc3\x28", "b": 2}]')
    return path


def truncated_netcdf(path: Path, fmt: str = "NETCDF3_64BIT") -> Path:
    """A netCDF file (classic or netCDF-4) with a time axis and a grid, cut in the middle."""
    import numpy as np
    import pandas as pd
    import xarray as xr

    coords = {"time": pd.date_range("2021-01-01", periods=200, freq="D"),
              "lat": ("lat", np.arange(44.0, 46.0, 0.1), {"units": "degrees_north"}),
              "lon": ("lon", np.arange(8.0, 12.0, 0.1), {"units": "degrees_east"})}
    data = np.zeros((200, 20, 40), dtype="float32")
    whole = path.with_name(path.name + ".whole")
    xr.Dataset({"t": (("time", "lat", "lon"), data)}, coords).to_netcdf(whole, format=fmt)
    raw = whole.read_bytes()
    whole.unlink()
    path.write_bytes(raw[: len(raw) // 2])
    return path


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def symlink(path: Path, target: Path) -> Path:
    path.symlink_to(target)
    return path
