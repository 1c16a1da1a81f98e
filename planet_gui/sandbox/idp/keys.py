"""The provider's RS256 signing key, made once per sandbox and kept private (0600) in its folder.

Keys go through joserfc, the JOSE library authlib's own token generators use (authlib 1.9 deprecates its older
``authlib.jose`` keys in its favour).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from joserfc.jwk import KeySet, RSAKey

from planet_gui.sandbox.paths import write_private


def load_or_create_key(home: Path) -> KeySet:
    """A key set holding the private key (kid = its thumbprint); created on first use."""
    path = home / "signing-key.pem"
    if not path.is_file():
        key = RSAKey.generate_key(2048, private=True)
        write_private(path, key.as_pem(private=True))
    key = RSAKey.import_key(path.read_bytes(), {"use": "sig", "alg": "RS256"})
    key.ensure_kid()
    return KeySet([key])


def public_jwks(keys: KeySet) -> dict[str, Any]:
    return dict(keys.as_dict(private=False))
