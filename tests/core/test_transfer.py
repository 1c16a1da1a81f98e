"""The upload engine's parts that need no server: part sizes, retry decisions, the journal, metadata limits,
templates, keys, progress arithmetic."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
import urllib3.exceptions
from minio.error import S3Error, ServerError

from planet_gui.core.errors import CredentialsError, MetadataInvalid, StorageError
from planet_gui.core.keys import KEY_RESERVE, MAX_KEY_BYTES, build_key
from planet_gui.core.schema import load_schema
from planet_gui.core.transfer import retry, s3ops, sidecar, sizing
from planet_gui.core.transfer.buffers import Budget
from planet_gui.core.transfer.journal import Claim, ConfirmedPart, Journal, UploadState
from planet_gui.core.transfer.progress import RateMeter, eta, human_bytes
from planet_gui.core.transfer.templates import TemplateError, load_template, save_template

MiB = sizing.MiB
GiB = sizing.GiB
SCHEMA = load_schema()
VALID = {"category": "Other", "source": "Test", "area": "Italia", "frequency": "none", "format": "other",
         "personal_data": False, "uploader": "alice", "sha256": "a" * 64}


# -- part sizes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "part_size", "parts"), [
    (0, 1, 1),
    (1000, 1000, 1),
    (8 * MiB, 8 * MiB, 1),
    (8 * MiB + 1, 8 * MiB, 2),
    (GiB, 8 * MiB, 128),
    (2 * GiB, 8 * MiB, 256),
])
def test_part_plan(size: int, part_size: int, parts: int) -> None:
    plan = sizing.plan_parts(size)
    assert (plan.part_size, plan.part_count) == (part_size, parts)
    assert sum(plan.bounds(n)[1] for n in range(1, plan.part_count + 1)) == size


def test_parts_grow_only_past_ten_thousand() -> None:
    for size in (200 * GiB, 1024 * GiB, 5 * 1024 * GiB):
        plan = sizing.plan_parts(size)
        assert plan.part_count <= sizing.MAX_PARTS
        assert sizing.MIN_PART_SIZE <= plan.part_size <= sizing.MAX_PART_SIZE
        assert plan.part_size % MiB == 0
    assert sizing.choose_part_size(10 * GiB, preferred=1 * MiB) == sizing.MIN_PART_SIZE
    assert sizing.choose_part_size(10 * GiB, preferred=50 * GiB) == sizing.MAX_PART_SIZE
    with pytest.raises(sizing.TooLarge):
        sizing.plan_parts(5 * 1024 * GiB + 1)


# -- retries -------------------------------------------------------------------------------------


class _Response:
    def __init__(self, status: int) -> None:
        self.status = status
        self.headers: dict[str, str] = {}


def _s3_error(code: str, status: int) -> S3Error:
    return S3Error(_Response(status), code, "message", "/raw/key", "id", "host")  # type: ignore[arg-type]


@pytest.mark.parametrize(("error", "transient"), [
    (_s3_error("SlowDown", 503), True),
    (_s3_error("InternalError", 500), True),
    (_s3_error("RequestTimeout", 400), True),
    (_s3_error("Whatever", 502), True),
    (ServerError("server failed with HTTP status code 429", 429), True),
    (urllib3.exceptions.ProtocolError("Connection aborted."), True),
    (urllib3.exceptions.ReadTimeoutError(None, "/", "read timed out"), True),  # type: ignore[arg-type]
    (ConnectionResetError(104, "reset"), True),
    (_s3_error("AccessDenied", 403), False),
    (_s3_error("InvalidArgument", 400), False),
    (_s3_error("NoSuchBucket", 404), False),
    (FileNotFoundError(2, "gone", "file"), False),
    (ValueError("bug"), False),
])
def test_transient_or_permanent(error: BaseException, transient: bool) -> None:
    assert retry.is_transient(error) is transient


def test_an_unreachable_sts_is_transient_a_refusal_is_not() -> None:
    import httpx

    unreachable = CredentialsError("Cannot reach the storage server's STS")
    unreachable.__cause__ = httpx.ConnectError("refused")
    assert retry.is_transient(unreachable)
    assert not retry.is_transient(CredentialsError("The storage server refused your login token"))


def test_human_messages() -> None:
    message = retry.human_message(_s3_error("AccessDenied", 403), "upload data.csv", "raw")
    assert message == "Could not upload data.csv: the storage server does not allow you to do this in bucket raw " \
                      "(403 AccessDenied)."
    assert "cannot be reached" in retry.human_message(urllib3.exceptions.NewConnectionError(
        None, "refused"), "upload data.csv")  # type: ignore[arg-type]


class _Gate:
    def __init__(self) -> None:
        self.waits: list[float] = []

    def wait(self, seconds: float) -> None:
        self.waits.append(seconds)


def test_backoff_with_jitter_until_success() -> None:
    failures = [_s3_error("SlowDown", 503), urllib3.exceptions.ProtocolError("dropped"), _s3_error("x", 500)]
    gate = _Gate()
    retried: list[int] = []

    def flaky() -> str:
        if failures:
            raise failures.pop(0)
        return "ok"

    policy = retry.RetryPolicy(base=1.0, cap=3.0, max_elapsed=0)
    result = retry.call(flaky, policy=policy, gate=gate, action="test", on_retry=lambda e, n, d: retried.append(n))
    assert result == "ok" and retried == [1, 2, 3]
    assert [0 <= w <= c for w, c in zip(gate.waits, (1.0, 2.0, 3.0), strict=True)] == [True, True, True]


def test_permanent_errors_are_not_retried_and_budgets_end() -> None:
    gate = _Gate()
    with pytest.raises(S3Error):
        retry.call(lambda: (_ for _ in ()).throw(_s3_error("AccessDenied", 403)), policy=retry.RetryPolicy(),
                   gate=gate, action="test")
    assert gate.waits == []
    with pytest.raises(retry.RetriesExhausted, match="Gave up after 4 attempts"):
        retry.call(lambda: (_ for _ in ()).throw(ConnectionRefusedError(111, "refused")),
                   policy=retry.RetryPolicy(base=0.0, max_elapsed=0, max_attempts=4), gate=gate, action="test")
    assert issubclass(retry.RetriesExhausted, StorageError)


def test_jitter_stays_under_the_cap() -> None:
    import random

    policy = retry.RetryPolicy(base=0.5, cap=30.0)
    rng = random.Random(1)
    delays = [policy.delay(n, rng) for n in range(40)]
    assert all(0 <= d <= 30.0 for d in delays)
    assert max(delays[:3]) <= 2.0 and len(set(delays)) == len(delays)


# -- journal -------------------------------------------------------------------------------------


def _begin(journal: Journal, key: str = "a/b/c.csv", path: Path = Path("/data/c.csv")) -> int:
    return journal.begin(scope="lake", bucket="raw", key=key, path=path, size=100, mtime_ns=5, sha256="f" * 64,
                         part_size=5 * MiB, part_count=3, values=dict(VALID, description="città"), overwrite=False,
                         sidecar_key=None).id


def test_journal_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    journal = Journal(path)
    entry_id = _begin(journal)
    journal.set_upload_id(entry_id, "upload-1")
    send = journal.send_started(entry_id, 1)
    journal.confirm_part(entry_id, ConfirmedPart(1, 10, "c2hh", "etag-1", "sent"), send)
    failed = journal.send_started(entry_id, 2)
    journal.send_failed(failed, "ConnectionResetError")
    journal.send_started(entry_id, 2)  # killed mid-send: no outcome
    journal.close()

    again = Journal(path)
    [entry] = again.unfinished("lake")
    assert entry.id == entry_id and entry.upload_id == "upload-1" and entry.values["description"] == "città"
    assert again.parts(entry_id)[1].etag == "etag-1"
    assert again.sends(entry_id) == [(1, "ok"), (2, "ConnectionResetError"), (2, None)]
    again.set_state(entry_id, UploadState.DONE)
    assert again.unfinished() == []
    assert again.done_with_sha("lake", "f" * 64)[0].completed_at is not None
    assert again.done_for_identity("lake", Path("/data/c.csv"), 100, 5) is not None
    assert path.stat().st_mode & 0o077 == 0


def test_part_records_of_a_killed_process_are_kept(tmp_path: Path) -> None:
    """Part and send records skip the fsync (it stalled the senders), yet a kill -9 right after loses none."""
    journal = Journal(tmp_path / "journal.sqlite3")
    entry_id = _begin(journal)
    writer = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from planet_gui.core.transfer.journal import ConfirmedPart, Journal
        journal = Journal(Path({str(journal.path)!r}))
        for number in (1, 2, 3):
            send = journal.send_started({entry_id}, number)
            if number < 3:
                journal.confirm_part({entry_id}, ConfirmedPart(number, 10, "c2hh", f"etag-{{number}}", "sent"), send)
        durability = journal._db.execute("PRAGMA synchronous").fetchone()[0]
        print(durability, flush=True)
        sys.stdin.read()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "2"  # back to FULL for the writes only the journal remembers
    finally:
        writer.kill()
        writer.wait()
    again = Journal(journal.path)
    assert [part.etag for part in again.parts(entry_id).values()] == ["etag-1", "etag-2"]
    assert again.sends(entry_id) == [(1, "ok"), (2, "ok"), (3, None)]


def test_prune_keeps_what_was_uploaded_and_what_is_unfinished(tmp_path: Path) -> None:
    import sqlite3

    journal = Journal(tmp_path / "journal.sqlite3")
    done, cancelled, unfinished, recent = (_begin(journal, key=f"k{i}", path=Path(f"/d/{i}")) for i in range(4))
    for entry_id in (done, cancelled, unfinished, recent):
        journal.confirm_part(entry_id, ConfirmedPart(1, 10, "c2hh", "e", "sent"), journal.send_started(entry_id, 1))
    journal.set_state(done, UploadState.DONE)
    journal.set_state(cancelled, UploadState.CANCELLED)
    journal.set_state(recent, UploadState.DONE)
    with sqlite3.connect(journal.path) as db:  # a hundred days ago
        db.execute("UPDATE uploads SET updated_at = updated_at - 100 * 86400 WHERE id IN (?, ?, ?)",
                   (done, cancelled, unfinished))

    assert journal.prune() == 2 + 2 + 1  # the parts and sends of done and cancelled, then the cancelled upload
    assert [e.id for e in journal.entries()] == [done, unfinished, recent]
    assert journal.parts(done) == {} and journal.done_with_sha("lake", "f" * 64)  # still known as uploaded
    assert journal.parts(unfinished) and journal.parts(recent)
    assert journal.sends(unfinished) == [(1, "ok")]


def test_a_claim_excludes_other_processes_until_they_die(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    entry_id = _begin(journal)
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from planet_gui.core.transfer.journal import Claim, Journal
        claim = Claim(Journal(Path({str(journal.path)!r})), {entry_id})
        assert claim.acquire()
        print("held", flush=True)
        sys.stdin.read()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert not Claim(journal, entry_id).acquire()
    finally:
        holder.kill()
        holder.wait()
    claim = Claim(journal, entry_id)
    assert claim.acquire()  # the holder died (as kill -9 would): its claim went with it
    assert not Claim(journal, entry_id).acquire()  # and one claim per entry within a process, too
    claim.release()


# -- metadata limits -----------------------------------------------------------------------------


def test_small_metadata_stays_in_headers() -> None:
    plan = sidecar.plan_metadata(SCHEMA, VALID, "Other/Test/alice/a.csv")
    assert not plan.has_sidecar and plan.headers == SCHEMA.to_s3(VALID)


def test_long_metadata_goes_to_a_sidecar_keeping_required_keys() -> None:
    values = dict(VALID, fields=[f"colonna_{i}_è" for i in range(400)], description="Qualità " * 100)
    plan = sidecar.plan_metadata(SCHEMA, values, "Other/Test/alice/a.csv")
    assert plan.has_sidecar and plan.sidecar_key == "Other/Test/alice/a.csv.planet-meta.json"
    assert sidecar.metadata_size(plan.headers) <= sidecar.METADATA_LIMIT
    assert all(v.isascii() for v in plan.headers.values())
    # required and system fields that have a value stay in the headers (optional system fields such as the
    # personal-data confirmation are absent here)
    required = {s.s3_key for s in SCHEMA.fields if (s.required or s.system) and values.get(s.name) is not None}
    assert required <= set(plan.headers)
    assert "Result_fields" not in plan.headers and "Description" not in plan.headers
    assert plan.sidecar_body is not None
    document = json.loads(plan.sidecar_body)
    assert SCHEMA.from_s3(document["s3"]) == values
    assert document["metadata"]["fields"][0] == "colonna_0_è"
    assert sidecar.pointer(plan.headers) == (plan.sidecar_key, plan.headers[sidecar.POINTER_SHA_KEY])


def test_required_metadata_over_the_limit_is_refused() -> None:
    values = dict(VALID, source="Ä" * 200, area="Ö" * 300)
    with pytest.raises(MetadataInvalid, match="2048|bytes"):
        sidecar.plan_metadata(SCHEMA, values, "k", limit=1200)


def test_composite_checksum_is_s3s() -> None:
    import base64
    import hashlib

    parts = [b"a" * 10, b"b" * 7]
    digests = [s3ops.b64_sha256(p) for p in parts]
    joined = b"".join(hashlib.sha256(p).digest() for p in parts)
    assert s3ops.Checksum.SHA256.composite(digests) == \
        base64.b64encode(hashlib.sha256(joined).digest()).decode() + "-2"
    # CRC32C (Castagnoli) of the standard check string, big-endian as S3 sends it
    assert base64.b64decode(s3ops.Checksum.CRC32C.b64(b"123456789")) == bytes.fromhex("e3069283")


def test_journal_of_version_1_is_migrated_and_resumable(tmp_path: Path) -> None:
    """A journal written before CRC32C part checksums keeps its unfinished upload, with SHA-256 parts."""
    import sqlite3

    path = tmp_path / "v1.sqlite3"
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE uploads (id INTEGER PRIMARY KEY, scope TEXT NOT NULL, bucket TEXT NOT NULL, key TEXT NOT NULL,
            path TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL,
            part_size INTEGER NOT NULL, part_count INTEGER NOT NULL, upload_id TEXT, values_json TEXT NOT NULL,
            overwrite INTEGER NOT NULL DEFAULT 0, sidecar_key TEXT, state TEXT NOT NULL,
            message TEXT NOT NULL DEFAULT '', created_at REAL NOT NULL, updated_at REAL NOT NULL, completed_at REAL);
        CREATE TABLE parts (upload INTEGER NOT NULL, part_number INTEGER NOT NULL, size INTEGER NOT NULL,
            sha256 TEXT NOT NULL, etag TEXT NOT NULL, how TEXT NOT NULL, confirmed_at REAL NOT NULL,
            PRIMARY KEY (upload, part_number));
        INSERT INTO uploads VALUES (1, 'lake', 'raw', 'k', '/f', 100, 5, 'ab', 16, 7, 'u1', '{}', 0, NULL,
            'active', '', 1.0, 1.0, NULL);
        INSERT INTO parts VALUES (1, 1, 16, 'c2hh', 'e1', 'sent', 1.0);
        PRAGMA user_version=1;
    """)
    db.commit()
    db.close()
    journal = Journal(path)
    [entry] = journal.unfinished("lake")
    assert entry.part_checksum == "SHA256" and entry.upload_id == "u1"
    assert journal.parts(entry.id)[1].checksum == "c2hh"
    journal.close()


