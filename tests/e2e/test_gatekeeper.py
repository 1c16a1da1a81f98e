"""The validation hook as a gatekeeper no uploader can fool (issue 14, holes 1-5), attacked end to end.

Everything is real: SeaweedFS with STS and the lake's per-user policy, the IAM stand-in, the hook as its own
process polling raw, a notification endpoint. The attacker is an ordinary user (alice) with her STS
credentials, writing whatever headers and objects the S3 API lets her; honest users upload with the app.
Each test shows the attack fails with nothing lost: every honest object ends in exactly one bucket with the
right verdict, every attacker object in triage (or refused by the lake) with a reason a curator understands.

The crash test kills the hook with SIGKILL at each step of a move (``PLANET_HOOK_CRASH_AT``, see
:mod:`planet_gui.hook.mover`), on 20 fresh objects per step, under a supervisor that restarts it as systemd
would; every restarted hook must finish what the dead one left.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from minio import Minio
from minio.error import S3Error

from planet_gui.core import lake, metadata_codec
from planet_gui.core.schema import load_schema
from planet_gui.core.session import Session
from planet_gui.core.status import split_reasons, user_metadata
from planet_gui.core.transfer.sidecar import plan_metadata, sidecar_headers
from planet_gui.hook.mover import CRASH_ENV, CRASH_STEPS
from tests.conftest import ROOT, stop_process, wait_for
from tests.support.login import logged_in, memory_session
from tests.support.servers import die_with_parent
from tests.support.uploads import VALID, MiB, PrivateLake, make_file, sha256_file

pytestmark = pytest.mark.e2e

BUCKETS = ("raw", "validated", "triage")
SOURCE = "Gatekeeper"
SCHEMA = load_schema()
LONG_FIELDS = [f"misura_{i}_µg/m³" for i in range(120)]  # over S3's 2 KB: a sidecar


# -- the lake, its users, the hook and the notification endpoint -----------------------------------------------

class _Receiver(BaseHTTPRequestHandler):
    received: queue.Queue[dict[str, Any]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.put(json.loads(body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@dataclass
class Notifications:
    url: str
    queue: queue.Queue[dict[str, Any]]
    seen: list[dict[str, Any]]

    def about(self, key: str, timeout: float = 30.0) -> dict[str, Any]:
        """The notification about ``key`` (waits for it)."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self.seen:
                if message["key"] == key:
                    return message
            try:
                self.seen.append(self.queue.get(timeout=max(0.0, deadline - time.monotonic())))
            except queue.Empty as exc:
                raise AssertionError(f"no notification about {key}") from exc

    def drain(self) -> list[dict[str, Any]]:
        while True:
            try:
                self.seen.append(self.queue.get_nowait())
            except queue.Empty:
                return self.seen


@pytest.fixture(scope="module")
def notifications() -> Iterator[Notifications]:
    received: queue.Queue[dict[str, Any]] = queue.Queue()
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Receiver", (_Receiver,), {"received": received}))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Notifications(f"http://127.0.0.1:{server.server_address[1]}/hooks/planet", received, [])
    server.shutdown()
    server.server_close()


def hook_env(plake: PrivateLake, **extra: str) -> dict[str, str]:
    s3 = plake.s3
    return {**os.environ, "ENDPOINT": f"http://{s3.endpoint}", "ACCESSKEYID": s3.admin_access_key,
            "SECRETACCESSKEY": s3.admin_secret_key, **extra}


@dataclass
class RunningHook:
    log: Path
    process: subprocess.Popen[bytes]

    def peak_memory(self) -> int:
        """The hook's peak resident memory so far, in bytes (Linux: VmHWM)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
        raise AssertionError("no VmHWM in /proc")


@pytest.fixture(scope="module")
def hook(plake: PrivateLake, notifications: Notifications,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningHook]:
    """The real hook (``planet-lake hook --poll``) on the lake's raw bucket."""
    log_path = tmp_path_factory.mktemp("gatekeeper-hook") / "hook.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "planet_gui.cli", "hook", "--poll", "--interval", "0.3"],
            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, preexec_fn=die_with_parent,
            env=hook_env(plake, NOTIFY_URL=notifications.url))
    try:
        wait_for(lambda: b"hook ready" in log_path.read_bytes() or process.poll() is not None, 60, "hook start")
        assert process.poll() is None, log_path.read_text(errors="replace")
        yield RunningHook(log_path, process)
    finally:
        stop_process(process)


