"""A second, independent OpenID provider for the login tests: glewlwyd (Debian's ``glewlwyd`` 2.7.5, C).

The login tests mostly run against node-oidc-provider set up like INDIGO-IAM; glewlwyd behaves differently in the
ways that catch a client built for one provider only (``shared/notes/second-idp-glewlwyd.md``): it sends
``interval`` and ``slow_down``, rotates the refresh token on every use (the old one stops working), sends no ID
token on refresh, needs client authentication (or a bearer token) to revoke, and by default puts no
``preferred_username`` in the ID token.

:meth:`Glewlwyd.start` builds one from scratch in a work folder, on a free 127.0.0.1 port: the SQLite database
from the package's init script, a config file, then its REST administration API to create the scopes, the users
alice and bob, a public client with the device grant, and the OIDC plugin (an RSA key made here). It takes about
a second; share one per test module. :meth:`approve` plays the user approving a device code over HTTP.
"""

from __future__ import annotations

import datetime
import gzip
import json
import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import httpx

from tests.support.servers import LOOPBACK, ServerStartError, _Process, _wait_until, free_port

INIT_SQL = Path("/usr/share/doc/glewlwyd/database/init.sqlite3.sql.gz")
MODULES = Path("/usr/lib/glewlwyd")
DEFAULTS = Path(__file__).with_name("glewlwyd-oidc-defaults.json")
ADMIN = ("admin", "password")
PASSWORD = "alice-and-bob-password"
SCOPES = ("openid", "profile", "email", "offline_access", "groups")


def missing() -> str | None:
    """Why glewlwyd cannot run here (for a skip message), or None."""
    if shutil.which("glewlwyd") is None:
        return "the glewlwyd binary is absent: `apt-get install glewlwyd` (scripts/install.sh installs it for tests)"
    if not INIT_SQL.is_file():
        return f"glewlwyd's database script {INIT_SQL} is absent (Debian package glewlwyd)"
    return None


def _rsa_key_and_cert() -> tuple[str, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "glewlwyd test signing key")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    pem_key = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption()).decode()
    return pem_key, cert.public_bytes(serialization.Encoding.PEM).decode()


def _config(port: int, db: Path, log: Path) -> str:
    return f"""port={port}
bind_address="{LOOPBACK}"
external_url="http://{LOOPBACK}:{port}"
login_url="login.html"
api_prefix="api"
log_mode="file"
log_level="INFO"
log_file="{log}"
cookie_secure=0
session_expiration=2419200
session_key="GLEWLWYD2_SESSION_ID"
admin_session_authentication="cookie"
profile_session_authentication="cookie"
allow_multiple_user_per_session=true
login_api_enabled=true
max_post_size=16778240
admin_scope="g_admin"
profile_scope="g_profile"
user_module_path="{MODULES}/user"
client_module_path="{MODULES}/client"
user_auth_scheme_module_path="{MODULES}/scheme"
plugin_module_path="{MODULES}/plugin"
hash_algorithm = "SHA512"
database =
{{
  type = "sqlite3";
  path = "{db}";
}};
"""


