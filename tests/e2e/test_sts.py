"""STS is real: the S3 server checks the token's audience and expiry, and the role policy holds."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from minio.error import S3Error

from planet_gui.core.auth.http import make_client
from planet_gui.core.credentials import assume_role_with_web_identity
from planet_gui.core.errors import CredentialsError
from planet_gui.core.session import Session
from tests.conftest import SHARED_DEVICE_INTERVAL, Lake, separate_lake, wait_for
from tests.support.login import login_in_process, memory_session

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def alice_session(lake: Lake) -> Session:
    session = memory_session(lake.profile_path)
    login_in_process(session, "alice")
    return session


def test_role_allows_raw_and_denies_validated(alice_session: Session) -> None:
    s3 = alice_session.s3
    s3.put_object("raw", "Other/sts-test/alice/allowed.txt", io.BytesIO(b"ok"), 2)
    with pytest.raises(S3Error) as denied:
        s3.put_object("validated", "Other/sts-test/alice/sneaky.txt", io.BytesIO(b"no"), 2)
    assert denied.value.code == "AccessDenied"
    with pytest.raises(S3Error):
        s3.put_object("triage", "Other/sts-test/alice/sneaky.txt", io.BytesIO(b"no"), 2)
    # the uploader may read where its files went
    assert list(s3.list_objects("validated", prefix="nothing-here/")) == []
    with pytest.raises(S3Error):  # nor may it delete what is in the lake
        s3.remove_object("raw", "Other/sts-test/alice/allowed.txt")


def test_wrong_audience_token_is_refused(alice_session: Session) -> None:
    tokens = alice_session.current_tokens()
    assert tokens.id_token  # its aud is the app's client id, not the S3 server's
    with pytest.raises(CredentialsError, match="refused"):
        assume_role_with_web_identity(make_client(), alice_session.profile.s3_url, alice_session.profile.s3,
                                      tokens.id_token)


def test_garbage_token_is_refused(alice_session: Session) -> None:
    with pytest.raises(CredentialsError, match="refused"):
        assume_role_with_web_identity(make_client(), alice_session.profile.s3_url, alice_session.profile.s3,
                                      "not-a-jwt")


@pytest.fixture(scope="module")
def short_lived(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A provider whose access tokens live 3 s, and an S3 server that trusts it."""
    with separate_lake(tmp_path_factory.mktemp("short-lived"), access_token_ttl=3,
                       device_interval=SHARED_DEVICE_INTERVAL) as profile_path:
        yield profile_path


def test_expired_token_is_refused(short_lived: Path) -> None:
    session = memory_session(short_lived)
    login_in_process(session, "alice")
    stale = session.current_tokens()
    wait_for(lambda: time.time() > stale.expires_at + 1, 15, "the access token to expire")
    with pytest.raises(CredentialsError, match="refused"):
        assume_role_with_web_identity(make_client(), session.profile.s3_url, session.profile.s3,
                                      stale.access_token)
    # while the session itself refreshes silently and gets through
    assert session.credentials.retrieve().access_key
