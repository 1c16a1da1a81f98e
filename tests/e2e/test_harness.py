"""The real-server harness works: device flow on the IAM stand-in, STS on SeaweedFS, and the bucket policy.

These tests talk to the servers the way the application will (discovery, device flow, STS form POST, the
``minio`` SDK), so they also pin down the facts the application relies on.
"""

from __future__ import annotations

import io
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet
from minio.error import S3Error

from tests.support.device_user import DeviceUserError, approve, approve_with_code
from tests.support.servers import OidcServer, S3Server, StsCredentials, StsError

pytestmark = pytest.mark.e2e

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
SCOPE = "openid profile email offline_access groups"
POLL_INTERVAL = 0.05  # tests poll faster than the 5 s an IAM client must assume
POLL_DEADLINE = 10.0


# ---------------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def oidc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcServer]:
    """One OIDC provider for the module."""
    with OidcServer.start(tmp_path_factory.mktemp("oidc")) as server:
        yield server


@pytest.fixture(scope="module")
def s3(oidc: OidcServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """One weed mini for the module, trusting ``oidc`` for STS."""
    with S3Server.start(tmp_path_factory.mktemp("s3"), oidc.issuer) as server:
        yield server


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    """The client side of the flow (its own connection pool, no proxies from the environment)."""
    with httpx.Client(timeout=10.0, trust_env=False) as client:
        yield client


@dataclass
class DeviceClient:
    """How the application authenticates at the token endpoint: public (client_id) or confidential (Basic)."""

    client_id: str
    secret: str | None = None

    def body(self) -> dict[str, str]:
        """Form fields identifying the client in the request body (only a public client sends them)."""
        return {} if self.secret else {"client_id": self.client_id}

    def auth(self) -> httpx.Auth:
        """HTTP Basic for a confidential client; the no-op base ``httpx.Auth`` for a public one."""
        return httpx.BasicAuth(self.client_id, self.secret) if self.secret else httpx.Auth()


def start_device_flow(
    http: httpx.Client, oidc: OidcServer, client: DeviceClient, *, resource: str | None = OidcServer.MINIO_RESOURCE
) -> dict[str, Any]:
    """POST the device authorization request; return the JSON answer."""
    data = {**client.body(), "scope": SCOPE}
    if resource:
        data["resource"] = resource
    response = http.post(oidc.discovery["device_authorization_endpoint"], data=data, auth=client.auth())
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def token_request(http: httpx.Client, oidc: OidcServer, client: DeviceClient, device_code: str) -> httpx.Response:
    """One poll of the token endpoint for ``device_code``."""
    data = {**client.body(), "grant_type": DEVICE_GRANT, "device_code": device_code}
    return http.post(oidc.discovery["token_endpoint"], data=data, auth=client.auth())


def poll_tokens(http: httpx.Client, oidc: OidcServer, client: DeviceClient, device_code: str) -> httpx.Response:
    """Poll until the answer is no longer ``authorization_pending`` (deadline-bound); return that answer."""
    deadline = time.monotonic() + POLL_DEADLINE
    while True:
        response = token_request(http, oidc, client, device_code)
        if response.status_code != 400 or response.json().get("error") != "authorization_pending":
            return response
        assert time.monotonic() < deadline, "still authorization_pending at the deadline"
        time.sleep(POLL_INTERVAL)


def device_login(http: httpx.Client, oidc: OidcServer, client: DeviceClient, *, user: str = "alice") -> dict[str, Any]:
    """A whole device flow approved by ``user``; return the token response."""
    grant = start_device_flow(http, oidc, client)
    approve(grant["verification_uri_complete"], user=user)
    response = poll_tokens(http, oidc, client, grant["device_code"])
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


def verified_claims(http: httpx.Client, oidc: OidcServer, token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check ``token``'s RS256 signature against the provider's JWKS and its expiry; return (header, claims)."""
    keys = KeySet.import_key_set(http.get(oidc.discovery["jwks_uri"]).json())
    decoded = jwt.decode(token, keys, algorithms=["RS256"])
    jwt.JWTClaimsRegistry(exp={"essential": True}).validate(decoded.claims)
    return dict(decoded.header), dict(decoded.claims)


@pytest.fixture
def public_client() -> DeviceClient:
    return DeviceClient(OidcServer.PUBLIC_CLIENT_ID)


@pytest.fixture
def alice_tokens(http: httpx.Client, oidc: OidcServer, public_client: DeviceClient) -> dict[str, Any]:
    """Alice's tokens from the public client's device flow, with the access token meant for the S3 STS."""
    return device_login(http, oidc, public_client)


@pytest.fixture
def alice_s3_credentials(s3: S3Server, alice_tokens: dict[str, Any]) -> StsCredentials:
    return s3.assume_role_with_web_identity(alice_tokens["access_token"], role_session_name="alice-upload")


# ---------------------------------------------------------------------------------------------------- OIDC


def test_discovery_looks_like_iam(oidc: OidcServer) -> None:
    assert oidc.discovery["issuer"] == oidc.issuer
    assert oidc.issuer.endswith("/")
    for key, path in {
        "device_authorization_endpoint": "devicecode",
        "token_endpoint": "token",
        "jwks_uri": "jwk",
        "userinfo_endpoint": "userinfo",
        "revocation_endpoint": "revoke",
        "introspection_endpoint": "introspect",
    }.items():
        assert oidc.discovery[key] == oidc.issuer + path


def test_device_flow_public_client(http: httpx.Client, oidc: OidcServer, public_client: DeviceClient) -> None:
    grant = start_device_flow(http, oidc, public_client)
    assert "interval" not in grant  # like IAM: the client must assume 5 s
    assert grant["expires_in"] == 600
    assert grant["verification_uri"] == oidc.issuer + "device"
    assert grant["verification_uri_complete"].startswith(oidc.issuer + "device?user_code=")

    pending = token_request(http, oidc, public_client, grant["device_code"])
    assert pending.status_code == 400
    assert pending.json()["error"] == "authorization_pending"

    approve(grant["verification_uri_complete"], user="alice")
    response = poll_tokens(http, oidc, public_client, grant["device_code"])
    assert response.status_code == 200, response.text
    tokens = response.json()
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 3600
    assert tokens["refresh_token"]

    header, access = verified_claims(http, oidc, tokens["access_token"])
    assert header["typ"] == "at+jwt"
    assert access["aud"] == OidcServer.MINIO_RESOURCE
    assert access["iss"] == oidc.issuer
    assert access["sub"] == "alice"
    assert access["client_id"] == OidcServer.PUBLIC_CLIENT_ID
    assert access["preferred_username"] == "alice"
    assert access["name"] == "Alice Rossi"
    assert access["groups"] == ["planet-uploaders", "planet-covid"]

    _, identity = verified_claims(http, oidc, tokens["id_token"])
    assert identity["aud"] == OidcServer.PUBLIC_CLIENT_ID
    assert identity["iss"] == oidc.issuer
    assert identity["groups"] == ["planet-uploaders", "planet-covid"]
    assert identity["preferred_username"] == "alice"


def test_refresh_keeps_refresh_token_and_audience(
    http: httpx.Client, oidc: OidcServer, public_client: DeviceClient, alice_tokens: dict[str, Any]
) -> None:
    response = http.post(
        oidc.discovery["token_endpoint"],
        data={**public_client.body(), "grant_type": "refresh_token", "refresh_token": alice_tokens["refresh_token"]},
    )
    assert response.status_code == 200, response.text
    refreshed = response.json()
    assert refreshed.get("refresh_token", alice_tokens["refresh_token"]) == alice_tokens["refresh_token"]
    _, access = verified_claims(http, oidc, refreshed["access_token"])
    assert access["aud"] == OidcServer.MINIO_RESOURCE


def test_userinfo_accepts_the_jwt_access_token(
    http: httpx.Client, oidc: OidcServer, alice_tokens: dict[str, Any]
) -> None:
    response = http.get(
        oidc.discovery["userinfo_endpoint"], headers={"Authorization": f"Bearer {alice_tokens['access_token']}"}
    )
    assert response.status_code == 200, response.text
    info = response.json()
    assert info["sub"] == "alice"
    assert info["groups"] == ["planet-uploaders", "planet-covid"]
    assert "wlcg.groups" not in info  # scope not requested


def test_confidential_client_device_flow(http: httpx.Client, oidc: OidcServer) -> None:
    client = DeviceClient(OidcServer.CONFIDENTIAL_CLIENT_ID, oidc.conf_client_secret)
    grant = start_device_flow(http, oidc, client)
    approve_with_code(grant["verification_uri"], grant["user_code"], user="bob")
    response = poll_tokens(http, oidc, client, grant["device_code"])
    assert response.status_code == 200, response.text
    _, access = verified_claims(http, oidc, response.json()["access_token"])
    assert access["sub"] == "bob"
    assert access["client_id"] == OidcServer.CONFIDENTIAL_CLIENT_ID
    assert access["groups"] == ["planet-readers"]

    wrong = DeviceClient(OidcServer.CONFIDENTIAL_CLIENT_ID, "not-the-secret")
    refused = http.post(oidc.discovery["device_authorization_endpoint"], data={"scope": SCOPE}, auth=wrong.auth())
    assert refused.status_code == 401
    assert refused.json()["error"] == "invalid_client"


def test_user_denial_and_unknown_user(http: httpx.Client, oidc: OidcServer, public_client: DeviceClient) -> None:
    grant = start_device_flow(http, oidc, public_client)
    approve(grant["verification_uri_complete"], deny=True)
    response = poll_tokens(http, oidc, public_client, grant["device_code"])
    # The stand-in says access_denied; IAM would keep saying authorization_pending until expiry.
    assert response.status_code == 400
    assert response.json()["error"] == "access_denied"

    other = start_device_flow(http, oidc, public_client)
    with pytest.raises(DeviceUserError):
        approve(other["verification_uri_complete"], user="mallory")


# ---------------------------------------------------------------------------------------------------- S3 + STS


def test_sts_exchange_and_bucket_policy(http: httpx.Client, s3: S3Server, alice_tokens: dict[str, Any]) -> None:
    response = http.post(
        f"http://{s3.endpoint}/",
        data={
            "Action": "AssumeRoleWithWebIdentity",
            "WebIdentityToken": alice_tokens["access_token"],
            "Version": "2011-06-15",
            "RoleArn": s3.role_arn,
            "RoleSessionName": "alice-upload",
            "DurationSeconds": str(s3.sts_duration_min),
        },
    )
    assert response.status_code == 200, response.text
    for element in ("AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"):
        assert f"<{element}>" in response.text

    credentials = s3.assume_role_with_web_identity(alice_tokens["access_token"])
    uploader = s3.client(credentials)
    key = f"Other/harness/alice/{uuid.uuid4().hex}.csv"  # the policy: alice writes in her folder only
    uploader.put_object("raw", key, io.BytesIO(b"a,b\n1,2\n"), 8, metadata={"x-amz-meta-planet-test": "1"})
    assert uploader.stat_object("raw", key).size == 8
    assert key in {o.object_name for o in uploader.list_objects("raw", prefix="Other/harness/alice/", recursive=True)}

    for bucket in ("validated", "triage"):
        with pytest.raises(S3Error) as denied:
            uploader.put_object(bucket, key, io.BytesIO(b"x"), 1)
        assert denied.value.code == "AccessDenied"
    with pytest.raises(S3Error) as no_delete:
        uploader.remove_object("raw", key)
    assert no_delete.value.code == "AccessDenied"

    admin = s3.client()
    admin.put_object("validated", key, io.BytesIO(b"ok"), 2)
    assert uploader.get_object("validated", key).read() == b"ok"


def test_sts_refuses_id_token_and_bad_durations(s3: S3Server, alice_tokens: dict[str, Any]) -> None:
    with pytest.raises(StsError) as wrong_audience:
        s3.assume_role_with_web_identity(alice_tokens["id_token"])
    assert wrong_audience.value.status_code == 400
    assert "audience" in wrong_audience.value.message

    with pytest.raises(StsError) as too_short:
        s3.assume_role_with_web_identity(alice_tokens["access_token"], duration_seconds=s3.sts_duration_min - 1)
    assert too_short.value.code == "InvalidParameterValue"
    s3.assume_role_with_web_identity(alice_tokens["access_token"], duration_seconds=s3.sts_duration_max)


def test_admin_credentials_have_full_rights(s3: S3Server) -> None:
    admin = s3.client()
    assert {b.name for b in admin.list_buckets()} >= {"raw", "validated", "triage"}
    key = f"admin/{uuid.uuid4().hex}"
    admin.put_object("triage", key, io.BytesIO(b"t"), 1)
    admin.copy_object("validated", key, _copy_source("triage", key))
    admin.remove_object("triage", key)
    assert admin.stat_object("validated", key).size == 1

    from minio import Minio

    impostor = Minio(s3.endpoint, access_key=s3.admin_access_key, secret_key="wrong", secure=False)
    with pytest.raises(S3Error) as refused:
        impostor.list_buckets()
    assert refused.value.code == "SignatureDoesNotMatch"


def _copy_source(bucket: str, key: str) -> Any:
    from minio.commonconfig import CopySource

    return CopySource(bucket, key)


def _listening_sockets(pid: int) -> set[tuple[str, int]]:
    """(address, port) of the TCP sockets ``pid`` listens on, read from /proc (IPv4 and IPv6)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found: set[tuple[str, int]] = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state != "0A" or inode not in inodes:  # 0A = LISTEN
                continue
            address_hex, port_hex = local.split(":")
            if table == "tcp":
                address = ".".join(str(int(address_hex[i : i + 2], 16)) for i in (6, 4, 2, 0))
            else:
                address = address_hex
            found.add((address, int(port_hex, 16)))
    return found


def _wait_listening_on(server: S3Server) -> set[tuple[str, int]]:
    """Poll until ``server`` listens on all its ports (the admin gRPC port opens last); return its sockets."""
    expected = {("127.0.0.1", port) for port in server.ports.values()}
    deadline = time.monotonic() + POLL_DEADLINE
    while True:
        assert server.pid is not None
        listening = _listening_sockets(server.pid)
        if listening >= expected or time.monotonic() > deadline:
            return listening
        time.sleep(POLL_INTERVAL)


@pytest.mark.skipif(not Path("/proc/self/net/tcp").exists(), reason="needs Linux /proc")
def test_second_server_side_by_side_loopback_only_and_restart(s3: S3Server, oidc: OidcServer, tmp_path: Path) -> None:
    with S3Server.start(tmp_path / "second", oidc.issuer) as second:
        assert not set(second.ports.values()) & set(s3.ports.values())
        for server in (s3, second):
            # Every listening socket is one of the chosen ports, on 127.0.0.1 only.
            assert _wait_listening_on(server) == {("127.0.0.1", port) for port in server.ports.values()}

        second.client().put_object("raw", "kept.txt", io.BytesIO(b"kept"), 4)
        second.kill()
        assert not second.running
        second.restart()
        assert second.running
        assert second.client().get_object("raw", "kept.txt").read() == b"kept"
        assert _wait_listening_on(second) == {("127.0.0.1", port) for port in second.ports.values()}
    assert not second.running


def test_the_test_lake_holds_hundreds_of_buckets(s3: S3Server) -> None:
    """Regression: weed mini allowed free disk ÷ 1 GiB volumes (61 on the CI machine), one per bucket, and the
    session's lake (a bucket set per test module) ran out mid-suite: copies and puts got HTTP 500 "No writable volumes
    and no free volumes left". The master's topology must leave room for hundreds of buckets."""
    status = httpx.get(f"http://127.0.0.1:{s3.ports['master']}/dir/status", timeout=10).json()
    assert status["Topology"]["Max"] >= 500, status["Topology"]
