"""The whole way over real HTTPS, as INFN's lake is reached: SeaweedFS serves S3 (and STS) with a certificate
from a test CA that no system trusts. The app reaches it only through the profile's ``ca_bundle``, and refuses
it without one, with a message that says why, uploading nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from planet_gui.core.errors import PlanetError
from planet_gui.core.transfer import TransferSettings, s3ops
from tests.conftest import write_profile
from tests.support.login import logged_in
from tests.support.servers import OidcServer
from tests.support.uploads import (
    VALID,
    MiB,
    TlsLake,
    make_file,
    memory_session,
    sha256_file,
    sha256_object,
    tls_lake,
)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory, oidc_server: OidcServer) -> Iterator[TlsLake]:
    with tls_lake(tmp_path_factory.mktemp("tls-lake"), oidc_server) as lake:
        yield lake


def test_upload_over_https_with_the_profiles_ca_bundle(tls: TlsLake, oidc_server: OidcServer,
                                                       tmp_path: Path) -> None:
    """Login, STS, a multipart upload, its seal and its verification: every S3 request goes over TLS."""
    session = logged_in(tls.profile(oidc_server, "tls-lake", trusted=True))
    session.configure_transfers(TransferSettings(concurrency=3, file_concurrency=2, part_size=5 * MiB),
                                journal_path=tmp_path / "journal.sqlite3")
    source = make_file(tmp_path / "über TLS.bin", 12 * MiB + 321, seed=41)
    try:
        result = session.upload(source, dict(VALID))
    finally:
        session.stop_uploads()

    admin = tls.admin()
    assert sha256_object(admin, "raw", result.key) == sha256_file(source) == result.sha256
    head = s3ops.head(admin, "raw", result.key)
    assert head is not None and head.metadata["sha256"] == result.sha256
    assert result.etag.endswith("-3")


def test_a_server_the_ca_bundle_does_not_vouch_for_is_refused(tls: TlsLake, oidc_server: OidcServer,
                                                              tmp_path: Path) -> None:
    """Without the CA bundle the system's CAs are used, which do not know the test CA: nothing is sent, and the
    user reads that the certificate could not be verified."""
    trusting = logged_in(tls.profile(oidc_server, "tls-lake-trusted", trusted=True))
    untrusting = memory_session(tls.profile(oidc_server, "tls-lake-untrusted", trusted=False),
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
    admin = tls.admin()
    assert not [o for o in admin.list_objects("raw", recursive=True) if (o.object_name or "").endswith("refused.bin")]
    assert not [u for u in s3ops.list_uploads(admin, "raw") if u.key.endswith("refused.bin")]
    assert source.stat().st_size == 6 * MiB


@pytest.mark.parametrize("wrong", ["TLS to the plain-HTTP port", "plain HTTP to the TLS port"])
def test_a_profile_that_mixes_up_http_and_https_says_so_at_once(wrong: str, tls: TlsLake, oidc_server: OidcServer,
                                                                tmp_path: Path) -> None:
    """A typo in the profile, not an outage: no retrying for minutes, no "refused your login token" (the 400 a
    TLS port gives plain HTTP), but which setting to check."""
    trusting = logged_in(tls.profile(oidc_server, "tls-lake-mixed", trusted=True))
    if wrong == "TLS to the plain-HTTP port":
        profile = write_profile(tmp_path / "mixed.toml", oidc_server, tls.s3, endpoint=tls.s3.endpoint, secure=True)
        expected = "does not answer with TLS"
    else:
        profile = write_profile(tmp_path / "mixed.toml", oidc_server, tls.s3, endpoint=tls.s3.https_endpoint)
        expected = "expects HTTPS, but was spoken to in plain HTTP: set secure = true"
    session = memory_session(profile, tmp_path / "journal.sqlite3", login_of=trusting)
    source = make_file(tmp_path / "mixed.bin", 1000, seed=43)
    try:
        with pytest.raises(PlanetError) as raised:
            session.upload(source, dict(VALID))
    finally:
        session.stop_uploads()
    assert raised.value.title == "Profile problem"
    assert expected in raised.value.message
