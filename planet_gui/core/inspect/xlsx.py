"""XLSX workbooks, read with the standard library (zip + streamed XML): first sheet as a table.

Dates stored as Excel serial numbers in date-formatted cells become ISO dates, so the time axis is
found as in a CSV. Other zip files are reported as format "other".
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from planet_gui.core.errors import InspectionError
from planet_gui.core.i18n import tr
from planet_gui.core.inspect.model import FULL_SCAN_LIMIT, Inspection, Preview
from planet_gui.core.inspect.table import Collector, describe_table, header_names, plan_table, preview_cells

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_SAMPLE_ROWS = 2000
_DATE_FORMAT_IDS = set(range(14, 23)) | {45, 46, 47}
_EPOCH = datetime(1899, 12, 30)
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _column_index(ref: str) -> int | None:
    match = _CELL_REF.match(ref)
    if not match:
        return None
    index = 0
    for letter in match[1]:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _date_styles(zf: zipfile.ZipFile) -> set[int]:
    """Indexes of cell styles (the ``s`` attribute) that format numbers as dates."""
    try:
        root = ElementTree.fromstring(zf.read("xl/styles.xml"))
    except (KeyError, ElementTree.ParseError):
        return set()
    custom: set[int] = set()
    for fmt in root.iter(f"{_NS}numFmt"):
        code = re.sub(r'"[^"]*"|\[[^\]]*\]', "", fmt.get("formatCode", "").lower())
        if ("d" in code or "y" in code) and fmt.get("numFmtId", "").isdigit():
            custom.add(int(fmt.get("numFmtId", "0")))
    styles: set[int] = set()
    xfs = root.find(f"{_NS}cellXfs")
    for index, xf in enumerate(xfs if xfs is not None else []):
        fmt_id = int(xf.get("numFmtId", "0") or 0)
        if fmt_id in _DATE_FORMAT_IDS or fmt_id in custom:
            styles.add(index)
    return styles


def _shared_strings(zf: zipfile.ZipFile, limit: int | None) -> list[str]:
    """The shared string table (the first ``limit`` strings when it is huge)."""
    strings: list[str] = []
    try:
        handle = zf.open("xl/sharedStrings.xml")
    except KeyError:
        return strings
    with handle:
        for _, element in ElementTree.iterparse(handle):
            if element.tag == f"{_NS}si":
                strings.append("".join(node.text or "" for node in element.iter(f"{_NS}t")))
                element.clear()
                if limit is not None and len(strings) >= limit:
                    break
    return strings


def _first_sheet(zf: zipfile.ZipFile) -> tuple[list[str], str]:
    workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    sheets = [(s.get("name", ""), s.get(f"{_REL_NS}id", "")) for s in workbook.iter(f"{_NS}sheet")]
    if not sheets:
        raise InspectionError(tr("The workbook has no sheets"))
    targets: dict[str, str] = {}
    try:
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id", ""): rel.get("Target", "") for rel in rels.iter(f"{_PKG_REL_NS}Relationship")}
    except KeyError:
        pass
    target = targets.get(sheets[0][1], "worksheets/sheet1.xml")
    path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return [name for name, _ in sheets], path


def _rows(
    zf: zipfile.ZipFile, sheet: str, strings: list[str], date_styles: set[int], meta: dict[str, Any]
) -> Iterator[list[str | None]]:
    with zf.open(sheet) as handle:
        for _, element in ElementTree.iterparse(handle):
            tag = element.tag
            if tag == f"{_NS}dimension":
                meta["dimension"] = element.get("ref")
            elif tag == f"{_NS}row":
                cells: list[str | None] = []
                for cell in element.iter(f"{_NS}c"):
                    index = _column_index(cell.get("r", "")) if cell.get("r") else len(cells)
                    if index is None:
                        index = len(cells)
                    while len(cells) < index:
                        cells.append(None)
                    cells.append(_cell_value(cell, strings, date_styles))
                element.clear()
                yield cells


def _cell_value(cell: ElementTree.Element, strings: list[str], date_styles: set[int]) -> str | None:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return "".join(node.text or "" for node in cell.iter(f"{_NS}t"))
    value = cell.find(f"{_NS}v")
    if value is None or value.text is None:
        return None
    text = value.text
    if kind == "s":
        index = int(text)
        return strings[index] if index < len(strings) else None
    if kind == "b":
        return "true" if text == "1" else "false"
    if kind == "n" and cell.get("s", "").isdigit() and int(cell.get("s", "0")) in date_styles:
        try:
            moment = _EPOCH + timedelta(days=float(text))
        except (ValueError, OverflowError):
            return text
        if moment.hour == moment.minute == moment.second == 0:
            return moment.strftime("%Y-%m-%d")
        return moment.replace(microsecond=0).isoformat()
    if kind == "n" and text.endswith(".0"):
        return text[:-2]
    return text


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
            sheets, sheet_path = _first_sheet(zf)
            sizes = {info.filename: info.file_size for info in zf.infolist()}
            full = sizes.get(sheet_path, 0) <= 4 * FULL_SCAN_LIMIT
            big_strings = sizes.get("xl/sharedStrings.xml", 0) > FULL_SCAN_LIMIT
            strings = _shared_strings(zf, 200_000 if big_strings else None)
            meta: dict[str, Any] = {}
            rows_iter = _rows(zf, sheet_path, strings, _date_styles(zf), meta)
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
            for row in rows_iter:
                if any(cell not in (None, "") for cell in row):
                    sample.append(row)
                    if len(sample) >= _SAMPLE_ROWS:
                        break
            plan = plan_table(columns, sample)
            collector = Collector(plan)
            collector.add_rows(sample)
            estimated = False
            if full:
                batch: list[list[str | None]] = []
                for row in rows_iter:
                    if any(cell not in (None, "") for cell in row):
                        batch.append(row)
                        if len(batch) >= 5000:
                            collector.add_rows(batch)
                            batch = []
                collector.add_rows(batch)
                record_count = collector.rows
            else:
                estimated = True
                record_count = _rows_from_dimension(meta.get("dimension")) or collector.rows
                warnings.append(tr("Sheet too large to read in full: record count from the sheet's dimension"))
        except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, ValueError) as exc:
            raise InspectionError(tr("{name} is not a readable XLSX workbook: {error}",
                                     name=path.name, error=exc)) from exc
    if big_strings:
        warnings.append(tr("Huge shared-string table: only the first 200,000 strings were read"))
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
