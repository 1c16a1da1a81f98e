"""Legacy Excel workbooks (.xls, BIFF), through xlrd: the first sheet as a table.

The BIFF format caps a sheet at 65,536 rows by 256 columns, so a sheet is bounded by the format itself; the file
is still refused above ``_MAX_BYTES`` (xlrd maps it whole) and only the first sheet is loaded (``on_demand``).
Cells of a date-formatted number become ISO dates (xlrd's ``xldate_as_datetime``), so the time axis is found as
in a CSV. An OLE2 file that is not a workbook (a Word .doc, an Outlook .msg) is reported as such.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from planet_gui.core.errors import InspectionError
from planet_gui.core.i18n import tr
from planet_gui.core.inspect.frames import SAMPLE_ROWS, Batch, cell, describe_frame
from planet_gui.core.inspect.model import Inspection
from planet_gui.core.inspect.table import TablePlan, header_names

_MAX_BYTES = 256 * 1024 * 1024


def inspect_xls(path: Path, size: int, *, preview_rows: int, head: bytes) -> Inspection:
    import xlrd

    if size > _MAX_BYTES:
        raise InspectionError(tr("{name} is larger than {mib} MiB, more than a legacy Excel sheet can hold; it is "
                                 "not read.", name=path.name, mib=_MAX_BYTES // (1024 * 1024)))
    try:
        book = xlrd.open_workbook(str(path), on_demand=True, logfile=_Quiet())
    except (xlrd.XLRDError, xlrd.compdoc.CompDocError, ValueError, OSError, IndexError, KeyError, AssertionError,
            EOFError) as exc:
        if path.suffix.lower() != ".xls":
            from planet_gui.core.inspect.generic import inspect_other

            found = inspect_other(path, size, preview_rows=preview_rows, head=head, kind="ole2")
            found.warnings.append(tr("A Microsoft Office (OLE2) file that is not an Excel workbook; only its "
                                     "size and name are known."))
            return found
        raise InspectionError(tr("{name} is not a readable Excel 97-2003 (XLS) workbook: {error}",
                                 name=path.name, error=exc)) from exc
    try:
        names = book.sheet_names()
        sheet = book.sheet_by_index(0)
        datemode = book.datemode

        def value(row: int, col: int) -> str | None:
            kind = sheet.cell_type(row, col)
            raw: Any = sheet.cell_value(row, col)
            if kind == xlrd.XL_CELL_DATE:
                try:
                    return cell(xlrd.xldate_as_datetime(raw, datemode))
                except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                    return cell(raw)
            if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                return None
            if kind == xlrd.XL_CELL_ERROR:
                return str(xlrd.error_text_from_code.get(raw, "#ERR"))
            if kind == xlrd.XL_CELL_BOOLEAN:
                return "true" if raw else "false"
            return cell(raw)

        def row_cells(row: int) -> list[str | None]:
            return [value(row, col) for col in range(sheet.row_len(row))]

        index = 0
        header: list[str | None] | None = None
        while index < sheet.nrows and header is None:
            found_row = row_cells(index)
            index += 1
            if any(item not in (None, "") for item in found_row):
                header = found_row
        if header is None:
            raise InspectionError(tr("The first sheet of {name} is empty", name=path.name))
        columns, warnings = header_names(header)
        sample: list[list[str | None]] = []
        while index < sheet.nrows and len(sample) < SAMPLE_ROWS:
            found_row = row_cells(index)
            index += 1
            if any(item not in (None, "") for item in found_row):
                sample.append(found_row)
        start = index

        def more(plan: TablePlan, roles: list[int]) -> Iterator[Batch]:
            del plan
            count = 0
            values: dict[int, list[str | None]] = {i: [] for i in roles}
            for row in range(start, sheet.nrows):
                width = sheet.row_len(row)
                if width == 0:
                    continue
                count += 1
                for i in roles:
                    values[i].append(value(row, i) if i < width else None)
            yield count, values

        if len(names) > 1:
            warnings.append(tr("The workbook has {count} sheets; only the first, '{sheet}', was inspected",
                               count=len(names), sheet=names[0]))
        return describe_frame(path, size, label="XLS", columns=columns, sample=sample, preview_rows=preview_rows,
                              more=more, warnings=warnings, details={"sheets": names, "sheet": names[0]})
    except (xlrd.XLRDError, ValueError, IndexError, KeyError, AssertionError, EOFError) as exc:
        raise InspectionError(tr("{name} is not a readable Excel 97-2003 (XLS) workbook: {error}",
                                 name=path.name, error=exc)) from exc
    finally:
        book.release_resources()


class _Quiet:
    """xlrd writes warnings about odd records to a log file; they are not the user's business."""

    def write(self, text: str) -> int:
        return len(text)
