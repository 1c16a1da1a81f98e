"""A netCDF file's preview: its structure as a tree, a map of one variable at one time step, and a variable's
series at one grid point. Each call opens the file, reads only what it returns (one 2-D slice, capped at
``MAX_MAP_SIDE`` cells a side; one point over at most ``MAX_SERIES_STEPS`` steps) through netCDF4's slicing,
and closes it, so a 1 GiB file costs one slice."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from planet_gui.core.errors import InspectionError
from planet_gui.core.i18n import tr
from planet_gui.core.preview.profile import FloatArray

MAX_MAP_SIDE = 1024
MAX_SERIES_STEPS = 10_000
MAX_TREE_ITEMS = 2_000
MAX_TIME_VALUES = 1_000_000  # a longer time coordinate is not turned into dates (steps are numbered instead)
_ATTR_CHARS = 200
_LAT_NAMES = ("lat", "latitude", "nav_lat", "y_lat")
_LON_NAMES = ("lon", "long", "longitude", "nav_lon", "x_lon")


@dataclass
class TreeNode:
    label: str
    value: str = ""
    children: list[TreeNode] = field(default_factory=list)


@dataclass
class Variable:
    name: str
    dims: tuple[str, ...]
    shape: tuple[int, ...]
    label: str  # long name and units, for a plot's title
    units: str
    step_dim: str | None  # the dimension a map steps through (time, or the first other one)
    steps: int
    on_grid: bool  # has the lat and lon dimensions: can be mapped


@dataclass
class GridPreview:
    path: Path
    tree: list[TreeNode]
    variables: dict[str, Variable]
    lat: FloatArray | None  # the 1-D coordinates of the grid, when there is one
    lon: FloatArray | None
    location: tuple[float, float] | None  # (lon, lat) of a single-point file (scalar coordinates)
    time_dim: str | None
    times: FloatArray | None  # seconds since 1970 of each step of time_dim, when they convert
    bbox: tuple[float, float, float, float] | None = None

    @property
    def map_variables(self) -> list[str]:
        return [name for name, var in self.variables.items() if var.on_grid]

    @property
    def series_variables(self) -> list[str]:
        """Variables along time alone: the series of a single-point file (CAMS at one grid point)."""
        return [name for name, var in self.variables.items()
                if not var.on_grid and var.dims and var.dims[0] == self.time_dim and var.steps > 1]


@dataclass
class MapSlice:
    variable: str
    step: int
    values: FloatArray  # [lat, lon], NaN where masked
    lon: FloatArray
    lat: FloatArray
    time: float | None  # seconds since 1970, when known


@dataclass
class PointSeries:
    variable: str
    x: FloatArray  # seconds since 1970, or step numbers when the time axis does not convert
    y: FloatArray
    is_time: bool
    lon: float | None = None
    lat: float | None = None


def _open(path: Path) -> Any:
    import netCDF4

    warnings.filterwarnings("ignore", message=".*_FillValue not used.*")  # said by netCDF4 of odd files
    try:
        return netCDF4.Dataset(str(path), "r")
    except OSError as exc:
        raise InspectionError(tr("Could not read {name}: {error}", name=path.name, error=exc)) from exc


def _text(value: Any) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= _ATTR_CHARS else text[: _ATTR_CHARS - 1] + "…"


def _coordinate(ds: Any, names: tuple[str, ...], units: str, axis: str) -> str | None:
    for name, var in ds.variables.items():
        attrs = {key: _text(var.getncattr(key)) for key in var.ncattrs()}
        if (attrs.get("units", "").lower().startswith(units) or attrs.get("axis") == axis
                or name.lower() in names or attrs.get("standard_name") in ("latitude", "longitude")
                and attrs.get("standard_name", "")[:3] == names[0][:3]) and var.ndim <= 1:
            return str(name)
    return None


def _time_dim(ds: Any) -> tuple[str | None, str | None]:
    for name, var in ds.variables.items():
        units = _text(getattr(var, "units", "")).lower()
        if var.ndim == 1 and (" since " in units or getattr(var, "axis", "") == "T" or name.lower() == "time"):
            return str(var.dimensions[0]), str(name)
    return None, None


def _seconds(var: Any) -> FloatArray | None:
    import netCDF4

    if var.size > MAX_TIME_VALUES or " since " not in str(getattr(var, "units", "")):
        return None
    try:
        dates = netCDF4.num2date(var[:], var.units, getattr(var, "calendar", "standard"),
                                 only_use_cftime_datetimes=False, only_use_python_datetimes=True)
        from datetime import UTC

        return np.array([d.replace(tzinfo=UTC).timestamp() if d is not None else math.nan
                         for d in np.ravel(np.asarray(dates, dtype=object))], dtype=np.float64)
    except (ValueError, TypeError, OverflowError, AttributeError):
        return None


def open_grid(path: Path, bbox: Any = None) -> GridPreview:
    """The structure of the file at ``path`` and what can be mapped or plotted; reads metadata and the
    coordinate variables only."""
    with _open(path) as ds:
        lat_name = _coordinate(ds, _LAT_NAMES, "degrees_n", "Y")
        lon_name = _coordinate(ds, _LON_NAMES, "degrees_e", "X")
        time_dim, time_name = _time_dim(ds)
        lat = lon = None
        location = None
        if lat_name and lon_name:
            lat_var, lon_var = ds.variables[lat_name], ds.variables[lon_name]
            if lat_var.ndim == 1 and lon_var.ndim == 1:
                lat = np.asarray(lat_var[:], dtype=np.float64)
                lon = np.asarray(lon_var[:], dtype=np.float64)
            elif lat_var.ndim == 0 and lon_var.ndim == 0:
                location = (float(lon_var[...]), float(lat_var[...]))
        lat_dim = ds.variables[lat_name].dimensions[0] if lat is not None and lat_name else None
        lon_dim = ds.variables[lon_name].dimensions[0] if lon is not None and lon_name else None
        coordinates = {str(name) for name in ds.dimensions} | {n for n in (lat_name, lon_name, time_name) if n}
        for var in ds.variables.values():
            coordinates |= set(_text(getattr(var, "coordinates", "")).split())
        variables: dict[str, Variable] = {}
        for name, var in ds.variables.items():
            if name in coordinates or var.ndim == 0:
                continue
            dims = tuple(str(d) for d in var.dimensions)
            on_grid = lat_dim in dims and lon_dim in dims
            others = [d for d in dims if d not in (lat_dim, lon_dim)]
            step_dim = time_dim if time_dim in dims else (others[0] if others else None)
            steps = int(var.shape[dims.index(step_dim)]) if step_dim else 1
            units = _text(getattr(var, "units", ""))
            long_name = _text(getattr(var, "long_name", "")) or str(name)
            label = f"{long_name} ({units})" if units else long_name
            variables[str(name)] = Variable(str(name), dims, tuple(int(n) for n in var.shape), label, units,
                                            step_dim, steps, on_grid)
        times = _seconds(ds.variables[time_name]) if time_name else None
        tree = _tree(ds, coordinates)
    box = None
    if bbox is not None and len(bbox) == 4:
        west, south, east, north = (float(v) for v in bbox)
        box = (west, south, east, north)
    return GridPreview(path, tree, variables, lat, lon, location, time_dim, times, box)


def _tree(ds: Any, coordinates: set[str]) -> list[TreeNode]:
    budget = [MAX_TREE_ITEMS]

    def node(label: str, value: str = "") -> TreeNode:
        budget[0] -= 1
        return TreeNode(label, value)

    def attributes(obj: Any) -> list[TreeNode]:
        return [node(str(key), _text(obj.getncattr(key))) for key in obj.ncattrs() if budget[0] > 0]

    dims = TreeNode(tr("Dimensions"))
    for name, dim in ds.dimensions.items():
        if budget[0] > 0:
            dims.children.append(node(str(name), f"{len(dim)}" + (" (unlimited)" if dim.isunlimited() else "")))
    coords, variables = TreeNode(tr("Coordinates")), TreeNode(tr("Variables"))
    for name, var in ds.variables.items():
        if budget[0] <= 0:
            break
        shape = " × ".join(f"{d}={n}" for d, n in zip(var.dimensions, var.shape, strict=False)) or "scalar"
        item = node(str(name), f"{var.dtype} ({shape})")
        item.children = attributes(var)
        (coords if name in coordinates else variables).children.append(item)
    glob = TreeNode(tr("Global attributes"), "", attributes(ds))
    groups = [TreeNode(tr("Groups"), ", ".join(str(g) for g in ds.groups))] if ds.groups else []
    return [dims, coords, variables, glob, *groups]


def _index(var: Any, dims: tuple[str, ...], fixed: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(fixed.get(dim, 0) for dim in dims)


def map_slice(grid: GridPreview, variable: str, step: int = 0) -> MapSlice:
    """``variable`` at step ``step`` of its stepping dimension, as a [lat, lon] array (one slice read)."""
    info = grid.variables[variable]
    assert grid.lat is not None and grid.lon is not None and info.on_grid
    with _open(grid.path) as ds:
        var = ds.variables[variable]
        var.set_auto_mask(True)
        lat_dim, lon_dim = (d for d in info.dims if d in _grid_dims(ds, grid, info))
        lat_step = max(1, math.ceil(grid.lat.size / MAX_MAP_SIDE))
        lon_step = max(1, math.ceil(grid.lon.size / MAX_MAP_SIDE))
        step = min(max(0, step), max(0, info.steps - 1))
        fixed: dict[str, Any] = {lat_dim: slice(None, None, lat_step), lon_dim: slice(None, None, lon_step)}
        if info.step_dim:
            fixed[info.step_dim] = step
        with np.errstate(invalid="ignore"):
            data = np.ma.filled(np.ma.asarray(var[_index(var, info.dims, fixed)], dtype=np.float64), math.nan)
        kept = [d for d in info.dims if isinstance(fixed.get(d, 0), slice)]
        if kept.index(lat_dim) > kept.index(lon_dim):
            data = data.T
    time = None
    if info.step_dim == grid.time_dim and grid.times is not None and step < grid.times.size:
        time = float(grid.times[step])
    return MapSlice(variable, step, np.asarray(data, dtype=np.float64), grid.lon[::lon_step], grid.lat[::lat_step],
                    time)


def _grid_dims(ds: Any, grid: GridPreview, info: Variable) -> tuple[str, str]:
    lat_name = _coordinate(ds, _LAT_NAMES, "degrees_n", "Y")
    lon_name = _coordinate(ds, _LON_NAMES, "degrees_e", "X")
    return ds.variables[lat_name].dimensions[0], ds.variables[lon_name].dimensions[0]


def nearest_cell(grid: GridPreview, lon: float, lat: float) -> tuple[int, int] | None:
    """The (lat index, lon index) of the grid cell nearest to (lon, lat); None off the grid."""
    if grid.lat is None or grid.lon is None or not grid.lat.size or not grid.lon.size:
        return None
    lo_lat, hi_lat = sorted((float(grid.lat.min()), float(grid.lat.max())))
    lo_lon, hi_lon = sorted((float(grid.lon.min()), float(grid.lon.max())))
    pad_lat = abs(float(grid.lat[-1] - grid.lat[0])) / max(1, grid.lat.size - 1) / 2
    pad_lon = abs(float(grid.lon[-1] - grid.lon[0])) / max(1, grid.lon.size - 1) / 2
    if not (lo_lat - pad_lat <= lat <= hi_lat + pad_lat and lo_lon - pad_lon <= lon <= hi_lon + pad_lon):
        return None
    return int(np.argmin(np.abs(grid.lat - lat))), int(np.argmin(np.abs(grid.lon - lon)))


def point_series(grid: GridPreview, variable: str, cell: tuple[int, int] | None = None,
                 around: int = 0) -> PointSeries:
    """``variable`` along its stepping dimension at grid cell ``cell`` (lat index, lon index), or along time for
    a variable with no grid; at most MAX_SERIES_STEPS steps, centred on step ``around``."""
    info = grid.variables[variable]
    if info.step_dim is None:
        raise InspectionError(tr("{name} has no time or other axis to plot along.", name=variable))
    first = max(0, min(around - MAX_SERIES_STEPS // 2, info.steps - MAX_SERIES_STEPS))
    window = slice(first, min(info.steps, first + MAX_SERIES_STEPS))
    lon = lat = None
    with _open(grid.path) as ds:
        var = ds.variables[variable]
        fixed: dict[str, Any] = {info.step_dim: window}
        if info.on_grid and cell is not None:
            lat_dim, lon_dim = (d for d in info.dims if d in _grid_dims(ds, grid, info))
            fixed[lat_dim], fixed[lon_dim] = cell
            assert grid.lat is not None and grid.lon is not None
            lat, lon = float(grid.lat[cell[0]]), float(grid.lon[cell[1]])
        elif grid.location is not None:
            lon, lat = grid.location
        with np.errstate(invalid="ignore"):
            y = np.ma.filled(np.ma.asarray(var[_index(var, info.dims, fixed)], dtype=np.float64), math.nan).ravel()
    is_time = info.step_dim == grid.time_dim and grid.times is not None
    x = grid.times[window] if is_time and grid.times is not None else np.arange(window.start, window.stop,
                                                                                 dtype=np.float64)
    return PointSeries(variable, np.asarray(x, dtype=np.float64), y, is_time, lon, lat)


@dataclass
class FirstView:
    """What the Preview tab shows first for a netCDF file: a map of its first mappable variable at the first
    step, or, for a single-point file, the series of its first variable."""

    grid: GridPreview
    map: MapSlice | None = None
    series: PointSeries | None = None


def first_view(path: Path, bbox: Any = None) -> FirstView:
    grid = open_grid(path, bbox)
    if grid.map_variables:
        return FirstView(grid, map=map_slice(grid, grid.map_variables[0], 0))
    if grid.series_variables:
        return FirstView(grid, series=point_series(grid, grid.series_variables[0]))
    return FirstView(grid)
