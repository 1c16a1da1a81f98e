"""What the Preview tab shows, computed without Qt: column profiles and time series of a table read from a capped
head, the structure, a map slice and a point series of a netCDF file read one slice at a time, and the outline
of Italy the maps are drawn on. Every function here reads a bounded amount of the file, so the GUI can run it
on a worker thread for a file of any size (and a test can call it directly)."""

from planet_gui.core.preview.grid import (
    FirstView,
    GridPreview,
    MapSlice,
    PointSeries,
    first_view,
    map_slice,
    nearest_cell,
    open_grid,
    point_series,
)
from planet_gui.core.preview.outline import italy_outline
from planet_gui.core.preview.profile import ColumnProfile, profile_columns
from planet_gui.core.preview.series import Line, lines_for
from planet_gui.core.preview.tables import TablePreview, table_preview

__all__ = [
    "ColumnProfile",
    "FirstView",
    "GridPreview",
    "Line",
    "MapSlice",
    "PointSeries",
    "TablePreview",
    "first_view",
    "italy_outline",
    "lines_for",
    "map_slice",
    "nearest_cell",
    "open_grid",
    "point_series",
    "profile_columns",
    "table_preview",
]
