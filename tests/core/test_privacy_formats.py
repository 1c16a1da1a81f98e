"""Personal data in the formats read by a library (Parquet, Stata, SPSS, ODS, legacy XLS) and in compressed tables
(.csv.gz, .csv.zip): the pre-upload scan (the rows inspection already read), the full scan and the metadata find
every planted identifier column, by header and by values alone."""

from __future__ import annotations

import gzip
import io
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from planet_gui.core.privacy import scan_file, scan_stream
from planet_gui.core.privacy.inspection import inspect_and_scan
from tests.core.privacy_tables import COLUMNS, EXPECTED, people, write_csv

NEUTRAL = [f"col{index + 1}" for index in range(len(COLUMNS))]
EXPECTED_NEUTRAL = {f"col{COLUMNS.index(name) + 1}": kind for name, kind in EXPECTED.items()}
KINDS = ["parquet", "stata", "spss", "sas", "ods", "xls", "gzip", "zip"]
_SUFFIX = {"parquet": ".parquet", "stata": ".dta", "spss": ".sav", "sas": ".xpt", "ods": ".ods", "xls": ".xls",
           "gzip": ".csv.gz", "zip": ".csv.zip"}
_BIRTH = COLUMNS.index("data_nascita")


@pytest.fixture(scope="module")
def rows() -> list[list[str]]:
    return people(700)


def _frame(rows: list[list[str]], columns: list[str]) -> Any:
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns)
    birth = columns[_BIRTH]
    frame[birth] = pd.to_datetime(frame[birth], format="%d/%m/%Y")  # a real date, as these formats keep it
    return frame


def write(kind: str, folder: Path, rows: list[list[str]], columns: list[str]) -> Path:
    path = folder / f"pazienti{_SUFFIX[kind]}"
    frame = _frame(rows, columns)
    if kind == "parquet":
        frame.to_parquet(path, row_group_size=300)  # several row groups
    elif kind == "stata":
        frame.to_stata(path, write_index=False, convert_dates={columns[_BIRTH]: "td"})
    elif kind == "spss":
        import pyreadstat

        frame[columns[_BIRTH]] = frame[columns[_BIRTH]].dt.date  # an SPSS DATE variable
        pyreadstat.write_sav(frame, str(path))
    elif kind == "sas":
        import pyreadstat

        frame[columns[_BIRTH]] = frame[columns[_BIRTH]].dt.date
        pyreadstat.write_xport(frame, str(path), file_format_version=8)  # names longer than SAS 5's 8 letters
    elif kind == "ods":
        frame.to_excel(path, engine="odf", index=False)
    elif kind == "xls":
        import xlwt

        book = xlwt.Workbook()
        sheet = book.add_sheet("pazienti")
        dated = xlwt.easyxf(num_format_str="DD/MM/YYYY")
        for col, name in enumerate(columns):
            sheet.write(0, col, name)
        for number, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                if col == _BIRTH:
                    sheet.write(number, col, datetime.strptime(value, "%d/%m/%Y"), dated)
                else:
                    sheet.write(number, col, value)
        book.save(str(path))
    elif kind == "gzip":
        plain = write_csv(folder / "plain.csv", rows, columns=columns)
        path.write_bytes(gzip.compress(plain.read_bytes()))
    else:
        plain = write_csv(folder / "plain.csv", rows, columns=columns, delimiter=";")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(plain, "pazienti.csv")
    return path


