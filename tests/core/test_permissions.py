"""Issue 14, hole 11: everything the app writes under the user's folders is private (files 0600, folders 0700),
whatever the umask. Real operations (the journal in WAL mode with its -wal and -shm files and a claim, the upload
history, a template, an imported profile) under umask 000, then a walk of the app's folders."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from planet_gui.core.history import UploadHistory, UploadRecord, default_history_path
from planet_gui.core.private import app_config_dir, app_data_dir
from planet_gui.core.profile import import_profile
from planet_gui.core.resources import resource_path
from planet_gui.core.schema import load_schema
from planet_gui.core.transfer.journal import Claim, ConfirmedPart, Journal
from planet_gui.core.transfer.templates import save_template


@pytest.fixture
def open_umask(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / ".local" / "share"))
    previous = os.umask(0)
    try:
        yield tmp_path / "home"
    finally:
        os.umask(previous)


def _walk(root: Path) -> list[tuple[Path, int]]:
    return [(p, stat.S_IMODE(p.lstat().st_mode)) for p in [root, *root.rglob("*")]]


def test_everything_written_under_the_users_folders_is_private(open_umask: Path, tmp_path: Path) -> None:
    journal = Journal()
    entry = journal.begin(scope="s", bucket="raw", key="k", path=tmp_path / "f", size=1, mtime_ns=1, sha256="",
                          part_size=1, part_count=1, values={"title": "t"}, overwrite=False, sidecar_key=None)
    journal.confirm_part(entry.id, ConfirmedPart(1, 1, "c", "e", "sent"), journal.send_started(entry.id, 1))
    claim = Claim(journal, entry.id)
    assert claim.acquire()
    wal = journal.path.with_name(journal.path.name + "-wal")
    shm = journal.path.with_name(journal.path.name + "-shm")
    assert wal.exists() and shm.exists()  # WAL mode, open: both side files are there to check
    UploadHistory(default_history_path("lake")).add(UploadRecord("k", "f", "0" * 64, 1, "2026-12-02", "lake"))
    save_template("arpa", {"licence": "CC BY 4.0"}, load_schema())
    given = tmp_path / "lake.toml"
    given.write_text(resource_path("profiles", "infn-planet.toml").read_text(encoding="utf-8"), encoding="utf-8")
    import_profile(given)

    found = _walk(app_config_dir()) + _walk(app_data_dir())
    kinds = {p.name for p, _ in found}
    assert {"transfers.sqlite3", wal.name, shm.name, "uploads-lake.sqlite3", "arpa.toml", "lake.toml",
            f"{entry.id}.lock"} <= kinds
    loose = [(str(p), oct(mode)) for p, mode in found
             if mode != (0o700 if p.is_dir() else 0o600)]
    assert loose == []
    claim.release()
    journal.close()


def test_folders_an_older_version_left_open_are_tightened(open_umask: Path) -> None:
    os.umask(0o022)
    old = app_data_dir()
    old.mkdir(parents=True, mode=0o755)
    (old / "transfers.sqlite3").touch(mode=0o644)
    Journal().close()
    assert stat.S_IMODE(old.stat().st_mode) == 0o700
    assert stat.S_IMODE((old / "transfers.sqlite3").stat().st_mode) == 0o600
