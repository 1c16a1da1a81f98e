"""One schema, served by the lake: the hook publishes the schema and the rule set it enforces; clients read them.

A hook started with its own ``--schema`` used to disagree silently with the clients, which validated with the
schema they shipped with: a file a client accepted went to triage for a field the client never asked for. Now the
hook writes what it enforces to :data:`PUBLISHED_KEY` in the validated bucket (which the lake's policy lets every
uploader read), and each client reads it when its user logs in, keeps a copy in the user's cache folder, and
validates with it. When the lake has none, or it cannot be read, the client uses its last copy, else the schema
it ships with, and says so (:attr:`LakeSchema.note`).

The document (:func:`document`): ``planet_lake_schema`` (its format, 1), ``schema`` (the schema JSON as the hook
read it), ``schema_digest``, ``rules`` (name, version, needs_content of each rule the hook runs), ``rules_version``.
"""

from __future__ import annotations

import io
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from minio import Minio
from platformdirs import user_cache_dir

from planet_gui.core.errors import SchemaError
from planet_gui.core.i18n import tr
from planet_gui.core.private import APP_NAME, write_private
from planet_gui.core.schema import Schema, load_schema, parse_schema

log = logging.getLogger(__name__)

#: where the hook publishes, in the validated bucket
PUBLISHED_KEY = ".planet/schema.json"
FORMAT = 1
#: a published document is read with this cap (the schema is a few KB; a thousand-field one stays well under)
MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class LakeSchema:
    """The schema a client validates with, and where it came from."""

    schema: Schema
    #: the names of the rules the lake runs (None: unknown, the client runs all its own metadata rules)
    rules: tuple[str, ...] | None
    rules_version: str | None
    #: "lake" (read now), "cache" (the copy from an earlier login) or "built-in"
    origin: str
    #: for people, when the schema is not the one read from the lake now; None otherwise
    note: str | None = None


def document(schema: Schema, rules: list[dict[str, Any]], rules_version: str) -> bytes:
    """What the hook publishes: the schema exactly as it enforces it, and its rule set."""
    return json.dumps({
        "planet_lake_schema": FORMAT,
        "schema": json.loads(schema.document) if schema.document else {},
        "schema_digest": schema.digest,
        "rules": rules,
        "rules_version": rules_version,
        "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }, ensure_ascii=False, sort_keys=True).encode("utf-8")


def publish(client: Minio, bucket: str, schema: Schema, rules: list[dict[str, Any]], rules_version: str) -> None:
    """Write the document where every client reads it (the hook calls this at start)."""
    body = document(schema, rules, rules_version)
    client.put_object(bucket, PUBLISHED_KEY, io.BytesIO(body), len(body), content_type="application/json")


def parse(body: bytes, source: str) -> LakeSchema:
    """A published document as a :class:`LakeSchema`; :class:`SchemaError` when it is not one."""
    if len(body) > MAX_BYTES:
        raise SchemaError(tr("The schema published at {source} is over {kib} KiB", source=source,
                             kib=MAX_BYTES // 1024))
    try:
        raw = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise SchemaError(tr("The schema published at {source} is not JSON", source=source)) from exc
    if not isinstance(raw, dict) or raw.get("planet_lake_schema") != FORMAT:
        raise SchemaError(tr("The schema published at {source} is not in a format this version reads",
                             source=source))
    schema = parse_schema(raw.get("schema"), source=source)
    rules = raw.get("rules")
    names = tuple(str(rule.get("name")) for rule in rules if isinstance(rule, dict)) \
        if isinstance(rules, list) else None
    version = raw.get("rules_version")
    return LakeSchema(schema, names, str(version) if version is not None else None, "lake")


def default_cache_path(profile_name: str) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in profile_name) or "profile"
    return Path(user_cache_dir(APP_NAME)) / "lake-schema" / f"{safe}.json"


def fetch(client: Minio, bucket: str, cache: Path) -> LakeSchema:
    """The lake's schema (kept in ``cache`` for the next time), else the cached one, else the built-in one; never
    raises for a lake that has none or a document that cannot be read (the note says what happened)."""
    source = f"{bucket}/{PUBLISHED_KEY}"
    try:
        body = _read_capped(client, bucket, PUBLISHED_KEY)
        found = parse(body, source)
    except Exception as exc:  # noqa: BLE001 - no lake schema: absent, unreadable, refused, the server down
        reason = _reason(exc)
        log.info("no schema from the lake at %s: %s", source, reason)
    else:
        try:
            write_private(cache, body)
        except OSError as exc:
            log.warning("could not keep the lake's schema in %s: %s", cache, exc)
        return found
    try:
        cached = parse(cache.read_bytes(), str(cache))
    except FileNotFoundError:
        pass
    except (OSError, SchemaError) as exc:
        log.warning("the cached lake schema %s cannot be read: %s", cache, exc)
    else:
        return LakeSchema(cached.schema, cached.rules, cached.rules_version, "cache",
                          tr("The lake's schema could not be read ({reason}); using the copy from an earlier "
                             "login.", reason=reason))
    return LakeSchema(load_schema(), None, None, "built-in",
                      tr("The lake publishes no schema ({reason}); files are checked with the schema this app "
                         "ships with, and the lake may still refuse what it checks differently.", reason=reason))


def _reason(exc: Exception) -> str:
    code = getattr(exc, "code", None)
    if code:
        return str(code)
    return str(getattr(exc, "message", None) or exc) or type(exc).__name__


def _read_capped(client: Minio, bucket: str, key: str) -> bytes:
    response = client.get_object(bucket, key)
    try:
        body = response.read(MAX_BYTES + 1)
    finally:
        response.close()
        response.release_conn()
    return bytes(body)
