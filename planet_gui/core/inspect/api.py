"""``inspect_file``: open a file, decide its kind, hand it to the right inspector, check the result."""

from __future__ import annotations

import csv
import functools
import os
from pathlib import Path
from typing import Any

from planet_gui.core.errors import InspectionError, PlanetError
from planet_gui.core.i18n import tr
from planet_gui.core.inspect.formats import BY_KIND, label
from planet_gui.core.inspect.model import SAMPLE_BYTES, Inspection, jsonable
from planet_gui.core.inspect.sniff import sniff


def inspect_file(path: str | os.PathLike[str], *, preview_rows: int = 20) -> Inspection:
    """Infer PLANET metadata, details and a bounded preview from the file at ``path``.

    Raises InspectionError, with a message a user can act on, for anything that cannot be read.
    """
    file_path = Path(path)
    head, size = _read_head(file_path)
    try:
        inspection = _dispatch(file_path, size, head, max(0, int(preview_rows)))
    except PlanetError:
        raise
    except PermissionError as exc:
        raise InspectionError(tr("No permission to read {name}.", name=file_path.name)) from exc
    except OSError as exc:
        raise InspectionError(tr("Could not read {name}: {reason}",
                                 name=file_path.name, reason=exc.strerror or exc)) from exc
    except (UnicodeError, csv.Error, RecursionError) as exc:
        raise InspectionError(tr("Could not read {name}: {error}", name=file_path.name, error=exc)) from exc
    except MemoryError as exc:
        raise InspectionError(tr("{name} is too large to inspect with the memory available.",
                                 name=file_path.name)) from exc
    return _finalise(inspection)


def _read_head(path: Path) -> tuple[bytes, int]:
    try:
        stat = path.stat()
    except FileNotFoundError as exc:
        raise InspectionError(tr("There is no file at {path}.", path=path)) from exc
    except PermissionError as exc:
        raise InspectionError(tr("No permission to look at {path}.", path=path)) from exc
    except OSError as exc:
        raise InspectionError(tr("Cannot reach {path}: {reason}", path=path, reason=exc.strerror or exc)) from exc
    if path.is_dir():
        raise InspectionError(tr("{path} is a folder, not a file.", path=path))
    if not path.is_file():
        raise InspectionError(tr("{path} is not a regular file.", path=path))
    try:
        with path.open("rb") as handle:
            head = handle.read(SAMPLE_BYTES)
    except PermissionError as exc:
        raise InspectionError(tr("No permission to read {name}.", name=path.name)) from exc
    except OSError as exc:
        raise InspectionError(tr("Could not read {name}: {reason}",
                                 name=path.name, reason=exc.strerror or exc)) from exc
    if stat.st_size == 0 or not head:
        raise InspectionError(tr("{name} is empty.", name=path.name))
    return head, max(stat.st_size, len(head))


def _dispatch(path: Path, size: int, head: bytes, preview_rows: int) -> Inspection:
    from planet_gui.core.inspect.generic import inspect_other

    inspect_csv, inspect_json = BY_KIND["csv"].inspect, BY_KIND["json"].inspect

    kind, claimed = sniff(head, path.suffix)
    args: dict[str, Any] = {"preview_rows": preview_rows, "head": head}
    extension = path.suffix.lower()

    if kind == "hdf5":  # netCDF-4 is HDF5 inside; plain HDF5 that netCDF cannot read is kept as a file
        try:
            return _detected(BY_KIND["hdf5"].inspect(path, size, **args), kind)
        except InspectionError as exc:
            if claimed == "netcdf":
                raise
            found = inspect_other(path, size, kind=kind, **args)
            found.warnings.append(tr("HDF5 file that netCDF cannot read: {message}", message=exc.message))
            return found
    if kind == "zip":  # a workbook, a spreadsheet, a zipped table or an archive: by what it holds
        from planet_gui.core.inspect.compressed import inspect_zip

        return inspect_zip(path, size, claimed=claimed, **args)
    known = BY_KIND.get(kind)
    if known is not None and kind not in ("csv", "json"):  # found by its signature: the table's inspector
        return _detected(known.inspect(path, size, **args), kind)

    # text or binary without a known signature
    if claimed in ("stata", "sas", "dicom") and kind == "binary":  # old .dta, .sas7bdat, DICOM without preamble
        return _detected(BY_KIND[claimed].inspect(path, size, **args), claimed)  # known by its extension alone
    if claimed == "csv":
        if kind == "binary":
            raise InspectionError(
                tr("{name} is named {extension} but holds binary data, not text; it cannot be read as CSV.",
                   name=path.name, extension=extension)
            )
        if kind == "json":  # JSON content under a .csv name: believe the content if it reads as JSON
            try:
                found = inspect_json(path, size, **args)
            except InspectionError:
                pass
            else:
                found.warnings.append(tr("{name} is named {extension} but holds JSON; read as JSON",
                                         name=path.name, extension=extension))
                return _detected(found, "json")
        return _detected(inspect_csv(path, size, **args), "csv")
    if claimed == "json":
        if kind == "binary":
            raise InspectionError(tr("{name} is named {extension} but holds binary data, not JSON text.",
                                     name=path.name, extension=extension))
        return _detected(inspect_json(path, size, **args), "json")
    if claimed is not None:
        what = label(claimed)
        raise InspectionError(
            tr("{name} is named {extension} but is not a {what} file (it does not start with the {what} "
               "signature); it may be damaged or mislabelled.", name=path.name, extension=extension, what=what)
        )
    if kind in ("json", "csv"):
        inspector = inspect_json if kind == "json" else inspect_csv
        try:
            return _detected(inspector(path, size, **args), kind)
        except InspectionError as exc:
            found = inspect_other(path, size, kind="text", **args)
            found.warnings.append(tr("Looked like {kind} but could not be read as such: {message}",
                                     kind=kind.upper(), message=exc.message))
            return found
    return inspect_other(path, size, kind=kind, **args)


def _detected(inspection: Inspection, kind: str) -> Inspection:
    inspection.details.setdefault("detected", kind)
    return inspection


@functools.lru_cache(maxsize=1)
def _schema_view() -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """The fields an inspection may fill (the schema's ``inferred`` flag) and the allowed values of its enum
    fields (empty if the schema cannot be loaded)."""
    from planet_gui.core.schema import load_schema

    try:
        schema = load_schema()
    except PlanetError:
        return (), {}
    return schema.inferred, {spec.name: spec.values for spec in schema.fields if spec.type == "enum"}


def _finalise(inspection: Inspection) -> Inspection:
    """Only schema keys, only allowed enum values, details as plain JSON, no repeated warnings."""
    inferred, enums = _schema_view()
    clean: dict[str, Any] = {}
    for key in inferred:
        value = inspection.metadata.get(key)
        if value is None or value == "" or value == []:
            continue
        allowed = enums.get(key)
        if allowed and value not in allowed:
            inspection.warnings.append(tr("Dropped {key}={value!r}: not one of the schema's values",
                                          key=key, value=value))
            continue
        clean[key] = value
    for key in sorted(set(inspection.metadata) - set(inferred)):
        inspection.warnings.append(tr("Internal: inspector produced unknown metadata key {key!r}", key=key))
    inspection.metadata = clean
    inspection.details = jsonable(inspection.details)
    unique: list[str] = []
    for warning in inspection.warnings:
        if warning not in unique:
            unique.append(warning)
    inspection.warnings = unique
    return inspection


__all__ = ["inspect_file"]
