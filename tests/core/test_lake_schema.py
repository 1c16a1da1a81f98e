"""The document the hook publishes (its schema and rule set) and how a client reads it: what it enforces comes
back whole, and anything else is refused with a reason (the client then falls back; see the e2e tests)."""

from __future__ import annotations

import json

import pytest

from planet_gui.core import lake_schema
from planet_gui.core.errors import SchemaError
from planet_gui.core.rules import load_rules
from planet_gui.core.schema import load_schema


def test_what_the_hook_publishes_reads_back_as_the_schema_it_enforces() -> None:
    schema = load_schema()
    rules = load_rules(plugins=False)
    found = lake_schema.parse(lake_schema.document(schema, rules.describe(), rules.version), "lake")
    assert found.schema == schema and found.schema.digest == schema.digest
    assert found.rules == ("period-order", "csv-records", "netcdf-time-in-period")
    assert found.rules_version == rules.version and found.origin == "lake" and found.note is None
    assert found.schema.problems({"period_start": "x"}) == schema.problems({"period_start": "x"})


@pytest.mark.parametrize(("body", "says"), [
    (b"\xff\xfe", "not JSON"),
    (b"[1, 2]", "not in a format"),
    (json.dumps({"planet_lake_schema": 2}).encode(), "not in a format"),
    (json.dumps({"planet_lake_schema": 1, "schema": {"fields": [{"name": "x"}]}}).encode(), "lacks 's3_key'"),
    (json.dumps({"planet_lake_schema": 1, "schema": "text"}).encode(), "not a schema document"),
    (b" " * (lake_schema.MAX_BYTES + 1), "over 1024 KiB"),
])
def test_a_document_that_is_not_one_is_refused(body: bytes, says: str) -> None:
    with pytest.raises(SchemaError, match=says):
        lake_schema.parse(body, "validated/.planet/schema.json")
