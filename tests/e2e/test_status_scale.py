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


def _hook(plake: PrivateLake):  # noqa: ANN202
    """The real validation hook, in this process, on the private lake (admin keys, the PLANET schema)."""
    from planet_gui.core.schema import load_schema
    from planet_gui.hook.config import from_mapping
    from planet_gui.hook.service import ValidationHook

    config = from_mapping({"ENDPOINT": f"http://{plake.s3.endpoint}", "ACCESSKEYID": plake.s3.admin_access_key,
                           "SECRETACCESSKEY": plake.s3.admin_secret_key})
    return ValidationHook(plake.admin(), config, load_schema(None))


def test_triage_reasons_come_from_the_hooks_index_not_one_head_each(plake: PrivateLake, tmp_path: Path) -> None:
    """SeaweedFS lists no user metadata: the hook's triage index of the folder gives every triaged upload's reasons
    with one GET, trusted only for the very version listed; anything else is asked of the object, as before."""
    from planet_gui.core import triage_index

    client = plake.admin()
    hook = _hook(plake)
    history = UploadHistory(tmp_path / "uploads-index.sqlite3")
    records = [_put(client, "raw", f"Cat/index/alice/t{n:02d}.csv", f"t,{n}\n".encode()) for n in range(6)]
    for record in records:
        history.add(record)
        verdict = hook.process(record.key)  # no schema fields at all: the real hook sends each to triage
        assert verdict is not None and not verdict.valid
    stored = history.records()
    finder = VerdictFinder(client, BUCKETS, history)
    found = finder.find(stored)
    assert {s.state for s in found} == {State.TRIAGE}
    expected = [locate(client, BUCKETS, r.key, r.sha256) for r in stored]
    assert [(s.reasons, s.sha256, s.uploader) for s in found] == [(e.reasons, e.sha256, e.uploader) for e in expected]
    assert found[0].reasons and all(s.reasons for s in found)
    # raw and triage listed, the index read; validated not even listed (every upload was found): not one HEAD
    assert finder.requests == 3, finder.requests
    baseline = VerdictFinder(client, BUCKETS, UploadHistory(tmp_path / "uploads-noindex.sqlite3"), use_index=False)
    baseline.find(stored)
    assert baseline.requests == 3 + len(stored)  # the old way: a HEAD per triaged upload

    # a curator's decision rewrites a triaged object: the curator's tool drops its entry first, so its
    # verdict comes from the object itself (with the curator's stamp); the others still from the index
    from planet_gui.core.curation import Curator

    Curator(client, BUCKETS, "carol").reject(records[2].key, "not ours to keep")
    # and another version of a triaged object (new content, not through the hook) is never read from an entry
    # written for the old one
    _put(client, "triage", records[4].key, b"another version\n", **_triage_meta("a reason the index never saw"))
    fresh = VerdictFinder(client, BUCKETS, UploadHistory(tmp_path / "uploads-fresh.sqlite3"))
    found_fresh = fresh.find(stored)
    expected = [locate(client, BUCKETS, r.key, r.sha256) for r in stored]
    assert [(s.state, s.reasons) for s in found_fresh] == [(e.state, e.reasons) for e in expected]
    assert found_fresh[4].state is State.MISSING  # another file under its key now
    assert found_fresh[3].reasons == found[3].reasons
    assert fresh.requests <= 4 + 2 * 3  # raw, triage, index, validated; the two asked of their objects alone

    # an index that is not one (garbage where the hook keeps it) is ignored, never trusted
    folder = "Cat/index/alice/"
    body = b"{not json"
    client.put_object("triage", triage_index.index_key(folder), io.BytesIO(body), len(body))
    again = VerdictFinder(client, BUCKETS, UploadHistory(tmp_path / "uploads-garbage.sqlite3"))
    assert [s.reasons for s in again.find(stored)] == [s.reasons for s in found_fresh]
    assert again.requests > 4 + len(stored) - 1


def test_hooks_writing_one_folders_index_at_once_lose_no_entry(plake: PrivateLake) -> None:
    """Conditional rewrites (If-Match / If-None-Match on SeaweedFS): eight writers, forty entries, none lost."""
    from concurrent.futures import ThreadPoolExecutor

    from planet_gui.core import triage_index
    from planet_gui.core.triage_index import TriageIndex

    client = plake.admin()
    folder = "Cat/race/alice/"

    def write(n: int) -> None:
        TriageIndex(plake.admin(), "triage").record(f"{folder}r{n:02d}.csv", triage_index.Entry(
            etag=f"{n:032x}", modified="2026-12-02T05:00:00+00:00", sha256="0" * 64, uploader="alice",
            reasons=(f"reason {n}",), checked_at="2026-12-02T05:00:00+00:00"))

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(write, range(40)))
    body = client.get_object("triage", triage_index.index_key(folder)).read()
    entries = triage_index.parse(body, folder)
    assert entries is not None and sorted(entries) == [f"{folder}r{n:02d}.csv" for n in range(40)]
    TriageIndex(client, "triage").forget(f"{folder}r07.csv")
    entries = triage_index.parse(client.get_object("triage", triage_index.index_key(folder)).read(), folder)
    assert entries is not None and len(entries) == 39 and f"{folder}r07.csv" not in entries


