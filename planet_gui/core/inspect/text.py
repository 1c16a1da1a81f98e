"""Text files: is it text at all, which encoding, which CSV dialect."""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from dataclasses import dataclass

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ALLOWED_CONTROLS = {0x09, 0x0A, 0x0C, 0x0D, 0x1A, 0x08}
DELIMITERS = (",", ";", "\t", "|")
_OTHER_SCRIPTS = ("Cyrillic", "Greek", "Arabic", "Hebrew", "CJK", "Hiragana", "Katakana", "Hangul", "Thai")


@dataclass(frozen=True)
class Encoding:
    name: str  # a Python codec name, e.g. "utf-8", "utf-8-sig", "cp1252"
    bom: bool = False
    confidence: float = 1.0

    @property
    def ascii_compatible(self) -> bool:
        return not self.name.startswith(("utf-16", "utf-32"))


def bom_encoding(head: bytes) -> str | None:
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    return None


def looks_binary(head: bytes) -> bool:
    """True when ``head`` (the start of a file) is not text in any encoding we read."""
    if bom_encoding(head) in {"utf-16", "utf-32"}:
        return False
    sample = head[:8192]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in _ALLOWED_CONTROLS)
    return controls / len(sample) > 0.05


def detect_encoding(head: bytes, *, complete: bool) -> Encoding:
    """The encoding of a text file whose first bytes are ``head`` (``complete``: the whole file)."""
    bom = bom_encoding(head)
    if bom is not None:
        return Encoding(bom, bom=True)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=complete)
    except UnicodeDecodeError:
        pass
    else:
        return Encoding("utf-8")
    from charset_normalizer import from_bytes

    best = from_bytes(head[:262144]).best()
    if best is not None and any(script in alphabet for alphabet in best.alphabets for script in _OTHER_SCRIPTS):
        return Encoding(codecs.lookup(best.encoding).name, confidence=0.7)
    # Latin text in a single-byte code page: for Italian/European data that is Windows-1252 (a
    # superset of ISO 8859-1 for letters); guesses like cp1250 or mac_roman garble "à", "è", "ò".
    try:
        head.decode("cp1252")
    except UnicodeDecodeError:
        if best is not None:
            return Encoding(codecs.lookup(best.encoding).name, confidence=0.6)
        return Encoding("latin-1", confidence=0.5)
    return Encoding("cp1252", confidence=0.8)


def decode_head(head: bytes, encoding: Encoding, *, complete: bool) -> str:
    """Decode ``head``, dropping a character cut at the end when the file goes on."""
    decoder = codecs.getincrementaldecoder(encoding.name)(errors="replace")
    return decoder.decode(head, final=complete)


@dataclass(frozen=True)
class Dialect:
    delimiter: str
    quotechar: str = '"'
    quoted: bool = False  # the sample holds quote characters: newlines may hide inside fields


def detect_dialect(sample: str, *, preferred: str | None = None) -> Dialect:
    """Pick the delimiter giving the most consistent, widest rows over the first lines of ``sample``."""
    lines = sample[:65536]
    if len(sample) > len(lines) and lines.rfind("\n") > 0:
        lines = lines[: lines.rfind("\n") + 1]
    best: tuple[float, int, str] | None = None
    for order, delimiter in enumerate(DELIMITERS):
        if delimiter not in lines:
            continue
        reader = csv.reader(io.StringIO(lines), delimiter=delimiter, quotechar='"')
        widths = []
        try:
            for row in reader:
                if row:
                    widths.append(len(row))
                if len(widths) >= 60:
                    break
        except csv.Error:
            continue
        if not widths:
            continue
        if len(widths) > 2:
            widths = widths[:-1]  # the last line of a sample may be cut
        width, count = Counter(widths).most_common(1)[0]
        if width < 2:
            continue
        consistency = count / len(widths)
        score = consistency * 10 + min(width, 50) / 50 + (5 if delimiter == preferred else 0)
        candidate = (score, -order, delimiter)
        if best is None or candidate > best:
            best = candidate
    delimiter = best[2] if best is not None else (preferred or ",")
    return Dialect(delimiter=delimiter, quoted='"' in lines)
