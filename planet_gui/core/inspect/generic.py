"""Files that are not tables: PDF (pages, title), images (size), anything else (a text excerpt)."""

from __future__ import annotations

import logging
import struct
from pathlib import Path
from typing import Any

from planet_gui.core.errors import InspectionError
from planet_gui.core.i18n import tr
from planet_gui.core.inspect import guess
from planet_gui.core.inspect import text as textmod
from planet_gui.core.inspect.model import PREVIEW_TEXT_LIMIT, Inspection, Preview, clip


def inspect_pdf(path: Path, size: int, *, preview_rows: int, head: bytes) -> Inspection:
    del preview_rows, head
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    warnings: list[str] = []
    details: dict[str, Any] = {}
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)  # pypdf logs every recoverable oddity of real-world PDFs
    try:
        try:
            reader = PdfReader(path)
            if reader.is_encrypted:
                details["encrypted"] = True
                try:
                    reader.decrypt("")
                except (PyPdfError, NotImplementedError, ValueError) as exc:
                    raise InspectionError(tr("{name} is an encrypted PDF that needs a password",
                                             name=path.name)) from exc
            pages = len(reader.pages)
            info = reader.metadata
            title = str(info.title).strip() if info is not None and info.title else ""
            author = str(info.author).strip() if info is not None and info.author else ""
        except InspectionError:
            raise
        except (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError, OSError) as exc:
            raise InspectionError(tr("{name} is not a readable PDF (damaged or truncated?): {error}",
                                     name=path.name, error=exc)) from exc
        excerpt = ""
        if pages:
            try:
                excerpt = reader.pages[0].extract_text() or ""
            except Exception as exc:  # text extraction is best effort on odd fonts
                warnings.append(tr("Could not extract text from the first page: {error}", error=exc))
    finally:
        logger.setLevel(level)
    details["pages"] = pages
    if title:
        details["title"] = title
    if author:
        details["author"] = author
    metadata: dict[str, Any] = {"format": "PDF"}
    confidence: dict[str, float] = {"format": 1.0}
    category = guess.guess_category(texts=[title, excerpt[:2000]], filename=path.name)
    if category is not None:
        metadata["category"] = category.value
        confidence["category"] = category.confidence
        details["category_evidence"] = category.evidence
    source = guess.guess_source(filename=path.name, weak_texts=[title] if title else ())
    if source is not None:
        metadata["source"] = source.value
        confidence["source"] = source.confidence
    details["confidence"] = confidence
    preview = Preview(kind="text", text=clip(excerpt.strip(), PREVIEW_TEXT_LIMIT)) if excerpt.strip() else Preview()
    warnings.append(tr("A PDF is a document, not data: only its title, pages and first page's text were read; fill "
                       "in the period and area by hand."))
    return Inspection(path, size, metadata, details, preview, warnings)


def image_size(head: bytes, kind: str) -> tuple[int, int] | None:
    """(width, height) from the first bytes of a PNG, GIF, BMP, WebP, JPEG or TIFF file."""
    try:
        if kind == "png" and head[12:16] == b"IHDR":
            width, height = struct.unpack(">II", head[16:24])
            return int(width), int(height)
        if kind == "gif":
            width, height = struct.unpack("<HH", head[6:10])
            return int(width), int(height)
        if kind == "bmp":
            width, height = struct.unpack("<ii", head[18:26])
            return int(width), abs(int(height))
        if kind == "webp":
            return _webp_size(head)
        if kind == "jpeg":
            return _jpeg_size(head)
        if kind == "tiff":
            return _tiff_size(head)
    except struct.error:
        return None
    return None


