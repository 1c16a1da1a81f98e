"""Files the preview tests and benchmark generate: a regional panel in the DPC layout, a gridded netCDF over
Italy. The values are made up from the row and cell numbers, so a test knows each one without reading the file
the way the code under test does."""

from __future__ import annotations

import csv
import math
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

REGIONS = ["Abruzzo", "Basilicata", "Calabria", "Campania", "Emilia-Romagna", "Friuli Venezia Giulia", "Lazio",
           "Liguria", "Lombardia", "Marche", "Molise", "P.A. Bolzano", "P.A. Trento", "Piemonte", "Puglia",
           "Sardegna", "Sicilia", "Toscana", "Umbria", "Valle d'Aosta", "Veneto"]
START = date(2020, 2, 24)


def new_cases(day: int, region: int) -> int:
    """A wave per region: its own size, peaking a day later for each region further down the list."""
    return int(20 + region * 3 + (300 + 40 * region) * math.exp(-(((day - 20 - region) / 9.0) ** 2)))


def regional_panel(path: Path, days: int = 30) -> Path:
    """The DPC regional layout (data, stato, codice_regione, denominazione_regione, lat, long, counts), one row per
    region and day; ``nuovi_positivi`` is ``new_cases(day, region)``."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["data", "stato", "codice_regione", "denominazione_regione", "lat", "long",
                      "nuovi_positivi", "deceduti", "note"])
        for day in range(days):
            when = (START + timedelta(days=day)).isoformat() + "T17:00:00"
            for r, name in enumerate(REGIONS):
                out.writerow([when, "ITA", f"{r + 1:02d}", name, f"{38 + r * 0.4:.4f}", f"{7.5 + r * 0.45:.4f}",
                              new_cases(day, r), day + r, "" if (day + r) % 3 else "nota"])
    return path


def grid_values(steps: int, lats: int, lons: int) -> np.ndarray:
    """t2m[t, y, x] = 280 + t + y / 10 + x / 100, as float32."""
    t, y, x = np.meshgrid(np.arange(steps), np.arange(lats), np.arange(lons), indexing="ij")
    return (280 + t + y / 10 + x / 100).astype(np.float32)


def italy_grid(path: Path, steps: int = 24, lats: int = 23, lons: int = 27, *, north_first: bool = True,
               chunk_steps: int | None = None, fill: bool = True) -> Path:
    """A CF netCDF-4 file: hourly ``t2m(time, lat, lon)`` on a 0.5° grid over Italy (lat from north to south when
    ``north_first``, as ERA5 writes it). ``fill=False`` leaves the data unwritten past the first 24 steps (a
    big file whose size is all in its declared chunks)."""
    import netCDF4

    with netCDF4.Dataset(path, "w") as ds:
        ds.createDimension("time", None)
        ds.createDimension("lat", lats)
        ds.createDimension("lon", lons)
        time = ds.createVariable("time", "f8", ("time",))
        time.units, time.calendar, time.standard_name = "hours since 2020-01-01 00:00:00", "standard", "time"
        lat = ds.createVariable("lat", "f4", ("lat",))
        lat.units, lat.standard_name = "degrees_north", "latitude"
        lon = ds.createVariable("lon", "f4", ("lon",))
        lon.units, lon.standard_name = "degrees_east", "longitude"
        south_to_north = 36.0 + 0.5 * np.arange(lats)
        lat[:] = south_to_north[::-1] if north_first else south_to_north
        lon[:] = 6.0 + 0.5 * np.arange(lons)
        var = ds.createVariable("t2m", "f4", ("time", "lat", "lon"), fill_value=np.float32(-9999),
                                chunksizes=(chunk_steps or 1, lats, lons))
        var.units, var.long_name = "K", "2 metre temperature"
        ds.title = "generated for the preview tests"
        written = steps if fill else min(steps, 24)
        for first in range(0, written, 1000):
            last = min(written, first + 1000)
            var[first:last] = grid_values(last - first, lats, lons) + first
        time[:] = np.arange(steps, dtype=np.float64)
    return path


def panel_frame(folder: Path, days: int) -> Any:
    """The regional panel as typed columns (pandas): dates as dates, counts as integers, ``long`` named ``lon``
    (Stata reserves ``long``); written through a CSV made by :func:`regional_panel` in ``folder``."""
    import pandas as pd

    frame = pd.read_csv(regional_panel(folder / "panel-source.csv", days=days), dtype={"codice_regione": str})
    frame["data"] = pd.to_datetime(frame["data"]).dt.normalize()
    frame["note"] = frame["note"].fillna("")
    return frame.rename(columns={"long": "lon"})


def typed_panel(path: Path, days: int = 30) -> Path:
    """The regional panel as Parquet (``.parquet``), Stata (``.dta``) or SPSS (``.sav``), by the suffix."""
    frame = panel_frame(path.parent, days)
    if path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
        return path
    import pyreadstat

    frame["data"] = frame["data"].dt.date
    (pyreadstat.write_dta if path.suffix == ".dta" else pyreadstat.write_sav)(frame, str(path))
    return path
