"""The secret key of each project's pseudonyms, kept in the OS keyring (never in a file).

The same key turns the same value into the same pseudonym, so tables of one project can still be
joined after pseudonymisation; only who holds the key can check a guess. A key is made (32 random
bytes) the first time a project needs one. Without a secure keyring there is no stable key, so
pseudonymisation is refused rather than done with a key that would be lost; ``PLANET_PSEUDONYM_KEY``
(64 hex digits) can supply one on a headless machine.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets

import keyring
import keyring.backend
from keyring.errors import KeyringError

from planet_gui.core.auth.token_store import _backend_is_secure
from planet_gui.core.errors import PlanetError
from planet_gui.core.i18n import tr
from planet_gui.core.profile import APP_NAME

SERVICE = f"{APP_NAME}:pseudonym-keys"
KEY_ENV = "PLANET_PSEUDONYM_KEY"
_HEX_KEY = re.compile(r"[0-9a-fA-F]{64}")


class PseudonymKeyError(PlanetError):
    title = "No key for pseudonyms"


class PseudonymKeys:
    """Per-project keys in the keyring service ``planet-uploader:pseudonym-keys``."""

    def __init__(self, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self._backend = backend or keyring.get_keyring()
        self.persistent = _backend_is_secure(self._backend)
        self.problem: str | None = None

    def key(self, project: str) -> bytes:
        """The project's key, made and stored the first time."""
        from_env = os.environ.get(KEY_ENV, "")
        if from_env:
            if not _HEX_KEY.fullmatch(from_env):
                raise PseudonymKeyError(tr("{variable} must be 64 hexadecimal digits.", variable=KEY_ENV))
            self.problem = tr("Using the key from {variable}, not the keyring.", variable=KEY_ENV)
            return bytes.fromhex(from_env)
        if not self.persistent:
            raise PseudonymKeyError(tr("No secure keyring is available on this computer, so the pseudonyms' key "
                                       "could not be kept and the same values would not get the same pseudonyms "
                                       "next time. Set {variable} to 64 hexadecimal digits.", variable=KEY_ENV))
        try:
            stored = self._backend.get_password(SERVICE, project)
            if stored and _HEX_KEY.fullmatch(stored):
                return bytes.fromhex(stored)
            made = secrets.token_bytes(32)
            self._backend.set_password(SERVICE, project, made.hex())
            return made
        except KeyringError as exc:
            raise PseudonymKeyError(tr("The keyring refused the pseudonyms' key: {error}", error=exc)) from exc

    def key_id(self, project: str) -> str:
        """A short name for the key (safe to publish: it does not reveal the key)."""
        return key_id(self.key(project))


def key_id(key: bytes) -> str:
    return hmac.new(key, b"planet-pseudonym-key-id", hashlib.sha256).hexdigest()[:12]
