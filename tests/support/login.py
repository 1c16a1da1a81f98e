"""Log a core Session in through the real device flow, with the test acting as the user."""

from __future__ import annotations

from pathlib import Path

from keyring.backends import fail

from planet_gui.core.auth.token_store import TokenStore
from planet_gui.core.auth.tokens import Identity
from planet_gui.core.profile import Profile, load_profile
from planet_gui.core.session import Session
from tests.support.device_user import approve


def login_in_process(session: Session, user: str = "alice") -> Identity:
    authorization = session.start_login()
    approve(authorization.link, user=user)
    return session.finish_login(authorization)


def memory_session(profile: Profile | Path, journal: Path | None = None, *, login_of: Session | None = None) -> Session:
    """A session whose login lives in memory only (no keyring needed), optionally with its own journal. With
    ``login_of``, it shares that session's (memory) token store and logs in silently with its refresh token."""
    if isinstance(profile, Path):
        profile = load_profile(profile)
    store = login_of.tokens_store if login_of is not None else TokenStore("unused", backend=fail.Keyring())
    session = Session(profile, token_store=store)
    if journal is not None:
        session.configure_transfers(journal_path=journal)
    if login_of is not None:
        assert session.restore() is not None, "the shared login did not restore"
    return session


def logged_in(profile: Profile | Path, user: str = "alice") -> Session:
    """A memory session logged in through the device flow (it polls for seconds: share it per module; other
    sessions restore it with ``memory_session(..., login_of=...)``)."""
    session = memory_session(profile)
    login_in_process(session, user)
    return session
