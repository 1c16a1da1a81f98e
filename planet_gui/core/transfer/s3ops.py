"""The S3 requests the engine makes, on top of the minio SDK's signed-request layer.

The SDK's public API has no resumable multipart upload (no way to list, reuse or complete someone's upload id,
nor to send per-part checksums), so this module speaks those few S3 calls itself through ``Minio._execute``,
which signs each request with credentials fetched from the client's provider at that moment: STS renewals in
the middle of a long upload are picked up by the next request. Nothing here keeps credentials.

Every data request carries a checksum the server recomputes (a mismatch is refused with ``BadDigest``): the
parts of a multipart upload and single PUTs a CRC32C (``x-amz-checksum-crc32c``, S3's default algorithm,
hardware-fast on both ends, so the server, which on a small machine is the bottleneck, does not spend a SHA-256
on every byte). The SHA-256 in the object's metadata is the client's, computed from the very buffers it sends.
Completing a multipart upload returns the composite checksum the engine compares with its own. Because the
checksum already protects the body, data requests are signed with ``UNSIGNED-PAYLOAD`` (headers and query stay
signed) instead of making the SDK hash every byte once more for the signature. Uploads journaled by earlier
versions used SHA-256 part checksums; both algorithms are spoken.
"""

from __future__ import annotations

import base64
import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import cast
from urllib.parse import quote, unquote_plus, urlunsplit

import crc32c
from minio import Minio
from minio import time as s3time
from minio.error import S3Error, ServerError
from minio.helpers import md5sum_hash
from minio.signer import sign_v4_s3
from urllib3 import BaseHTTPResponse, HTTPHeaderDict

from planet_gui.core.lake import META_PREFIX as META_PREFIX  # the lake's contract, re-exported
from planet_gui.core.lake import PENDING_SHA256 as PENDING_SHA256
from planet_gui.core.transfer.retry import Transient

_NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"
GONE_CODES = frozenset({"NoSuchKey", "NoSuchObject", "ResourceNotFound"})


class Checksum(StrEnum):
    """An S3 checksum algorithm (the value of ``x-amz-checksum-algorithm``)."""

    SHA256 = "SHA256"
    CRC32C = "CRC32C"

    @property
    def header(self) -> str:
        return f"x-amz-checksum-{self.value.lower()}"

    @property
    def element(self) -> str:
        """Its element in CompleteMultipartUpload's XML."""
        return f"Checksum{self.value}"

    def digest(self, data: bytes | memoryview) -> bytes:
        if self is Checksum.CRC32C:
            return int(crc32c.crc32c(data)).to_bytes(4, "big")
        return hashlib.sha256(data).digest()

    def b64(self, data: bytes | memoryview) -> str:
        """The value of its header for ``data``."""
        return base64.b64encode(self.digest(data)).decode("ascii")

    def composite(self, parts_b64: Sequence[str]) -> str:
        """S3's checksum of a multipart object: the algorithm over the parts' binary checksums, then ``-<count>``."""
        joined = b"".join(base64.b64decode(d) for d in parts_b64)
        return self.b64(joined) + f"-{len(parts_b64)}"


PART_CHECKSUM = Checksum.CRC32C


def b64_sha256(data: bytes | memoryview) -> str:
    return Checksum.SHA256.b64(data)


@dataclass(frozen=True)
class ServerPart:
    number: int
    etag: str
    size: int


@dataclass(frozen=True)
class PendingUpload:
    key: str
    upload_id: str
    initiated: datetime | None


@dataclass(frozen=True)
class WriteResult:
    etag: str
    checksum: str | None  # the server's, of the algorithm the request used


@dataclass(frozen=True)
class Head:
    bucket: str
    key: str
    size: int
    etag: str
    metadata: Mapping[str, str] = field(default_factory=dict)  # user metadata, lower-case keys, no prefix
    checksums: Mapping[Checksum, str] = field(default_factory=dict)  # the server's, of the whole object

    def checksum(self, algorithm: Checksum) -> str | None:
        return self.checksums.get(algorithm)


class CompleteFailed(Exception):
    """CompleteMultipartUpload answered 200 with an error document (S3 does this for late failures)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def _execute(client: Minio, method: str, bucket: str, key: str | None = None, *, body: bytes | None = None,
             headers: Mapping[str, str] | None = None, query: Mapping[str, str] | None = None) -> BaseHTTPResponse:
    """One signed request; the SDK asks the client's credentials provider for credentials each time."""
    return client._execute(
        method, bucket, key, body=body,
        headers=cast("dict[str, str | list[str] | tuple[str]]", dict(headers)) if headers is not None else None,
        query_params=cast("dict[str, str | list[str] | tuple[str]]", dict(query)) if query is not None else None,
        no_body_trace=True,
    )


