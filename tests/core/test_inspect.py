"""Metadata inference (planet_gui.core.inspect) against real public files and hand-made bad ones.

The real files live outside the repository: ../shared/testdata next to the checkout, or wherever
PLANET_TESTDATA points. Tests that need them are skipped, saying so, when the folder is absent.
"""

from __future__ import annotations

import json
import os
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest

from planet_gui.core.errors import InspectionError
from planet_gui.core.inspect import Inspection, api, csv_inspector, inspect_file, json_inspector
from planet_gui.core.inspect.area import locate, normalise_region
from planet_gui.core.inspect.linecount import count_records
from planet_gui.core.inspect.time_axis import summarise
from planet_gui.core.schema import load_schema

TESTDATA = Path(os.environ.get("PLANET_TESTDATA") or Path(__file__).resolve().parents[3] / "shared" / "testdata")
needs_testdata = pytest.mark.skipif(
    not (TESTDATA / "csv").is_dir(),  # an empty folder is no test data (the small files are in conftest.py)
    reason=f"real test data not found at {TESTDATA} (set PLANET_TESTDATA to the shared/testdata folder)",
)

DPC_REGIONS = {
    "Abruzzo", "Basilicata", "Calabria", "Campania", "Emilia-Romagna", "Friuli Venezia Giulia", "Lazio",
    "Liguria", "Lombardia", "Marche", "Molise", "P.A. Bolzano", "P.A. Trento", "Piemonte", "Puglia",
    "Sardegna", "Sicilia", "Toscana", "Umbria", "Valle d'Aosta", "Veneto",
}  # fmt: skip
SCHEMA = load_schema()


def data(relative: str) -> Path:
    return TESTDATA / relative


def check_valid(inspection: Inspection) -> None:
    """Only schema keys, values of the schema's types, and everything JSON-serialisable."""
    assert set(inspection.metadata) <= set(SCHEMA.names)
    problems = [p for p in SCHEMA.problems(inspection.metadata) if "is required" not in p]
    assert problems == []
    json.dumps(inspection.to_json())
    json.dumps(inspection.details)


def inside_italy(bbox: list[float]) -> bool:
    min_lon, min_lat, max_lon, max_lat = bbox
    return 6.0 <= min_lon <= max_lon <= 19.0 and 35.0 <= min_lat <= max_lat <= 47.5


# -- the real files ------------------------------------------------------------------------------------


@needs_testdata
def test_every_testdata_file_inspects_and_serialises() -> None:
    files = [f for f in sorted(TESTDATA.rglob("*")) if f.is_file() and f.suffix.lower() != ".md"]
    assert files, f"no files under {TESTDATA}"
    for path in files:
        inspection = inspect_file(path, preview_rows=5)
        check_valid(inspection)
        assert inspection.metadata["format"] in {"CSV", "JSON", "netCDF", "XLSX", "PDF", "image", "other"}
        assert inspection.size == path.stat().st_size
        assert len(inspection.preview.rows) <= 5
        assert len(inspection.preview.text) <= 16384
        assert inspection.to_json()["path"] == str(path)


@needs_testdata
def test_dpc_national_series() -> None:
    ins = inspect_file(data("csv/dpc-covid19-ita-andamento-nazionale.csv"))
    md = ins.metadata
    assert md["format"] == "CSV"
    assert md["record_count"] == 1781
    assert len(md["fields"]) == 24
    assert md["frequency"] == "daily"
    assert md["period_start"].startswith("2020-02-24")
    assert md["period_end"].startswith("2025-01-08")
    assert md["time_field"] == "data"
    assert md["area"] == "Italy"
    assert md["state"] == "Italy"
    assert md["category"] == "COVID-19"
    assert md["source"] == "Protezione Civile (DPC)"
    assert ins.details["encoding"] == "utf-8"
    assert ins.details["separator"] == ","
    assert ins.details["record_count_estimated"] is False
    assert ins.preview.kind == "table"
    assert ins.preview.columns == md["fields"]
    assert len(ins.preview.rows) == 20
    assert ins.preview.rows[0][0] == "2020-02-24T18:00:00"