# -- templates, keys, progress -------------------------------------------------------------------


def test_templates_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    values = {"category": "Atmosphere", "source": "ARPA \"Lombardia\"", "regions": ["Lombardia", "Piemonte"],
              "record_count": 365, "personal_data": False, "sha256": "ignored", "description": "Qualità\nDue"}
    path = save_template("arpa daily", values, SCHEMA)
    assert path.parent == tmp_path / "planet-uploader" / "templates"
    loaded = load_template("arpa daily", SCHEMA)
    assert loaded == {k: v for k, v in values.items() if k != "sha256"}
    assert load_template(str(path), SCHEMA) == loaded
    path.write_text('colour = "blue"\n', encoding="utf-8")
    with pytest.raises(TemplateError, match="not a metadata field"):
        load_template("arpa daily", SCHEMA)
    with pytest.raises(TemplateError, match="No template"):
        load_template("missing", SCHEMA)


def test_keys_stay_within_s3_limits() -> None:
    key = build_key("{category}/{source}/{user}/{filename}", {"category": "C", "source": "s" * 2000},
                    user="u", filename="n" * 3000 + ".csv")
    assert len(key.encode()) <= MAX_KEY_BYTES - KEY_RESERVE
    assert key.startswith("C/") and key.endswith(".csv") and key.count("/") == 3
    invisible = build_key("{source}/{filename}", {"source": "a\u202eb\u200bc"}, user="u", filename="x\u2028y.csv")
    assert invisible == "a_b_c/x_y.csv"
    accented = build_key("{source}/{filename}", {"source": "Città"}, user="u", filename="e\u0301" * 300 + ".csv")
    assert accented.split("/")[1].endswith(".csv") and len(accented.split("/")[1].encode()) <= 255


