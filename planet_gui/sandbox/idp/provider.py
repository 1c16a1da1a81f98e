"""authlib's authorization server, wired for the sandbox: the device grant, the refresh grant and revocation,
RS256 JWT access tokens (``aud`` = the S3 STS client id, so STS accepts them) and ID tokens (``aud`` = the app).

State: device codes and approvals live in memory (they last ten minutes); refresh tokens are kept as SHA-256
hashes in a private file, so a login survives a restart of the sandbox and no token is ever written in clear.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from authlib.oauth2.rfc6749 import AuthorizationServer, ClientMixin, OAuth2Request
from authlib.oauth2.rfc6749.grants import RefreshTokenGrant
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc8628 import DEVICE_CODE_GRANT_TYPE, DeviceAuthorizationEndpoint, DeviceCodeGrant
from authlib.oauth2.rfc8628.models import DeviceCredentialDict
from authlib.oauth2.rfc9068 import JWTBearerTokenGenerator
from joserfc import jwt
from joserfc.errors import JoseError

from planet_gui.sandbox.idp import CLIENT_ID, SCOPES
from planet_gui.sandbox.idp.keys import load_or_create_key, public_jwks
from planet_gui.sandbox.paths import write_private

ACCESS_TOKEN_TTL = 3600
ID_TOKEN_TTL = 600
REFRESH_TOKEN_TTL = 30 * 24 * 3600
DEVICE_CODE_TTL = 600
#: seconds between two polls of the app (IAM sends none and the app assumes 5; the sandbox answers in 1)
POLL_INTERVAL = 1


@dataclass(frozen=True)
class User:
    """The one person of the sandbox."""

    sub: str = "sandbox-user"
    username: str = "sandbox"
    name: str = "Sandbox User"
    email: str = "sandbox@localhost"
    groups: tuple[str, ...] = ("planet-sandbox",)

    def get_user_id(self) -> str:
        return self.sub

    def claims(self, scope: str) -> dict[str, Any]:
        wanted = set(scope.split())
        claims: dict[str, Any] = {}
        if "profile" in wanted:
            claims.update(preferred_username=self.username, name=self.name)
        if "email" in wanted:
            claims.update(email=self.email, email_verified=True)
        if "groups" in wanted:
            claims["groups"] = list(self.groups)
        return claims


SANDBOX_USER = User()


#: how the app authenticates: with the sandbox's client secret, which only its owner's 0600 profile holds, so
#: another account on a shared computer cannot log in to this sandbox through its loopback port
AUTH_METHODS = ["client_secret_basic", "client_secret_post"]


class Client(ClientMixin):  # type: ignore[misc]
    """The app: a confidential client that may use the device grant and refresh tokens."""

    def __init__(self, secret: str) -> None:
        self._secret = secret

    def get_client_id(self) -> str:
        return CLIENT_ID

    def get_default_redirect_uri(self) -> str:
        return ""

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in (scope or "").split() if s in SCOPES)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        return bool(self._secret) and hmac.compare_digest(client_secret.encode(), self._secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in (DEVICE_CODE_GRANT_TYPE, "refresh_token")


class Request(OAuth2Request):  # type: ignore[misc]
    """A form POST as authlib wants it, from our small HTTP server."""

    def __init__(self, method: str, uri: str, headers: Any, form: dict[str, str]) -> None:
        super().__init__(method, uri, headers=headers)
        self.payload = BasicOAuth2Payload(form)
        self._form = form

    @property
    def form(self) -> dict[str, str]:
        return self._form

    @property
    def args(self) -> dict[str, str]:
        return {}


@dataclass
class RefreshRecord:
    client_id: str
    scope: str
    expires_at: float

    def check_client(self, client: Client) -> bool:
        return bool(client.get_client_id() == self.client_id)

    def get_scope(self) -> str:
        return self.scope

    def is_revoked(self) -> bool:
        return False

    def is_expired(self) -> bool:
        return self.expires_at < time.time()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class RefreshStore:
    """Refresh tokens by their hash, in a private JSON file (a few entries: one per login)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = {}
        self._items = {k: RefreshRecord(**v) for k, v in raw.items() if isinstance(v, dict)}

    def add(self, token: str, record: RefreshRecord) -> None:
        with self._lock:
            self._items = {k: v for k, v in self._items.items() if not v.is_expired()}
            self._items[_digest(token)] = record
            self._save()

    def get(self, token: str) -> RefreshRecord | None:
        with self._lock:
            record = self._items.get(_digest(token))
        return record if record is not None and not record.is_expired() else None

    def remove(self, token: str) -> None:
        with self._lock:
            if self._items.pop(_digest(token), None) is not None:
                self._save()

    def _save(self) -> None:
        write_private(self._path, json.dumps({k: vars(v) for k, v in self._items.items()}))


