"""The validation hook driven by S3 event records (MinIO's webhook target), and its triage notifications.

SeaweedFS sends no S3-format events, so the tests post the records MinIO would: the documents below follow
MinIO's webhook body (``EventName``, ``Key``, ``Records`` with URL-encoded keys). The hook, its HTTP listener, the
S3 server and the notification receiver are all real; each test has buckets of its own, so the polling hook other
tests run never takes these objects first.
"""

from __future__ import annotations

import io
import json
import logging
import os
import queue
import re
import select
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import pytest
from minio.error import S3Error

from planet_gui.core.schema import load_schema
from planet_gui.hook.config import from_mapping
from planet_gui.hook.notify import TriageNotifier
from planet_gui.hook.service import ValidationHook
from tests.conftest import ROOT, Lake, stop_process, wait_for
from tests.support.servers import die_with_parent
from tests.support.uploads import PrivateLake

pytestmark = pytest.mark.e2e

VALID = {"category": "Other", "source": "PLANET tests", "area": "Italia", "frequency": "none",
         "format": "other", "personal_data": False, "uploader": "alice"}


def minio_event(bucket: str, key: str, name: str = "s3:ObjectCreated:Put") -> dict[str, Any]:
    """The body MinIO's webhook target posts for one event (keys escaped as Go's url.QueryEscape does)."""
    return {
        "EventName": name,
        "Key": f"{bucket}/{key}",
        "Records": [{
            "eventVersion": "2.0", "eventSource": "minio:s3", "awsRegion": "", "eventTime": "2026-11-26T09:30:00Z",
            "eventName": name, "userIdentity": {"principalId": "planet-uploader"},
            "requestParameters": {"principalId": "planet-uploader", "region": "", "sourceIPAddress": "127.0.0.1"},
            "responseElements": {"x-amz-request-id": "187B5B5D4C1A2F00", "x-minio-origin-endpoint": "http://127.0.0.1"},
            "s3": {
                "s3SchemaVersion": "1.0", "configurationId": "Config",
                "bucket": {"name": bucket, "ownerIdentity": {"principalId": "planet-uploader"},
                           "arn": f"arn:aws:s3:::{bucket}"},
                "object": {"key": quote_plus(key, safe=""), "size": 12, "eTag": "0" * 32,
                           "contentType": "text/plain", "userMetadata": {}, "sequencer": "187B5B5D4C1A2F00"},
            },
            "source": {"host": "127.0.0.1", "port": "", "userAgent": "MinIO (linux; amd64) minio-py/7.2.0"},
        }],
    }


@dataclass
class Buckets:
    raw: str
    validated: str
    triage: str

    def env(self) -> dict[str, str]:
        return {"RAW_BUCKET": self.raw, "VALIDATED_BUCKET": self.validated, "TRIAGE_BUCKET": self.triage}


def own_buckets(lake: Lake, prefix: str) -> Buckets:
    buckets = Buckets(f"{prefix}-raw", f"{prefix}-validated", f"{prefix}-triage")
    admin = lake.admin()
    for name in (buckets.raw, buckets.validated, buckets.triage):
        if not admin.bucket_exists(name):
            admin.make_bucket(name)
    return buckets


def put(lake: Lake, bucket: str, key: str, values: dict[str, Any]) -> None:
    body = b"twelve bytes"
    lake.admin().put_object(bucket, key, io.BytesIO(body), len(body), metadata=dict(load_schema().to_s3(values)))


def exists(lake: Lake, bucket: str, key: str) -> bool:
    return _exists(lake.admin(), bucket, key)


