"""Small files the core tests write themselves, so ``pytest tests/core`` runs without ../shared/testdata.

They are shaped like the shared data (the DPC's daily national series and its regional snapshot, as CSV and as
JSON; an hourly netCDF over Milan, as CAMS gives; a workbook) but tiny and made at run time: nothing is copied
from the shared folder. Tests about the shared files themselves keep the ``testdata`` fixture, which skips
with a message when the folder is absent.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

#: the regional snapshot: name, code (a string with a leading zero, as the DPC writes it), latitude, longitude
REGIONS = [
    ("Piemonte", "01", 45.0732745, 7.680687483), ("Valle d'Aosta", "02", 45.73750286, 7.320149366),
    ("Lombardia", "03", 45.46679409, 9.190347404), ("Veneto", "05", 45.43490485, 12.33845213),
    ("Liguria", "07", 44.41149315, 8.9326992), ("Emilia-Romagna", "08", 44.49436681, 11.3417208),
    ("Toscana", "09", 43.76923077, 11.25588885), ("Umbria", "10", 43.10675841, 12.38824698),
    ("Marche", "11", 43.61675973, 13.5188753), ("Lazio", "12", 41.89277044, 12.48366722),
    ("Abruzzo", "13", 42.35122196, 13.39843823), ("Molise", "14", 41.55774754, 14.65916051),
    ("Campania", "15", 40.83956555, 14.25084984), ("Puglia", "16", 41.12559576, 16.86736689),
    ("Basilicata", "17", 40.63947052, 15.80514834), ("Calabria", "18", 38.90597598, 16.59440194),
    ("Sicilia", "19", 38.11569725, 13.3623567), ("Sardegna", "20", 39.21531192, 9.110616306),
    ("P.A. Bolzano", "21", 46.49933453, 11.35662422), ("P.A. Trento", "22", 46.06893511, 11.12123097),
    ("Friuli Venezia Giulia", "06", 45.6494354, 13.76813649),
]  # fmt: skip

NATIONAL_DAYS = 120
NATIONAL_START = datetime(2020, 2, 24, 18)
HOURS = 24 * 31  # the netCDF's time axis: January 2020, hourly


@dataclass(frozen=True)
class SmallData:
    """Where each made file is, and what it holds (for the tests' expectations)."""

    folder: Path
    national_csv: Path
    regions_csv: Path
    regions_json: Path
    netcdf: Path
    xlsx: Path

    @property
    def national_days(self) -> int:
        return NATIONAL_DAYS

    @property
    def regions(self) -> set[str]:
        return {name for name, *_ in REGIONS}

    @property
    def hours(self) -> int:
        return HOURS


def _national(path: Path) -> None:
    header = ["data", "stato", "ricoverati_con_sintomi", "terapia_intensiva", "totale_positivi", "nuovi_positivi",
              "deceduti", "totale_casi", "tamponi", "note"]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for day in range(NATIONAL_DAYS):
            when = (NATIONAL_START + timedelta(days=day)).isoformat()
            cases = 229 + day * 97
            writer.writerow([when, "ITA", 101 + day, 26 + day % 40, cases // 3, 90 + day, 7 + day, cases,
                             4324 + day * 1000, ""])


def _region_rows() -> list[dict[str, object]]:
    return [{"data": "2025-01-08T17:00:00", "stato": "ITA", "codice_regione": code, "denominazione_regione": name,
             "lat": lat, "long": lon, "ricoverati_con_sintomi": 31 + i, "terapia_intensiva": i % 5,
             "totale_positivi": 3022 + i, "deceduti": 100 * i, "totale_casi": 687170 + i * 1000, "note": None}
            for i, (name, code, lat, lon) in enumerate(REGIONS)]


def _regions_csv(path: Path) -> None:
    rows = _region_rows()
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in rows)


def _regions_json(path: Path) -> None:
    rows = [{**row, "codice_regione": int(str(row["codice_regione"]))} for row in _region_rows()]  # as the DPC
    path.write_text(json.dumps(rows, indent=4), encoding="utf-8")


def _netcdf(path: Path) -> None:
    import netCDF4
    import numpy as np

    with netCDF4.Dataset(path, "w", format="NETCDF4") as ds:
        ds.title = "Air quality reanalysis over Milan (test file)"
        ds.createDimension("time", HOURS)
        time = ds.createVariable("time", "f8", ("time",))
        time.units = "hours since 2020-01-01 00:00:00"
        time.calendar = "gregorian"
        time.standard_name = "time"
        time[:] = np.arange(HOURS, dtype="f8")
        for name, value, units in (("latitude", 45.46, "degrees_north"), ("longitude", 9.19, "degrees_east")):
            coordinate = ds.createVariable(name, "f4", ())
            coordinate.units = units
            coordinate.assignValue(value)
        for name, long_name in (("pm10", "PM10 concentration"), ("no2", "Nitrogen dioxide concentration")):
            variable = ds.createVariable(name, "f4", ("time",))
            variable.units = "µg m-3"
            variable.long_name = long_name
            variable[:] = np.linspace(10, 60, HOURS, dtype="f4")


def _xlsx(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "casi"
    sheet.append(["data", "denominazione_regione", "totale_casi"])
    for day in range(30):
        for name, *_ in REGIONS[:3]:
            sheet.append([datetime(2021, 3, 1) + timedelta(days=day), name, 1000 + day])
    book.save(path)


@pytest.fixture(scope="session")
def small_data(tmp_path_factory: pytest.TempPathFactory) -> SmallData:
    """The small files, made once per test session."""
    folder = tmp_path_factory.mktemp("small-data")
    made = SmallData(folder, folder / "national.csv", folder / "regions.csv", folder / "regions.json",
                     folder / "milan-hourly.nc", folder / "cases.xlsx")
    _national(made.national_csv)
    _regions_csv(made.regions_csv)
    _regions_json(made.regions_json)
    _netcdf(made.netcdf)
    _xlsx(made.xlsx)
    return made