def test_rate_and_eta() -> None:
    now = [0.0]
    meter = RateMeter(window=5.0, clock=lambda: now[0])
    for _ in range(10):
        now[0] += 1.0
        meter.add(10 * MiB)
    assert meter.rate() == pytest.approx(10 * MiB, rel=0.01)
    assert eta(100 * MiB, meter.rate()) == pytest.approx(10.0, rel=0.01)
    assert eta(0, 0.0) == 0.0 and eta(5, 0.0) is None
    assert human_bytes(1536) == "1.5 KiB" and human_bytes(3 * GiB) == "3.0 GiB"


def test_rate_counts_from_when_sending_started() -> None:
    """A 5 MiB part confirmed 5 s after sending began is 1 MiB/s, not 5 MiB per millisecond; after an idle
    spell the rate starts over instead of averaging the pause in."""
    now = [100.0]
    meter = RateMeter(window=5.0, clock=lambda: now[0])
    meter.mark()
    now[0] += 5.0
    meter.add(5 * MiB)
    assert meter.rate() == pytest.approx(1 * MiB, rel=0.01)
    now[0] += 60.0
    meter.mark()
    now[0] += 2.0
    meter.add(4 * MiB)
    assert meter.rate() == pytest.approx(2 * MiB, rel=0.01)


