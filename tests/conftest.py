"""Shared fixtures: the real test data, and real servers on 127.0.0.1 started once per session.

Servers start only when a test asks for them, so `pytest tests/core` needs no Node or SeaweedFS.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.servers import OidcServer, S3Server, die_with_parent

ROOT = Path(__file__).resolve().parents[1]


def _testdata_dir() -> Path:
    override = os.environ.get("PLANET_TESTDATA")
    return Path(override) if override else ROOT.parent / "shared" / "testdata"


@pytest.fixture(scope="session")
def testdata() -> Path:
    path = _testdata_dir()
    if not path.is_dir() or not any(path.iterdir()):
        pytest.skip(f"real test data not found at {path} (set PLANET_TESTDATA to its folder)")
    return path


@pytest.fixture(scope="session")
def servers_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("servers")


#: the polling interval (s) the shared provider announces: a login that a test does not examine (most logins) then
#: takes some 1 s instead of the 5 s a client waits when none is announced (IAM announces none; the tests of that
#: polling, tests/e2e/test_login.py and test_harness.py, run against providers that announce none)
SHARED_DEVICE_INTERVAL = 1


@pytest.fixture(scope="session")
def oidc_server(servers_dir: Path) -> Iterator[OidcServer]:
    server = OidcServer.start(servers_dir / "oidc", device_interval=SHARED_DEVICE_INTERVAL)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def s3_server(servers_dir: Path, oidc_server: OidcServer) -> Iterator[S3Server]:
    server = S3Server.start(servers_dir / "s3", oidc_issuer=oidc_server.issuer)
    try:
        yield server
    finally:
        server.stop()


@dataclass
class Lake:
    """Everything a client test needs to reach the real servers."""

    oidc: OidcServer
    s3: S3Server
    profile_path: Path

    def admin(self):  # a minio client with the hook's service keys, for checks behind the app's back
        from planet_gui.core.storage import make_admin_minio

        return make_admin_minio(self.s3.endpoint, self.s3.admin_access_key, self.s3.admin_secret_key)

    def hook_env(self) -> dict[str, str]:
        return {"ENDPOINT": f"http://{self.s3.endpoint}", "ACCESSKEYID": self.s3.admin_access_key,
                "SECRETACCESSKEY": self.s3.admin_secret_key}


def write_profile(path: Path, oidc: OidcServer, s3: S3Server, *, endpoint: str | None = None, secure: bool = False,
                  **s3_extra: object) -> Path:
    """A profile reaching ``oidc`` and ``s3`` (at ``endpoint`` if given, e.g. its HTTPS port with ``secure``)."""
    extra = "".join(f"{k} = {v!r}\n".replace("'", '"') for k, v in s3_extra.items())
    path.write_text(
        f"""name = "{path.stem}"
[oidc]
issuer = "{oidc.issuer}"
client_id = "planet-uploader"
scopes = ["openid", "profile", "email", "offline_access", "groups"]
sts_token = "access"
resource = "urn:planet:minio"
[s3]
endpoint = "{endpoint or s3.endpoint}"
secure = {str(secure).lower()}
role_arn = "arn:aws:iam::role/PlanetUploader"
role_session_name = "planet-uploader-tests"
{extra}[buckets]
raw = "raw"
validated = "validated"
triage = "triage"
[keys]
template = "{{category}}/{{source}}/{{user}}/{{filename}}"
""",
        encoding="utf-8",
    )
    return path


@contextmanager
def separate_lake(workdir: Path, **oidc_settings: Any) -> Iterator[Path]:
    """A provider with settings of its own (token lifetimes, slow_down) and an S3 server trusting it;
    yields the profile that reaches both."""
    oidc = OidcServer.start(workdir / "oidc", **oidc_settings)
    try:
        s3 = S3Server.start(workdir / "s3", oidc_issuer=oidc.issuer)
        try:
            yield write_profile(workdir / "separate-lake.toml", oidc, s3)
        finally:
            s3.kill()  # its data is thrown away: no need to wait for a clean stop (seconds under load)
            s3.stop()
    finally:
        oidc.stop()


@pytest.fixture(scope="session")
def lake(servers_dir: Path, oidc_server: OidcServer, s3_server: S3Server) -> Lake:
    return Lake(oidc_server, s3_server, write_profile(servers_dir / "e2e-lake.toml", oidc_server, s3_server))


@pytest.fixture(scope="session")
def hook(lake: Lake, servers_dir: Path) -> Iterator[subprocess.Popen[bytes]]:
    """The real validation hook, as a separate process polling the raw bucket."""
    log_path = servers_dir / "hook.log"
    log = log_path.open("wb")
    env = {**os.environ, **lake.hook_env()}
    process = subprocess.Popen(
        [sys.executable, "-m", "planet_gui.cli", "hook", "--poll", "--interval", "0.5"],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT, preexec_fn=die_with_parent,
    )
    try:
        wait_for(lambda: b"hook ready" in log_path.read_bytes() or process.poll() is not None, 60, "hook start")
        assert process.poll() is None, log_path.read_text(errors="replace")
        yield process
    finally:
        stop_process(process)
        log.close()


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, as a service manager stops it; SIGKILL if it has not gone after 10 s."""
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_for(condition, timeout: float, what: str, interval: float = 0.1):  # type: ignore[no-untyped-def]
    """Poll ``condition`` until it returns a truthy value; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


@pytest.fixture(autouse=True)
def _core_messages_in_english() -> Iterator[None]:
    """The core's message language is process-wide; a test that switches it (the Italian window) must not leak
    Italian into the next test's assertions."""
    yield
    from planet_gui.core.i18n import set_language

    set_language("en")
