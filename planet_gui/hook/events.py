"""Read S3-format event records (MinIO webhooks, Argo Events, AWS, Ceph) into the keys the hook must check.

MinIO's webhook posts ``{"EventName": ..., "Key": "bucket/key", "Records": [...]}``; AWS and Ceph post only
``{"Records": [...]}``. Each record names its bucket and its object key, URL-encoded the way a query string is
(``+`` for a space). Only creations matter to the hook: a removal or an access tells it nothing to check.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote_plus


class BadEvent(ValueError):
    """The body is not an S3 event document."""


def _is_creation(name: str) -> bool:
    # MinIO: "s3:ObjectCreated:Put"; AWS and Ceph: "ObjectCreated:Put"
    return name.removeprefix("s3:").startswith("ObjectCreated:")


def created_keys(document: Any, bucket: str) -> list[str]:
    """The decoded keys of objects created in ``bucket`` that ``document`` reports, in its order, once each."""
    if not isinstance(document, Mapping):
        raise BadEvent("an S3 event document is a JSON object")
    records = document.get("Records")
    if not isinstance(records, list):
        raise BadEvent('an S3 event document has a "Records" list')
    keys: list[str] = []
    for record in records:
        try:
            name = str(record["eventName"])
            s3 = record["s3"]
            record_bucket = str(s3["bucket"]["name"])
            encoded = str(s3["object"]["key"])
        except (KeyError, TypeError) as exc:
            raise BadEvent(f"an event record lacks {exc}") from exc
        if record_bucket != bucket or not _is_creation(name):
            continue
        key = unquote_plus(encoded)
        if key and key not in keys:
            keys.append(key)
    return keys