class Glewlwyd:
    """A running glewlwyd with one public client (:attr:`client_id`) allowed the device and refresh grants."""

    CLIENT_ID = "planet-uploader"
    USERS = ("alice", "bob")

    def __init__(self, proc: _Process, port: int, workdir: Path) -> None:
        self._proc = proc
        self.port = port
        self.workdir = workdir
        self.base = f"http://{LOOPBACK}:{port}"
        self.issuer = f"{self.base}/api/oidc"
        self.client_id = self.CLIENT_ID
        self.log_path = proc.log_path

    # -- start and stop ------------------------------------------------------------------------

    @classmethod
    def start(cls, workdir: str | os.PathLike[str], *, interval: int = 5, username_claim: bool = True,
              bearer_revocation: bool = True, timeout: float = 30.0) -> Glewlwyd:
        """Start from scratch in ``workdir``; ``interval`` is the device-code polling interval it announces (and
        enforces with ``slow_down``); ``username_claim=False`` leaves ``preferred_username`` out of the ID token,
        as glewlwyd's defaults do; ``bearer_revocation=False`` lets only an authenticated client revoke (a public
        client then cannot), else an access token with the ``openid`` scope may revoke its user's tokens."""
        reason = missing()
        if reason:
            raise ServerStartError(reason)
        workdir = Path(workdir)
        workdir.mkdir(parents=True, exist_ok=True)
        db = workdir / "glewlwyd.db"
        db.unlink(missing_ok=True)
        with sqlite3.connect(db) as connection:
            connection.executescript(gzip.decompress(INIT_SQL.read_bytes()).decode("utf-8"))
        port = free_port()
        config = workdir / "glewlwyd.conf"
        config.write_text(_config(port, db, workdir / "glewlwyd-server.log"), encoding="utf-8")
        proc = _Process([shutil.which("glewlwyd") or "glewlwyd", f"--config-file={config}"], cwd=workdir,
                        env=dict(os.environ), log_path=workdir / "glewlwyd.log")
        server = cls(proc, port, workdir)
        try:
            with httpx.Client(timeout=2.0, trust_env=False) as http:
                _wait_until(lambda: http.get(f"{server.base}/config").status_code == 200 or None, timeout=timeout,
                            what=f"glewlwyd on {server.base}", proc=proc)
            server._set_up(interval=interval, username_claim=username_claim, bearer_revocation=bearer_revocation)
        except BaseException:
            proc.kill()
            raise
        return server

    def stop(self, timeout: float = 10.0) -> None:
        self._proc.terminate(timeout)

    @property
    def running(self) -> bool:
        return self._proc.running()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # -- administration ------------------------------------------------------------------------

    def _session(self, user: str, password: str) -> httpx.Client:
        http = httpx.Client(base_url=self.base, timeout=10.0, trust_env=False)
        response = http.post("/api/auth/", json={"username": user, "password": password})
        if response.status_code != 200:
            http.close()
            raise ServerStartError(f"glewlwyd: login as {user} answered {response.status_code}: {response.text}")
        return http

    def admin(self) -> httpx.Client:
        """An HTTP client logged in to glewlwyd's administration API."""
        return self._session(*ADMIN)

    def _set_up(self, *, interval: int, username_claim: bool, bearer_revocation: bool) -> None:
        with closing(self.admin()) as http:
            for scope in SCOPES:
                body = {"name": scope, "display_name": scope, "description": f"the {scope} scope",
                        "password_required": True, "password_max_age": 0, "scheme": {}}
                response = (http.put(f"/api/scope/{scope}", json=body) if scope == "openid"
                            else http.post("/api/scope/", json=body))
                _ok(response, f"scope {scope}")
            for user in self.USERS:
                _ok(http.post("/api/user/", json={
                    "username": user, "password": PASSWORD, "name": user.title(), "email": f"{user}@example.org",
                    "enabled": True, "scope": list(SCOPES)}), f"user {user}")
            _ok(http.post("/api/client/", json={
                "client_id": self.client_id, "name": "PLANET Uploader", "enabled": True, "confidential": False,
                "redirect_uri": [], "scope": [], "authorization_type": ["device_authorization", "refresh_token"]}),
                "client")
            _ok(http.post("/api/mod/plugin/", json={
                "module": "oidc", "name": "oidc", "display_name": "OpenID Connect", "enabled": True,
                "parameters": self._plugin_parameters(interval=interval, username_claim=username_claim,
                                                     bearer_revocation=bearer_revocation)}),
                "the OIDC plugin")

    def _plugin_parameters(self, *, interval: int, username_claim: bool, bearer_revocation: bool) -> dict[str, Any]:
        key, cert = _rsa_key_and_cert()
        parameters: dict[str, Any] = json.loads(DEFAULTS.read_text(encoding="utf-8"))
        parameters.update({
            "iss": self.issuer, "jwt-type": "rsa", "jwt-key-size": "256", "key": key, "cert": cert,
            "auth-type-device-enabled": True, "auth-type-refresh-enabled": True,
            "device-authorization-interval": interval, "device-authorization-expiration": 600,
            "allowed-scope": list(SCOPES), "secret-type": "public", "introspection-revocation-allowed": True,
            "introspection-revocation-auth-scope": ["openid"] if bearer_revocation else [],
            "refresh-token-one-use": "always",  # a new refresh token on each use; the old one stops working
            "claims": ([{"name": "preferred_username", "user-property": "username", "type": "string",
                         "mandatory": True, "on-demand": False, "scope": [], "boolean-value-true": "",
                         "boolean-value-false": ""}] if username_claim else []),
        })
        return parameters

    def set_code_status(self, user_code: str, status: int) -> None:
        """Set a device code's status in glewlwyd's database: 3 = refused (its UI has no refuse button)."""
        with sqlite3.connect(self.workdir / "glewlwyd.db") as connection:
            changed = connection.execute("UPDATE gpo_device_authorization SET gpoda_status = ? WHERE gpoda_user_code"
                                         " = ?", (status, user_code.replace("-", "").upper())).rowcount
            if not changed:
                changed = connection.execute("UPDATE gpo_device_authorization SET gpoda_status = ? WHERE "
                                             "gpoda_user_code = ?", (status, user_code)).rowcount
        assert changed, f"no device code {user_code!r} in glewlwyd's database"

    def live_refresh_tokens(self, user: str = "alice") -> int:
        """How many of ``user``'s refresh tokens glewlwyd still honours (enabled and not expired), read from its
        database: tells whether a logout really ended a login the client no longer holds."""
        with closing(sqlite3.connect(self.workdir / "glewlwyd.db")) as connection:
            row = connection.execute(  # glewlwyd keeps times as epoch seconds
                "SELECT COUNT(*) FROM gpo_refresh_token WHERE gpor_username = ? AND gpor_enabled = 1 AND "
                "gpor_expires_at > CAST(strftime('%s', 'now') AS INTEGER)", (user,)).fetchone()
        return int(row[0])

    # -- the user's side -------------------------------------------------------------------------

    def approve(self, user_code: str, user: str = "alice") -> None:
        """``user`` logs in to glewlwyd, grants the client its scopes and enters ``user_code``, as in a browser."""
        with closing(self._session(user, PASSWORD)) as http:
            _ok(http.put(f"/api/auth/grant/{self.client_id}", json={"scope": " ".join(SCOPES)}), "grant")
            response = http.get("/api/oidc/device", params={"code": user_code, "g_continue": ""})
            location = response.headers.get("location", "")
            if response.status_code != 302 or "deviceComplete" not in location:
                raise AssertionError(f"glewlwyd did not accept the device code {user_code}: {response.status_code} "
                                     f"{location or response.text[:300]}")

    def __repr__(self) -> str:
        return f"Glewlwyd(issuer={self.issuer!r}, running={self.running})"


def _ok(response: httpx.Response, what: str) -> None:
    if response.status_code not in (200, 201):
        raise ServerStartError(f"glewlwyd: setting up {what} answered {response.status_code}: {response.text[:500]}")
