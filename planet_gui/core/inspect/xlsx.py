"""XLSX workbooks: the first sheet as a table, read in bounded memory and time (see ``xlsx_reader``).

Dates stored as Excel serial numbers in date-formatted cells become ISO dates (openpyxl decodes
them), so the time axis is found as in a CSV. Other zip files are reported as format "other".
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from planet_gui.core.errors import InspectionError
from planet_gui.core.i18n import tr
from planet_gui.core.inspect.model import Inspection, Preview
from planet_gui.core.inspect.table import (
    Collector,
    cap_columns,
    describe_table,
    header_names,
    plan_table,
    preview_cells,
)
from planet_gui.core.inspect.xlsx_reader import MAX_STRINGS, XlsxLimit, open_workbook, rows

_SAMPLE_ROWS = 2000
# Cells kept in the sample (rows x width): a sheet thousands of columns wide keeps fewer rows.
_SAMPLE_CELLS = 400_000
_BATCH_CELLS = 200_000
# Sheet XML read before the rest is estimated: XML costs far more per record than CSV (a Python step per
# tag), so this bound, not FULL_SCAN_LIMIT, keeps a big sheet's inspection to seconds.
_SCAN_BYTES = 16 * 1024 * 1024


def is_xlsx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return "xl/workbook.xml" in zf.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def inspect_xlsx(path: Path, size: int, *, preview_rows: int, head: bytes) -> Inspection:
    del head
    warnings: list[str] = []
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise InspectionError(tr("{name} is not a readable XLSX workbook (damaged zip): {error}",
                                 name=path.name, error=exc)) from exc
    with zf:
        try:
            book = open_workbook(zf)
            sheets, sheet_path = book.sheets, book.sheet_path
            warnings.extend(book.warnings)
            sizes = {info.filename: info.file_size for info in zf.infolist()}
            big_strings = book.strings_cut
            meta: dict[str, Any] = {}
            rows_iter = rows(zf, book, meta)
            header: list[str | None] | None = None
            sample: list[list[str | None]] = []
            for row in rows_iter:
                if any(cell not in (None, "") for cell in row):
                    header = row
                    break
            if header is None:
                raise InspectionError(tr("The first sheet of {name} is empty", name=path.name))
            columns, header_warnings = header_names(header)
            warnings.extend(header_warnings)
            columns = cap_columns(columns, warnings)
            sample_rows = max(10, min(_SAMPLE_ROWS, _SAMPLE_CELLS // max(1, len(columns))))
            for row in rows_iter:
                if any(cell not in (None, "") for cell in row):
                    sample.append(row[: len(columns)])
                    if len(sample) >= sample_rows:
                        break
            plan = plan_table(columns, sample)
            collector = Collector(plan)
            collector.add_rows(sample)
            estimated = False
            width = len(columns)
            batch: list[list[str | None]] = []
            for row in rows_iter:
                if any(cell not in (None, "") for cell in row):
                    batch.append(row[:width])
                    if len(batch) * width >= _BATCH_CELLS:
                        collector.add_rows(batch)
                        batch = []
                if meta.get("consumed", 0) > _SCAN_BYTES:
                    estimated = True
                    break
            collector.add_rows(batch)
            record_count = collector.rows
            if estimated:
                consumed = max(1, int(meta.get("consumed", 1)))
                record_count = (_rows_from_dimension(meta.get("dimension"))
                                or round(collector.rows * sizes.get(sheet_path, consumed) / consumed))
                warnings.append(tr("Sheet too large to read in full: record count from the sheet's dimension"))
        except XlsxLimit as exc:
            raise InspectionError(tr("{name} cannot be inspected safely: {reason}",
                                     name=path.name, reason=exc)) from exc
        except (KeyError, zipfile.BadZipFile, ValueError, EOFError) as exc:
            raise InspectionError(tr("{name} is not a readable XLSX workbook: {error}",
                                     name=path.name, error=exc)) from exc
    if big_strings:
        warnings.append(tr("Huge shared-string table: only the first {count:,} strings were read", count=MAX_STRINGS))
    if len(sheets) > 1:
        warnings.append(tr("The workbook has {count} sheets; only the first, '{sheet}', was inspected",
                           count=len(sheets), sheet=sheets[0]))
    result = describe_table(plan, collector, filename=path.name, sample_rows=sample, estimated=estimated)
    metadata = {"format": "XLSX", "record_count": record_count, **result.metadata}
    result.confidence.update(format=1.0, record_count=0.5 if estimated else 1.0)
    details: dict[str, Any] = {
        "sheets": sheets,
        "sheet": sheets[0],
        "record_count_estimated": estimated,
        **result.details,
    }
    if meta.get("dimension"):
        details["dimension"] = meta["dimension"]
    preview = Preview(
        kind="table", columns=columns, rows=[preview_cells(row, len(columns)) for row in sample[:preview_rows]]
    )
    return Inspection(path, size, metadata, details, preview, warnings + result.warnings)


def _rows_from_dimension(ref: Any) -> int | None:
    match = re.fullmatch(r"[A-Z]+(\d+):[A-Z]+(\d+)", str(ref or ""))
    return int(match[2]) - int(match[1]) if match else None