def test_buffer_pool_reuses_buffers_and_keeps_at_most_its_limit() -> None:
    from planet_gui.core.transfer.buffers import BufferPool

    pool = BufferPool(keep=2 * MiB)
    first = pool.take(MiB)
    pool.give(first)
    assert pool.take(MiB) is first  # the same memory again, not a new allocation
    buffers = [first, pool.take(MiB), pool.take(MiB)]
    for buffer in buffers:
        pool.give(buffer)
    assert pool.kept == 2 * MiB  # the third was let go
    assert pool.take(3 * MiB) is not first and pool.kept == 2 * MiB  # another size is a new buffer


def test_a_leased_buffer_goes_back_only_when_sender_and_hasher_are_both_done() -> None:
    from planet_gui.core.transfer.buffers import BufferPool, Lease

    pool = BufferPool(keep=4 * MiB)
    budget = Budget(4 * MiB)
    budget.acquire(MiB, lambda: None)
    buffer = pool.take(MiB)

    def give_back(returned: bytearray, charged: int) -> None:
        pool.give(returned)
        budget.release(charged)

    lease = Lease(buffer, MiB, give_back)
    lease.done()  # the sender finished first: the hasher still reads the bytes
    assert pool.kept == 0 and budget.used == MiB
    assert pool.take(MiB) is not buffer  # another reader cannot get (and overwrite) it yet
    lease.done()
    assert budget.used == 0 and pool.take(MiB) is buffer