@pytest.fixture(scope="module")
def bob(plake: PrivateLake) -> Session:
    return logged_in(plake.profile_path, "bob")


def app_session(login: Session, tmp_path: Path) -> Session:
    """The app, as the logged-in user, with a journal of its own."""
    return memory_session(login.profile, tmp_path / f"journal-{id(login)}.sqlite3", login_of=login)


# -- helpers ---------------------------------------------------------------------------------------------------

def sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def key_of(user: str, name: str, source: str = SOURCE) -> str:
    return f"Other/{source}/{user}/{name}"


def headers_for(body: bytes, user: str, **values: Any) -> dict[str, str]:
    """The headers the app would send for ``body`` (an attacker starts from them and changes some)."""
    return dict(SCHEMA.to_s3({**VALID, "uploader": user, "sha256": sha256(body), **values}))


def put(client: Minio, key: str, body: bytes, headers: Mapping[str, str], bucket: str = "raw") -> None:
    client.put_object(bucket, key, io.BytesIO(body), len(body), metadata=dict(headers))  # type: ignore[arg-type]


def put_like_the_app(client: Minio, key: str, body: bytes, user: str, bucket: str = "raw", **values: Any) -> bool:
    """What the engine writes for a small file (the sidecar first when the metadata is over 2 KB); True when
    there is a sidecar."""
    plan = plan_metadata(SCHEMA, {**VALID, "uploader": user, "sha256": sha256(body), **values}, key)
    if plan.sidecar_key is not None and plan.sidecar_body is not None:
        put(client, plan.sidecar_key, plan.sidecar_body, sidecar_headers(key, plan.headers.get("Uploader")), bucket)
    put(client, key, body, plan.headers, bucket)
    return plan.has_sidecar


def holders(admin: Minio, key: str, buckets: tuple[str, ...] = BUCKETS) -> list[str]:
    found = []
    for bucket in buckets:
        try:
            admin.stat_object(bucket, key)
        except S3Error as exc:
            if exc.code not in {"NoSuchKey", "NoSuchObject", "ResourceNotFound"}:
                raise
            continue
        found.append(bucket)
    return found


def verdict_of(admin: Minio, key: str, buckets: tuple[str, ...] = BUCKETS, timeout: float = 30.0) -> str:
    """The one bucket ``key`` ends in once the hook is done with it (fails if it is in two)."""
    def decided() -> list[str] | None:
        where = holders(admin, key, buckets)
        return where if where and buckets[0] not in where else None

    found = wait_for(decided, timeout, f"a verdict on {key}")
    assert len(found) == 1, f"{key} is in {found}"
    return str(found[0])


def reasons(admin: Minio, bucket: str, key: str) -> tuple[str, ...]:
    meta = user_metadata(dict(admin.stat_object(bucket, key).metadata or {}))
    encoded = meta.get(lake.TRIAGE_REASON_KEY.lower())
    return split_reasons(encoded) if encoded else ()


def meta_of(admin: Minio, bucket: str, key: str) -> dict[str, str]:
    return user_metadata(dict(admin.stat_object(bucket, key).metadata or {}))


def settle(admin: Minio, client: Minio, user: str) -> None:
    """Wait until the hook has passed over everything put so far: a last object, listed after all the others,
    gets its verdict (the hook goes through raw in key order)."""
    body = os.urandom(16)
    key = f"zzzz/{SOURCE}/{user}/settle-{body.hex()}"
    put(client, key, body, headers_for(body, user))
    verdict_of(admin, key)


# -- hole 1: the sidecar pointer ---------------------------------------------------------------------------------

