"""Deployment profiles: which identity provider, which S3 endpoint, which buckets.

A profile is a small TOML file. Its location is, in order: the ``--profile`` option, the
``PLANET_PROFILE`` environment variable, then ``profile.toml`` in the user's config directory.
A profile never holds a token or an S3 key; only an OIDC client secret may appear, and only for
confidential clients, because IAM issues those per deployment rather than per user.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from planet_gui.core.destinations import Buckets as Buckets
from planet_gui.core.destinations import Destination, parse_destinations
from planet_gui.core.errors import ProfileError
from planet_gui.core.i18n import tr
from planet_gui.core.private import APP_NAME as APP_NAME
from planet_gui.core.private import app_config_dir, write_private
from planet_gui.core.tls import check_ca_bundle

PROFILE_ENV = "PLANET_PROFILE"
DEFAULT_KEY_TEMPLATE = "{category}/{source}/{user}/{filename}"
STS_TOKEN_CHOICES = ("access", "id")
DEFAULT_USERNAME_CLAIM = "preferred_username"


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str | None = None
    scopes: tuple[str, ...] = ("openid", "profile", "email", "offline_access")
    sts_token: str = "access"
    audience: str | None = None
    resource: str | None = None
    ca_bundle: str | None = None
    #: the claim (ID token, else userinfo) whose value is the user's name in object keys and the uploader field
    username_claim: str = DEFAULT_USERNAME_CLAIM


@dataclass(frozen=True)
class S3Settings:
    endpoint: str
    region: str = "us-east-1"
    secure: bool = True
    ca_bundle: str | None = None
    role_arn: str | None = None
    role_session_name: str = "planet-uploader"
    sts_duration: int = 3600
    sts_renew_margin: int = 300


@dataclass(frozen=True)
class Profile:
    name: str
    oidc: OidcSettings
    s3: S3Settings
    buckets: Buckets = field(default_factory=Buckets)
    key_template: str = DEFAULT_KEY_TEMPLATE
    path: Path | None = None
    personal_data_policy: str = "warn"  # "block": files with personal data need a recorded confirmation
    #: where data may go (:mod:`planet_gui.core.destinations`); empty: one ``default`` destination, ``buckets``
    destinations: tuple[Destination, ...] = ()

    @property
    def places(self) -> tuple[Destination, ...]:
        """The destinations, the first the default; a profile without any has one made of its buckets."""
        return self.destinations or parse_destinations(None, self.buckets, where=str(self.path or self.name))

    def destination(self, name: str | None = None) -> Destination:
        """The destination called ``name`` (the first when None or empty)."""
        places = self.places
        if not name:
            return places[0]
        for place in places:
            if place.name == name:
                return place
        raise ProfileError(tr("The profile {profile} has no destination {name}; it has {names}.",
                              profile=self.name, name=name, names=", ".join(p.name for p in places)))

    @property
    def keyring_service(self) -> str:
        """The keyring entry of this profile's login, named by where its tokens go: the identity provider (issuer
        and client id) that receives the refresh token, and the storage endpoint whose STS receives the access
        token. Never by the profile's name: a profile that reuses a name, or the provider with another storage
        server, finds no login there to send. Profiles that send to the same places share the login."""
        return login_key(self.oidc.issuer, self.oidc.client_id, self.s3.endpoint)

    @property
    def legacy_keyring_service(self) -> str:
        """Where versions before 0.2 kept the login: by the profile's name alone (see :mod:`.auth.token_store`)."""
        return f"{APP_NAME}:{self.name}"

    @property
    def identity_provider(self) -> tuple[str, str]:
        """(issuer, client id): who receives this profile's refresh token."""
        return (self.oidc.issuer.rstrip("/"), self.oidc.client_id)

    @property
    def s3_url(self) -> str:
        return ("https://" if self.s3.secure else "http://") + self.s3.endpoint


def login_key(issuer: str, client_id: str, endpoint: str) -> str:
    """The keyring service name of the login at ``issuer`` for ``client_id``, used with the storage ``endpoint``."""
    return f"{APP_NAME}:{issuer.rstrip('/')}#{client_id}@{endpoint}"


def default_profile_path() -> Path:
    return app_config_dir() / "profile.toml"


