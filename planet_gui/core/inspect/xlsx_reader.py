"""Read an XLSX workbook in bounded memory and time, whatever its parts claim or hold.

openpyxl does the decoding that needs knowledge of the format: the stylesheet (which styles are dates),
Excel serial dates (``from_excel``), booleans, errors, formulas' cached values (its worksheet cell
parser). Plain numbers and shared or inline strings, most cells of any sheet, are decoded here as
openpyxl does, because a per-cell call into openpyxl made sheets 1.5x slower. The XML is driven here,
incrementally, because neither maintained reader is bounded against hostile files (measured under a
1.5 GB address-space limit): openpyxl's read-only worksheet builds each ``<row>`` whole (a 1 GB row
did not finish in 60 s), pads rows with empty cells up to the widest column, and reads styles.xml
(MemoryError on a 1 GB one) and the whole shared-string table at load; python-calamine makes the
sheet a dense array and aborts on allocation for a 1.2 KB file naming cell ``ZZZZZZ2``.

The limits, each with a sentence a person can act on:

* a part read whole (workbook, relationships, styles) holds at most ``MAX_WHOLE_PART`` bytes,
  read with a bounded ``read`` so a zip header that lies about the size changes nothing;
* a member that would unpack to more than ``RATIO_FLOOR`` bytes at more than ``MAX_RATIO``:1 is a
  zip bomb and refused before any of it is read;
* XML nests at most ``MAX_DEPTH`` elements; no ``MAX_ELEMENT_BYTES`` of XML may pass without a
  cell or a row ending (one cell or shared string cannot fill memory);
* a row holds at most ``MAX_COLUMNS`` cells (Excel's own limit, column XFD), cell text is clipped
  to ``MAX_CELL_CHARS`` (Excel's own limit), the shared-string table is read up to
  ``MAX_STRINGS`` strings or ``MAX_STRING_CHARS`` characters.

Every refusal is an :class:`XlsxLimit` (a ValueError) whose message the inspector shows.
"""

from __future__ import annotations

import functools
import itertools
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from xml.etree import ElementTree

from planet_gui.core.i18n import tr

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ROW = f"{_NS}row"
_CELL = f"{_NS}c"
_SI = f"{_NS}si"
_T = f"{_NS}t"
_DIMENSION = f"{_NS}dimension"
_V = f"{_NS}v"

MAX_WHOLE_PART = 8 * 1024 * 1024
MAX_RATIO = 150
RATIO_FLOOR = 64 * 1024 * 1024
MAX_DEPTH = 64
MAX_ELEMENT_BYTES = 4 * 1024 * 1024
MAX_COLUMNS = 16_384
MAX_CELL_CHARS = 32_767
MAX_STRINGS = 100_000
MAX_STRING_CHARS = 32 * 1024 * 1024
_CHUNK = 64 * 1024


class XlsxLimit(ValueError):
    """The workbook breaks one of the limits above; the message says which, for a person."""


def _mb(size: int) -> str:
    return f"{size / 1e6:,.1f}"


def check_members(zf: zipfile.ZipFile) -> None:
    """Refuse zip bombs before reading: a big member unpacking at an absurd ratio."""
    for info in zf.infolist():
        packed = max(1, info.compress_size)
        if info.file_size > RATIO_FLOOR and info.file_size / packed > MAX_RATIO:
            raise XlsxLimit(tr("{part} would unpack from {packed} MB to {size} MB ({ratio:,.0f} to 1): that is a "
                               "zip bomb, not a workbook.", part=info.filename, packed=_mb(info.compress_size),
                               size=_mb(info.file_size), ratio=info.file_size / packed))


def read_part(zf: zipfile.ZipFile, name: str) -> bytes:
    """A part read whole, at most MAX_WHOLE_PART bytes (KeyError when absent)."""
    with zf.open(name) as handle:
        data = handle.read(MAX_WHOLE_PART + 1)
    if len(data) > MAX_WHOLE_PART:
        raise XlsxLimit(tr("{part} is larger than {limit} MB; real workbooks need far less, so it is not read.",
                           part=name, limit=_mb(MAX_WHOLE_PART)))
    return data


def _parse_whole(zf: zipfile.ZipFile, name: str) -> ElementTree.Element:
    """A small part as a tree (depth still bounded)."""
    parser = _Guard(name)
    parser.feed(read_part(zf, name))
    parser.close()
    parser.progress()
    root = None
    for event, element in parser.events():
        parser.progress()
        if root is None and event == "start":
            root = element
    if root is None:
        raise ValueError(f"{name}: no XML element")
    return root


