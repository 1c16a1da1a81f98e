"""The token store against keyring backends that work and that fail. No plaintext fallback, ever."""

from pathlib import Path

from keyring.backends import fail
from keyring.errors import KeyringError

from planet_gui.core.auth.token_store import TokenStore


class BrokenKeyring:
    """A backend that claims to work, then errors: like a locked or dead Secret Service.

    Not a KeyringBackend subclass on purpose: keyring registers every subclass, and this one would then
    replace the real keyring for the rest of the test session."""

    priority = 10

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringError("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError("locked")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringError("locked")


def test_no_backend_keeps_token_in_memory_and_says_so() -> None:
    store = TokenStore("svc", backend=fail.Keyring())
    assert not store.persistent
    assert store.problem and "Nothing was written to disk" in store.problem
    store.save("refresh-value")
    assert store.load() == "refresh-value"
    store.clear()
    assert store.load() is None


def test_backend_failing_at_use_degrades_to_memory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    store = TokenStore("svc", backend=BrokenKeyring())  # type: ignore[arg-type]
    assert store.persistent
    store.save("rt-secret-123")
    assert store.load() == "rt-secret-123"
    assert not store.persistent and "memory" in (store.problem or "")
    leaked = [p for p in tmp_path.rglob("*") if p.is_file() and b"rt-secret-123" in p.read_bytes()]
    assert leaked == []


def _jwt(claims: dict) -> str:
    import base64
    import json

    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none'})}.{part(claims)}."


def _real_keyring():  # noqa: ANN202
    import keyring
    import pytest

    store = TokenStore("planet-uploader:probe")
    if not store.persistent:
        pytest.skip("no OS keyring here: run the tests with /work/wt/pytest.sh or scripts/test.sh, which start one")
    return keyring.get_keyring()


def test_a_legacy_login_moves_only_to_the_provider_its_token_names() -> None:
    """Issue 14, hole 6: older versions kept the login under the profile's name. It moves to the new, provider-bound
    entry only when the token itself names that issuer and client; otherwise it is neither sent nor deleted."""
    backend = _real_keyring()
    legacy, issuer, client = "planet-uploader:lake-migration", "https://iam.infn.it/", "planet-uploader"
    token = _jwt({"iss": issuer, "azp": client, "jti": "x1"})
    backend.set_password(legacy, "refresh_token", token)
    try:
        hostile = TokenStore("planet-uploader:https://iam.evil.example#planet-uploader@s3:1", legacy=legacy,
                             bound_to=("https://iam.evil.example", client))
        assert hostile.load() is None
        other_client = TokenStore("planet-uploader:https://iam.infn.it#other@s3:1", legacy=legacy,
                                  bound_to=("https://iam.infn.it", "other"))
        assert other_client.load() is None
        assert backend.get_password(legacy, "refresh_token") == token  # still there, untouched

        real = TokenStore("planet-uploader:https://iam.infn.it#planet-uploader@s3:1", legacy=legacy,
                          bound_to=("https://iam.infn.it", client))
        assert real.load() == token
        assert backend.get_password(real.service, "refresh_token") == token
        assert backend.get_password(legacy, "refresh_token") is None  # moved, not copied
        real.clear()

        opaque = "rjRaCzRbKwopaque"  # says nothing about its issuer: never sent on a guess
        backend.set_password(legacy, "refresh_token", opaque)
        assert TokenStore(real.service, legacy=legacy, bound_to=("https://iam.infn.it", client)).load() is None
        assert backend.get_password(legacy, "refresh_token") == opaque
    finally:
        for service in (legacy, "planet-uploader:https://iam.infn.it#planet-uploader@s3:1"):
            try:
                backend.delete_password(service, "refresh_token")
            except KeyringError:
                pass