def _send_data(client: Minio, method: str, bucket: str, key: str, body: bytes | memoryview, headers: Mapping[str, str],
               query: Mapping[str, str] | None = None) -> BaseHTTPResponse:
    """A request carrying data, signed with UNSIGNED-PAYLOAD; credentials come from the client's provider now."""
    region = client._get_region(bucket)
    credentials = client._provider.retrieve() if client._provider is not None else None
    url = client._base_url.build(method=method, region=region, bucket_name=bucket, object_name=key,
                                 query_params=cast("dict[str, str | list[str] | tuple[str]]", dict(query or {})))
    sent: dict[str, str | list[str] | tuple[str]] = dict(headers)
    sent["Host"] = url.netloc
    sent["User-Agent"] = client._user_agent
    sent["Content-Length"] = str(memoryview(body).nbytes)
    date = s3time.utcnow()
    sent["x-amz-date"] = s3time.to_amz_date(date)
    if credentials is not None:
        sent["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD"
        if credentials.session_token:
            sent["X-Amz-Security-Token"] = credentials.session_token
        sent = sign_v4_s3(method=method, url=url, region=region, headers=sent, credentials=credentials,
                          content_sha256="UNSIGNED-PAYLOAD", date=date)
    http_headers = HTTPHeaderDict()
    for name, value in sent.items():
        http_headers.add(name, value if isinstance(value, str) else ",".join(value))
    response = client._http.urlopen(method, urlunsplit(url), body=body, headers=http_headers,
                                    preload_content=True)
    if response.status in (200, 204, 206):
        return response
    raise _error(response, bucket, key, url.path)


def _error(response: BaseHTTPResponse, bucket: str, key: str, resource: str) -> Exception:
    """The SDK's error for a failed answer: S3Error from an XML body, else from the status code."""
    if response.data and "xml" in (response.headers.get("content-type") or ""):
        try:
            return S3Error.fromxml(response)
        except ET.ParseError:
            pass
    code = {400: "BadRequest", 403: "AccessDenied", 404: "NoSuchKey", 405: "MethodNotAllowed",
            409: "Conflict", 412: "PreconditionFailed"}.get(response.status)
    if code is None:
        return ServerError(f"server failed with HTTP status code {response.status}", response.status)
    return S3Error(response, code, f"HTTP {response.status}", resource, response.headers.get("x-amz-request-id"),
                   response.headers.get("x-amz-id-2"), bucket_name=bucket, object_name=key)


def meta_headers(user_metadata: Mapping[str, str]) -> dict[str, str]:
    return {META_PREFIX + name: value for name, value in user_metadata.items()}


def _etag(value: str | None) -> str:
    return (value or "").strip().strip('"')


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: ET.Element, name: str) -> Iterable[ET.Element]:
    return (child for child in element if _local(child.tag) == name)


def _text(element: ET.Element, name: str) -> str | None:
    for child in _children(element, name):
        return child.text or ""
    return None


def create_multipart(client: Minio, bucket: str, key: str, headers: Mapping[str, str],
                     algorithm: Checksum = PART_CHECKSUM) -> str:
    sent = dict(headers)
    sent["x-amz-checksum-algorithm"] = algorithm.value
    sent.setdefault("Content-Type", "application/octet-stream")
    response = _execute(client, "POST", bucket, key, headers=sent, query={"uploads": ""})
    root = ET.fromstring(response.data.decode())
    upload_id = _text(root, "UploadId")
    if not upload_id:
        raise Transient("the storage server started a multipart upload without an upload id")
    return upload_id


def upload_part(client: Minio, bucket: str, key: str, upload_id: str, number: int, data: bytes | memoryview,
                checksum_b64: str, algorithm: Checksum = PART_CHECKSUM) -> WriteResult:
    response = _send_data(client, "PUT", bucket, key, data, {algorithm.header: checksum_b64},
                          {"partNumber": str(number), "uploadId": upload_id})
    return WriteResult(_etag(response.headers.get("etag")), response.headers.get(algorithm.header))


def put_object(client: Minio, bucket: str, key: str, data: bytes, headers: Mapping[str, str], checksum_b64: str,
               *, if_none_match: bool, algorithm: Checksum = Checksum.SHA256) -> WriteResult:
    sent = dict(headers)
    sent[algorithm.header] = checksum_b64
    sent.setdefault("Content-Type", "application/octet-stream")
    if if_none_match:
        sent["If-None-Match"] = "*"
    response = _send_data(client, "PUT", bucket, key, data, sent)
    return WriteResult(_etag(response.headers.get("etag")), response.headers.get(algorithm.header))


def list_parts(client: Minio, bucket: str, key: str, upload_id: str) -> list[ServerPart]:
    parts: list[ServerPart] = []
    marker = ""
    while True:
        query = {"uploadId": upload_id, "max-parts": "1000"}
        if marker:
            query["part-number-marker"] = marker
        response = _execute(client, "GET", bucket, key, query=query)
        root = ET.fromstring(response.data.decode())
        for part in _children(root, "Part"):
            parts.append(ServerPart(int(_text(part, "PartNumber") or 0), _etag(_text(part, "ETag")),
                                    int(_text(part, "Size") or 0)))
        if (_text(root, "IsTruncated") or "false").lower() != "true":
            return parts
        marker = _text(root, "NextPartNumberMarker") or ""
        if not marker:
            return parts


