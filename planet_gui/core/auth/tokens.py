"""Token values and the identity read from them. Reprs never show a token."""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass, field
from typing import Any

from planet_gui.core.errors import AuthError
from planet_gui.core.i18n import tr


@dataclass(repr=False)
class TokenSet:
    access_token: str
    expires_at: float
    refresh_token: str | None = None
    id_token: str | None = None
    scope: str = ""
    lifetime: float = 3600.0

    @classmethod
    def from_response(cls, body: dict[str, Any], previous: TokenSet | None = None) -> TokenSet:
        expires_in = float(body.get("expires_in", 3600))
        return cls(
            access_token=str(body["access_token"]),
            expires_at=time.time() + expires_in,
            # a provider that does not rotate may omit the refresh token on refresh: keep the old one
            refresh_token=body.get("refresh_token") or (previous.refresh_token if previous else None),
            id_token=body.get("id_token") or (previous.id_token if previous else None),
            scope=str(body.get("scope", "")),
            lifetime=expires_in,
        )

    def expires_within(self, seconds: float) -> bool:
        return time.time() + seconds >= self.expires_at

    def needs_refresh(self, margin: float = 60.0) -> bool:
        """Refresh ``margin`` s before expiry, or at 80% of the lifetime for short-lived tokens."""
        return self.expires_within(min(margin, self.lifetime / 5))

    def secrets(self) -> list[str]:
        return [v for v in (self.access_token, self.refresh_token, self.id_token) if v]

    def __repr__(self) -> str:
        return f"TokenSet(expires_at={self.expires_at:.0f}, refresh={'yes' if self.refresh_token else 'no'})"


@dataclass(frozen=True)
class Identity:
    """Who is logged in, for display and for object keys; taken from verified claims."""

    subject: str
    username: str
    name: str = ""
    email: str = ""
    groups: tuple[str, ...] = ()
    claims: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def from_claims(cls, claims: dict[str, Any], username_claim: str = "preferred_username") -> Identity:
        """``username_claim`` (a profile setting) names the user in object keys and the uploader field. Its absence
        is an error, never a silent fall-back to ``sub``: that is opaque, and pairwise (per client) at some
        providers, so keys would carry a name nobody recognises."""
        groups = claims.get("groups") or claims.get("wlcg.groups") or []
        if isinstance(groups, str):
            groups = [groups]
        username = claims.get(username_claim)
        if not isinstance(username, str | int) or isinstance(username, bool) or not str(username).strip():
            raise AuthError(tr("The identity provider did not say your user name: its answer has no {claim!r} claim "
                               "(the profile's oidc.username_claim). Ask the provider's administrators to release "
                               "it to this application, or set username_claim in the profile to a claim it sends "
                               "(it sends: {claims}).", claim=username_claim,
                               claims=", ".join(sorted(claims)) or tr("nothing")), title="Login problem")
        return cls(
            subject=str(claims.get("sub", "")),
            username=str(username).strip(),
            name=str(claims.get("name", "")),
            email=str(claims.get("email", "")),
            groups=tuple(str(g) for g in groups),
            claims=dict(claims),
        )


def unverified_claims(jwt: str) -> dict[str, Any]:
    """Claims of a JWT without checking it: only for expiry hints, never for trust decisions."""
    try:
        payload = jwt.split(".")[1]
        padded = payload + "=" * (-len(payload) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded))
    except (IndexError, ValueError):
        return {}
    return claims if isinstance(claims, dict) else {}