def test_the_hook_moves_nothing_into_its_own_area(plake: PrivateLake) -> None:
    """A raw object named into ``.planet-hook/`` (where the index and the claims live) is never moved there."""
    client = plake.admin()
    key = ".planet-hook/verdicts/alice/x.json"
    _put(client, "raw", key, b"{}")
    from planet_gui.hook.service import Skip

    assert _hook(plake).decide(key).skip is Skip.RESERVED
    client.stat_object("raw", key)  # still where it was
    client.remove_object("raw", key)


PREFIXED = [{"name": "Epidemiologici", "prefix": "Epidemiologici-raw/", "validated_prefix": "Epidemiologici-validated/",
             "triage_prefix": "Epidemiologici-triage/"},
            {"name": "ISTAT", "prefix": "ISTAT-raw/", "validated_prefix": "ISTAT-ok/", "triage_prefix": "ISTAT-ko/"}]


def test_destinations_with_folder_prefixes_are_listed_and_fixed_like_any_other(plake: PrivateLake,
                                                                                 tmp_path: Path) -> None:
    """Two destinations whose raw, validated and triage folders all differ, the real hook serving both: every
    verdict found by listing each destination's folders (no HEAD), the same as asking object by object; a
    triaged upload read and fixed through its triage folder, then validated in its validated folder."""
    from planet_gui.core.fix import read_triaged, resubmit
    from planet_gui.core.schema import load_schema
    from planet_gui.core.verdicts import find_verdicts
    from planet_gui.hook.config import for_destination, from_mapping
    from planet_gui.hook.service import ValidationHook
    from tests.support.uploads import VALID

    client = plake.admin()
    schema = load_schema(None)
    config = from_mapping({"ENDPOINT": f"http://{plake.s3.endpoint}", "ACCESSKEYID": plake.s3.admin_access_key,
                           "SECRETACCESSKEY": plake.s3.admin_secret_key, "DESTINATIONS": json.dumps(PREFIXED)})
    places = config.places
    hooks = [ValidationHook(client, for_destination(config, place), schema) for place in places]
    history = UploadHistory(tmp_path / "uploads-prefixed.sqlite3")
    for place, hook in zip(places, hooks, strict=True):
        for n in range(6):
            key = f"{place.raw.prefix}Cat/src/alice/d{n}.csv"
            meta = dict(schema.to_s3(VALID)) if n < 3 else {}
            body = f"{place.name},{n}\n".encode()
            history.add(_put(client, "raw", key, body, **meta))
            if n < 5:  # the last one waits in raw
                assert hook.process(key) is not None
    assert client.stat_object("triage", "ISTAT-ko/Cat/src/alice/d3.csv").size  # where the hook put it

    records = history.records()
    finders: list[VerdictFinder] = []
    found = find_verdicts(client, places, history, records, finders=finders)
    expected = [locate(client, (p := places[0] if r.key.startswith("Epi") else places[1]).buckets, r.key,
                       r.sha256, key_in=p.key_in) for r in records]
    assert [(s.key, s.state, s.bucket, s.reasons) for s in found] == [
        (e.key, e.state, e.bucket, e.reasons) for e in expected]
    assert [s.state.value for s in found] == ["validated"] * 3 + ["triage"] * 2 + ["pending"] \
        + ["validated"] * 3 + ["triage"] * 2 + ["pending"]
    assert all(s.reasons for s in found if s.state is State.TRIAGE)
    # per destination: raw, triage and validated listed, the triage index read; not one HEAD
    assert [f.requests for f in finders] == [4, 4]

    raw_key = "ISTAT-raw/Cat/src/alice/d4.csv"
    place = places[1]
    triaged = read_triaged(client, place.buckets, schema, raw_key, key_in=place.key_in)
    assert triaged.reasons == found[10].reasons and triaged.where == "ISTAT-ko/Cat/src/alice/d4.csv"
    done = resubmit(client, place.buckets, schema, raw_key, dict(VALID), uploader="alice", history=history,
                    profile="t", key_in=place.key_in)
    assert done.sent_bytes == 0 and client.stat_object("raw", raw_key).size
    verdict = hooks[1].process(raw_key)
    assert verdict is not None and verdict.valid, verdict
    client.stat_object("validated", "ISTAT-ok/Cat/src/alice/d4.csv")
    again = find_verdicts(client, places, history, [history.latest(raw_key)])  # type: ignore[list-item]
    assert again[0].state is State.VALIDATED and again[0].bucket == "validated"


