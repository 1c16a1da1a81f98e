"""The hook's check of a data object's metadata sidecar: only the one its own upload wrote for that same key.

An object's sidecar is never whatever its headers name. It can only be ``<key>.planet-meta.json`` (the lake's
contract, :mod:`planet_gui.core.lake`): the same folder, so the lake's policy guarantees the same uploader wrote
it. Before its metadata counts it must also declare itself written for this key, carry the same uploader, be at
most :data:`~planet_gui.core.lake.SIDECAR_MAX_BYTES` (read with a cap, never whole), match the SHA-256 the data's
headers give, and be JSON of the expected shape. Anything else is a reason for triage, and an object that is not
this key's checked sidecar is never moved or removed along with it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from minio import Minio
from minio.error import S3Error

from planet_gui.core import lake, metadata_codec
from planet_gui.core.keys import sanitise_segment
from planet_gui.core.status import user_metadata
from planet_gui.hook.content import GONE, read_capped


@dataclass(frozen=True)
class SidecarFound:
    """A sidecar in raw: its key, its ETag and its (lower-case) user metadata."""

    key: str
    etag: str
    size: int
    metadata: Mapping[str, str]

    @property
    def described(self) -> str | None:
        """The data key its own header says it was written for."""
        raw = self.metadata.get(lake.SIDECAR_FOR_KEY.lower())
        return metadata_codec.decode(raw) if raw is not None else None

    def is_for(self, data_key: str) -> bool:
        return self.described == data_key and lake.data_key_of(self.key) == data_key


@dataclass(frozen=True)
class SidecarCheck:
    """What the data object's sidecar adds: its metadata (lower-case keys), the problems found, and the sidecar
    that moves along with the data (only one that was checked and belongs to it)."""

    metadata: dict[str, str] = field(default_factory=dict)
    problems: tuple[str, ...] = ()
    moves_along: SidecarFound | None = None
    pointer_ok: bool = True
    #: the checked sidecar's body (only when it parsed): what a move to another folder rewrites
    body: bytes | None = None


def find(client: Minio, bucket: str, sidecar_key: str) -> SidecarFound | None:
    try:
        stat = client.stat_object(bucket, sidecar_key)
    except S3Error as exc:
        if exc.code in GONE:
            return None
        raise
    return SidecarFound(sidecar_key, stat.etag or "", stat.size or 0, user_metadata(dict(stat.metadata or {})))


def check(client: Minio, bucket: str, key: str, metadata: Mapping[str, str], owner: str | None) -> SidecarCheck:
    """The sidecar of data object ``key`` (``metadata``: its lower-case user metadata)."""
    pointer = metadata.get(lake.POINTER_KEY.lower())
    if pointer is None:
        return SidecarCheck()  # all its metadata is in its headers
    expected = lake.sidecar_key_for(key)
    named = metadata_codec.decode(pointer)
    if named != expected:
        return SidecarCheck(pointer_ok=False, problems=(
            f"its metadata points to another object ({named}); only {expected} can hold its metadata, so "
            "nothing else was read or moved",))
    found = find(client, bucket, expected)
    if found is None:
        return SidecarCheck(problems=(f"its metadata sidecar {expected} is missing; upload the file again",))
    if not found.is_for(key):
        return SidecarCheck(problems=(
            f"{expected} is not its metadata sidecar (it says it describes {found.described or 'nothing'}); "
            "it was left alone",))
    problems: list[str] = []
    written_by = found.metadata.get(lake.UPLOADER_KEY.lower())
    if owner is not None and written_by is not None and \
            sanitise_segment(metadata_codec.decode(written_by)) != owner:
        problems.append(f"its metadata sidecar says it was written by {metadata_codec.decode(written_by)}, "
                        f"but it is in {owner}'s folder")
    if found.size > lake.SIDECAR_MAX_BYTES:
        problems.append(f"its metadata sidecar is {found.size} bytes, over the {lake.SIDECAR_MAX_BYTES // 1024} KB "
                        "a sidecar may hold; it was not read")
        return SidecarCheck(problems=tuple(problems))  # no sidecar: the hook checks it as an object of its own
    body = read_capped(client, bucket, expected, found.etag, lake.SIDECAR_MAX_BYTES)
    if body is None:  # replaced or removed since it was looked at: judged again at the next pass
        raise SidecarChanged(expected)
    declared_sha = metadata.get(lake.POINTER_SHA_KEY.lower(), "")
    if declared_sha and hashlib.sha256(body).hexdigest() != declared_sha:
        problems.append(f"its metadata sidecar {expected} does not match the SHA-256 its headers give")
        return SidecarCheck(problems=tuple(problems), moves_along=found)
    try:
        extra = lake.parse_sidecar(body, key)
    except lake.SidecarShapeError as exc:
        problems.append(f"its metadata sidecar {expected} cannot be used: {exc}")
        return SidecarCheck(problems=tuple(problems), moves_along=found)
    return SidecarCheck(metadata=lake.lowered(extra), problems=tuple(problems), moves_along=found, body=body)


def retarget(body: bytes, data_key: str) -> bytes:
    """A checked sidecar's body naming ``data_key``: where its data object goes when the destination's folder
    differs from the raw one (the reader refuses a sidecar that names another object)."""
    import json

    document = json.loads(body.decode("utf-8"))
    document["object"] = data_key
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


class SidecarChanged(RuntimeError):
    """The sidecar changed while it was being read; the object is checked again at the next pass."""
