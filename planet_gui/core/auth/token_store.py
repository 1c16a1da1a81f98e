"""Keep the refresh token in the OS keyring, and nowhere else.

Only the refresh token lives long, so only it is stored; access and ID tokens stay in memory. When no
secure keyring works (a headless Linux box without a Secret Service), we say so and keep the token in
memory for this session: a plaintext file is never an option.
"""

from __future__ import annotations

import logging

import keyring
import keyring.backend
from keyring.errors import KeyringError

from planet_gui.core.i18n import tr

log = logging.getLogger(__name__)

_ENTRY = "refresh_token"
_INSECURE_BACKENDS = ("fail", "null", "plaintext", "keyrings.alt.file", "uncrypted")


def _backend_is_secure(backend: keyring.backend.KeyringBackend) -> bool:
    name = f"{type(backend).__module__}.{type(backend).__name__}".lower()
    if any(word in name for word in _INSECURE_BACKENDS):
        return False
    try:
        return float(backend.priority) > 0
    except Exception:  # noqa: BLE001 - a backend whose priority check fails is not usable
        return False


class TokenStore:
    """Refresh tokens per keyring service name (one per profile)."""

    def __init__(self, service: str, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self.service = service
        self._backend = backend or keyring.get_keyring()
        self._memory: str | None = None
        self.persistent = _backend_is_secure(self._backend)
        self.problem: str | None = None
        if not self.persistent:
            self.problem = tr("No secure keyring is available on this computer, so you will have to log in again "
                              "next time. Nothing was written to disk.")

    def load(self) -> str | None:
        if self._memory is not None or not self.persistent:
            return self._memory
        try:
            return self._backend.get_password(self.service, _ENTRY)
        except KeyringError as exc:
            self._degrade(exc)
            return None

    def save(self, refresh_token: str | None) -> None:
        """Always the newest token: providers that rotate invalidate the old one."""
        if not refresh_token:
            return
        self._memory = refresh_token
        if not self.persistent:
            return
        try:
            self._backend.set_password(self.service, _ENTRY, refresh_token)
            self._memory = None
        except KeyringError as exc:
            self._degrade(exc)

    def clear(self) -> None:
        self._memory = None
        if not self.persistent:
            return
        try:
            self._backend.delete_password(self.service, _ENTRY)
        except keyring.errors.PasswordDeleteError:
            pass
        except KeyringError as exc:
            self._degrade(exc)

    def _degrade(self, exc: Exception) -> None:
        self.persistent = False
        self.problem = tr("The keyring stopped working ({kind}); your login is kept in memory for this session "
                          "only. Nothing was written to disk.", kind=type(exc).__name__)
        log.warning("keyring unavailable: %s", type(exc).__name__)
