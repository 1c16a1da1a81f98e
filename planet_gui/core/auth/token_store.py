"""Keep the refresh token in the OS keyring, and nowhere else.

Only the refresh token lives long, so only it is stored; access and ID tokens stay in memory. When no
secure keyring works (a headless Linux box without a Secret Service), we say so and keep the token in
memory for this session: a plaintext file is never an option.

The entry is named by where the tokens go (``Profile.keyring_service``: issuer, client id, storage endpoint), so a
profile naming another provider finds nothing to send. Earlier versions named it by the profile's name alone;
such a legacy entry is moved to the new name only when the token itself says it was issued by this issuer to
this client (a JWT refresh token's ``iss`` and ``azp``/``client_id``/``aud``). A token that says nothing (an
opaque one) is never sent on a guess: it stays where it is, untouched, and the user logs in again once.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from planet_gui.core.auth.tokens import unverified_claims
from planet_gui.core.i18n import tr

if TYPE_CHECKING:
    import keyring.backend

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


def issued_to(token: str, issuer: str, client_id: str) -> bool:
    """Whether ``token`` names ``issuer`` and ``client_id`` itself (a JWT's claims, read unverified: they only decide
    where a token of ours may go, and a token in the user's keyring is not the attacker's to write)."""
    claims = unverified_claims(token)
    if str(claims.get("iss", "")).rstrip("/") != issuer.rstrip("/") or not issuer:
        return False
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    return client_id in (claims.get("azp"), claims.get("client_id"), *audiences)


class TokenStore:
    """The refresh token of one login, under one keyring service name (see ``Profile.keyring_service``).

    ``legacy`` (a service name older versions used) and ``bound_to`` (issuer, client id) allow moving a legacy
    entry, and only one whose token proves it belongs to that provider (:func:`issued_to`)."""

    def __init__(self, service: str, backend: keyring.backend.KeyringBackend | None = None, *,
                 legacy: str | None = None, bound_to: tuple[str, str] | None = None) -> None:
        self.service = service
        self._legacy = legacy if legacy != service else None
        self._bound_to = bound_to
        self._given = backend
        self._backend_found: keyring.backend.KeyringBackend | None = None
        self._lock = threading.Lock()
        self._memory: str | None = None
        self._persistent = False
        self._problem: str | None = None

    @property
    def _backend(self) -> keyring.backend.KeyringBackend:
        """The keyring, found on first use (a worker's, at the silent log-in): importing keyring and asking which
        backend works (D-Bus, the Secret Service) cost more than the window has to paint itself."""
        with self._lock:
            if self._backend_found is None:
                import keyring

                backend = self._given or keyring.get_keyring()
                self._persistent = _backend_is_secure(backend)
                if not self._persistent:
                    self._problem = tr("No secure keyring is available on this computer, so you will have to log "
                                       "in again next time. Nothing was written to disk.")
                self._backend_found = backend
            return self._backend_found

    @property
    def persistent(self) -> bool:
        self._backend  # noqa: B018 - found first: it decides
        return self._persistent

    @property
    def problem(self) -> str | None:
        self._backend  # noqa: B018 - found first: it decides
        return self._problem

    def load(self) -> str | None:
        from keyring.errors import KeyringError

        if self._memory is not None or not self.persistent:
            return self._memory
        try:
            token = self._backend.get_password(self.service, _ENTRY)
            if token is None and self._legacy is not None and self._bound_to is not None:
                token = self._migrate(self._legacy, *self._bound_to)
            return token
        except KeyringError as exc:
            self._degrade(exc)
            return None

    def _migrate(self, legacy: str, issuer: str, client_id: str) -> str | None:
        from keyring.errors import PasswordDeleteError

        token = self._backend.get_password(legacy, _ENTRY)
        if not token:
            return None
        if not issued_to(token, issuer, client_id):
            log.info("a login stored by an older version under this profile's name is not shown to belong to %s; "
                     "it is left where it is and not sent", issuer)
            return None
        self._backend.set_password(self.service, _ENTRY, token)
        try:
            self._backend.delete_password(legacy, _ENTRY)
        except PasswordDeleteError:
            pass
        log.info("moved the stored login to its provider-bound keyring entry")
        return token

    def save(self, refresh_token: str | None) -> None:
        """Always the newest token: providers that rotate invalidate the old one."""
        if not refresh_token:
            return
        from keyring.errors import KeyringError

        self._memory = refresh_token
        if not self.persistent:
            return
        try:
            self._backend.set_password(self.service, _ENTRY, refresh_token)
            self._memory = None
        except KeyringError as exc:
            self._degrade(exc)

    def clear(self) -> None:
        from keyring.errors import KeyringError, PasswordDeleteError

        self._memory = None
        if not self.persistent:
            return
        try:
            self._backend.delete_password(self.service, _ENTRY)
        except PasswordDeleteError:
            pass
        except KeyringError as exc:
            self._degrade(exc)

    def _degrade(self, exc: Exception) -> None:
        self._persistent = False
        self._problem = tr("The keyring stopped working ({kind}); your login is kept in memory for this session "
                          "only. Nothing was written to disk.", kind=type(exc).__name__)
        log.warning("keyring unavailable: %s", type(exc).__name__)