def test_a_sidecar_moved_to_another_folder_names_its_new_key(plake: PrivateLake) -> None:
    """Metadata over S3's 2 KB travels in a sidecar that names its data object: moved to a validated (or triage)
    folder with another prefix, it names the key there, so the metadata reads back whole from the new place."""
    from planet_gui.core.fix import read_triaged
    from planet_gui.core.schema import load_schema
    from planet_gui.core.transfer.sidecar import plan_metadata, read_metadata, sidecar_headers
    from planet_gui.hook.config import for_destination, from_mapping
    from planet_gui.hook.service import ValidationHook
    from tests.support.uploads import VALID

    client = plake.admin()
    schema = load_schema(None)
    config = from_mapping({"ENDPOINT": f"http://{plake.s3.endpoint}", "ACCESSKEYID": plake.s3.admin_access_key,
                           "SECRETACCESSKEY": plake.s3.admin_secret_key, "DESTINATIONS": json.dumps(PREFIXED)})
    place = config.places[1]
    hook = ValidationHook(client, for_destination(config, place), schema)
    fields = [f"misura_{i}_µg/m³" for i in range(120)]  # over 2 KB of metadata: a sidecar
    for name, extra in (("lunga.csv", {}), ("lunga-senza-formato.csv", {"format": None})):
        raw_key = f"{place.raw.prefix}Cat/side/alice/{name}"
        body = f"{name}\n".encode()
        values = {**VALID, "uploader": "alice", "sha256": hashlib.sha256(body).hexdigest(), "fields": fields,
                  **extra}
        plan = plan_metadata(schema, {k: v for k, v in values.items() if v is not None}, raw_key)
        assert plan.sidecar_key is not None and plan.sidecar_body is not None
        client.put_object("raw", plan.sidecar_key, io.BytesIO(plan.sidecar_body), len(plan.sidecar_body),
                          metadata=sidecar_headers(raw_key, plan.headers.get("Uploader")))
        client.put_object("raw", raw_key, io.BytesIO(body), len(body), metadata=dict(plan.headers))
        verdict = hook.process(raw_key)
        assert verdict is not None and verdict.valid == (not extra), verdict
        bucket = "validated" if not extra else "triage"
        moved = place.key_in(bucket, raw_key)
        assert moved != raw_key
        sidecar = json.loads(client.get_object(bucket, lake.sidecar_key_for(moved)).read())
        assert sidecar["object"] == moved
        assert read_metadata(client, schema, bucket, moved)["fields"] == fields
        for gone in (raw_key, lake.sidecar_key_for(raw_key)):
            assert not [o for o in client.list_objects("raw", prefix=gone) if o.object_name == gone]
    triaged = read_triaged(client, place.buckets, schema, f"{place.raw.prefix}Cat/side/alice/lunga-senza-formato.csv",
                           key_in=place.key_in)
    assert triaged.values["fields"] == fields  # a fix starts from the whole metadata the lake holds


def test_a_move_with_a_rewritten_sidecar_killed_midway_is_finished_by_the_next_run(plake: PrivateLake) -> None:
    """SIGKILL after the copies were verified, before raw was emptied: the next run recognises the rewritten
    sidecar (another body, so another ETag) as the copy of the raw one and removes both from raw."""
    import os
    import subprocess
    import sys

    from planet_gui.core.schema import load_schema
    from planet_gui.core.transfer.sidecar import plan_metadata, read_metadata, sidecar_headers
    from tests.conftest import ROOT
    from tests.support.servers import die_with_parent
    from tests.support.uploads import VALID

    client = plake.admin()
    schema = load_schema(None)
    raw_key = "ISTAT-raw/Cat/crash/alice/lunga.csv"
    body = b"crash\n"
    fields = [f"misura_{i}_µg/m³" for i in range(120)]
    plan = plan_metadata(schema, {**VALID, "uploader": "alice", "sha256": hashlib.sha256(body).hexdigest(),
                                  "fields": fields}, raw_key)
    assert plan.sidecar_key is not None and plan.sidecar_body is not None
    client.put_object("raw", plan.sidecar_key, io.BytesIO(plan.sidecar_body), len(plan.sidecar_body),
                      metadata=sidecar_headers(raw_key, plan.headers.get("Uploader")))
    client.put_object("raw", raw_key, io.BytesIO(body), len(body), metadata=dict(plan.headers))
    env = {**os.environ, "ENDPOINT": f"http://{plake.s3.endpoint}", "ACCESSKEYID": plake.s3.admin_access_key,
           "SECRETACCESSKEY": plake.s3.admin_secret_key, "DESTINATIONS": json.dumps(PREFIXED[1:])}

    def run(**extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "planet_gui.cli", "hook", "--poll", "--once"], cwd=ROOT,
                              env={**env, **extra}, capture_output=True, text=True, timeout=120,
                              preexec_fn=die_with_parent)

    crashed = run(PLANET_HOOK_CRASH_AT="verified")
    assert crashed.returncode == -9, crashed.stderr
    assert client.stat_object("raw", raw_key).size and client.stat_object("raw", plan.sidecar_key).size
    finished = run()
    assert finished.returncode == 0, finished.stderr
    assert "finishing the interrupted move" in finished.stderr
    moved = "ISTAT-ok/Cat/crash/alice/lunga.csv"
    assert read_metadata(client, schema, "validated", moved)["fields"] == fields
    assert [o.object_name for o in client.list_objects("raw", prefix="ISTAT-raw/Cat/crash/", recursive=True)] == []