def profiles_dir() -> Path:
    """Named profiles live here as NAME.toml, so ``--profile NAME`` and the GUI's switcher find them."""
    return app_config_dir() / "profiles"


def list_profiles() -> list[Path]:
    found = sorted(profiles_dir().glob("*.toml"))
    default = default_profile_path()
    return ([default] if default.exists() else []) + found


_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


def import_profile(source: str | os.PathLike[str]) -> Path:
    """Check ``source`` (a profile the lake's administrators gave out), then copy it into the profiles folder as
    NAME.toml, NAME from its file name, so the GUI's switcher and ``--profile NAME`` find it. The check is the
    one every start makes (:func:`parse_profile`), so a broken file is refused with its reason, before it is
    kept. A different profile already there under that name is never replaced; the same one is a no-op.

    A profile whose ``name`` a kept profile already carries is refused too when the two send the login elsewhere
    (another issuer, client id or storage endpoint): the name is what the user picks in the switcher, what the
    upload history is kept by, and what earlier versions keyed the login by, so a look-alike must not stand
    beside the real one."""
    path = Path(source).expanduser()
    given = _read_profile(path)  # the path as given: never a named profile that happens to match it
    name = _UNSAFE_NAME.sub("-", path.stem).strip(" .-") or "profile"
    target = profiles_dir() / f"{name}.toml"
    data = path.read_bytes()
    if target.exists():
        if target.read_bytes() == data:
            return target
        raise ProfileError(tr("A different profile named {name} is already in {folder}; rename the file to import "
                              "it under another name.", name=name, folder=target.parent))
    for kept in _kept_profiles():
        if kept.name == given.name and kept.keyring_service != given.keyring_service:
            raise ProfileError(tr("The profile {name!r} you are importing logs in at {issuer} (client {client}) for "
                                  "the storage server {endpoint}, but the profile {kept} of the same name logs in at "
                                  "{kept_issuer} (client {kept_client}) for {kept_endpoint}. It was not imported: a "
                                  "profile that takes another's name could receive its login. Ask the lake's "
                                  "administrators for a profile with its own name.", name=given.name,
                                  issuer=given.oidc.issuer, client=given.oidc.client_id, endpoint=given.s3.endpoint,
                                  kept=str(kept.path), kept_issuer=kept.oidc.issuer, kept_client=kept.oidc.client_id,
                                  kept_endpoint=kept.s3.endpoint))
    write_private(target, data)  # a profile appears whole or not at all, readable by this user only
    return target


def _kept_profiles() -> list[Profile]:
    """The profiles in the user's config folder that still read (a broken one names no provider)."""
    kept: list[Profile] = []
    for found in list_profiles():
        try:
            kept.append(_read_profile(found))
        except ProfileError:
            continue
    return kept


