"""The file formats inspection knows, one row each: its kind, the name people know it by, the bytes it starts
with, the extensions it goes by, and the function that inspects it. :mod:`.sniff` reads the magic bytes and
extensions from here, :mod:`.api` the label and the inspector; adding a format is one module (its inspector)
and one row below.

An inspector is named as ``"module:function"`` and imported on first use, so heavy libraries (netCDF4, pypdf,
openpyxl) load only when a file of that kind arrives. It is called as ``function(path, size, preview_rows=...,
head=..., **fixed)`` and returns an :class:`~.model.Inspection`.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planet_gui.core.inspect.model import Inspection


@dataclass(frozen=True)
class Format:
    kind: str  # what sniffing calls it, and the inspection's details["detected"]
    label: str  # what a person calls it ("netCDF", "PDF")
    magic: tuple[bytes, ...] = ()  # a file of this kind starts with one of these
    extensions: tuple[str, ...] = ()  # lower case, with the dot
    inspector: str = ""  # "module:function"; "" = looked at as an opaque file
    fixed: Mapping[str, Any] = field(default_factory=dict)  # extra keyword arguments for the inspector

    def inspect(self, path: Path, size: int, *, preview_rows: int, head: bytes) -> Inspection:
        module, _, name = (self.inspector or "planet_gui.core.inspect.generic:inspect_other").partition(":")
        function = getattr(importlib.import_module(module), name)
        fixed = dict(self.fixed) if self.inspector else {"kind": self.kind}
        result: Inspection = function(path, size, preview_rows=preview_rows, head=head, **fixed)
        return result


_GENERIC = "planet_gui.core.inspect.generic"
_NETCDF = "planet_gui.core.inspect.formats:inspect_netcdf_serialised"


def _image(kind: str, label: str, magic: tuple[bytes, ...], *extensions: str) -> Format:
    return Format(kind, label, magic, extensions, f"{_GENERIC}:inspect_image", {"kind": kind})


_I = "planet_gui.core.inspect"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _readstat(kind: str, label: str, magic: tuple[bytes, ...], *extensions: str) -> Format:
    return Format(kind, label, magic, extensions, f"{_I}.readstat:inspect_readstat", {"kind": kind})


#: in sniffing order (the first row whose magic matches wins). A row without magic is found by its extension
#: (or, for zip containers, by what the zip holds: see compressed.inspect_zip).
FORMATS: tuple[Format, ...] = (
    Format("netcdf", "netCDF", (b"CDF\x01", b"CDF\x02", b"CDF\x05"), (".nc", ".nc4", ".cdf", ".netcdf"), _NETCDF),
    Format("hdf5", "netCDF-4/HDF5", (b"\x89HDF\r\n\x1a\n",), (".h5", ".hdf5", ".he5"), _NETCDF),
    Format("grib", "GRIB", (b"GRIB",), (".grib", ".grb", ".grib1", ".grib2", ".grb2"), f"{_I}.grib:inspect_grib"),
    Format("parquet", "Parquet", (b"PAR1",), (".parquet", ".pq"), f"{_I}.parquet:inspect_parquet"),
    # Stata 13+ starts with a tag; 8-12 (formats 113-115) with the format, the byte order and a filetype of 1
    _readstat("stata", "Stata", (b"<stata_dta>", *(bytes((v, o, 1, 0)) for v in (113, 114, 115) for o in (1, 2))),
              ".dta"),
    _readstat("spss", "SPSS", (b"$FL2", b"$FL3"), ".sav", ".zsav", ".por"),
    _readstat("sas", "SAS", (b"HEADER RECORD*******LIBRARY HEADER RECORD",), ".sas7bdat", ".xpt", ".xport"),
    Format("xls", "XLS", (_OLE2,), (".xls",), f"{_I}.xls:inspect_xls"),
    Format("pdf", "PDF", (b"%PDF-",), (".pdf",), f"{_GENERIC}:inspect_pdf"),
    _image("png", "PNG", (b"\x89PNG\r\n\x1a\n",), ".png"),
    _image("jpeg", "JPEG", (b"\xff\xd8\xff",), ".jpg", ".jpeg"),
    _image("tiff", "TIFF", (b"II*\x00", b"MM\x00*"), ".tif", ".tiff"),
    _image("gif", "GIF", (b"GIF87a", b"GIF89a"), ".gif"),
    _image("bmp", "BMP", (), ".bmp"),  # "BM" is too short to trust without the extension (see sniff)
    _image("webp", "WebP", (), ".webp"),  # RIFF....WEBP (see sniff)
    Format("dicom", "DICOM", (), (".dcm", ".dicom"), f"{_GENERIC}:inspect_dicom"),  # "DICM" at byte 128 (see sniff)
    Format("xlsx", "XLSX", (), (".xlsx", ".xlsm"), "planet_gui.core.inspect.xlsx:inspect_xlsx"),  # a zip inside
    Format("ods", "ODS", (), (".ods",), f"{_I}.ods:inspect_ods"),  # a zip inside
    Format("zip", "zip", (b"PK\x03\x04", b"PK\x05\x06"), (".zip",), f"{_I}.compressed:inspect_zip"),
    Format("gzip", "gzip", (b"\x1f\x8b",), (".gz", ".gzip"), f"{_I}.compressed:inspect_gzip"),
    Format("csv", "CSV", (), (".csv", ".tsv", ".tab", ".psv"), "planet_gui.core.inspect.csv_inspector:inspect_csv"),
    Format("json", "JSON", (), (".json", ".geojson", ".jsonl", ".ndjson"),
           "planet_gui.core.inspect.json_inspector:inspect_json"),
)

BY_KIND: dict[str, Format] = {f.kind: f for f in FORMATS}
BY_EXTENSION: dict[str, str] = {ext: f.kind for f in FORMATS for ext in f.extensions}
MAGIC: tuple[tuple[bytes, str], ...] = tuple((magic, f.kind) for f in FORMATS for magic in f.magic)


def label(kind: str) -> str:
    found = BY_KIND.get(kind)
    return found.label if found is not None else kind


# The HDF5 library under netCDF4 is not thread-safe, and the GUI inspects files on a thread pool:
# concurrent opens crash the process. One netCDF inspection at a time.
_NETCDF_LOCK = threading.Lock()


def inspect_netcdf_serialised(path: Path, size: int, *, preview_rows: int, head: bytes) -> Inspection:
    from planet_gui.core.inspect.netcdf_inspector import inspect_netcdf

    with _NETCDF_LOCK:
        return inspect_netcdf(path, size, preview_rows=preview_rows, head=head)
