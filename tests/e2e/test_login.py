"""Login that survives a working day: the device flow as IAM speaks it, against the real stand-in provider."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import Any

import keyring
import pytest

from planet_gui.core.auth.device_flow import DEFAULT_INTERVAL, LoginCancelled
from planet_gui.core.auth.token_store import TokenStore
from planet_gui.core.errors import AuthError, CredentialsError, SessionEnded
from planet_gui.core.profile import Profile, load_profile
from planet_gui.core.session import Session
from tests.conftest import Lake, separate_lake, wait_for
from tests.core.test_token_store import BrokenKeyring
from tests.support.device_user import approve
from tests.support.login import login_in_process, memory_session

pytestmark = pytest.mark.e2e


class BackgroundLogin:
    """finish_login on a thread, as the GUI's worker runs it, so the test can act as the user meanwhile."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.authorization = session.start_login()
        self.cancelled = threading.Event()
        self.result: Any = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.result = self.session.finish_login(self.authorization, cancelled=self.cancelled)
        except Exception as exc:  # noqa: BLE001 - handed to the test
            self.result = exc

    def wait_polls(self, count: int, timeout: float = 60) -> None:
        wait_for(lambda: self.session.flow.token_requests >= count, timeout, f"{count} token requests")

    def join(self, timeout: float = 60) -> Any:
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "login did not finish"
        return self.result


@pytest.fixture(scope="module")
def profile(lake: Lake) -> Profile:
    return load_profile(lake.profile_path)


def test_polls_no_faster_than_the_default_interval(odd_providers: Callable[..., Profile]) -> None:
    login = BackgroundLogin(memory_session(odd_providers()))  # a provider that, as IAM, announces no interval
    assert login.authorization.interval == DEFAULT_INTERVAL
    login.wait_polls(3)  # three 'authorization_pending' answers while the user does nothing
    approve(login.authorization.link, user="alice")
    identity = login.join()
    assert identity.username == "alice"
    times = [t for t, _ in login.session.flow.poll_log]
    outcomes = [o for _, o in login.session.flow.poll_log]
    assert outcomes[:3] == ["authorization_pending"] * 3 and outcomes[-1] == "token"
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert all(gap >= DEFAULT_INTERVAL - 0.05 for gap in gaps), gaps


def test_confidential_client_with_secret_from_environment(lake: Lake, monkeypatch: pytest.MonkeyPatch) -> None:
    base = load_profile(lake.profile_path)
    profile = replace(base, oidc=replace(base.oidc, client_id="planet-uploader-conf"))
    monkeypatch.setenv("PLANET_OIDC_CLIENT_SECRET", lake.oidc.conf_client_secret)
    assert login_in_process(memory_session(profile)).username == "alice"

    monkeypatch.setenv("PLANET_OIDC_CLIENT_SECRET", "wrong-secret")
    with pytest.raises(AuthError, match="refused to start a login"):
        memory_session(profile).start_login()


def test_user_denies_gives_a_clear_message(profile: Profile) -> None:
    login = BackgroundLogin(memory_session(profile))
    approve(login.authorization.link, user="alice", deny=True)
    error = login.join()
    assert isinstance(error, AuthError) and error.title == "Login denied"
    assert "refused" in error.message


def test_cancel_stops_waiting_at_once(profile: Profile) -> None:
    login = BackgroundLogin(memory_session(profile))
    login.cancelled.set()
    assert isinstance(login.join(timeout=5), LoginCancelled)


@pytest.fixture(scope="module")
def odd_providers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Profile]]:
    """Extra providers with other settings, each with an S3 server trusting it; stopped at the end."""
    with ExitStack() as lakes:
        yield lambda **settings: load_profile(
            lakes.enter_context(separate_lake(tmp_path_factory.mktemp("odd"), **settings)))


def test_code_expiry_gives_a_clear_message(odd_providers: Callable[..., Profile]) -> None:
    session = memory_session(odd_providers(device_code_ttl=7))
    login = BackgroundLogin(session)
    error = login.join()
    assert isinstance(error, AuthError)
    assert "expired" in error.message and "start again" in error.message.lower()


