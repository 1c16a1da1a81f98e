"""``planet-lake upload --resume`` with a journal it cannot use (issue 14, hole 10), as a user runs it: a separate
process, the real keyring and lake. An unreadable journal is moved aside and said; a full disk is a sentence."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from planet_gui.core.auth.token_store import TokenStore
from tests.conftest import Lake
from tests.support.cli import cli, cli_login

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def alice(lake: Lake) -> Lake:
    if not TokenStore("planet-uploader:probe").persistent:
        pytest.skip("no OS keyring here: run the tests with /work/wt/pytest.sh or scripts/test.sh, which start one")
    code, out, err = cli_login(lake.profile_path, "alice")
    assert code == 0, out + err
    return lake


def test_resume_with_an_unreadable_journal_moves_it_aside_and_says_so(alice: Lake, tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "planet-uploader").mkdir(parents=True)
    journal = data / "planet-uploader" / "transfers.sqlite3"
    journal.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)  # a header, then garbage
    result = cli(alice.profile_path, "upload", "--resume", "--yes", env={"XDG_DATA_HOME": str(data)})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "could not be read" in result.stderr and "moved aside" in result.stderr
    assert "No interrupted upload to resume." in result.stdout
    assert len(list(journal.parent.glob("transfers.sqlite3.unreadable-*"))) >= 1
    again = cli(alice.profile_path, "upload", "--resume", "--yes", env={"XDG_DATA_HOME": str(data)})
    assert again.returncode == 0 and "moved aside" not in again.stderr  # the new journal is sound


def test_resume_with_the_journal_on_a_full_disk_is_a_sentence(alice: Lake, tmp_path: Path) -> None:
    disk = tmp_path / "small-disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", str(disk)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here to fill up ({mounted.stderr.strip() or 'not root'})")
    try:
        (disk / "planet-uploader").mkdir()
        with (disk / "filler").open("wb", buffering=0) as filler:
            try:
                while True:
                    filler.write(b"\0" * 4096)
            except OSError as exc:
                assert exc.errno == 28  # ENOSPC: really full
        result = cli(alice.profile_path, "upload", "--resume", "--yes", env={"XDG_DATA_HOME": str(disk)})
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Upload journal problem" in result.stderr and "disk is full" in result.stderr


def test_a_real_upload_leaves_only_private_files(alice: Lake, tmp_path: Path) -> None:
    """Issue 14, hole 11: under umask 000, a multipart upload (journal in WAL mode, claims, history) and a saved
    template, then a walk of the user's folders: every file 0600, every folder 0700."""
    import os
    import stat

    from tests.support.uploads import MiB, make_file

    home = tmp_path / "home"
    env = {"XDG_DATA_HOME": str(home / ".local" / "share"), "XDG_CONFIG_HOME": str(home / ".config")}
    source = make_file(tmp_path / f"{tmp_path.name}.bin", 11 * MiB, seed=7)  # three 5 MiB parts
    previous = os.umask(0)  # the CLI inherits it: the modes must not depend on it
    try:
        uploaded = cli(alice.profile_path, "upload", str(source), "--yes", "--part-size", "5", "--set",
                       "category=Other", "--set", "area=Italia", "--set", "frequency=none", "--set",
                       "source=Permissions test", "--rename", env=env)
        saved = cli(alice.profile_path, "template", "save", "perm", "--set", "licence=CC BY 4.0", env=env)
    finally:
        os.umask(previous)
    assert uploaded.returncode == 0, uploaded.stderr
    assert saved.returncode == 0, saved.stderr
    written = list(home.rglob("*"))
    names = {p.name for p in written}
    assert {"transfers.sqlite3", "perm.toml"} <= names and any(n.startswith("uploads-") for n in names)
    loose = [(str(p), oct(stat.S_IMODE(p.lstat().st_mode))) for p in written
             if stat.S_IMODE(p.lstat().st_mode) != (0o700 if p.is_dir() else 0o600)]
    assert loose == []
