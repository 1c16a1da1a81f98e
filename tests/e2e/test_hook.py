"""The validation hook, driven directly with its service keys: it never replaces validated data."""

from __future__ import annotations

import io

import pytest

from planet_gui.core.schema import load_schema
from planet_gui.hook.config import from_mapping
from planet_gui.hook.service import ValidationHook
from tests.conftest import Lake

pytestmark = pytest.mark.e2e

VALID = {"category": "Other", "source": "PLANET tests", "area": "Italy", "frequency": "none",
         "format": "other", "personal_data": False}


def test_same_key_twice_sends_the_second_to_triage(lake: Lake) -> None:
    schema = load_schema()
    admin = lake.admin()
    # buckets of its own, so the polling hook other tests run never takes these objects first
    names = {"RAW_BUCKET": "hook-raw", "VALIDATED_BUCKET": "hook-validated", "TRIAGE_BUCKET": "hook-triage"}
    for bucket in names.values():
        if not admin.bucket_exists(bucket):
            admin.make_bucket(bucket)
    hook = ValidationHook(admin, from_mapping({**lake.hook_env(), **names}), schema)
    key = "Other/PLANET tests/alice/hook-same-key.txt"
    for body in (b"first version", b"second version"):
        admin.put_object("hook-raw", key, io.BytesIO(body), len(body), metadata=dict(schema.to_s3(VALID)))
        verdict = hook.process(key)
        assert verdict is not None
    assert verdict.destination == "hook-triage" and "already validated" in verdict.problems[0]
    assert admin.get_object("hook-validated", key).read() == b"first version"  # untouched
    assert admin.get_object("hook-triage", key).read() == b"second version"