def test_budget_bounds_what_is_held() -> None:
    budget = Budget(10)
    budget.acquire(6, lambda: None)
    got = threading.Event()

    def second() -> None:
        budget.acquire(6, lambda: None)
        got.set()

    thread = threading.Thread(target=second)
    thread.start()
    assert not got.wait(0.3)  # must wait: 6 + 6 > 10
    budget.release(6)
    thread.join(5)
    assert got.is_set() and budget.peak == 6
    budget.release(6)
    budget.acquire(50, lambda: None)  # larger than the budget: allowed when nothing else is held
    assert budget.used == 50


# -- one vocabulary for a file's row (planet_gui.core.tracking) ------------------------------------


def test_every_engine_state_has_a_row_state() -> None:
    from planet_gui.core.tracking import RowState, from_engine
    from planet_gui.core.transfer.progress import FileState

    rows = {state: from_engine(state) for state in FileState}
    assert {s for s, row in rows.items() if row is not RowState.UPLOADING} == \
        {s for s in FileState if s.finished}  # everything before the end is "uploading" to a person
    assert rows[FileState.DONE] is RowState.PENDING  # uploaded: waits for the hook's verdict
    assert rows[FileState.CANCELLED] is RowState.FAILED and rows[FileState.SKIPPED] is RowState.SKIPPED


