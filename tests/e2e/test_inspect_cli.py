"""`planet-lake inspect --json` over every real test file, and its errors for files it cannot read."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import cli

PROFILE = Path(__file__).resolve().parents[2] / "resources" / "profiles" / "local-test.toml"


def test_inspect_json_for_every_testdata_file(testdata: Path) -> None:
    files = sorted(p for p in testdata.rglob("*") if p.is_file() and p.name != "SOURCES.md")
    assert len(files) >= 10
    result = cli(PROFILE, "inspect", "--json", *map(str, files))
    assert result.returncode == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(o["path"]).name for o in objects] == [f.name for f in files]
    for obj in objects:
        assert obj["metadata"]["format"] in {"CSV", "JSON", "netCDF", "PDF", "XLSX", "image", "other"}


def test_inspect_missing_file_is_one_clear_line(tmp_path: Path) -> None:
    result = cli(PROFILE, "inspect", "--json", str(tmp_path / "nope.csv"))
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "nope.csv" in lines[0]
    assert "Traceback" not in result.stderr


def test_inspect_a_folder_lists_the_files_inside_it(testdata: Path) -> None:
    folder = testdata / "csv"
    expected = sorted(p.name for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    assert expected, "the shared test data has no CSV folder"
    result = cli(PROFILE, "inspect", "--json", str(folder))
    assert result.returncode == 0, result.stderr
    assert sorted(Path(json.loads(line)["path"]).name for line in result.stdout.splitlines()) == expected


def test_inspect_an_empty_folder_is_one_clear_line(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder.csv"
    folder.mkdir()
    (folder / ".hidden.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    result = cli(PROFILE, "inspect", str(folder))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "a-folder.csv" in lines[0] and "no files" in lines[0]
    assert "Traceback" not in result.stderr


def test_inspect_default_output_is_a_table(testdata: Path) -> None:
    files = [testdata / "csv" / "dpc-covid19-ita-regioni-latest.csv",
             testdata / "netcdf" / "cams_global_reanalysis_milan_2020.nc"]
    result = cli(PROFILE, "inspect", *map(str, files))
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.split() == ["FILE", "FORMAT", "RECORDS", "FREQUENCY", "PERIOD", "CATEGORY", "SOURCE", "AREA"]
    assert rows[0].split()[:4] == ["dpc-covid19-ita-regioni-latest.csv", "CSV", "21", "snapshot"]
    assert rows[1].split()[1:4] == ["netCDF", "2928", "3-hourly"]
    assert "2020-01-01 00:00 → 2020-12-31 21:00" in rows[1]
