"""The facade the GUI and the CLI drive: one object per profile that logs in, inspects, uploads and
tracks status. It does blocking I/O on purpose; the GUI calls it from worker threads."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planet_gui.core.errors import AuthError, NotLoggedIn, SessionEnded
from planet_gui.core.history import UploadHistory, UploadRecord, default_history_path
from planet_gui.core.i18n import tr
from planet_gui.core.prepared import Prepared as Prepared  # what prepare() gives; named here for callers
from planet_gui.core.profile import Profile
from planet_gui.core.rules import RuleSet, installed_rules
from planet_gui.core.schema import Schema, load_schema
from planet_gui.core.session_lake import LakeViews

if TYPE_CHECKING:
    import httpx
    from minio import Minio

    from planet_gui.core.auth.device_flow import DeviceAuthorization, DeviceFlow, Revocation, RevocationResult
    from planet_gui.core.auth.discovery import ProviderInfo, discover
    from planet_gui.core.auth.http import make_client
    from planet_gui.core.auth.logout import LogoutResult
    from planet_gui.core.auth.token_store import TokenStore
    from planet_gui.core.auth.tokens import Identity, TokenSet
    from planet_gui.core.auth.verify import fetch_jwks, verify_jwt
    from planet_gui.core.credentials import StsCredentialsProvider
    from planet_gui.core.inspect import Inspection
    from planet_gui.core.keys import build_key
    from planet_gui.core.status import locate
    from planet_gui.core.storage import make_minio
    from planet_gui.core.transfer import (
        ConflictPolicy,
        JournalEntry,
        TransferEngine,
        TransferJob,
        TransferSettings,
        UploadItem,
        UploadOutcome,
    )
    from planet_gui.core.transfer.conflicts import Resolver
    from planet_gui.core.transfer.events import Subscriber, TransferEvent
    from planet_gui.core.transfer.progress import Listener
    from planet_gui.core.transfer.watch import WatchEvent, WatchSettings
    from planet_gui.core.upload import UploadResult
    from planet_gui.core.watching import FolderWatcher
else:  # loaded on first use: the window paints before the HTTP, S3 and JWT libraries load (core/lazy.py)
    from planet_gui.core.lazy import lazy

    DeviceFlow, Revocation, RevocationResult = lazy("planet_gui.core.auth.device_flow", "DeviceFlow", "Revocation",
                                                    "RevocationResult")
    discover, = lazy("planet_gui.core.auth.discovery", "discover")
    make_client, = lazy("planet_gui.core.auth.http", "make_client")
    LogoutResult, = lazy("planet_gui.core.auth.logout", "LogoutResult")
    TokenStore, = lazy("planet_gui.core.auth.token_store", "TokenStore")
    Identity, TokenSet = lazy("planet_gui.core.auth.tokens", "Identity", "TokenSet")
    fetch_jwks, verify_jwt = lazy("planet_gui.core.auth.verify", "fetch_jwks", "verify_jwt")
    StsCredentialsProvider, = lazy("planet_gui.core.credentials", "StsCredentialsProvider")
    build_key, = lazy("planet_gui.core.keys", "build_key")
    locate, = lazy("planet_gui.core.status", "locate")
    make_minio, = lazy("planet_gui.core.storage", "make_minio")

log = logging.getLogger(__name__)

ACCESS_TOKEN_MARGIN = 60.0


class Session(LakeViews):
    """The one way into the core for the window, the CLI and the watcher: login, inspection, uploads; the
    lake's side (verdicts, fixes, receipts, its schema) is :class:`LakeViews`."""

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
        #: a schema given here is kept; otherwise the lake's replaces the built-in one once the user is logged in
        self._schema_given = schema is not None
        self._lake_schema_read = False
        #: why the schema in use is not the one the lake publishes now (None when it is, or not yet known)
        self.schema_note: str | None = None
        self._rules: RuleSet | None = None  # read on first use (:attr:`rules`)
        self.tokens_store = token_store or TokenStore(profile.keyring_service, legacy=profile.legacy_keyring_service,
                                                      bound_to=profile.identity_provider)
        self.history = history or UploadHistory(default_history_path(profile.name))
        self._http_client: httpx.Client | None = None
        self._provider: ProviderInfo | None = None
        self._flow: DeviceFlow | None = None
        self._tokens: TokenSet | None = None
        self._identity: Identity | None = None
        self._credentials: StsCredentialsProvider | None = None
        self._minio: Minio | None = None
        self._lock = threading.RLock()
        self._transfer_config: dict[str, Any] = {}
        self._engines: dict[str, TransferEngine] = {}
        self._subscribers: list[Subscriber] = []
        self.token_refreshes = 0  # silent refreshes since login, shown in diagnostics and counted by tests
        self._submission_of: dict[Path, str] = {}  # each file's open submission (LakeViews.open_submission)

    @property
    def rules(self) -> RuleSet:
        """The rules beyond the schema that need no content, checked here before upload as the hook checks them.
        Read on first use: finding the entry points' rules loads ``importlib.metadata`` (~40 ms), which the window's
        start does not need before its first paint."""
        if self._rules is None:
            self._rules = installed_rules().metadata_only()
        return self._rules

    @rules.setter
    def rules(self, value: RuleSet) -> None:
        self._rules = value

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
            self._lake_schema_read = False  # read again for this login, at the first check
        self.tokens_store.save(tokens.refresh_token)
        return identity

    def _identity_from(self, tokens: TokenSet) -> Identity:
        """From the verified ID token; from userinfo when there is none (a refresh answer) or when it lacks the
        profile's username claim (providers that release profile claims at userinfo only)."""
        _ = self.flow  # discovery fills in the provider
        assert self._provider is not None
        claim = self.profile.oidc.username_claim
        if tokens.id_token:
            claims = verify_jwt(tokens.id_token, fetch_jwks(self._http, self._provider),
                                issuer=self._provider.issuer, audience=self.profile.oidc.client_id)
            if claim not in claims and self._provider.userinfo_endpoint:
                extra = self._userinfo(tokens.access_token)
                if str(extra.get("sub", "")) == str(claims.get("sub", "")):  # the same user (OIDC Core 5.3.2)
                    claims = {**extra, **claims}
        else:
            claims = self._userinfo(tokens.access_token)
        return Identity.from_claims(claims, claim)

    def _userinfo(self, access_token: str) -> dict[str, Any]:
        assert self._provider is not None
        if not self._provider.userinfo_endpoint:
            raise AuthError(tr("The identity provider gave no ID token and has no userinfo endpoint."))
        response = self._http.get(self._provider.userinfo_endpoint,
                                  headers={"Authorization": f"Bearer {access_token}"})
        if response.status_code != 200:
            raise AuthError(tr("The identity provider would not say who you are; please log in again."))
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
                raise NotLoggedIn(tr("Please log in first (planet-lake login)."))
            if self._tokens.needs_refresh(ACCESS_TOKEN_MARGIN):
                self._tokens = self.flow.refresh(self._tokens)
                self.token_refreshes += 1
                self.tokens_store.save(self._tokens.refresh_token)
            return self._tokens

    def _sts_token(self) -> str:
        tokens = self.current_tokens()
        if self.profile.oidc.sts_token == "id":
            if not tokens.id_token:
                raise AuthError(tr("The identity provider gave no ID token to exchange for storage access."))
            return tokens.id_token
        return tokens.access_token

    def logout(self) -> LogoutResult:
        """Revoke at the provider when it can, forget locally in any case; the result says which happened."""
        refresh = (self._tokens.refresh_token if self._tokens else None) or self.tokens_store.load()
        access = self._tokens.access_token if self._tokens and not self._tokens.expires_within(5) else None
        result: RevocationResult | None = None
        if refresh:
            try:
                result = self.flow.revoke(refresh, access_token=access)
            except AuthError as exc:  # discovery failed: the provider is unreachable or misconfigured
                result = RevocationResult(Revocation.UNREACHABLE, exc.message)
            if not result.revoked:
                log.warning("the provider did not revoke the login (%s): %s", result.outcome.value, result.detail)
        self.tokens_store.clear()
        with self._lock:
            self._tokens = None
            self._identity = None
            self._reset_storage()
        return LogoutResult(result)

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

    # -- files: the one way from a path to an upload -------------------------------------------

    def inspect(self, path: Path) -> Inspection:
        """What the file holds (metadata inferred from its content) and whether it holds personal data."""
        from planet_gui.core.privacy.inspection import inspect_and_scan

        return inspect_and_scan(path)

    def initial_values(self, inspection: Inspection) -> dict[str, Any]:
        """Schema defaults, then what inspection inferred: the form the user reviews."""
        values = self.schema.defaults()
        values.update({k: v for k, v in inspection.metadata.items() if k in self.schema.names})
        return values

    def object_key(self, path: Path, values: Mapping[str, Any], destination: str | None = None) -> str:
        """The raw key: the destination's raw prefix, then the profile's template filled in."""
        user = self._identity.username if self._identity else "anonymous"
        place = self.profile.destination(destination)
        return place.raw_key(build_key(self.profile.key_template, values, user=user, filename=path.name))

    def prepare(self, path: Path, overrides: Mapping[str, Any] | None = None, *,
                language: str | None = None, destination: str | None = None) -> Prepared:
        """Inspect ``path``, start from the schema's defaults and what inspection inferred, lay ``overrides``
        (a template, ``--set``) over them, and check the result: what the CLI prints, the watcher submits and
        the window shows. Raises only when the file cannot be inspected."""
        inspection = self.inspect(path)
        values = self.initial_values(inspection)
        values.update(overrides or {})
        return self.review(path, values, language=language, inspection=inspection, destination=destination)

    def review(self, path: Path, values: Mapping[str, Any], *, language: str | None = None,
               inspection: Inspection | None = None, destination: str | None = None) -> Prepared:
        """The same check for values a person edited (no new inspection): problems in ``language``, the key.
        The problems are the schema's and those of the rules that need no content, as the hook words them."""
        self._lake_schema()
        kept = {k: v for k, v in values.items() if v is not None}
        problems = self.schema.problems(kept, language) + [str(p) for p in self.rules.problems(kept)]
        place = self.profile.destination(destination)
        return Prepared(path=path, values=kept, key=self.object_key(path, kept, place.name),
                        problems=problems, inspection=inspection, destination=place.name)

    def submit(self, path: Path, values: Mapping[str, Any], *, validate: bool = True,
               conflict: ConflictPolicy | None = None, on_update: Listener | None = None,
               destination: str | None = None) -> TransferJob:
        """Start uploading ``path`` with ``values`` (resumably, verified) to ``destination`` (the profile's first
        when None) and return its job at once; follow it with ``on_update`` or :meth:`subscribe`, wait with
        :meth:`wait_upload`."""
        item = self.upload_item(path, values, validate=validate, conflict=conflict, destination=destination)
        return self._engine(destination).submit(item, on_update=on_update)

    def upload(
        self,
        path: Path,
        values: Mapping[str, Any],
        *,
        validate: bool = True,
        overwrite: bool = False,
        conflict: ConflictPolicy | None = None,
        on_update: Listener | None = None,
        destination: str | None = None,
    ) -> UploadResult:
        """Upload one file (resumably, verified) and wait; raises the reason it failed (already in the lake,
        invalid metadata, refused). The GUI calls it from a worker thread; ``cancel_upload`` stops it."""
        from planet_gui.core.transfer import ConflictPolicy
        from planet_gui.core.upload import result_of

        policy = conflict or (ConflictPolicy.OVERWRITE if overwrite else ConflictPolicy.REFUSE)
        job = self.submit(path, values, validate=validate, conflict=policy, on_update=on_update,
                          destination=destination)
        return result_of(self.wait_upload(job))

    # -- uploads: the engine in planet_gui.core.transfer ---------------------------------------

    def configure_transfers(
        self,
        settings: TransferSettings | None = None,
        *,
        journal_path: Path | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        """Set up the upload engine: parallelism, part size, retry budget, where the journal lives, how to
        ask about conflicts (the GUI's dialog). Arguments left out keep their value. Uploads running now are
        interrupted (they stay resumable); the next upload uses the new set-up."""
        with self._lock:
            for name, value in (("settings", settings), ("journal_path", journal_path), ("resolver", resolver)):
                if value is not None:
                    self._transfer_config[name] = value
        self.stop_uploads()

    @property
    def transfer_settings(self) -> TransferSettings:
        """The upload settings in force (what :meth:`configure_transfers` was given last, else the defaults), so
        a caller changing one of them (the window's bandwidth cap) keeps the others."""
        from planet_gui.core.transfer import TransferSettings

        with self._lock:
            settings = self._transfer_config.get("settings")
        return settings if isinstance(settings, TransferSettings) else TransferSettings()

    def _engine(self, destination: str | None = None) -> TransferEngine:
        """The upload engine of ``destination`` (None: the profile's first), built on first use from
        :meth:`configure_transfers`'s set-up; the first keeps the profile's journal scope (older uploads resume)."""
        from planet_gui.core.transfer import EngineSetup, Journal, TransferEngine, TransferSettings

        place = self.profile.destination(destination)
        with self._lock:
            engine = self._engines.get(place.name)
            if engine is None:
                config = self._transfer_config
                first = place.name == self.profile.places[0].name
                engine = TransferEngine(EngineSetup(
                    lambda: self.s3, place.buckets, self.schema, Journal(config.get("journal_path")),
                    scope=self.transfer_scope if first else f"{self.transfer_scope}#{place.name}",
                    settings=config.get("settings") or TransferSettings(), resolver=config.get("resolver"),
                    on_credentials_expired=self._forget_storage_credentials,
                ))
                engine.subscribe(self._relay)
                self._engines[place.name] = engine
            return engine

    def _engines_use(self, schema: Schema) -> None:
        for engine in self._engines.values():
            engine.schema = schema

    def _all_engines(self) -> list[TransferEngine]:  # every destination's (each has its own journal scope)
        return [self._engine(place.name) for place in self.profile.places]

    @property
    def transfer_scope(self) -> str:
        """Journal entries belong to one profile and one storage endpoint."""
        return f"{self.profile.name}@{self.profile.s3.endpoint}"

    def _forget_storage_credentials(self) -> None:
        credentials = self._credentials
        if credentials is not None:
            credentials.forget()

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Follow every upload of this session (queued, progress, done; :mod:`planet_gui.core.transfer.events`),
        also across :meth:`configure_transfers`, which builds a new engine. Returns the function that stops it."""
        with self._lock:
            self._subscribers = [*self._subscribers, subscriber]

        def unsubscribe() -> None:
            with self._lock:
                self._subscribers = [s for s in self._subscribers if s is not subscriber]

        return unsubscribe

    def _relay(self, event: TransferEvent) -> None:
        """The engine's one subscriber: hands each event to the session's (a copy-on-write list, no lock held)."""
        for subscriber in self._subscribers:
            try:
                subscriber(event)
            except Exception:  # noqa: BLE001 - a broken follower must not keep the others from hearing
                log.exception("upload event subscriber failed")

    def upload_item(self, path: Path, values: Mapping[str, Any], *, validate: bool = True,
                    conflict: ConflictPolicy | None = None, destination: str | None = None) -> UploadItem:
        """What the engine needs for one file: its key (the destination's raw prefix and the profile's template),
        the uploader's name. With ``validate``, values the rules refuse (as the hook would) are refused here."""
        from planet_gui.core.errors import MetadataInvalid
        from planet_gui.core.transfer import ConflictPolicy, UploadItem

        if self._identity is None:
            raise NotLoggedIn(tr("Please log in before uploading."))
        self._lake_schema()
        full = {k: v for k, v in values.items() if v is not None and k != "sha256"}
        if validate:
            refused = [str(p) for p in self.rules.problems(full)]
            if refused:
                raise MetadataInvalid(refused)
        full["uploader"] = self._identity.username
        return UploadItem(path=path, key=self.object_key(path, values, destination), values=full, validate=validate,
                          conflict=conflict or ConflictPolicy.REFUSE)

    def upload_many(
        self,
        files: Iterable[tuple[Path, Mapping[str, Any]]],
        *,
        validate: bool = True,
        conflict: ConflictPolicy | None = None,
        on_update: Listener | None = None,
        destination: str | None = None,
    ) -> list[UploadOutcome]:
        """Upload files in parallel (one global limit on requests in flight) and wait for all of them;
        each outcome says done, skipped (already there), failed (and why), cancelled or interrupted."""
        items = [self.upload_item(path, values, validate=validate, conflict=conflict, destination=destination)
                 for path, values in files]
        engine = self._engine(destination)
        jobs = [engine.submit(item, on_update=on_update) for item in items]
        return [self.wait_upload(job) for job in jobs]

    def jobs(self) -> list[TransferJob]:
        """The uploads of the current engines, running and finished."""
        return [job for engine in self._all_engines() for job in engine.jobs()]

    def jobs_for(self, path: Path) -> list[TransferJob]:
        """The uploads of ``path`` in the current engine, oldest first: the last one is the newest."""
        return [job for job in self._engine().jobs() if job.item.path == path]

    @property
    def journal_recovered(self) -> str | None:
        """Opens the upload journal if it is not open yet; when the one on disk could not be read (it was moved
        aside and a new one started), the sentence that says so, for the user to see. None otherwise."""
        return self._engine().journal.recovered

    def unfinished_uploads(self) -> list[JournalEntry]:
        """Uploads interrupted by a crash, a kill or Ctrl-C, as the journal holds them."""
        return [entry for engine in self._all_engines() for entry in engine.unfinished()]

    def abandoned_uploads(self) -> list[JournalEntry]:
        """Unfinished uploads nothing drives now (no job of this session, no other window, CLI or watcher):
        what to offer to resume or discard."""
        return [entry for engine in self._all_engines() for entry in engine.abandoned()
                if not engine.held_elsewhere(entry)]

    def confirmed_bytes(self, entry: JournalEntry) -> int:
        """How much of an interrupted upload the server confirmed (what resuming it will not send again)."""
        return sum(part.size for part in self._engine().journal.parts(entry.id).values())

    def uploaded_before(self, path: Path, size: int, mtime_ns: int) -> JournalEntry | None:
        """The finished upload of this very file (same path, size and mtime), if the journal remembers one."""
        return self._engine().journal.done_for_identity(self.transfer_scope, path, size, mtime_ns)

    def resume_interrupted(self, on_update: Listener | None = None) -> list[TransferJob]:
        """Take up every abandoned upload again, sending only the parts the server lacks; returns the jobs."""
        if self._identity is None:
            raise NotLoggedIn(tr("Please log in before uploading."))
        return [job for engine in self._all_engines() for job in engine.resume_unfinished(on_update=on_update)]

    def resume_uploads(self, on_update: Listener | None = None) -> list[UploadOutcome]:
        """Finish every interrupted upload of this profile and wait for them."""
        return [self.wait_upload(job) for job in self.resume_interrupted(on_update)]

    def discard_unfinished_uploads(self) -> list[JournalEntry]:
        """Abort every interrupted upload on the server (no orphan parts stay) and forget it."""
        return [entry for engine in self._all_engines() for entry in engine.discard_unfinished()]

    def pause_uploads(self) -> None:
        for engine in self._all_engines():
            engine.pause()

    def resume_paused_uploads(self) -> None:
        for engine in self._all_engines():
            engine.resume()

    @property
    def uploads_paused(self) -> bool:
        engines = list(self._engines.values())
        return bool(engines) and all(engine.paused for engine in engines)

    def cancel_upload(self, path: Path) -> bool:
        """Cancel the running upload of ``path``: it is aborted on the server. False if none runs."""
        found = False
        for job in self.jobs():
            if job.item.path == path and not job.finished:
                job.cancel()
                found = True
        return found

    def stop_uploads(self) -> None:
        """Interrupt every upload, keeping each resumable (closing the window, Ctrl-C); waits for the
        requests in flight. The next upload starts a new engine."""
        with self._lock:
            engines = list(self._engines.values())
            self._engines = {}
        for engine in engines:
            engine.close()
            engine.journal.close()

    def watch_folder(
        self,
        folder: Path,
        *,
        template: Mapping[str, Any] | None = None,
        stop: threading.Event | None = None,
        settings: WatchSettings | None = None,
        conflict: ConflictPolicy | None = None,
        on_event: Callable[[WatchEvent], None] | None = None,
        on_update: Listener | None = None,
        destination: str | None = None,
    ) -> FolderWatcher:
        """Upload each new file of ``folder`` once it is complete (its size stable), with the template's values
        merged over what inspection infers. Returns the watcher after it stopped (``stop`` set, or ``once``)."""
        from planet_gui.core.watching import FolderWatcher

        watcher = FolderWatcher(self, folder, template=template or {}, settings=settings, conflict=conflict,
                                on_event=on_event, on_update=on_update, destination=destination)
        watcher.run(stop or threading.Event())
        return watcher

    def wait_upload(self, job: TransferJob) -> UploadOutcome:
        """Wait for a job; record a success in the upload history (for ``status``)."""
        outcome = job.wait()
        assert outcome is not None
        if outcome.ok:
            self.history.add(UploadRecord(
                key=outcome.key, filename=outcome.path.name, sha256=outcome.sha256, size=outcome.size,
                uploaded_at=datetime.now(UTC).isoformat(timespec="seconds"), profile=self.profile.name,
                etag=outcome.etag.strip('"'),
            ))
            self._receipt(outcome, job.item.values)
        return outcome


