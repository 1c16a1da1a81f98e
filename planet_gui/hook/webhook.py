"""The hook's event source for MinIO (and Argo Events, AWS, Ceph): S3 event records posted over HTTP.

MinIO calls the hook the moment an object is created (``mc event add ALIAS/raw arn:minio:sqs::planet:webhook
--event put``), so a verdict follows an upload within a second instead of a polling period, and an idle lake costs
no listings. Events can still be missed (the hook was down, MinIO's queue was full), and no event marks the end of
an upload's sealing grace, so the source also sweeps the raw bucket: once at start and every ``rescan`` seconds.
"""

from __future__ import annotations

import hmac
import json
import logging
import queue
import threading
import time
from collections.abc import Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from minio import Minio

from planet_gui.hook.events import BadEvent, created_keys
from planet_gui.hook.sources import list_raw

log = logging.getLogger("planet_gui.hook")

MAX_EVENT_BYTES = 1024 * 1024  # MinIO posts one event per request: a few KB
_SWEEP_RETRY = 30.0  # seconds before a failed sweep (server down) is tried again


class _Handler(BaseHTTPRequestHandler):
    server: _EventServer
    protocol_version = "HTTP/1.1"  # keep-alive: MinIO reuses its connection

    def do_HEAD(self) -> None:  # MinIO probes its webhook targets with HEAD
        self._answer(HTTPStatus.OK)

    def do_GET(self) -> None:  # a health check for the container's orchestrator
        self._answer(HTTPStatus.OK, b"planet-lake hook: ready\n")

    def do_POST(self) -> None:
        source = self.server.source
        if not source.authorized(self.headers.get("Authorization")):
            self._refuse(HTTPStatus.UNAUTHORIZED, b"a valid Authorization token is required\n")
            return
        try:
            length = int(self.headers.get("Content-Length") or "")
        except ValueError:
            self._refuse(HTTPStatus.LENGTH_REQUIRED, b"Content-Length is required\n")
            return
        if not 0 <= length <= MAX_EVENT_BYTES:
            self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, b"an event document is at most 1 MiB\n")
            return
        body = self.rfile.read(length)
        try:
            keys = created_keys(json.loads(body.decode("utf-8")), source.bucket)
        except (UnicodeDecodeError, json.JSONDecodeError, BadEvent) as exc:
            log.warning("ignoring an event document that is not S3 event JSON: %s", exc)
            self._answer(HTTPStatus.BAD_REQUEST, f"not an S3 event document: {exc}\n".encode())
            return
        for key in keys:
            source.enqueue(key)
        self._answer(HTTPStatus.OK)

    def _refuse(self, status: HTTPStatus, body: bytes) -> None:
        """Answer without reading the request's body, then close: its bytes must not be read as a next request."""
        self.close_connection = True
        self._answer(status, body)

    def _answer(self, status: HTTPStatus, body: bytes = b"") -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's signature
        log.debug("webhook %s: " + format, self.client_address[0], *args)


class _EventServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], source: WebhookSource) -> None:
        super().__init__(address, _Handler)
        self.source = source


class WebhookSource:
    """Keys from posted S3 events, plus a sweep of the raw bucket at start and every ``rescan`` seconds.

    ``token``, when set, must come as ``Authorization: Bearer <token>`` (MinIO's ``auth_token`` setting sends
    exactly that). Binding happens in the constructor, so a port in use fails at once, with the address.
    """

    def __init__(self, client: Minio, bucket: str, host: str, port: int, *, token: str | None = None,
                 rescan: float = 300.0) -> None:
        self.bucket = bucket
        self._client = client
        self._token = token
        self._rescan = rescan
        self._queue: queue.Queue[str] = queue.Queue()
        self._server = _EventServer((host, port), self)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = str(self._server.server_address[0]), self._server.server_address[1]
        return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"

    def authorized(self, header: str | None) -> bool:
        if not self._token:
            return True
        return hmac.compare_digest((header or "").encode(), f"Bearer {self._token}".encode())

    def enqueue(self, key: str) -> None:
        self._queue.put(key)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._server.serve_forever, name="hook-webhook", daemon=True)
            self._thread.start()

    def close(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread = None
        self._server.server_close()

    def keys(self, stop: threading.Event) -> Iterator[str]:
        self.start()
        next_sweep = time.monotonic()
        try:
            while not stop.is_set():
                if time.monotonic() >= next_sweep:
                    try:
                        yield from list_raw(self._client, self.bucket, stop)
                    except Exception as exc:  # a service outlives a server that is down
                        log.warning("could not list %s (tried again in %.0f s): %s", self.bucket, _SWEEP_RETRY, exc)
                        next_sweep = time.monotonic() + min(self._rescan, _SWEEP_RETRY)
                    else:
                        log.info("sweep of %s done; next in %.0f s", self.bucket, self._rescan)
                        next_sweep = time.monotonic() + self._rescan
                try:
                    yield self._queue.get(timeout=max(0.0, min(0.5, next_sweep - time.monotonic())))
                except queue.Empty:
                    continue
        finally:
            self.close()
