"""Check an ID token's signature (JWKS) and claims before trusting who the user is."""

from __future__ import annotations

import warnings
from typing import Any

import authlib.deprecate  # noqa: F401 - registers its "always" filter first, so ours below wins
import httpx

with warnings.catch_warnings():  # authlib 1.x announces joserfc; its jose API stays until 2.0
    warnings.simplefilter("ignore")
    from authlib.jose import JsonWebKey, JsonWebToken
    from authlib.jose.errors import JoseError

from planet_gui.core.auth.discovery import ProviderInfo, same_issuer
from planet_gui.core.errors import AuthError
from planet_gui.core.i18n import tr

_JWT = JsonWebToken(["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"])


def fetch_jwks(client: httpx.Client, provider: ProviderInfo) -> dict[str, Any]:
    try:
        response = client.get(provider.jwks_uri)
        response.raise_for_status()
        keys = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise AuthError(tr("Cannot fetch the identity provider's signing keys: {error}", error=exc)) from exc
    if not isinstance(keys, dict):
        raise AuthError(tr("The identity provider's signing keys are not a JWK set."))
    return keys


def verify_jwt(token: str, jwks: dict[str, Any], *, issuer: str, audience: str | None) -> dict[str, Any]:
    """Signature, issuer (trailing-slash tolerant), audience and expiry; returns the claims."""
    try:
        claims = _JWT.decode(token, JsonWebKey.import_key_set(jwks))
        claims.validate(leeway=60)
    except JoseError as exc:
        raise AuthError(tr("The identity provider's token did not verify: {error}", error=exc.error)) from exc
    if not same_issuer(str(claims.get("iss", "")), issuer):
        raise AuthError(tr("The token was issued by another provider."))
    if audience is not None:
        aud = claims.get("aud")
        audiences = aud if isinstance(aud, list) else [aud]
        if audience not in audiences:
            raise AuthError(tr("The token was issued for another application."))
    return dict(claims)
