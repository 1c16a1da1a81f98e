"""The upload engine against a real SeaweedFS with STS, in-process: verified multipart uploads, the journal,
cancel, a server that dies and comes back, resume after an interruption, conflicts, sidecar metadata.

Each test uses a private S3 server (no validation hook), so objects stay in raw where the test can look."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from minio import Minio

from planet_gui.core.errors import MetadataInvalid, StorageError
from planet_gui.core.schema import load_schema
from planet_gui.core.session import Session
from planet_gui.core.status import State
from planet_gui.core.transfer import (
    AlreadyInLake,
    ConflictPolicy,
    FileState,
    JournalEntry,
    RetryPolicy,
    TransferSettings,
    TransferUpdate,
    UploadState,
    s3ops,
    sidecar,
)
from planet_gui.core.transfer.engine import EngineSetup, TransferEngine
from planet_gui.hook.config import HookConfig
from planet_gui.hook.service import ValidationHook
from tests.conftest import wait_for
from tests.support.uploads import (
    VALID,
    MiB,
    PrivateLake,
    incomplete_uploads,
    make_file,
    memory_session,
    sha256_file,
    sha256_object,
    where,
)

pytestmark = pytest.mark.e2e

SMALL_PARTS = TransferSettings(concurrency=3, file_concurrency=3, part_size=5 * MiB,
                               retry=RetryPolicy(base=0.2, cap=1.0, max_elapsed=120))
#: for tests that interrupt an upload: capped, so it cannot finish before the test steps in (a part every 0.6 s)
CAPPED = replace(SMALL_PARTS, max_rate=8 * MiB)


def _session(plake: PrivateLake, login: Session, journal: Path, settings: TransferSettings = SMALL_PARTS
             ) -> Session:
    session = memory_session(plake.profile_path, login_of=login)
    session.configure_transfers(settings, journal_path=journal)
    return session


@pytest.fixture
def alice(plake: PrivateLake, login: Session, tmp_path: Path) -> Iterator[Session]:
    session = _session(plake, login, tmp_path / "journal.sqlite3")
    yield session
    session.stop_uploads()


def _values(**extra: object) -> dict[str, object]:
    return {**VALID, **extra}


def _sends(journal_path: Path, entry_id: int) -> dict[int, list[str | None]]:
    with sqlite3.connect(journal_path) as db:
        rows = db.execute("SELECT part_number, outcome FROM sends WHERE upload = ? ORDER BY id", (entry_id,))
        found: dict[int, list[str | None]] = {}
        for number, outcome in rows:
            found.setdefault(number, []).append(outcome)
    return found


def _interrupted(plake: PrivateLake, login: Session, journal: Path, source: Path) -> tuple[Session, JournalEntry]:
    """Start uploading ``source`` (capped), stop once two parts are confirmed, as when the app is closed."""
    session = _session(plake, login, journal, CAPPED)
    job = session._engine().submit(session.upload_item(source, _values()))
    _wait_parts(session, 2)
    session.stop_uploads()
    stopped = job.wait(60)
    assert stopped is not None and stopped.state is FileState.PAUSED, stopped
    [entry] = session.unfinished_uploads()
    return session, entry


def _wait_parts(session: Session, at_least: int, timeout: float = 60) -> None:
    def confirmed() -> bool:
        entries = session._engine().journal.unfinished(session.transfer_scope)
        return any(len(session._engine().journal.parts(e.id)) >= at_least for e in entries)

    wait_for(confirmed, timeout, f"{at_least} confirmed parts")


# -- integrity -----------------------------------------------------------------------------------


def test_multipart_upload_is_verified_and_journaled(alice: Session, plake: PrivateLake, tmp_path: Path) -> None:
    source = make_file(tmp_path / "multipart.bin", 23 * MiB + 12345, seed=1)
    updates: list[TransferUpdate] = []
    result = alice.upload(source, _values(), on_update=updates.append)

    admin = plake.admin()
    assert sha256_object(admin, "raw", result.key) == sha256_file(source) == result.sha256
    head = s3ops.head(admin, "raw", result.key)
    assert head is not None and head.size == source.stat().st_size
    assert head.metadata["sha256"] == result.sha256  # sealed: created "pending", then given its SHA-256
    # the server's composite CRC32C over the five parts equals ours from the file
    data = source.read_bytes()
    ours = [s3ops.Checksum.CRC32C.b64(data[i:i + 5 * MiB]) for i in range(0, len(data), 5 * MiB)]
    assert head.checksum(s3ops.Checksum.CRC32C) == s3ops.Checksum.CRC32C.composite(ours)
    assert result.etag.endswith("-5")

    journal = alice._engine().journal
    entry = next(e for e in journal.entries() if e.key == result.key)
    assert entry.state is UploadState.DONE and entry.part_count == 5
    parts = journal.parts(entry.id)
    assert sorted(parts) == [1, 2, 3, 4, 5] and all(p.how == "sent" for p in parts.values())
    assert all(outcomes == ["ok"] for outcomes in _sends(journal.path, entry.id).values())

    states = [u.file.state for u in updates]
    # no separate hashing pass: the SHA-256 is taken from the reads that send the parts
    assert FileState.HASHING not in states
    assert FileState.UPLOADING in states and FileState.COMPLETING in states and states[-1] is FileState.DONE
    assert entry.sha256 == result.sha256 and entry.part_checksum == "CRC32C"
    last = updates[-1]
    assert last.file.done == last.file.total == source.stat().st_size
    assert last.overall.done >= last.file.total


def test_a_key_with_accents_and_quotes_is_sealed(alice: Session, plake: PrivateLake, tmp_path: Path) -> None:
    """The seal copies the object onto itself: its copy source must name an accented key correctly."""
    source = make_file(tmp_path / "qualità dell'aria #1.bin", 7 * MiB, seed=24)
    result = alice.upload(source, _values(source="Qualità dell'aria"))
    assert "Qualità dell'aria" in result.key and result.key.endswith("qualità dell'aria _1.bin")  # '#' sanitised
    head = s3ops.head(plake.admin(), "raw", result.key)
    assert head is not None and head.metadata["sha256"] == sha256_file(source) == result.sha256


def test_the_journal_holds_no_secret(alice: Session, plake: PrivateLake, tmp_path: Path) -> None:
    source = make_file(tmp_path / "secret-check.bin", 6 * MiB, seed=2)
    alice.upload(source, _values())
    credentials = alice.credentials.retrieve()
    tokens = alice.current_tokens()
    secrets = {credentials.access_key, credentials.secret_key, credentials.session_token or "",
               *tokens.secrets()} - {""}
    assert len(secrets) >= 4
    journal = alice._engine().journal.path
    stored = b"".join(p.read_bytes() for p in journal.parent.glob(journal.name + "*") if p.is_file())
    for secret in secrets:
        assert secret.encode() not in stored
    assert b"X-Amz-Signature" not in stored and b"X-Amz-Credential" not in stored


def test_zero_byte_and_small_files(alice: Session, plake: PrivateLake, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    small = tmp_path / "small.csv"
    small.write_bytes(b"a;b\n1;2\n")
    outcomes = alice.upload_many([(empty, _values()), (small, _values())])
    assert [o.state for o in outcomes] == [FileState.DONE, FileState.DONE]
    admin = plake.admin()
    assert admin.get_object("raw", outcomes[0].key).read() == b""
    assert admin.get_object("raw", outcomes[1].key).read() == small.read_bytes()


# -- metadata --------------------------------------------------------------------------------------


def test_accents_and_long_field_lists_round_trip_through_a_sidecar(alice: Session, plake: PrivateLake,
                                                                    tmp_path: Path) -> None:
    source = make_file(tmp_path / "qualità dell'aria.csv", 1000, seed=3)
    values = _values(
        source="Agenzia Regionale per la Protezione dell'Ambiente — Valle d'Aosta",
        area="Valle d'Aosta, Aosta, Châtillon, Saint-Vincent",
        description="Concentrazioni orarie di PM₁₀ e NO₂; qualità dell'aria “misurata”, città e comuni.\nDue righe.",
        fields=[f"stazione_{i}_µg/m³" for i in range(150)] + ["città, provincia", "perché"],
        regions=["Valle d'Aosta", "Piemonte"],
        record_count=8760,
        time_field="data_ora",
    )
    result = alice.upload(source, values)
    assert result.sidecar_key == result.key + ".planet-meta.json"

    admin = plake.admin()
    head = s3ops.head(admin, "raw", result.key)
    assert head is not None
    assert sidecar.metadata_size(head.metadata) <= sidecar.METADATA_LIMIT
    assert all(value.isascii() for value in head.metadata.values())
    # the headers alone still carry every required field, so a reader without the sidecar sees them
    from_headers = alice.schema.from_s3(head.metadata)
    assert all(from_headers.get(spec.name) not in (None, "") for spec in alice.schema.fields if spec.required)
    assert sidecar.pointer(head.metadata) == (result.sidecar_key,
                                              head.metadata[sidecar.POINTER_SHA_KEY.lower()])

    back = sidecar.read_metadata(admin, alice.schema, "raw", result.key)
    expected = {**values, "uploader": "alice", "sha256": result.sha256}
    assert back == expected

    document = json.loads(admin.get_object("raw", result.sidecar_key).read())
    assert document["metadata"]["description"] == values["description"]  # readable for curators too


def test_short_metadata_stays_in_headers(alice: Session, plake: PrivateLake, tmp_path: Path) -> None:
    source = make_file(tmp_path / "città.csv", 2000, seed=4)
    values = _values(source="Protezione Civile — Città di Perù", fields=["data", "città"])
    result = alice.upload(source, values)
    assert result.sidecar_key is None
    back = sidecar.read_metadata(plake.admin(), alice.schema, "raw", result.key)
    assert back == {**values, "uploader": "alice", "sha256": result.sha256}


def test_invalid_metadata_uploads_nothing(alice: Session, plake: PrivateLake, tmp_path: Path) -> None:
    source = make_file(tmp_path / "invalid.bin", 1000, seed=5)
    with pytest.raises(MetadataInvalid, match="Category"):
        alice.upload(source, _values(category=None))
    assert not list(plake.admin().list_objects("raw", prefix="Other/Test suite/alice/invalid"))


# -- no silent overwrite -------------------------------------------------------------------------


def test_the_same_file_twice_is_detected(alice: Session, plake: PrivateLake, tmp_path: Path) -> None:
    source = make_file(tmp_path / "twice.bin", 7 * MiB, seed=6)
    first = alice.upload(source, _values())
    with pytest.raises(AlreadyInLake, match="already in the lake.*same file") as refused:
        alice.upload(source, _values())
    assert refused.value.conflict.identical and refused.value.conflict.state is State.PENDING

    # the same content under another name, in the same folder of the lake
    copy = tmp_path / "twice-copy.bin"
    copy.write_bytes(source.read_bytes())
    with pytest.raises(AlreadyInLake, match="same content") as duplicate:
        alice.upload(copy, _values())
    assert duplicate.value.conflict.existing_key == first.key
    # found once the parts had gone by (that is when the SHA-256 is known): the upload was aborted, not completed
    copy_key = first.key.replace("twice.bin", "twice-copy.bin")
    assert s3ops.head(plake.admin(), "raw", copy_key) is None
    assert incomplete_uploads(plake.admin(), copy_key) == []

    # --rename keeps both: the name is free, the user chose to store a second copy
    kept = alice.upload(copy, _values(), conflict=ConflictPolicy.RENAME)
    assert kept.key.endswith("/twice-copy.bin")


def test_overwrite_and_rename_in_raw(alice: Session, plake: PrivateLake, tmp_path: Path) -> None:
    source = make_file(tmp_path / "report.bin", 3000, seed=7)
    first = alice.upload(source, _values())
    make_file(source, 4000, seed=8)  # a new version under the same name
    with pytest.raises(AlreadyInLake, match="different file.*--overwrite"):
        alice.upload(source, _values())
    renamed = alice.upload(source, _values(), conflict=ConflictPolicy.RENAME)
    assert renamed.key == first.key.replace("report.bin", "report (2).bin")
    make_file(source, 5000, seed=9)
    replaced = alice.upload(source, _values(), overwrite=True)
    assert replaced.key == first.key
    assert sha256_object(plake.admin(), "raw", first.key) == sha256_file(source)


def test_a_checked_file_is_never_overwritten(alice: Session, plake: PrivateLake, tmp_path: Path) -> None:
    """What the hook moved to validated or triage is read-only for uploaders: --overwrite is refused."""
    source = make_file(tmp_path / "checked.bin", 2000, seed=10)
    key = alice.object_key(source, _values())
    from minio.commonconfig import CopySource

    admin = plake.admin()
    admin.put_object("raw", "tmp/checked", __import__("io").BytesIO(b"older"), 5)
    admin.copy_object("validated", key, CopySource("raw", "tmp/checked"))
    with pytest.raises(AlreadyInLake, match="validated.*may not replace") as refused:
        alice.upload(source, _values(), overwrite=True)
    assert not refused.value.conflict.can_overwrite
    assert admin.get_object("validated", key).read() == b"older"


def test_late_writer_is_not_overwritten(alice: Session, plake: PrivateLake, tmp_path: Path) -> None:
    """Someone writes the key after our check: CompleteMultipartUpload with If-None-Match refuses ours."""
    source = make_file(tmp_path / "race.bin", 12 * MiB, seed=11)
    key = alice.object_key(source, _values())
    admin = plake.admin()
    engine = alice._engine()

    def intruder(update: TransferUpdate) -> None:
        if update.file.state is FileState.COMPLETING and not intruder.done:  # type: ignore[attr-defined]
            intruder.done = True  # type: ignore[attr-defined]
            admin.put_object("raw", key, __import__("io").BytesIO(b"theirs"), 6)

    intruder.done = False  # type: ignore[attr-defined]
    job = engine.submit(alice.upload_item(source, _values()), on_update=intruder)
    outcome = job.wait(120)
    assert outcome is not None and outcome.state is FileState.FAILED
    assert "appeared in the lake" in (outcome.error.message if outcome.error else "")
    assert admin.get_object("raw", key).read() == b"theirs"
    assert incomplete_uploads(admin, key) == []


# -- cancel, pause, interruption -----------------------------------------------------------------


def test_cancel_mid_upload_leaves_no_incomplete_upload(alice: Session, plake: PrivateLake, tmp_path: Path) -> None:
    alice.configure_transfers(CAPPED)
    source = make_file(tmp_path / "cancelled.bin", 60 * MiB, seed=12)
    key = alice.object_key(source, _values())
    job = alice._engine().submit(alice.upload_item(source, _values()))
    _wait_parts(alice, 2)
    admin = plake.admin()
    assert [k for k, _ in incomplete_uploads(admin, key)] == [key]  # it really was under way
    job.cancel()
    outcome = job.wait(120)
    assert outcome is not None and outcome.state is FileState.CANCELLED, outcome
    assert incomplete_uploads(admin, key) == []
    assert not list(admin.list_objects("raw", prefix=key))
    entry = alice._engine().journal.get(outcome.journal_id) if outcome.journal_id else \
        next(e for e in alice._engine().journal.entries() if e.key == key)
    assert entry.state is UploadState.CANCELLED


def test_pause_holds_new_requests_and_resume_finishes(alice: Session, plake: PrivateLake, tmp_path: Path) -> None:
    alice.configure_transfers(CAPPED)
    source = make_file(tmp_path / "paused.bin", 40 * MiB, seed=13)
    job = alice._engine().submit(alice.upload_item(source, _values()))
    _wait_parts(alice, 1)
    alice.pause_uploads()
    wait_for(lambda: job.state is FileState.PAUSED, 60, "the job to pause")
    alice.resume_paused_uploads()
    outcome = job.wait(120)
    assert outcome is not None and outcome.ok, outcome
    assert sha256_object(plake.admin(), "raw", outcome.key) == sha256_file(source)


def test_interrupted_upload_resumes_without_sending_twice(plake: PrivateLake, login: Session,
                                                           tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    source = make_file(tmp_path / "interrupted.bin", 45 * MiB, seed=14)
    first = _session(plake, login, journal, CAPPED)
    job = first._engine().submit(first.upload_item(source, _values()))
    _wait_parts(first, 3)
    first.stop_uploads()  # like Ctrl-C: parts in flight finish, the rest waits in the journal
    outcome = job.wait(60)
    assert outcome is not None and outcome.state is FileState.PAUSED

    # a "crash" between the server's answer and the journal's write: the server has a part the journal lacks
    with sqlite3.connect(journal) as db:
        entry_id, = db.execute("SELECT id FROM uploads").fetchone()
        forgotten, = db.execute("SELECT MAX(part_number) FROM parts WHERE upload = ?", (entry_id,)).fetchone()
        db.execute("DELETE FROM parts WHERE upload = ? AND part_number = ?", (entry_id, forgotten))
        db.execute("UPDATE sends SET outcome = NULL, finished_at = NULL WHERE upload = ? AND part_number = ?",
                   (entry_id, forgotten))  # confirm_part writes both in one transaction: both are lost

    second = _session(plake, login, journal)  # a new process, as after a crash
    assert [e.path for e in second.unfinished_uploads()] == [str(source)]
    resumed = second.resume_uploads()
    second.stop_uploads()
    assert [o.state for o in resumed] == [FileState.DONE], [o.error for o in resumed]
    assert resumed[0].resumed_bytes > 0 and resumed[0].sent_bytes == source.stat().st_size - resumed[0].resumed_bytes
    parts = second._engine().journal.parts(entry_id)
    assert parts[forgotten].how == "adopted"
    assert sorted(parts) == list(range(1, 10))
    for number, outcomes in _sends(journal, entry_id).items():
        assert outcomes.count("ok") == (0 if number == forgotten else 1), (number, outcomes)
    assert sha256_object(plake.admin(), "raw", resumed[0].key) == sha256_file(source)


def test_a_changed_source_restarts_instead_of_mixing(plake: PrivateLake, login: Session, tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    source = make_file(tmp_path / "changing.bin", 30 * MiB, seed=15)
    session, old = _interrupted(plake, login, journal, source)
    make_file(source, 30 * MiB, seed=16)  # same name, same size, other bytes

    session.configure_transfers(SMALL_PARTS, journal_path=journal)
    done = session.resume_uploads()
    session.stop_uploads()
    assert [o.state for o in done] == [FileState.DONE]
    assert session._engine().journal.get(old.id).state is UploadState.SUPERSEDED
    admin = plake.admin()
    assert sha256_object(admin, "raw", done[0].key) == sha256_file(source)
    assert old.upload_id not in {u for _, u in incomplete_uploads(admin, old.key)}


def test_a_changed_source_with_the_same_mtime_is_caught_by_its_part_checksums(
        plake: PrivateLake, login: Session, tmp_path: Path) -> None:
    """Size and mtime can lie (a copy tool that keeps times): the resumed run re-reads the confirmed parts for the
    SHA-256 and compares each with the checksum the server confirmed."""
    journal = tmp_path / "journal.sqlite3"
    source = make_file(tmp_path / "sly.bin", 30 * MiB, seed=18)
    session, old = _interrupted(plake, login, journal, source)
    before = source.stat()
    make_file(source, 30 * MiB, seed=19)
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert source.stat().st_mtime_ns == old.mtime_ns

    session.configure_transfers(SMALL_PARTS, journal_path=journal)
    done = session.resume_uploads()
    session.stop_uploads()
    assert [o.state for o in done] == [FileState.DONE], [o.error for o in done]
    assert session._engine().journal.get(old.id).state is UploadState.SUPERSEDED
    admin = plake.admin()
    assert sha256_object(admin, "raw", done[0].key) == sha256_file(source) == done[0].sha256
    assert incomplete_uploads(admin, old.key) == []


def test_a_crash_before_the_sha256_is_recorded_is_sealed_on_resume(plake: PrivateLake, login: Session,
                                                                   tmp_path: Path) -> None:
    """Completed but not sealed ("Sha256: pending"): the hook leaves the object alone and the next run seals it."""
    journal = tmp_path / "journal.sqlite3"
    source = make_file(tmp_path / "unsealed.bin", 12 * MiB, seed=20)
    session = _session(plake, login, journal)
    retried = threading.Event()

    def crash_after_complete(update: TransferUpdate) -> None:
        if update.file.state is FileState.VERIFYING and not retried.is_set():
            plake.s3.kill()  # runs on the job's thread: Complete has answered, the seal is next
        if update.file.state is FileState.RETRYING:
            retried.set()

    job = session._engine().submit(session.upload_item(source, _values()), on_update=crash_after_complete)
    try:
        wait_for(retried.is_set, 60, "the engine to retry after the server died")
        session.stop_uploads()
        outcome = job.wait(60)
    finally:
        plake.s3.restart()
    assert outcome is not None and outcome.state is FileState.PAUSED
    admin = plake.admin()
    key = outcome.key
    head = s3ops.head(admin, "raw", key)
    assert head is not None and head.metadata["sha256"] == s3ops.PENDING_SHA256

    hook = ValidationHook(admin, HookConfig(plake.s3.endpoint, plake.s3.admin_access_key,
                                            plake.s3.admin_secret_key), load_schema())
    assert hook.process(key) is None  # not sealed yet: left where it is
    assert s3ops.head(admin, "raw", key) is not None

    resumed = _session(plake, login, journal).resume_uploads()
    assert [o.state for o in resumed] == [FileState.DONE], [o.error for o in resumed]
    assert resumed[0].sent_bytes == 0  # nothing sent again
    sealed = s3ops.head(admin, "raw", key)
    assert sealed is not None and sealed.metadata["sha256"] == sha256_file(source) == resumed[0].sha256
    assert sealed.etag == head.etag  # the same object, new metadata
    verdict = hook.process(key)
    assert verdict is not None and verdict.valid, verdict


def test_the_hook_triages_an_upload_never_sealed(plake: PrivateLake, tmp_path: Path) -> None:
    admin = plake.admin()
    schema = load_schema()
    headers = schema.to_s3({**VALID, "uploader": "bob", "sha256": s3ops.PENDING_SHA256})
    admin.put_object("raw", "abandoned.bin", io.BytesIO(b"data"), 4, metadata=headers)  # type: ignore[arg-type]
    config = HookConfig(plake.s3.endpoint, plake.s3.admin_access_key, plake.s3.admin_secret_key)
    assert ValidationHook(admin, config, schema).process("abandoned.bin") is None
    verdict = ValidationHook(admin, replace(config, seal_grace=0.0), schema).process("abandoned.bin")
    assert verdict is not None and verdict.destination == "triage"
    assert "never finished" in verdict.problems[0]


def test_the_hook_removes_a_sidecar_whose_data_never_arrived(plake: PrivateLake) -> None:
    admin = plake.admin()
    schema = load_schema()
    config = HookConfig(plake.s3.endpoint, plake.s3.admin_access_key, plake.s3.admin_secret_key)
    body = b'{"planet_sidecar": 1}'
    for data in ("città-orphan.csv", "città-kept.csv"):
        admin.put_object("raw", sidecar.sidecar_key_for(data), io.BytesIO(body), len(body),  # type: ignore[arg-type]
                         metadata=sidecar.sidecar_headers(data, None))
    headers = schema.to_s3({**VALID, "uploader": "bob", "sha256": s3ops.PENDING_SHA256})
    admin.put_object("raw", "città-kept.csv", io.BytesIO(b"data"), 4, metadata=headers)  # type: ignore[arg-type]

    assert ValidationHook(admin, config, schema).process(sidecar.sidecar_key_for("città-orphan.csv")) is None
    assert where(admin, sidecar.sidecar_key_for("città-orphan.csv")) == "raw"  # within the grace: an upload may finish
    overdue = ValidationHook(admin, replace(config, seal_grace=0.0), schema)
    assert overdue.process(sidecar.sidecar_key_for("città-orphan.csv")) is None
    assert where(admin, sidecar.sidecar_key_for("città-orphan.csv")) is None
    assert overdue.process(sidecar.sidecar_key_for("città-kept.csv")) is None
    assert where(admin, sidecar.sidecar_key_for("città-kept.csv")) == "raw"  # its data is there: it moves with it


# -- faults ------------------------------------------------------------------------------------------


def test_server_stop_and_restart_mid_upload_completes_by_itself(alice: Session, plake: PrivateLake,
                                                                 tmp_path: Path) -> None:
    alice.configure_transfers(CAPPED)
    source = make_file(tmp_path / "outage.bin", 50 * MiB, seed=17)
    retried = threading.Event()

    def watch(update: TransferUpdate) -> None:
        if update.file.state is FileState.RETRYING:
            retried.set()

    job = alice._engine().submit(alice.upload_item(source, _values()), on_update=watch)
    _wait_parts(alice, 2)
    plake.s3.kill()
    try:
        wait_for(retried.is_set, 60, "the engine to notice the outage and retry")
        assert not job.finished
        with pytest.raises(StorageError) as down:  # the status poll says so in words, not as a crash
            alice.status(["Other/Test suite/alice/outage.bin"])
        assert down.value.title == "Storage server unreachable"
        assert "cannot be reached" in down.value.message
    finally:
        plake.s3.restart()
    outcome = job.wait(180)
    assert outcome is not None and outcome.ok, outcome
    assert sha256_object(plake.admin(), "raw", outcome.key) == sha256_file(source)


def test_permanent_refusal_fails_fast_with_a_human_message(alice: Session, tmp_path: Path) -> None:
    """The uploader's role may not write to validated: 403 is not retried, and says what happened."""
    source = make_file(tmp_path / "forbidden.bin", 1000, seed=18)
    buckets = replace(alice.profile.buckets, raw="validated")
    engine = TransferEngine(EngineSetup(lambda: alice.s3, buckets, alice.schema, alice._engine().journal,
                                        scope="forbidden",
                                        settings=replace(SMALL_PARTS, retry=RetryPolicy(max_elapsed=600))))
    try:
        item = alice.upload_item(source, _values())
        outcome = engine.run([item])[0]
    finally:
        engine.close()
    assert outcome.state is FileState.FAILED
    assert outcome.error is not None and isinstance(outcome.error, StorageError)
    assert "does not allow you" in outcome.error.message and "403 AccessDenied" in outcome.error.message


