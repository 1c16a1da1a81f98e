"""The hook's own look for personal data: identifiers in an object that its metadata says it has none of.

The app scans every file before upload, but a client that skips the check (an old version, a raw S3 client)
can still write ``personal_data: false`` over a table of codici fiscali. So the lake runs the same detection
(:func:`planet_gui.core.privacy.scan_stream`, the whole object, streamed in bounded memory, at the version the
hook saw: ``If-Match`` on its ETag) and sends such an object to triage. The reason names each finding's kind,
column and count, never a value, not even masked: triage reasons travel to chat notifications.

An object declared with personal data (``personal_data: true``) is not read: what it holds is what it says,
and the uploader's confirmation, if the profile wanted one, is in its metadata for the curators.

The read is capped (``SCAN_MAX_BYTES`` and ``SCAN_SECONDS`` of the hook's config): an object too big or too slow
to scan goes to triage saying so, never to validated unscanned. The hook serves one object at a time, so an
uncapped scan of a huge table would hold up every upload behind it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from minio import Minio
from minio.error import S3Error

from planet_gui.core.errors import PlanetError
from planet_gui.core.privacy import scan_stream
from planet_gui.core.privacy.streams import ByteStream

log = logging.getLogger("planet_gui.hook")

_GONE_OR_CHANGED = frozenset({"NoSuchKey", "NoSuchObject", "ResourceNotFound", "PreconditionFailed"})
_MAX_LISTED = 16  # findings named in the reason; the rest are counted
DEFAULT_MAX_BYTES = 8 * 1024**3  # as HookConfig's: at the full scan's >= 100 MB/s, under a minute and a half
DEFAULT_SECONDS = 600.0


class _OverCap(Exception):  # noqa: N818 - not an error of the object: the hook's own limit
    """The scan reached the hook's byte or time cap (raised from ``read``, so every reader stops at once)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Capped:
    """An object's body that stops the scan past ``max_bytes`` or ``seconds``."""

    def __init__(self, raw: ByteStream, max_bytes: int, seconds: float) -> None:
        self.raw = raw
        self.left = max_bytes
        self.max_bytes = max_bytes
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def read(self, size: int = -1, /) -> bytes:
        if time.monotonic() > self.deadline:
            raise _OverCap(f"reading it took over {self.seconds:g} s, the hook's cap (SCAN_SECONDS)")
        data = self.raw.read(size if size >= 0 else self.left + 1)
        self.left -= len(data)
        if self.left < 0:
            raise _OverCap(f"it holds more than {_size(self.max_bytes)}, the most the hook reads (SCAN_MAX_BYTES)")
        return data


def _size(count: int) -> str:
    return f"{count / 1024**3:g} GiB" if count >= 1024**3 else f"{count / 1024**2:g} MiB" if count >= 1024**2 \
        else f"{count:,} bytes"


def undeclared_personal_data(client: Minio, bucket: str, key: str, etag: str, values: Mapping[str, Any], *,
                             max_bytes: int = DEFAULT_MAX_BYTES, seconds: float = DEFAULT_SECONDS) -> list[str]:
    """The triage reason (one line, or none) for personal data in the object that ``values`` (its metadata as
    the schema reads it) does not declare. An object that cannot be read as its kind is a reason too: the
    lake could not check it; and so is one the scan could not finish within ``max_bytes`` and ``seconds``."""
    if values.get("personal_data") is True:
        return []
    declared = "false" if values.get("personal_data") is False else "absent"
    quoted = etag.strip() if etag.strip().startswith('"') else f'"{etag.strip()}"'
    try:
        response = client.get_object(bucket, key, request_headers={"If-Match": quoted})
    except S3Error as exc:
        if exc.code in _GONE_OR_CHANGED:
            return []  # the SHA-256 pass says so already, or the next pass judges the new version
        raise
    try:
        report = scan_stream(_Capped(response, max_bytes, seconds), PurePosixPath(key).name, full=True)
    except _OverCap as exc:
        log.warning("personal-data scan of %s stopped: %s", key, exc.reason)
        return [f"the lake did not finish looking for personal data in it ({exc.reason}), and its metadata says "
                f"personal_data is {declared}; a curator must check it"]
    except PlanetError as exc:
        return [f"the lake could not look for personal data in it ({exc.message}), and its metadata says "
                f"personal_data is {declared}; a curator must check it"]
    finally:
        response.close()
        response.release_conn()
    if not report.findings:
        return []
    found = []
    for finding in report.findings[:_MAX_LISTED]:
        where = f"{finding.table}: {finding.column}" if finding.table else finding.column
        inside = f" ({', '.join(f'{kind} {count}' for kind, count in finding.embedded.items())})" \
            if finding.embedded else ""
        found.append(f"{finding.kind}{inside} in column {where} ({'~' if finding.estimated else ''}"
                     f"{finding.count} values)")
    more = len(report.findings) - _MAX_LISTED
    log.warning("personal data in %s, declared %s: %s", key, declared, ", ".join(report.kinds))
    return [f"its content holds personal data its metadata does not declare (personal_data is {declared}): "
            f"{'; '.join(found)}{f'; and {more} more' if more > 0 else ''}. Pseudonymise or remove those columns, "
            "or upload it declaring personal data with the reason it must be in the lake"]
