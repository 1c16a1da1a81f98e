"""The hook's event source for MinIO (and Argo Events, AWS, Ceph): S3 event records posted over HTTP.

MinIO calls the hook the moment an object is created (``mc event add ALIAS/raw arn:minio:sqs::planet:webhook
--event put``), so a verdict follows an upload within a second instead of a polling period, and an idle lake costs
no listings. Events can still be missed (the hook was down, MinIO's queue was full), and no event marks the end of
an upload's sealing grace, so the source also sweeps the raw bucket: once at start and every ``rescan`` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import queue
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from http import HTTPStatus

import h11
from minio import Minio

from planet_gui.hook.events import MAX_EVENT_BYTES, BadEvent, created_objects
from planet_gui.hook.sources import list_raw

log = logging.getLogger("planet_gui.hook")

MAX_HEADER_BYTES = 16 * 1024  # request line and headers together
REQUEST_TIMEOUT = 10.0  # seconds for a request's headers to arrive from the connection's start, and for its body
KEEPALIVE_TIMEOUT = 30.0  # seconds a connection that was served may wait for its next request (MinIO reuses it)
MAX_CONNECTIONS = 512  # open at once; past this the oldest connection without a request in progress is dropped
_SWEEP_RETRY = 30.0  # seconds before a failed sweep (server down) is tried again
_READ = 64 * 1024


class _Listener:
    """HTTP/1.1 on one asyncio thread, the protocol parsed by h11: a connection costs a coroutine, not a thread.

    ``http.server``'s ThreadingHTTPServer gave each connection a thread with no timeout, so 400 connections that
    never finished their headers held 400 threads for ever. Here every connection has REQUEST_TIMEOUT to send a
    request's headers and its body, headers are capped at MAX_HEADER_BYTES, the token is checked on the headers
    (a refused request's body is never read), bodies are capped at MAX_EVENT_BYTES, and at most MAX_CONNECTIONS
    are open: a flood of idle ones costs memory for a few seconds and never starves a real event.
    """

    def __init__(self, host: str, port: int, source: WebhookSource, timeout: float) -> None:
        self._source = source
        self._timeout = timeout
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._socket = socket.create_server((host, port), family=family, backlog=1024)  # binds now: errors at once
        self.address: tuple[str, int] = self._socket.getsockname()[:2]
        self._loop = asyncio.new_event_loop()
        self._thread: threading.Thread | None = None
        self._waiting: dict[asyncio.Task[None], bool] = {}  # connection -> between requests (may be dropped)
        self._stopped = asyncio.Event()  # not bound to a loop until first used (3.10+): close() may come first

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="hook-webhook", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        self._loop.run_until_complete(self._serve())

    async def _serve(self) -> None:
        server = await asyncio.start_server(self._connection, sock=self._socket, limit=_READ)
        async with server:
            await self._stopped.wait()
        for task in list(self._waiting):
            task.cancel()
        await asyncio.gather(*self._waiting, return_exceptions=True)

    def close(self) -> None:
        if self._thread is not None:
            self._loop.call_soon_threadsafe(self._stopped.set)
            self._thread.join(timeout=10)
            self._thread = None
        else:
            self._socket.close()
        with contextlib.suppress(RuntimeError):
            self._loop.close()

    def _make_room(self) -> None:
        if len(self._waiting) < MAX_CONNECTIONS:
            return
        for task, idle in self._waiting.items():  # oldest first
            if idle:
                task.cancel()
                log.debug("webhook: %d connections open; dropped the oldest idle one", len(self._waiting))
                return

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._make_room()
        self._waiting[task] = True
        peer = writer.get_extra_info("peername")
        try:
            await self._serve_connection(task, reader, writer)
        except (TimeoutError, asyncio.CancelledError):
            log.debug("webhook %s: dropped (no complete request within %.0f s, or room needed)", peer, self._timeout)
        except (h11.ProtocolError, ConnectionError) as exc:
            log.debug("webhook %s: %s", peer, exc)
        finally:
            self._waiting.pop(task, None)
            writer.close()

    async def _serve_connection(self, task: asyncio.Task[None], reader: asyncio.StreamReader,
                                writer: asyncio.StreamWriter) -> None:
        conn = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEADER_BYTES)
        wait = self._timeout
        while True:
            self._waiting[task] = True
            async with asyncio.timeout(wait):
                request = await self._next(conn, reader)
            if request is None:
                return
            self._waiting[task] = False
            async with asyncio.timeout(self._timeout):
                status, body = await self._answer_to(conn, request, reader)
            await self._send(conn, writer, request, status, body)
            if conn.our_state is not h11.DONE or conn.their_state is not h11.DONE:
                return  # refused before reading its body, or the client asked to close
            conn.start_next_cycle()
            wait = max(self._timeout, KEEPALIVE_TIMEOUT)

    async def _next(self, conn: h11.Connection, reader: asyncio.StreamReader) -> h11.Request | None:
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                conn.receive_data(await reader.read(_READ))
                continue
            if isinstance(event, h11.Request):
                return event
            return None  # ConnectionClosed, or the peer closed between requests

    async def _answer_to(self, conn: h11.Connection, request: h11.Request,
                         reader: asyncio.StreamReader) -> tuple[HTTPStatus, bytes]:
        method = request.method.decode("ascii", "replace")
        if method == "HEAD":  # MinIO probes its webhook targets with HEAD
            return HTTPStatus.OK, b""
        if method == "GET":  # a health check for the container's orchestrator
            return HTTPStatus.OK, b"planet-lake hook: ready\n"
        if method != "POST":
            return HTTPStatus.METHOD_NOT_ALLOWED, b"HEAD, GET or POST\n"
        headers = {name.lower(): value for name, value in request.headers}
        authorization = headers.get(b"authorization")
        if not self._source.authorized(authorization.decode("latin-1") if authorization is not None else None):
            return HTTPStatus.UNAUTHORIZED, b"a valid Authorization token is required\n"
        length = headers.get(b"content-length")
        if length is None and b"transfer-encoding" not in headers:
            return HTTPStatus.LENGTH_REQUIRED, b"Content-Length is required\n"
        if length is not None and int(length) > MAX_EVENT_BYTES:
            return HTTPStatus.REQUEST_ENTITY_TOO_LARGE, b"an event document is at most 1 MiB\n"
        body = bytearray()
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                conn.receive_data(await reader.read(_READ))
            elif isinstance(event, h11.Data):
                body += event.data
                if len(body) > MAX_EVENT_BYTES:
                    return HTTPStatus.REQUEST_ENTITY_TOO_LARGE, b"an event document is at most 1 MiB\n"
            elif isinstance(event, h11.EndOfMessage):
                break
            else:
                raise h11.RemoteProtocolError("the connection ended inside a request body")
        try:
            self._source.accept(json.loads(bytes(body).decode("utf-8")))
        except (UnicodeDecodeError, json.JSONDecodeError, BadEvent) as exc:
            log.warning("ignoring an event document that is not S3 event JSON: %s", exc)
            return HTTPStatus.BAD_REQUEST, f"not an S3 event document: {exc}\n".encode()
        return HTTPStatus.OK, b""

    async def _send(self, conn: h11.Connection, writer: asyncio.StreamWriter, request: h11.Request,
                    status: HTTPStatus, body: bytes) -> None:
        headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
        if conn.their_state is not h11.DONE:  # its body was not read: it must not be read as a next request
            headers.append(("Connection", "close"))
        log.debug("webhook: %s %s -> %d", request.method.decode("ascii", "replace"),
                  request.target.decode("ascii", "replace")[:200], status)
        data = conn.send(h11.Response(status_code=int(status), headers=headers, reason=status.phrase.encode()))
        if request.method != b"HEAD":
            data = (data or b"") + (conn.send(h11.Data(data=body)) or b"") if body else data
        data = (data or b"") + (conn.send(h11.EndOfMessage()) or b"")
        writer.write(data)
        async with asyncio.timeout(self._timeout):
            await writer.drain()


class WebhookSource:
    """Keys from posted S3 events, plus a sweep of each raw location at start and every ``rescan`` seconds.

    One listener serves every raw location the hook serves: ``bucket`` (below ``prefix``) and the ``more``
    (bucket, prefix) pairs; :attr:`locations` holds one event source per location, in that order, each fed the
    events of objects created in its folder (the longest prefix wins) and sweeping its folder. Iterating this
    object's own :meth:`keys` is iterating the first location's. The listener runs while any location's keys are
    being read.

    ``token``, when set, must come as ``Authorization: Bearer <token>`` (MinIO's ``auth_token`` setting sends
    exactly that). Binding happens in the constructor, so a port in use fails at once, with the address.
    """

    def __init__(self, client: Minio, bucket: str, host: str, port: int, *, token: str | None = None,
                 rescan: float = 300.0, timeout: float = REQUEST_TIMEOUT, prefix: str = "",
                 more: Sequence[tuple[str, str]] = ()) -> None:
        self.bucket = bucket
        self._client = client
        self._token = token
        self._rescan = rescan
        self.locations = [RawLocation(self, bucket, prefix)] + [RawLocation(self, b, p) for b, p in more]
        self._readers = 0
        self._readers_lock = threading.Lock()
        self._server = _Listener(host, port, self, timeout)

    @property
    def url(self) -> str:
        host, port = str(self._server.address[0]), self._server.address[1]
        return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"

    def authorized(self, header: str | None) -> bool:
        if not self._token:
            return True
        return hmac.compare_digest((header or "").encode(), f"Bearer {self._token}".encode())

    def accept(self, document: object) -> None:
        """Queue each object ``document`` reports created for the location holding it (others are ignored)."""
        for bucket, key in created_objects(document):
            matching = [place for place in self.locations if place.bucket == bucket and key.startswith(place.prefix)]
            if matching:
                max(matching, key=lambda place: len(place.prefix)).enqueue(key)

    def enqueue(self, key: str) -> None:
        self.locations[0].enqueue(key)

    def start(self) -> None:
        self._server.start()

    def close(self) -> None:
        self._server.close()

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        with self._readers_lock:
            self._readers += 1
            if self._readers == 1:
                self.start()
        try:
            yield
        finally:
            with self._readers_lock:
                self._readers -= 1
                if self._readers == 0:
                    self.close()

    def keys(self, stop: threading.Event) -> Iterator[str]:
        yield from self.locations[0].keys(stop)

    def sweep(self, bucket: str, prefix: str, stop: threading.Event) -> Iterator[str]:
        return list_raw(self._client, bucket, stop, prefix)


class RawLocation:
    """One raw location of a :class:`WebhookSource`: its queue of announced keys and its sweeps."""

    def __init__(self, hub: WebhookSource, bucket: str, prefix: str) -> None:
        self.hub = hub
        self.bucket = bucket
        self.prefix = prefix
        self._queue: queue.Queue[str] = queue.Queue()

    def enqueue(self, key: str) -> None:
        self._queue.put(key)

    def keys(self, stop: threading.Event) -> Iterator[str]:
        rescan = self.hub._rescan
        where = f"{self.bucket}/{self.prefix}" if self.prefix else self.bucket
        with self.hub._reading():
            next_sweep = time.monotonic()
            while not stop.is_set():
                if time.monotonic() >= next_sweep:
                    try:
                        yield from self.hub.sweep(self.bucket, self.prefix, stop)
                    except Exception as exc:  # a service outlives a server that is down
                        log.warning("could not list %s (tried again in %.0f s): %s", where, _SWEEP_RETRY, exc)
                        next_sweep = time.monotonic() + min(rescan, _SWEEP_RETRY)
                    else:
                        log.info("sweep of %s done; next in %.0f s", where, rescan)
                        next_sweep = time.monotonic() + rescan
                try:
                    yield self._queue.get(timeout=max(0.0, min(0.5, next_sweep - time.monotonic())))
                except queue.Empty:
                    continue
