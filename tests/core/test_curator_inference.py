"""What a curator keeps: category and source survive a rename (the columns a publisher's files carry say who made
them), the schema's values are shown in Italian while the stored values stay as they are, and the Italian words
say one thing each ("Stato" is a status, a country is "Paese"; logging out is "Disconnetti", not "Esci")."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from planet_gui.core.errors import SchemaError
from planet_gui.core.inspect import inspect_file
from planet_gui.core.schema import load_schema

ROOT = Path(__file__).resolve().parents[2]
RENAMED = [
    ("csv/dpc-covid19-ita-province-latest.csv", "province-001.csv", "COVID-19", "Protezione Civile (DPC)"),
    ("csv/dpc-covid19-ita-andamento-nazionale.csv", "export.csv", "COVID-19", "Protezione Civile (DPC)"),
    ("csv/dpc-covid19-ita-regioni-latest.csv", "regioni (1).csv", "COVID-19", "Protezione Civile (DPC)"),
    ("csv/somministrazioni-vaccini-latest-2020.csv", "dosi.csv", "COVID-19",
     "Commissario straordinario COVID-19 (vaccini)"),
    ("csv/istat-elenco-comuni-italiani.csv", "comuni.csv", "Demographic", "ISTAT"),
    ("csv/popolazione-istat-regione-range.csv", "pop.csv", "Demographic", "ISTAT"),
    ("netcdf/cams_europe_aq_reanalysis_milan_2020.nc", "milano.nc", "Atmosphere", "CAMS/Copernicus"),
    ("netcdf/cams_global_reanalysis_milan_2020.nc", "global.nc", "Atmosphere", "CAMS/Copernicus"),
]


@pytest.mark.parametrize(("original", "renamed", "category", "source"), RENAMED, ids=[r[1] for r in RENAMED])
def test_a_renamed_copy_keeps_category_and_source(testdata: Path, tmp_path: Path, original: str, renamed: str,
                                                  category: str, source: str) -> None:
    copy = tmp_path / renamed
    shutil.copy(testdata / original, copy)
    found = inspect_file(copy)
    assert (found.metadata.get("category"), found.metadata.get("source")) == (category, source)
    assert (inspect_file(testdata / original).metadata.get("source")) == source  # as the original


def test_a_table_with_only_one_telling_column_gets_no_source(tmp_path: Path) -> None:
    """A hospital's own table with a DPC-like column is not DPC's: one name is not a signature."""
    table = tmp_path / "reparto.csv"
    table.write_text("data,reparto,terapia_intensiva\n2024-01-01,A,3\n2024-01-02,A,4\n", encoding="utf-8")
    assert "source" not in inspect_file(table).metadata


def test_schema_values_have_italian_labels_and_stored_values_stay() -> None:
    schema = load_schema()
    for name in ("category", "frequency"):
        spec = schema.field(name)
        labels = spec.value_labels["it"]
        assert set(labels) == set(spec.values), name  # every value shown in Italian
        assert spec.value_label("Meteorological" if name == "category" else "daily", "it") in (
            "Meteorologica", "giornaliera")
        assert spec.value_label(spec.values[0], "en") == spec.values[0]  # English shows the value itself
    assert schema.field("format").value_label("other", "it") == "altro"
    assert schema.field("format").value_label("CSV", "it") == "CSV"  # names stay names
    headers = schema.to_s3({"category": "Meteorological", "frequency": "daily"})
    assert headers["Category"] == "Meteorological" and headers["Frequency"] == "daily"
    assert schema.problems({"category": "Meteorologica"}, "it")  # a label is not a value


def test_a_label_for_a_value_the_field_lacks_is_refused(tmp_path: Path) -> None:
    raw = json.loads((ROOT / "resources" / "schema" / "planet-metadata.json").read_text(encoding="utf-8"))
    raw["fields"][0]["labels"]["it"]["Astrology"] = "Astrologia"
    broken = tmp_path / "schema.json"
    broken.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(SchemaError) as refused:
        load_schema(broken)
    assert "Astrology" in refused.value.message


def _italian_catalogue() -> dict[str, set[str]]:
    """Italian word -> the English texts it translates (the Qt catalogue and the schema's labels)."""
    found: dict[str, set[str]] = {}
    ts = ROOT / "resources" / "translations" / "planet_it.ts"
    for message in ET.parse(ts).iter("message"):
        found.setdefault(message.findtext("translation") or "", set()).add(message.findtext("source") or "")
    for spec in load_schema().fields:
        found.setdefault(spec.label_for("it"), set()).add(spec.label_for("en"))
    return found


def test_italian_words_mean_one_thing() -> None:
    catalogue = _italian_catalogue()
    assert catalogue["Stato"] == {"Status"}  # the upload's status, never the country
    assert load_schema().field("state").label_for("it") == "Paese"
    assert "Log out" in catalogue["Disconnetti"]
    assert "Esci" not in catalogue  # "Esci" read as quitting the program
