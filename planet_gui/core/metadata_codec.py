"""Reversible US-ASCII encoding of S3 user-metadata values.

S3 (and the minio SDK) accept only US-ASCII header values. Non-ASCII text, control characters, and
anything that already looks encoded are wrapped as RFC 2047 ``=?UTF-8?B?<base64>?=``, which MinIO and
the AWS SDKs also recognise; everything else is stored verbatim so it stays readable in other tools.
"""

from __future__ import annotations

import base64
import binascii
import re

_PREFIX = "=?UTF-8?B?"
_SUFFIX = "?="
_PLAIN = re.compile(r"[\x20-\x7e]*")
_ENCODED = re.compile(r"=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=", re.IGNORECASE)


def encode(value: str) -> str:
    needs_wrapping = (
        not _PLAIN.fullmatch(value) or value.startswith("=?") or value != value.strip()
    )
    if not needs_wrapping:
        return value
    return _PREFIX + base64.b64encode(value.encode("utf-8")).decode("ascii") + _SUFFIX


def decode(value: str) -> str:
    match = _ENCODED.fullmatch(value.strip())
    if not match:
        return value
    try:
        return base64.b64decode(match.group(1), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return value
