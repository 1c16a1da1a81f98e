"""Read S3-format event records (MinIO webhooks, Argo Events, AWS, Ceph) into the keys the hook must check.

MinIO's webhook posts ``{"EventName": ..., "Key": "bucket/key", "Records": [...]}``; AWS and Ceph post only
``{"Records": [...]}``. Argo Events' MinIO event source wraps the same records as ``{"notification": [...]}``, and a
Sensor parameter without ``dataKey`` passes the whole Argo event, ``{"context": ..., "data": ...}``, where ``data``
is that object, or its JSON text, or that text in base64 (Go's encoding of a byte slice). Each record names its
bucket and its object key, URL-encoded the way a query string is (``+`` for a space). Only creations matter to the
hook: a removal or an access tells it nothing to check.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import IO, Any
from urllib.parse import unquote_plus

#: an event document names a handful of objects (MinIO: one per document); a few KB each
MAX_EVENT_BYTES = 1024 * 1024


class BadEvent(ValueError):
    """The body is not an S3 event document."""


def _is_creation(name: str) -> bool:
    # MinIO: "s3:ObjectCreated:Put"; AWS and Ceph: "ObjectCreated:Put"
    return name.removeprefix("s3:").startswith("ObjectCreated:")


def read_event(stream: IO[bytes], cap: int = MAX_EVENT_BYTES) -> Any:
    """The JSON document in ``stream``, read with a cap: at most ``cap`` bytes are ever held."""
    body = stream.read(cap + 1)
    if len(body) > cap:
        raise BadEvent(f"the event document is larger than {cap // 1024} KiB; an S3 event is a few KB")
    if not body.strip():
        raise BadEvent("the event document is empty")
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadEvent(f"the event document is not JSON: {exc}") from exc


def _unwrap_data(data: Any) -> Any:
    """Argo's ``data``: an object, its JSON text, or that text in base64."""
    if not isinstance(data, str):
        return data
    try:
        return json.loads(data)
    except ValueError:
        pass
    try:
        return json.loads(base64.b64decode(data, validate=True).decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise BadEvent("the Argo event's data is neither JSON nor base64-encoded JSON") from exc


def records_of(document: Any) -> list[Any]:
    """The S3 event records in any of the shapes the module's docstring lists."""
    if isinstance(document, list):  # a Sensor parameter with dataKey: notification
        if not document:
            raise BadEvent("an S3 event document is a JSON object, or Argo's list of event records (this one is empty)")
        return document
    if not isinstance(document, Mapping):
        raise BadEvent("an S3 event document is a JSON object")
    if "Records" not in document and "notification" not in document and "data" in document:
        document = _unwrap_data(document["data"])
        if not isinstance(document, Mapping):
            raise BadEvent("the Argo event's data is not an S3 event document")
    records = document.get("Records", document.get("notification"))
    if not isinstance(records, list):
        raise BadEvent('an S3 event document has a "Records" list')
    return records


def created_objects(document: Any) -> list[tuple[str, str]]:
    """The (bucket, decoded key) of every object whose creation ``document`` reports, in its order, once each."""
    found: list[tuple[str, str]] = []
    for record in records_of(document):
        try:
            name = str(record["eventName"])
            s3 = record["s3"]
            bucket = str(s3["bucket"]["name"])
            encoded = str(s3["object"]["key"])
        except (KeyError, TypeError) as exc:
            raise BadEvent(f"an event record lacks {exc}") from exc
        if not _is_creation(name):
            continue
        item = (bucket, unquote_plus(encoded))
        if item[1] and item not in found:
            found.append(item)
    return found


def created_keys(document: Any, bucket: str) -> list[str]:
    """The decoded keys of objects created in ``bucket`` that ``document`` reports, in its order, once each."""
    return [key for record_bucket, key in created_objects(document) if record_bucket == bucket]
