"""Helpers for the upload tests: quick big files, a private lake without the hook, an in-process login."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from minio import Minio

from planet_gui.core.session import Session
from tests.support.login import memory_session  # noqa: F401 - re-exported for the upload tests
from tests.support.servers import OidcServer, S3Server

MiB = 1024 * 1024
BUCKETS = ("validated", "triage", "raw")

#: metadata that satisfies the schema for any file
VALID = {"category": "Other", "source": "Test suite", "area": "Italia", "frequency": "none", "format": "other",
         "personal_data": False}


def make_file(path: Path, size: int, seed: int = 0) -> Path:
    """``size`` bytes quickly: a random 1 MiB block, each MiB stamped with its index and the seed (no zeros)."""
    block = bytearray(os.urandom(MiB))
    with path.open("wb") as handle:
        written = 0
        index = 0
        while written < size:
            block[:16] = index.to_bytes(8, "little") + seed.to_bytes(8, "little")
            chunk = bytes(block[: min(MiB, size - written)])
            handle.write(chunk)
            written += len(chunk)
            index += 1
    return path


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(4 * MiB):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_object(client: Minio, bucket: str, key: str) -> str:
    """Stream the object from the server and hash what arrives."""
    digest = hashlib.sha256()
    response = client.get_object(bucket, key)
    try:
        for chunk in response.stream(4 * MiB):
            digest.update(chunk)
    finally:
        response.close()
        response.release_conn()
    return digest.hexdigest()


def where(client: Minio, key: str) -> str | None:
    """The bucket holding ``key`` (the hook may have moved it), or None."""
    from minio.error import S3Error

    for bucket in BUCKETS:
        try:
            client.stat_object(bucket, key)
            return bucket
        except S3Error:
            continue
    return None


def incomplete_uploads(client: Minio, prefix: str = "") -> list[tuple[str, str]]:
    from planet_gui.core.transfer import s3ops

    return [(u.key, u.upload_id) for u in s3ops.list_uploads(client, "raw", prefix)]


@dataclass
class PrivateLake:
    """An S3 server of one's own: no hook moves objects, and it may be killed and restarted."""

    s3: S3Server
    profile_path: Path

    def admin(self) -> Minio:
        return self.s3.client()


@contextmanager
def private_lake(workdir: Path, oidc: OidcServer) -> Iterator[PrivateLake]:
    from tests.conftest import write_profile

    server = S3Server.start(workdir / "s3", oidc_issuer=oidc.issuer)
    try:
        yield PrivateLake(server, write_profile(workdir / "private-lake.toml", oidc, server))
    finally:
        server.kill()  # its data is thrown away: no need to wait for a clean stop
        server.stop()


@dataclass
class TlsLake:
    """An S3 server of one's own that also speaks HTTPS, with a certificate from a test CA no system trusts."""

    s3: S3Server
    ca: Path
    folder: Path

    def admin(self) -> Minio:
        """The admin's client over HTTPS, trusting the test CA (checks behind the app's back)."""
        from planet_gui.core.storage import make_admin_minio

        assert self.s3.https_endpoint is not None
        return make_admin_minio(self.s3.https_endpoint, self.s3.admin_access_key, self.s3.admin_secret_key,
                                secure=True, ca_bundle=str(self.ca))

    def profile(self, oidc: OidcServer, name: str, *, trusted: bool) -> Path:
        """A profile reaching S3 over HTTPS only, with the test CA as its bundle when ``trusted``."""
        from tests.conftest import write_profile

        extra = {"ca_bundle": str(self.ca)} if trusted else {}
        return write_profile(self.folder / f"{name}.toml", oidc, self.s3, endpoint=self.s3.https_endpoint,
                             secure=True, **extra)


@contextmanager
def tls_lake(workdir: Path, oidc: OidcServer) -> Iterator[TlsLake]:
    from tests.support.certs import make_ca_and_server_cert

    workdir.mkdir(parents=True, exist_ok=True)
    tls = make_ca_and_server_cert(workdir)
    server = S3Server.start(workdir / "s3", oidc_issuer=oidc.issuer, tls=tls)
    try:
        yield TlsLake(server, tls.ca, workdir)
    finally:
        server.kill()
        server.stop()


def with_profile_changes(session: Session, **changes: object) -> Session:
    session.profile = replace(session.profile, **changes)  # type: ignore[arg-type]
    return session