# -- many files ----------------------------------------------------------------------------------


class _CountingMinio(Minio):
    """Counts requests carrying data at once (the engine's global limit), nothing else changed."""

    def __init__(self, base: Minio) -> None:
        self.__dict__.update(base.__dict__)
        self.in_flight = 0
        self.peak = 0
        self._count_lock = threading.Lock()

    def _execute(self, method, bucket_name=None, object_name=None, body=None, **kwargs):  # type: ignore[no-untyped-def]
        carrying = method == "PUT" and body
        if carrying:
            with self._count_lock:
                self.in_flight += 1
                self.peak = max(self.peak, self.in_flight)
        try:
            return super()._execute(method, bucket_name, object_name, body=body, **kwargs)
        finally:
            if carrying:
                with self._count_lock:
                    self.in_flight -= 1


def test_parallel_files_share_one_limit_and_a_memory_budget(alice: Session, plake: PrivateLake,
                                                            tmp_path: Path) -> None:
    files = [make_file(tmp_path / f"many-{i}.bin", (i % 3 + 1) * MiB + i, seed=100 + i) for i in range(12)]
    files.append(make_file(tmp_path / "many-big.bin", 26 * MiB, seed=99))
    counting = _CountingMinio(alice.s3)
    settings = replace(SMALL_PARTS, concurrency=2, file_concurrency=4)
    engine = TransferEngine(EngineSetup(lambda: counting, alice.profile.buckets, alice.schema,
                                        alice._engine().journal, scope=alice.transfer_scope, settings=settings))
    try:
        outcomes = engine.run([alice.upload_item(f, _values()) for f in files])
    finally:
        engine.close()
    assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok]
    assert counting.peak <= 2
    assert engine.budget.peak <= settings.budget
    admin = plake.admin()
    for path, outcome in zip(files, outcomes, strict=True):
        assert sha256_object(admin, "raw", outcome.key) == sha256_file(path)


def test_an_interrupted_upload_whose_file_is_gone_is_cancelled(plake: PrivateLake, login: Session,
                                                               tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    source = make_file(tmp_path / "vanishing.bin", 30 * MiB, seed=19)
    session, interrupted = _interrupted(plake, login, journal, source)
    key = interrupted.key
    source.unlink()
    outcomes = session.resume_uploads()
    session.stop_uploads()
    assert [o.state for o in outcomes] == [FileState.FAILED]
    assert outcomes[0].error is not None and "is gone" in outcomes[0].error.message
    assert session.unfinished_uploads() == []
    assert incomplete_uploads(plake.admin(), key) == []