@needs_testdata
@pytest.mark.parametrize(
    "relative", ["csv/dpc-covid19-ita-regioni-latest.csv", "json/dpc-covid19-ita-regioni-latest.json"]
)
def test_dpc_regions_latest(relative: str) -> None:
    ins = inspect_file(data(relative))
    md = ins.metadata
    assert md["format"] == ("CSV" if relative.endswith(".csv") else "JSON")
    assert md["record_count"] == 21
    assert len(md["fields"]) == 30
    assert md["frequency"] == "snapshot"
    assert md["period_start"].startswith("2025-01-08")
    assert md["period_end"].startswith("2025-01-08")
    assert set(md["regions"]) == DPC_REGIONS
    assert len(md["regions"]) == 21
    assert md["area"] == "Italy"
    assert md["state"] == "Italy"
    assert md["category"] == "COVID-19"
    assert md["source"] == "Protezione Civile (DPC)"
    assert "result_key" not in md  # a bare array of records
    assert inside_italy(ins.details["bbox"])
    assert ins.details["field_types"]["lat"] == "float"
    # "08" in the CSV is a code (leading zero kept as text); JSON stores the number 8
    assert ins.details["field_types"]["codice_regione"] == ("string" if relative.endswith(".csv") else "integer")


@needs_testdata
def test_vaccine_doses() -> None:
    md = inspect_file(data("csv/somministrazioni-vaccini-latest-2020.csv")).metadata
    assert md["record_count"] == 425
    assert md["frequency"] == "daily"
    assert md["period_start"] == "2020-12-27"
    assert md["period_end"] == "2020-12-31"
    assert md["category"] == "COVID-19"
    assert md["source"] == "Commissario straordinario COVID-19 (vaccini)"
    assert len(md["regions"]) == 21 and "P.A. Bolzano" in md["regions"]
    assert md["area"] == "Italy"


@needs_testdata
def test_istat_municipalities() -> None:
    ins = inspect_file(data("csv/istat-elenco-comuni-italiani.csv"))
    md = ins.metadata
    assert ins.details["separator"] == ";"
    assert ins.details["encoding"] == "utf-8-sig" and ins.details["bom"] is True
    assert md["record_count"] == 7904
    assert len(md["fields"]) == 23
    joined = "Codice dell'Unità territoriale sovracomunale (valida a fini statistici)"
    assert md["fields"][1] == joined
    assert all("\n" not in name for name in md["fields"])
    assert md["fields"][0] == "Codice Regione"  # no BOM in the first name
    assert md["frequency"] == "none"
    assert "period_start" not in md and "period_end" not in md
    assert md["source"] == "ISTAT"
    assert md["area"] == "Italy"
    assert "Trentino-Alto Adige" in md["regions"]
    assert ins.details["field_types"]["Codice Regione"] == "string"  # "01": a code, not a number
    assert ins.preview.rows[0][5] == "Agliè"


@needs_testdata
def test_istat_population_by_region() -> None:
    md = inspect_file(data("csv/popolazione-istat-regione-range.csv")).metadata
    assert md["category"] == "Demographic"
    assert md["source"] == "ISTAT"
    assert set(md["regions"]) == DPC_REGIONS  # "Bolzano"/"Trento" normalised
    assert md["frequency"] == "none"


@needs_testdata
def test_cams_europe_hourly_milan() -> None:
    ins = inspect_file(data("netcdf/cams_europe_aq_reanalysis_milan_2020.nc"))
    md = ins.metadata
    assert md["format"] == "netCDF"
    assert md["frequency"] == "hourly"
    assert md["period_start"].startswith("2020-01-01T00")
    assert md["period_end"].startswith("2020-12-31T23")
    assert md["record_count"] == 8784
    assert md["time_field"] == "time"
    assert {"pm10", "no2"} <= set(md["fields"])
    assert "time" not in md["fields"] and "latitude" not in md["fields"]
    variables = ins.details["variables"]
    assert variables["pm10"]["units"] and variables["no2"]["units"]
    assert variables["pm10"]["dims"] == ["time"]
    assert md["area"] == "Lombardia"
    assert md["regions"] == ["Lombardia"]
    assert md["state"] == "Italy"
    assert md["category"] == "Atmosphere"
    assert md["source"] == "CAMS/Copernicus"
    assert ins.preview.kind == "tree" and "pm10" in ins.preview.text


@needs_testdata
def test_cams_global_three_hourly() -> None:
    md = inspect_file(data("netcdf/cams_global_reanalysis_milan_2020.nc")).metadata
    assert md["frequency"] == "3-hourly"
    assert md["record_count"] == 2928
    assert md["category"] == "Atmosphere"
    assert md["regions"] == ["Lombardia"]


@needs_testdata
def test_era_interim_without_time_coordinate() -> None:
    ins = inspect_file(data("netcdf/eraint_uvz.nc"))
    md = ins.metadata
    assert set(md["fields"]) == {"z", "u", "v"}
    assert md["frequency"] == "none"
    assert "period_start" not in md and "period_end" not in md and "time_field" not in md
    assert md["category"] == "Meteorological"
    assert md["area"] == "Global"
    min_lon, min_lat, max_lon, max_lat = ins.details["bbox"]
    assert min_lon <= -179 and max_lon >= 179 and min_lat == -90 and max_lat == 90
    assert ins.details["dims"] == {"month": 2, "level": 3, "latitude": 241, "longitude": 480}


