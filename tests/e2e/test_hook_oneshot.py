"""``planet-lake hook --event FILE|-``: the one-shot hook an Argo workflow runs for each MinIO event.

Real processes against the real S3 server (SeaweedFS); the event documents are MinIO's webhook body (see
:func:`tests.e2e.test_hook_events.minio_event`) and Argo Events' wrapping of it. Each test has buckets of its own,
so the polling hook other tests run never takes these objects first. Notifications go to an HTTP receiver on
127.0.0.1 that counts them.
"""

from __future__ import annotations

import base64
import io
import json
import os
import queue
import shlex
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from planet_gui.core.schema import load_schema
from planet_gui.core.status import user_metadata
from planet_gui.hook.claims import PREFIX, claim_key
from planet_gui.hook.mover import Source, metadata_digest
from planet_gui.hook.outbox import PREFIX as OUTBOX
from tests.conftest import ROOT, Lake, wait_for
from tests.e2e.test_hook_events import VALID, Buckets, exists, minio_event, own_buckets, put
from tests.support.servers import die_with_parent

pytestmark = pytest.mark.e2e

NO_CATEGORY = {k: v for k, v in VALID.items() if k != "category"}


#: what runs ``planet-lake hook``: this checkout by default; PLANET_HOOK_COMMAND runs a built image instead (its entry
#: point is ``planet-lake hook``), e.g. "podman run --rm -i --network host --env-host -v /tmp:/tmp
#: planet-lake-hook:0.1.0" (deploy/README.md, "Checking a built image")
HOOK = shlex.split(os.environ.get("PLANET_HOOK_COMMAND", "")) or [sys.executable, "-m", "planet_gui.cli", "hook"]


def hook_command(where: str = "-") -> list[str]:
    return [*HOOK, "--event", where]


def hook_env(lake: Lake, buckets: Buckets, **extra: str) -> dict[str, str]:
    return {**os.environ, **lake.hook_env(), **buckets.env(), **extra}


def run_hook(lake: Lake, buckets: Buckets, document: Any, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(hook_command(), input=json.dumps(document), capture_output=True, text=True, cwd=ROOT,
                          env=hook_env(lake, buckets, **extra), timeout=120, preexec_fn=die_with_parent)


class _Counter(BaseHTTPRequestHandler):
    received: queue.Queue[dict[str, Any]]

    def do_POST(self) -> None:
        self.received.put(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, queue.Queue[dict[str, Any]]]]:
    received: queue.Queue[dict[str, Any]] = queue.Queue()
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Counter", (_Counter,), {"received": received}))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/notify", received
    server.shutdown()
    server.server_close()


def test_an_event_for_a_key_with_a_space_and_an_accent_moves_it_to_validated(lake: Lake) -> None:
    buckets = own_buckets(lake, "oneshot")
    key = "Other/PLANET tests/alice/qualità dell'aria 2020.txt"
    put(lake, buckets.raw, key, VALID)
    assert "qualit%C3%A0+dell%27aria+2020.txt" in json.dumps(minio_event(buckets.raw, key))  # URL-encoded

    result = run_hook(lake, buckets, minio_event(buckets.raw, key))

    assert result.returncode == 0, result.stderr
    assert f"{key}: validated" in result.stdout
    assert exists(lake, buckets.validated, key)
    assert not exists(lake, buckets.raw, key) and not exists(lake, buckets.triage, key)
    # a duplicate of the event, after the move: the object's verdict is reported, nothing moves again
    again = run_hook(lake, buckets, minio_event(buckets.raw, key))
    assert again.returncode == 0, again.stderr
    assert "already in" in again.stdout and buckets.validated in again.stdout


def test_an_event_naming_a_missing_object_fails_with_the_reason(lake: Lake) -> None:
    buckets = own_buckets(lake, "oneshotmissing")
    key = "Other/PLANET tests/alice/never uploaded.txt"

    result = run_hook(lake, buckets, minio_event(buckets.raw, key))

    assert result.returncode == 1
    assert f"{key}: no such object in {buckets.raw}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not exists(lake, buckets.validated, key) and not exists(lake, buckets.triage, key)


