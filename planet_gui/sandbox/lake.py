"""The sandbox lake: start its three servers together, wait until all three answer, write its profile, stop them.

Ports are chosen at run time on 127.0.0.1; the ports of the last start are reused when they are free, so the
profile (and a login kept in the keyring) stay valid from one start to the next. Credentials (the S3 admin keys
the hook uses, STS's signing key, the provider's RSA key) are made once per sandbox, kept 0600, and go away with
``planet-lake sandbox reset``. A lock keeps two apps from running the same sandbox at once.
"""

from __future__ import annotations

import atexit
import base64
import fcntl
import json
import logging
import os
import secrets
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx

import planet_gui
from planet_gui.sandbox import SANDBOX_PROFILE_NAME, policy, s3
from planet_gui.sandbox.idp import CLIENT_ID, SCOPES, SECRET_ENV
from planet_gui.sandbox.paths import PROFILE_MARKER, SandboxPaths, is_sandbox_profile, write_private
from planet_gui.sandbox.procs import (
    LOOPBACK,
    Child,
    StartError,
    free_port_pair,
    free_ports,
    module_command,
    port_is_free,
    wait_all,
)

log = logging.getLogger(__name__)

HOOK_POLL_INTERVAL = 1.0
#: seconds the S3 server may answer without a volume server before it is restarted (normally the volume server
#: has come some 0.4 s before the S3 API answers; having lost weed's start-up race, it comes 5 s later). The race
#: was lost in about half of the starts in a row of an app's launches (warm caches), so a restart can lose it again
VOLUME_GRACE = 0.2
#: seconds the write of the S3 readiness probe may take before the S3 server is restarted (normally some 50 ms;
#: refused by a master "warming up", the gateway's first retry comes after 1 s, and its writes after 15 s or more)
WRITE_PROBE_TIMEOUT = 1.0
S3_RESTARTS = 4


@dataclass(frozen=True, repr=False)
class LakeSecrets:
    """Made once per sandbox; never logged."""

    admin_access_key: str
    admin_secret_key: str
    sts_signing_key: str
    client_secret: str  # the app's, at the identity provider

    @classmethod
    def load_or_create(cls, path: Path) -> LakeSecrets:
        """The stored ones; any missing (first start, or an older sandbox) are made now and stored."""
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = {}
        made = {"admin_access_key": f"sandbox-admin-{secrets.token_hex(4)}",
                "admin_secret_key": secrets.token_urlsafe(32),
                "sts_signing_key": base64.b64encode(secrets.token_bytes(32)).decode(),
                "client_secret": secrets.token_urlsafe(32)}
        values = {name: stored[name] if isinstance(stored, dict) and isinstance(stored.get(name), str) else fresh
                  for name, fresh in made.items()}
        if values != stored:
            write_private(path, json.dumps(values))
        return cls(**values)

    def __repr__(self) -> str:
        return "LakeSecrets(<hidden>)"


