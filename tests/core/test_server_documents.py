"""S3 and STS answers, as servers send them (tests/core/documents), read without a server: what the engine does
with a Complete that answers 200 and then fails, and what the login makes of an STS answer."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from planet_gui.core.credentials import assume_role_with_web_identity
from planet_gui.core.errors import CredentialsError
from planet_gui.core.profile import S3Settings
from planet_gui.core.transfer import retry, s3ops
from planet_gui.core.transfer.finishing import transient_or_late_failure
from planet_gui.core.transfer.retry import RetryPolicy

DOCUMENTS = Path(__file__).with_name("documents")


def _document(name: str) -> bytes:
    return (DOCUMENTS / name).read_bytes()


def test_a_completed_upload_gives_its_etag_and_composite_checksum() -> None:
    result = s3ops.read_complete_answer(_document("complete-ok.xml"), {})
    assert result.etag == "3858f62230ac3c915f300c664312c11f-9"  # quotes stripped
    assert result.checksum == "sOO8/Q==-2"


def test_the_checksum_may_come_as_a_header_instead() -> None:
    body = _document("complete-ok.xml").replace(b"<ChecksumCRC32C>sOO8/Q==-2</ChecksumCRC32C>", b"")
    result = s3ops.read_complete_answer(body, {s3ops.Checksum.CRC32C.header: "AAAAAA==-2"})
    assert result.checksum == "AAAAAA==-2"


def test_a_200_with_an_internal_error_inside_is_retried() -> None:
    with pytest.raises(s3ops.CompleteFailed) as failed:
        s3ops.read_complete_answer(_document("complete-200-internal-error.xml"), {})
    assert failed.value.code == "InternalError"
    assert "internal error" in failed.value.message
    assert transient_or_late_failure(failed.value)  # worth another Complete
    answers = [_document("complete-200-internal-error.xml"), _document("complete-ok.xml")]
    tries: list[int] = []

    def complete() -> s3ops.WriteResult:
        tries.append(1)
        return s3ops.read_complete_answer(answers[len(tries) - 1], {})

    result = retry.call(complete, policy=RetryPolicy(base=0.001, cap=0.001, max_attempts=3),
                        action="complete the upload", transient=transient_or_late_failure)
    assert len(tries) == 2 and result.etag.endswith("-9")


def test_a_200_with_a_refusal_inside_is_not_retried() -> None:
    with pytest.raises(s3ops.CompleteFailed) as failed:
        s3ops.read_complete_answer(_document("copy-200-access-denied.xml"), {})
    assert failed.value.code == "AccessDenied"
    assert not transient_or_late_failure(failed.value)


def _sts(status: int, body: bytes) -> httpx.Client:
    def answer(request: httpx.Request) -> httpx.Response:
        form = dict(httpx.QueryParams(request.content.decode()))
        assert form["Action"] == "AssumeRoleWithWebIdentity" and form["WebIdentityToken"] == "the-token"
        return httpx.Response(status, content=body, headers={"Content-Type": "text/xml"})

    return httpx.Client(transport=httpx.MockTransport(answer))


def test_sts_credentials_are_read_from_the_answer() -> None:
    settings = S3Settings(endpoint="127.0.0.1:8333", secure=False)
    with _sts(200, _document("sts-assume-role-with-web-identity.xml")) as client:
        credentials = assume_role_with_web_identity(client, "http://127.0.0.1:8333", settings, "the-token")
    assert credentials.access_key == "ASgeIAIOSFODNN7EXAMPLE"
    assert credentials.secret_key == "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
    assert credentials.session_token.startswith("AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp")
    # the SDK keeps the expiry as naive UTC; an answer from 2014 is long expired, so the provider would renew
    assert credentials.expiration == datetime(2014, 10, 24, 23, 0, 23, tzinfo=UTC).replace(tzinfo=None)
    assert credentials.is_expired()


def test_an_sts_refusal_says_why() -> None:
    settings = S3Settings(endpoint="127.0.0.1:8333", secure=False)
    with _sts(403, _document("sts-access-denied.xml")) as client, pytest.raises(CredentialsError) as refused:
        assume_role_with_web_identity(client, "http://127.0.0.1:8333", settings, "the-token")
    assert "AccessDenied" in refused.value.message and "token has expired" in refused.value.message
    assert refused.value.title == "Storage access refused"