def test_slow_down_makes_the_interval_grow(odd_providers: Callable[..., Profile]) -> None:
    session = memory_session(odd_providers(slow_down_interval=7))
    login = BackgroundLogin(session)
    login.wait_polls(1)
    approve(login.authorization.link, user="alice")
    assert login.join().username == "alice"
    log = session.flow.poll_log
    assert [outcome for _, outcome in log] == ["slow_down", "token"]
    assert log[1][0] - log[0][0] >= DEFAULT_INTERVAL + 5 - 0.05  # the interval grew by 5 s


def test_restart_keeps_the_login_and_logout_revokes_it(profile: Profile) -> None:
    store = TokenStore(profile.keyring_service)
    if not store.persistent:
        pytest.skip("no OS keyring here: run the suite with `bash scripts/test.sh`, which starts one")
    first = Session(profile)
    login_in_process(first, "alice")
    refresh = keyring.get_password(profile.keyring_service, "refresh_token")
    assert refresh

    restarted = Session(profile)  # a new app start: no device flow, the keyring holds the login
    identity = restarted.restore()
    assert identity is not None and identity.username == "alice"
    assert restarted.flow.token_requests == 0

    restarted.logout()
    assert keyring.get_password(profile.keyring_service, "refresh_token") is None
    from planet_gui.core.auth.tokens import TokenSet

    with pytest.raises(SessionEnded):
        restarted.flow.refresh(TokenSet(access_token="", expires_at=0, refresh_token=refresh))
    assert Session(profile).restore() is None


def test_failing_keyring_keeps_login_in_memory_only(profile: Profile) -> None:
    session = Session(profile, token_store=TokenStore(profile.keyring_service, backend=BrokenKeyring()))  # type: ignore[arg-type]
    assert login_in_process(session).username == "alice"
    assert session.keyring_problem and "memory" in session.keyring_problem
    creds = session.credentials.retrieve()
    secrets = {*session.current_tokens().secrets(), creds.secret_key, creds.session_token or ""} - {""}
    for path in Path.home().rglob("*"):
        if path.is_file() and not path.is_symlink():
            content = path.read_bytes()
            assert not any(s.encode() in content for s in secrets), f"a token was written to {path}"


def test_no_secret_in_debug_logs_or_errors(profile: Profile, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every library's debug output: httpx, httpcore, urllib3, minio
    session = memory_session(profile)
    login_in_process(session)
    creds = session.credentials.retrieve()
    session.s3.list_objects("raw")
    tokens = session.current_tokens()
    secrets = {*tokens.secrets(), creds.secret_key, creds.session_token or ""} - {""}
    bad = replace(profile, oidc=replace(profile.oidc, sts_token="id"))  # the ID token has the wrong audience
    failing = memory_session(bad)
    failing._accept(tokens)  # same tokens, so the refusal would show them if it leaked them
    with pytest.raises(CredentialsError) as refused:
        failing.credentials.retrieve()
    texts = [caplog.text, str(refused.value), repr(refused.value), repr(tokens), repr(session.flow.poll_log)]
    for secret in secrets:
        assert not any(secret in text for text in texts)


def test_id_token_is_verified(profile: Profile) -> None:
    from planet_gui.core.auth.verify import fetch_jwks, verify_jwt

    session = memory_session(profile)
    login_in_process(session)
    id_token = session.current_tokens().id_token
    assert id_token
    provider = session._provider
    assert provider is not None
    jwks = fetch_jwks(session._http, provider)
    claims = verify_jwt(id_token, jwks, issuer=provider.issuer.rstrip("/"), audience="planet-uploader")
    assert claims["preferred_username"] == "alice"  # an issuer without the trailing slash still matches
    header, payload, signature = id_token.split(".")
    forged = ".".join([header, payload, signature[:-4] + ("AAAA" if not signature.endswith("AAAA") else "BBBB")])
    with pytest.raises(AuthError, match="did not verify"):
        verify_jwt(forged, jwks, issuer=provider.issuer, audience="planet-uploader")
    with pytest.raises(AuthError, match="another application"):
        verify_jwt(id_token, jwks, issuer=provider.issuer, audience="someone-else")
    with pytest.raises(AuthError, match="another provider"):
        verify_jwt(id_token, jwks, issuer="https://evil.example/", audience="planet-uploader")
