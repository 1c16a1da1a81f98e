"""Build S3 clients with TLS verified, and turn SDK errors into messages a user understands."""

from __future__ import annotations

import certifi
import urllib3
from minio import Minio
from minio.credentials.providers import Provider
from minio.error import S3Error

from planet_gui.core.errors import StorageError
from planet_gui.core.i18n import N_, tr
from planet_gui.core.profile import S3Settings


def make_http_pool(ca_bundle: str | None) -> urllib3.PoolManager:
    """Certificates are always checked; ``ca_bundle`` replaces the default CAs."""
    return urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=10, read=120),
        maxsize=16,
        cert_reqs="CERT_REQUIRED",
        ca_certs=ca_bundle or certifi.where(),
        retries=urllib3.Retry(total=3, backoff_factor=0.5, status_forcelist=[500, 502, 503, 504]),
    )


def make_minio(settings: S3Settings, credentials: Provider) -> Minio:
    return Minio(
        settings.endpoint,
        secure=settings.secure,
        region=settings.region,
        credentials=credentials,
        http_client=make_http_pool(settings.ca_bundle),
    )


def make_admin_minio(endpoint: str, access_key: str, secret_key: str, *, secure: bool = False,
                     region: str = "us-east-1", ca_bundle: str | None = None) -> Minio:
    """For the validation hook, which runs server-side with its own service keys."""
    return Minio(endpoint, access_key=access_key, secret_key=secret_key, secure=secure, region=region,
                 http_client=make_http_pool(ca_bundle))


_FRIENDLY = {
    "AccessDenied": N_("You are not allowed to do this in bucket {bucket}."),
    "NoSuchBucket": N_("The bucket {bucket} does not exist on the storage server."),
    "ExpiredToken": N_("Your storage credentials expired; please try again."),
    "InvalidAccessKeyId": N_("The storage server does not accept these credentials."),
    "SignatureDoesNotMatch": N_("The storage server does not accept these credentials."),
}


def storage_error(exc: S3Error, bucket: str, action: str) -> StorageError:
    template = _FRIENDLY.get(exc.code or "")
    detail = tr(template, bucket=bucket) if template else f"{exc.code}: {exc.message}"
    return StorageError(tr("Could not {action}: {detail}", action=action, detail=detail))
