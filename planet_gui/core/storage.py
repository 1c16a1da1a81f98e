"""Build S3 clients with TLS verified, and turn SDK errors into messages a user understands."""

from __future__ import annotations

import certifi
import urllib3
from minio import Minio
from minio.credentials.providers import Provider
from minio.error import S3Error

from planet_gui.core.errors import StorageError
from planet_gui.core.profile import S3Settings
from planet_gui.core.s3errors import human_message


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


def storage_error(exc: S3Error, bucket: str, action: str) -> StorageError:
    """The SDK's refusal as a domain error, in the words of :mod:`planet_gui.core.s3errors`."""
    return StorageError(human_message(exc, action, bucket))


def read_capped(client: Minio, bucket: str, key: str, cap: int, *, etag: str | None = None) -> bytes | None:
    """At most ``cap`` bytes of an object, streamed (never the whole of an object someone made huge); None
    when it holds more. With ``etag`` (quoted), only that version of it (``If-Match``): S3 errors such as a
    changed or missing object are raised for the caller to judge."""
    headers: dict[str, str | list[str] | tuple[str]] | None = {"If-Match": etag} if etag else None
    response = client.get_object(bucket, key, request_headers=headers)
    try:
        body = bytearray()
        for chunk in response.stream(64 * 1024):
            body += chunk
            if len(body) > cap:
                return None
        return bytes(body)
    finally:
        response.close()
        response.release_conn()
