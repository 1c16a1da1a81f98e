"""The whole loop through the CLI against the real provider, SeaweedFS with STS, and the hook:
login -> whoami -> upload -> hook -> status, plus a file the hook must send to triage."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import keyring
import pytest

from planet_gui.core.auth.token_store import TokenStore
from planet_gui.core.profile import load_profile
from planet_gui.core.session import Session
from tests.conftest import Lake
from tests.support.cli import cli, cli_login

pytestmark = pytest.mark.e2e

REGIONI = "csv/dpc-covid19-ita-regioni-latest.csv"


@pytest.fixture(scope="module")
def alice(lake: Lake, hook) -> Lake:  # noqa: ANN001 - the hook fixture only needs to be running
    if not TokenStore("planet-uploader:probe").persistent:
        pytest.skip("no OS keyring here: run the suite with `bash scripts/test.sh`, which starts one")
    code, out, err = cli_login(lake.profile_path, "alice")
    assert code == 0, out + err
    assert "Logged in as alice" in out
    return lake


def test_whoami_shows_alice_and_her_groups(alice: Lake) -> None:
    result = cli(alice.profile_path, "whoami", "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["user"] == "alice"
    assert info["groups"] == ["planet-uploaders", "planet-covid"]
    assert info["token_expires"] and info["storage_expires"]


def test_upload_with_inferred_metadata_is_validated(alice: Lake, testdata: Path) -> None:
    source = testdata / REGIONI
    result = cli(alice.profile_path, "upload", str(source), "--yes")
    assert result.returncode == 0, result.stderr
    assert "uploaded dpc-covid19-ita-regioni-latest.csv as COVID-19/" in result.stdout

    status = cli(alice.profile_path, "status", "--watch", "--interval", "0.5", "--timeout", "60", "--json")
    assert status.returncode == 0, status.stderr
    rows = [json.loads(line) for line in status.stdout.splitlines()]
    mine = [r for r in rows if r["key"].endswith("/alice/dpc-covid19-ita-regioni-latest.csv")]
    assert mine and mine[0]["state"] == "validated", rows

    # what arrived in the validated bucket is the file, byte for byte, with its metadata
    admin = alice.admin()
    data = admin.get_object("validated", mine[0]["key"]).read()
    assert data == source.read_bytes()
    stat = admin.stat_object("validated", mine[0]["key"])
    meta = {k.lower(): v for k, v in stat.metadata.items()}
    assert meta["x-amz-meta-category"] == "COVID-19"
    assert meta["x-amz-meta-uploader"] == "alice"
    assert meta["x-amz-meta-len"] == "21"


def test_missing_required_field_ends_in_triage_with_reason(alice: Lake, testdata: Path, tmp_path: Path) -> None:
    copy = tmp_path / "dpc-covid19-ita-regioni-no-category.csv"
    shutil.copy(testdata / REGIONI, copy)
    with copy.open("ab") as handle:  # other content: the same bytes twice would be refused as a duplicate
        handle.write((testdata / REGIONI).read_bytes().splitlines(keepends=True)[-1])
    refused = cli(alice.profile_path, "upload", str(copy), "--yes", "--set", "category=")
    assert refused.returncode == 1
    assert "Category (category) is required" in refused.stderr
    assert "Traceback" not in refused.stderr

    forced = cli(alice.profile_path, "upload", str(copy), "--yes", "--set", "category=", "--no-validate")
    assert forced.returncode == 0, forced.stderr
    status = cli(alice.profile_path, "status", "--watch", "--interval", "0.5", "--timeout", "60")
    line = next(line for line in status.stdout.splitlines() if "no-category" in line)
    assert line.startswith("triage")
    assert "reason: Category (category) is required" in line


def test_upload_without_confirmation_uploads_nothing(alice: Lake, testdata: Path, tmp_path: Path) -> None:
    copy = tmp_path / "dpc-covid19-ita-unconfirmed.csv"
    shutil.copy(testdata / REGIONI, copy)
    result = cli(alice.profile_path, "upload", str(copy))
    assert result.returncode == 1
    assert "Nothing uploaded" in result.stderr
    names = [o.object_name for b in ("raw", "validated", "triage")
             for o in alice.admin().list_objects(b, recursive=True)]
    assert not any("unconfirmed" in (n or "") for n in names)


def test_same_file_twice_is_not_silently_overwritten(alice: Lake, testdata: Path) -> None:
    again = cli(alice.profile_path, "upload", str(testdata / REGIONI), "--yes")
    assert again.returncode == 1
    assert "already in the lake" in again.stderr


def test_no_secret_on_disk_or_in_logs(alice: Lake, caplog: pytest.LogCaptureFixture) -> None:
    """After the run: the refresh token is only in the keyring; no token or STS secret in any file."""
    caplog.set_level(logging.DEBUG)
    profile = load_profile(alice.profile_path)
    refresh = keyring.get_password(profile.keyring_service, "refresh_token")
    assert refresh, "the login should be kept in the keyring"
    session = Session(profile)
    assert session.restore() is not None
    creds = session.credentials.retrieve()
    tokens = session.current_tokens()
    secrets = {refresh, *tokens.secrets(), creds.secret_key, creds.session_token or ""} - {""}
    assert len(secrets) >= 4

    debug_run = cli(alice.profile_path, "--debug", "whoami")
    assert debug_run.returncode == 0 and "DEBUG" in debug_run.stderr
    assert refresh not in debug_run.stderr + debug_run.stdout

    searched = [alice.profile_path, *_files_under(Path.home())]
    assert len(searched) > 1
    for path in searched:
        content = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in content, f"a secret was written to {path}"
    for secret in secrets:
        assert secret not in caplog.text
        assert secret not in repr(tokens) and secret not in repr(session.profile)


def test_logout_forgets_the_login(alice: Lake) -> None:
    profile = load_profile(alice.profile_path)
    result = cli(alice.profile_path, "logout")
    assert result.returncode == 0, result.stderr
    assert keyring.get_password(profile.keyring_service, "refresh_token") is None
    after = cli(alice.profile_path, "whoami")
    assert after.returncode == 1
    assert "not logged in" in after.stderr.lower()


def _files_under(top: Path) -> list[Path]:
    return [p for p in top.rglob("*") if p.is_file() and not p.is_symlink() and p.stat().st_size < 50_000_000]
