"""Metadata inference on small files the tests write themselves (tests/core/conftest.py), shaped like the
shared data: what tests/core/test_inspect.py checks on the real files, checked without ../shared."""

from __future__ import annotations

import json

from planet_gui.core.inspect import inspect_file
from planet_gui.core.schema import load_schema
from tests.core.conftest import NATIONAL_START, SmallData

SCHEMA = load_schema()


def _valid(metadata: dict[str, object]) -> None:
    assert set(metadata) <= set(SCHEMA.names)
    assert [p for p in SCHEMA.problems(metadata) if "is required" not in p] == []


def test_a_daily_national_series(small_data: SmallData) -> None:
    ins = inspect_file(small_data.national_csv)
    md = ins.metadata
    _valid(md)
    assert md["format"] == "CSV"
    assert md["record_count"] == small_data.national_days
    assert md["frequency"] == "daily"
    assert md["time_field"] == "data"
    assert md["period_start"] == NATIONAL_START.isoformat()
    assert md["period_end"].startswith("2020-06-22")  # 119 days later
    assert md["area"] == "Italy" and md["category"] == "COVID-19"
    assert ins.details["separator"] == "," and ins.details["record_count_estimated"] is False
    assert ins.preview.rows[0][0] == NATIONAL_START.isoformat()
    json.dumps(ins.to_json())


def test_a_regional_snapshot_as_csv_and_as_json(small_data: SmallData) -> None:
    csv_md = inspect_file(small_data.regions_csv)
    json_ins = inspect_file(small_data.regions_json)
    for md in (csv_md.metadata, json_ins.metadata):
        _valid(md)
        assert md["record_count"] == 21
        assert md["frequency"] == "snapshot"
        assert set(md["regions"]) == small_data.regions
        assert md["area"] == "Italy"
    assert json_ins.metadata["format"] == "JSON" and csv_md.metadata["format"] == "CSV"
    # "01" in the CSV is a code (leading zero kept as text); the JSON holds the number
    assert csv_md.details["field_types"]["codice_regione"] == "string"
    assert json_ins.details["field_types"]["codice_regione"] == "integer"
    assert json_ins.details["field_types"]["lat"] == "float"


def test_an_hourly_netcdf_over_milan(small_data: SmallData) -> None:
    ins = inspect_file(small_data.netcdf)
    md = ins.metadata
    _valid(md)
    assert md["format"] == "netCDF"
    assert md["frequency"] == "hourly"
    assert md["record_count"] == small_data.hours
    assert md["period_start"].startswith("2020-01-01T00") and md["period_end"].startswith("2020-01-31T23")
    assert {"pm10", "no2"} <= set(md["fields"]) and "time" not in md["fields"]
    assert md["regions"] == ["Lombardia"] and md["state"] == "Italy"
    assert ins.details["variables"]["pm10"]["units"]


def test_a_workbook(small_data: SmallData) -> None:
    md = inspect_file(small_data.xlsx).metadata
    _valid(md)
    assert md["format"] == "XLSX"
    assert md["record_count"] == 90
    assert md["frequency"] == "daily"
    assert md["period_start"] == "2021-03-01" and md["period_end"] == "2021-03-30"
    assert set(md["regions"]) == {"Piemonte", "Valle d'Aosta", "Lombardia"}
