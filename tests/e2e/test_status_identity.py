"""Status reports this upload's verdict, not whatever is under its key.

The real race, with the real hook: this computer starts uploading file B to a key that is free; while B is on its
way, another computer uploads a different file A under the same key and the hook validates it; B then completes
(raw no longer holds the key, so S3 lets it in) and the hook sends B to triage, because "another file is already
validated under this name". The key alone would say "validated" (A's verdict); ``status`` must say B is in triage,
with the hook's reason, in the core and in ``planet-lake status``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from minio import Minio
from minio.error import S3Error

from planet_gui.core.auth.token_store import TokenStore
from planet_gui.core.history import UploadHistory
from planet_gui.core.i18n import set_language
from planet_gui.core.profile import load_profile
from planet_gui.core.session import Session
from planet_gui.core.status import State, locate
from planet_gui.core.transfer import FileState, TransferSettings
from tests.conftest import Lake, wait_for, write_profile
from tests.support.cli import cli, cli_login
from tests.support.uploads import VALID, MiB, make_file, sha256_file, where

pytestmark = pytest.mark.e2e


def in_bucket(client: Minio, bucket: str, key: str) -> bool:
    try:
        client.stat_object(bucket, key)
    except S3Error:
        return False
    return True


def test_a_file_triaged_under_a_validated_name_shows_triage(lake: Lake, hook, tmp_path: Path) -> None:  # noqa: ANN001
    if not TokenStore("planet-uploader:probe").persistent:
        pytest.skip("no OS keyring here: run the suite with `bash scripts/test.sh`, which starts one")
    profile_path = write_profile(tmp_path / "status-identity.toml", lake.oidc, lake.s3)
    code, out, err = cli_login(profile_path, "alice")
    assert code == 0, out + err

    # this computer: the app's own history and journal, the login the CLI just stored
    here = Session(load_profile(profile_path))
    assert here.restore() is not None
    here.configure_transfers(TransferSettings(part_size=5 * MiB, max_rate=2 * MiB))
    values = {**VALID, "source": f"Identity {tmp_path.name}"}
    (tmp_path / "b").mkdir()
    file_b = make_file(tmp_path / "b" / "readings.bin", 11 * MiB, seed=2)
    job = here._engine().submit(here.upload_item(file_b, values))
    wait_for(lambda: job.state is FileState.UPLOADING, 60, "B's upload to start (its key checked and free)")
    here.pause_uploads()

    # another computer, same user: its own history and journal, the same key
    (tmp_path / "a").mkdir()
    file_a = tmp_path / "a" / "readings.bin"
    file_a.write_bytes(b"another file with the same name\n" * 100)
    there = Session(here.profile, token_store=here.tokens_store,
                    history=UploadHistory(tmp_path / "other-computer-history.json"))
    there.configure_transfers(journal_path=tmp_path / "other-computer-journal.sqlite3")
    assert there.restore() is not None
    key = here.object_key(file_b, values)
    assert there.object_key(file_a, values) == key
    uploaded_a = there.upload(file_a, values)
    assert uploaded_a.key == key
    admin = lake.admin()
    wait_for(lambda: where(admin, key) == "validated", 60, "the hook to validate A")

    here.resume_paused_uploads()
    outcome = here.wait_upload(job)
    assert outcome.ok, outcome
    assert outcome.key == key  # nothing was under the key in raw: B went up under it
    wait_for(lambda: in_bucket(admin, "triage", key), 60, "the hook to send B to triage")
    assert in_bucket(admin, "validated", key)  # A stays: both buckets hold the key now

    by_key = locate(here.s3, here.profile.buckets, key)
    assert by_key.state is State.VALIDATED and by_key.sha256 == sha256_file(file_a)  # the trap

    (mine,) = here.status([key])
    assert mine.state is State.TRIAGE, mine
    assert mine.sha256 == sha256_file(file_b)
    assert "another file is already validated under this name" in mine.reason
    assert mine.uploader == "alice"

    set_language("it")  # the Italian window reads the hook's reason in Italian; other reasons stay as written
    (italian,) = here.status([key])
    assert italian.reason == "un altro file è già validato con questo nome; caricalo con un nuovo nome o chiedi a " \
                             "un curatore di sostituirlo"
    set_language("en")

    (theirs,) = there.status()
    assert theirs.state is State.VALIDATED and theirs.sha256 == sha256_file(file_a)

    result = cli(profile_path, "status", "--json")
    assert result.returncode == 0, result.stderr
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert row["key"] == key and row["state"] == "triage" and row["bucket"] == "triage"
    assert row["sha256"] == sha256_file(file_b)
    assert any("already validated under this name" in reason for reason in row["reasons"])
    here.stop_uploads()
    there.stop_uploads()


def test_only_known_hook_reasons_are_translated() -> None:
    from planet_gui.core import metadata_codec
    from planet_gui.core.status import ALREADY_VALIDATED, split_reasons

    encoded = metadata_codec.encode(f"{ALREADY_VALIDATED}\nCategory (category): is required")
    set_language("it")
    assert split_reasons(encoded) == ("un altro file è già validato con questo nome; caricalo con un nuovo nome o "
                                      "chiedi a un curatore di sostituirlo", "Category (category): is required")
    set_language("en")
    assert split_reasons(encoded) == (ALREADY_VALIDATED, "Category (category): is required")
