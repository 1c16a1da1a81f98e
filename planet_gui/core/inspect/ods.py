"""OpenDocument spreadsheets (.ods): the first sheet as a table, streamed from ``content.xml`` in bounded memory.

An ODS file is a zip of XML, so it can be a zip bomb or an XML bomb, and its cells and rows carry repeat counts
(``number-columns-repeated="16384"``, ``number-rows-repeated="1048576"``) that expand to billions of cells.
The maintained readers expand them (pandas' odf engine builds ``[row] * repeat`` lists; odfpy loads the whole
document as a DOM), so the XML is driven here with the XLSX reader's guard (``xlsx_reader._Guard``: depth,
bytes without progress) after its zip-bomb check, repeats are kept as counts, a row's width is capped at
``MAX_COLUMNS`` and at most ``_SCAN_BYTES`` of XML are read before the rest is estimated. ODS stores dates as
ISO 8601 (``office:date-value``), so the time axis needs no date-format decoding.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from planet_gui.core.errors import InspectionError
from planet_gui.core.i18n import tr
from planet_gui.core.inspect.frames import SAMPLE_ROWS, Batch, describe_frame
from planet_gui.core.inspect.model import Inspection
from planet_gui.core.inspect.table import TablePlan, header_names
from planet_gui.core.inspect.xlsx_reader import MAX_CELL_CHARS, MAX_COLUMNS, XlsxLimit, _Guard, check_members

_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_TABLE_NS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE_NS = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TABLE = f"{_TABLE_NS}table"
_ROW = f"{_TABLE_NS}table-row"
_CELLS = (f"{_TABLE_NS}table-cell", f"{_TABLE_NS}covered-table-cell")
_ROWS_REPEATED = f"{_TABLE_NS}number-rows-repeated"
_COLUMNS_REPEATED = f"{_TABLE_NS}number-columns-repeated"
_VALUE_TYPE = f"{_OFFICE_NS}value-type"
_VALUE_ATTRIBUTE = {
    "float": f"{_OFFICE_NS}value", "percentage": f"{_OFFICE_NS}value", "currency": f"{_OFFICE_NS}value",
    "date": f"{_OFFICE_NS}date-value", "time": f"{_OFFICE_NS}time-value", "boolean": f"{_OFFICE_NS}boolean-value",
}
_SCAN_BYTES = 16 * 1024 * 1024
_CHUNK = 64 * 1024
_BATCH = 20_000


def is_ods(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            if "mimetype" not in zf.namelist():
                return False
            with zf.open("mimetype") as handle:
                return handle.read(len(_MIME) + 1).strip() == _MIME
    except (zipfile.BadZipFile, OSError, KeyError):
        return False


def _repeat(element: Any, attribute: str) -> int:
    try:
        return max(1, int(element.get(attribute, "1")))
    except ValueError:
        return 1


def _value(cell: Any) -> str | None:
    kind = cell.get(_VALUE_TYPE)
    attribute = _VALUE_ATTRIBUTE.get(kind or "")
    if attribute is not None and cell.get(attribute) is not None:
        found = str(cell.get(attribute))
        return found[:-9] if kind == "date" and found.endswith("T00:00:00") else found
    text = "\n".join("".join(child.itertext()) for child in cell)
    return text[:MAX_CELL_CHARS] if text else None


class _Sheet:
    """The first sheet's rows as (cells, how many times the row repeats); empty rows are skipped."""

    def __init__(self, zf: zipfile.ZipFile, *, limit: int | None = _SCAN_BYTES) -> None:
        self.zf = zf
        self.limit = limit  # XML bytes read before the rest is estimated; None: all (the personal-data scan)
        self.consumed = 0
        self.size = next((i.file_size for i in zf.infolist() if i.filename == "content.xml"), 0)
        self.stopped = False  # _SCAN_BYTES read before the sheet ended
        self.name = ""

    def rows(self) -> Iterator[tuple[list[str | None], int]]:
        guard = _Guard("content.xml")
        in_cell = 0
        in_table = False
        row: list[str | None] = []
        pending = 0  # empty cells not yet added (they matter only if a value follows)
        with self.zf.open("content.xml") as raw:
            while chunk := raw.read(_CHUNK):
                self.consumed += len(chunk)
                guard.feed(chunk)
                for event, element in guard.events():
                    tag = element.tag
                    if event == "start":
                        if tag in _CELLS:
                            in_cell += 1
                        elif tag == _TABLE and not in_table:
                            in_table, self.name = True, str(element.get(f"{_TABLE_NS}name", ""))
                        continue
                    if tag in _CELLS:
                        in_cell -= 1
                        value = _value(element)
                        repeat = _repeat(element, _COLUMNS_REPEATED)
                        if value is None:
                            pending += repeat
                        else:
                            room = MAX_COLUMNS - len(row)
                            row.extend([None] * min(pending, room))
                            row.extend([value] * max(0, min(repeat, MAX_COLUMNS - len(row))))
                            pending = 0
                        guard.detach(element)
                    elif in_cell:
                        continue  # a cell's paragraphs stay until the cell ends
                    elif tag == _ROW:
                        if row:
                            yield row, _repeat(element, _ROWS_REPEATED)
                        row, pending = [], 0
                        guard.detach(element)
                    elif tag == _TABLE:
                        return  # the first sheet is read
                    else:
                        guard.detach(element)
                if self.limit is not None and self.consumed > self.limit:
                    self.stopped = True
                    return


