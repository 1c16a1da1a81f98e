"""Stata (.dta), SPSS (.sav, .zsav, .por) and SAS (.sas7bdat, .xpt) files, through pyreadstat (ReadStat).

The header alone (``metadataonly``) gives variables, their labels and formats, and usually the row count; then a
bounded sample of rows is read for field types, and only the role columns (time, region, coordinates) of the
other rows, in chunks. Dates stored with a date format (Stata ``%td``, SPSS ``DATE``, SAS ``DATE9.``) arrive
as dates, so the time axis is found as in a CSV. Variable labels count as names for the category guess
("Numero di casi positivi" says COVID-19 where ``v12`` says nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from planet_gui.core.errors import InspectionError
from planet_gui.core.i18n import tr
from planet_gui.core.inspect.frames import SAMPLE_ROWS, Batch, cells, describe_frame
from planet_gui.core.inspect.model import FULL_SCAN_LIMIT, Inspection
from planet_gui.core.inspect.table import TablePlan

_CHUNK = 100_000
_FULL_ROWS = 1_000_000  # more rows: the time axis from the first and last rows, as for a big CSV
_LABELS = {"stata": "Stata", "spss": "SPSS", "sas": "SAS"}


def reader_for(kind: str, suffix: str) -> Callable[..., Any]:
    import pyreadstat

    if kind == "stata":
        return pyreadstat.read_dta
    if kind == "spss":
        return pyreadstat.read_por if suffix == ".por" else pyreadstat.read_sav
    return pyreadstat.read_xport if suffix in (".xpt", ".xport") else pyreadstat.read_sas7bdat


def inspect_readstat(path: Path, size: int, *, preview_rows: int, head: bytes, kind: str) -> Inspection:
    del head
    import pyreadstat

    read = reader_for(kind, path.suffix.lower())
    label = _LABELS[kind]

    def fail(exc: BaseException) -> InspectionError:
        return InspectionError(tr("{name} is not a readable {label} file (damaged or truncated?): {error}",
                                  name=path.name, label=label, error=exc))

    errors = (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, ValueError, OSError, UnicodeError)
    try:
        _, meta = read(str(path), metadataonly=True)
        frame, _ = read(str(path), row_limit=SAMPLE_ROWS)
    except errors as exc:
        raise fail(exc) from exc
    columns = [str(name) for name in frame.columns]
    sample = [cells(row) for row in frame.itertuples(index=False, name=None)]
    total = meta.number_rows if isinstance(meta.number_rows, int) and meta.number_rows >= 0 else None
    labels = {name: text for name, text in zip(meta.column_names, meta.column_labels or [], strict=False) if text}
    details: dict[str, Any] = {
        "file_label": meta.file_label or "",
        "variable_labels": dict(list(labels.items())[:200]),
        "variable_formats": dict(list((meta.original_variable_types or {}).items())[:200]),
        "value_labels": sorted(meta.variable_value_labels or {})[:200],
        "encoding": meta.file_encoding or "",
    }
    if getattr(meta, "notes", None):
        details["notes"] = [str(note)[:500] for note in meta.notes[:20]]
    big = size > FULL_SCAN_LIMIT or (total or 0) > _FULL_ROWS
    sampled = False
    estimated = False

    def more(plan: TablePlan, roles: list[int]) -> Iterator[Batch]:
        nonlocal sampled
        del plan
        names = [columns[i] for i in roles] or columns[:1]
        if len(sample) < SAMPLE_ROWS:
            return  # the sample is every row
        offsets: list[tuple[int, int]]
        if big and total is not None:
            sampled = True
            offsets = [(max(len(sample), total - SAMPLE_ROWS), SAMPLE_ROWS)]
        else:
            offsets = []
            offset = len(sample)
            while total is None or offset < total:
                offsets.append((offset, _CHUNK))
                offset += _CHUNK
                if total is None:
                    break
        for offset, limit in offsets:
            while True:
                try:
                    chunk, _ = read(str(path), row_offset=offset, row_limit=limit, usecols=names)
                except errors as exc:
                    raise fail(exc) from exc
                rows = len(chunk)
                if rows:
                    yield rows, {index: chunk[columns[index]].tolist() for index in roles}
                if total is not None or rows < limit:
                    break
                offset += rows  # the header did not say how many rows: read on until a short chunk

    found = describe_frame(path, size, label=label, columns=columns, sample=sample, preview_rows=preview_rows,
                           record_count=total, more=more, details=details, extra_names=list(labels.values()),
                           estimated=estimated)
    if sampled:
        found.details["time_sampled"] = True
        found.warnings.append(tr("Large {label} file: period and frequency from the first and last rows",
                                 label=label))
    if meta.file_label and "category" not in found.metadata:
        from planet_gui.core.inspect import guess

        category = guess.guess_category(texts=[meta.file_label], filename=path.name)
        if category is not None:
            found.metadata["category"] = category.value
    return found
