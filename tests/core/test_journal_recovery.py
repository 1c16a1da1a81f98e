"""Issue 14, hole 10: a journal that cannot be read, or cannot be written, is a sentence and never a traceback.

An unreadable journal (not a database, or a damaged one) is moved aside under a timestamped name and a new one is
started, saying so; a full disk at creation (a real, full tmpfs) stops with what to do."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.backends import fail

from planet_gui.core.auth.token_store import TokenStore
from planet_gui.core.profile import load_profile
from planet_gui.core.resources import resource_path
from planet_gui.core.session import Session
from planet_gui.core.transfer.journal import Journal, JournalError


def _entry(journal: Journal, key: str = "k") -> int:
    return journal.begin(scope="s", bucket="raw", key=key, path=Path("/data/f.csv"), size=1, mtime_ns=1, sha256="",
                         part_size=1, part_count=1, values={}, overwrite=False, sidecar_key=None).id


def _damaged(path: Path) -> None:
    """A real journal with rows, its middle pages overwritten (as a crash of the disk or a bad copy leaves it)."""
    journal = Journal(path)
    for number in range(400):
        _entry(journal, f"key-{number:04}-" + "x" * 200)
    journal.close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    assert len(data) > 8 * 4096
    data[4096 * 2: 4096 * 6] = b"\xa5" * (4096 * 4)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["garbage", "truncated", "damaged"])
def test_an_unreadable_journal_is_moved_aside_and_said(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "transfers.sqlite3"
    if damage == "garbage":
        path.write_bytes(b"this is not a database\n" * 100)
    elif damage == "truncated":
        journal = Journal(path)
        for number in range(200):
            _entry(journal, f"key-{number}-" + "y" * 300)
        journal.close()
        with sqlite3.connect(path) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 3])
    else:
        _damaged(path)
    before = path.read_bytes()
    journal = Journal(path)
    assert journal.recovered is not None
    moved = [p for p in tmp_path.iterdir() if p.name.startswith("transfers.sqlite3.unreadable-")
             and not p.name.endswith(("-wal", "-shm"))]  # SQLite's side files go along with it
    assert len(moved) == 1 and moved[0].read_bytes() == before  # kept as it was, for a look
    assert moved[0].name in journal.recovered and "moved aside" in journal.recovered
    assert journal.unfinished() == []
    assert journal.get(_entry(journal)).key == "k"  # the new journal works
    journal.close()
    again = Journal(path)
    assert again.recovered is None and len(again.entries()) == 1
    again.close()


def test_the_session_and_the_engine_go_on_with_a_new_journal(tmp_path: Path) -> None:
    path = tmp_path / "transfers.sqlite3"
    path.write_bytes(os.urandom(64 * 1024))
    profile = load_profile(resource_path("profiles", "local-test.toml"))
    session = Session(profile, token_store=TokenStore("unused", backend=fail.Keyring()))
    session.configure_transfers(journal_path=path)
    assert session.unfinished_uploads() == []  # --resume: nothing to resume, and no traceback
    assert session.journal_recovered and "could not be read" in session.journal_recovered
    session.stop_uploads()


def test_a_journal_in_a_folders_place_is_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "transfers.sqlite3"
    path.mkdir()
    with pytest.raises(JournalError) as refused:
        Journal(path)
    assert str(path) in refused.value.message and "nothing was uploaded" in refused.value.message
    assert path.is_dir()  # not ours to move or change


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 256 KiB tmpfs, filled up. Needs mount rights (root, as in the test container); skipped otherwise."""
    mountpoint = tmp_path / "small-disk"
    mountpoint.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", str(mountpoint)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here to fill up ({mounted.stderr.strip() or 'not root'})")
    try:
        (mountpoint / "planet-uploader").mkdir()  # the folder is there: SQLite itself meets the full disk
        with (mountpoint / "filler").open("wb", buffering=0) as filler:
            try:
                while True:
                    filler.write(b"\0" * 4096)
            except OSError as exc:
                assert exc.errno == 28  # ENOSPC: the disk is full for real
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)


def test_a_journal_on_a_full_disk_is_a_sentence(full_disk: Path) -> None:
    path = full_disk / "planet-uploader" / "transfers.sqlite3"
    with pytest.raises(JournalError) as refused:
        Journal(path)
    message = refused.value.message
    assert "disk is full" in message and str(path) in message and "Free some space" in message
    assert isinstance(refused.value.__cause__, sqlite3.DatabaseError)  # SQLite's SQLITE_FULL, put in words
