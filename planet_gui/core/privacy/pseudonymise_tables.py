"""Pseudonymised copies of JSON records and XLSX workbooks (a CSV's is in :mod:`.pseudonymise`, byte for byte).

Neither format can be rewritten a field at a time as text, so the document is read, the chosen fields or columns
replaced (the same keyed pseudonym as for a CSV: :func:`.pseudonymise.pseudonym`) or removed, and written again:
every other value, the order of records and keys, the rows, sheets and cell styles stay as they were, though a
JSON file's spacing becomes the writer's. Both are read whole, so their size is capped (``MAX_BYTES``); a
workbook's zip is checked for bombs first, as inspection checks it.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from planet_gui.core.i18n import tr

MAX_BYTES = 256 * 1024 * 1024
_RECORD_KEYS = ("records", "data", "results", "items", "rows", "features")

Pseudonym = Callable[[str], str]
Fail = Callable[[str], Exception]


def copy_json(source: Path, target: Path, columns: Sequence[str], drop: Sequence[str], make: Pseudonym,
              fail: Fail) -> int:
    """Write ``source``'s records to ``target`` with ``columns`` pseudonymised and ``drop`` removed; the rows.

    Columns may be named as the scan names them (``records.nome``) or by the field alone (``nome``)."""
    _check_size(source, fail)
    try:
        text = source.read_text(encoding="utf-8-sig")
        document = json.loads(text)
    except (UnicodeError, ValueError) as exc:
        raise fail(tr("{name} is not valid UTF-8 JSON: {error}", name=source.name, error=exc)) from exc
    records, prefix = _records(document)
    if records is None:
        raise fail(tr("{name} does not hold records (an array of objects, or one under a key).", name=source.name))
    fields: set[str] = set()
    for record in records:
        fields.update(_fields(record))

    def field_name(name: str) -> str:
        return name[len(prefix):] if prefix and name.startswith(prefix) else name

    wanted = [field_name(name) for name in columns]
    removed = [field_name(name) for name in drop]
    missing = [name for name in (*wanted, *removed) if name not in fields]
    if missing:
        raise fail(tr("No column named {names} in the file; its columns are: {columns}", names=", ".join(missing),
                      columns=", ".join(sorted(fields))))
    for record in records:
        target_record: dict[str, Any] = record["properties"] if _is_feature(record) else record
        for name in wanted:
            value = target_record.get(name)
            if value is not None and str(value).strip():
                target_record[name] = make(value if isinstance(value, str) else json.dumps(value))
        for name in removed:
            target_record.pop(name, None)
    indented = "\n" in text.strip()[:4096]  # written indented when the original was, else on one line
    target.write_text(json.dumps(document, ensure_ascii=False, indent=1 if indented else None) + "\n",
                      encoding="utf-8")
    return len(records)


def _records(document: Any) -> tuple[list[dict[str, Any]] | None, str]:
    """The records and the prefix the scan gives their fields ("records." for ``{"records": [...]}``)."""
    if _is_records(document):
        return document, ""
    if isinstance(document, dict):
        keys = [key for key in _RECORD_KEYS if _is_records(document.get(key))]
        keys += [key for key, value in document.items() if key not in keys and _is_records(value)]
        if keys:
            return document[keys[0]], f"{keys[0]}."
    return None, ""


def _is_records(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


def _is_feature(record: dict[str, Any]) -> bool:
    return record.get("type") == "Feature" and isinstance(record.get("properties"), dict)


def _fields(record: dict[str, Any]) -> list[str]:
    properties = record.get("properties")
    return list(properties) if _is_feature(record) and isinstance(properties, dict) else list(record)


def copy_xlsx(source: Path, target: Path, columns: Sequence[str], drop: Sequence[str], make: Pseudonym,
              fail: Fail) -> int:
    """Write ``source``'s workbook to ``target`` with the named columns of every sheet that has them pseudonymised
    or removed (the header is each sheet's first non-empty row); the data rows of those sheets."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    from planet_gui.core.inspect.xlsx_reader import XlsxLimit, check_members

    _check_size(source, fail)
    try:
        with zipfile.ZipFile(source) as archive:
            check_members(archive)
        book = load_workbook(source)
    except XlsxLimit as exc:
        raise fail(tr("{name} cannot be read safely: {reason}", name=source.name, reason=exc)) from exc
    except (zipfile.BadZipFile, InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise fail(tr("{name} is not a readable Excel (XLSX) workbook: {error}", name=source.name,
                      error=exc)) from exc
    rows = 0
    found: set[str] = set()
    for sheet in book.worksheets:
        header_row = next((row for row in sheet.iter_rows() if any(cell.value not in (None, "") for cell in row)),
                          None)
        if header_row is None:
            continue
        names = {str(cell.value).strip(): cell.column for cell in header_row if cell.value not in (None, "")}
        hit = [name for name in (*columns, *drop) if name in names]
        if not hit:
            continue
        found.update(hit)
        first = header_row[0].row + 1
        for name in columns:
            if name not in names:
                continue
            for (cell,) in sheet.iter_rows(min_row=first, min_col=names[name], max_col=names[name]):
                if cell.value is not None and str(cell.value).strip():
                    cell.value = make(str(cell.value))
        for index in sorted((names[name] for name in drop if name in names), reverse=True):
            sheet.delete_cols(index)
        rows += sum(1 for row in sheet.iter_rows(min_row=first, values_only=True)
                    if any(value not in (None, "") for value in row))
    missing = [name for name in (*columns, *drop) if name not in found]
    if missing:
        raise fail(tr("No column named {names} in any sheet of the workbook.", names=", ".join(missing)))
    book.save(target)
    return rows


def _check_size(source: Path, fail: Fail) -> None:
    if source.stat().st_size > MAX_BYTES:
        raise fail(tr("{name} is larger than {mib} MiB: a JSON or XLSX copy is made in memory. Export it as CSV to "
                      "pseudonymise it.", name=source.name, mib=MAX_BYTES // (1024 * 1024)))