def resolve_profile_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        text = str(explicit)
        named = profiles_dir() / f"{text}.toml"
        if os.sep not in text and not text.endswith(".toml") and named.exists():
            return named
        return Path(explicit).expanduser()
    from_env = os.environ.get(PROFILE_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return default_profile_path()


def load_profile(explicit: str | os.PathLike[str] | None = None) -> Profile:
    return _read_profile(resolve_profile_path(explicit))


def _read_profile(path: Path) -> Profile:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ProfileError(
            tr("No profile at {path}. Pass --profile FILE, set {variable}, or copy an example from "
               "resources/profiles/.", path=path, variable=PROFILE_ENV)
        ) from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(tr("Cannot read the profile {path}: {error}", path=path, error=exc)) from exc
    return parse_profile(raw, path=path)


def parse_profile(raw: dict[str, Any], *, path: Path | None = None) -> Profile:
    where = str(path) if path else "the profile"
    try:
        oidc_raw = dict(raw["oidc"])
        s3_raw = dict(raw["s3"])
    except KeyError as exc:
        raise ProfileError(tr("{where} lacks the [{missing}] section", where=where, missing=exc.args[0])) from exc
    try:
        oidc = OidcSettings(
            issuer=str(oidc_raw["issuer"]),
            client_id=str(oidc_raw["client_id"]),
            client_secret=_optional(oidc_raw.get("client_secret")),
            scopes=tuple(oidc_raw.get("scopes", OidcSettings.scopes)),
            sts_token=str(oidc_raw.get("sts_token", "access")),
            audience=_optional(oidc_raw.get("audience")),
            resource=_optional(oidc_raw.get("resource")),
            ca_bundle=_optional(oidc_raw.get("ca_bundle")),
            username_claim=str(oidc_raw.get("username_claim") or DEFAULT_USERNAME_CLAIM),
        )
        s3 = S3Settings(
            endpoint=str(s3_raw["endpoint"]),
            region=str(s3_raw.get("region", "us-east-1")),
            secure=bool(s3_raw.get("secure", True)),
            ca_bundle=_optional(s3_raw.get("ca_bundle")),
            role_arn=_optional(s3_raw.get("role_arn")),
            role_session_name=str(s3_raw.get("role_session_name", "planet-uploader")),
            sts_duration=int(s3_raw.get("sts_duration", 3600)),
            sts_renew_margin=int(s3_raw.get("sts_renew_margin", 300)),
        )
        buckets = Buckets(**{k: str(v) for k, v in dict(raw.get("buckets", {})).items()})
    except KeyError as exc:
        raise ProfileError(tr("{where} lacks the setting {missing!r}", where=where, missing=exc.args[0])) from exc
    except (TypeError, ValueError) as exc:
        raise ProfileError(tr("{where} has a setting of the wrong kind: {error}", where=where, error=exc)) from exc
    if oidc.sts_token not in STS_TOKEN_CHOICES:
        raise ProfileError(tr("{where}: oidc.sts_token must be 'access' or 'id', not {sts_token!r}",
                              where=where, sts_token=oidc.sts_token))
    _check_issuer(oidc.issuer, where)
    if "://" in s3.endpoint:
        raise ProfileError(tr("{where}: s3.endpoint is host:port, without http:// or https://", where=where))
    if not s3.secure and not is_loopback(_endpoint_host(s3.endpoint)):
        raise ProfileError(tr("{where}: secure = false is allowed only for a storage server on this computer "
                              "(127.0.0.1, ::1, localhost); to {endpoint} your login token and your data would "
                              "cross the network unencrypted. Set secure = true.", where=where, endpoint=s3.endpoint))
    for setting, bundle in (("oidc.ca_bundle", oidc.ca_bundle), ("s3.ca_bundle", s3.ca_bundle)):
        if bundle is not None:
            check_ca_bundle(bundle, f"{where}: {setting}")
    template = str(raw.get("keys", {}).get("template", DEFAULT_KEY_TEMPLATE))
    if "{filename}" not in template:
        raise ProfileError(tr("{where}: the key template must contain {{filename}}", where=where))
    name = str(raw.get("name") or (path.stem if path else "default"))
    policy = str(raw.get("personal_data_policy", "warn"))
    if policy not in ("warn", "block"):
        raise ProfileError(tr("{where}: personal_data_policy must be 'warn' or 'block', not {policy!r}",
                              where=where, policy=policy))
    destinations = parse_destinations(raw.get("destinations"), buckets, where=where)
    return Profile(name=name, oidc=oidc, s3=s3, buckets=buckets, key_template=template, path=path,
                   personal_data_policy=policy, destinations=destinations)


def _optional(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def is_loopback(host: str | None) -> bool:
    """Whether ``host`` is this computer: localhost, 127.0.0.0/8 or ::1 (plain HTTP never leaves it)."""
    if not host:
        return False
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _endpoint_host(endpoint: str) -> str:
    """The host of ``host:port`` (``[::1]:port`` for IPv6)."""
    return urlparse(f"//{endpoint}").hostname or ""


def _check_issuer(issuer: str, where: str) -> None:
    """HTTPS is required, except for a provider on this machine (the test stand-in)."""
    parsed = urlparse(issuer)
    if parsed.scheme == "https":
        return
    if parsed.scheme == "http" and is_loopback(parsed.hostname):
        return
    raise ProfileError(tr("{where}: the OIDC issuer must be an https:// URL, not {issuer!r}: plain http:// is "
                          "allowed only for a provider on this computer (127.0.0.1, ::1, localhost).",
                          where=where, issuer=issuer))
