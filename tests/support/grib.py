"""A small GRIB2 file written by ecCodes from its own sample: 2 m temperature and mean sea-level pressure over
Italy, one message each per day. For the tests that open GRIB (the retrieval snippet, with xarray's cfgrib
engine); the values are the sample's, the dates and the grid are the test's."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

START = date(2020, 2, 24)
FIELDS = ("2t", "msl")


def italy_grib(path: Path, days: int = 5, *, start: date = START) -> Path:
    import eccodes

    with path.open("wb") as handle:
        for day in range(days):
            for name in FIELDS:
                message = eccodes.codes_grib_new_from_samples("regular_ll_sfc_grib2")
                try:
                    eccodes.codes_set(message, "dataDate", int((start + timedelta(days=day)).strftime("%Y%m%d")))
                    eccodes.codes_set(message, "dataTime", 0)
                    eccodes.codes_set(message, "shortName", name)
                    eccodes.codes_set_key_vals(message, {
                        "latitudeOfFirstGridPointInDegrees": 47.0, "latitudeOfLastGridPointInDegrees": 36.5,
                        "longitudeOfFirstGridPointInDegrees": 6.5, "longitudeOfLastGridPointInDegrees": 18.5})
                    eccodes.codes_write(message, handle)
                finally:
                    eccodes.codes_release(message)
    return path