def inspect_ods(path: Path, size: int, *, preview_rows: int, head: bytes) -> Inspection:
    del head
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InspectionError(tr("{name} is not a readable ODS spreadsheet (damaged zip): {error}",
                                 name=path.name, error=exc)) from exc
    with zf:
        try:
            check_members(zf)
            sheet = _Sheet(zf)
            rows = sheet.rows()
            first = next(rows, None)
            if first is None:
                raise InspectionError(tr("The first sheet of {name} is empty", name=path.name))
            columns, warnings = header_names(first[0])
            sample: list[list[str | None]] = []
            leftover: tuple[list[str | None], int] | None = None
            for cells, repeat in rows:
                copies = min(repeat, SAMPLE_ROWS - len(sample))
                sample.extend([list(cells)] * copies)
                if repeat > copies:
                    leftover = (cells, repeat - copies)
                if len(sample) >= SAMPLE_ROWS:
                    break

            def more(plan: TablePlan, roles: list[int]) -> Iterator[Batch]:
                del plan
                if leftover is not None:
                    yield leftover[1], {i: [leftover[0][i] if i < len(leftover[0]) else None] for i in roles}
                count = 0
                values: dict[int, list[str | None]] = {i: [] for i in roles}
                for cells, repeat in rows:
                    count += repeat
                    for i in roles:
                        values[i].append(cells[i] if i < len(cells) else None)
                    if count >= _BATCH:
                        yield count, values
                        count, values = 0, {i: [] for i in roles}
                if count:
                    yield count, values

            found = describe_frame(path, size, label="ODS", columns=columns, sample=sample,
                                   preview_rows=preview_rows, more=more, warnings=warnings,
                                   details={"sheet": sheet.name})
        except XlsxLimit as exc:
            raise InspectionError(tr("{name} cannot be inspected safely: {reason}", name=path.name,
                                     reason=exc)) from exc
        except (KeyError, zipfile.BadZipFile, ValueError, EOFError) as exc:
            raise InspectionError(tr("{name} is not a readable ODS spreadsheet: {error}",
                                     name=path.name, error=exc)) from exc
    if sheet.stopped:
        seen = int(found.metadata.get("record_count") or 0)
        estimate = round(seen * max(sheet.size, sheet.consumed) / max(1, sheet.consumed))
        found.metadata["record_count"] = estimate
        found.details["record_count_estimated"] = True
        found.details["confidence"]["record_count"] = 0.5
        found.warnings.append(tr("Sheet too large to read in full: record count estimated from the part read"))
    return found
