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


def _write(path: Path, *, name: str, issuer: str, client_id: str = "planet-uploader",
           endpoint: str = "s3.example.org:9000") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'name = "{name}"\n[oidc]\nissuer = "{issuer}"\nclient_id = "{client_id}"\n'
                    f'[s3]\nendpoint = "{endpoint}"\n', encoding="utf-8")
    return path


def test_a_profile_taking_the_name_of_another_provider_is_refused(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 14, hole 6: the look-alike comes under another file name, but claims the real profile's ``name``."""
    real = import_profile(_write(tmp_path / "given" / "planet.toml", name="planet", issuer="https://iam.infn.it/"))
    hostile = _write(tmp_path / "mail" / "planet-update.toml", name="planet", issuer="https://iam.evil.example/")
    with pytest.raises(ProfileError) as refused:
        import_profile(hostile)
    message = refused.value.message
    assert "iam.evil.example" in message and "iam.infn.it" in message and str(real) in message
    assert list_profiles() == [real]
    other_client = _write(tmp_path / "mail" / "planet-2.toml", name="planet", issuer="https://iam.infn.it/",
                          client_id="someone-else")
    with pytest.raises(ProfileError):
        import_profile(other_client)
    other_lake = _write(tmp_path / "mail" / "planet-3.toml", name="planet", issuer="https://iam.infn.it/",
                        endpoint="s3.evil.example:443")  # the real provider, but the access token would go there
    with pytest.raises(ProfileError) as elsewhere:
        import_profile(other_lake)
    assert "s3.evil.example:443" in elsewhere.value.message
    assert cli.main(["profile", "import", str(hostile)]) == 1  # the CLI's import says the same, in a line
    assert "iam.evil.example" in capsys.readouterr().err
    assert list_profiles() == [real]
    # the same provider under the same name (a test lake next to production) is fine: the login is the same
    twin = import_profile(_write(tmp_path / "mail" / "planet-test.toml", name="planet", issuer="https://iam.infn.it"))
    assert set(list_profiles()) == {real, twin}


def test_kept_profiles_and_their_folders_are_private(tmp_path: Path, config_home: Path) -> None:
    import os

    os.umask(0)  # the modes must not depend on the umask
    try:
        kept = import_profile(_write(tmp_path / "planet.toml", name="planet", issuer="https://iam.infn.it/"))
    finally:
        os.umask(0o022)
    assert kept.stat().st_mode & 0o777 == 0o600
    for folder in (kept.parent, kept.parent.parent):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
