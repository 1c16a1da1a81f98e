"""Where the hook learns about new objects. Pluggable: polling works with any S3 server; MinIO and
Argo Events deliver S3-format event records over HTTP (a later source)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Protocol

from minio import Minio


class EventSource(Protocol):
    def keys(self, stop: threading.Event) -> Iterator[str]:
        """Yield object keys in the raw bucket that need checking, until ``stop`` is set."""
        ...


class PollingSource:
    """Lists the raw bucket every ``interval`` seconds; every object found there is still unchecked,
    because the hook moves each object out once it has a verdict."""

    def __init__(self, client: Minio, bucket: str, interval: float = 2.0, once: bool = False) -> None:
        self._client = client
        self._bucket = bucket
        self._interval = interval
        self._once = once

    def keys(self, stop: threading.Event) -> Iterator[str]:
        while not stop.is_set():
            for item in self._client.list_objects(self._bucket, recursive=True):
                if stop.is_set():
                    return
                if item.object_name and not item.is_dir:
                    yield item.object_name
            if self._once or stop.wait(self._interval):
                return
