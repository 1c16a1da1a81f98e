"""The whole way over real HTTPS, as INFN's lake is reached: SeaweedFS serves S3 (and STS) with a certificate
from a test CA that no system trusts. The app reaches it only through the profile's ``ca_bundle``, and refuses
it without one, with a message that says why, uploading nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from minio import Minio

from planet_gui.core.errors import PlanetError
from planet_gui.core.storage import make_admin_minio
from planet_gui.core.transfer import TransferSettings, s3ops
from tests.conftest import write_profile
from tests.support.certs import make_ca_and_server_cert
from tests.support.login import logged_in
from tests.support.servers import OidcServer, S3Server
from tests.support.uploads import VALID, MiB, make_file, memory_session, sha256_file, sha256_object

pytestmark = pytest.mark.e2e


@dataclass
class TlsLake:
    s3: S3Server
    ca: Path
    folder: Path

    def admin(self) -> Minio:
        """The admin's client over HTTPS, trusting the test CA (checks behind the app's back)."""
        assert self.s3.https_endpoint is not None
        return make_admin_minio(self.s3.https_endpoint, self.s3.admin_access_key, self.s3.admin_secret_key,
                                secure=True, ca_bundle=str(self.ca))


@pytest.fixture(scope="module")
def tls_lake(tmp_path_factory: pytest.TempPathFactory, oidc_server: OidcServer) -> Iterator[TlsLake]:
    folder = tmp_path_factory.mktemp("tls-lake")
    tls = make_ca_and_server_cert(folder)
    server = S3Server.start(folder / "s3", oidc_issuer=oidc_server.issuer, tls=tls)
    try:
        yield TlsLake(server, tls.ca, folder)
    finally:
        server.kill()
        server.stop()


def _profile(lake: TlsLake, oidc: OidcServer, name: str, *, ca_bundle: Path | None) -> Path:
    extra = {"ca_bundle": str(ca_bundle)} if ca_bundle is not None else {}
    return write_profile(lake.folder / f"{name}.toml", oidc, lake.s3, endpoint=lake.s3.https_endpoint, secure=True,
                         **extra)


def test_upload_over_https_with_the_profiles_ca_bundle(tls_lake: TlsLake, oidc_server: OidcServer,
                                                       tmp_path: Path) -> None:
    """Login, STS, a multipart upload, its seal and its verification: every S3 request goes over TLS."""
    session = logged_in(_profile(tls_lake, oidc_server, "tls-lake", ca_bundle=tls_lake.ca))
    session.configure_transfers(TransferSettings(concurrency=3, file_concurrency=2, part_size=5 * MiB),
                                journal_path=tmp_path / "journal.sqlite3")
    source = make_file(tmp_path / "über TLS.bin", 12 * MiB + 321, seed=41)
    try:
        result = session.upload(source, dict(VALID))
    finally:
        session.stop_uploads()

    admin = tls_lake.admin()
    assert sha256_object(admin, "raw", result.key) == sha256_file(source) == result.sha256
    head = s3ops.head(admin, "raw", result.key)
    assert head is not None and head.metadata["sha256"] == result.sha256
    assert result.etag.endswith("-3")


def test_a_server_the_ca_bundle_does_not_vouch_for_is_refused(tls_lake: TlsLake, oidc_server: OidcServer,
                                                              tmp_path: Path) -> None:
    """Without the CA bundle the system's CAs are used, which do not know the test CA: nothing is sent, and the
    user reads that the certificate could not be verified."""
    trusting = logged_in(_profile(tls_lake, oidc_server, "tls-lake-trusted", ca_bundle=tls_lake.ca))
    untrusting = memory_session(_profile(tls_lake, oidc_server, "tls-lake-untrusted", ca_bundle=None),
                                tmp_path / "journal.sqlite3", login_of=trusting)
    source = make_file(tmp_path / "refused.bin", 6 * MiB, seed=42)
    try:
        with pytest.raises(PlanetError) as raised:
            untrusting.upload(source, dict(VALID))
    finally:
        untrusting.stop_uploads()
    error = raised.value
    assert error.title == "Untrusted storage server"  # not retried as if the network had dropped
    assert "could not be verified" in error.message and "ca_bundle" in error.message
    admin = tls_lake.admin()
    assert not [o for o in admin.list_objects("raw", recursive=True) if (o.object_name or "").endswith("refused.bin")]
    assert not [u for u in s3ops.list_uploads(admin, "raw") if u.key.endswith("refused.bin")]
    assert source.stat().st_size == 6 * MiB