@dataclass
class RunningHook:
    process: subprocess.Popen[bytes]
    log: Path
    url: str

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def post(self, document: Any, token: str | None = None, raw: bytes | None = None) -> int:
        body = raw if raw is not None else json.dumps(document).encode()
        request = urllib.request.Request(self.url, data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        if token is not None:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return exc.code


@pytest.fixture
def start_hook(lake: Lake, tmp_path: Path) -> Iterator[Any]:
    started: list[subprocess.Popen[bytes]] = []

    def start(buckets: Buckets, **env: str) -> RunningHook:
        log_path = tmp_path / f"hook-{len(started)}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "planet_gui.cli", "hook", "--listen", "127.0.0.1:0"],
                stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, preexec_fn=die_with_parent,
                env={**os.environ, **lake.hook_env(), **buckets.env(), **env},
            )
        started.append(process)
        text = wait_for(lambda: _ready(log_path, process), 60, "the hook to listen")
        assert process.poll() is None, text
        url = re.search(r"listening on (http://\S+)", text)
        assert url, text
        hook = RunningHook(process, log_path, url.group(1))
        wait_for(lambda: f"sweep of {buckets.raw} done" in hook.text(), 30, "the hook's first sweep")
        return hook

    yield start
    for process in started:
        stop_process(process)


def _ready(log_path: Path, process: subprocess.Popen[bytes]) -> str | None:
    text = log_path.read_text(encoding="utf-8", errors="replace")
    return text if "hook ready" in text or process.poll() is not None else None


def test_an_event_gets_an_object_checked_at_once(lake: Lake, start_hook: Any) -> None:
    buckets = own_buckets(lake, "events")
    hook = start_hook(buckets, RESCAN_INTERVAL="3600")  # no sweep after the first: only events move objects
    announced = "Other/PLANET tests/alice/qualità dell'aria 2020 + PM10.txt"
    silent = "Other/PLANET tests/alice/not announced.txt"
    put(lake, buckets.raw, announced, VALID)
    put(lake, buckets.raw, silent, VALID)

    # what tells the hook nothing: another bucket, a removal
    assert hook.post(minio_event("some-other-bucket", silent)) == 200
    assert hook.post(minio_event(buckets.raw, silent, "s3:ObjectRemoved:Delete")) == 200
    assert hook.post(minio_event(buckets.raw, announced)) == 200

    # the hook copies, checks the copy, then removes the original: both ends of the move are waited for
    wait_for(lambda: exists(lake, buckets.validated, announced) and not exists(lake, buckets.raw, announced), 30,
             "the announced object to move to validated")
    assert exists(lake, buckets.raw, silent)  # no event named it, and the next sweep is an hour away


def test_the_listener_refuses_what_is_not_an_authorised_event(lake: Lake, start_hook: Any) -> None:
    buckets = own_buckets(lake, "evauth")
    hook = start_hook(buckets, RESCAN_INTERVAL="3600", WEBHOOK_TOKEN="s3cret-token")
    refused = "Other/PLANET tests/alice/refused.txt"
    accepted = "Other/PLANET tests/alice/accepted.txt"
    put(lake, buckets.raw, refused, VALID)
    put(lake, buckets.raw, accepted, VALID)

    assert hook.post(minio_event(buckets.raw, refused)) == 401
    assert hook.post(minio_event(buckets.raw, refused), token="wrong") == 401
    assert hook.post(None, token="s3cret-token", raw=b"{not json") == 400
    assert hook.post({"EventName": "s3:ObjectCreated:Put"}, token="s3cret-token") == 400  # no Records
    assert hook.post(None, token="s3cret-token", raw="é".encode("latin-1")) == 400
    with urllib.request.urlopen(urllib.request.Request(hook.url, method="HEAD"), timeout=10) as response:
        assert response.status == 200  # MinIO's liveness probe of its target
    assert hook.post(minio_event(buckets.raw, accepted), token="s3cret-token") == 200

    wait_for(lambda: exists(lake, buckets.validated, accepted), 30, "the authorised event's object")
    assert exists(lake, buckets.raw, refused)
    assert hook.process.poll() is None
    assert "s3cret-token" not in hook.text()


