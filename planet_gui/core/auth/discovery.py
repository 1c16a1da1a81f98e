"""OpenID provider discovery. Endpoints always come from here, never from hard-coded paths."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from planet_gui.core.errors import AuthError


def same_issuer(a: str, b: str) -> bool:
    """IAM's discovery issuer ends with '/', its access tokens' ``iss`` may not."""
    return a.rstrip("/") == b.rstrip("/")


@dataclass(frozen=True)
class ProviderInfo:
    issuer: str
    token_endpoint: str
    device_authorization_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None
    revocation_endpoint: str | None
    raw: dict[str, Any]


def discover(client: httpx.Client, issuer: str) -> ProviderInfo:
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = client.get(url)
        response.raise_for_status()
        raw = response.json()
    except httpx.HTTPStatusError as exc:
        raise AuthError(
            f"The identity provider at {issuer} answered {exc.response.status_code} to discovery."
        ) from exc
    except httpx.HTTPError as exc:
        raise AuthError(f"Cannot reach the identity provider at {issuer}: {exc}") from exc
    except ValueError as exc:
        raise AuthError(f"The identity provider at {issuer} sent a discovery document that is not JSON") from exc
    if not same_issuer(str(raw.get("issuer", "")), issuer):
        raise AuthError(f"The provider at {issuer} says its issuer is {raw.get('issuer')!r}; refusing it.")
    if not raw.get("device_authorization_endpoint"):
        raise AuthError(f"The identity provider at {issuer} does not offer the device login flow.")
    return ProviderInfo(
        issuer=str(raw["issuer"]),
        token_endpoint=str(raw["token_endpoint"]),
        device_authorization_endpoint=str(raw["device_authorization_endpoint"]),
        jwks_uri=str(raw["jwks_uri"]),
        userinfo_endpoint=raw.get("userinfo_endpoint"),
        revocation_endpoint=raw.get("revocation_endpoint"),
        raw=raw,
    )
