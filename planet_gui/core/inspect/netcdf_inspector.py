"""netCDF (classic and netCDF-4/HDF5) through xarray, lazily: only coordinates are read, never data.

Times are decoded for the time coordinate alone (CF "units since" + calendar); latitude and
longitude give a bounding box and, near Italy, the region(s) the grid falls in.
"""

from __future__ import annotations

import re
import warnings as pywarnings
from collections import Counter
from pathlib import Path
from typing import Any

from planet_gui.core.errors import InspectionError
from planet_gui.core.i18n import tr
from planet_gui.core.inspect import area, guess
from planet_gui.core.inspect.model import PREVIEW_TREE_LIMIT, Inspection, Preview, clip, jsonable
from planet_gui.core.inspect.netcdf_classic import check_classic
from planet_gui.core.inspect.time_axis import TimeSummary, format_moment, summarise_steps

_SINCE = re.compile(r"^\s*\w+\s+since\s+", re.IGNORECASE)
_LAT_UNITS = ("degrees_north", "degree_north", "degree_n", "degrees_n", "degreen", "degreesn")
_LON_UNITS = ("degrees_east", "degree_east", "degree_e", "degrees_e", "degreee", "degreese")
_LAT_NAMES = ("lat", "latitude", "nav_lat", "y_lat", "rlat_geo")
_LON_NAMES = ("lon", "long", "longitude", "nav_lon", "x_lon")
_GRID_SAMPLES = 24  # per axis, for the regions a grid covers
_MAX_COORD_VALUES = 5_000_000


def _classic_format(head: bytes) -> str | None:
    return {b"CDF\x01": "netCDF-3 classic", b"CDF\x02": "netCDF-3 64-bit offset",
            b"CDF\x05": "netCDF-3 64-bit data (CDF-5)"}.get(head[:4])  # fmt: skip


def inspect_netcdf(path: Path, size: int, *, preview_rows: int, head: bytes) -> Inspection:
    del preview_rows  # a netCDF preview is its structure, not rows
    try:
        import xarray as xr
    except ImportError as exc:  # pragma: no cover - a broken installation
        raise InspectionError(tr("netCDF support (xarray, netCDF4) is not installed")) from exc
    file_format = _classic_format(head) or "netCDF-4/HDF5"
    if file_format.startswith("netCDF-3"):
        check_classic(path, size, head[3])
    try:
        with pywarnings.catch_warnings():
            pywarnings.simplefilter("ignore")
            ds = xr.open_dataset(
                path,
                engine="netcdf4",
                decode_times=False,
                decode_timedelta=False,
                mask_and_scale=False,
                decode_coords=True,
                cache=False,
            )
    except Exception as exc:  # netCDF4/HDF5 raise OSError, RuntimeError, ValueError, KeyError...
        reason = getattr(exc, "strerror", None) or str(exc)
        what = (
            "truncated, damaged, or HDF5 that is not netCDF-4"
            if file_format.startswith("netCDF-4")
            else ("truncated or damaged")
        )
        raise InspectionError(tr("{name} cannot be opened as netCDF: it may be {what} ({reason}).",
                                 name=path.name, what=what, reason=reason)) from exc
    try:
        return _describe(ds, path, size, file_format)
    finally:
        ds.close()