def test_a_sidecar_pointer_moves_nothing_the_hook_did_not_check(
        plake: PrivateLake, login: Session, bob: Session, hook: RunningHook, tmp_path: Path) -> None:
    admin, alice = plake.admin(), login.s3
    # B: alice's own object, no schema metadata, still "pending" (the hook leaves such objects for a day)
    b_key, b_body = key_of("alice", "b-unchecked.bin"), b"B was never checked"
    put(alice, b_key, b_body, {"Sha256": lake.PENDING_SHA256})
    # bob's upload in progress, still pending
    bobs_key, bobs_body = key_of("bob", "bob-pending.bin"), b"bob's upload, not sealed yet"
    put(bob.s3, bobs_key, bobs_body, {"Sha256": lake.PENDING_SHA256, "Uploader": "bob"})
    attacks = {}
    for name, target, target_body in (("a-points-at-b.csv", b_key, b_body),
                                      ("a-points-at-bob.csv", bobs_key, bobs_body)):
        body = f"valid data pointing at {target}".encode()
        attacks[key_of("alice", name)] = target
        put(alice, key_of("alice", name), body, {**headers_for(body, "alice"),
                                                 lake.POINTER_KEY: metadata_codec.encode(target),
                                                 lake.POINTER_SHA_KEY: sha256(target_body)})
    # its own sidecar name, but 128 MiB (and "pending", so that it stays): the hook used to read it whole
    big_key, big_body = key_of("alice", "a-big-sidecar.csv"), b"data whose sidecar is huge"
    big_sidecar = make_file(tmp_path / "big-sidecar.json", 128 * MiB)
    alice.fput_object("raw", lake.sidecar_key_for(big_key), str(big_sidecar), metadata={  # type: ignore[arg-type]
        **sidecar_headers(big_key, "alice"), "Sha256": lake.PENDING_SHA256})
    put(alice, big_key, big_body, {**headers_for(big_body, "alice"),
                                   lake.POINTER_KEY: metadata_codec.encode(lake.sidecar_key_for(big_key)),
                                   lake.POINTER_SHA_KEY: sha256_file(big_sidecar)})
    # its own sidecar name, small, but not a PLANET sidecar for this key
    odd_key, odd_body = key_of("alice", "a-odd-sidecar.csv"), b"data whose sidecar has another shape"
    odd_sidecar = json.dumps({"planet_sidecar": 1, "object": b_key, "s3": {"Category": "Clinical"}}).encode()
    put(alice, lake.sidecar_key_for(odd_key), odd_sidecar, sidecar_headers(odd_key, "alice"))
    put(alice, odd_key, odd_body, {**headers_for(odd_body, "alice"),
                                   lake.POINTER_KEY: metadata_codec.encode(lake.sidecar_key_for(odd_key)),
                                   lake.POINTER_SHA_KEY: sha256(odd_sidecar)})
    # the honest upload with a sidecar, through the app
    honest = tmp_path / "honest-with-sidecar.csv"
    honest.write_bytes(b"a,b\n1,2\n")
    outcome, = app_session(login, tmp_path).upload_many([(honest, {**VALID, "source": SOURCE,
                                                                    "fields": LONG_FIELDS})])
    assert outcome.ok and outcome.sidecar_key, outcome.error

    for key, target in attacks.items():
        assert verdict_of(admin, key) == "triage"
        assert any(f"points to another object ({target})" in reason for reason in reasons(admin, "triage", key))
    assert verdict_of(admin, big_key) == "triage"
    assert any("over the 1024 KB" in reason for reason in reasons(admin, "triage", big_key))
    assert 20 * MiB < hook.peak_memory() < 150 * MiB, hook.peak_memory()  # not read: refused by its size
    assert verdict_of(admin, odd_key) == "triage"
    assert any("cannot be used: it describes" in reason for reason in reasons(admin, "triage", odd_key))
    assert verdict_of(admin, lake.sidecar_key_for(odd_key)) == "triage"  # it was this key's: it moves along
    assert verdict_of(admin, outcome.key) == "validated"
    assert holders(admin, outcome.sidecar_key) == ["validated"]
    settle(admin, alice, "alice")
    # the objects only pointed at were never moved, copied or removed
    assert holders(admin, lake.sidecar_key_for(big_key)) == ["raw"]
    assert holders(admin, b_key) == ["raw"] and admin.get_object("raw", b_key).read() == b_body
    assert holders(admin, bobs_key) == ["raw"] and admin.get_object("raw", bobs_key).read() == bobs_body


# -- hole 2: the checksum it is told -----------------------------------------------------------------------------