@needs_testdata
def test_pdf_report() -> None:
    for path in sorted(data("other").glob("*.pdf")):
        ins = inspect_file(path)
        assert ins.metadata["format"] == "PDF"
        assert ins.details["pages"] >= 1
        assert "frequency" not in ins.metadata
        assert ins.preview.kind in ("text", "none")
        assert len(ins.preview.text) <= 4096
    ins = inspect_file(data("other/dpc-covid19-ita-scheda-regioni-latest.pdf"))
    assert ins.details["pages"] == 1
    assert "Covid-19" in ins.details["title"]
    assert ins.metadata["category"] == "COVID-19"
    assert ins.metadata["source"] == "Protezione Civile (DPC)"


@needs_testdata
def test_preview_is_bounded() -> None:
    ins = inspect_file(data("csv/istat-elenco-comuni-italiani.csv"), preview_rows=3)
    assert len(ins.preview.rows) == 3
    assert all(len(row) == len(ins.preview.columns) for row in ins.preview.rows)
    assert inspect_file(data("csv/istat-elenco-comuni-italiani.csv"), preview_rows=0).preview.rows == []


# -- bad input -------------------------------------------------------------------------------------------


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InspectionError, match="no file"):
        inspect_file(tmp_path / "nope.csv")


def test_directory_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(InspectionError, match="folder"):
        inspect_file(tmp_path)


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.csv"
    path.write_text("a,b\n1,2\n")
    path.chmod(0)
    try:
        try:
            path.open("rb").close()
        except PermissionError:
            pass
        else:
            pytest.skip("running as root: a chmod 000 file is still readable")
        with pytest.raises(InspectionError, match="permission"):
            inspect_file(path)
    finally:
        path.chmod(0o600)


