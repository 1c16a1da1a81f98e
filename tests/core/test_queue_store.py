"""The queue kept on disk (no Qt): rows come back in order with their state, values and edits, per profile; the
file is private; an edit rewrites only its row; a process killed mid-queue leaves what it committed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from planet_gui.core.queue_store import QueuedFile, QueueStore


def row(path: Path, **changes: object) -> QueuedFile:
    base: dict[str, object] = {"state": "ready", "values": {"category": "Other", "source": "ISS"},
                               "edits": {"source": "ISS"}}
    base.update(changes)
    return QueuedFile(path=path, **base)  # type: ignore[arg-type]


def test_rows_come_back_in_order_with_everything(tmp_path: Path) -> None:
    db = tmp_path / "queue.sqlite3"
    store = QueueStore("lake@127.0.0.1:9000", db)
    store.save([row(tmp_path / f"f{i}.csv") for i in range(3)])
    store.save([row(tmp_path / "f1.csv", state="triage", key="Other/ISS/alice/f1.csv", message="a reason",
                    sha256="ab" * 32, uploader="alice", warnings=("named .csv but holds JSON",),
                    values={"category": "Other", "record_count": 12, "fields": ["a", "b"], "personal_data": False},
                    edits={"area": None})])
    store.close()

    again = QueueStore("lake@127.0.0.1:9000", db)
    rows = again.rows()
    assert [r.path.name for r in rows] == ["f0.csv", "f1.csv", "f2.csv"]  # an update keeps the row's place
    triaged = rows[1]
    assert triaged.state == "triage" and triaged.key == "Other/ISS/alice/f1.csv" and triaged.message == "a reason"
    assert triaged.sha256 == "ab" * 32 and triaged.uploader == "alice"
    assert triaged.warnings == ("named .csv but holds JSON",)
    assert triaged.values == {"category": "Other", "record_count": 12, "fields": ["a", "b"], "personal_data": False}
    assert triaged.edits == {"area": None}
    assert rows[0].edits == {"source": "ISS"}


def test_edits_apply_over_a_new_inspection() -> None:
    kept = QueuedFile(path=Path("x.csv"), state="ready", edits={"source": "ARPA", "area": None})
    assert kept.applied_to({"source": "guess", "area": "Italia", "format": "csv"}) == \
        {"source": "ARPA", "format": "csv"}


def test_each_profile_has_its_own_queue_and_a_switch_moves_the_rows(tmp_path: Path) -> None:
    db = tmp_path / "queue.sqlite3"
    first, second = QueueStore("a@s3", db), QueueStore("b@s3", db)
    first.save([row(tmp_path / "one.csv"), row(tmp_path / "both.csv", message="from a")])
    second.save([row(tmp_path / "two.csv"), row(tmp_path / "both.csv", message="from b")])
    assert [r.path.name for r in first.rows()] == ["one.csv", "both.csv"]
    assert [r.path.name for r in second.rows()] == ["two.csv", "both.csv"]

    first.move_to("b@s3")
    assert first.rows() == second.rows()
    moved = second.rows()
    assert [r.path.name for r in moved] == ["two.csv", "one.csv", "both.csv"]
    assert moved[2].message == "from a"  # the window's row wins
    assert QueueStore("a@s3", db).rows() == []


def test_removed_rows_stay_removed(tmp_path: Path) -> None:
    store = QueueStore("p", tmp_path / "q.sqlite3")
    store.save([row(tmp_path / f"{i}.csv") for i in range(5)])
    store.remove([tmp_path / "1.csv", tmp_path / "3.csv"])
    assert [r.path.name for r in store.rows()] == ["0.csv", "2.csv", "4.csv"]
    store.clear()
    assert store.rows() == []


def test_the_file_is_private_from_the_start(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        db = tmp_path / "data" / "queue.sqlite3"
        QueueStore("p", db).save([row(tmp_path / "a.csv")])
    finally:
        os.umask(old)
    assert db.stat().st_mode & 0o777 == 0o600
    for extra in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        if extra.exists():
            assert extra.stat().st_mode & 0o077 == 0, extra


def test_one_edit_rewrites_one_row_of_a_thousand(tmp_path: Path) -> None:
    """SQLite's change counter: saving one row of a 1,000-row queue changes that row only."""
    db = tmp_path / "q.sqlite3"
    store = QueueStore("p", db)
    store.save([row(tmp_path / f"{i:04}.csv") for i in range(1000)])
    store.save([row(tmp_path / "0500.csv", edits={"source": "typed"})])
    assert store._db.total_changes == 1001  # noqa: SLF001 - the connection's own count of rows written
    assert QueueStore("p", db).rows()[500].edits == {"source": "typed"}


def test_a_damaged_row_comes_back_empty_not_as_a_crash(tmp_path: Path) -> None:
    db = tmp_path / "q.sqlite3"
    QueueStore("p", db).save([row(tmp_path / "a.csv")])
    raw = sqlite3.connect(db)
    raw.execute("UPDATE queue SET values_json = '{not json', edits_json = '[1]', warnings_json = '\"x\"'")
    raw.commit()
    raw.close()
    (found,) = QueueStore("p", db).rows()
    assert found.values == {} and found.edits == {} and found.warnings == ()


def test_what_was_committed_survives_a_kill(tmp_path: Path) -> None:
    """A child process saves rows one by one and is killed with SIGKILL: every row it reported saved is there."""
    db = tmp_path / "q.sqlite3"
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from planet_gui.core.queue_store import QueuedFile, QueueStore
        store = QueueStore("p", Path({str(db)!r}))
        i = 0
        while True:
            store.save([QueuedFile(path=Path(f"/data/{{i}}.csv"), state="ready", edits={{"source": str(i)}})])
            print(i, flush=True)
            i += 1
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                             cwd=Path(__file__).resolve().parents[2])
    assert child.stdout is not None
    reported = -1
    for line in child.stdout:
        reported = int(line)
        if reported >= 200:
            break
    child.send_signal(signal.SIGKILL)
    child.wait()
    rows = QueueStore("p", db).rows()
    assert len(rows) >= reported + 1
    assert all(r.edits == {"source": str(i)} for i, r in enumerate(rows))