def test_content_that_is_not_what_its_sha256_says_goes_to_triage(
        plake: PrivateLake, login: Session, hook: RunningHook, tmp_path: Path) -> None:
    admin, alice = plake.admin(), login.s3
    forged_key, body = key_of("alice", "forged-checksum.csv"), b"these bytes are not the declared ones"
    declared = sha256(b"the bytes the checksum belongs to")
    put(alice, forged_key, body, headers_for(body, "alice", sha256=declared))
    big_key, big = key_of("alice", "forged-checksum-big.bin"), make_file(tmp_path / "big.bin", 128 * MiB, seed=3)
    alice.fput_object("raw", big_key, str(big),  # type: ignore[arg-type]
                      metadata=headers_for(b"", "alice", sha256=declared))
    honest = tmp_path / "honest-checksum.csv"
    honest.write_bytes(b"x,y\n3,4\n")
    outcome, = app_session(login, tmp_path).upload_many([(honest, {**VALID, "source": SOURCE})])
    assert outcome.ok, outcome.error

    assert verdict_of(admin, forged_key) == "triage"
    why = reasons(admin, "triage", forged_key)
    assert any(sha256(body) in reason and declared in reason for reason in why), why
    assert meta_of(admin, "triage", forged_key)[lake.CHECKED_SHA256_KEY.lower()] == sha256(body)
    assert verdict_of(admin, big_key, timeout=60) == "triage"
    assert meta_of(admin, "triage", big_key)[lake.CHECKED_SHA256_KEY.lower()] == sha256_file(big)
    assert 20 * MiB < hook.peak_memory() < 150 * MiB, hook.peak_memory()  # hashed as it streamed by
    assert verdict_of(admin, outcome.key) == "validated"
    assert meta_of(admin, "validated", outcome.key)[lake.CHECKED_SHA256_KEY.lower()] == outcome.sha256


# -- hole 3: the uploader is whatever the client writes ----------------------------------------------------------

def test_no_one_can_upload_as_someone_else(
        plake: PrivateLake, login: Session, bob: Session, hook: RunningHook, notifications: Notifications,
        tmp_path: Path) -> None:
    admin, alice = plake.admin(), login.s3
    body = b"alice pretends to be bob"
    for elsewhere in (key_of("bob", "in-bobs-folder.csv"), f"Other/{SOURCE}/bob/alice/deeper.csv",
                      "alice/outside-the-layout.csv"):
        with pytest.raises(S3Error) as refused:  # the lake's policy: each user writes in their own folder only
            put(alice, elsewhere, body, headers_for(body, "bob"))
        assert refused.value.code == "AccessDenied", elsewhere
        assert holders(admin, elsewhere) == []
    forged = key_of("alice", "signed-as-bob.csv")
    put(alice, forged, body, headers_for(body, "bob"))
    honest = tmp_path / "bobs-own.csv"
    honest.write_bytes(b"p,q\n5,6\n")
    outcome, = app_session(bob, tmp_path).upload_many([(honest, {**VALID, "source": SOURCE})])
    assert outcome.ok, outcome.error

    assert verdict_of(admin, forged) == "triage"
    assert any("says it was uploaded by bob" in reason and "alice's folder" in reason
               for reason in reasons(admin, "triage", forged))
    message = notifications.about(forged)
    assert message["uploader"] == "alice" and "uploaded by alice" in message["text"], message
    assert meta_of(admin, "triage", forged)[lake.CHECKED_UPLOADER_KEY.lower()] == "alice"
    assert verdict_of(admin, outcome.key) == "validated"
    assert meta_of(admin, "validated", outcome.key)[lake.CHECKED_UPLOADER_KEY.lower()] == "bob"


# -- hole 4: poison metadata ---------------------------------------------------------------------------------------

def test_fields_only_the_hook_writes_cannot_be_preset(
        plake: PrivateLake, login: Session, hook: RunningHook) -> None:
    admin, alice = plake.admin(), login.s3
    poison = {"Checked_at": "2000-01-01T00:00:00+00:00", "Verdict": "validated", "Checked_sha256": "0" * 64,
              "Checked_uploader": "bob", "Status": "validated"}
    valid_key, valid_body = key_of("alice", "preset-checked-at.csv"), b"valid, with a preset Checked_at"
    put(alice, valid_key, valid_body, {**headers_for(valid_body, "alice"), **poison})
    invalid_key, invalid_body = key_of("alice", "preset-triage-reason.csv"), b"invalid, with a preset reason"
    headers = {k: v for k, v in headers_for(invalid_body, "alice").items() if k != "Category"}
    put(alice, invalid_key, invalid_body, {**headers, "TRIAGE_REASON": metadata_codec.encode("all is well"),
                                           "checked_AT": "2000-01-01T00:00:00+00:00"})

    assert verdict_of(admin, valid_key) == "validated"
    meta = meta_of(admin, "validated", valid_key)
    assert meta[lake.CHECKED_AT_KEY.lower()] != poison["Checked_at"]
    assert meta[lake.CHECKED_SHA256_KEY.lower()] == sha256(valid_body)
    assert meta[lake.CHECKED_UPLOADER_KEY.lower()] == "alice" and "status" not in meta
    assert verdict_of(admin, invalid_key) == "triage"
    why = reasons(admin, "triage", invalid_key)
    assert why and "all is well" not in why and any("category" in reason.lower() for reason in why), why
    assert meta_of(admin, "triage", invalid_key)[lake.CHECKED_AT_KEY.lower()] != "2000-01-01T00:00:00+00:00"