def test_permission_denied_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same path as chmod 000, simulated so it also runs as root."""
    path = tmp_path / "locked.csv"
    path.write_text("a,b\n1,2\n")
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(InspectionError, match="No permission to read locked.csv"):
        inspect_file(path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(InspectionError, match="empty"):
        inspect_file(path)


def test_binary_named_csv(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(InspectionError, match="binary"):
        inspect_file(path)


def test_text_named_netcdf(tmp_path: Path) -> None:
    path = tmp_path / "model.nc"
    path.write_text("not really netCDF\n")
    with pytest.raises(InspectionError, match="not a netCDF"):
        inspect_file(path)


def _write_netcdf(path: Path, fmt: str = "NETCDF3_64BIT", *, with_time: bool = True) -> None:
    import numpy as np
    import pandas as pd
    import xarray as xr

    lat = np.arange(44.0, 46.6, 0.5)
    lon = np.arange(8.0, 12.6, 0.5)
    coords: dict[str, Any] = {"lat": ("lat", lat, {"units": "degrees_north"}),
                              "lon": ("lon", lon, {"units": "degrees_east"})}  # fmt: skip
    if with_time:
        coords["time"] = pd.date_range("2021-01-01", periods=10, freq="D")
        temp = np.zeros((10, lat.size, lon.size), dtype="float32")
        dims: tuple[str, ...] = ("time", "lat", "lon")
    else:
        temp = np.zeros((lat.size, lon.size), dtype="float32")
        dims = ("lat", "lon")
    ds = xr.Dataset({"temperature": (dims, temp, {"units": "K", "long_name": "air temperature"})}, coords)
    ds.to_netcdf(path, format=fmt)


def test_truncated_netcdf_classic(tmp_path: Path) -> None:
    whole = tmp_path / "whole.nc"
    _write_netcdf(whole)
    truncated = tmp_path / "truncated.nc"
    truncated.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(InspectionError, match="truncated"):
        inspect_file(truncated)
    header_only = tmp_path / "header.nc"
    header_only.write_bytes(whole.read_bytes()[:40])
    with pytest.raises(InspectionError):
        inspect_file(header_only)


def test_truncated_netcdf4(tmp_path: Path) -> None:
    whole = tmp_path / "whole4.nc"
    _write_netcdf(whole, "NETCDF4")
    truncated = tmp_path / "truncated4.nc"
    truncated.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(InspectionError, match="truncated"):
        inspect_file(truncated)


def test_ragged_csv_inspects_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n")
    ins = inspect_file(path)
    assert ins.metadata["record_count"] == 4
    assert ins.metadata["fields"] == ["a", "b", "c"]
    assert ins.details["ragged_rows"] == 2
    assert any("different number of fields" in w and "row 3" in w for w in ins.warnings)
    assert ins.preview.rows[1] == ["4", "5", ""]


@pytest.mark.parametrize(
    "content",
    ['{"name": "x", "version": 3}', "[1, 2, 3]", '"just text"', "[[1, 2], [3, 4]]", "[]"],
)
def test_json_that_is_not_records(tmp_path: Path, content: str) -> None:
    path = tmp_path / "config.json"
    path.write_text(content)
    with pytest.raises(InspectionError, match="records"):
        inspect_file(path)


def test_invalid_json_says_where(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[\n  {"a": 1},\n  {"a": 2,,}\n]\n')
    with pytest.raises(InspectionError, match=r"not valid JSON.*line 3"):
        inspect_file(path)


# -- JSON shapes ---------------------------------------------------------------------------------------


def _records(n: int = 30) -> list[dict[str, Any]]:
    regions = ["Lombardia", "Lazio", "Sicilia"]
    return [
        {"date": f"2022-03-{1 + i // 3:02d}", "regione": regions[i % 3], "value": i * 1.5, "ok": i % 2 == 0}
        for i in range(n)
    ]


def test_json_records_under_a_key(tmp_path: Path) -> None:
    path = tmp_path / "api.json"
    path.write_text(json.dumps({"count": 30, "next": None, "results": _records()}))
    ins = inspect_file(path)
    md = ins.metadata
    assert md["result_key"] == "results"
    assert md["record_count"] == 30
    assert md["fields"] == ["date", "regione", "value", "ok"]
    assert md["frequency"] == "daily"
    assert md["period_start"] == "2022-03-01" and md["period_end"] == "2022-03-10"
    assert md["regions"] == ["Lazio", "Lombardia", "Sicilia"]
    assert md["area"] == "Lazio, Lombardia, Sicilia"
    assert ins.details["field_types"]["ok"] == "boolean"
    assert ins.details["field_types"]["value"] == "float"
    check_valid(ins)


def test_json_nested_key(tmp_path: Path) -> None:
    path = tmp_path / "nested.json"
    path.write_text(json.dumps({"response": {"status": "ok", "data": _records(6)}}))
    md = inspect_file(path).metadata
    assert md["result_key"] == "response.data"
    assert md["record_count"] == 6


def test_pandas_table_orient(tmp_path: Path) -> None:
    import pandas as pd

    path = tmp_path / "table.json"
    pd.DataFrame(_records(12)).to_json(path, orient="table", index=False)
    ins = inspect_file(path)
    assert ins.details["structure"] == "pandas-table"
    assert ins.metadata["result_key"] == "data"
    assert ins.metadata["record_count"] == 12
    assert ins.metadata["fields"] == ["date", "regione", "value", "ok"]
    assert ins.details["field_types"]["value"] == "number"  # from the table schema


@pytest.mark.parametrize("orient", ["split", "columns", "index"])
def test_pandas_other_orients(tmp_path: Path, orient: str) -> None:
    import pandas as pd

    path = tmp_path / f"{orient}.json"
    pd.DataFrame(_records(9)).to_json(path, orient=orient)
    ins = inspect_file(path)
    assert ins.metadata["record_count"] == 9
    assert set(ins.metadata["fields"]) >= {"date", "regione", "value", "ok"}


def test_ndjson(tmp_path: Path) -> None:
    path = tmp_path / "lines.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in _records(15)) + "\n")
    ins = inspect_file(path)
    assert ins.details["structure"] == "ndjson"
    assert ins.metadata["record_count"] == 15
    assert "result_key" not in ins.metadata


def test_geojson(tmp_path: Path) -> None:
    features = [
        {"type": "Feature", "properties": {"name": "Milano", "pm10": 40},
         "geometry": {"type": "Point", "coordinates": [9.19, 45.46]}},
        {"type": "Feature", "properties": {"name": "Bergamo", "pm10": 35},
         "geometry": {"type": "Point", "coordinates": [9.67, 45.69]}},
    ]  # fmt: skip
    path = tmp_path / "stations.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    ins = inspect_file(path)
    md = ins.metadata
    assert md["result_key"] == "features"
    assert md["record_count"] == 2
    assert md["regions"] == ["Lombardia"]
    assert md["area"] == "Lombardia"


def test_big_json_array_is_streamed_and_estimated_past_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "many.json"
    path.write_text(json.dumps(_records(30000)))
    exact = inspect_file(path)
    assert exact.metadata["record_count"] == 30000
    assert exact.details["record_count_estimated"] is False
    monkeypatch.setattr(json_inspector, "FULL_SCAN_LIMIT", path.stat().st_size // 4)
    estimated = inspect_file(path)
    assert estimated.details["record_count_estimated"] is True
    assert abs(estimated.metadata["record_count"] - 30000) < 3000
    assert any("estimated" in w for w in estimated.warnings)


# -- CSV variants --------------------------------------------------------------------------------------


def test_semicolon_decimal_comma_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "misure.csv"
    lines = ["data;città;pm10;no2"]
    lines += [f"{d:02d}/03/2023;Città di Castello;{d},5;{d + 10},25" for d in range(1, 29)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    ins = inspect_file(path)
    assert ins.details["encoding"] in ("cp1252", "latin-1")
    assert ins.details["separator"] == ";"
    assert ins.details["decimal"] == ","
    assert ins.details["field_types"]["pm10"] == "float"
    assert ins.metadata["fields"] == ["data", "città", "pm10", "no2"]
    assert ins.metadata["frequency"] == "daily"
    assert ins.metadata["period_start"] == "2023-03-01" and ins.metadata["period_end"] == "2023-03-28"
    assert ins.metadata["category"] == "Atmosphere"
    assert ins.metadata["record_count"] == 28


def test_tab_separated_with_quoted_newlines_beyond_the_sample(tmp_path: Path) -> None:
    path = tmp_path / "notes.tsv"
    body = "".join(f'{i}\t"line one\nline two of {i}"\t{i * 2}\n' for i in range(60000))
    path.write_text("id\tnote\tvalue\n" + body)
    assert path.stat().st_size > 1024 * 1024  # bigger than the sample: counted, not parsed
    ins = inspect_file(path)
    assert ins.details["separator"] == "\t"
    assert ins.details["record_count_method"] == "counted"
    assert ins.metadata["record_count"] == 60000
    assert ins.metadata["frequency"] == "none"


def test_big_csv_counts_lines_and_samples_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "hourly.csv"
    rows = [f"2020-01-{1 + h // 24:02d}T{h % 24:02d}:00:00,{h}.5" for h in range(24 * 28)]
    path.write_text("time,value\n" + "\n".join(rows * 40) + "\n")
    monkeypatch.setattr(api, "SAMPLE_BYTES", 65536)
    monkeypatch.setattr(csv_inspector, "FULL_SCAN_LIMIT", 100_000)
    monkeypatch.setattr(csv_inspector, "_TAIL_BYTES", 4096)
    ins = inspect_file(path)
    assert ins.details["record_count_method"] == "lines"
    assert ins.details["record_count_estimated"] is False
    assert ins.metadata["record_count"] == 24 * 28 * 40
    assert ins.metadata["frequency"] == "hourly"
    assert ins.details["time_sampled"] is True
    assert ins.details["confidence"]["frequency"] < 0.9


def test_big_csv_with_cells_spanning_lines_is_estimated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "notes.csv"
    body = "".join(f'2021-01-01T{i % 24:02d}:00:00,"first line\nsecond line {i}",{i}\n' for i in range(20000))
    path.write_text("time,note,value\n" + body)
    monkeypatch.setattr(api, "SAMPLE_BYTES", 65536)
    monkeypatch.setattr(csv_inspector, "FULL_SCAN_LIMIT", 100_000)
    ins = inspect_file(path)
    assert ins.details["record_count_method"] == "estimated"
    assert ins.details["record_count_estimated"] is True
    assert ins.details["confidence"]["record_count"] <= 0.5
    assert abs(ins.metadata["record_count"] - 20000) / 20000 < 0.1
    assert any("estimated" in w for w in ins.warnings)


@pytest.mark.parametrize(
    "ending, extra",
    [("\n", 0), ("", 0), ("\n\n\n", 0), ("\r\n", 0)],
    ids=["newline", "no-final-newline", "blank-lines-at-end", "crlf"],
)
def test_big_csv_line_count_edges(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ending: str, extra: int) -> None:
    newline = "\r\n" if ending == "\r\n" else "\n"
    rows = [f"2022-{1 + d // 28:02d}-{1 + d % 28:02d},Lazio,{d}" for d in range(12 * 28)] * 20
    text = "sep=,\n" + newline.join(["data,regione,valore", *rows]) + ending
    path = tmp_path / "edges.csv"
    path.write_bytes(text.encode())
    monkeypatch.setattr(api, "SAMPLE_BYTES", 16384)
    monkeypatch.setattr(csv_inspector, "FULL_SCAN_LIMIT", 50_000)
    ins = inspect_file(path)
    assert ins.details["record_count_method"] == "lines"
    assert ins.metadata["record_count"] == len(rows) + extra
    assert ins.metadata["period_start"] == "2022-01-01" and ins.metadata["period_end"] == "2022-12-28"
    assert ins.metadata["regions"] == ["Lazio"]


def test_count_newlines_in_parallel_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from planet_gui.core.inspect import linecount

    path = tmp_path / "lines.txt"
    data = b"".join(b"x" * (i % 97) + b"\n" for i in range(50_000)) + b"tail without newline"
    path.write_bytes(data)
    monkeypatch.setattr(linecount, "_MIN_PART", 1024)
    monkeypatch.setattr(linecount, "_FAST_CHUNK", 4096)
    for threads in (1, 2, 3, 4):
        assert linecount.count_newlines(path, threads=threads) == data.count(b"\n")
    assert linecount.count_newlines(path, b"x") == data.count(b"x")


def test_newline_counter_can_be_cancelled(tmp_path: Path) -> None:
    from planet_gui.core.inspect.linecount import NewlineCounter

    path = tmp_path / "lines.txt"
    path.write_bytes(b"a,b\n" * 100_000)
    counter = NewlineCounter(path)
    counter.cancel()
    with pytest.raises(RuntimeError):
        counter.result()
    assert NewlineCounter(path, threads=2).result() == 100_000


def test_big_utf16_csv_is_estimated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "wide.csv"
    rows = [f"2023-01-{1 + d % 28:02d},Lazio,{d}" for d in range(3000)]
    path.write_text("data,regione,valore\n" + "\n".join(rows) + "\n", encoding="utf-16")
    monkeypatch.setattr(api, "SAMPLE_BYTES", 16384)
    monkeypatch.setattr(csv_inspector, "FULL_SCAN_LIMIT", 50_000)
    ins = inspect_file(path)
    assert ins.details["record_count_method"] == "estimated"
    assert ins.details["record_count_estimated"] is True
    assert abs(ins.metadata["record_count"] - 3000) / 3000 < 0.1


_BIG_REGIONS = sorted(DPC_REGIONS - {"P.A. Bolzano", "P.A. Trento"}) + ["Trentino-Alto Adige"]


def test_80_mib_csv_is_counted_exactly_and_timed_from_head_and_tail(tmp_path: Path) -> None:
    """The big-file path for real (no patched limits): past FULL_SCAN_LIMIT, nothing is parsed row by row."""
    from datetime import date, timedelta

    template = "".join(f"{{0}},{region},{{1}},{index}\n" for index, region in enumerate(_BIG_REGIONS))
    first = date(1800, 1, 1)
    days = 150_000
    path = tmp_path / "panel.csv"
    with path.open("w", newline="") as out:
        out.write("data,denominazione_regione,valore,codice\n")
        for start in range(0, days, 5000):
            out.write(
                "".join(
                    template.format((first + timedelta(days=d)).isoformat(), d % 1000)
                    for d in range(start, min(days, start + 5000))
                )
            )
    assert path.stat().st_size > csv_inspector.FULL_SCAN_LIMIT
    ins = inspect_file(path)
    md, det = ins.metadata, ins.details
    assert det["record_count_method"] == "lines"
    assert det["record_count_estimated"] is False
    assert md["record_count"] == days * len(_BIG_REGIONS)
    assert md["period_start"] == "1800-01-01"  # from the head
    assert md["period_end"] == (first + timedelta(days=days - 1)).isoformat()  # from the tail
    assert md["frequency"] == "daily"
    assert det["time_sampled"] is True and det["time_steps_approximate"] is True
    assert det["confidence"]["period_end"] < 0.9 and det["confidence"]["record_count"] == 1.0
    assert set(md["regions"]) == set(_BIG_REGIONS)
    assert any("counted as lines" in w for w in ins.warnings)
    check_valid(ins)


def _panel_rows(days: int, *, sep: str = ",") -> list[str]:
    regions = ["Lombardia", "Lazio", "Sicilia", "Veneto"]
    return [
        sep.join([f"{value:.1f}", region, f"2021-{1 + d // 28:02d}-{1 + d % 28:02d}"])
        for d in range(days)
        for value, region in enumerate(regions)
    ]


_VARIANTS = {
    "plain": lambda rows: "valore,regione,data\n" + "\n".join(rows) + "\n",
    "crlf": lambda rows: "valore,regione,data\r\n" + "\r\n".join(rows) + "\r\n",
    "blank-lines": lambda rows: "valore,regione,data\n" + "\n\n".join(rows) + "\n\n",
    "ragged-late": lambda rows: "valore,regione,data\n" + "\n".join(rows[:-40] + ["1,Lazio", *rows[-40:], "2,3,4,5"]),
    "quote-late": lambda rows: (
        "valore,regione,data\n" + "\n".join(rows[:-30] + ['"7,5","Lazio\nRoma",2021-12-28', *rows[-30:]]) + "\n"
    ),
    "sep-line": lambda rows: "sep=,\nvalore,regione,data\n" + "\n".join(rows) + "\n",
}


@pytest.mark.parametrize("variant", sorted(_VARIANTS))
def test_full_pass_fast_split_matches_the_csv_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variant: str
) -> None:
    """Under FULL_SCAN_LIMIT every row is read; plain blocks are split, others parsed: same answers."""
    path = tmp_path / f"{variant}.csv"
    path.write_bytes(_VARIANTS[variant](_panel_rows(12 * 28)).encode())
    monkeypatch.setattr(api, "SAMPLE_BYTES", 4096)
    monkeypatch.setattr(csv_inspector, "_BLOCK_CHARS", 2048)
    fast = inspect_file(path)
    monkeypatch.setattr(csv_inspector, "_plain_lines", lambda *args: None)
    slow = inspect_file(path)
    assert fast.details["record_count_method"] == "parsed"
    assert fast.metadata == slow.metadata
    assert fast.details == slow.details
    assert fast.warnings == slow.warnings
    assert fast.metadata["period_end"] == "2021-12-28"
    assert set(fast.metadata["regions"]) == {"Lombardia", "Veneto", "Lazio", "Sicilia"}
    expected = 12 * 28 * 4 + {"ragged-late": 2, "quote-late": 1}.get(variant, 0)
    assert fast.metadata["record_count"] == expected
    if variant == "ragged-late":
        assert fast.details["ragged_rows"] == 2


def test_header_only_csv(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("data,denominazione_regione,totale_positivi\n")
    ins = inspect_file(path)
    assert ins.metadata["record_count"] == 0
    assert ins.metadata["fields"] == ["data", "denominazione_regione", "totale_positivi"]
    assert ins.metadata["frequency"] == "none"


def test_excel_sep_line(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_text("sep=;\ndata;valore\n2021-05-01;1,5\n2021-06-01;2,5\n2021-07-01;3\n")
    ins = inspect_file(path)
    assert ins.details["separator"] == ";"
    assert ins.metadata["fields"] == ["data", "valore"]
    assert ins.metadata["record_count"] == 3
    assert ins.metadata["frequency"] == "monthly"


def test_utf16_csv(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_text("nome\tvalore\nRoma\t1\nMilano\t2\n", encoding="utf-16")
    ins = inspect_file(path)
    assert ins.details["encoding"] == "utf-16"
    assert ins.metadata["record_count"] == 2
    assert ins.metadata["fields"] == ["nome", "valore"]


# -- other formats ---------------------------------------------------------------------------------------


def test_netcdf_grid_over_northern_italy(tmp_path: Path) -> None:
    path = tmp_path / "grid.nc"
    _write_netcdf(path, "NETCDF4")
    md = inspect_file(path).metadata
    assert md["frequency"] == "daily"
    assert md["record_count"] == 10
    assert md["period_start"] == "2021-01-01T00:00:00" and md["period_end"] == "2021-01-10T00:00:00"
    assert {"Lombardia", "Piemonte", "Emilia-Romagna"} <= set(md["regions"])
    assert md["category"] == "Meteorological"


def test_netcdf_without_time(tmp_path: Path) -> None:
    path = tmp_path / "static.nc"
    _write_netcdf(path, with_time=False)
    md = inspect_file(path).metadata
    assert md["frequency"] == "none"
    assert "period_start" not in md and "record_count" not in md


def _xlsx(path: Path) -> None:
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    rows = ['<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>']
    for i in range(5):
        serial = 44927 + i  # 2023-01-01 onwards
        rows.append(f'<row r="{i + 2}"><c r="A{i + 2}" s="1"><v>{serial}</v></c><c r="B{i + 2}"><v>{i}</v></c></row>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(
            "xl/workbook.xml",
            f'<workbook {ns} {rel}><sheets><sheet name="Dati" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        zf.writestr(
            "xl/styles.xml",
            f'<styleSheet {ns}><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>',
        )
        zf.writestr("xl/sharedStrings.xml", f"<sst {ns}><si><t>data</t></si><si><t>ricoverati</t></si></sst>")
        zf.writestr("xl/worksheets/sheet1.xml", f'<worksheet {ns}><dimension ref="A1:B6"/><sheetData>'
                    + "".join(rows) + "</sheetData></worksheet>")  # fmt: skip


def test_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "sheet.xlsx"
    _xlsx(path)
    ins = inspect_file(path)
    md = ins.metadata
    assert md["format"] == "XLSX"
    assert md["fields"] == ["data", "ricoverati"]
    assert md["record_count"] == 5
    assert md["frequency"] == "daily"
    assert md["period_start"] == "2023-01-01" and md["period_end"] == "2023-01-05"
    check_valid(ins)


def test_png_size(tmp_path: Path) -> None:
    path = tmp_path / "map.png"
    ihdr = struct.pack(">IIBBBBB", 640, 480, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + b"\0" * 20)
    ins = inspect_file(path)
    assert ins.metadata == {"format": "image"}
    assert ins.details["image_size"] == {"width": 640, "height": 480}


def test_plain_text_is_other(tmp_path: Path) -> None:
    path = tmp_path / "README"
    path.write_text("Some notes about the data.\n")
    ins = inspect_file(path)
    assert ins.metadata["format"] == "other"
    assert ins.preview.kind == "text" and "notes" in ins.preview.text


# -- building blocks -------------------------------------------------------------------------------------


def test_region_names_are_normalised() -> None:
    assert normalise_region("P.A. Bolzano") == "P.A. Bolzano"
    assert normalise_region("Provincia Autonoma Bolzano / Bozen") == "P.A. Bolzano"
    assert normalise_region("Valle d'Aosta / Vallée d'Aoste") == "Valle d'Aosta"
    assert normalise_region("Friuli-Venezia Giulia") == "Friuli Venezia Giulia"
    assert normalise_region("Trentino-Alto Adige/Südtirol") == "Trentino-Alto Adige"
    assert normalise_region("EMILIA ROMAGNA") == "Emilia-Romagna"
    assert normalise_region("Lombardy") == "Lombardia"
    assert normalise_region("Nord-ovest") is None


@pytest.mark.parametrize(
    ("lat", "lon", "region"),
    [
        (45.46, 9.19, "Lombardia"),  # Milan
        (41.90, 12.50, "Lazio"),  # Rome
        (40.85, 14.27, "Campania"),  # Naples
        (38.12, 13.36, "Sicilia"),  # Palermo
        (46.50, 11.35, "P.A. Bolzano"),
        (45.74, 7.32, "Valle d'Aosta"),
        (39.22, 9.11, "Sardegna"),  # Cagliari
    ],
)
def test_points_in_italy(lat: float, lon: float, region: str) -> None:
    place = locate(lat, lon)
    assert place is not None and place.region == region


def test_bbox_over_land_and_sea() -> None:
    from planet_gui.core.inspect.area import describe_bbox

    points = [(lat / 4, lon / 4) for lat in range(164, 171) for lon in range(46, 55)]
    found = describe_bbox((11.5, 41.0, 13.5, 42.5), points)  # Rome and the sea off Lazio
    assert "Lazio" in found.regions and found.state == "Italy"
    assert describe_bbox((-180.0, -90.0, 180.0, 90.0)).area == "Global"
    assert describe_bbox((6.5, 36.0, 18.6, 47.1)).area == "Italy"
    assert describe_bbox((-10.0, 35.0, 30.0, 60.0)).area == "Europe"


def test_points_outside_italy() -> None:
    lugano = locate(46.00, 8.95)
    assert lugano is not None and lugano.region is None and lugano.country == "Switzerland"
    assert locate(48.86, 2.35) is None  # Paris: far from the table
    assert locate(40.0, 5.0) is None  # open sea


def _series(step_hours: float, n: int) -> list[Any]:
    from datetime import datetime, timedelta

    return [datetime(2020, 1, 1) + timedelta(hours=step_hours * i) for i in range(n)]


@pytest.mark.parametrize(
    ("step", "frequency"),
    [(1, "hourly"), (3, "3-hourly"), (24, "daily"), (24 * 7, "weekly"), (24 * 365, "yearly")],
)
def test_frequencies(step: float, frequency: str) -> None:
    summary = summarise(_series(step, 50) * 3)  # repeated timestamps: panel data
    assert summary is not None and summary.frequency == frequency
    assert summary.steps == 50


def test_monthly_irregular_snapshot() -> None:
    from datetime import datetime

    monthly = [datetime(2020, m, 1) for m in range(1, 13)]
    assert (s := summarise(monthly)) is not None and s.frequency == "monthly"
    assert (s := summarise(_series(6, 20))) is not None and s.frequency == "irregular"  # 6-hourly
    odd = [datetime(2020, 1, d) for d in (1, 2, 5, 6, 15, 28)]
    assert (s := summarise(odd)) is not None and s.frequency == "irregular"
    assert (s := summarise([datetime(2020, 1, 1)] * 5)) is not None and s.frequency == "snapshot"
    assert summarise([]) is None


def test_quote_aware_record_count(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_bytes(b'a,b\r\n1,"x\r\ny"\r\n\r\n2,"say ""hi"""\r\n3,z')
    assert count_records(path, quoted=True) == 4  # header + 3 records, blank line skipped
    assert count_records(path, quoted=True, chunk_size=3) == 4
    assert count_records(path, quoted=False) == 5
