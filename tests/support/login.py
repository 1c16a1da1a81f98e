"""Log a core Session in through the real device flow, with the test acting as the user."""

from __future__ import annotations

from planet_gui.core.auth.tokens import Identity
from planet_gui.core.session import Session
from tests.support.device_user import approve


def login_in_process(session: Session, user: str = "alice") -> Identity:
    authorization = session.start_login()
    approve(authorization.link, user=user)
    return session.finish_login(authorization)
