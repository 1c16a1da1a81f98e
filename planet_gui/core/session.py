"""The facade the GUI and the CLI drive: one object per profile that logs in, inspects, uploads and
tracks status. It does blocking I/O on purpose; the GUI calls it from worker threads."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from minio import Minio

from planet_gui.core.auth.device_flow import DeviceAuthorization, DeviceFlow
from planet_gui.core.auth.discovery import ProviderInfo, discover
from planet_gui.core.auth.http import make_client
from planet_gui.core.auth.token_store import TokenStore
from planet_gui.core.auth.tokens import Identity, TokenSet
from planet_gui.core.auth.verify import fetch_jwks, verify_jwt
from planet_gui.core.credentials import StsCredentialsProvider
from planet_gui.core.errors import AuthError, NotLoggedIn, SessionEnded
from planet_gui.core.history import UploadHistory, UploadRecord, default_history_path
from planet_gui.core.keys import build_key
from planet_gui.core.profile import Profile
from planet_gui.core.schema import Schema, load_schema
from planet_gui.core.status import ObjectStatus, locate
from planet_gui.core.storage import make_minio
from planet_gui.core.upload import ProgressCallback, UploadResult, upload_file

if TYPE_CHECKING:
    from planet_gui.core.inspect import Inspection

log = logging.getLogger(__name__)

ACCESS_TOKEN_MARGIN = 60.0


class Session:
    def __init__(
        self,
        profile: Profile,
        *,
        token_store: TokenStore | None = None,
        schema: Schema | None = None,
        history: UploadHistory | None = None,
    ) -> None:
        self.profile = profile
        self.schema = schema or load_schema()
        self.tokens_store = token_store or TokenStore(profile.keyring_service)
        self.history = history or UploadHistory(default_history_path(profile.name))
        self._http_client: httpx.Client | None = None
        self._provider: ProviderInfo | None = None
        self._flow: DeviceFlow | None = None
        self._tokens: TokenSet | None = None
        self._identity: Identity | None = None
        self._credentials: StsCredentialsProvider | None = None
        self._minio: Minio | None = None
        self._lock = threading.RLock()
        self.token_refreshes = 0  # silent refreshes since login, shown in diagnostics and counted by tests

    # -- plumbing ----------------------------------------------------------------------------

    @property
    def _http(self) -> httpx.Client:
        if self._http_client is None:
            self._http_client = make_client(self.profile.oidc.ca_bundle)
        return self._http_client

    @property
    def flow(self) -> DeviceFlow:
        if self._flow is None:
            self._provider = discover(self._http, self.profile.oidc.issuer)
            self._flow = DeviceFlow(self._http, self._provider, self.profile.oidc)
        return self._flow

    @property
    def keyring_problem(self) -> str | None:
        return self.tokens_store.problem

    # -- login -------------------------------------------------------------------------------

    def start_login(self) -> DeviceAuthorization:
        return self.flow.start()

    def finish_login(
        self,
        authorization: DeviceAuthorization,
        *,
        cancelled: threading.Event | None = None,
        on_wait: Callable[[float], None] | None = None,
    ) -> Identity:
        tokens = self.flow.poll(authorization, cancelled=cancelled, on_wait=on_wait)
        return self._accept(tokens)

    def restore(self) -> Identity | None:
        """Log in silently with the refresh token from the keyring, if there is one that still works."""
        refresh = self.tokens_store.load()
        if not refresh:
            return None
        try:
            tokens = self.flow.refresh(TokenSet(access_token="", expires_at=0, refresh_token=refresh))
        except SessionEnded:
            log.info("stored login was refused by the provider; a new login is needed")
            self.tokens_store.clear()
            return None
        # any other error (provider down, network cut) keeps the stored login for the next try
        return self._accept(tokens)

    def _accept(self, tokens: TokenSet) -> Identity:
        identity = self._identity_from(tokens)
        with self._lock:
            self._tokens = tokens
            self._identity = identity
            self._reset_storage()
        self.tokens_store.save(tokens.refresh_token)
        return identity

    def _identity_from(self, tokens: TokenSet) -> Identity:
        _ = self.flow  # discovery fills in the provider
        assert self._provider is not None
        if tokens.id_token:
            claims = verify_jwt(tokens.id_token, fetch_jwks(self._http, self._provider),
                                issuer=self._provider.issuer, audience=self.profile.oidc.client_id)
        else:
            claims = self._userinfo(tokens.access_token)
        return Identity.from_claims(claims)

    def _userinfo(self, access_token: str) -> dict[str, Any]:
        assert self._provider is not None
        if not self._provider.userinfo_endpoint:
            raise AuthError("The identity provider gave no ID token and has no userinfo endpoint.")
        response = self._http.get(self._provider.userinfo_endpoint,
                                  headers={"Authorization": f"Bearer {access_token}"})
        if response.status_code != 200:
            raise AuthError("The identity provider would not say who you are; please log in again.")
        body = response.json()
        return body if isinstance(body, dict) else {}

    @property
    def identity(self) -> Identity | None:
        return self._identity

    @property
    def access_token_expires_at(self) -> datetime | None:
        return datetime.fromtimestamp(self._tokens.expires_at, UTC) if self._tokens else None

    @property
    def storage_expires_at(self) -> datetime | None:
        return self._credentials.expires_at if self._credentials else None

    def current_tokens(self) -> TokenSet:
        """Valid tokens, refreshed silently when they are about to expire."""
        with self._lock:
            if self._tokens is None:
                raise NotLoggedIn("Please log in first (planet-lake login).")
            if self._tokens.needs_refresh(ACCESS_TOKEN_MARGIN):
                self._tokens = self.flow.refresh(self._tokens)
                self.token_refreshes += 1
                self.tokens_store.save(self._tokens.refresh_token)
            return self._tokens

    def _sts_token(self) -> str:
        tokens = self.current_tokens()
        if self.profile.oidc.sts_token == "id":
            if not tokens.id_token:
                raise AuthError("The identity provider gave no ID token to exchange for storage access.")
            return tokens.id_token
        return tokens.access_token

    def logout(self) -> None:
        """Revoke at the provider when it can, forget locally in any case."""
        refresh = (self._tokens.refresh_token if self._tokens else None) or self.tokens_store.load()
        if refresh:
            try:
                self.flow.revoke(refresh)
            except AuthError as exc:
                log.warning("could not revoke the token at the provider: %s", exc.message)
        self.tokens_store.clear()
        with self._lock:
            self._tokens = None
            self._identity = None
            self._reset_storage()

    # -- storage -----------------------------------------------------------------------------

    def _reset_storage(self) -> None:
        self._credentials = None
        self._minio = None

    @property
    def credentials(self) -> StsCredentialsProvider:
        with self._lock:
            if self._credentials is None:
                self._credentials = StsCredentialsProvider(
                    self._sts_token, make_client(self.profile.s3.ca_bundle), self.profile.s3_url, self.profile.s3
                )
            return self._credentials

    @property
    def s3(self) -> Minio:
        with self._lock:
            if self._minio is None:
                self._minio = make_minio(self.profile.s3, self.credentials)
            return self._minio

    # -- files -------------------------------------------------------------------------------

    def inspect(self, path: Path) -> Inspection:
        from planet_gui.core.inspect import inspect_file

        return inspect_file(path)

    def initial_values(self, inspection: Inspection) -> dict[str, Any]:
        """Schema defaults, then what inspection inferred: the form the user reviews."""
        values = self.schema.defaults()
        values.update({k: v for k, v in inspection.metadata.items() if k in self.schema.names})
        return values

    def object_key(self, path: Path, values: Mapping[str, Any]) -> str:
        user = self._identity.username if self._identity else "anonymous"
        return build_key(self.profile.key_template, values, user=user, filename=path.name)

    def upload(
        self,
        path: Path,
        values: Mapping[str, Any],
        *,
        validate: bool = True,
        overwrite: bool = False,
        on_progress: ProgressCallback | None = None,
    ) -> UploadResult:
        if self._identity is None:
            raise NotLoggedIn("Please log in before uploading.")
        key = self.object_key(path, values)
        result = upload_file(
            self.s3, self.profile.buckets, self.schema, path, key, values,
            uploader=self._identity.username, validate=validate, overwrite=overwrite, on_progress=on_progress,
        )
        self.history.add(UploadRecord(
            key=result.key, filename=path.name, sha256=result.sha256, size=result.size,
            uploaded_at=datetime.now(UTC).isoformat(timespec="seconds"), profile=self.profile.name,
        ))
        return result

    def status(self, keys: Iterable[str] | None = None) -> list[ObjectStatus]:
        wanted = list(keys) if keys is not None else [r.key for r in self.history.records()]
        return [locate(self.s3, self.profile.buckets, key) for key in wanted]