def _describe(ds: Any, path: Path, size: int, file_format: str) -> Inspection:
    warnings: list[str] = []
    attrs = {str(k): _attr_text(v) for k, v in ds.attrs.items()}
    coords = set(map(str, ds.coords))
    bounds = {str(ds.variables[name].attrs.get("bounds")) for name in ds.variables}
    data_vars = [str(name) for name in ds.data_vars if str(name) not in bounds]
    variables = {name: _variable_info(ds.variables[name]) for name in map(str, ds.variables)}
    details: dict[str, Any] = {
        "file_format": file_format,
        "dims": {str(k): int(v) for k, v in ds.sizes.items()},
        "variables": {name: variables[name] for name in data_vars},
        "coordinates": {name: variables[name] for name in sorted(coords)},
        "global_attributes": {k: clip(v, 500) for k, v in attrs.items()},
    }
    if "Conventions" in attrs:
        details["conventions"] = attrs["Conventions"]
    metadata: dict[str, Any] = {"format": "netCDF", "fields": data_vars}
    confidence: dict[str, float] = {"format": 1.0, "fields": 1.0}

    # -- time --------------------------------------------------------------------------------------
    time_name = _find_time(ds)
    summary = None
    if time_name is not None:
        try:
            summary = _time_summary(ds, time_name)
        except Exception as exc:  # undecodable units or calendar
            warnings.append(tr("The time coordinate '{time_name}' could not be decoded: {error}",
                               time_name=time_name, error=exc))
    if summary is not None and time_name is not None:
        metadata.update(
            time_field=time_name,
            period_start=summary.start,
            period_end=summary.end,
            frequency=summary.frequency,
            record_count=int(ds.variables[time_name].size),
        )
        details["time_coordinate"] = time_name
        details["record_count_estimated"] = False
        details["time_steps"] = int(ds.variables[time_name].size)
        if summary.step_seconds is not None:
            details["time_step_seconds"] = summary.step_seconds
        if summary.note:
            warnings.append(tr("Frequency set to 'irregular': {note}", note=summary.note))
        confidence.update(time_field=0.95, period_start=0.95, period_end=0.95, frequency=0.9, record_count=0.9)
    else:
        metadata["frequency"] = "none"
        confidence["frequency"] = 0.8

    # -- space -------------------------------------------------------------------------------------
    lat_name, lon_name = _find_coordinate(ds, "lat"), _find_coordinate(ds, "lon")
    if lat_name and lon_name:
        found = _space(ds, lat_name, lon_name)
        if found is not None:
            bbox, points = found
            details["bbox"] = area.format_bbox(bbox)
            details["lat_coordinate"], details["lon_coordinate"] = lat_name, lon_name
            area.apply_guess(area.describe_bbox(bbox, points), metadata, confidence)

    # -- category and source -------------------------------------------------------------------------
    texts = [attrs.get(key, "") for key in ("title", "Title", "summary", "Info", "keywords", "source")]
    for name in data_vars:
        info = variables[name]
        texts.extend(str(info.get(key, "")) for key in ("long_name", "standard_name"))
    category = guess.guess_category(names=data_vars, texts=texts, filename=path.name)
    if category is not None:
        metadata["category"] = category.value
        confidence["category"] = category.confidence
        details["category_evidence"] = category.evidence
    source = guess.guess_source(filename=path.name, attributes=attrs, names=data_vars)
    if source is not None:
        metadata["source"] = source.value
        confidence["source"] = source.confidence
    details["confidence"] = confidence
    tree = _render_tree(path.name, file_format, details, attrs)
    preview = Preview(kind="tree", text=tree)
    return Inspection(path, size, metadata, jsonable(details), preview, warnings)


def _attr_text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if hasattr(value, "tolist"):
        return str(value.tolist())
    return str(value)


def _variable_info(var: Any) -> dict[str, Any]:
    info: dict[str, Any] = {
        "dims": [str(dim) for dim in var.dims],
        "shape": [int(n) for n in var.shape],
        "dtype": str(var.encoding.get("dtype", var.dtype)),
    }
    for key in ("units", "long_name", "standard_name"):
        if key in var.attrs:
            info[key] = clip(_attr_text(var.attrs[key]), 300)
    return info


def _find_time(ds: Any) -> str | None:
    """The CF time coordinate: "<unit> since <date>" units, preferring a dimension called time."""
    candidates = []
    for name in map(str, ds.variables):
        var = ds.variables[name]
        units = str(var.attrs.get("units", ""))
        if not _SINCE.match(units) or var.ndim > 1:
            continue
        if var.attrs.get("standard_name") in ("forecast_period",) or "bounds" in name.lower():
            continue
        is_dim = var.ndim == 1 and var.dims[0] == name
        score = (
            (0 if is_dim else 1),
            (0 if var.attrs.get("axis") == "T" or var.attrs.get("standard_name") == "time" else 1),
            (0 if name.lower() in ("time", "valid_time", "t") else 1),
        )
        candidates.append((score, name))
    return min(candidates)[1] if candidates else None


def _time_summary(ds: Any, name: str) -> TimeSummary | None:
    import numpy as np
    import xarray as xr

    var = ds.variables[name]
    small = xr.Dataset(coords={name: (var.dims, np.asarray(var.values), dict(var.attrs))})
    decoded = xr.decode_cf(small, decode_times=True, use_cftime=None).variables[name].values
    values = np.atleast_1d(decoded)
    if values.size == 0:
        return None
    if np.issubdtype(values.dtype, np.datetime64):
        moments = values[~np.isnat(values)]
        if moments.size > 1 and not bool(np.all(moments[1:] > moments[:-1])):  # sorted and distinct: as is
            moments = np.unique(moments)
        if moments.size == 0:
            return None
        deltas = np.diff(moments).astype("timedelta64[ms]").astype(np.int64) / 1000.0
        as_python = moments[[0, -1]].astype("datetime64[us]").astype(object)  # only the ends as datetimes
        start_m, end_m = as_python[0], as_python[-1]
    else:  # cftime dates (non-standard calendars)
        unique = sorted(set(values.tolist()))
        moments = np.asarray(unique, dtype=object)
        deltas = np.asarray([(b - a).total_seconds() for a, b in zip(unique, unique[1:], strict=False)])
        start_m, end_m = unique[0], unique[-1]
    steps: Counter[float] = Counter()
    if deltas.size and bool(np.all(deltas == deltas[0])):  # a regular axis: no need to sort the steps
        steps[round(float(deltas[0]), 3)] = int(deltas.size)
    elif deltas.size:
        rounded, counts = np.unique(np.round(deltas, 3), return_counts=True)
        steps.update({float(r): int(c) for r, c in zip(rounded, counts, strict=True)})
    start = format_moment(start_m, date_only=False)
    end = format_moment(end_m, date_only=False)
    return summarise_steps(start, end, steps, int(moments.size))


