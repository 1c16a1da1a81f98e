from pathlib import Path

import pytest

from planet_gui.core.errors import ProfileError
from planet_gui.core.keys import build_key
from planet_gui.core.profile import load_profile, parse_profile
from planet_gui.core.resources import resource_path

BASE = {
    "oidc": {"issuer": "https://iam.example.org/", "client_id": "app"},
    "s3": {"endpoint": "s3.example.org:9000"},
}


@pytest.mark.parametrize("name", ["infn-planet.toml", "local-test.toml"])
def test_shipped_profiles_load(name: str) -> None:
    profile = load_profile(resource_path("profiles", name))
    assert profile.buckets.raw and profile.buckets.validated and profile.buckets.triage
    assert "{filename}" in profile.key_template


def test_profile_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.toml"
    path.write_text('name = "envp"\n[oidc]\nissuer = "https://i.example/"\nclient_id = "c"\n'
                    '[s3]\nendpoint = "h:1"\n', encoding="utf-8")
    monkeypatch.setenv("PLANET_PROFILE", str(path))
    profile = load_profile()
    assert profile.name == "envp"
    assert profile.s3.secure is True  # TLS is on unless a profile says otherwise
    # the login is bound to where its tokens go (provider, client, storage endpoint), not to the name (issue 14)
    assert profile.keyring_service == "planet-uploader:https://i.example#c@h:1"
    assert profile.legacy_keyring_service == "planet-uploader:envp"
    renamed = parse_profile({**BASE, "name": "other-name"})
    same_places = parse_profile({**BASE, "name": "envp"})
    other_lake = parse_profile({**BASE, "s3": {"endpoint": "s3.elsewhere.example:9000"}})
    assert renamed.keyring_service == same_places.keyring_service  # the name plays no part
    assert other_lake.keyring_service != same_places.keyring_service


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"oidc": {"issuer": "http://iam.example.org/", "client_id": "a"}}, "https://"),
        ({"oidc": {"issuer": "https://iam.example.org/", "client_id": "a", "sts_token": "refresh"}}, "sts_token"),
        ({"s3": {"endpoint": "https://s3:9000"}}, "host:port"),
        ({"keys": {"template": "{category}/x"}}, "{filename}"),
    ],
)
def test_bad_profiles_are_explained(patch: dict, message: str) -> None:
    with pytest.raises(ProfileError, match=message.replace("{", r"\{").replace("}", r"\}")):
        parse_profile({**BASE, **patch})


def test_missing_profile_says_where(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="No profile at"):
        load_profile(tmp_path / "absent.toml")


def test_keys_are_sanitised() -> None:
    key = build_key("{category}/{source}/{user}/{filename}",
                    {"category": "COVID-19", "source": "../../etc"}, user="alice", filename="e\u0301\x00tà.csv")
    parts = key.split("/")
    assert ".." not in parts and "." not in parts
    assert "\x00" not in key
    assert parts[-1] == "\u00e9_tà.csv"  # NFC: e + combining accent becomes é
    assert parts[0] == "COVID-19" and parts[2] == "alice"


def test_missing_template_values_are_marked_unknown() -> None:
    assert build_key("{category}/{filename}", {}, user="u", filename="f.csv") == "unknown/f.csv"


def test_profiles_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from planet_gui.core.profile import list_profiles, profiles_dir, resolve_profile_path

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    folder = profiles_dir()
    folder.mkdir(parents=True)
    for name in ("test-lake", "infn"):
        (folder / f"{name}.toml").write_text(
            f'name = "{name}"\n[oidc]\nissuer = "https://i.example/"\nclient_id = "c"\n[s3]\nendpoint = "h:1"\n',
            encoding="utf-8")
    assert [p.stem for p in list_profiles()] == ["infn", "test-lake"]
    assert load_profile("test-lake").name == "test-lake"
    assert resolve_profile_path("missing") == Path("missing")
