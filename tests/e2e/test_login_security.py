"""Where the login may go (issue 14, hole 6) and what the CLI says around it, against the real servers.

A look-alike profile (the real one's ``name``, another identity provider) used to make the next start POST the
real refresh token to its issuer, and then delete the real login when that issuer refused it. The hostile
provider here is a real one behind a recording proxy on another loopback port, so the test sees everything that
reached it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import keyring
import pytest

from planet_gui.core.auth.token_store import TokenStore
from planet_gui.core.errors import ProfileError
from planet_gui.core.profile import import_profile, load_profile
from planet_gui.core.session import Session
from tests.conftest import ROOT, Lake, write_profile
from tests.support.cli import cli, cli_login
from tests.support.login import login_in_process
from tests.support.recording_proxy import RecordingProxy
from tests.support.servers import OidcServer

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RecordingProxy]:
    with OidcServer.start(tmp_path_factory.mktemp("hostile-oidc")) as server, RecordingProxy(server.issuer) as proxy:
        yield proxy


@pytest.fixture
def with_keyring() -> None:
    if not TokenStore("planet-uploader:probe").persistent:
        pytest.skip("no OS keyring here: run the tests with /work/wt/pytest.sh or scripts/test.sh, which start one")


def test_a_look_alike_profile_never_receives_the_real_login(lake: Lake, hostile: RecordingProxy, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             with_keyring: None) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for folder in ("given", "mail"):
        (tmp_path / folder).mkdir()
    given = write_profile(tmp_path / "given" / "planet.toml", lake.oidc, lake.s3)
    import_profile(given)
    real = load_profile("planet")
    login_in_process(Session(real), "alice")
    token = keyring.get_password(real.keyring_service, "refresh_token")
    assert token
    # as a version before the fix left it, too: the login under the profile's name
    keyring.set_password(real.legacy_keyring_service, "refresh_token", token)

    look_alike = write_profile(tmp_path / "mail" / "planet-update.toml", SimpleNamespace(issuer=hostile.issuer),
                               lake.s3)  # type: ignore[arg-type]
    look_alike.write_text(look_alike.read_text(encoding="utf-8").replace('name = "planet-update"', 'name = "planet"'),
                          encoding="utf-8")
    with pytest.raises(ProfileError) as refused:  # GUI "Import profile…" and `planet-lake profile import` alike
        import_profile(look_alike)
    assert hostile.url in refused.value.message
    assert cli(look_alike, "profile", "import", str(look_alike), env={"XDG_CONFIG_HOME": str(tmp_path / "config")}
               ).returncode == 1

    hostile_profile = load_profile(look_alike)  # used anyway, as --profile FILE
    assert hostile_profile.name == real.name and hostile_profile.oidc.issuer == hostile.issuer
    assert Session(hostile_profile).restore() is None  # no login of its own, and none of another's
    whoami = cli(look_alike, "whoami")
    assert whoami.returncode == 1 and "not logged in" in whoami.stderr.lower()

    assert [r for r in hostile.requests if r.carries(token)] == []
    assert [r for r in hostile.requests if r.method == "POST"] == []  # not even a token request
    # the real login is where it was, and works
    assert keyring.get_password(real.keyring_service, "refresh_token") == token
    assert keyring.get_password(real.legacy_keyring_service, "refresh_token") == token  # untouched, not sent
    identity = Session(real).restore()
    assert identity is not None and identity.username == "alice"
    keyring.delete_password(real.legacy_keyring_service, "refresh_token")
    Session(real).logout()


def test_cli_logout_says_the_provider_revoked_it(lake: Lake, with_keyring: None) -> None:
    code, out, err = cli_login(lake.profile_path, "alice")
    assert code == 0, out + err
    profile = load_profile(lake.profile_path)
    token = keyring.get_password(profile.keyring_service, "refresh_token")
    result = cli(lake.profile_path, "logout")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Logged out: the identity provider revoked your login")
    assert keyring.get_password(profile.keyring_service, "refresh_token") is None
    from planet_gui.core.auth.tokens import TokenSet
    from planet_gui.core.errors import SessionEnded

    with pytest.raises(SessionEnded):  # it was revoked, as it says
        Session(profile).flow.refresh(TokenSet(access_token="", expires_at=0, refresh_token=token))


def test_status_into_a_closed_pipe_ends_quietly(lake: Lake, with_keyring: None) -> None:
    """``planet-lake status | head``: the reader gone before the first line; no traceback."""
    code, out, err = cli_login(lake.profile_path, "alice")
    assert code == 0, out + err
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-m", "planet_gui.cli", "--profile", str(lake.profile_path), "status"],
                              stdout=write_end, stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=120,
                              stdin=subprocess.DEVNULL)
    finally:
        os.close(write_end)
    assert done.stderr == "" and done.returncode == 141