# -- hole 5: a crash between copy and delete -------------------------------------------------------------------

def test_an_object_replaced_after_validation_is_still_refused(
        plake: PrivateLake, login: Session, hook: RunningHook) -> None:
    """The one true "already validated": a new upload under a key the hook validated before, even with the same
    bytes, is not taken for the hook's own interrupted move."""
    admin, alice = plake.admin(), login.s3
    key, body = key_of("alice", "uploaded-twice.csv"), b"the same bytes twice"
    put(alice, key, body, headers_for(body, "alice"))
    assert verdict_of(admin, key) == "validated"
    put(alice, key, body, headers_for(body, "alice", description="second upload"))
    wait_for(lambda: holders(admin, key) == ["validated", "triage"], 30, "the second upload's verdict")
    assert any("already validated" in reason for reason in reasons(admin, "triage", key))
    assert "description" not in meta_of(admin, "validated", key)  # the validated one is untouched


@pytest.mark.parametrize("step", CRASH_STEPS)
def test_a_hook_killed_mid_move_leaves_every_object_in_one_place(
        plake: PrivateLake, notifications: Notifications, tmp_path: Path, step: str) -> None:
    admin = plake.admin()
    buckets = tuple(f"crash-{step}-{name}" for name in BUCKETS)
    for bucket in buckets:
        admin.make_bucket(bucket)
    expected: dict[str, str] = {}
    sidecar_keys = []
    for index in range(20):
        body = f"object {index} of the {step} crash test".encode()
        key = key_of("alice", f"crash-{index:02d}.csv", source=f"Crash {step}")
        valid = index % 2 == 0
        values: dict[str, Any] = {} if valid else {"category": "Not a category"}
        if index % 4 < 2:
            values["fields"] = LONG_FIELDS
        if put_like_the_app(admin, key, body, "alice", bucket=buckets[0], **values):
            sidecar_keys.append(key)
        expected[key] = buckets[1] if valid else buckets[2]
    assert sidecar_keys

    log_path = tmp_path / "hook.log"
    env = hook_env(plake, **{CRASH_ENV: step, "NOTIFY_URL": notifications.url, "RAW_BUCKET": buckets[0],
                             "VALIDATED_BUCKET": buckets[1], "TRIAGE_BUCKET": buckets[2]})
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "tests.support.hook_supervisor", str(log_path), "--interval", "0.2"],
        cwd=ROOT, env=env, preexec_fn=die_with_parent, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: not list(admin.list_objects(buckets[0], recursive=True)), 90, "raw to empty")
    finally:
        stop_process(supervisor)
    exits = (tmp_path / "hook.log.exits").read_text().split("\n")
    log = log_path.read_text(errors="replace")
    assert exits.count("signal 9") == 20, (exits, log[-3000:])  # one real crash in the middle of each move
    assert log.count("finishing the interrupted move") == 20, log[-3000:]  # each finished by the next hook

    for key, bucket in expected.items():
        assert holders(admin, key, buckets) == [bucket], key
        why = reasons(admin, bucket, key)
        assert not any("already validated" in reason for reason in why), (key, why)
        if bucket == buckets[2]:
            assert any("category" in reason.lower() for reason in why), (key, why)
    for key in sidecar_keys:
        assert holders(admin, lake.sidecar_key_for(key), buckets) == [expected[key]]
    triaged = [message["key"] for message in notifications.drain() if message["bucket"] == buckets[2]]
    assert sorted(triaged) == sorted(key for key, bucket in expected.items() if bucket == buckets[2])
