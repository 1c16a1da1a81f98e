"""Hook settings, read the way PLANET's hook container reads them: environment first, or a TOML file.

Environment: ENDPOINT (host:port or URL), ACCESSKEYID, SECRETACCESSKEY, and optionally REGION,
SECURE, CA_BUNDLE, RAW_BUCKET, VALIDATED_BUCKET, TRIAGE_BUCKET, POLL_INTERVAL, SEAL_GRACE (seconds an object
whose SHA-256 is still "pending" is left alone before it goes to triage; default a day).
For ``hook --listen`` (S3 event records posted by MinIO): LISTEN (host:port, default 127.0.0.1:9880),
WEBHOOK_TOKEN (the token MinIO's webhook target sends; required when set), RESCAN_INTERVAL (seconds between
sweeps of the raw bucket for what no event announced; default 300).
For notifications: NOTIFY_URL (each triage verdict is POSTed there as JSON) and NOTIFY_TOKEN; by e-mail,
NOTIFY_EMAIL (comma-separated recipients) with SMTP_HOST, SMTP_PORT (587), SMTP_USER, SMTP_PASSWORD, SMTP_FROM and
SMTP_STARTTLS (true: the session is upgraded to TLS before anything is sent, and the certificate checked against
CA_BUNDLE or the usual CAs; false only for a relay on this computer).
Several hooks on one object (``hook --event`` run by Argo, retried): CLAIM_TTL (the claim's lease: its holder renews
it every third of it while it works, and another hook takes over a claim it has seen unrenewed this long; default
90) and CLAIM_WAIT (seconds a one-shot hook waits for
another hook's verdict on the same object; default 900).
KEY_TEMPLATE: the lake's key layout (the profiles' ``[keys] template``, default
``{category}/{source}/{user}/{filename}``); its ``{user}`` segment is the folder the lake's policy lets only that
user write to, so the hook takes the uploader from it (see the README's trust model).
Several raw locations: DESTINATIONS, a JSON list of tables (in a TOML file, ``[[destinations]]`` tables), each
``name``, ``raw`` (bucket), ``prefix``, ``validated``, ``validated_prefix``, ``triage``, ``triage_prefix`` (buckets
default to the *_BUCKET settings, prefixes to ``prefix``): the same tables as the profiles' (see
:mod:`planet_gui.core.destinations`). Without it, one raw location: RAW_BUCKET, no prefix.
RULES: modules whose ``RULES`` the hook runs besides the shipped rules and the ``planet_lake.rules`` entry points
(comma-separated in the environment, a list in TOML); see :mod:`planet_gui.core.rules`.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from planet_gui.core.destinations import Buckets, Destination, default_destination, parse_destinations
from planet_gui.core.errors import ProfileError
from planet_gui.core.lake import DEFAULT_KEY_TEMPLATE, user_position

_LOCAL_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


@dataclass(frozen=True, repr=False)
class SmtpSettings:
    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    user: str | None = None
    password: str | None = None
    starttls: bool = True

    def __repr__(self) -> str:  # never the password
        return f"SmtpSettings(host={self.host!r}, port={self.port!r}, recipients={len(self.recipients)})"


@dataclass(frozen=True, repr=False)
class HookConfig:
    endpoint: str
    access_key: str
    secret_key: str
    secure: bool = False
    region: str = "us-east-1"
    ca_bundle: str | None = None
    buckets: Buckets = Buckets()
    poll_interval: float = 2.0
    seal_grace: float = 86400.0
    listen: tuple[str, int] = ("127.0.0.1", 9880)
    webhook_token: str | None = None
    rescan_interval: float = 300.0
    notify_url: str | None = None
    notify_token: str | None = None
    key_template: str = DEFAULT_KEY_TEMPLATE
    claim_ttl: float = 90.0
    claim_wait: float = 900.0
    smtp: SmtpSettings | None = None
    #: the raw locations the hook serves, each with its validated and triage locations; empty: ``buckets``
    destinations: tuple[Destination, ...] = ()
    #: modules whose ``RULES`` run besides the shipped ones (:func:`planet_gui.core.rules.load_rules`)
    rule_modules: tuple[str, ...] = ()
    #: caps on the personal-data scan of one object (hook.personal_data): past them, triage, never unscanned
    scan_max_bytes: int = 8 * 1024**3
    scan_seconds: float = 600.0

    def __repr__(self) -> str:  # no keys or tokens: the config is logged
        return f"HookConfig(endpoint={self.endpoint!r}, buckets={self.buckets!r}, listen={self.listen!r})"

    @property
    def places(self) -> tuple[Destination, ...]:
        return self.destinations or (default_destination(self.buckets),)

    @property
    def destination(self) -> Destination:
        """The destination a hook built on this config serves (the first; see :func:`for_destination`)."""
        return self.places[0]


def for_destination(config: HookConfig, destination: Destination) -> HookConfig:
    """The config of a hook serving ``destination`` alone: its buckets, and the key layout below its raw prefix
    (so the ``{user}`` folder is found where the lake's policy puts it)."""
    template = destination.raw.prefix + config.key_template
    return replace(config, buckets=destination.buckets, key_template=template, destinations=(destination,))


def serving(config: HookConfig, bucket: str, key: str) -> HookConfig | None:
    """The config of the hook for an object announced in ``bucket`` under ``key`` (an S3 event's): the destination
    whose raw location holds it (the longest prefix), or None when the hook serves no such raw location."""
    matching = [place for place in config.places
                if place.raw.bucket == bucket and place.relative(key) is not None]
    if not matching:
        return None
    return for_destination(config, max(matching, key=lambda place: len(place.raw.prefix)))


def _destinations(value: Any, buckets: Buckets) -> tuple[Destination, ...]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise ProfileError(f"DESTINATIONS must be a JSON list of tables: {exc}") from exc
    return parse_destinations(value, buckets, where="the hook's DESTINATIONS") if value else ()


def _modules(value: Any) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else list(value or ())
    return tuple(str(item).strip() for item in items if str(item).strip())


def parse_listen(text: str) -> tuple[str, int]:
    """``host:port`` (``[::1]:port`` for IPv6) into a bindable address."""
    host, sep, port = text.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ProfileError(f"LISTEN must be host:port, like 127.0.0.1:9880 (got {text!r}).")
    return host, int(port)


def _seconds(upper: Mapping[str, Any], name: str, default: float) -> float:
    try:
        value = float(upper.get(name, default))
    except (TypeError, ValueError):
        value = -1.0
    if value < 0:
        raise ProfileError(f"{name} must be a number of seconds (got {upper.get(name)!r}).")
    return value


def _bytes(upper: Mapping[str, Any], name: str, default: int) -> int:
    try:
        value = int(str(upper.get(name, default)).strip())
    except ValueError:
        value = 0
    if value <= 0:
        raise ProfileError(f"{name} must be a whole number of bytes above zero (got {upper.get(name)!r}).")
    return value


def _notify_url(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    parts = urlsplit(text)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ProfileError("NOTIFY_URL must be an http:// or https:// URL (a chat's incoming webhook, say).")
    return text


def _key_template(value: Any) -> str:
    text = str(value).strip().strip("/")
    if user_position(text) is None:
        raise ProfileError("KEY_TEMPLATE must have {user} as one whole folder, like "
                           f"{DEFAULT_KEY_TEMPLATE} (got {text!r}): the hook takes the uploader from it.")
    return text


def _smtp(upper: Mapping[str, Any]) -> SmtpSettings | None:
    recipients = tuple(part.strip() for part in str(upper.get("NOTIFY_EMAIL", "")).split(",") if part.strip())
    if not recipients:
        return None
    if "SMTP_HOST" not in upper:
        raise ProfileError("NOTIFY_EMAIL needs SMTP_HOST (the mail server that sends the triage e-mails).")
    host = str(upper["SMTP_HOST"]).strip()
    port_text = str(upper.get("SMTP_PORT", "587")).strip()
    if not port_text.isdigit() or not 0 < int(port_text) <= 65535:
        raise ProfileError(f"SMTP_PORT must be a port number (got {port_text!r}).")
    starttls = _truthy(upper.get("SMTP_STARTTLS", "true"))
    if not starttls and host not in _LOCAL_HOSTS:
        raise ProfileError("SMTP_STARTTLS=false is accepted only for a mail relay on this computer: the password "
                           "and the triage reasons would cross the network in clear.")
    user = upper.get("SMTP_USER")
    password = upper.get("SMTP_PASSWORD")
    if (user is None) != (password is None):
        raise ProfileError("SMTP_USER and SMTP_PASSWORD go together.")
    sender = str(upper.get("SMTP_FROM") or user or "")
    if "@" not in sender:
        raise ProfileError("SMTP_FROM must be the e-mail address the triage e-mails come from.")
    bad = [address for address in recipients if "@" not in address]
    if bad:
        raise ProfileError(f"NOTIFY_EMAIL must list e-mail addresses (got {bad[0]!r}).")
    return SmtpSettings(host=host, port=int(port_text), sender=sender, recipients=recipients,
                        user=str(user) if user is not None else None,
                        password=str(password) if password is not None else None, starttls=starttls)


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def from_mapping(raw: Mapping[str, Any]) -> HookConfig:
    """``raw`` uses the environment's names (any case)."""
    upper = {k.upper(): v for k, v in raw.items() if v not in (None, "")}
    missing = [name for name in ("ENDPOINT", "ACCESSKEYID", "SECRETACCESSKEY") if name not in upper]
    if missing:
        raise ProfileError(f"The validation hook needs {', '.join(missing)} (environment or config file).")
    endpoint = str(upper["ENDPOINT"])
    secure = _truthy(upper.get("SECURE", "false"))
    for scheme, is_secure in (("https://", True), ("http://", False)):
        if endpoint.startswith(scheme):
            endpoint, secure = endpoint[len(scheme) :], is_secure
    buckets = Buckets(
        raw=str(upper.get("RAW_BUCKET", "raw")),
        validated=str(upper.get("VALIDATED_BUCKET", "validated")),
        triage=str(upper.get("TRIAGE_BUCKET", "triage")),
    )
    destinations = _destinations(upper.get("DESTINATIONS"), buckets)
    return HookConfig(
        endpoint=endpoint.rstrip("/"),
        access_key=str(upper["ACCESSKEYID"]),
        secret_key=str(upper["SECRETACCESSKEY"]),
        secure=secure,
        region=str(upper.get("REGION", "us-east-1")),
        ca_bundle=upper.get("CA_BUNDLE"),
        buckets=destinations[0].buckets if destinations else buckets,
        poll_interval=_seconds(upper, "POLL_INTERVAL", 2.0),
        seal_grace=_seconds(upper, "SEAL_GRACE", 86400.0),
        listen=parse_listen(str(upper.get("LISTEN", "127.0.0.1:9880"))),
        webhook_token=upper.get("WEBHOOK_TOKEN"),
        rescan_interval=_seconds(upper, "RESCAN_INTERVAL", 300.0),
        notify_url=_notify_url(upper.get("NOTIFY_URL")),
        notify_token=upper.get("NOTIFY_TOKEN"),
        key_template=_key_template(upper.get("KEY_TEMPLATE", DEFAULT_KEY_TEMPLATE)),
        claim_ttl=_seconds(upper, "CLAIM_TTL", 90.0),
        claim_wait=_seconds(upper, "CLAIM_WAIT", 900.0),
        smtp=_smtp(upper),
        destinations=destinations,
        rule_modules=_modules(upper.get("RULES")),
        scan_max_bytes=_bytes(upper, "SCAN_MAX_BYTES", 8 * 1024**3),
        scan_seconds=_seconds(upper, "SCAN_SECONDS", 600.0),
    )


def load_config(path: Path | None = None, environ: Mapping[str, str] | None = None) -> HookConfig:
    env = dict(os.environ if environ is None else environ)
    if path is None:
        return from_mapping(env)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"Cannot read the hook config {path}: {exc}") from exc
    merged = {**{k.upper(): v for k, v in raw.items()}, **{k: v for k, v in env.items() if k in {
        "ENDPOINT", "ACCESSKEYID", "SECRETACCESSKEY", "WEBHOOK_TOKEN", "NOTIFY_TOKEN", "SMTP_PASSWORD"}}}
    return from_mapping(merged)
