"""The contract between the uploader and the validation hook, in one place: what each side writes on an object.

The uploader (``planet_gui.core.transfer``) writes an object's user metadata (``X-Amz-Meta-*``), its SHA-256, its
uploader and, when the metadata is over S3's 2 KB, a JSON sidecar next to it. The hook (``planet_gui.hook``)
reads them, checks what the lake can check itself (the content's SHA-256, the owner of the key's folder, the
sidecar's name and shape) and writes its verdict with fields only it may write. Both import the names from here,
so neither side can drift from the other. Pure data and pure functions: no S3, no Qt, nothing heavy to import.

Keys are compared case-insensitively everywhere: S3 servers differ in the case they return (SeaweedFS lowers it,
MinIO capitalises it), and two spellings of one key in a request break its signature.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

META_PREFIX = "X-Amz-Meta-"

# -- what the uploader writes --------------------------------------------------------------------------------
#: the schema's field names of the two system fields, and their S3 metadata keys
SHA256_FIELD = "sha256"
UPLOADER_FIELD = "uploader"
SHA256_KEY = "Sha256"
UPLOADER_KEY = "Uploader"
#: the ``Sha256`` metadata of an object whose multipart upload is complete but whose SHA-256 is not recorded yet
#: (the uploader seals it with a copy onto itself; the validation hook leaves such objects alone for a while)
PENDING_SHA256 = "pending"

# -- the metadata sidecar --------------------------------------------------------------------------------------
#: a data object's sidecar is always ``<key><SIDECAR_SUFFIX>``, in the same folder, written by the same uploader
SIDECAR_SUFFIX = ".planet-meta.json"
SIDECAR_VERSION = 1
#: the hook reads at most this much of a sidecar; a bigger one is refused unread (the schema's longest values,
#: a thousand column names and a description, take a few tens of KB)
SIDECAR_MAX_BYTES = 1024 * 1024
#: at most this many metadata entries in a sidecar's ``s3`` map
SIDECAR_MAX_ENTRIES = 1000
#: the data object's headers: its sidecar's name (always the derived one) and the SHA-256 of its body
POINTER_KEY = "Planet-Sidecar"
POINTER_SHA_KEY = "Planet-Sidecar-Sha256"
#: the sidecar's own header: the key of the data object it describes
SIDECAR_FOR_KEY = "Planet-Sidecar-For"

# -- what only the hook writes (its verdict) ---------------------------------------------------------------------
CHECKED_AT_KEY = "Checked_at"
TRIAGE_REASON_KEY = "Triage_reason"
#: "validated" or "triage"
VERDICT_KEY = "Verdict"
#: the SHA-256 the hook computed from the content it read
CHECKED_SHA256_KEY = "Checked_sha256"
#: the owner of the key's folder: the only user the lake's policy lets write there
CHECKED_UPLOADER_KEY = "Checked_uploader"
#: which raw object this copy was made from (its ETag and last-modified time): a move interrupted by a crash is
#: recognised by it, and finished instead of being taken for someone else's file
CHECKED_SOURCE_KEY = "Checked_source"
VERDICT_VALIDATED = "validated"
VERDICT_TRIAGE = "triage"
#: a curator's decision on a triaged or validated object: who, when, why, what (``release``, ``reject``,
#: ``replace``), and for a replacement the SHA-256 of the object it replaced
CURATED_BY_KEY = "Curated_by"
CURATED_AT_KEY = "Curated_at"
CURATED_REASON_KEY = "Curated_reason"
CURATED_ACTION_KEY = "Curated_action"
CURATED_REPLACED_KEY = "Curated_replaced"
VERDICT_REJECTED = "rejected"
#: lower-case names a client may never set: the hook drops whatever an upload sends under them
HOOK_ONLY_KEYS = frozenset(name.lower() for name in (
    CHECKED_AT_KEY, TRIAGE_REASON_KEY, VERDICT_KEY, CHECKED_SHA256_KEY, CHECKED_UPLOADER_KEY, CHECKED_SOURCE_KEY,
    CURATED_BY_KEY, CURATED_AT_KEY, CURATED_REASON_KEY, CURATED_ACTION_KEY, CURATED_REPLACED_KEY,
    "Status", "Validated", "Validated_at", "Checked_by",
))

# -- where each user may write ------------------------------------------------------------------------------------
#: the lake's key layout; ``{user}`` is a whole segment, which the lake's policy binds to the token's username
DEFAULT_KEY_TEMPLATE = "{category}/{source}/{user}/{filename}"
USER_SEGMENT = "{user}"


def lowered(metadata: Mapping[str, str]) -> dict[str, str]:
    """User metadata with lower-case keys (without the ``x-amz-meta-`` prefix)."""
    return {name.lower(): value for name, value in metadata.items()}


def is_hook_only(name: str) -> bool:
    name = name.lower()
    if name.startswith(META_PREFIX.lower()):
        name = name[len(META_PREFIX):]
    return name in HOOK_ONLY_KEYS


def sidecar_key_for(key: str) -> str:
    return key + SIDECAR_SUFFIX


def data_key_of(sidecar_key: str) -> str | None:
    """The data key a sidecar's name belongs to (None for a name that is not a sidecar's)."""
    if not sidecar_key.endswith(SIDECAR_SUFFIX) or len(sidecar_key) == len(SIDECAR_SUFFIX):
        return None
    return sidecar_key[: -len(SIDECAR_SUFFIX)]


def user_position(template: str) -> int | None:
    """The index of the ``{user}`` segment in a key template (None when it is not a whole segment)."""
    segments = [part for part in template.split("/") if part.strip()]
    matches = [index for index, part in enumerate(segments) if part.strip() == USER_SEGMENT]
    return matches[0] if len(matches) == 1 else None


def owner_of(key: str, template: str = DEFAULT_KEY_TEMPLATE) -> str | None:
    """The user whose folder ``key`` is in, or None when the key does not follow ``template``'s layout (the
    same number of segments, a non-empty user segment). Sidecar names count as their data key's."""
    position = user_position(template)
    if position is None:
        return None
    segments = key.split("/")
    if len(segments) != len([part for part in template.split("/") if part.strip()]):
        return None
    owner = segments[position]
    return owner if owner.strip() else None


class SidecarShapeError(ValueError):
    """A sidecar body that is not a PLANET sidecar for the expected object (the message says what is wrong)."""


def parse_sidecar(body: bytes, data_key: str) -> dict[str, str]:
    """The ``s3`` metadata map of a sidecar body written for ``data_key``; :class:`SidecarShapeError` otherwise."""
    if len(body) > SIDECAR_MAX_BYTES:
        raise SidecarShapeError(f"it is over {SIDECAR_MAX_BYTES // 1024} KB")
    try:
        document: Any = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise SidecarShapeError("it is not JSON") from exc
    if not isinstance(document, dict) or document.get("planet_sidecar") != SIDECAR_VERSION:
        raise SidecarShapeError(f"it is not a version {SIDECAR_VERSION} PLANET metadata sidecar")
    if document.get("object") != data_key:
        raise SidecarShapeError(f"it describes {document.get('object')!r}, not this file")
    s3_map = document.get("s3")
    if not isinstance(s3_map, dict) or len(s3_map) > SIDECAR_MAX_ENTRIES or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in s3_map.items()):
        raise SidecarShapeError("its metadata map is missing or malformed")
    return dict(s3_map)
