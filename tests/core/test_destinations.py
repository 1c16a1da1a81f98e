"""Destinations (where data may go) as the profile and the hook read them, and the keys they give."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from planet_gui.core import lake
from planet_gui.core.destinations import Buckets, Location, destination_of, parse_destinations
from planet_gui.core.errors import ProfileError
from planet_gui.core.keys import build_key
from planet_gui.core.profile import parse_profile
from planet_gui.hook.config import for_destination, from_mapping, load_config, serving

BASE: dict[str, Any] = {"name": "t", "oidc": {"issuer": "http://127.0.0.1:1", "client_id": "c"},
                        "s3": {"endpoint": "127.0.0.1:2", "secure": False}}
EPIDEMIOLOGICI = {"name": "Epidemiologici", "raw": "alice", "prefix": "Epidemiologici-raw",
                  "validated": "planet-validated", "validated_prefix": "Epidemiologici/",
                  "triage": "planet-triage", "triage_prefix": "Epidemiologici/"}
KEYS = {"ENDPOINT": "http://127.0.0.1:9000", "ACCESSKEYID": "hook", "SECRETACCESSKEY": "secret"}


def test_a_profile_without_destinations_has_one_default_destination() -> None:
    profile = parse_profile({**BASE, "buckets": {"raw": "r", "validated": "v", "triage": "t"}})
    (only,) = profile.places
    assert only.name == "default" and only.buckets == Buckets("r", "v", "t")
    assert only.raw == Location("r", "") and profile.destination().name == "default"
    assert only.raw_key("a/b/alice/f.csv") == "a/b/alice/f.csv"


def test_destinations_give_keys_below_their_prefixes() -> None:
    profile = parse_profile({**BASE, "destinations": [{"name": "Generale"}, EPIDEMIOLOGICI]})
    assert [d.name for d in profile.places] == ["Generale", "Epidemiologici"]
    place = profile.destination("Epidemiologici")
    assert place.raw == Location("alice", "Epidemiologici-raw/")  # a missing final / is added
    raw_key = place.raw_key(build_key(profile.key_template, {"category": "COVID-19", "source": "ISS"},
                                      user="alice", filename="casi.csv"))
    assert raw_key == "Epidemiologici-raw/COVID-19/ISS/alice/casi.csv"
    assert place.key_in("planet-validated", raw_key) == "Epidemiologici/COVID-19/ISS/alice/casi.csv"
    assert place.key_in("planet-triage", raw_key) == "Epidemiologici/COVID-19/ISS/alice/casi.csv"
    assert place.key_in("alice", raw_key) == raw_key
    assert destination_of(profile.places, raw_key) is place
    assert destination_of(profile.places, "COVID-19/ISS/alice/casi.csv").name == "Generale"
    with pytest.raises(ProfileError, match="has no destination ISTAT; it has Generale, Epidemiologici"):
        profile.destination("ISTAT")


@pytest.mark.parametrize(("tables", "says"), [
    ([{"raw": "x"}], "has no name"),
    ([{"name": "a"}, {"name": "a", "raw": "x", "validated": "y", "triage": "z"}], "two destinations"),
    ([{"name": "a", "prefix": "../up"}], "not a folder prefix"),
    ([{"name": "a", "prefix": "a/*/b"}], "not a folder prefix"),
    ([{"name": "a", "raw": "same", "validated": "same", "triage": "t"}], "three different buckets"),
    ([{"name": "a"}, {"name": "b", "prefix": "sub/"}], "overlaps"),  # raw/ holds raw/sub/
    ([{"name": "a", "raw": "x", "validated": "v1", "triage": "t1"},
      {"name": "b", "raw": "v1", "validated": "v2", "triage": "t2"}], "overlaps"),
    ("Generale", "list of tables"),
])
def test_bad_destinations_are_refused_with_their_reason(tables: Any, says: str) -> None:
    with pytest.raises(ProfileError, match=says):
        parse_destinations(tables, Buckets(), where="p.toml")


def test_the_hook_reads_destinations_from_the_environment_and_from_toml(tmp_path: Path) -> None:
    config = from_mapping({**KEYS, "DESTINATIONS": json.dumps([{"name": "Generale"}, EPIDEMIOLOGICI]),
                           "RULES": "one.rules, two.rules"})
    assert [d.name for d in config.places] == ["Generale", "Epidemiologici"]
    assert config.rule_modules == ("one.rules", "two.rules")
    epidemic = for_destination(config, config.places[1])
    assert epidemic.buckets == Buckets("alice", "planet-validated", "planet-triage")
    # the uploader is still taken from the {user} folder, below the prefix
    assert lake.owner_of("Epidemiologici-raw/COVID-19/ISS/alice/casi.csv", epidemic.key_template) == "alice"
    assert lake.owner_of("COVID-19/ISS/alice/casi.csv", epidemic.key_template) is None

    event = serving(config, "alice", "Epidemiologici-raw/COVID-19/ISS/alice/casi.csv")
    assert event is not None and event.destination.name == "Epidemiologici"
    assert serving(config, "alice", "Altro/COVID-19/ISS/alice/casi.csv") is None
    assert serving(config, "nobody", "x") is None
    general = serving(config, "raw", "COVID-19/ISS/alice/casi.csv")
    assert general is not None and general.destination.name == "Generale"

    path = tmp_path / "hook.toml"
    path.write_text('rules = ["lake.rules"]\n\n[[destinations]]\nname = "ISTAT"\nraw = "istat"\n'
                    'prefix = "ISTAT-raw/"\nvalidated = "istat-ok"\ntriage = "istat-ko"\n', encoding="utf-8")
    loaded = load_config(path, environ=KEYS)
    assert [(d.name, str(d.raw), str(d.validated)) for d in loaded.places] == [
        ("ISTAT", "istat/ISTAT-raw/", "istat-ok/ISTAT-raw/")]
    assert loaded.buckets.raw == "istat" and loaded.rule_modules == ("lake.rules",)
    plain = from_mapping({**KEYS, "RAW_BUCKET": "r"})
    assert [str(d.raw) for d in plain.places] == ["r/"] and plain.destinations == ()
    with pytest.raises(ProfileError, match="JSON list"):
        from_mapping({**KEYS, "DESTINATIONS": "[{"})
