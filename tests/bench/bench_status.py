"""How fast ``status`` finds many uploads' verdicts, the window's poll of pending rows, and recording an upload.

    .venv/bin/python tests/bench/bench_status.py [--objects 10000] [--pending 1000] [--baseline-sample 1000]

Against a real SeaweedFS (``weed mini``, started as the tests start it, admin keys): ``--objects`` uploads of
one user spread over ten folders of the lake's layout, 60 % already validated, 30 % in triage (with the hook's
reasons) and 10 % pending in raw (``--pending`` of them at least, for the poll), each recorded in the upload
history as the app records it (key, SHA-256, ETag).

Rows (target in brackets):

* history, record one upload: each ``UploadHistory.add`` while the history grows to ``--objects``; mean, p99,
  max, and the first and last thousand side by side (they must not grow) [< 5 ms each]; next to it, the old
  JSON history (rewritten whole on each upload) recording one more upload at that size, for the ratio;
* status, cold: the finder ``Session.status()`` uses, over every record, nothing cached [≤ 3 s];
* status, warm: the same again, final verdicts from the cache [≤ 3 s];
* GUI poll: the latest record of ``--pending`` pending keys, twice (the second is the steady state) [≤ 0.5 s];
* old way: the previous ``locate`` (up to three HEADs per object, one after the other) on ``--baseline-sample``
  records, scaled to the whole set, and on the poll's rows, for the ratio.

Prints the table with PASS/FAIL per target; exit status 1 when one fails. Not a pytest module. The machine's load
matters: the ratio to the old way, measured in the same run, is the number to compare between runs.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from planet_gui.core import lake, metadata_codec  # noqa: E402
from planet_gui.core.history import UploadHistory, UploadRecord  # noqa: E402
from planet_gui.core.profile import Buckets  # noqa: E402
from planet_gui.core.status import State, locate  # noqa: E402
from planet_gui.core.verdicts import VerdictFinder  # noqa: E402

STATUS_TARGET = 3.0
POLL_TARGET = 0.5
RECORD_TARGET_MS = 5.0
FOLDERS = 10


def populate(client, buckets: Buckets, count: int, pending: int) -> list[UploadRecord]:  # type: ignore[no-untyped-def]
    """Objects as the hook leaves them: the verdict in the destination's metadata, the raw ones untouched."""
    n_pending = max(pending, count // 10)
    n_triage = (count - n_pending) // 3
    plan = []
    for index in range(count):
        key = f"Epidemiologici/source-{index % FOLDERS}/alice/file-{index:06d}.csv"
        body = f"day,cases\n2026-01-01,{index}\n".encode()
        sha = hashlib.sha256(body).hexdigest()
        meta = {lake.SHA256_KEY: sha, lake.UPLOADER_KEY: "alice"}
        if index < n_pending:
            bucket = buckets.raw
        elif index < n_pending + n_triage:
            bucket = buckets.triage
            meta.update({lake.VERDICT_KEY: lake.VERDICT_TRIAGE, lake.CHECKED_AT_KEY: "2026-12-02T05:00:00+00:00",
                         lake.TRIAGE_REASON_KEY: metadata_codec.encode("Licence (licence) is required")})
        else:
            bucket = buckets.validated
            meta.update({lake.VERDICT_KEY: lake.VERDICT_VALIDATED, lake.CHECKED_AT_KEY: "2026-12-02T05:00:00+00:00"})
        plan.append((bucket, key, body, sha, meta))

    def put(item):  # type: ignore[no-untyped-def]
        bucket, key, body, sha, meta = item
        result = client.put_object(bucket, key, io.BytesIO(body), len(body), metadata=meta)
        return UploadRecord(key=key, filename=key.rsplit("/", 1)[1], sha256=sha, size=len(body),
                            uploaded_at="2026-12-02T04:00:00+00:00", profile="bench", etag=result.etag.strip('"'))

    with ThreadPoolExecutor(16) as pool:
        records = list(pool.map(put, plan))
    # the hook's triage index of each folder, as the hook writes it once the copy is in triage (its ETag and date)
    from planet_gui.core import triage_index

    by_folder: dict[str, dict[str, triage_index.Entry]] = {}
    triaged = [item for item in plan if item[0] == buckets.triage]

    def entry(item):  # type: ignore[no-untyped-def]
        bucket, key, _, sha, meta = item
        stat = client.stat_object(bucket, key)
        return key, triage_index.Entry(etag=(stat.etag or "").strip('"'),
                                       modified=triage_index.stamp(stat.last_modified), sha256=sha, uploader="alice",
                                       reasons=("Licence (licence) is required",),
                                       checked_at=meta[lake.CHECKED_AT_KEY])

    with ThreadPoolExecutor(16) as pool:
        for key, found in pool.map(entry, triaged):
            by_folder.setdefault(triage_index.folder_of(key), {})[key] = found
    index = triage_index.TriageIndex(client, buckets.triage)
    for folder, entries in by_folder.items():
        index.record_many(folder, entries)
    return records


def bench_records(history: UploadHistory, records: list[UploadRecord], pace: float = 0.0) -> dict[str, float]:
    """Each add timed; ``pace`` seconds between two adds (0: back to back, far above any real upload rate)."""
    times = []
    deferred = 0
    for record in records:
        if pace:
            time.sleep(pace)
        began = time.perf_counter()
        added = history.add(record)
        times.append((time.perf_counter() - began) * 1000)
        deferred += added.id == 0  # left pending during a checkpoint's RESTART, committed by the checkpointer
    ordered = sorted(times)
    return {"mean": statistics.fmean(times), "p50": ordered[len(ordered) // 2],
            "p99": ordered[int(len(ordered) * 0.99) - 1], "max": ordered[-1], "first": times[0],
            "max_after_first": max(times[1:], default=0.0),
            "first_1000": statistics.fmean(times[:1000]), "last_1000": statistics.fmean(times[-1000:]),
            "deferred": float(deferred)}


def stall_max_ms(seconds: float) -> float:
    """The longest gap between two clock reads of a busy loop running ``seconds``: how long the machine alone
    (the scheduler, on a loaded machine) stops a thread that does no I/O, the floor under any step's max."""
    worst, end = 0.0, time.perf_counter() + seconds
    last = time.perf_counter()
    while last < end:
        now = time.perf_counter()
        worst = max(worst, now - last)
        last = now
    return worst * 1000


def _old_json_add(path: Path, record: UploadRecord) -> None:
    """What the JSON history did on every upload: read it all, filter, append, write it all atomically."""
    from planet_gui.core.private import write_private

    kept = [r for r in json.loads(path.read_text(encoding="utf-8"))
            if (r["key"], r["sha256"]) != (record.key, record.sha256)]
    kept.append(asdict(record))
    write_private(path, json.dumps(kept, ensure_ascii=False, indent=1).encode("utf-8"))


def timed(fn):  # type: ignore[no-untyped-def]
    began = time.perf_counter()
    result = fn()
    return time.perf_counter() - began, result


def cpu_timed(fn):  # type: ignore[no-untyped-def]
    """Wall seconds, this process's CPU seconds, and the result."""
    began, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - began, time.process_time() - cpu, result


def history_only(count: int, pace_ms: float = 0.0) -> int:
    """The history rows alone: ``count`` records of the bench's shape, each timed, and the old JSON for scale."""
    records = [UploadRecord(key=f"Epidemiologici/source-{n % FOLDERS}/alice/file-{n:06d}.csv",
                            filename=f"file-{n:06d}.csv", sha256=hashlib.sha256(str(n).encode()).hexdigest(),
                            size=40, uploaded_at="2026-12-02T04:00:00+00:00", profile="bench", etag=f"{n:032x}")
               for n in range(count)]
    with tempfile.TemporaryDirectory(prefix="planet-bench-history-") as tmp:
        history = UploadHistory(Path(tmp) / "uploads-bench.sqlite3")
        cpu, wall = time.process_time(), time.perf_counter()
        rec = bench_records(history, records, pace_ms / 1000)
        history.close()  # waits for the checkpointer, which commits what was left pending
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        lag = history.longest_pending * 1000
        stall = stall_max_ms(max(wall, 1.0))
        legacy = Path(tmp) / "legacy.json"
        legacy.write_text(json.dumps([asdict(r) for r in records[:-1]]), encoding="utf-8")
        old_add, _ = timed(lambda: _old_json_add(legacy, records[-1]))
    print(f"history, record one upload ({count} records, {pace_ms:g} ms apart; all committed after {wall:.2f} s, "
          f"{cpu:.2f} s CPU in all threads): mean {rec['mean']:.3f} ms, "
          f"p50 {rec['p50']:.3f}, p99 {rec['p99']:.3f}, max {rec['max']:.2f}; first 1000 {rec['first_1000']:.3f}, "
          f"last 1000 {rec['last_1000']:.3f}  [< {RECORD_TARGET_MS} ms p99: "
          f"{'PASS' if rec['p99'] < RECORD_TARGET_MS else 'FAIL'}]")
    print(f"  left pending during a checkpoint (committed by the checkpointer): {rec['deferred']:.0f}, the longest "
          f"{lag:.1f} ms before its commit; the first record (which opens the database: its file, WAL mode and "
          f"tables, with their fsyncs) {rec['first']:.2f} ms, the worst of the others {rec['max_after_first']:.2f} ms; "
          f"baseline, a busy loop's longest stall over {max(wall, 1.0):.1f} s just after: {stall:.2f} ms")
    print(f"old JSON history at {count}: {old_add * 1000:.1f} ms for one more ({old_add * 1000 / rec['mean']:.0f}× "
          "the SQLite mean)")
    return 0 if rec["p99"] < RECORD_TARGET_MS else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--objects", type=int, default=10_000)
    parser.add_argument("--pending", type=int, default=1_000)
    parser.add_argument("--baseline-sample", type=int, default=1_000)
    parser.add_argument("--history-only", action="store_true", help="only the history rows (no S3 server)")
    parser.add_argument("--history-pace", type=float, default=0.0, metavar="MS",
                        help="--history-only: milliseconds between two records (default 0: back to back)")
    args = parser.parse_args()
    if args.history_only:
        return history_only(args.objects, args.history_pace)

    from tests.support.servers import OidcServer, S3Server

    buckets = Buckets(raw="raw", validated="validated", triage="triage")
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="planet-bench-status-") as tmp:
        oidc = OidcServer.start(Path(tmp) / "oidc")  # SeaweedFS's STS wants a provider to trust
        server = S3Server.start(Path(tmp) / "s3", oidc_issuer=oidc.issuer)
        try:
            from planet_gui.core.storage import make_admin_minio

            client = make_admin_minio(server.endpoint, server.admin_access_key, server.admin_secret_key)
            began = time.perf_counter()
            records = populate(client, buckets, args.objects, args.pending)
            print(f"populated {len(records)} objects in {time.perf_counter() - began:.1f} s", file=sys.stderr)

            history = UploadHistory(Path(tmp) / "uploads-bench.sqlite3")
            rec = bench_records(history, records)
            rows.append(("history: record one upload (ms)",
                         f"mean {rec['mean']:.2f}, p50 {rec['p50']:.2f}, p99 {rec['p99']:.2f}, max {rec['max']:.2f}; "
                         f"first 1000 "
                         f"{rec['first_1000']:.2f}, last 1000 {rec['last_1000']:.2f}", f"< {RECORD_TARGET_MS} ms",
                         "PASS" if rec["p99"] < RECORD_TARGET_MS else "FAIL"))

            legacy = Path(tmp) / "legacy.json"
            legacy.write_text(json.dumps([asdict(r) for r in records[:-1]]), encoding="utf-8")
            old_add, _ = timed(lambda: _old_json_add(legacy, records[-1]))
            rows.append((f"old JSON history: record upload {len(records)}", f"{old_add * 1000:.1f} ms "
                         f"({old_add * 1000 / rec['mean']:.0f}× the SQLite mean)", "for scale", ""))

            stored = history.records()
            # the previous finder (a HEAD per triaged upload for its reasons), on a copy of the history: cold too
            import shutil

            history.close()
            shutil.copy(history.path, Path(tmp) / "uploads-before.sqlite3")
            before = UploadHistory(Path(tmp) / "uploads-before.sqlite3")
            old_finder = VerdictFinder(client, buckets, before, use_index=False)
            old_cold, old_cpu, old_statuses = cpu_timed(lambda: old_finder.find(before.records()))
            finder = VerdictFinder(client, buckets, history)
            cold, cold_cpu, statuses = cpu_timed(lambda: finder.find(stored))
            counts = {s: sum(1 for x in statuses if x.state is s) for s in State}
            assert counts[State.MISSING] == 0, counts
            assert [(s.state, s.reasons) for s in statuses] == [(s.state, s.reasons) for s in old_statuses]
            rows.append((f"status, cold ({len(stored)} uploads)", f"{cold:.2f} s ({cold_cpu:.2f} s CPU), "
                         f"{finder.requests} requests; " + ", ".join(f"{s.value} {n}" for s, n in counts.items()
                                                                    if n), f"≤ {STATUS_TARGET} s",
                         "PASS" if cold <= STATUS_TARGET else "FAIL"))
            rows.append(("status, cold, without the triage index", f"{old_cold:.2f} s ({old_cpu:.2f} s CPU), "
                         f"{old_finder.requests} requests; the index makes it {old_cold / cold:.1f}× faster, "
                         f"{old_cpu / max(cold_cpu, 1e-6):.1f}× less CPU", "for scale", ""))
            stored = history.records()
            warm, _ = timed(lambda: finder.find(stored))
            rows.append(("status, warm (final verdicts cached)", f"{warm:.2f} s, {finder.requests} requests",
                         f"≤ {STATUS_TARGET} s", "PASS" if warm <= STATUS_TARGET else "FAIL"))

            pending = [r for r in history.records() if r.state == State.PENDING.value][: args.pending]
            first_poll, _ = timed(lambda: finder.find(pending))
            pending = [r for r in history.records() if r.state == State.PENDING.value][: args.pending]
            poll, _ = timed(lambda: finder.find(pending))
            rows.append((f"GUI poll ({len(pending)} pending rows)",
                         f"first {first_poll:.3f} s, steady {poll:.3f} s, {finder.requests} requests",
                         f"≤ {POLL_TARGET} s", "PASS" if max(first_poll, poll) <= POLL_TARGET else "FAIL"))

            sample = records[:: max(1, len(records) // args.baseline_sample)][: args.baseline_sample]
            old, _ = timed(lambda: [locate(client, buckets, r.key, r.sha256) for r in sample])
            scaled = old * len(records) / len(sample)
            rows.append((f"old way: one locate per upload ({len(sample)} sampled)",
                         f"{old:.2f} s; {scaled:.1f} s scaled to {len(records)}; new cold is {scaled / cold:.0f}× "
                         f"faster, warm {scaled / warm:.0f}×", "for scale", ""))
            poll_sample = [r for r in records if r.key.endswith(tuple(f"{i:06d}.csv" for i in range(args.pending)))]
            old_poll, _ = timed(lambda: [locate(client, buckets, r.key, r.sha256) for r in poll_sample])
            rows.append((f"old way: GUI poll of {len(poll_sample)} pending rows", f"{old_poll:.2f} s "
                         f"({old_poll / max(poll, 1e-6):.0f}× the new steady poll)", "for scale", ""))
        finally:
            server.stop()
            oidc.stop()

    width = max(len(r[0]) for r in rows)
    print(f"\n{'measure':{width}}  {'result':70}  {'target':10}  verdict")
    for name, result, target, verdict in rows:
        print(f"{name:{width}}  {result:70}  {target:10}  {verdict}")
    return 1 if any(r[3] == "FAIL" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