def _webp_size(head: bytes) -> tuple[int, int] | None:
    chunk = head[12:16]
    if chunk == b"VP8X":
        width = int.from_bytes(head[24:27], "little") + 1
        height = int.from_bytes(head[27:30], "little") + 1
        return width, height
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", head[26:30])
        return int(width) & 0x3FFF, int(height) & 0x3FFF
    if chunk == b"VP8L":
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def _jpeg_size(head: bytes) -> tuple[int, int] | None:
    pos = 2
    while pos + 9 < len(head):
        if head[pos] != 0xFF:
            pos += 1
            continue
        marker = head[pos + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            pos += 1 if marker == 0xFF else 2
            continue
        length = int.from_bytes(head[pos + 2 : pos + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", head[pos + 5 : pos + 9])
            return int(width), int(height)
        pos += 2 + length
    return None


def _tiff_size(head: bytes) -> tuple[int, int] | None:
    order = "<" if head[:2] == b"II" else ">"
    (offset,) = struct.unpack(order + "I", head[4:8])
    if offset + 2 > len(head):
        return None
    (count,) = struct.unpack(order + "H", head[offset : offset + 2])
    found: dict[int, int] = {}
    for index in range(count):
        entry = head[offset + 2 + 12 * index : offset + 14 + 12 * index]
        if len(entry) < 12:
            break
        tag, kind = struct.unpack(order + "HH", entry[:4])
        if tag in (256, 257):
            if kind == 3:
                (value,) = struct.unpack(order + "H", entry[8:10])
            else:
                (value,) = struct.unpack(order + "I", entry[8:12])
            found[tag] = int(value)
    if 256 in found and 257 in found:
        return found[256], found[257]
    return None


def inspect_image(path: Path, size: int, *, preview_rows: int, head: bytes, kind: str) -> Inspection:
    del preview_rows
    details: dict[str, Any] = {"image_format": kind.upper(), "confidence": {"format": 1.0}}
    warnings: list[str] = []
    dimensions = image_size(head, kind)
    if dimensions is not None:
        details["image_size"] = {"width": dimensions[0], "height": dimensions[1]}
    else:
        warnings.append(tr("Could not read the image size from the file header"))
    warnings.append(tr("An image is not inspected for content: only its format and size are known; fill in "
                       "category, source, area and period by hand."))
    return Inspection(path, size, {"format": "image"}, details, Preview(), warnings)


def inspect_other(path: Path, size: int, *, preview_rows: int, head: bytes, kind: str) -> Inspection:
    """Any other file: format "other", with a text excerpt when it is text."""
    del preview_rows
    details: dict[str, Any] = {"detected": kind, "confidence": {"format": 0.8}}
    preview = Preview()
    if not textmod.looks_binary(head):
        complete = size <= len(head)
        encoding = textmod.detect_encoding(head[:65536], complete=complete and len(head) <= 65536)
        details["encoding"] = encoding.name
        excerpt = textmod.decode_head(head[: PREVIEW_TEXT_LIMIT * 4], encoding, complete=complete)
        preview = Preview(kind="text", text=clip(excerpt.lstrip("\ufeff"), PREVIEW_TEXT_LIMIT))
    metadata: dict[str, Any] = {"format": "other"}
    category = guess.guess_category(filename=path.name)
    if category is not None:
        metadata["category"] = category.value
        details["confidence"]["category"] = category.confidence
    source = guess.guess_source(filename=path.name)
    if source is not None:
        metadata["source"] = source.value
        details["confidence"]["source"] = source.confidence
    return Inspection(path, size, metadata, details, preview, [])


def inspect_dicom(path: Path, size: int, *, preview_rows: int, head: bytes) -> Inspection:
    """A DICOM file: known, not inspected. Its header usually names the patient, so nothing of it is shown."""
    del preview_rows
    found = inspect_other(path, size, preview_rows=0, head=b"\0", kind="dicom")
    found.details.update(detected="dicom", dicom_preamble=head[128:132] == b"DICM")
    found.metadata.update(format="DICOM", category="Clinical")
    found.details["confidence"].update(format=1.0, category=0.6)
    found.warnings.append(tr("DICOM image: its content is not inspected (its header usually names the patient, so "
                             "nothing of it is shown); fill in the metadata by hand and check it holds no personal "
                             "data you may not upload."))
    return found
