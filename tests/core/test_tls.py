"""TLS is verified by default, and a custom CA bundle (INFN runs its own CA) is honoured, for the identity
provider and the S3 endpoint alike. A real HTTPS server on 127.0.0.1 with a certificate from a test CA."""

from __future__ import annotations

import datetime as dt
import json
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import IPv4Address
from pathlib import Path

import pytest
import urllib3
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from planet_gui.core.auth.discovery import discover
from planet_gui.core.auth.http import make_client
from planet_gui.core.errors import AuthError
from planet_gui.core.storage import make_http_pool


def _name(text: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])


def make_ca_and_server_cert(folder: Path) -> tuple[Path, Path, Path]:
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (
        x509.CertificateBuilder().subject_name(_name("Test INFN CA")).issuer_name(_name("Test INFN CA"))
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder().subject_name(_name("127.0.0.1")).issuer_name(ca_cert.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_path, cert_path, key_path = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    ca_path.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return ca_path, cert_path, key_path


@pytest.fixture(scope="module")
def https_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("tls")
    ca_path, cert_path, key_path = make_ca_and_server_cert(folder)

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
    context.load_cert_chain(cert_path, key_path)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}/", ca_path
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
