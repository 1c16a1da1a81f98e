"""The session as the one way in, against a real SeaweedFS with STS: prepare (inspect, defaults, overrides,
check, key), submit, the engine's event stream, and which interrupted uploads are abandoned."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from planet_gui.core import tracking
from planet_gui.core.session import Session
from planet_gui.core.tracking import RowState
from planet_gui.core.transfer import FileState, RetryPolicy, TransferSettings
from planet_gui.core.transfer.events import Done, Progress, Queued, TransferEvent
from planet_gui.core.transfer.journal import Claim
from tests.conftest import wait_for
from tests.support.uploads import VALID, MiB, PrivateLake, make_file, memory_session

pytestmark = pytest.mark.e2e

SMALL_PARTS = TransferSettings(concurrency=2, file_concurrency=2, part_size=5 * MiB,
                               retry=RetryPolicy(base=0.2, cap=1.0, max_elapsed=60))


@pytest.fixture
def alice(plake: PrivateLake, login: Session, tmp_path: Path) -> Iterator[Session]:
    session = memory_session(plake.profile_path, login_of=login)
    session.configure_transfers(SMALL_PARTS, journal_path=tmp_path / "journal.sqlite3")
    yield session
    session.stop_uploads()


def _csv(path: Path) -> Path:
    path.write_text("date,value\n2024-01-01,1\n2024-01-02,2\n2024-01-03,3\n", encoding="utf-8")
    return path


def test_prepare_lays_overrides_over_what_inspection_inferred(alice: Session, tmp_path: Path) -> None:
    source = _csv(tmp_path / "series.csv")
    inferred = alice.initial_values(alice.inspect(source))
    prepared = alice.prepare(source, {"source": "Override", "licence": None})
    assert prepared.values["source"] == "Override"
    assert "licence" not in prepared.values  # an override of None means "no value", not a None in the metadata
    assert {k: v for k, v in prepared.values.items() if k != "source"} == \
        {k: v for k, v in inferred.items() if k not in ("source", "licence") and v is not None}
    assert prepared.key == alice.object_key(source, prepared.values)
    assert prepared.problems == alice.schema.problems(prepared.values)
    assert prepared.inspection is not None and prepared.inspection.metadata  # the window shows its preview

    fixed = alice.review(source, {**prepared.values, **VALID})
    assert fixed.valid and fixed.problems == []
    missing = alice.review(source, {k: v for k, v in fixed.values.items() if k != "category"})
    assert not missing.valid and any("category" in p.lower() or "Category" in p for p in missing.problems)


def test_the_event_stream_follows_each_upload_from_queued_to_done(alice: Session, tmp_path: Path) -> None:
    source = make_file(tmp_path / "stream.bin", 12 * MiB)
    events: list[TransferEvent] = []
    ended = threading.Event()

    def heard(event: TransferEvent) -> None:
        events.append(event)
        if isinstance(event, Done):
            ended.set()

    unfollow = alice.subscribe(heard)
    job = alice.submit(source, VALID)
    assert ended.wait(120), "no Done event"
    outcome = alice.wait_upload(job)
    assert outcome.ok, outcome.error

    mine = [e for e in events if e.job == job.id]
    assert isinstance(mine[0], Queued) and mine[0].path == source and mine[0].key == job.item.key
    assert isinstance(mine[-1], Done) and mine[-1].outcome == outcome
    progress = [e for e in mine if isinstance(e, Progress)]
    assert progress and progress[-1].update.file.state is FileState.DONE
    assert progress[-1].update.file.done == 12 * MiB
    assert [e for e in mine[1:-1] if not isinstance(e, Progress)] == []

    rows = [tracking.row_for_transfer(e) for e in mine]  # one vocabulary for the rows
    assert rows[0].state is RowState.UPLOADING
    assert rows[-1].state is RowState.PENDING and rows[-1].key == outcome.key
    assert {r.state for r in rows[1:-1]} <= {RowState.UPLOADING, RowState.PENDING}

    unfollow()
    heard_before = len(events)
    second = alice.submit(make_file(tmp_path / "quiet.bin", 1 * MiB, seed=1), VALID)
    assert alice.wait_upload(second).ok
    assert len(events) == heard_before  # unsubscribed: nothing more


def test_a_subscriber_keeps_following_across_a_new_engine(alice: Session, tmp_path: Path) -> None:
    done: list[Done] = []
    alice.subscribe(lambda e: done.append(e) if isinstance(e, Done) else None)
    alice.configure_transfers(replace(SMALL_PARTS, concurrency=1))  # a new engine on the next upload
    job = alice.submit(make_file(tmp_path / "after.bin", 2 * MiB, seed=2), VALID)
    outcome = alice.wait_upload(job)
    assert outcome.ok and [d.outcome for d in done] == [outcome]


def test_an_upload_still_running_is_not_abandoned(alice: Session, tmp_path: Path) -> None:
    alice.configure_transfers(replace(SMALL_PARTS, max_rate=4 * MiB))  # slow enough to be caught running
    source = make_file(tmp_path / "running.bin", 30 * MiB, seed=3)
    job = alice.submit(source, VALID)
    wait_for(lambda: [e for e in alice.unfinished_uploads() if alice.confirmed_bytes(e)], 60, "a confirmed part")
    assert [e.path for e in alice.unfinished_uploads()] == [str(source)]
    assert alice.abandoned_uploads() == []  # this session drives it: nothing to offer
    alice.stop_uploads()  # as when the window closes: it stays in the journal, resumable
    assert job.wait(60) is not None and job.outcome is not None and job.outcome.state is FileState.PAUSED
    [entry] = alice.abandoned_uploads()
    assert entry.path == str(source) and 0 < alice.confirmed_bytes(entry) < 30 * MiB
    other_process = Claim(alice._engine().journal, entry.id)  # as a CLI upload of it would hold it
    assert other_process.acquire()
    try:
        assert alice.abandoned_uploads() == []  # driven elsewhere: not offered here
    finally:
        other_process.release()
    assert [e.id for e in alice.abandoned_uploads()] == [entry.id]
    [resumed] = alice.resume_interrupted()
    assert alice.abandoned_uploads() == []
    assert alice.wait_upload(resumed).ok
