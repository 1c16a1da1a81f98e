"""A TCP forwarder on 127.0.0.1 that counts the bytes a client sends to a server, whatever the protocol.

For the tests that must show no data was sent again (a fix is a server-side copy): the client's profile points
at the forwarder, which relays every byte to the real S3 server unchanged (S3's signatures cover the Host header,
which the client computes for the forwarder's address and the server checks against the same header)."""

from __future__ import annotations

import socket
import threading
from types import TracebackType
from typing import Self

from tests.support.servers import LOOPBACK


class ByteCounter:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.sent = 0  # bytes from clients to the server
        self._lock = threading.Lock()
        self._server = socket.create_server((LOOPBACK, 0))
        self.port = self._server.getsockname()[1]
        self.endpoint = f"{LOOPBACK}:{self.port}"
        self._closed = False
        threading.Thread(target=self._accept, daemon=True, name="byte-counter").start()

    def reset(self) -> int:
        with self._lock:
            sent, self.sent = self.sent, 0
        return sent

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.upstream)
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, source: socket.socket, target: socket.socket, counted: bool) -> None:
        try:
            while chunk := source.recv(65536):
                if counted:
                    with self._lock:
                        self.sent += len(chunk)
                target.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self._closed = True
        self._server.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