def complete(client: Minio, bucket: str, key: str, upload_id: str, parts: Sequence[tuple[int, str, str]],
             *, if_none_match: bool, algorithm: Checksum = PART_CHECKSUM) -> WriteResult:
    """``parts`` are (number, etag, base64 checksum) in order."""
    root = ET.Element("CompleteMultipartUpload")
    for number, etag, part_checksum in parts:
        part = ET.SubElement(root, "Part")
        ET.SubElement(part, "PartNumber").text = str(number)
        ET.SubElement(part, "ETag").text = f'"{etag}"'
        ET.SubElement(part, algorithm.element).text = part_checksum
    body = ET.tostring(root)
    headers = {"Content-Type": "application/xml", "Content-MD5": md5sum_hash(body) or ""}
    if if_none_match:
        headers["If-None-Match"] = "*"
    response = _execute(client, "POST", bucket, key, body=body, headers=headers, query={"uploadId": upload_id})
    return read_complete_answer(response.data, response.headers, algorithm)


def read_complete_answer(body: bytes, headers: Mapping[str, str], algorithm: Checksum = PART_CHECKSUM
                         ) -> WriteResult:
    """CompleteMultipartUpload's 200 answer. S3 may send it before the work is done and put an ``<Error>``
    document in the body when it fails after all: that raises :class:`CompleteFailed` (a transient code there is
    retried, see :func:`.finishing.transient_or_late_failure`)."""
    answer = ET.fromstring(body.decode())
    if _local(answer.tag) == "Error":
        raise CompleteFailed(_text(answer, "Code") or "InternalError", _text(answer, "Message") or "")
    checksum = _text(answer, algorithm.element) or headers.get(algorithm.header)
    return WriteResult(_etag(_text(answer, "ETag") or headers.get("etag")), checksum)


def replace_metadata(client: Minio, bucket: str, key: str, headers: Mapping[str, str], *, if_match: str) -> str:
    """Give an object new metadata by copying it onto itself (``REPLACE``): S3 servers (MinIO, SeaweedFS)
    rewrite only the metadata, the data stays. ``if_match`` (the ETag we completed) makes sure the object is
    still the one we wrote. Returns the ETag after the copy."""
    sent = dict(headers)
    sent["x-amz-copy-source"] = quote(f"/{bucket}/{key}")
    sent["x-amz-metadata-directive"] = "REPLACE"
    sent["x-amz-copy-source-if-match"] = f'"{if_match}"'
    response = _execute(client, "PUT", bucket, key, headers=sent)
    return read_complete_answer(response.data, {}).etag  # a copy answers 200 with an error document too


def abort(client: Minio, bucket: str, key: str, upload_id: str) -> None:
    """Abort; an upload that is already gone counts as aborted."""
    try:
        _execute(client, "DELETE", bucket, key, query={"uploadId": upload_id})
    except S3Error as exc:
        if exc.code not in {"NoSuchUpload"}:
            raise


def list_uploads(client: Minio, bucket: str, prefix: str = "") -> list[PendingUpload]:
    """Incomplete multipart uploads under ``prefix`` (all pages)."""
    found: list[PendingUpload] = []
    key_marker = ""
    id_marker = ""
    while True:
        query = {"uploads": "", "prefix": prefix, "max-uploads": "1000"}
        if key_marker:
            query["key-marker"] = key_marker
        if id_marker:
            query["upload-id-marker"] = id_marker
        response = _execute(client, "GET", bucket, query=query)
        root = ET.fromstring(response.data.decode())
        url_encoded = (_text(root, "EncodingType") or "").lower() == "url"
        for upload in _children(root, "Upload"):
            key = _text(upload, "Key") or ""
            initiated = _text(upload, "Initiated")
            found.append(PendingUpload(
                key=unquote_plus(key) if url_encoded else key,
                upload_id=_text(upload, "UploadId") or "",
                initiated=_parse_time(initiated) if initiated else None,
            ))
        if (_text(root, "IsTruncated") or "false").lower() != "true":
            return found
        key_marker = _text(root, "NextKeyMarker") or ""
        id_marker = _text(root, "NextUploadIdMarker") or ""
        if not key_marker and not id_marker:
            return found


def head(client: Minio, bucket: str, key: str) -> Head | None:
    """The object's size, ETag, user metadata and SHA-256 checksum; None when there is no such object."""
    try:
        response = _execute(client, "HEAD", bucket, key, headers={"x-amz-checksum-mode": "ENABLED"})
    except S3Error as exc:
        if exc.code in GONE_CODES:
            return None
        raise
    metadata: dict[str, str] = {}
    for name, value in response.headers.items():
        lowered = name.lower()
        if lowered.startswith("x-amz-meta-"):
            metadata[lowered[len("x-amz-meta-"):]] = value
    checksums: dict[Checksum, str] = {}
    for algorithm in Checksum:
        if found := response.headers.get(algorithm.header):
            checksums[algorithm] = found
    return Head(bucket=bucket, key=key, size=int(response.headers.get("content-length", 0)),
                etag=_etag(response.headers.get("etag")), metadata=metadata, checksums=checksums)


def _parse_time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
