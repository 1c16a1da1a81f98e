"""What kind of file this is: magic bytes first, the extension second, the content last."""

from __future__ import annotations

import csv
import io

from planet_gui.core.inspect import text as textmod

# Kinds: netcdf, hdf5, pdf, png, jpeg, tiff, gif, bmp, webp, zip, gzip, csv, json, text, binary
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"CDF\x01", "netcdf"),
    (b"CDF\x02", "netcdf"),
    (b"CDF\x05", "netcdf"),
    (b"\x89HDF\r\n\x1a\n", "hdf5"),
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\x1f\x8b", "gzip"),
)
EXTENSIONS = {
    ".csv": "csv", ".tsv": "csv", ".tab": "csv", ".psv": "csv",
    ".json": "json", ".geojson": "json", ".jsonl": "json", ".ndjson": "json",
    ".nc": "netcdf", ".nc4": "netcdf", ".cdf": "netcdf", ".netcdf": "netcdf",
    ".h5": "hdf5", ".hdf5": "hdf5", ".he5": "hdf5",
    ".pdf": "pdf", ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".tif": "tiff", ".tiff": "tiff",
    ".gif": "gif", ".bmp": "bmp", ".webp": "webp", ".xlsx": "xlsx", ".xlsm": "xlsx", ".zip": "zip",
}  # fmt: skip
IMAGE_KINDS = ("png", "jpeg", "tiff", "gif", "bmp", "webp")


def sniff_magic(head: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    # HDF5 allows a user block: the signature may sit at 512, 1024, 2048... bytes
    for offset in (512, 1024, 2048, 4096):
        if head[offset : offset + 8] == b"\x89HDF\r\n\x1a\n":
            return "hdf5"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    return None


def sniff_text(head: bytes) -> str:
    """For text of unknown kind: json, csv or text."""
    if textmod.looks_binary(head):
        return "binary"
    encoding = textmod.detect_encoding(head[:65536], complete=len(head) < 65536)
    sample = textmod.decode_head(head[:65536], encoding, complete=len(head) < 65536).lstrip("\ufeff \t\r\n")
    if sample[:1] in ("{", "["):
        return "json"
    dialect = textmod.detect_dialect(sample)
    try:
        lines = [row for row in csv.reader(io.StringIO(sample), delimiter=dialect.delimiter) if row][:20]
    except csv.Error:
        return "text"
    if len(lines) >= 2 and len(lines[0]) >= 2 and all(len(row) == len(lines[0]) for row in lines[:-1]):
        return "csv"
    return "text"


def sniff(head: bytes, suffix: str) -> tuple[str, str | None]:
    """(kind from the content, kind the extension claims)."""
    claimed = EXTENSIONS.get(suffix.lower())
    magic = sniff_magic(head)
    if magic is not None:
        return magic, claimed
    if head[:2] == b"BM" and claimed == "bmp":
        return "bmp", claimed
    return sniff_text(head), claimed
