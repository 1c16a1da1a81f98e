"""The metadata PLANET's lake already holds (written by its own tools) reads back right: ``Info_field`` is the
data's subject, the time column has its own key, and the values other tools wrote (``Type: json``,
``Result_fields: [note denominazione ...]``) become the form's values, valid against the schema."""

from __future__ import annotations

import pytest

from planet_gui.core import metadata_codec
from planet_gui.core.schema import load_schema

SCHEMA = load_schema()

#: as PLANET's objects carry them (x-amz-meta- headers, as a server returns them)
PLANET_HEADERS = {
    "X-Amz-Meta-Info_field": "coronavirus",
    "X-Amz-Meta-Info_region": "Umbria",
    "X-Amz-Meta-Info_state": "Italy",
    "X-Amz-Meta-Len": "15",
    "X-Amz-Meta-Result_fields": "[note denominazione totale_casi]",
    "X-Amz-Meta-Result_key": "results",
    "X-Amz-Meta-Type": "json",
}


def test_info_field_is_the_subject_and_the_time_column_has_its_own_key() -> None:
    assert SCHEMA.field("subject").s3_key == "Info_field"
    assert SCHEMA.field("time_field").s3_key == "Time_field"
    headers = SCHEMA.to_s3({"subject": "coronavirus", "time_field": "data"})
    assert headers == {"Info_field": "coronavirus", "Time_field": "data"}


def test_planet_objects_read_back_as_form_values() -> None:
    values = SCHEMA.from_s3(PLANET_HEADERS)
    assert values == {
        "subject": "coronavirus",
        "regions": ["Umbria"],
        "state": "Italy",
        "record_count": 15,
        "fields": ["note", "denominazione", "totale_casi"],
        "result_key": "results",
        "format": "JSON",
    }
    assert "time_field" not in values
    # no problem comes from the lake's own keys: only the fields PLANET's tools never wrote are missing
    problems = SCHEMA.problems(values)
    assert all("required" in problem for problem in problems), problems


@pytest.mark.parametrize(("stored", "expected"), [
    ("[note denominazione]", ["note", "denominazione"]),
    ('["note", "denominazione"]', ["note", "denominazione"]),
    ("['note', 'denominazione']", ["note", "denominazione"]),
    ("[note, denominazione]", ["note", "denominazione"]),
    ("note,denominazione", ["note", "denominazione"]),
    ("[]", []),
])
def test_lists_in_the_forms_other_tools_write(stored: str, expected: list[str]) -> None:
    assert SCHEMA.from_s3({"Result_fields": stored})["fields"] == expected


def test_what_the_app_writes_reads_back_unchanged() -> None:
    values = {"subject": "qualità dell'aria", "time_field": "data", "fields": ["a,b", "c"], "format": "netCDF",
              "record_count": 3}
    headers = SCHEMA.to_s3(values)
    assert metadata_codec.decode(headers["Info_field"]) == "qualità dell'aria"
    assert SCHEMA.from_s3(headers) == values


def test_an_enum_in_an_unknown_spelling_is_kept_for_validation_to_report() -> None:
    values = SCHEMA.from_s3({"Type": "feather"})  # a format the schema does not list
    assert values["format"] == "feather"
    assert any("Format (format) must be one of" in problem for problem in SCHEMA.problems(values))
