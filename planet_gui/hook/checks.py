"""What the hook checks in an object's metadata: the schema, then the rules (:mod:`planet_gui.core.rules`), which
may stream its content; and the publication of both, so that clients check what the hook checks
(:mod:`planet_gui.core.lake_schema`)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from typing import IO, Any

from minio import Minio

from planet_gui.core import lake_schema
from planet_gui.core.rules import RuleSet, load_rules
from planet_gui.core.schema import Schema
from planet_gui.hook.config import HookConfig

log = logging.getLogger("planet_gui.hook")


@functools.cache
def _rules(modules: tuple[str, ...]) -> RuleSet:
    return load_rules(modules)


def rules_of(config: HookConfig) -> RuleSet:
    """The rules a hook with ``config`` runs: the shipped ones, the entry points', the configured modules'."""
    return _rules(config.rule_modules)


class _ObjectStream:
    """An object's body as a readable stream; closing it gives its connection back to the pool."""

    def __init__(self, response: Any) -> None:
        self._response = response

    def read(self, size: int = -1) -> bytes:
        return bytes(self._response.read(None if size is None or size < 0 else size))

    def close(self) -> None:
        self._response.close()
        self._response.release_conn()


def problems(client: Minio, bucket: str, key: str, etag: str, schema: Schema, config: HookConfig,
             metadata: Mapping[str, str]) -> list[str]:
    """The schema's problems with ``metadata`` (S3 user metadata, lower-case keys), then every rule's; content
    rules read the very version checked (``If-Match`` on its ETag)."""
    values = schema.from_s3(metadata)
    found = schema.problems(values)

    def open_stream() -> IO[bytes]:
        response = client.get_object(bucket, key, request_headers={"If-Match": etag} if etag else None)
        return _ObjectStream(response)  # type: ignore[return-value]

    found += [str(problem) for problem in rules_of(config).problems(values, open_stream)]
    return found


def publish(client: Minio, config: HookConfig, schema: Schema) -> None:
    """Publish the schema and rule set in each validated bucket the hook serves, where every client reads them.
    A bucket it cannot write to is logged: the hook still checks, the clients fall back to their own schema."""
    rules = rules_of(config)
    for bucket in dict.fromkeys(place.validated.bucket for place in config.places):
        try:
            lake_schema.publish(client, bucket, schema, rules.describe(), rules.version)
        except Exception as exc:  # noqa: BLE001 - a server that refuses it must not stop the hook
            log.error("could not publish the schema in %s: %s", bucket, exc)
        else:
            log.info("published schema %s v%s (%s) and rules %s in %s/%s", schema.name, schema.version,
                     schema.digest, rules.version, bucket, lake_schema.PUBLISHED_KEY)
