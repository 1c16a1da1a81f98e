"""Where the hook learns about new objects. Pluggable: polling works with any S3 server; MinIO, Argo Events,
AWS and Ceph post S3 event records over HTTP (:mod:`planet_gui.hook.webhook`)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from typing import Protocol

from minio import Minio

log = logging.getLogger("planet_gui.hook")


class EventSource(Protocol):
    def keys(self, stop: threading.Event) -> Iterator[str]:
        """Yield object keys in the raw bucket that need checking, until ``stop`` is set."""
        ...


def list_raw(client: Minio, bucket: str, stop: threading.Event, prefix: str = "") -> Iterator[str]:
    """Every object in ``bucket`` (under ``prefix``: one destination's raw folder): each is still unchecked,
    because the hook moves an object out once it has a verdict (or leaves it, on purpose, for a later pass)."""
    for item in client.list_objects(bucket, prefix=prefix or None, recursive=True):
        if stop.is_set():
            return
        if item.object_name and not item.is_dir:
            yield item.object_name


class PollingSource:
    """Lists the raw bucket every ``interval`` seconds. A listing that fails (the server is down) is logged and
    tried again at the next interval: the hook is a service and outlives its server's restarts."""

    def __init__(self, client: Minio, bucket: str, interval: float = 2.0, once: bool = False,
                 prefix: str = "") -> None:
        self._client = client
        self._bucket = bucket
        self._prefix = prefix
        self._interval = interval
        self._once = once

    def keys(self, stop: threading.Event) -> Iterator[str]:
        while not stop.is_set():
            try:
                yield from list_raw(self._client, self._bucket, stop, self._prefix)
            except Exception as exc:  # a service outlives a server that is down
                if self._once:
                    raise
                log.warning("could not list %s (tried again in %.1f s): %s", self._bucket, self._interval, exc)
            if self._once or stop.wait(self._interval):
                return
