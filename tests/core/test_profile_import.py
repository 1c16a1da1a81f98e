"""Importing the profile a lake's administrators give out: checked first, kept under its name, never replacing
another; the same through ``planet-lake profile``."""

from __future__ import annotations

from pathlib import Path

import pytest

from planet_gui import cli
from planet_gui.core.errors import ProfileError
from planet_gui.core.profile import import_profile, list_profiles, load_profile, profiles_dir
from planet_gui.core.resources import resource_path

GOOD = resource_path("profiles", "infn-planet.toml").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home


def test_a_profile_is_checked_and_kept_under_its_name(tmp_path: Path) -> None:
    given = tmp_path / "downloads" / "Lago PLANET (INFN).toml"
    given.parent.mkdir()
    given.write_text(GOOD, encoding="utf-8")
    kept = import_profile(given)
    assert kept == profiles_dir() / "Lago PLANET -INFN.toml"
    assert kept.read_text(encoding="utf-8") == GOOD
    assert list_profiles() == [kept]
    assert load_profile("Lago PLANET -INFN").s3.endpoint == load_profile(given).s3.endpoint  # --profile NAME
    assert import_profile(given) == kept  # the same file again changes nothing


def test_a_broken_profile_is_refused_with_its_reason_and_not_kept(tmp_path: Path) -> None:
    broken = tmp_path / "lake.toml"
    broken.write_text(GOOD.replace("https://", "http://", 1), encoding="utf-8")
    with pytest.raises(ProfileError) as refused:
        import_profile(broken)
    assert "https://" in refused.value.message
    with pytest.raises(ProfileError):
        import_profile(tmp_path / "missing.toml")
    garbage = tmp_path / "garbage.toml"
    garbage.write_bytes(b"\xff\xfe not toml [[")
    with pytest.raises(ProfileError) as unreadable:
        import_profile(garbage)
    assert "Cannot read the profile" in unreadable.value.message
    assert list_profiles() == []


def test_another_profile_of_the_same_name_is_never_replaced(tmp_path: Path) -> None:
    first = tmp_path / "a" / "lake.toml"
    second = tmp_path / "b" / "lake.toml"
    for path, issuer in ((first, "https://iam.one.example/"), (second, "https://iam.two.example/")):
        path.parent.mkdir()
        path.write_text(f'[oidc]\nissuer = "{issuer}"\nclient_id = "c"\n[s3]\nendpoint = "h:1"\n', encoding="utf-8")
    kept = import_profile(first)
    with pytest.raises(ProfileError) as refused:
        import_profile(second)
    assert "rename the file" in refused.value.message
    assert "iam.one.example" in kept.read_text(encoding="utf-8")


def test_the_cli_lists_and_imports_profiles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    given = tmp_path / "infn.toml"
    given.write_text(GOOD, encoding="utf-8")
    assert cli.main(["profile", "import", str(given)]) == 0
    assert "imported profile 'infn'" in capsys.readouterr().out
    assert cli.main(["profile", "list"]) == 0
    assert str(profiles_dir() / "infn.toml") in capsys.readouterr().out
    broken = tmp_path / "broken.toml"
    broken.write_text("[oidc]\n", encoding="utf-8")
    assert cli.main(["profile", "import", str(broken)]) != 0
    assert "Profile problem" in capsys.readouterr().err