class _Guard:
    """An incremental XML parser that enforces MAX_DEPTH and MAX_ELEMENT_BYTES.

    ``progress()`` is called by the reader whenever a unit (a cell, a row, a string) is complete;
    more than MAX_ELEMENT_BYTES fed without one is refused.
    """

    def __init__(self, part: str) -> None:
        self.part = part
        self._parser: Any = ElementTree.XMLPullParser(events=("start", "end"))
        self.depth = 0
        self.stack: list[ElementTree.Element] = []
        self._since = 0

    def progress(self) -> None:
        self._since = 0

    def feed(self, data: bytes) -> None:
        self._since += len(data)
        try:
            self._parser.feed(data)
        except ElementTree.ParseError as exc:
            raise ValueError(f"{self.part}: {exc}") from exc

    def close(self) -> None:
        try:
            self._parser.close()
        except ElementTree.ParseError as exc:
            raise ValueError(f"{self.part}: {exc}") from exc

    def too_deep(self) -> None:
        raise XlsxLimit(tr("{part} nests XML more than {depth} levels deep; no workbook does that.",
                           part=self.part, depth=MAX_DEPTH))

    def check_progress(self) -> None:
        if self._since > MAX_ELEMENT_BYTES:
            raise XlsxLimit(tr("{part} holds a single cell or string larger than {limit} MB; Excel allows "
                               "{chars:,} characters in a cell, so it is not read.", part=self.part,
                               limit=_mb(MAX_ELEMENT_BYTES), chars=MAX_CELL_CHARS))

    def events(self) -> Iterator[tuple[str, ElementTree.Element]]:
        """The events of the data fed so far (one generator, no layers: this loop runs per XML tag)."""
        stack = self.stack
        for event, element in self._parser.read_events():
            if event == "start":
                stack.append(element)
                if len(stack) > MAX_DEPTH:
                    self.too_deep()
            else:
                stack.pop()
            yield event, element
        self.check_progress()

    def detach(self, element: ElementTree.Element) -> None:
        """Drop a finished element from its parent (it is the parent's last child when it ends), so nothing
        read stays in memory; a finished element is progress."""
        self._since = 0
        if self.stack:
            parent = self.stack[-1]
            if len(parent) and parent[-1] is element:
                del parent[-1]


@dataclass
class Workbook:
    sheets: list[str]
    sheet_path: str
    date_styles: set[int] = field(default_factory=set)
    timedelta_styles: set[int] = field(default_factory=set)
    strings: list[str] = field(default_factory=list)
    strings_cut: bool = False
    warnings: list[str] = field(default_factory=list)


def sheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """Each sheet's name and the zip part holding it, in the workbook's order."""
    root = _parse_whole(zf, "xl/workbook.xml")
    sheets = [(s.get("name", ""), s.get(f"{_REL_NS}id", "")) for s in root.iter(f"{_NS}sheet")]
    if not sheets:
        raise ValueError(tr("The workbook has no sheets"))
    targets: dict[str, str] = {}
    try:
        rels = _parse_whole(zf, "xl/_rels/workbook.xml.rels")
        targets = {rel.get("Id", ""): rel.get("Target", "") for rel in rels.iter(f"{_PKG_REL_NS}Relationship")}
    except KeyError:
        pass
    parts = []
    for number, (name, rel_id) in enumerate(sheets, start=1):
        target = targets.get(rel_id, f"worksheets/sheet{number}.xml")
        parts.append((name, target.lstrip("/") if target.startswith("/") else f"xl/{target}"))
    return parts


def open_workbook(zf: zipfile.ZipFile) -> Workbook:
    """Sheets, the first sheet's part, date styles and (a bounded part of) the shared strings."""
    check_members(zf)
    sheets = sheet_parts(zf)
    book = Workbook([name for name, _ in sheets], sheets[0][1])
    _read_styles(zf, book)
    _read_strings(zf, book)
    return book


def _read_styles(zf: zipfile.ZipFile, book: Workbook) -> None:
    from openpyxl.styles.stylesheet import Stylesheet

    try:
        root = _parse_whole(zf, "xl/styles.xml")
    except KeyError:
        return
    try:
        sheet = Stylesheet.from_tree(root)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        book.warnings.append(tr("The workbook's styles cannot be read ({error}); dates may show as numbers",
                                error=exc))
        return
    book.date_styles = set(sheet.date_formats)
    book.timedelta_styles = set(sheet.timedelta_formats)


def _read_strings(zf: zipfile.ZipFile, book: Workbook) -> None:
    try:
        zf.getinfo("xl/sharedStrings.xml")
    except KeyError:
        return
    strings = book.strings
    chars = 0
    guard = _Guard("xl/sharedStrings.xml")
    events = guard.events
    with zf.open("xl/sharedStrings.xml") as handle:
        while chunk := handle.read(_CHUNK):
            guard.feed(chunk)
            for event, element in events():
                if event == "end" and element.tag == _SI:
                    text = "".join(element.itertext())[:MAX_CELL_CHARS]  # runs, phonetic hints: all text
                    guard.detach(element)
                    strings.append(text)
                    chars += len(text)
                    if len(strings) >= MAX_STRINGS or chars >= MAX_STRING_CHARS:
                        book.strings_cut = True
                        return


class _Strings(Sequence[str | None]):
    """The shared strings as openpyxl's cell parser indexes them: a string past those read is None."""

    def __init__(self, strings: list[str]) -> None:
        self._strings = strings

    def __len__(self) -> int:
        return len(self._strings)

    def __getitem__(self, index: Any) -> Any:
        try:
            return self._strings[index]
        except IndexError:
            return None