def test_an_oversized_body_is_refused_without_being_read(lake: Lake, start_hook: Any) -> None:
    hook = start_hook(own_buckets(lake, "evsize"), RESCAN_INTERVAL="3600")
    host, port = re.match(r"http://([^:/]+):(\d+)/", hook.url).groups()  # type: ignore[union-attr]
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000000\r\n\r\n{")
        answer = sock.recv(4096).decode()
        assert answer.startswith("HTTP/1.1 413"), answer
        assert "Connection: close" in answer


def _threads(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        return int(next(line for line in status if line.startswith("Threads:")).split()[1])


def test_a_flood_of_half_open_connections_holds_no_threads_and_starves_no_event(
    lake: Lake, start_hook: Any
) -> None:
    """400 connections that never finish a request (some send nothing, some stop inside their headers, some
    send the headers of a POST and never its body): the hook keeps its thread count, an authorised event
    posted in the middle of the flood is still processed at once, and the flood is dropped after the request
    timeout (webhook.REQUEST_TIMEOUT, 10 s) without anyone closing it from this side."""
    from planet_gui.hook.webhook import REQUEST_TIMEOUT

    buckets = own_buckets(lake, "evflood")
    hook = start_hook(buckets, RESCAN_INTERVAL="3600", WEBHOOK_TOKEN="flood-token")
    host, port = re.match(r"http://([^:/]+):(\d+)/", hook.url).groups()  # type: ignore[union-attr]
    before = _threads(hook.process.pid)
    partial = [b"", b"POST / HTTP/1.1\r\nHost: x\r\nAuthoriz",
               b"POST / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer flood-token\r\nContent-Length: 900\r\n\r\n{"]
    flood: list[socket.socket] = []
    try:
        for index in range(400):
            sock = socket.create_connection((host, int(port)), timeout=10)
            sock.sendall(partial[index % len(partial)])
            flood.append(sock)
        opened = time.monotonic()
        during = _threads(hook.process.pid)
        assert during <= before + 2, f"{during} threads with 400 connections open (was {before})"

        key = "Other/PLANET tests/alice/during the flood.txt"
        put(lake, buckets.raw, key, VALID)
        assert hook.post(minio_event(buckets.raw, key), token="flood-token") == 200
        wait_for(lambda: exists(lake, buckets.validated, key), 30, "the event posted during the flood")
        assert time.monotonic() - opened < REQUEST_TIMEOUT  # processed while the flood was still open
        assert _threads(hook.process.pid) <= before + 2

        def all_dropped() -> bool:
            ready, _, _ = select.select(flood, [], [], 0)
            for sock in ready:
                try:
                    if sock.recv(4096) == b"":
                        flood.remove(sock)
                except ConnectionError:
                    flood.remove(sock)
            return not flood

        wait_for(all_dropped, REQUEST_TIMEOUT + 20, "the hook to drop the 400 idle connections")
        assert time.monotonic() - opened >= REQUEST_TIMEOUT - 1  # by the timeout, not at once
        assert hook.process.poll() is None
        assert hook.post(minio_event(buckets.raw, key), token="flood-token") == 200  # still serving
    finally:
        for sock in flood:
            sock.close()


def test_a_sweep_finds_what_no_event_announced(lake: Lake, start_hook: Any) -> None:
    buckets = own_buckets(lake, "evsweep")
    while_down = "Other/PLANET tests/alice/while the hook was down.txt"
    put(lake, buckets.raw, while_down, VALID)
    start_hook(buckets, RESCAN_INTERVAL="1")
    assert exists(lake, buckets.validated, while_down)  # the first sweep, done before the hook said so

    lost = "Other/PLANET tests/alice/event lost.txt"
    put(lake, buckets.raw, lost, VALID)
    wait_for(lambda: exists(lake, buckets.validated, lost), 30, "the next sweep to find it")


class _Receiver(BaseHTTPRequestHandler):
    """A notification endpoint (a chat's incoming webhook): records each POST."""

    received: queue.Queue[tuple[str | None, dict[str, Any]]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.put((self.headers.get("Authorization"), json.loads(body)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, queue.Queue[tuple[str | None, dict[str, Any]]]]]:
    received: queue.Queue[tuple[str | None, dict[str, Any]]] = queue.Queue()
    handler = type("Receiver", (_Receiver,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks/planet", received
    server.shutdown()
    server.server_close()


def test_triage_is_notified_and_validation_is_not(lake: Lake, start_hook: Any, receiver: Any) -> None:
    url, received = receiver
    buckets = own_buckets(lake, "evnotify")
    hook = start_hook(buckets, RESCAN_INTERVAL="3600", NOTIFY_URL=url, NOTIFY_TOKEN="chat-token")
    good = "Other/PLANET tests/alice/good.txt"
    bad = "Other/PLANET tests/alice/senza categoria è.txt"
    put(lake, buckets.raw, good, VALID)
    put(lake, buckets.raw, bad, {k: v for k, v in VALID.items() if k != "category"})
    assert hook.post(minio_event(buckets.raw, good)) == 200
    assert hook.post(minio_event(buckets.raw, bad)) == 200

    authorization, message = received.get(timeout=30)  # the hook checks in order: "good" was done before
    assert authorization == "Bearer chat-token"
    assert message["key"] == bad and message["bucket"] == buckets.triage and message["uploader"] == "alice"
    assert any("category" in problem.lower() for problem in message["problems"]), message
    assert bad in message["text"] and "alice" in message["text"]
    assert exists(lake, buckets.triage, bad) and exists(lake, buckets.validated, good)
    assert received.empty()  # nothing for the validated file


def test_an_unreachable_notification_endpoint_loses_no_verdict(lake: Lake, caplog: pytest.LogCaptureFixture) -> None:
    buckets = own_buckets(lake, "evnonotify")
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    secret_url = f"http://127.0.0.1:{port}/hooks/T000/B000/XXXXSECRETXXXX"
    hook = ValidationHook(lake.admin(), from_mapping({**lake.hook_env(), **buckets.env()}), load_schema(),
                          notify=TriageNotifier(secret_url))
    key = "Other/PLANET tests/alice/no category.txt"
    put(lake, buckets.raw, key, {k: v for k, v in VALID.items() if k != "category"})
    with caplog.at_level(logging.WARNING, logger="planet_gui.hook"):
        verdict = hook.process(key)
    assert verdict is not None and not verdict.valid
    assert exists(lake, buckets.triage, key) and not exists(lake, buckets.raw, key)
    assert "could not notify" in caplog.text
    assert "SECRET" not in caplog.text


def test_the_polling_hook_outlives_its_server_going_away(plake: PrivateLake, tmp_path: Path) -> None:
    """A real outage: the server is killed under the running hook, which logs it, waits, and goes on."""
    log_path = tmp_path / "polling-hook.log"
    env = {**os.environ, "ENDPOINT": f"http://{plake.s3.endpoint}", "ACCESSKEYID": plake.s3.admin_access_key,
           "SECRETACCESSKEY": plake.s3.admin_secret_key}
    with log_path.open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "planet_gui.cli", "hook", "--poll", "--interval", "0.3"],
                                   stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=env,
                                   preexec_fn=die_with_parent)
    try:
        wait_for(lambda: _ready(log_path, process), 60, "the hook to start")
        plake.s3.kill()
        try:
            wait_for(lambda: "could not list raw" in log_path.read_text(errors="replace"), 60, "the failed listing")
            assert process.poll() is None
        finally:
            plake.s3.restart()
        key = "Other/PLANET tests/alice/after the outage.txt"
        body = b"twelve bytes"
        plake.admin().put_object("raw", key, io.BytesIO(body), len(body),
                                 metadata=dict(load_schema().to_s3(VALID)))
        wait_for(lambda: _exists(plake.admin(), "validated", key), 60, "the object put after the outage")
    finally:
        stop_process(process)


def _exists(client: Any, bucket: str, key: str) -> bool:
    try:
        client.stat_object(bucket, key)
    except S3Error:
        return False
    return True