def test_what_is_not_an_event_of_this_hook_is_refused(lake: Lake, tmp_path: Path) -> None:
    buckets = own_buckets(lake, "oneshotbad")
    key = "Other/PLANET tests/alice/elsewhere.txt"
    put(lake, buckets.raw, key, VALID)
    other = run_hook(lake, buckets, minio_event("someone-elses-raw", key))
    assert other.returncode == 1 and "serves no raw location holding it" in other.stderr
    assert exists(lake, buckets.raw, key)  # never touched

    not_json = subprocess.run(hook_command(), input="{not json", capture_output=True, text=True, cwd=ROOT,
                              env=hook_env(lake, buckets), timeout=120)
    assert not_json.returncode == 1 and "not JSON" in not_json.stderr

    huge = tmp_path / "huge.json"
    with huge.open("w") as handle:  # over the cap: refused without being read whole
        handle.write('{"Records": [' + " " * (2 * 1024 * 1024) + "]}")
    too_big = subprocess.run(hook_command(str(huge)), capture_output=True, text=True, cwd=ROOT,
                             env=hook_env(lake, buckets), timeout=120)
    assert too_big.returncode == 1 and "larger than 1024 KiB" in too_big.stderr

    absent = subprocess.run(hook_command(str(tmp_path / "absent.json")), capture_output=True, text=True, cwd=ROOT,
                            env=hook_env(lake, buckets), timeout=120)
    assert absent.returncode == 1 and "Cannot read the event document" in absent.stderr


def test_argo_events_wrapping_of_the_event_is_understood(lake: Lake, tmp_path: Path) -> None:
    """The Sensor passes the whole Argo event (its data base64-encoded, as Go encodes bytes) or, with
    ``dataKey: notification``, the records alone; the workflow writes it to a file given to ``--event``."""
    buckets = own_buckets(lake, "oneshotargo")
    whole = "Other/PLANET tests/alice/whole argo event.txt"
    records = "Other/PLANET tests/alice/records only.txt"
    put(lake, buckets.raw, whole, VALID)
    put(lake, buckets.raw, records, VALID)
    data = json.dumps({"notification": minio_event(buckets.raw, whole)["Records"]}).encode()
    event_file = tmp_path / "event.json"
    event_file.write_text(json.dumps({"context": {"type": "minio", "source": "planet-raw", "subject": "planet"},
                                      "data": base64.b64encode(data).decode()}))
    result = subprocess.run(hook_command(str(event_file)), capture_output=True, text=True, cwd=ROOT,
                            env=hook_env(lake, buckets), timeout=120)
    assert result.returncode == 0, result.stderr
    assert exists(lake, buckets.validated, whole)

    result = run_hook(lake, buckets, minio_event(buckets.raw, records)["Records"])
    assert result.returncode == 0, result.stderr
    assert exists(lake, buckets.validated, records)


_READ_SYSCALL = {"x86_64": "0", "aarch64": "63"}


def _reading_stdin(pid: int) -> bool:
    """Whether the process is blocked in read(0, ...) (the read syscall's number, first argument fd 0). Where
    that cannot be told (another architecture, /proc/PID/syscall not readable), a sleeping process will do."""
    number = _READ_SYSCALL.get(os.uname().machine)
    try:
        fields = Path(f"/proc/{pid}/syscall").read_text().split()
    except OSError:
        fields = []
    if number is None or not fields:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        return bool(state) and state[0] == "S"
    return len(fields) > 1 and fields[0] == number and int(fields[1], 16) == 0


