"""The decision before an upload: warn lets a flagged file through marked personal; block wants who and why; a
file declared free of personal data against the findings wants a reason under either policy."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from planet_gui.core.errors import ProfileError
from planet_gui.core.privacy.policy import PersonalDataBlocked, needs_confirmation, review
from planet_gui.core.profile import parse_profile

SCAN = {"personal_data": True, "kinds": ["codice_fiscale", "email"],
        "findings": [{"column": "cf", "kind": "codice_fiscale"}, {"column": "mail", "kind": "email"}]}
CLEAN = {"personal_data": False, "kinds": [], "findings": []}
NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)


def test_warn_lets_it_through_marked_personal() -> None:
    values = review("warn", SCAN, {"category": "Clinical"}, who="alice")
    assert values == {"category": "Clinical", "personal_data": True}
    assert not needs_confirmation("warn", SCAN, {"personal_data": True})


def test_block_wants_a_reason_and_records_who_and_why() -> None:
    assert needs_confirmation("block", SCAN, {"personal_data": True})
    with pytest.raises(PersonalDataBlocked, match=r"codice_fiscale, email, in cf, mail"):
        review("block", SCAN, {"personal_data": True}, who="alice")
    with pytest.raises(PersonalDataBlocked):
        review("block", SCAN, {"personal_data": True}, who="alice", reason="  ok ")  # too short to be a reason
    values = review("block", SCAN, {"personal_data": True}, who="alice (sub 42)", reason="Ethics approval 7/2026",
                    now=NOW)
    assert values["personal_data"] is True
    assert values["personal_data_confirmation"] == \
        "alice (sub 42) at 2026-12-02T03:00:00Z [found: codice_fiscale, email]: Ethics approval 7/2026"


def test_declared_without_needs_a_reason_under_either_policy() -> None:
    for policy in ("warn", "block"):
        with pytest.raises(PersonalDataBlocked, match="declared without"):
            review(policy, SCAN, {"personal_data": False}, who="alice")
        values = review(policy, SCAN, {"personal_data": False}, who="alice", reason="Codes are synthetic test data")
        assert values["personal_data"] is False and "synthetic" in values["personal_data_confirmation"]


def test_clean_files_need_nothing() -> None:
    assert review("block", CLEAN, {"personal_data": False}, who="alice") == {"personal_data": False}
    assert review("block", None, {}, who="alice") == {}


def test_profile_policy() -> None:
    raw = {"oidc": {"issuer": "https://iam.example.org/", "client_id": "x"}, "s3": {"endpoint": "s3.example.org"}}
    assert parse_profile(raw).personal_data_policy == "warn"
    assert parse_profile({**raw, "personal_data_policy": "block"}).personal_data_policy == "block"
    with pytest.raises(ProfileError, match="personal_data_policy"):
        parse_profile({**raw, "personal_data_policy": "maybe"})
