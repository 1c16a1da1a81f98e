"""Under the profile's ``block`` policy a file with personal data goes up only with a recorded confirmation (who,
why), and the record travels in the object's metadata. Real CLI processes, the real lake (no hook needed here)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from planet_gui.core.auth.token_store import TokenStore
from tests.conftest import Lake
from tests.core.privacy_tables import people, write_csv
from tests.support.cli import cli, cli_login
from tests.support.uploads import where

pytestmark = pytest.mark.e2e

REQUIRED = ["--set", "category=Clinical", "--set", "area=Italia", "--set", "frequency=none", "--yes"]


@pytest.fixture(scope="module")
def blocking(lake: Lake, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not TokenStore("planet-uploader:probe").persistent:
        pytest.skip("no OS keyring here: run the tests with /work/wt/pytest.sh or scripts/test.sh")
    profile = tmp_path_factory.mktemp("profiles") / "blocking.toml"
    profile.write_text('personal_data_policy = "block"\n' + lake.profile_path.read_text(encoding="utf-8"),
                       encoding="utf-8")  # the same lake (and login), another policy
    code, out, err = cli_login(profile, "alice")
    assert code == 0, out + err
    return profile


def test_block_needs_a_recorded_confirmation(blocking: Path, lake: Lake, tmp_path: Path) -> None:
    path = write_csv(tmp_path / f"pazienti-{os.getpid()}.csv", people(60))
    key = f"Clinical/Reparto/alice/{path.name}"
    refused = cli(blocking, "upload", str(path), "--set", "source=Reparto", *REQUIRED)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "Personal data found" in refused.stderr and "codice_fiscale" in refused.stderr
    assert where(lake.admin(), key) is None  # nothing reached the lake

    reason = "Studio approvato dal comitato etico, protocollo 42/2026"
    done = cli(blocking, "upload", str(path), "--set", "source=Reparto", "--confirm-personal-data", reason,
               *REQUIRED)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "confirmation recorded" in done.stderr
    bucket = where(lake.admin(), key)
    assert bucket is not None
    meta = {k.lower(): v for k, v in lake.admin().stat_object(bucket, key).metadata.items()}
    assert meta["x-amz-meta-personal_data"] == "true"
    note = meta["x-amz-meta-personal_data_confirmation"]
    assert note.startswith("alice (sub ") and "42/2026" in note and "codice_fiscale" in note


def test_declaring_no_personal_data_needs_a_reason_under_warn(lake: Lake, blocking: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / f"override-{os.getpid()}.csv", people(30))
    refused = cli(lake.profile_path, "upload", str(path), "--set", "source=Reparto", "--set", "personal_data=no",
                  *REQUIRED)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "declared without" in refused.stderr
    assert where(lake.admin(), f"Clinical/Reparto/alice/{path.name}") is None


def test_public_data_goes_up_without_questions(blocking: Path, lake: Lake, testdata: Path) -> None:
    path = testdata / "csv" / "dpc-covid19-ita-regioni-latest.csv"
    done = cli(blocking, "upload", str(path), "--set", "source=Protezione Civile", "--rename", *REQUIRED)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "personal data" not in done.stderr.lower()


def test_a_pseudonymised_copy_goes_up_saying_what_was_done(blocking: Path, lake: Lake, tmp_path: Path) -> None:
    source = write_csv(tmp_path / f"reparto-{os.getpid()}.csv", people(60))
    copy = tmp_path / f"reparto-{os.getpid()}-pseudo.csv"
    made = cli(blocking, "pseudonymise", str(source), "--columns", "nome,cognome,codice_fiscale", "--drop",
               "data_nascita,telefono,email,indirizzo,tessera,iban,note", "-o", str(copy), "--project", "reparto")
    assert made.returncode == 0, made.stdout + made.stderr
    done = cli(blocking, "upload", str(copy), "--set", "source=Reparto", *REQUIRED)  # nothing left to confirm
    assert done.returncode == 0, done.stdout + done.stderr
    key = f"Clinical/Reparto/alice/{copy.name}"
    bucket = where(lake.admin(), key)
    assert bucket is not None
    meta = {k.lower(): v for k, v in lake.admin().stat_object(bucket, key).metadata.items()}
    assert meta["x-amz-meta-personal_data"] == "false"
    note = meta["x-amz-meta-pseudonymisation"]
    assert note.startswith("pseudonymised nome,cognome,codice_fiscale; dropped data_nascita,")
    assert "HMAC-SHA-256" in note
