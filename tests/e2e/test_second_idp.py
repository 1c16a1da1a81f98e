"""The login against a second, independent provider: glewlwyd 2.7.5 from Debian (``tests/support/glewlwyd.py``).

It differs from the IAM stand-in where a client built for one provider breaks (issue 14, hole 12): it announces
an ``interval`` and answers ``slow_down`` to a client polling faster, rotates the refresh token on every use
(the old one stops working), sends no ID token on refresh, wants client authentication (or a bearer token) to
revoke, and by default releases no ``preferred_username``."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import tomllib
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail

from planet_gui.core.auth.device_flow import SLOW_DOWN_STEP, DeviceAuthorization, Revocation
from planet_gui.core.auth.token_store import TokenStore
from planet_gui.core.auth.tokens import TokenSet
from planet_gui.core.errors import AuthError, SessionEnded
from planet_gui.core.profile import Profile, parse_profile
from planet_gui.core.session import Session
from tests.conftest import ROOT
from tests.support import glewlwyd
from tests.support.cli import cli
from tests.support.glewlwyd import Glewlwyd

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(glewlwyd.missing() is not None,
                                                   reason=glewlwyd.missing() or "")]

INTERVAL = 2  # what the provider announces and enforces


@pytest.fixture(scope="module")
def providers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Glewlwyd]]:
    """glewlwyd instances by settings, each started once per module (about 1.5 s each), all stopped at the end."""
    started: dict[tuple[Any, ...], Glewlwyd] = {}
    with ExitStack() as stack:
        def get(**settings: Any) -> Glewlwyd:
            key = tuple(sorted(settings.items()))
            if key not in started:
                server = Glewlwyd.start(tmp_path_factory.mktemp("glewlwyd"), interval=INTERVAL, **settings)
                started[key] = stack.enter_context(server)
            return started[key]
        yield get


def _profile(server: Glewlwyd, **oidc: Any) -> Profile:
    return parse_profile({
        "name": "glewlwyd-lake",
        "oidc": {"issuer": server.issuer, "client_id": server.client_id,
                 "scopes": ["openid", "profile", "email", "offline_access", "groups"], **oidc},
        "s3": {"endpoint": "127.0.0.1:9", "secure": False},  # never reached: these tests stop at the login
    })


def _session(profile: Profile, store: TokenStore | None = None) -> Session:
    return Session(profile, token_store=store or TokenStore("unused", backend=fail.Keyring()))


class _Login:
    """finish_login on a thread (as the GUI's worker), the test playing the user meanwhile."""

    def __init__(self, session: Session, authorization: DeviceAuthorization | None = None) -> None:
        self.session = session
        self.authorization = authorization or session.start_login()
        self.result: Any = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.result = self.session.finish_login(self.authorization)
        except Exception as exc:  # noqa: BLE001 - handed to the test
            self.result = exc

    def join(self, timeout: float = 60) -> Any:
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the login did not finish"
        return self.result


def _log_in(server: Glewlwyd, session: Session) -> Any:
    login = _Login(session)
    server.approve(login.authorization.user_code)
    return login.join()


def test_the_announced_interval_is_honoured(providers: Callable[..., Glewlwyd]) -> None:
    server = providers()
    session = _session(_profile(server))
    login = _Login(session)
    assert login.authorization.interval == INTERVAL  # taken from the answer, not the 5 s default
    from tests.conftest import wait_for

    wait_for(lambda: session.flow.token_requests >= 2, 30, "two polls while nobody approves")
    server.approve(login.authorization.user_code)
    identity = login.join()
    assert identity.username == "alice"
    outcomes = [outcome for _, outcome in session.flow.poll_log]
    assert outcomes[-1] == "token" and "slow_down" not in outcomes, outcomes
    times = [t for t, _ in session.flow.poll_log]
    assert all(b - a >= INTERVAL - 0.05 for a, b in zip(times, times[1:], strict=False))


def test_slow_down_from_the_provider_makes_the_interval_grow(providers: Callable[..., Glewlwyd]) -> None:
    server = providers()
    session = _session(_profile(server))
    authorization = session.start_login()
    hasty = replace(authorization, interval=0.2)  # a client polling ten times faster than it was told
    login = _Login(session, hasty)
    from tests.conftest import wait_for

    wait_for(lambda: "slow_down" in [o for _, o in session.flow.poll_log], 30, "glewlwyd's slow_down")
    server.approve(authorization.user_code)
    assert login.join().username == "alice"
    log = session.flow.poll_log
    first_slow = next(i for i, (_, outcome) in enumerate(log) if outcome == "slow_down")
    assert log[first_slow + 1][0] - log[first_slow][0] >= 0.2 + SLOW_DOWN_STEP - 0.05  # it backed off by 5 s
    assert log[-1][1] == "token"


def test_rotating_refresh_tokens_the_newest_is_always_stored(providers: Callable[..., Glewlwyd]) -> None:
    server = providers()
    store = TokenStore("unused", backend=fail.Keyring())
    session = _session(_profile(server), store)
    _log_in(server, session)
    first = session.current_tokens()
    assert store.load() == first.refresh_token
    first.expires_at = 0  # due: the next use refreshes
    second = session.current_tokens()
    assert second.refresh_token and second.refresh_token != first.refresh_token  # rotated
    assert store.load() == second.refresh_token  # the newest, at once
    restarted = _session(_profile(server), store)  # a new start, from what the store holds
    assert restarted.restore() is not None
    third = store.load()
    assert third not in (first.refresh_token, second.refresh_token)  # rotated again, and kept
    with pytest.raises(SessionEnded):  # the provider disabled the old one (and, seeing it replayed, the rest)
        session.flow.refresh(TokenSet(access_token="", expires_at=0, refresh_token=first.refresh_token))


def test_a_refresh_without_an_id_token_names_the_user_from_userinfo(providers: Callable[..., Glewlwyd]) -> None:
    server = providers()
    store = TokenStore("unused", backend=fail.Keyring())
    _log_in(server, _session(_profile(server), store))
    restarted = _session(_profile(server), store)
    identity = restarted.restore()
    assert identity is not None and identity.username == "alice"
    tokens = restarted.current_tokens()
    assert tokens.id_token is None  # glewlwyd's refresh answer has none: the name came from userinfo
    assert "preferred_username" in identity.claims and "iss" not in identity.claims


def test_logout_revokes_with_the_bearer_token_where_client_auth_is_impossible(
        providers: Callable[..., Glewlwyd]) -> None:
    server = providers()
    session = _session(_profile(server))
    _log_in(server, session)
    refresh = session.current_tokens().refresh_token
    assert session.flow._provider is not None
    advertised = session.flow._provider.raw["revocation_endpoint_auth_methods_supported"]
    assert "bearer" in advertised and "none" not in advertised  # a public client's own way is the bearer token
    live = server.live_refresh_tokens()
    result = session.logout()
    assert result.revoked and result.message.startswith("Logged out: the identity provider revoked")
    assert server.live_refresh_tokens() == live - 1
    with pytest.raises(SessionEnded):
        session.flow.refresh(TokenSet(access_token="", expires_at=0, refresh_token=refresh))


def test_logout_says_when_the_provider_refused_to_revoke(providers: Callable[..., Glewlwyd]) -> None:
    """A public client cannot authenticate, and this provider takes no bearer token for revocation: 401. The login
    is removed here, and the message says it stays valid there, which it does."""
    server = providers(bearer_revocation=False)
    store = TokenStore("unused", backend=fail.Keyring())
    session = _session(_profile(server), store)
    _log_in(server, session)
    assert session.flow._provider is not None
    assert session.flow._provider.raw["revocation_endpoint_auth_methods_supported"] == ["client_secret_basic"]
    refresh = session.current_tokens().refresh_token
    assert refresh
    result = session.logout()
    assert not result.revoked and result.revocation is not None
    assert result.revocation.outcome is Revocation.REFUSED and "401" in result.revocation.detail
    assert "refused to revoke" in result.message and "stays valid" in result.message
    assert "revoked your login" not in result.message
    assert store.load() is None  # removed here
    still = session.flow.refresh(TokenSet(access_token="", expires_at=0, refresh_token=refresh))
    assert still.access_token  # and, as the message says, still valid at the provider


def test_a_missing_username_claim_is_a_clear_error(providers: Callable[..., Glewlwyd]) -> None:
    server = providers(username_claim=False)  # glewlwyd's default: sub only, pairwise and opaque
    error = _log_in(server, _session(_profile(server)))
    assert isinstance(error, AuthError), error
    assert "'preferred_username'" in error.message and "username_claim" in error.message
    by_sub = _log_in(server, _session(_profile(server, username_claim="sub")))  # chosen in the profile: taken
    assert by_sub.username == by_sub.subject and by_sub.username != "alice"



def test_the_cli_does_not_claim_a_revocation_the_provider_refused(providers: Callable[..., Glewlwyd],
                                                                  tmp_path: Path) -> None:
    """``planet-lake login`` then ``logout`` as a user runs them (the real keyring), against the provider that
    answers the public client's revocation with 401: the CLI says so instead of "revoked and removed"."""
    if not TokenStore("planet-uploader:probe").persistent:
        pytest.skip("no OS keyring here: run the tests with /work/wt/pytest.sh or scripts/test.sh, which start one")
    server = providers(bearer_revocation=False)
    profile_path = tmp_path / "glewlwyd-lake.toml"
    profile_path.write_text(f'name = "glewlwyd-lake"\n[oidc]\nissuer = "{server.issuer}"\nclient_id = '
                            f'"{server.client_id}"\nscopes = ["openid", "profile", "email", "offline_access"]\n'
                            '[s3]\nendpoint = "127.0.0.1:9"\nsecure = false\n', encoding="utf-8")
    login = subprocess.Popen([sys.executable, "-m", "planet_gui.cli", "--profile", str(profile_path), "login"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                             stdin=subprocess.DEVNULL)
    assert login.stdout is not None
    for line in login.stdout:
        match = re.match(r"and check that the code is: (\S+)", line)
        if match:
            server.approve(match.group(1))
            break
    out, err = login.communicate(timeout=60)
    assert login.returncode == 0 and "Logged in as alice" in out, out + err
    profile = parse_profile(tomllib.loads(profile_path.read_text(encoding="utf-8")), path=profile_path)
    assert keyring.get_password(profile.keyring_service, "refresh_token")
    live = server.live_refresh_tokens()

    logout = cli(profile_path, "logout")  # refreshes first (rotating the token), then tries to revoke the newest
    assert logout.returncode == 0, logout.stderr
    assert "refused to revoke" in logout.stdout and "stays valid there until it expires" in logout.stdout
    assert "revoked your login" not in logout.stdout
    assert keyring.get_password(profile.keyring_service, "refresh_token") is None
    assert server.live_refresh_tokens() == live  # as it says: the provider still honours the login