def test_lake_and_watcher_words_map_to_the_same_rows() -> None:
    from planet_gui.core.status import ObjectStatus, State
    from planet_gui.core.tracking import RowState, from_lake, from_problems, from_watcher, row_for_status
    from planet_gui.core.transfer.watch import WatchEventKind

    assert from_lake(State.MISSING) is None  # nowhere: the row keeps what it knew
    assert [from_lake(s) for s in (State.PENDING, State.VALIDATED, State.TRIAGE)] == \
        [RowState.PENDING, RowState.VALIDATED, RowState.TRIAGE]
    assert {from_watcher(k) for k in WatchEventKind} <= set(RowState)
    assert from_watcher(WatchEventKind.UPLOADED) is from_lake(State.PENDING)
    assert from_watcher(WatchEventKind.RESUMING) is RowState.UPLOADING
    assert from_problems([]) is RowState.READY and from_problems(["x"]) is RowState.INVALID
    triage = row_for_status(Path("a.csv"), ObjectStatus("k", State.TRIAGE, "triage", reasons=("bad", "worse")))
    assert triage is not None and triage.state is RowState.TRIAGE and triage.message == "bad; worse"
    # the strings the window's table already uses, so its rows can take these states as they are
    assert [s.value for s in RowState] == ["inspecting", "ready", "invalid", "waiting", "uploading", "pending",
                                           "validated", "triage", "failed", "skipped"]


def test_one_table_of_s3_error_messages() -> None:
    from planet_gui.core import s3errors
    from planet_gui.core.storage import storage_error

    refused = storage_error(_s3_error("AccessDenied", 403), "raw", "check the status of k")
    assert refused.message == retry.human_message(_s3_error("AccessDenied", 403), "check the status of k", "raw")
    assert "does not allow you to do this in bucket raw" in refused.message
    assert retry.human_message is s3errors.human_message and retry.status_of is s3errors.status_of
