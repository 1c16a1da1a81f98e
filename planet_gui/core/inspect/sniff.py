"""What kind of file this is: magic bytes first, the extension second, the content last. The magic bytes and
extensions of each format are its row in :mod:`.formats`; the checks here are those a prefix cannot say."""

from __future__ import annotations

import csv
import io

from planet_gui.core.inspect import text as textmod
from planet_gui.core.inspect.formats import BY_EXTENSION, FORMATS, MAGIC

# Kinds: a row of .formats.FORMATS, or text / binary for content without a known signature
_MAGIC = MAGIC
EXTENSIONS = BY_EXTENSION
IMAGE_KINDS = tuple(f.kind for f in FORMATS if f.inspector.endswith(":inspect_image"))


def sniff_magic(head: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[128:132] == b"DICM":  # DICOM: a 128-byte preamble, then the signature
        return "dicom"
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
