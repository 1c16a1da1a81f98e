"""The whole of a big CSV, fast: identifiers found over raw bytes, column traits from spread samples.

Parsing every cell of a GiB in Python is far too slow, so the full scan splits the work:

* **Spread samples**: the first ``_SAMPLE_LINES`` lines of every block go through the csv module and
  the per-column scanners, as in the pre-upload scan. Names, dates of birth, coordinates and free
  text are traits of a column, which a sample from every part of the file shows.
* **Every byte for identifiers**: each block is mapped byte for byte to a few classes (letters to
  ``A``, digits to ``9``; for phone numbers blanks to ``9`` too) with ``bytes.translate``, and C-speed
  searches with a literal prefix find the only places an identifier can start: a run of nine digits-or-blanks (phone
  numbers), six letters (a codice fiscale), ``@`` (e-mail), ``80380`` (a TEAM card), ``IT`` plus
  two digits (an IBAN). Only there does Python look: it reads the candidate from the raw bytes,
  validates it like the column scanner does, and finds its column by counting separators on its
  line. A block with more candidates of one kind than ``_CAP`` (a table of identifiers, every row)
  validates the first ``_CAP`` and extrapolates per column; such counts are marked estimated.

Used for ASCII-compatible encodings (UTF-8, cp1252, latin-1): every identifier is ASCII, so the raw
bytes are the text. Other encodings take the csv path of :mod:`readers`.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections import Counter
from collections.abc import Callable, Sequence

from planet_gui.core.privacy import patterns as pt
from planet_gui.core.privacy.columns import ColumnScanner
from planet_gui.core.privacy.streams import ByteStream, read_exact, transpose

BLOCK_BYTES = 8 * 1024 * 1024
_SAMPLE_LINES = 200
_CAP = 96  # candidates of one kind validated per block; beyond, counts are extrapolated
_WINDOW = 80

CLASSES = pt.CLASSES
# Digits and blanks -> 9 (for phone numbers' digit runs), ASCII letters lower-cased (for the words that announce a
# phone number), anything else -> _: one pass over a block serves both searches (a separate lower() was a third).
_TABLE = bytearray(pt.DIGITS)
for _byte in range(ord("A"), ord("Z") + 1):
    _TABLE[_byte] = _byte + 32
for _byte in range(ord("a"), ord("z") + 1):
    _TABLE[_byte] = _byte
DIGITS = bytes(_TABLE)
# A codice fiscale, omocodia included (patterns.CF_SHAPE: starts with a literal of six letters). Candidates that
# are no code (a long word, an e-mail's long name) fail validation; a block's estimate scales the valid ones only.
_CF_START = pt.CF_SHAPE
_DIGITS = pt.DIGIT_RUN
_IBAN_START = re.compile(rb"IT\d\d[A-Za-z]")
_AT = re.compile(rb"@")
# Words that announce a phone number in free text ("chiamare al 333…"): found on their own, so phones in a
# note column are counted even where a column of phone numbers outnumbers them.
# Each a literal, searched in the lower-cased block: an alternation (or IGNORECASE) is 50 times slower.
_CONTEXT_WORDS = tuple(re.compile(word) for word in (rb"tel", rb"cell", rb"chiam", rb"contatt", rb"recapit"))
_SPOKEN = "spoken phone"
_CARD_START = re.compile(rb"80380")
# As patterns.PHONE_RE, but a separator (a comma too) may follow: the raw line goes on after the cell.
_PHONE_AT = re.compile(r"(?:(?:\+|00)39[ .-]?)?(?:3\d{2}[ .-]?\d{6,7}|0\d{1,3}[ .-]?\d{5,8})(?![\w./-])")

Sink = Callable[[str, list[str], list[Sequence[str]]], None]


class FastCsv:
    """Feeds ``scanners`` (by column index) from a byte stream of delimited text, block by block."""

    def __init__(self, scanners: list[ColumnScanner], delimiter: str, quotechar: str, encoding: str) -> None:
        self.scanners = scanners
        self.delimiter = delimiter.encode("ascii")
        self.quote = quotechar.encode("ascii") if quotechar else b""
        self.encoding = encoding
        self.rows = 0
        self._csv_delimiter = delimiter
        self._csv_quote = quotechar or '"'

    def feed(self, stream: ByteStream, first: bytes) -> None:
        """Scan ``first`` (bytes already read, starting at a record) and the rest of ``stream``."""
        pending = first
        while True:
            more = read_exact(stream, BLOCK_BYTES)
            data = pending + more
            if not data:
                return
            if more:
                cut = data.rfind(b"\n") + 1
                if cut <= 0:  # a single line longer than a block: keep reading
                    pending = data
                    continue
                block, pending = data[:cut], data[cut:]
            else:
                block, pending = data, b""
            self._block(block)
            if not more:
                return

    def _block(self, block: bytes) -> None:
        sample_end = _nth_line_end(block, _SAMPLE_LINES)
        sample = block[:sample_end].decode(self.encoding, errors="replace")
        rows = list(csv.reader(io.StringIO(sample, newline=""), delimiter=self._csv_delimiter,
                               quotechar=self._csv_quote))
        rows = [row for row in rows if row and any(row)]
        width = len(self.scanners)
        if rows:
            columns = transpose(rows, width)
            for scanner, cells in zip(self.scanners, columns, strict=False):
                scanner.add([cell.strip() for cell in cells])
        rest_lines = block.count(b"\n", sample_end) + (0 if block.endswith(b"\n") else 1 if sample_end < len(block)
                                                       else 0)
        self.rows += len(rows) + rest_lines
        if sample_end >= len(block):
            return
        if rows and rest_lines:  # the rest of the block: its non-empty cells, as many as in the sample
            columns = transpose(rows, width)
            for scanner, cells in zip(self.scanners, columns, strict=False):
                filled = sum(1 for cell in cells if cell.strip())
                scanner.values += round(rest_lines * filled / len(rows))
        self._identifiers(block, sample_end)

    def _identifiers(self, block: bytes, start: int) -> None:
        classes = block.translate(CLASSES)
        digits = block.translate(DIGITS)
        for kind, text, pattern in ((pt.CODICE_FISCALE, classes, _CF_START), (pt.PHONE, digits, _DIGITS),
                                    (pt.EMAIL, block, _AT), (pt.HEALTH_CARD, block, _CARD_START),
                                    (pt.IBAN, block, _IBAN_START)):
            positions, total = _find(pattern, text, start)
            if positions:
                self._kind(kind, block, positions, total)
        lowered = digits  # letters lower-cased there
        spoken: list[int] = []
        total = 0
        for word in _CONTEXT_WORDS:
            found, count = _find(word, lowered, start)
            spoken.extend(found)
            total += count
        if spoken:
            self._kind(_SPOKEN, block, sorted(spoken)[:_CAP], total)

    def _kind(self, kind: str, block: bytes, checked: list[int], total: int) -> None:
        per_column: Counter[int] = Counter()
        in_context: Counter[int] = Counter()
        seen_end = -1
        for position in checked:
            if position < seen_end:  # inside the previous candidate (a long digit run)
                continue
            found = self._candidate(kind, block, position)
            if found is None:
                continue
            column, text, end, context = found
            seen_end = end
            scanner = self.scanners[column] if column < len(self.scanners) else None
            if scanner is None:
                continue
            per_column[column] += 1
            in_context[column] += context
            scanner.add_found(pt.PHONE if kind == _SPOKEN else kind, text, context=context)
        if total > len(checked) and per_column:  # extrapolate the rest by the columns seen
            scale = (total - len(checked)) / len(checked)
            for column, count in per_column.items():
                self.scanners[column].add_estimate(pt.PHONE if kind == _SPOKEN else kind, count * scale,
                                                   context=in_context[column] * scale)

    def _candidate(self, kind: str, block: bytes, position: int) -> tuple[int, str, int, bool] | None:
        """(column, the identifier, its end, phone context) for a valid identifier at ``position``."""
        low = max(0, position - _WINDOW)
        window = block[low : position + _WINDOW].decode("latin-1")
        offset = position - low
        spoken = kind == _SPOKEN
        if spoken:  # a phone number within a few words after the keyword
            kind = pt.PHONE
            match = _PHONE_AT.search(window, offset, offset + 40)
            if match is not None and (_glued(window, match.start()) or "\n" in window[offset : match.start()]):
                match = None
        elif kind == pt.EMAIL:
            match = _email_around(window, offset)
        elif kind == pt.PHONE:
            match = _PHONE_AT.search(window, max(0, offset - 5), offset + 24)
            if match is not None and (match.start() > offset + 4 or _glued(window, match.start())):
                match = None
        else:
            match = pt.PATTERNS[kind].match(window, offset)
        if match is None:
            return None
        text = match.group()
        if not pt.VALIDATORS[kind](text):
            return None
        context = spoken or text.startswith(("+39", "0039"))
        if kind == pt.PHONE and not spoken:
            before = window[max(0, match.start() - 30) : match.start()].split("\n")[-1]
            if pt.PHONE_CONTEXT_RE.search(before):
                return None  # announced by a word: the keyword pass counts it, not twice
        return self._column(block, low + match.start()), text, low + match.end(), context

    def _column(self, block: bytes, position: int) -> int:
        line_start = block.rfind(b"\n", 0, position) + 1
        if not self.quote or block.find(self.quote, line_start, position) < 0:
            return block.count(self.delimiter, line_start, position)
        line_end = block.find(b"\n", position)
        line = block[line_start : line_end if line_end >= 0 else len(block)].decode(self.encoding, errors="replace")
        before = block[line_start:position].decode(self.encoding, errors="replace")
        try:  # a quoted cell may hold the separator: count the cells the csv module sees before the position
            cells = next(csv.reader([line], delimiter=self._csv_delimiter, quotechar=self._csv_quote))
        except (csv.Error, StopIteration):
            return before.count(self._csv_delimiter)
        consumed = 0
        for index, cell in enumerate(cells):
            consumed += len(cell) + 1 + (2 if cell and line[consumed : consumed + 1] == self._csv_quote else 0)
            if consumed > len(before):
                return index
        return max(0, len(cells) - 1)



def _find(pattern: re.Pattern[bytes], text: bytes, start: int) -> tuple[list[int], int]:
    """The first ``_CAP`` places ``pattern`` matches in ``text``, and about how many there are in all: past the
    cap, as many as the first ones' density gives over the rest of the block (a column of identifiers has one a
    row; counting each, even in C, cost as much as the rest of the scan). Such counts are reported as estimated."""
    positions = [match.start() for match in itertools.islice(pattern.finditer(text, start), _CAP)]
    if len(positions) < _CAP:
        return positions, len(positions)
    spanned = positions[-1] + 1 - start
    return positions, max(len(positions), round(len(positions) * (len(text) - start) / spanned))


def _glued(window: str, start: int) -> bool:
    """Whether the digits at ``start`` continue a word, a number or a date (then they are no phone)."""
    return start > 0 and (window[start - 1].isalnum() or window[start - 1] in "./+-_")


def _email_around(window: str, at: int) -> re.Match[str] | None:
    start = at
    while start > 0 and (window[start - 1].isalnum() or window[start - 1] in "._%+-"):
        start -= 1
    return pt.EMAIL_RE.match(window, start)


def _nth_line_end(block: bytes, lines: int) -> int:
    at = 0
    for _ in range(lines):
        found = block.find(b"\n", at)
        if found < 0:
            return len(block)
        at = found + 1
    return at