class Sandbox:
    """``with Sandbox() as lake:`` starts it (see :meth:`start`) and stops it at the end."""

    def __init__(self, paths: SandboxPaths | None = None) -> None:
        self.paths = paths or SandboxPaths.default()
        self.children: dict[str, Child] = {}
        self.ports: dict[str, int] = {}
        #: seconds from the start to each server answering, and to all three ("ready")
        self.timings: dict[str, float] = {}
        self._lock: IO[str] | None = None
        self._secrets: LakeSecrets | None = None

    # -- what a client needs -------------------------------------------------------------------

    @property
    def issuer(self) -> str:
        return f"http://{LOOPBACK}:{self.ports['idp']}/"

    @property
    def s3_endpoint(self) -> str:
        return f"{LOOPBACK}:{self.ports['s3']}"

    @property
    def profile_path(self) -> Path:
        return self.paths.profile

    @property
    def pids(self) -> dict[str, int]:
        return {name: child.pid for name, child in self.children.items()}

    @property
    def running(self) -> bool:
        return bool(self.children) and all(child.running() for child in self.children.values())

    def admin_keys(self) -> tuple[str, str]:
        assert self._secrets is not None
        return self._secrets.admin_access_key, self._secrets.admin_secret_key

    # -- life cycle ---------------------------------------------------------------------------

    def start(self, timeout: float = 60.0) -> Path:
        """Start the S3 server, the identity provider and the hook; return the profile path once all three
        answer. Raises :class:`StartError` (having stopped whatever it started) if one does not."""
        began = time.monotonic()
        self.paths.make()
        self._take_lock()
        try:
            self._secrets = LakeSecrets.load_or_create(self.paths.secrets / "lake.json")
            for attempt in range(2):
                self.ports = self._choose_ports(reuse=attempt == 0)
                try:
                    self._start_servers(began, timeout)
                    break
                except StartError as exc:  # a port taken between our check and the server's bind: new ports
                    self._stop_children()
                    if attempt or "address already in use" not in str(exc).lower():
                        raise
            self._write_profile()
            self._remember()
        except BaseException:
            self.stop()
            raise
        atexit.register(self.stop)
        self.timings["ready"] = time.monotonic() - began
        log.info("sandbox ready in %.1f s: S3 %s, identity provider %s", self.timings["ready"], self.s3_endpoint,
                 self.issuer)
        return self.paths.profile

    def stop(self, timeout: float = 8.0) -> None:
        """SIGTERM all three at once, then wait (SIGKILL what outlives ``timeout``). Idempotent."""
        self._stop_children(timeout)
        if self._lock is not None:
            self._lock.close()
            self._lock = None
        atexit.unregister(self.stop)

    def _start_servers(self, began: float, timeout: float) -> None:
        assert self._secrets is not None
        s3.remove_stale_sockets(self.ports.values())
        iam_path = self.paths.secrets / "s3-iam.json"
        write_private(iam_path, json.dumps(s3.iam_config(self.issuer, f"{self.issuer}jwk",
                                                         self._secrets.sts_signing_key)))
        self._spawn(iam_path)
        self._wait_ready(began, timeout)

    def _stop_children(self, timeout: float = 8.0) -> None:
        children, self.children = list(self.children.values()), {}
        for child in children:
            if child.running():
                child._signal(signal.SIGTERM)
        for child in children:
            child.stop(timeout)
        if self.ports:
            s3.remove_stale_sockets(self.ports.values())

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- inside --------------------------------------------------------------------------------

    def _take_lock(self) -> None:
        handle = (self.paths.root / "lock").open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            handle.close()
            raise StartError("The sandbox is already running in another window or terminal of this computer; "
                             "use that one, or stop it first.") from exc
        self._lock = handle

    def _choose_ports(self, *, reuse: bool = True) -> dict[str, int]:
        try:
            last = json.loads(self.paths.state.read_text(encoding="utf-8"))["ports"]
            if reuse and isinstance(last, dict) and all(isinstance(p, int) and port_is_free(p)
                                                        for p in last.values()):
                return dict(last)
        except (OSError, ValueError, KeyError, TypeError):
            pass
        names = ("idp", *s3.PORT_NAMES)
        ports = dict(zip(names, free_ports(len(names)), strict=True))
        ports["admin"], ports["admin_grpc"] = free_port_pair(s3.GRPC_OFFSET, set(ports.values()))
        return ports

    def _remember(self) -> None:
        """Ports (reused next time) and the process ids of this start (for diagnostics, and the tests' checks
        that nothing outlives the sandbox)."""
        write_private(self.paths.state, json.dumps({"ports": self.ports, "pids": self.pids}))

    def _child_env(self) -> dict[str, str]:
        """The environment of our Python children: this very ``planet_gui`` first on the path."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PLANET_"))}
        package_parent = str(Path(planet_gui.__file__).resolve().parents[1])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH", "")) if p)
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def _spawn(self, iam_path: Path) -> None:
        assert self._secrets is not None
        logs = self.paths.logs
        self._iam_path = iam_path
        self._s3_ready_flag.unlink(missing_ok=True)  # written again once this start's S3 server stores objects
        self._spawn_s3()
        self.children["idp"] = Child(
            "identity provider",
            module_command("planet_gui.sandbox.idp", "--home", str(self.paths.idp_home),
                           "--port", str(self.ports["idp"]), "--audience", s3.STS_CLIENT_ID),
            env={**self._child_env(), SECRET_ENV: self._secrets.client_secret}, log_path=logs / "idp.log")
        self._hook_log_start = (logs / "hook.log").stat().st_size if (logs / "hook.log").exists() else 0
        self.children["hook"] = Child(  # it runs the hook once the S3 server answers (see hook_start)
            "validation hook",
            module_command("planet_gui.sandbox.hook_start", "--start-when", str(self._s3_ready_flag),
                           "--poll", "--interval", str(HOOK_POLL_INTERVAL)),
            env={**self._child_env(), **self.hook_env()}, log_path=logs / "hook.log")

    @property
    def _s3_ready_flag(self) -> Path:
        """Written when the S3 server has stored an object: the hook's go-ahead (:mod:`.hook_start`)."""
        return self.paths.root / "s3-ready"

    def _spawn_s3(self) -> None:
        access, secret = self.admin_keys()
        self._s3_spawned = time.monotonic()
        self.children["s3"] = Child(
            "S3 server (weed mini)", s3.command(s3.weed_binary(), self.paths.s3_data, self._iam_path, self.ports),
            env=s3.weed_env(access, secret), log_path=self.paths.logs / "s3.log", cwd=self.paths.s3_data)

    def hook_env(self) -> dict[str, str]:
        """The hook's settings, as its container reads them (admin keys: the hook alone has them)."""
        access, secret = self.admin_keys()
        return {"ENDPOINT": f"http://{self.s3_endpoint}", "ACCESSKEYID": access, "SECRETACCESSKEY": secret}

    def _wait_ready(self, began: float, timeout: float) -> None:
        """All three polled together (each timing is that server's own); the hook's "ready" comes after the S3
        server's, as its start waits for it (:mod:`planet_gui.sandbox.hook_start`)."""
        http = httpx.Client(timeout=httpx.Timeout(2.0, connect=1.0), trust_env=False)
        try:
            probes = {"idp": self._idp_answers(http), "s3": self._s3_answers(), "hook": self._hook_answers}
            self.timings.update(wait_all(probes, self.children, timeout=timeout, began=began))
        finally:
            http.close()

    def _idp_answers(self, http: httpx.Client) -> Any:
        url = f"{self.issuer}.well-known/openid-configuration"
        return lambda: http.get(url).json().get("issuer") == self.issuer

    def _hook_answers(self) -> bool:
        with (self.paths.logs / "hook.log").open("rb") as handle:
            handle.seek(self._hook_log_start)
            return b"hook ready" in handle.read()

    def _s3_answers(self) -> Any:
        """Ready when the S3 server has the buckets and has stored an object (:func:`s3.write_probe`); then the
        hook's go-ahead is written. weed's start loses one of two races in some starts (see
        :func:`s3.volume_server_registered`), and then stores nothing for 5 to 23 s: when the listing works but
        the master has no volume server for :data:`VOLUME_GRACE` s (or half the time the server took to answer, if
        longer), or the probe's write does not return within
        :data:`WRITE_PROBE_TIMEOUT` s (a normal one takes some 50 ms), the S3 server is restarted, at most
        :data:`S3_RESTARTS` times (after that, waited for)."""
        import urllib3
        from minio import Minio

        access, secret = self.admin_keys()

        def client(read: float) -> Minio:
            pool = urllib3.PoolManager(timeout=urllib3.Timeout(connect=1.0, read=read), retries=urllib3.Retry(total=0))
            return Minio(self.s3_endpoint, access_key=access, secret_key=secret, secure=False, region="us-east-1",
                         http_client=pool)

        lister, writer, patient = client(5.0), client(WRITE_PROBE_TIMEOUT), client(30.0)
        listed_at: float | None = None
        restarts = 0

        def restart(why: str) -> None:
            nonlocal listed_at, restarts
            log.warning("the sandbox's S3 server %s: restarting it", why)
            self.children["s3"].kill()  # it has stored nothing: no need to wait for a graceful stop
            s3.remove_stale_sockets(self.ports.values())
            self._spawn_s3()
            listed_at, restarts = None, restarts + 1

        def probe() -> bool:
            nonlocal listed_at
            s3.ensure_buckets(lister, s3.BUCKETS)
            now = time.monotonic()
            listed_at = now if listed_at is None else listed_at
            if restarts < S3_RESTARTS:
                if not s3.volume_server_registered(self.ports["master"]):
                    # a loaded machine stretches weed's whole start: so does the grace
                    if now - listed_at > max(VOLUME_GRACE, (listed_at - self._s3_spawned) / 2):
                        restart(f"has no volume server {now - listed_at:.1f} s after it answered")
                    return False
                try:
                    s3.write_probe(writer)
                except urllib3.exceptions.HTTPError:  # with no retries: MaxRetryError(ReadTimeoutError)
                    restart(f"did not store a small object within {WRITE_PROBE_TIMEOUT} s")
                    return False
            else:
                s3.write_probe(patient)
            write_private(self._s3_ready_flag, "")
            return True

        return probe

    def _write_profile(self) -> None:
        assert self._secrets is not None
        path = self.paths.profile
        if path.exists() and not is_sandbox_profile(path):
            raise StartError(f"{path} holds a profile the sandbox did not write; rename it, then start the "
                             "sandbox again.")
        scopes = ", ".join(f'"{scope}"' for scope in SCOPES)
        text = f"""{PROFILE_MARKER}
# The lake on this computer (S3 at {self.s3_endpoint}, identity provider at {self.issuer}); rewritten at each start.
name = "{SANDBOX_PROFILE_NAME}"

[oidc]
issuer = "{self.issuer}"
client_id = "{CLIENT_ID}"
client_secret = "{self._secrets.client_secret}"
scopes = [{scopes}]
sts_token = "access"
resource = "{s3.STS_CLIENT_ID}"

[s3]
endpoint = "{self.s3_endpoint}"
secure = false
role_arn = "{policy.ROLE_ARN}"
role_session_name = "planet-sandbox"

[buckets]
raw = "raw"
validated = "validated"
triage = "triage"

[keys]
template = "{{category}}/{{source}}/{{user}}/{{filename}}"
"""
        write_private(path, text)  # it holds the sandbox's client secret: this account's alone