def _found(findings: list[dict[str, Any]]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for finding in findings:
        found.setdefault(finding["column"], set()).add(finding["kind"])
    return found


def _assert_all_found(findings: list[dict[str, Any]], expected: dict[str, str]) -> None:
    found = _found(findings)
    missing = {column: kind for column, kind in expected.items() if kind not in found.get(column, set())}
    assert not missing, f"not found: {missing}; found: {found}"
    extra = {column: kinds for column, kinds in found.items() if column not in expected}
    assert not extra, f"flagged columns that hold no personal data: {extra}"


@pytest.mark.parametrize("named", [True, False], ids=["named", "neutral"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_planted_column_is_found(tmp_path: Path, rows: list[list[str]], kind: str, named: bool) -> None:
    columns, expected = (COLUMNS, EXPECTED) if named else (NEUTRAL, EXPECTED_NEUTRAL)
    path = write(kind, tmp_path, rows, columns)

    inspection = inspect_and_scan(path)  # before upload: the rows inspection read, within its time
    assert inspection.metadata["personal_data"] is True
    scan = inspection.details["personal_data"]
    assert scan["scope"] == "sample" and 300 <= scan["rows"] <= 500  # Parquet: the first row group's rows
    assert scan["format"] == kind  # not "csv" for a .csv.gz: the app offers to pseudonymise a plain CSV only
    _assert_all_found(scan["findings"], expected)

    full = scan_file(path, full=True)  # planet-lake scan
    assert full.personal_data and full.full and full.rows == len(rows)
    _assert_all_found([finding.to_json() for finding in full.findings], expected)

    with path.open("rb") as handle:  # the hook: a stream with no file behind it (spooled or unpacked as it comes)
        streamed = scan_stream(_Unseekable(handle), path.name)
    assert streamed.rows == len(rows) and streamed.bytes_read == path.stat().st_size
    _assert_all_found([finding.to_json() for finding in streamed.findings], expected)


def test_birth_dates_of_a_stata_file_are_not_its_time_axis(tmp_path: Path, rows: list[list[str]]) -> None:
    inspection = inspect_and_scan(write("stata", tmp_path, rows, COLUMNS))
    assert inspection.metadata.get("time_field") != "data_nascita"
    assert "period_start" not in inspection.metadata


def test_a_zip_archive_of_several_files_is_not_scanned(tmp_path: Path, rows: list[list[str]]) -> None:
    plain = write_csv(tmp_path / "a.csv", rows[:10])
    path = tmp_path / "archivio.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(plain, "a.csv")
        archive.write(plain, "b.csv")
    report = scan_file(path, full=True)
    assert not report.scanned and report.format == "zip"


def test_a_gzip_bomb_is_refused(tmp_path: Path) -> None:
    from planet_gui.core.privacy import PrivacyScanError

    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb") as packed:
        packed.write(b"a,b\n")
        block = b"0" * (1024 * 1024)
        for _ in range(80):
            packed.write(block)
    path = tmp_path / "bomba.csv.gz"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(PrivacyScanError, match="compression bomb"):
        scan_file(path, full=True)


def test_a_damaged_parquet_is_a_clear_error(tmp_path: Path, rows: list[list[str]]) -> None:
    from planet_gui.core.privacy import PrivacyScanError

    path = write("parquet", tmp_path, rows, COLUMNS)
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\0" * (len(data) - 200) + data[-100:])
    with pytest.raises(PrivacyScanError, match="Parquet"):
        scan_file(path, full=True)


class _Unseekable:
    """An S3 body: read only."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    def read(self, size: int = -1, /) -> bytes:
        return bytes(self.handle.read(size))


def test_json_records_before_upload_use_the_records_inspection_read(tmp_path: Path, rows: list[list[str]]) -> None:
    """The pre-upload scan of JSON takes the records inspection parsed, named as the full scan names them."""
    from tests.core.privacy_tables import write_json

    path = write_json(tmp_path / "pazienti.json", rows)
    inspection = inspect_and_scan(path)
    assert inspection.table_sample is not None
    assert inspection.metadata["personal_data"] is True
    scan = inspection.details["personal_data"]
    assert scan["format"] == "json" and scan["scope"] == "sample"
    expected = {f"records.{name}": kind for name, kind in EXPECTED.items()}
    _assert_all_found(scan["findings"], expected)
    _assert_all_found([f.to_json() for f in scan_file(path, full=True).findings], expected)  # the same names


def test_years_of_birth_and_exact_places_of_people_are_found(tmp_path: Path, rows: list[list[str]]) -> None:
    """Columns of numbers only: years of birth (by the header) and a person's exact coordinates (six decimals)."""
    import random

    rng = random.Random(3)
    lines = ["nome,cognome,anno_nascita,lat,lon,peso"]
    for row in rows[:300]:
        lines.append(f"{row[0]},{row[1]},{rng.randint(1930, 2005)},{rng.uniform(36, 47):.6f},"
                     f"{rng.uniform(6, 18):.6f},{rng.randint(40, 110)}")
    path = tmp_path / "residenti.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for report in (scan_file(path), scan_file(path, full=True)):
        found = _found([finding.to_json() for finding in report.findings])
        assert "birth_date" in found.get("anno_nascita", set()), found
        assert "coordinates" in found.get("lat", set()) | found.get("lon", set()), found
        assert "peso" not in found
