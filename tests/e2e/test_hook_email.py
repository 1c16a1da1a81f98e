"""Triage notifications by e-mail: a real SMTP server (aiosmtpd) on 127.0.0.1 that requires STARTTLS with a
certificate from a throw-away CA, and a login; the hook runs as Argo runs it (``hook --event -``)."""

from __future__ import annotations

import json
import logging
import os
import queue
import ssl
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from planet_gui.core.errors import ProfileError
from planet_gui.hook.config import from_mapping
from planet_gui.hook.mail import EmailNotifier
from planet_gui.hook.service import Verdict
from tests.conftest import ROOT, Lake
from tests.e2e.test_hook_events import VALID, exists, minio_event, own_buckets, put
from tests.support.certs import TlsFiles, make_ca_and_server_cert
from tests.support.servers import die_with_parent, free_port

pytestmark = pytest.mark.e2e

USER, PASSWORD = "planet-hook", "smtp-pass-Zq81"


@dataclass
class Received:
    message: EmailMessage
    envelope_to: list[str]
    tls: bool
    login: bytes | None


class _Handler:
    def __init__(self) -> None:
        self.received: queue.Queue[Received] = queue.Queue()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.received.put(Received(message, list(envelope.rcpt_tos), session.ssl is not None,
                                   session.auth_data))
        return "250 OK"


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() \
        and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, auth_data=auth_data.login if ok else None)


@dataclass
class Smtp:
    port: int
    handler: _Handler
    tls: TlsFiles | None


def _start(tls: TlsFiles | None) -> tuple[Controller, Smtp]:
    handler = _Handler()
    context = None
    if tls is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(tls.cert, tls.key)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, tls_context=context,
                            require_starttls=context is not None, authenticator=_authenticator,
                            auth_require_tls=context is not None, auth_exclude_mechanism=["CRAM-MD5"])
    controller.start()
    return controller, Smtp(port, handler, tls)


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[Smtp]:
    controller, server = _start(make_ca_and_server_cert(tmp_path))
    yield server
    controller.stop()


@pytest.fixture
def plain_smtp() -> Iterator[Smtp]:
    controller, server = _start(None)
    yield server
    controller.stop()


def _settings(server: Smtp, **extra: str) -> dict[str, str]:
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(server.port), "SMTP_USER": USER, "SMTP_PASSWORD": PASSWORD,
            "SMTP_FROM": "planet-hook@lake.example.org", "NOTIFY_EMAIL": "data-managers@lake.example.org", **extra}


def test_a_triage_verdict_is_emailed_over_starttls_naming_the_object_and_its_reasons(lake: Lake, smtp: Smtp) -> None:
    assert smtp.tls is not None
    buckets = own_buckets(lake, "oneshotmail")
    key = "Other/PLANET tests/alice/senza categoria è.txt"
    good = "Other/PLANET tests/alice/good.txt"
    put(lake, buckets.raw, key, {k: v for k, v in VALID.items() if k != "category"})
    put(lake, buckets.raw, good, VALID)
    env = {**os.environ, **lake.hook_env(), **buckets.env(), **_settings(smtp), "CA_BUNDLE": str(smtp.tls.ca)}
    for name in (key, good):
        result = subprocess.run([sys.executable, "-m", "planet_gui.cli", "hook", "--event", "-"],
                                input=json.dumps(minio_event(buckets.raw, name)), capture_output=True, text=True,
                                cwd=ROOT, env=env, timeout=120, preexec_fn=die_with_parent)
        assert result.returncode == 0, result.stderr
        assert PASSWORD not in result.stdout + result.stderr

    received = smtp.handler.received.get(timeout=10)
    assert received.tls, "the message was sent before STARTTLS"
    assert received.login == USER.encode()
    assert received.envelope_to == ["data-managers@lake.example.org"]
    message = received.message
    assert message["Subject"] == f"PLANET data lake: {key} went to triage"
    assert message["From"] == "planet-hook@lake.example.org"
    text = message.get_content()
    assert f"Object:   {key}" in text and f"Bucket:   {buckets.triage}" in text and "Uploader: alice" in text
    assert "- Category (category) is required" in text
    assert exists(lake, buckets.triage, key)
    assert smtp.handler.received.empty()  # nothing for the validated file


def _verdict() -> Verdict:
    return Verdict(key="Other/x/alice/f.csv", valid=False, problems=("a reason",), destination="triage",
                   uploader="alice")


def test_a_server_without_starttls_gets_nothing(plain_smtp: Smtp, caplog: pytest.LogCaptureFixture) -> None:
    settings = from_mapping({"ENDPOINT": "127.0.0.1:1", "ACCESSKEYID": "k", "SECRETACCESSKEY": "s",
                             **_settings(plain_smtp)}).smtp
    assert settings is not None and settings.starttls
    with caplog.at_level(logging.WARNING, logger="planet_gui.hook"):
        EmailNotifier(settings)(_verdict())
    assert "does not offer STARTTLS" in caplog.text
    assert plain_smtp.handler.received.empty()
    assert PASSWORD not in caplog.text


def test_a_certificate_from_an_unknown_ca_gets_nothing(smtp: Smtp, caplog: pytest.LogCaptureFixture) -> None:
    settings = from_mapping({"ENDPOINT": "127.0.0.1:1", "ACCESSKEYID": "k", "SECRETACCESSKEY": "s",
                             **_settings(smtp)}).smtp
    assert settings is not None
    with caplog.at_level(logging.WARNING, logger="planet_gui.hook"):
        EmailNotifier(settings)(_verdict())  # the system's CAs, which never signed the test CA's certificate
    assert "could not e-mail 127.0.0.1" in caplog.text and "SSLCertVerificationError" in caplog.text
    assert smtp.handler.received.empty()


def test_plain_smtp_is_allowed_only_to_a_relay_on_this_computer(plain_smtp: Smtp) -> None:
    base = {"ENDPOINT": "127.0.0.1:1", "ACCESSKEYID": "k", "SECRETACCESSKEY": "s"}
    local = from_mapping({**base, **_settings(plain_smtp, SMTP_STARTTLS="false")}).smtp
    assert local is not None
    EmailNotifier(local)(_verdict())
    assert plain_smtp.handler.received.get(timeout=10).message["Subject"].startswith("PLANET data lake:")

    with pytest.raises(ProfileError, match="only for a mail relay on this computer"):
        from_mapping({**base, **_settings(plain_smtp, SMTP_STARTTLS="false", SMTP_HOST="smtp.example.org")})
    with pytest.raises(ProfileError, match="needs SMTP_HOST"):
        from_mapping({**base, "NOTIFY_EMAIL": "a@b.org"})
    with pytest.raises(ProfileError, match="go together"):
        from_mapping({**base, **{k: v for k, v in _settings(plain_smtp).items() if k != "SMTP_PASSWORD"}})
    assert PASSWORD not in repr(from_mapping({**base, **_settings(plain_smtp)}))
