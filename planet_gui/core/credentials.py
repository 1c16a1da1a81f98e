"""Temporary S3 credentials from the S3 server's STS (AssumeRoleWithWebIdentity).

The app never holds long-lived S3 keys: it trades the user's OIDC token for credentials that expire,
and renews them before they do. The minio SDK asks the provider for credentials on every request,
so a renewal in the middle of a multipart upload is picked up by the next part.
"""

from __future__ import annotations

import logging
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
from minio.credentials.credentials import Credentials
from minio.credentials.providers import Provider

from planet_gui.core.auth.http import tls_advice
from planet_gui.core.errors import CredentialsError, StorageMisconfigured
from planet_gui.core.i18n import tr
from planet_gui.core.profile import S3Settings
from planet_gui.core.tls import answered_plain_http_on_tls, plain_http_message

log = logging.getLogger(__name__)

_STS_NS = "{https://sts.amazonaws.com/doc/2011-06-15/}"


def assume_role_with_web_identity(
    client: httpx.Client, s3_url: str, settings: S3Settings, web_identity_token: str
) -> Credentials:
    data = {
        "Action": "AssumeRoleWithWebIdentity",
        "Version": "2011-06-15",
        "WebIdentityToken": web_identity_token,
        "DurationSeconds": str(settings.sts_duration),
        "RoleSessionName": settings.role_session_name,
    }
    if settings.role_arn:
        data["RoleArn"] = settings.role_arn
    try:
        response = client.post(s3_url.rstrip("/") + "/", data=data)
    except httpx.HTTPError as exc:
        advice = tls_advice(exc, s3_url, untrusted="Untrusted storage server")
        if advice is not None:
            raise StorageMisconfigured(advice.message, title=advice.title) from exc
        raise CredentialsError(tr("Cannot reach the storage server's STS at {s3_url}: {error}",
                                  s3_url=s3_url, error=exc)) from exc
    if answered_plain_http_on_tls(response.status_code, response.text):  # else it would read as a refused login
        raise StorageMisconfigured(plain_http_message(s3_url))
    root = _parse_xml(response.text)
    if response.status_code != 200 or root is None:
        code, message = _sts_error(root)
        raise CredentialsError(
            tr("The storage server refused your login token ({code}): {message}",
               code=code or response.status_code, message=message or tr('no reason given')),
            title="Storage access refused",
        )
    creds = _find(root, "Credentials")
    if creds is None:
        raise CredentialsError(tr("The storage server's STS answer holds no credentials."))
    try:
        expiration = _parse_time(_text(creds, "Expiration"))
        return Credentials(
            access_key=_text(creds, "AccessKeyId"),
            secret_key=_text(creds, "SecretAccessKey"),
            session_token=_text(creds, "SessionToken"),
            expiration=expiration,
        )
    except ValueError as exc:
        raise CredentialsError(tr("The storage server's STS answer is malformed: {error}", error=exc)) from exc


class StsCredentialsProvider(Provider):
    """A minio credentials provider that renews STS credentials ``renew_margin`` s before expiry."""

    def __init__(
        self,
        token_source: Callable[[], str],
        http: httpx.Client,
        s3_url: str,
        settings: S3Settings,
        on_renew: Callable[[datetime], None] | None = None,
    ) -> None:
        self._token_source = token_source
        self._http = http
        self._s3_url = s3_url
        self._settings = settings
        self._on_renew = on_renew
        self._lock = threading.Lock()
        self._credentials: Credentials | None = None
        self.renewals = 0

    @property
    def expires_at(self) -> datetime | None:
        return self._credentials.expiration if self._credentials else None

    def _needs_renewal(self) -> bool:
        if self._credentials is None or self._credentials.expiration is None:
            return self._credentials is None
        remaining = self._credentials.expiration.timestamp() - time.time()
        return remaining <= self._settings.sts_renew_margin

    def retrieve(self) -> Credentials:
        with self._lock:
            if self._needs_renewal():
                first = self._credentials is None
                self._credentials = assume_role_with_web_identity(
                    self._http, self._s3_url, self._settings, self._token_source()
                )
                if not first:
                    self.renewals += 1
                log.info("storage credentials %s, valid until %s", "obtained" if first else "renewed",
                         self._credentials.expiration)
                if self._on_renew is not None and self._credentials.expiration is not None:
                    self._on_renew(self._credentials.expiration)
            assert self._credentials is not None
            return self._credentials

    def forget(self) -> None:
        with self._lock:
            self._credentials = None


def _parse_xml(text: str) -> ET.Element | None:
    try:
        return ET.fromstring(text)
    except ET.ParseError:
        return None


def _find(root: ET.Element, tag: str) -> ET.Element | None:
    for element in root.iter():
        if element.tag == tag or element.tag == _STS_NS + tag or element.tag.endswith("}" + tag):
            return element
    return None


def _text(root: ET.Element, tag: str) -> str:
    element = _find(root, tag)
    if element is None or element.text is None:
        raise ValueError(f"missing {tag}")
    return element.text.strip()


def _sts_error(root: ET.Element | None) -> tuple[str, str]:
    if root is None:
        return "", ""
    code = _find(root, "Code")
    message = _find(root, "Message")
    return (code.text or "" if code is not None else "", message.text or "" if message is not None else "")


def _parse_time(text: str) -> datetime:
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