class Provider:
    """Everything the HTTP layer calls: discovery, JWKS, device authorization, approval, token, revocation."""

    def __init__(self, home: Path, issuer: str, audience: str, client_secret: str) -> None:
        self.issuer = issuer  # ends with "/", as IAM's does
        self.audience = audience
        self.key = load_or_create_key(home)
        self.jwks = public_jwks(self.key)
        self.client = Client(client_secret)
        self.refresh_tokens = RefreshStore(home / "refresh-tokens.json")
        self._devices: dict[str, DeviceCredentialDict] = {}  # by device code
        self._approved: dict[str, bool] = {}  # by user code
        self._lock = threading.Lock()
        self.server = self._build_server()

    # -- discovery ---------------------------------------------------------------------------

    def discovery(self) -> dict[str, Any]:
        base = self.issuer.rstrip("/")
        return {
            "issuer": self.issuer,
            "device_authorization_endpoint": f"{base}/devicecode",
            "token_endpoint": f"{base}/token",
            "jwks_uri": f"{base}/jwk",
            "userinfo_endpoint": f"{base}/userinfo",
            "revocation_endpoint": f"{base}/revoke",
            "grant_types_supported": [DEVICE_CODE_GRANT_TYPE, "refresh_token"],
            "scopes_supported": list(SCOPES),
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": AUTH_METHODS,
            "claims_supported": ["sub", "preferred_username", "name", "email", "groups"],
        }

    # -- the user's step ----------------------------------------------------------------------

    def pending(self, user_code: str) -> DeviceCredentialDict | None:
        """The device login waiting for ``user_code`` (None if unknown, expired or already answered)."""
        code = user_code.strip().upper()
        with self._lock:
            for credential in self._devices.values():
                if credential["user_code"] == code and not credential.is_expired() and code not in self._approved:
                    return credential
        return None

    def answer(self, user_code: str, approved: bool) -> bool:
        """The sandbox user approved (or denied) the login showing ``user_code``; False if there is none."""
        if self.pending(user_code) is None:
            return False
        with self._lock:
            self._approved[user_code.strip().upper()] = approved
        return True

    def userinfo(self, bearer: str) -> dict[str, Any] | None:
        try:
            claims = jwt.decode(bearer, self.key).claims
            jwt.JWTClaimsRegistry(exp={"essential": True}).validate(claims)
        except (JoseError, ValueError):
            return None
        if claims.get("iss") != self.issuer:
            return None
        return {"sub": SANDBOX_USER.sub, **SANDBOX_USER.claims(str(claims.get("scope", "")))}

    # -- authlib ----------------------------------------------------------------------------

    def _build_server(self) -> AuthorizationServer:
        provider = self

        class Server(AuthorizationServer):  # type: ignore[misc]
            def query_client(self, client_id: str) -> Client | None:
                return provider.client if client_id == CLIENT_ID else None

            def save_token(self, token: dict[str, Any], request: Any) -> None:
                refresh = token.get("refresh_token")
                if refresh:
                    provider.refresh_tokens.add(refresh, RefreshRecord(
                        CLIENT_ID, str(token.get("scope", "")), time.time() + REFRESH_TOKEN_TTL))

            def create_oauth2_request(self, request: Request) -> Request:
                return request

            def handle_response(self, status: int, body: Any, headers: Any) -> tuple[int, Any, Any]:
                return status, body, headers

            def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
                pass

        class Devices(DeviceAuthorizationEndpoint):  # type: ignore[misc]
            ENDPOINT_NAME = "device_authorization"
            CLIENT_AUTH_METHODS = AUTH_METHODS
            EXPIRES_IN = DEVICE_CODE_TTL
            INTERVAL = POLL_INTERVAL

            def get_verification_uri(self) -> str:
                return f"{provider.issuer}device"

            def save_device_credential(self, client_id: str, scope: str, data: dict[str, Any]) -> None:
                credential = DeviceCredentialDict(client_id=client_id, scope=scope or "",
                                                  expires_at=time.time() + DEVICE_CODE_TTL, **data)
                with provider._lock:
                    provider._devices = {k: v for k, v in provider._devices.items() if not v.is_expired()}
                    provider._devices[data["device_code"]] = credential

        class DeviceGrant(DeviceCodeGrant):  # type: ignore[misc]
            TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

            def query_device_credential(self, device_code: str) -> DeviceCredentialDict | None:
                with provider._lock:
                    return provider._devices.get(device_code)

            def query_user_grant(self, user_code: str) -> tuple[User, bool] | None:
                with provider._lock:
                    approved = provider._approved.get(user_code)
                return None if approved is None else (SANDBOX_USER, approved)

            def should_slow_down(self, credential: Any) -> bool:
                return False

            def create_token_response(self) -> Any:
                result = super().create_token_response()
                with provider._lock:  # a device code gives one token set, once
                    provider._devices.pop(self.request.credential["device_code"], None)
                return result

        class Refresh(RefreshTokenGrant):  # type: ignore[misc]
            TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS
            INCLUDE_NEW_REFRESH_TOKEN = False  # IAM keeps the same refresh token

            def authenticate_refresh_token(self, refresh_token: str) -> RefreshRecord | None:
                return provider.refresh_tokens.get(refresh_token)

            def authenticate_user(self, refresh_token: RefreshRecord) -> User:
                return SANDBOX_USER

            def revoke_old_credential(self, refresh_token: RefreshRecord) -> None:
                pass

        class Revocation(RevocationEndpoint):  # type: ignore[misc]
            CLIENT_AUTH_METHODS = AUTH_METHODS

            def query_token(self, token_string: str, token_type_hint: str | None) -> Any:
                record = provider.refresh_tokens.get(token_string)
                if record is not None:
                    record.token = token_string  # type: ignore[attr-defined]
                return record

            def revoke_token(self, token: Any, request: Any) -> None:
                provider.refresh_tokens.remove(token.token)

        server = Server(scopes_supported=list(SCOPES))
        server.register_endpoint(Devices)
        server.register_endpoint(Revocation)
        server.register_grant(DeviceGrant)
        server.register_grant(Refresh)
        server.register_token_generator("default", self._tokens)
        return server

    def _tokens(self, grant_type: str, client: Client, user: User | None = None, scope: str | None = None,
                expires_in: int | None = None, include_refresh_token: bool = True) -> dict[str, Any]:
        """A JWT access token for STS, an ID token for the app, a refresh token only with offline_access."""
        provider = self

        class AccessTokens(JWTBearerTokenGenerator):  # type: ignore[misc]
            def get_jwks(self) -> Any:
                return provider.key

            def get_audiences(self, client: Client, user: Any, scope: str) -> str:
                return provider.audience

            def get_extra_claims(self, client: Client, grant_type: str, user: Any, scope: str) -> dict[str, Any]:
                return SANDBOX_USER.claims(scope or "")

        granted = client.get_allowed_scope(scope or "")
        refresh = include_refresh_token and "offline_access" in granted.split()
        generator = AccessTokens(self.issuer, refresh_token_generator=lambda **_: secrets.token_urlsafe(48),
                                 expires_generator=ACCESS_TOKEN_TTL)
        token: dict[str, Any] = generator(grant_type, client, user=user, scope=granted, expires_in=expires_in,
                                          include_refresh_token=refresh)
        if "openid" in granted.split() and user is not None:
            token["id_token"] = self.id_token(user, granted)
        return dict(token)

    def id_token(self, user: User, scope: str) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": user.sub, "aud": CLIENT_ID, "azp": CLIENT_ID, "iat": now,
                  "auth_time": now, "exp": now + ID_TOKEN_TTL, **user.claims(scope)}
        return jwt.encode({"alg": "RS256", "typ": "JWT"}, claims, self.key)
