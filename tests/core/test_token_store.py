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
