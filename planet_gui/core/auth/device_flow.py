"""The OAuth 2.0 device authorization grant (RFC 8628) the way INDIGO-IAM speaks it.

IAM sends no ``interval`` (we assume 5 s), answers ``authorization_pending`` with HTTP 400, and never
says ``access_denied``: a user who refuses just lets the code expire, so callers get the time left
through ``on_wait`` and a ``cancelled`` event to stop early.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import httpx

from planet_gui.core.auth.discovery import ProviderInfo
from planet_gui.core.auth.tokens import TokenSet
from planet_gui.core.errors import AuthError, SessionEnded
from planet_gui.core.i18n import tr
from planet_gui.core.profile import OidcSettings

DEFAULT_INTERVAL = 5.0
SLOW_DOWN_STEP = 5.0
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
CLIENT_SECRET_ENV = "PLANET_OIDC_CLIENT_SECRET"


class LoginCancelled(AuthError):
    title = "Login cancelled"


class Revocation(StrEnum):
    """What the provider did with a revocation request: people are told which, never "revoked" on a guess."""

    REVOKED = "revoked"  # the provider confirmed (RFC 7009: 200)
    REFUSED = "refused"  # it answered, and would not (e.g. 401: it wants client authentication we cannot give)
    NOT_OFFERED = "not offered"  # its discovery names no revocation endpoint
    UNREACHABLE = "unreachable"  # no answer (network, provider down)


@dataclass(frozen=True)
class RevocationResult:
    outcome: Revocation
    detail: str = ""  # the provider's reason or the network error, for the message

    @property
    def revoked(self) -> bool:
        return self.outcome is Revocation.REVOKED

    def __bool__(self) -> bool:
        """True only when revoked: ``if flow.revoke(token)`` reads as it did when revoke returned a bool."""
        return self.revoked


@dataclass(frozen=True, repr=False)
class DeviceAuthorization:
    device_code: str
    user_code: str
    verification_uri: str
    verification_uri_complete: str | None
    expires_at: float
    interval: float

    @property
    def link(self) -> str:
        """The link to show: the complete one saves the user typing the code."""
        return self.verification_uri_complete or self.verification_uri

    def seconds_left(self) -> float:
        return max(0.0, self.expires_at - time.monotonic())

    def __repr__(self) -> str:
        return f"DeviceAuthorization(user_code={self.user_code!r}, uri={self.verification_uri!r})"


class DeviceFlow:
    def __init__(self, client: httpx.Client, provider: ProviderInfo, settings: OidcSettings) -> None:
        self._client = client
        self._provider = provider
        self._settings = settings
        # (monotonic time, outcome) of each device-code poll: shows the polling rate, e.g. in diagnostics
        self.poll_log: list[tuple[float, str]] = []

    # -- client authentication ----------------------------------------------------------------

    def _client_secret(self) -> str | None:
        return os.environ.get(CLIENT_SECRET_ENV) or self._settings.client_secret

    def _post(self, url: str, data: dict[str, str]) -> httpx.Response:
        secret = self._client_secret()
        if not secret:
            data = {**data, "client_id": self._settings.client_id}
        try:
            if secret:
                return self._client.post(url, data=data, auth=httpx.BasicAuth(self._settings.client_id, secret))
            return self._client.post(url, data=data)
        except httpx.HTTPError as exc:
            raise AuthError(tr("Cannot reach the identity provider: {error}", error=exc)) from exc

    def _audience_params(self) -> dict[str, str]:
        params: dict[str, str] = {}
        if self._settings.resource:
            params["resource"] = self._settings.resource
        if self._settings.audience:
            params["audience"] = self._settings.audience
        return params

    # -- the grant --------------------------------------------------------------------------

    @property
    def token_requests(self) -> int:
        return len(self.poll_log)

    def start(self) -> DeviceAuthorization:
        self.poll_log.clear()
        data = {"scope": " ".join(self._settings.scopes), **self._audience_params()}
        response = self._post(self._provider.device_authorization_endpoint, data)
        body = _json(response)
        if response.status_code != 200:
            raise AuthError(tr("The identity provider refused to start a login: {detail}",
                               detail=_describe(body, response)))
        try:
            return DeviceAuthorization(
                device_code=str(body["device_code"]),
                user_code=str(body["user_code"]),
                verification_uri=str(body["verification_uri"]),
                verification_uri_complete=body.get("verification_uri_complete"),
                expires_at=time.monotonic() + float(body.get("expires_in", 600)),
                interval=float(body.get("interval") or DEFAULT_INTERVAL),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise AuthError(tr("The identity provider's device login answer is incomplete.")) from exc

    def poll(
        self,
        authorization: DeviceAuthorization,
        *,
        cancelled: threading.Event | None = None,
        on_wait: Callable[[float], None] | None = None,
    ) -> TokenSet:
        """Wait for the user to approve; never polls faster than the provider allows."""
        stop = cancelled or threading.Event()
        interval = authorization.interval
        while True:
            if on_wait is not None:
                on_wait(authorization.seconds_left())
            if authorization.seconds_left() <= 0:
                raise AuthError(tr("The login code expired before it was approved. Please start again."))
            if stop.wait(min(interval, authorization.seconds_left())):
                raise LoginCancelled(tr("Login was cancelled."))
            response = self._post(
                self._provider.token_endpoint,
                {"grant_type": DEVICE_GRANT, "device_code": authorization.device_code, **self._audience_params()},
            )
            body = _json(response)
            granted = response.status_code == 200 and "access_token" in body
            error = str(body.get("error", ""))
            self.poll_log.append((time.monotonic(), "token" if granted else error or str(response.status_code)))
            if granted:
                return TokenSet.from_response(body)
            if error == "authorization_pending":
                continue
            if error == "slow_down":
                interval += SLOW_DOWN_STEP
                continue
            if error == "access_denied":
                raise AuthError(tr("The login was refused at the identity provider. Start again to retry."),
                                title="Login denied")
            if error == "expired_token":
                raise AuthError(tr("The login code expired before it was approved. Please start again."))
            raise AuthError(tr("The identity provider refused the login: {detail}", detail=_describe(body, response)))

    def refresh(self, tokens: TokenSet) -> TokenSet:
        if not tokens.refresh_token:
            raise AuthError(tr("There is no refresh token; please log in again."))
        response = self._post(
            self._provider.token_endpoint,
            {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token, **self._audience_params()},
        )
        body = _json(response)
        if response.status_code == 200 and "access_token" in body:
            return TokenSet.from_response(body, previous=tokens)
        if response.status_code in (400, 401) and body.get("error") in ("invalid_grant", "invalid_token", None):
            raise SessionEnded(tr("Your session has ended; please log in again. Your queued files are kept."))
        raise AuthError(tr("The identity provider could not renew your login: {detail}",
                           detail=_describe(body, response)))

    def revoke(self, token: str, hint: str = "refresh_token", *, access_token: str | None = None) -> RevocationResult:
        """Ask the provider to revoke ``token`` (RFC 7009) in the ways it offers, and say what it answered.

        A confidential client authenticates as it does at the token endpoint. A public client cannot; it sends its
        client id (RFC 7009 lets public clients revoke) where the provider accepts that (``none``, or no list), and
        the user's own access token as a bearer where the provider lists ``bearer`` (glewlwyd). Providers that only
        list ``client_secret_basic`` answer a public client 401, and the result says so."""
        endpoint = self._provider.revocation_endpoint
        if not endpoint:
            return RevocationResult(Revocation.NOT_OFFERED)
        data = {"token": token, "token_type_hint": hint}
        methods = self._provider.raw.get("revocation_endpoint_auth_methods_supported")
        advertised = {str(m) for m in methods} if isinstance(methods, list) else None
        ways: list[str] = []
        if self._client_secret():
            ways.append("client")
        else:
            if advertised is None or "none" in advertised:
                ways.append("client")
            if access_token and (advertised is None or "bearer" in advertised):
                ways.append("bearer")
            ways = ways or ["client"]  # nothing listed fits a public client: it may still try, as RFC 7009 allows
        refused: httpx.Response | None = None
        try:
            for way in ways:
                if way == "bearer":
                    response = self._client.post(endpoint, data=data,
                                                 headers={"Authorization": f"Bearer {access_token}"})
                else:
                    response = self._post(endpoint, data)
                if response.status_code == 200:
                    return RevocationResult(Revocation.REVOKED)
                refused = response
        except AuthError as exc:
            return RevocationResult(Revocation.UNREACHABLE, exc.message)
        except httpx.HTTPError as exc:
            return RevocationResult(Revocation.UNREACHABLE, str(exc) or type(exc).__name__)
        assert refused is not None
        detail = _describe(_json(refused), refused)
        if refused.status_code == 401 and detail == "HTTP 401":
            detail = tr("HTTP 401: it wants client authentication this application cannot give")
        return RevocationResult(Revocation.REFUSED, detail)


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _describe(body: dict[str, Any], response: httpx.Response) -> str:
    error = body.get("error_description") or body.get("error")
    return str(error) if error else f"HTTP {response.status_code}"
