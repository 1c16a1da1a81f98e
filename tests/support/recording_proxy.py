"""A hostile identity provider for the token-binding tests: a real provider (a second ``OidcServer``) behind a
reverse proxy on another loopback port that records every request it is sent, as an attacker's server would.

The proxy rewrites the provider's own address in its answers to its own, so discovery names the proxy as the
issuer and every endpoint; a client that trusts the hostile profile talks to the proxy only, and the test reads
:attr:`RecordingProxy.requests` to see what reached the attacker."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self

import httpx

from tests.support.servers import LOOPBACK


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def carries(self, secret: str) -> bool:
        text = secret.encode()
        return text in self.body or text in self.path.encode() or any(secret in v for v in self.headers.values())


class RecordingProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.requests: list[Recorded] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k: v for k, v in self.headers.items() if k.lower() not in {"host", "content-length"}}
                proxy.requests.append(Recorded(self.command, self.path, dict(self.headers.items()), body))
                with httpx.Client(trust_env=False, timeout=10) as http:
                    answer = http.request(self.command, proxy.upstream + self.path, headers=headers, content=body)
                content = answer.content.replace(proxy.upstream.encode(), proxy.url.encode())
                self.send_response(answer.status_code)
                for name, value in answer.headers.items():
                    if name.lower() not in {"content-length", "transfer-encoding", "content-encoding", "connection"}:
                        self.send_header(name, value.replace(proxy.upstream, proxy.url))
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = _relay  # noqa: N815 - http.server's names

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's signature
                pass

        self._server = ThreadingHTTPServer((LOOPBACK, 0), Handler)
        self.url = f"http://{LOOPBACK}:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def issuer(self) -> str:
        return self.url + "/"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
