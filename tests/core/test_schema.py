import pytest

from planet_gui.core import metadata_codec
from planet_gui.core.errors import MetadataInvalid
from planet_gui.core.schema import load_schema

SCHEMA = load_schema()
VALID = {
    "category": "COVID-19",
    "source": "Protezione Civile (DPC)",
    "area": "Italy",
    "frequency": "daily",
    "format": "CSV",
    "personal_data": False,
}


def test_schema_keeps_the_lake_keys() -> None:
    keys = {spec.s3_key for spec in SCHEMA.fields}
    assert {"Info_field", "Info_region", "Info_state", "Len", "Result_fields", "Result_key", "Type"} <= keys
    assert SCHEMA.field("category").values == (
        "Meteorological", "Atmosphere", "Sociological", "Demographic", "COVID-19", "Clinical", "Other")
    assert all(spec.label.get("it") for spec in SCHEMA.fields)


def test_valid_metadata_has_no_problems() -> None:
    assert SCHEMA.problems(VALID) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"category": None}, "Category (category) is required"),
        ({"category": "Weather"}, "must be one of"),
        ({"record_count": -1}, "must be at least 0"),
        ({"record_count": "12"}, "whole number"),
        ({"period_start": "yesterday"}, "ISO 8601"),
        ({"sha256": "abc"}, "expected form"),
        ({"colour": "blue"}, "not a field"),
    ],
)
def test_each_problem_is_reported(change: dict, expected: str) -> None:
    values = {**VALID, **change}
    problems = SCHEMA.problems(values)
    assert any(expected in p for p in problems), problems
    with pytest.raises(MetadataInvalid):
        SCHEMA.validate(values)


def test_problems_speak_the_readers_language() -> None:
    values = {**VALID, "category": None, "record_count": -1, "colour": "blue"}
    italian = SCHEMA.problems(values, "it")
    assert italian == ["Categoria (category): campo obbligatorio", "Record (record_count) deve essere almeno 0",
                       "colour non è un campo dello schema planet-metadata"]
    assert SCHEMA.problems(values) == SCHEMA.problems(values, "fr")  # English where no translation exists
    assert SCHEMA.problems(values)[0] == "Category (category) is required"


def test_s3_round_trip_with_accents_and_lists() -> None:
    values = {
        **VALID,
        "area": "Valle d'Aosta / Vallée d'Aoste — Emilia-Romagna",
        "description": "Dati giornalieri\nsu più righe, con l'accento: è",
        "fields": ["data", "denominazione_regione", "nome, con virgola", "età"],
        "record_count": 1781,
        "period_start": "2020-02-24T18:00:00",
    }
    headers = SCHEMA.to_s3(values)
    assert all(v.isascii() for v in headers.values())
    # servers return keys lower-cased and prefixed; reading must not depend on case
    returned = {f"X-Amz-Meta-{k.lower()}": v for k, v in headers.items()}
    assert SCHEMA.from_s3(returned) == values


@pytest.mark.parametrize("text", ["plain", "è", "=?UTF-8?B?looks-encoded?=", " padded ", "tab\there", ""])
def test_codec_round_trips(text: str) -> None:
    encoded = metadata_codec.encode(text)
    assert encoded.isascii()
    assert metadata_codec.decode(encoded) == text


def test_coerce_user_text() -> None:
    assert SCHEMA.coerce("record_count", " 42 ") == 42
    assert SCHEMA.coerce("personal_data", "sì") is True
    assert SCHEMA.coerce("fields", "a, b\\,c") == ["a", "b,c"]
    with pytest.raises(MetadataInvalid):
        SCHEMA.coerce("record_count", "many")