def _find_coordinate(ds: Any, kind: str) -> str | None:
    units_ok = _LAT_UNITS if kind == "lat" else _LON_UNITS
    names_ok = _LAT_NAMES if kind == "lat" else _LON_NAMES
    standard = "latitude" if kind == "lat" else "longitude"
    axis = "Y" if kind == "lat" else "X"
    best: tuple[int, str] | None = None
    for name in map(str, ds.variables):
        var = ds.variables[name]
        units = str(var.attrs.get("units", "")).lower().replace(" ", "")
        score = None
        if var.attrs.get("standard_name") == standard:
            score = 0
        elif units in units_ok:
            score = 1
        elif name.lower() in names_ok and var.ndim <= 2:
            score = 2
        elif var.attrs.get("axis") == axis and units.startswith("degree"):
            score = 3
        if score is not None and var.ndim <= 2 and (best is None or (score, name) < best):
            best = (score, name)
    return best[1] if best else None


def _space(
    ds: Any, lat_name: str, lon_name: str
) -> tuple[tuple[float, float, float, float], list[tuple[float, float]]] | None:
    """Bounding box [min_lon, min_lat, max_lon, max_lat] and a spread of grid points."""
    import numpy as np

    lat_var, lon_var = ds.variables[lat_name], ds.variables[lon_name]
    if lat_var.size > _MAX_COORD_VALUES or lon_var.size > _MAX_COORD_VALUES:
        return None
    lat = np.asarray(lat_var.values, dtype=float)
    lon = np.asarray(lon_var.values, dtype=float)
    lat_ok, lon_ok = lat[np.isfinite(lat)], lon[np.isfinite(lon)]
    if lat_ok.size == 0 or lon_ok.size == 0:
        return None
    lon_ok = np.where(lon_ok > 180.0, lon_ok - 360.0, lon_ok)
    bbox = (float(lon_ok.min()), float(lat_ok.min()), float(lon_ok.max()), float(lat_ok.max()))
    if lat.ndim <= 1 and lon.ndim <= 1:
        lats = _pick(np.atleast_1d(lat_ok))
        lons = _pick(np.atleast_1d(lon_ok))
        points = [(float(a), float(o)) for a in lats for o in lons]
    else:
        flat_lat, flat_lon = lat.ravel(), np.where(lon > 180.0, lon - 360.0, lon).ravel()
        index = np.linspace(0, flat_lat.size - 1, num=min(flat_lat.size, _GRID_SAMPLES**2)).astype(int)
        points = [
            (float(flat_lat[i]), float(flat_lon[i]))
            for i in index
            if np.isfinite(flat_lat[i]) and np.isfinite(flat_lon[i])
        ]
    return bbox, points


def _pick(values: Any) -> list[float]:
    import numpy as np

    unique = np.unique(values)
    if unique.size <= _GRID_SAMPLES:
        return [float(v) for v in unique]
    index = np.linspace(0, unique.size - 1, num=_GRID_SAMPLES).astype(int)
    return [float(unique[i]) for i in index]


def _render_tree(name: str, file_format: str, details: dict[str, Any], attrs: dict[str, str]) -> str:
    """An ``ncdump -h``-like outline, bounded in size."""
    lines = [f"{name}  ({file_format})", "dimensions:"]
    lines += [f"    {dim} = {length}" for dim, length in details["dims"].items()]
    for title, key in (("coordinates:", "coordinates"), ("variables:", "variables")):
        lines.append(title)
        for var_name, info in details[key].items():
            dims = ", ".join(info["dims"])
            lines.append(f"    {info['dtype']} {var_name}({dims})")
            for attr in ("long_name", "units", "standard_name"):
                if attr in info:
                    lines.append(f"        {attr}: {info[attr]}")
    if attrs:
        lines.append("global attributes:")
        lines += [f"    {key}: {clip(value, 200)}" for key, value in attrs.items()]
    return clip("\n".join(lines), PREVIEW_TREE_LIMIT)