def rows(zf: zipfile.ZipFile, book: Workbook, meta: dict[str, Any]) -> Iterator[list[str | None]]:
    """The first sheet's rows as text cells (missing cells None), each at most MAX_COLUMNS wide.

    One loop over the parser's events, with the guard's checks inline: it runs for every XML tag of the
    sheet, so layers of generators cost more than the parsing. Plain numbers and shared strings, most of any
    sheet, are decoded here as openpyxl does; every other cell (dates, booleans, inline strings, errors,
    formulas' cached values) goes to openpyxl's cell parser.
    """
    from openpyxl.utils.cell import column_index_from_string
    from openpyxl.worksheet._reader import WorkSheetParser

    cells = WorkSheetParser(None, _Strings(book.strings), data_only=True, date_formats=book.date_styles,
                            timedelta_formats=book.timedelta_styles)
    strings, dates = book.strings, {str(style) for style in book.date_styles | book.timedelta_styles}
    guard = _Guard(book.sheet_path)
    stack = guard.stack
    row: dict[int, str | None] = {}
    column = count = cell_level = 0
    with zf.open(book.sheet_path) as handle:
        for chunk in itertools.chain(iter(functools.partial(handle.read, _CHUNK), b""), [None]):
            if chunk is None:
                guard.close()  # the events of the end of the sheet, and a check that it is complete
            else:
                guard.feed(chunk)
                meta["consumed"] = meta.get("consumed", 0) + len(chunk)
            for event, element in guard._parser.read_events():  # noqa: SLF001 - the guard's own parser
                tag = element.tag
                if event == "start":
                    stack.append(element)
                    if len(stack) > MAX_DEPTH:
                        guard.too_deep()
                    if tag == _CELL:
                        cell_level = len(stack)
                    elif tag == _ROW:
                        number = element.get("r")
                        cells.row_counter = int(number) if number and number.isdigit() else cells.row_counter + 1
                        row, column, count = {}, 0, 0
                    continue
                stack.pop()
                if tag == _CELL:
                    cell_level = 0
                    reference = element.get("r")
                    if reference:
                        try:
                            column = column_index_from_string(reference.rstrip("0123456789"))
                        except ValueError:
                            column = MAX_COLUMNS + 1
                    else:
                        column += 1
                    count += 1
                    if count > MAX_COLUMNS or column > MAX_COLUMNS:
                        if count <= MAX_COLUMNS:  # a reference past XFD (or not a reference at all)
                            raise XlsxLimit(tr("Cell reference {reference!r} is not a valid Excel cell (the last "
                                               "column is XFD).", reference=reference))
                        raise XlsxLimit(tr("Row {row} of the sheet has cells beyond column XFD ({columns:,} "
                                           "columns), Excel's limit: the file is damaged or not made by a "
                                           "spreadsheet program.", row=cells.row_counter, columns=MAX_COLUMNS))
                    row[column - 1] = _cell(cells, element, column, strings, dates)
                elif tag == _ROW:
                    width = max(row) + 1 if row else 0
                    yield [row.get(index) for index in range(width)]
                elif cell_level and len(stack) >= cell_level:
                    continue  # inside a cell: kept until the cell ends
                elif tag == _DIMENSION:
                    meta["dimension"] = element.get("ref")
                if stack:
                    guard.detach(element)
            guard.check_progress()


def _cell(parser: Any, element: ElementTree.Element, column: int, strings: list[str], dates: set[str]) -> str | None:
    kind = element.get("t")
    style = element.get("s", "0")
    if kind in (None, "n", "s") and len(element) == 1:
        value = element[0]
        if value.tag == _V and value.text is not None:
            text = value.text
            if style in dates and kind != "s":
                return _date(parser, text, style)
            if kind == "s":
                index = int(text) if text.isdigit() else -1
                return strings[index] if 0 <= index < len(strings) else None
            if text.isdigit() or (text[:1] == "-" and text[1:].isdigit()):
                return text
            try:
                number = float(text)
            except ValueError:
                return text
            return _text(number)
    elif kind == "inlineStr":
        return "".join(node.text or "" for node in element.iter(_T))[:MAX_CELL_CHARS]
    parser.col_counter = column - 1
    element.set("r", "")  # the column is known; openpyxl would parse the reference again
    try:
        found = parser.parse_cell(element)
    except (ValueError, IndexError, TypeError, OverflowError, KeyError):
        return None
    return _text(found["value"])


def _date(parser: Any, text: str, style: str) -> str | None:
    """An Excel serial number in a date (or duration) style, decoded by openpyxl."""
    from openpyxl.utils.datetime import from_excel

    try:
        return _text(from_excel(float(text), parser.epoch, timedelta=int(style) in parser.timedelta_formats))
    except (ValueError, OverflowError, TypeError):
        return text


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.hour == value.minute == value.second == 0 and not value.microsecond:
            return value.strftime("%Y-%m-%d")
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = value if isinstance(value, str) else str(value)
    return text[:MAX_CELL_CHARS]
