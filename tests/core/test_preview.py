"""The Preview tab's data, computed by the Qt-free core: column profiles, series per place, netCDF slices and point
series, the outline of Italy. Expected values come from pandas / netCDF4 reading the same files independently, or
from the formula that generated the file."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path

import netCDF4
import numpy as np
import pandas as pd
import pytest

from planet_gui.core.inspect import inspect_file
from planet_gui.core.preview import (
    first_view,
    italy_outline,
    lines_for,
    map_slice,
    nearest_cell,
    open_grid,
    point_series,
    profile_columns,
    table_preview,
)
from planet_gui.core.preview import grid as gridmod
from planet_gui.core.preview import heads as headmod
from planet_gui.core.preview.series import default_column
from tests.support.preview_files import REGIONS, grid_values, italy_grid, new_cases, panel_frame, regional_panel


def _preview(path: Path):  # noqa: ANN202
    found = inspect_file(path)
    return table_preview(path, found.details, found.metadata, found.preview.columns, found.preview.rows)


def _seconds(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


# -- column profiles -------------------------------------------------------------------------------------------

def test_profiles_of_the_dpc_national_series_match_pandas(testdata: Path) -> None:
    path = testdata / "csv" / "dpc-covid19-ita-andamento-nazionale.csv"
    table = _preview(path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert table.complete and table.rows_read == len(frame)
    profiles = {p.name: p for p in table.profiles}
    assert list(profiles) == list(frame.columns)
    for name in ("nuovi_positivi", "deceduti", "tamponi"):
        numbers = pd.to_numeric(frame[name].replace("", np.nan))
        assert profiles[name].kind == "integer"
        assert profiles[name].minimum.replace(" ", "") == str(int(numbers.min()))
        assert profiles[name].maximum.replace(" ", "") == str(int(numbers.max()))
        assert profiles[name].missing == int(numbers.isna().sum())
    assert profiles["data"].kind == "datetime"
    assert (profiles["data"].minimum, profiles["data"].maximum) == (frame["data"].min(), frame["data"].max())
    assert profiles["note_test"].missing_share == pytest.approx((frame["note_test"].str.strip() == "").mean())
    assert profiles["stato"].top == [("ITA", len(frame))]
    assert table.time_field == "data" and table.group_field is None


def test_profiles_of_a_generated_table() -> None:
    columns = ["n", "x", "word", "blank"]
    rows = [["1", "2.5", "a", ""], ["3", "", "b", "NA"], ["", "-1.25", "a", ""], ["7", "10", "a", " "]]
    profiles = {p.name: p for p in profile_columns(columns, rows, {})}
    assert (profiles["n"].kind, profiles["n"].minimum, profiles["n"].maximum, profiles["n"].missing) == \
        ("integer", "1", "7", 1)
    assert (profiles["x"].kind, profiles["x"].minimum, profiles["x"].maximum) == ("float", "-1.25", "10")
    assert profiles["x"].missing_share == 0.25
    assert profiles["word"].kind == "string" and profiles["word"].top[0] == ("a", 3)
    assert profiles["word"].distinct == 2
    assert profiles["blank"].kind == "empty" and profiles["blank"].missing_share == 1.0


def test_decimal_comma_and_thousands_are_read_as_the_inspection_found_them(tmp_path: Path) -> None:
    path = tmp_path / "virgola.csv"
    path.write_text("giorno;valore;casi\n" + "".join(f"2024-01-{d:02d};{d},5;1.{d:03d}\n" for d in range(1, 29)),
                    encoding="utf-8")
    table = _preview(path)
    profiles = {p.name: p for p in table.profiles}
    assert (profiles["valore"].minimum, profiles["valore"].maximum) == ("1.5", "28.5")
    assert table.numbers["casi"].tolist() == [1000 + d for d in range(1, 29)]


def test_a_big_csv_is_read_only_up_to_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = regional_panel(tmp_path / "panel.csv", days=40)  # 840 rows
    monkeypatch.setattr(headmod, "HEAD_ROWS", 100)
    table = _preview(path)
    assert table.rows_read == 100 and not table.complete
    monkeypatch.setattr(headmod, "HEAD_ROWS", 50_000)
    monkeypatch.setattr(headmod, "HEAD_BYTES", 4096)
    table = _preview(path)
    assert not table.complete and 0 < table.rows_read < 100
    with path.open(encoding="utf-8") as handle:
        wanted = [line.rstrip("\n").split(",")[3] for line in handle.readlines()[1 : table.rows_read + 1]]
    assert table.groups == wanted  # whole rows, in order: the cut line was left out


# -- series ----------------------------------------------------------------------------------------------------

def test_the_national_series_is_one_line_over_data(testdata: Path) -> None:
    path = testdata / "csv" / "dpc-covid19-ita-andamento-nazionale.csv"
    table = _preview(path)
    assert default_column(table) == "nuovi_positivi"
    found = lines_for(table, "nuovi_positivi")
    frame = pd.read_csv(path)
    assert len(found.lines) == 1
    line = found.lines[0]
    assert line.x.tolist() == [_seconds(t) for t in frame["data"]]
    assert line.y.tolist() == frame["nuovi_positivi"].astype(float).tolist()


def test_the_regional_panel_is_one_line_per_region(tmp_path: Path) -> None:
    table = _preview(regional_panel(tmp_path / "dpc-regioni.csv", days=30))
    assert table.group_field == "denominazione_regione"
    found = lines_for(table, "nuovi_positivi")
    assert [line.label for line in found.lines] == sorted(REGIONS)
    for line in found.lines:
        r = REGIONS.index(line.label)
        assert line.y.tolist() == [new_cases(day, r) for day in range(30)]
        assert np.all(np.diff(line.x) == 86400)
    assert table.points is not None and len(table.points.lon) == len(REGIONS)
    assert "lat" not in table.numbers and "long" not in table.numbers  # coordinates are not plotted


def test_rows_sharing_a_day_and_region_are_summed(testdata: Path) -> None:
    path = testdata / "csv" / "somministrazioni-vaccini-latest-2020.csv"
    table = _preview(path)
    assert table.group_field
    frame = pd.read_csv(path)
    expected = frame.groupby([table.group_field, "data"])["d1"].sum()
    found = lines_for(table, "d1")
    assert len(found.lines) == frame[table.group_field].nunique()
    for line in found.lines:
        days = [datetime.fromtimestamp(x, tz=UTC).date().isoformat() for x in line.x]
        assert line.y.tolist() == [float(expected[(line.label, day)]) for day in days]


def test_too_many_places_keep_the_largest(tmp_path: Path) -> None:
    table = _preview(regional_panel(tmp_path / "p.csv", days=5))
    found = lines_for(table, "deceduti", max_lines=5)
    assert found.groups_total == 21 and len(found.lines) == 5
    assert {line.label for line in found.lines} == set(REGIONS[-5:])  # deceduti grows with the region's number


def test_the_regional_snapshot_has_points_for_the_map(testdata: Path) -> None:
    path = testdata / "csv" / "dpc-covid19-ita-regioni-latest.csv"
    table = _preview(path)
    frame = pd.read_csv(path)
    assert table.points is not None
    assert sorted(zip(table.points.lon, table.points.lat, strict=True)) == sorted(zip(frame["long"], frame["lat"],
                                                                                      strict=True))
    assert set(table.points.labels) == set(frame["denominazione_regione"])
    assert table.bbox == pytest.approx((frame["long"].min(), frame["lat"].min(), frame["long"].max(),
                                        frame["lat"].max()))


# -- netCDF ----------------------------------------------------------------------------------------------------

def test_the_cams_point_file_gives_its_series_and_location(testdata: Path) -> None:
    path = testdata / "netcdf" / "cams_europe_aq_reanalysis_milan_2020.nc"
    view = first_view(path)
    grid = view.grid
    with netCDF4.Dataset(path) as ds:
        names = [n for n, v in ds.variables.items() if v.dimensions == ("time",) and n != "time"]
        expected = np.ma.filled(ds.variables["pm10"][:].astype(float), np.nan)
        location = (float(ds.variables["longitude"][...]), float(ds.variables["latitude"][...]))
        hours = ds.variables["time"][:]
    assert grid.series_variables == names and not grid.map_variables
    assert grid.location == pytest.approx(location)
    series = point_series(grid, "pm10")
    assert series.is_time and np.array_equal(series.y, expected, equal_nan=True)
    assert series.x[1] - series.x[0] == 3600 and series.x[0] == _seconds("2020-01-01T00:00:00") + hours[0] * 3600
    assert view.series is not None and view.series.variable == names[0]
    labels = [node.label for node in grid.tree]
    assert labels[:4] == ["Dimensions", "Coordinates", "Variables", "Global attributes"]
    variables = grid.tree[2].children
    assert [node.label for node in variables] == names
    assert any(child.label == "units" for child in variables[0].children)


def test_a_gridded_file_gives_its_slice_and_point_series(tmp_path: Path) -> None:
    path = italy_grid(tmp_path / "t2m.nc", steps=24)
    data = grid_values(24, 23, 27)
    grid = open_grid(path)
    assert grid.map_variables == ["t2m"]
    found = map_slice(grid, "t2m", 5)
    assert found.values.shape == (23, 27) and np.allclose(found.values, data[5])
    assert found.time == _seconds("2020-01-01T05:00:00")
    cell = nearest_cell(grid, 9.2, 45.4)  # lon 9.0 is x 6; lat 45.5 (north first, from 47) is y 3
    assert cell == (int(np.argmin(abs(grid.lat - 45.4))), 6)
    series = point_series(grid, "t2m", cell)
    assert np.allclose(series.y, data[:, cell[0], cell[1]]) and series.lon == 9.0
    assert nearest_cell(grid, 30.0, 45.0) is None  # off the grid


def test_reads_are_bounded_on_a_long_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = italy_grid(tmp_path / "long.nc", steps=3000, chunk_steps=1)
    monkeypatch.setattr(gridmod, "MAX_SERIES_STEPS", 200)
    monkeypatch.setattr(gridmod, "MAX_MAP_SIDE", 10)
    grid = open_grid(path)
    series = point_series(grid, "t2m", (0, 0), around=2000)
    assert series.y.size == 200 and series.y[0] == pytest.approx(grid_values(1, 23, 27)[0, 0, 0] + 1900)
    found = map_slice(grid, "t2m", 2999)
    assert found.values.shape == (8, 9)  # every 3rd row and column
    assert np.allclose(found.values, (grid_values(1, 23, 27)[0] + 2999)[::3, ::3])


def test_files_without_a_grid_or_time_still_get_a_tree(testdata: Path) -> None:
    grid = open_grid(testdata / "netcdf" / "tiny.nc")
    assert not grid.map_variables and not grid.series_variables
    assert [node.label for node in grid.tree[0].children] == ["dim_0"]
    eraint = first_view(testdata / "netcdf" / "eraint_uvz.nc")
    assert eraint.map is not None and eraint.map.values.shape == (241, 480)
    assert eraint.grid.variables["z"].step_dim == "month"  # no time coordinate: the map steps by month


# -- the outline -----------------------------------------------------------------------------------------------

def test_the_outline_is_italy() -> None:
    rings = italy_outline()
    assert len(rings) == 3
    for ring in rings:
        assert ring[0] == ring[-1]
        assert all(6 < lon < 19 and 36 < lat < 48 for lon, lat in ring)
    mainland = max(rings, key=len)
    assert max(lat for _, lat in mainland) == pytest.approx(47.1, abs=0.1)  # the Brenner area
    assert not math.isnan(sum(lon for lon, _ in mainland))


def _check_panel(table, days: int) -> None:  # noqa: ANN001
    """One line per region over ``days`` days, with the generated counts, and the places on the map."""
    assert table.time_field == "data" and table.group_field == "denominazione_regione"
    found = lines_for(table, "nuovi_positivi")
    assert sorted(line.label for line in found.lines) == sorted(REGIONS)
    lombardia = next(line for line in found.lines if line.label == "Lombardia")
    region = REGIONS.index("Lombardia")
    assert lombardia.y.tolist() == [float(new_cases(day, region)) for day in range(days)]
    assert lombardia.x[0] == _seconds("2020-02-24T00:00:00")
    assert table.points is not None and len(table.points.lon) == len(REGIONS)
    profiles = {p.name: p for p in table.profiles}
    assert profiles["nuovi_positivi"].kind == "integer" and profiles["nuovi_positivi"].missing == 0


def test_a_parquet_file_is_previewed_from_its_first_row_group_only(tmp_path: Path) -> None:
    days = 12
    frame = panel_frame(tmp_path, days)
    path = tmp_path / "panel.parquet"
    frame.to_parquet(path, index=False)
    table = _preview(path)
    assert table.rows_read == days * len(REGIONS) and table.complete
    _check_panel(table, days)
    # several row groups: only the first is read, and the preview says it is not the whole file
    frame.to_parquet(path, index=False, row_group_size=len(REGIONS) * 5)
    table = _preview(path)
    assert table.rows_read == len(REGIONS) * 5 and not table.complete
    assert table.groups == frame["denominazione_regione"].tolist()[: len(REGIONS) * 5]


def test_a_wide_parquet_file_reads_fewer_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "wide.parquet"
    pd.DataFrame({f"c{i:03d}": np.arange(500) * i for i in range(100)}).to_parquet(path, index=False)
    monkeypatch.setattr(headmod, "HEAD_CELLS", 10_000)  # 100 columns: 100 rows
    table = _preview(path)
    assert table.rows_read == 100 and not table.complete
    assert table.numbers["c007"].tolist() == [7.0 * r for r in range(100)]


@pytest.mark.parametrize("suffix", [".dta", ".sav"])
def test_a_stata_or_spss_file_is_previewed_from_its_first_rows(tmp_path: Path, suffix: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import pyreadstat

    days = 10
    frame = panel_frame(tmp_path, days)
    frame["data"] = frame["data"].dt.date
    path = tmp_path / f"panel{suffix}"
    if suffix == ".dta":
        pyreadstat.write_dta(frame, str(path))
    else:
        pyreadstat.write_sav(frame, str(path))
    table = _preview(path)
    assert table.rows_read == days * len(REGIONS) and table.complete
    _check_panel(table, days)
    monkeypatch.setattr(headmod, "HEAD_ROWS", 50)  # row_limit: only the first rows are read
    table = _preview(path)
    assert table.rows_read == 50 and not table.complete
    assert table.groups == frame["denominazione_regione"].tolist()[:50]


def test_a_gzip_compressed_csv_is_previewed_decompressed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gzip

    plain = regional_panel(tmp_path / "panel.csv", days=8)
    path = tmp_path / "panel.csv.gz"
    path.write_bytes(gzip.compress(plain.read_bytes()))
    expected = _preview(plain)
    table = _preview(path)
    assert table.rows_read == expected.rows_read == 8 * len(REGIONS) and table.complete
    assert table.groups == expected.groups
    assert table.numbers["nuovi_positivi"].tolist() == expected.numbers["nuovi_positivi"].tolist()
    monkeypatch.setattr(headmod, "HEAD_BYTES", 4096)  # the cap counts decompressed characters
    cut = _preview(path)
    assert 0 < cut.rows_read < 4096 // 50 and not cut.complete


@pytest.mark.parametrize("suffix", [".ods", ".xls", ".xlsx"])
def test_a_sheet_is_previewed_from_more_rows_than_the_inspection_shows(tmp_path: Path, suffix: str) -> None:
    days = 6  # 126 rows: more than the inspection's 20 preview rows
    frame = panel_frame(tmp_path, days)
    path = tmp_path / f"panel{suffix}"
    if suffix != ".xls":
        frame["data"] = frame["data"].dt.date
        frame.to_excel(path, engine="odf" if suffix == ".ods" else "openpyxl", index=False)
    else:
        import xlwt

        book = xlwt.Workbook()
        sheet = book.add_sheet("panel")
        dated = xlwt.easyxf(num_format_str="YYYY-MM-DD")
        for col, name in enumerate(frame.columns):
            sheet.write(0, col, name)
        for row, values in enumerate(frame.itertuples(index=False), start=1):
            for col, value in enumerate(values):
                if col == 0:
                    sheet.write(row, col, value.to_pydatetime(), dated)
                else:
                    sheet.write(row, col, value.item() if hasattr(value, "item") else value)
        book.save(str(path))
    table = _preview(path)
    assert table.rows_read == days * len(REGIONS) and table.complete
    _check_panel(table, days)


def test_a_zipped_csv_is_previewed_from_its_member(tmp_path: Path) -> None:
    import zipfile

    plain = regional_panel(tmp_path / "panel.csv", days=4)
    path = tmp_path / "panel.csv.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(plain, "panel.csv")
    table = _preview(path)
    assert table.rows_read == 4 * len(REGIONS) and table.groups == _preview(plain).groups
