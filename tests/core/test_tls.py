"""TLS is verified by default, and a custom CA bundle (INFN runs its own CA) is honoured, for the identity
provider and the S3 endpoint alike. A real HTTPS server on 127.0.0.1 with a certificate from a test CA."""

from __future__ import annotations

import json
import socket
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import urllib3

from planet_gui.core.auth.discovery import discover
from planet_gui.core.auth.http import make_client
from planet_gui.core.errors import AuthError
from planet_gui.core.storage import make_http_pool
from planet_gui.core.tls import certificate_failure, speaks_tls
from planet_gui.core.transfer.retry import human_message, is_transient, permanent_error
from tests.support.certs import make_ca_and_server_cert


@pytest.fixture(scope="module")
def https_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("tls")
    tls = make_ca_and_server_cert(folder)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            issuer = f"https://127.0.0.1:{self.server.server_address[1]}/"
            body = json.dumps({"issuer": issuer, "token_endpoint": issuer + "token",
                               "device_authorization_endpoint": issuer + "devicecode", "jwks_uri": issuer + "jwk"})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tls.cert, tls.key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}/", tls.ca
    finally:
        server.shutdown()
        server.server_close()


def test_identity_provider_tls_is_verified(https_server: tuple[str, Path]) -> None:
    issuer, _ca = https_server
    with pytest.raises(AuthError, match="(?i)certificate"):
        discover(make_client(), issuer)


def test_identity_provider_with_custom_ca_bundle(https_server: tuple[str, Path]) -> None:
    issuer, ca = https_server
    info = discover(make_client(str(ca)), issuer)
    assert info.device_authorization_endpoint == issuer + "devicecode"


def test_s3_pool_verifies_and_honours_ca_bundle(https_server: tuple[str, Path]) -> None:
    url, ca = https_server
    with pytest.raises((urllib3.exceptions.SSLError, urllib3.exceptions.MaxRetryError), match="(?i)certificate"):
        make_http_pool(None).request("GET", url, retries=False)
    assert make_http_pool(str(ca)).request("GET", url).status == 200


def test_identity_provider_with_an_untrusted_certificate_says_what_to_do(https_server: tuple[str, Path]) -> None:
    issuer, _ca = https_server
    with pytest.raises(AuthError) as raised:
        discover(make_client(), issuer)
    assert raised.value.title == "Untrusted identity provider"
    assert issuer in raised.value.message and "ca_bundle" in raised.value.message


def test_an_untrusted_certificate_is_permanent_and_a_dropped_connection_is_not(https_server: tuple[str, Path]) -> None:
    """Both arrive as urllib3 errors; only the network one may pass by itself, so only it is retried."""
    url, _ca = https_server
    with pytest.raises(urllib3.exceptions.HTTPError) as untrusted:
        make_http_pool(None).request("GET", url, retries=False)
    assert certificate_failure(untrusted.value) is not None
    assert not is_transient(untrusted.value)
    message = human_message(untrusted.value, "upload the file")
    assert "could not be verified" in message and "ca_bundle" in message
    assert permanent_error(untrusted.value, "upload the file").title == "Untrusted storage server"

    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now: connection refused
    with pytest.raises(urllib3.exceptions.HTTPError) as dropped:
        make_http_pool(None).request("GET", f"https://127.0.0.1:{port}/", retries=False)
    assert certificate_failure(dropped.value) is None
    assert is_transient(dropped.value)


def test_a_tls_port_is_told_apart_from_a_plain_http_one(https_server: tuple[str, Path]) -> None:
    """After a plain-HTTP request lost its connection, a TLS handshake on that port says the profile spoke plain
    HTTP to a TLS port (the server's 400 often arrives as a reset, so it cannot be read)."""
    url, _ca = https_server
    assert speaks_tls(url.replace("https://", "http://"))

    class Plain(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    plain = ThreadingHTTPServer(("127.0.0.1", 0), Plain)
    thread = threading.Thread(target=plain.serve_forever, daemon=True)
    thread.start()
    try:
        assert not speaks_tls(f"http://127.0.0.1:{plain.server_address[1]}/")
    finally:
        plain.shutdown()
        plain.server_close()
    assert not speaks_tls(url)  # an https:// address is not asked