def test_four_hooks_on_one_event_at_once_give_one_move_one_verdict_one_notification(
    lake: Lake, receiver: tuple[str, queue.Queue[dict[str, Any]]]
) -> None:
    """Argo retries and duplicate events: four one-shot hooks get the same event at the same moment (each is
    blocked reading its standard input when the event is written to all four). The object is big enough (8 MiB)
    that hashing it takes a while, so the hooks really overlap."""
    url, received = receiver
    buckets = own_buckets(lake, "oneshotrace")
    key = "Other/PLANET tests/alice/senza categoria, 4 hook.txt"
    body = os.urandom(8 * 1024 * 1024)
    lake.admin().put_object(buckets.raw, key, io.BytesIO(body), len(body),
                            metadata=dict(load_schema().to_s3(NO_CATEGORY)))
    env = hook_env(lake, buckets, NOTIFY_URL=url)
    hooks = [subprocess.Popen(hook_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, cwd=ROOT, env=env, preexec_fn=die_with_parent)
             for _ in range(4)]
    try:
        wait_for(lambda: all(_reading_stdin(hook.pid) for hook in hooks), 120, "the four hooks to read the event")
        document = json.dumps(minio_event(buckets.raw, key)).encode()
        for hook in hooks:
            assert hook.stdin is not None
            hook.stdin.write(document)
        for hook in hooks:
            assert hook.stdin is not None
            hook.stdin.close()
        results = [(hook.wait(120), hook.stdout.read().decode(), hook.stderr.read().decode())  # type: ignore[union-attr]
                   for hook in hooks]
    finally:
        for hook in hooks:
            if hook.poll() is None:
                hook.kill()
                hook.wait()

    assert [code for code, _, _ in results] == [0, 0, 0, 0], results
    movers = [out for _, out, _ in results if f"{key}: triage (moved to {buckets.triage})" in out]
    reporters = [out for _, out, _ in results if f"{key}: triage (already in {buckets.triage}" in out]
    assert len(movers) == 1 and len(reporters) == 3, results  # one verdict; the others report it
    assert all("category" in out for out in reporters)  # with its reasons
    assert exists(lake, buckets.triage, key)
    assert not exists(lake, buckets.raw, key) and not exists(lake, buckets.validated, key)
    message = received.get(timeout=5)
    assert message["key"] == key and message["bucket"] == buckets.triage
    assert received.empty()  # one notification; every hook has exited, so none is still on its way
    assert list(lake.admin().list_objects(buckets.triage, prefix=PREFIX, recursive=True)) == []  # claims released
    assert list(lake.admin().list_objects(buckets.triage, prefix=OUTBOX, recursive=True)) == []  # delivered


def test_a_hook_killed_between_its_move_and_its_notification_has_it_delivered_by_the_next_run(
    lake: Lake, receiver: tuple[str, queue.Queue[dict[str, Any]]]
) -> None:
    """At least once: the hook is SIGKILLed once the object is in triage and before it notifies; the outbox entry
    it wrote before the move makes the next run (Argo's retry of the same event) send the notification, once."""
    url, received = receiver
    buckets = own_buckets(lake, "oneshotoutbox")
    key = "Other/PLANET tests/alice/notifica persa.txt"
    put(lake, buckets.raw, key, NO_CATEGORY)

    crashed = run_hook(lake, buckets, minio_event(buckets.raw, key), NOTIFY_URL=url, PLANET_HOOK_CRASH_AT="notifying")
    assert crashed.returncode == -9, crashed.stderr  # a real kill, nothing cleaned up
    assert exists(lake, buckets.triage, key) and not exists(lake, buckets.raw, key)
    assert received.empty()  # the process is gone: nothing was sent, nothing is on its way
    left = [o.object_name for o in lake.admin().list_objects(buckets.triage, prefix=OUTBOX, recursive=True)]
    assert len(left) == 1

    retried = run_hook(lake, buckets, minio_event(buckets.raw, key), NOTIFY_URL=url)
    assert retried.returncode == 0, retried.stderr
    assert "already in" in retried.stdout
    message = received.get(timeout=5)
    assert message["key"] == key and message["bucket"] == buckets.triage
    assert any("category" in problem.lower() for problem in message["problems"])
    assert received.empty()
    assert list(lake.admin().list_objects(buckets.triage, prefix=OUTBOX, recursive=True)) == []
    assert list(lake.admin().list_objects(buckets.triage, prefix=PREFIX, recursive=True)) == []

    once_more = run_hook(lake, buckets, minio_event(buckets.raw, key), NOTIFY_URL=url)
    assert once_more.returncode == 0, once_more.stderr
    assert received.empty()  # delivered once, not at every run


