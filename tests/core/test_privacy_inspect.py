"""The metadata follows the scan: inspection sets personal_data from the findings, keeps them in the details, and
never takes dates of birth for the time of the data."""

from __future__ import annotations

from pathlib import Path

from faker import Faker

from planet_gui.core.privacy.inspection import inspect_and_scan as inspect_file
from tests.core.conftest import SmallData


def _clinical(path: Path, *, header: list[str], rows: int = 200) -> Path:
    """The issue's table: a clinician's export with an admission date after the birth date."""
    fake = Faker("it_IT")
    fake.seed_instance(5)
    lines = [",".join(header)]
    for _ in range(rows):
        admitted = fake.date_between(start_date="-2y", end_date="-1d").isoformat()
        lines.append(",".join([fake.first_name(), fake.last_name(), fake.ssn(), fake.date_of_birth().isoformat(),
                               fake.numerify("3#########"), fake.email(), "J45.9", admitted]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_birth_date_header_is_never_the_time_axis(tmp_path: Path) -> None:
    header = ["nome", "cognome", "codice_fiscale", "data_nascita", "telefono", "email", "diagnosi", "data_ricovero"]
    inspection = _clinical(tmp_path / "ricoveri.csv", header=header)
    found = inspect_file(inspection)
    assert found.metadata["personal_data"] is True
    assert found.metadata["time_field"] == "data_ricovero"
    assert found.metadata["period_start"] >= "2020"  # admissions, not births
    scan = found.details["personal_data"]
    assert scan["personal_data"] is True and scan["scope"] == "full"
    kinds = {f["column"]: f["kind"] for f in scan["findings"]}
    assert kinds == {"nome": "person_name", "cognome": "person_name", "codice_fiscale": "codice_fiscale",
                     "data_nascita": "birth_date", "telefono": "phone", "email": "email"}
    assert any("Personal data found" in warning for warning in found.warnings)


def test_birth_dates_known_by_their_values_lose_the_time_axis(tmp_path: Path) -> None:
    header = ["a", "b", "c", "d", "e", "f", "g", "h"]
    path = _clinical(tmp_path / "export.csv", header=header)
    text = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(",".join(line.split(",")[:7]) for line in text) + "\n", encoding="utf-8")  # no h
    found = inspect_file(path)
    assert found.metadata["personal_data"] is True
    assert "d" in {f["column"] for f in found.details["personal_data"]["findings"] if f["kind"] == "birth_date"}
    assert "time_field" not in found.metadata and "period_start" not in found.metadata
    assert any("holds dates of birth" in warning for warning in found.warnings)


def test_public_data_is_inspected_as_not_personal(testdata: Path) -> None:
    for path in sorted((testdata / "csv").glob("*.csv")) + sorted((testdata / "json").glob("*.json")):
        found = inspect_file(path)
        assert found.metadata["personal_data"] is False, path.name
        assert found.details["personal_data"]["findings"] == []
    netcdf = inspect_file(testdata / "netcdf" / "tiny.nc")
    assert "personal_data" not in netcdf.metadata  # nothing a scan can read: the schema's default applies


def test_public_data_made_here_is_inspected_as_not_personal(small_data: SmallData) -> None:
    """The same without ../shared: regional and national series name places and counts, not people."""
    for path in (small_data.national_csv, small_data.regions_csv, small_data.regions_json):
        found = inspect_file(path)
        assert found.metadata["personal_data"] is False, path.name
        assert found.details["personal_data"]["findings"] == []
    assert "personal_data" not in inspect_file(small_data.netcdf).metadata
