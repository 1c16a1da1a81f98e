"""OpenID provider discovery. Endpoints always come from here, never from hard-coded paths."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from planet_gui.core.auth.http import tls_advice
from planet_gui.core.errors import AuthError
from planet_gui.core.i18n import tr
from planet_gui.core.tls import answered_plain_http_on_tls, plain_http_message


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
        if answered_plain_http_on_tls(exc.response.status_code, exc.response.text):
            raise AuthError(plain_http_message(issuer), title="Profile problem") from exc
        raise AuthError(
            tr("The identity provider at {issuer} answered {status_code} to discovery.",
               issuer=issuer, status_code=exc.response.status_code)
        ) from exc
    except httpx.HTTPError as exc:
        advice = tls_advice(exc, issuer, untrusted="Untrusted identity provider")
        if advice is not None:
            raise AuthError(advice.message, title=advice.title) from exc
        raise AuthError(tr("Cannot reach the identity provider at {issuer}: {error}",
                           issuer=issuer, error=exc)) from exc
    except ValueError as exc:
        raise AuthError(tr("The identity provider at {issuer} sent a discovery document that is not JSON",
                           issuer=issuer)) from exc
    if not same_issuer(str(raw.get("issuer", "")), issuer):
        raise AuthError(tr("The provider at {issuer} says its issuer is {claimed!r}; refusing it.",
                           issuer=issuer, claimed=raw.get('issuer')))
    if not raw.get("device_authorization_endpoint"):
        raise AuthError(tr("The identity provider at {issuer} does not offer the device login flow.", issuer=issuer))
    return ProviderInfo(
        issuer=str(raw["issuer"]),
        token_endpoint=str(raw["token_endpoint"]),
        device_authorization_endpoint=str(raw["device_authorization_endpoint"]),
        jwks_uri=str(raw["jwks_uri"]),
        userinfo_endpoint=raw.get("userinfo_endpoint"),
        revocation_endpoint=raw.get("revocation_endpoint"),
        raw=raw,
    )