def _claim(lake: Lake, buckets: Buckets, key: str, holder: dict[str, Any]) -> None:
    """A claim on the raw object, as a hook checking it now would have written."""
    stat = lake.admin().stat_object(buckets.raw, key)
    source = Source(buckets.raw, key, stat.etag or "", stat.size or 0, stat.last_modified, stat.content_type,
                    metadata_digest(user_metadata(dict(stat.metadata or {}))))
    body = json.dumps({"claimed_at": "2026-12-02T00:00:00+00:00", "nonce": "test", "holder": holder}).encode()
    lake.admin().put_object(buckets.triage, claim_key(buckets.raw, key, source.identity), io.BytesIO(body),
                            len(body), content_type="application/json")


def _me() -> dict[str, Any]:
    from planet_gui.hook.claims import holder

    return holder()


def test_a_claim_held_by_a_live_hook_is_waited_for_and_one_left_by_a_dead_hook_is_taken_over(lake: Lake) -> None:
    buckets = own_buckets(lake, "oneshotclaim")
    key = "Other/PLANET tests/alice/claimed.txt"
    put(lake, buckets.raw, key, VALID)

    _claim(lake, buckets, key, _me())  # this test's process: alive, on this machine
    waited = run_hook(lake, buckets, minio_event(buckets.raw, key), CLAIM_WAIT="1")
    assert waited.returncode == 1
    assert "another hook has been checking it" in waited.stderr
    assert exists(lake, buckets.raw, key) and not exists(lake, buckets.validated, key)

    dead = {**_me(), "pid": os.getpid(), "started": "not this process's start"}  # a pid now used by another life
    _claim(lake, buckets, key, dead)
    taken = run_hook(lake, buckets, minio_event(buckets.raw, key), CLAIM_WAIT="1")
    assert taken.returncode == 0, taken.stderr
    assert "taking over the claim" in taken.stderr
    assert exists(lake, buckets.validated, key) and not exists(lake, buckets.raw, key)


def test_a_claim_from_another_machine_is_taken_over_only_after_claim_ttl(lake: Lake) -> None:
    buckets = own_buckets(lake, "oneshotttl")
    key = "Other/PLANET tests/alice/claimed elsewhere.txt"
    put(lake, buckets.raw, key, VALID)
    _claim(lake, buckets, key, {**_me(), "host": "another-pod"})  # its holder cannot be checked from here

    fresh = run_hook(lake, buckets, minio_event(buckets.raw, key), CLAIM_WAIT="1")
    assert fresh.returncode == 1 and exists(lake, buckets.raw, key)
    expired = run_hook(lake, buckets, minio_event(buckets.raw, key), CLAIM_WAIT="1", CLAIM_TTL="0")
    assert expired.returncode == 0, expired.stderr
    assert exists(lake, buckets.validated, key)


def test_an_upload_still_being_sealed_is_left_alone_and_said_so(lake: Lake) -> None:
    """A large upload's data is complete before its SHA-256 is recorded (a metadata copy onto itself, whose
    Copy event brings the hook back): the Put/CompleteMultipartUpload event's run leaves it in raw, exit 0."""
    from planet_gui.core import lake as contract

    buckets = own_buckets(lake, "oneshotseal")
    key = "Other/PLANET tests/alice/still sealing.txt"
    metadata = {**dict(load_schema().to_s3(VALID)), contract.SHA256_KEY: contract.PENDING_SHA256}
    lake.admin().put_object(buckets.raw, key, io.BytesIO(b"twelve bytes"), 12, metadata=metadata)

    result = run_hook(lake, buckets, minio_event(buckets.raw, key, "s3:ObjectCreated:CompleteMultipartUpload"))

    assert result.returncode == 0, result.stderr
    assert "still recording its SHA-256" in result.stdout
    assert exists(lake, buckets.raw, key)
    assert not exists(lake, buckets.validated, key) and not exists(lake, buckets.triage, key)


def test_a_server_that_is_not_there_is_a_failure_with_its_reason(lake: Lake) -> None:
    """A real fault: nothing listens at the endpoint. The run fails (Argo retries it) and says why."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    buckets = own_buckets(lake, "oneshotdown")
    key = "Other/PLANET tests/alice/server down.txt"
    result = run_hook(lake, buckets, minio_event(buckets.raw, key), ENDPOINT=f"http://127.0.0.1:{port}")
    assert result.returncode == 1
    assert f"{key}: could not be checked" in result.stderr
    assert "Traceback" not in result.stderr
