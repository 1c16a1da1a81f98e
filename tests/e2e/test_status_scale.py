"""Status at scale against a real SeaweedFS: verdicts found by listing (HEADs only where a listing cannot tell),
the same answers as asking object by object, final verdicts cached in the SQLite history, and the old JSON history
migrated on first use. Timings are in tests/bench/bench_status.py; here, what could be wrong."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest

from planet_gui.core import lake, metadata_codec
from planet_gui.core.history import FIX, UploadHistory, UploadRecord
from planet_gui.core.profile import Buckets
from planet_gui.core.status import State, locate
from planet_gui.core.verdicts import VerdictFinder
from tests.support.uploads import PrivateLake

pytestmark = pytest.mark.e2e
BUCKETS = Buckets(raw="raw", validated="validated", triage="triage")


def _put(client, bucket: str, key: str, body: bytes, **extra: str) -> UploadRecord:  # noqa: ANN001
    sha = hashlib.sha256(body).hexdigest()
    meta = {lake.SHA256_KEY: sha, lake.UPLOADER_KEY: "alice", **extra}
    result = client.put_object(bucket, key, io.BytesIO(body), len(body), metadata=meta)
    return UploadRecord(key=key, filename=key.rsplit("/", 1)[1], sha256=sha, size=len(body),
                        uploaded_at="2026-12-02T05:00:00+00:00", profile="t", etag=result.etag.strip('"'))


def _triage_meta(reason: str) -> dict[str, str]:
    return {lake.VERDICT_KEY: lake.VERDICT_TRIAGE, lake.TRIAGE_REASON_KEY: metadata_codec.encode(reason),
            lake.CHECKED_AT_KEY: "2026-12-02T05:01:00+00:00"}


def test_listing_gives_the_answers_of_asking_one_by_one_and_caches_final_ones(plake: PrivateLake,
                                                                              tmp_path: Path) -> None:
    client = plake.admin()
    history = UploadHistory(tmp_path / "uploads-t.sqlite3")
    records = []
    for n in range(12):  # one folder big enough to be listed, with every kind of verdict
        key = f"Cat/big/alice/f{n:02d}.csv"
        body = f"row,{n}\n".encode()
        if n < 4:
            records.append(_put(client, "raw", key, body))
        elif n < 8:
            records.append(_put(client, "triage", key, body, **_triage_meta(f"Licence (licence) is required {n}")))
        else:
            records.append(_put(client, "validated", key, body))
    # another file validated under a key whose upload (this one) went to triage: not this upload's verdict
    _put(client, "validated", "Cat/big/alice/f05.csv", b"somebody else's file\n")
    # a folder of one: asked by HEAD; an upload that is nowhere any more
    records.append(_put(client, "validated", "Cat/small/alice/only.csv", b"only\n"))
    gone = _put(client, "raw", "Cat/big/alice/gone.csv", b"gone\n")
    client.remove_object("raw", gone.key)
    records.append(gone)
    for record in records:
        history.add(record)

    stored = history.records()
    finder = VerdictFinder(client, BUCKETS, history)
    found = finder.find(stored)
    expected = [locate(client, BUCKETS, r.key, r.sha256) for r in stored]
    assert [(s.key, s.state, s.reasons) for s in found] == [(e.key, e.state, e.reasons) for e in expected]
    assert [s.state for s in found].count(State.TRIAGE) == 4
    assert found[5].reasons == ("Licence (licence) is required 5",)
    cold = finder.requests
    assert cold < 3 * len(stored)  # the old way: up to three HEADs each

    # final verdicts are remembered: validated ones are answered without asking, even once gone from the lake
    client.remove_object("validated", "Cat/small/alice/only.csv")
    again = finder.find(history.records())
    assert [s.state for s in again] == [s.state for s in found]
    assert finder.requests < cold
    assert history.latest("Cat/small/alice/only.csv").state == "validated"  # type: ignore[union-attr]
    triaged = history.latest("Cat/big/alice/f05.csv")
    assert triaged is not None and triaged.state == "triage" and triaged.reasons == (
        "Licence (licence) is required 5",)
    # refresh asks again: the gone validated object is now missing
    refreshed = finder.find(history.records(), refresh=True)
    assert refreshed[12].state is State.MISSING


def test_a_poll_of_pending_uploads_lists_raw_only(plake: PrivateLake, tmp_path: Path) -> None:
    client = plake.admin()
    history = UploadHistory(tmp_path / "uploads-poll.sqlite3")
    for n in range(50):
        history.add(_put(client, "raw", f"Cat/poll/alice/p{n:02d}.csv", f"p,{n}\n".encode()))
    finder = VerdictFinder(client, BUCKETS, history)
    found = finder.find(history.records())
    assert {s.state for s in found} == {State.PENDING}
    assert finder.requests == 1  # one listing of the folder in raw: no HEAD, no destination listed
    # the hook moves one: the next poll sees it in validated
    moved = "Cat/poll/alice/p07.csv"
    from minio.commonconfig import CopySource

    client.copy_object("validated", moved, CopySource("raw", moved))
    client.remove_object("raw", moved)
    found = finder.find(history.records())
    assert found[7].state is State.VALIDATED and found[7].bucket == "validated"
    assert sum(s.state is State.PENDING for s in found) == 49


def test_the_history_records_in_sqlite_migrates_json_and_keeps_each_fix(tmp_path: Path) -> None:
    legacy = tmp_path / "uploads-lake.json"
    old = [{"key": f"a/b/alice/{n}.csv", "filename": f"{n}.csv", "sha256": f"{n:064x}", "size": n,
            "uploaded_at": "2026-11-30T10:00:00+00:00", "profile": "lake"} for n in range(3)]
    legacy.write_text(json.dumps(old), encoding="utf-8")
    history = UploadHistory(legacy)  # as earlier versions were given: the JSON path
    assert history.path == tmp_path / "uploads-lake.sqlite3"
    assert [r.key for r in history.records()] == [o["key"] for o in old]
    assert not legacy.exists() and (tmp_path / "uploads-lake.json.migrated").exists()
    assert oct(history.path.stat().st_mode & 0o777) == "0o600"

    same = UploadRecord("a/b/alice/1.csv", "1.csv", f"{1:064x}", 1, "2026-12-01T00:00:00+00:00", "lake")
    history.add(same)  # the same content again under the same key: one record
    assert history.count() == 3 and history.latest("a/b/alice/1.csv").uploaded_at.startswith("2026-12-01")  # type: ignore[union-attr]
    fix = history.add(UploadRecord("a/b/alice/1.csv", "1.csv", f"{1:064x}", 1, "2026-12-02T00:00:00+00:00", "lake",
                                   kind=FIX, note="licence=CC BY 4.0"))
    assert history.count() == 4 and [a.kind for a in history.attempts("a/b/alice/1.csv")] == ["upload", "fix"]
    history.set_verdict(fix.id, state="validated", bucket="validated", reasons=(), etag="e",
                        checked_at="2026-12-02T00:01:00+00:00")
    history.close()
    reopened = UploadHistory(tmp_path / "uploads-lake.sqlite3")
    assert reopened.latest("a/b/alice/1.csv").state == "validated"  # type: ignore[union-attr]
    assert reopened.count() == 4  # the migrated file is not read twice


def test_the_uploader_role_may_list_what_status_lists(plake: PrivateLake, login, tmp_path: Path) -> None:  # noqa: ANN001
    """With alice's STS credentials (the lake's policy, not the admin's keys): her folder listed in raw, triage
    and validated, the verdicts right, and only listings sent."""
    from minio.commonconfig import CopySource

    from tests.support.login import memory_session
    from tests.support.uploads import VALID

    session = memory_session(plake.profile_path, tmp_path / "journal.sqlite3", login_of=login)
    session.history = UploadHistory(tmp_path / "uploads-sts.sqlite3")
    values = {**VALID, "source": f"Listing {tmp_path.name}"}
    keys = []
    for n in range(4):
        path = tmp_path / f"reading-{n}.csv"
        path.write_bytes(f"day,value\n2026-01-0{n + 1},{n}\n".encode())
        keys.append(session.upload(path, values).key)
    admin = plake.admin()
    for key, bucket in ((keys[0], "validated"), (keys[1], "triage")):  # what the hook would have done
        meta = {k: v for k, v in admin.stat_object("raw", key).metadata.items() if k.lower().startswith("x-amz-meta")}
        if bucket == "triage":
            meta["X-Amz-Meta-Triage_reason"] = "Licence (licence) is required"
        admin.copy_object(bucket, key, CopySource("raw", key), metadata=meta, metadata_directive="REPLACE")
        admin.remove_object("raw", key)
    found = session.status()
    assert [s.state for s in found] == [State.VALIDATED, State.TRIAGE, State.PENDING, State.PENDING]
    assert found[1].reasons == ("Licence (licence) is required",)
    session.stop_uploads()
