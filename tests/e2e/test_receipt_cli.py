"""``planet-lake receipt KEY`` (issue 18): after a confirmed upload of personal data under ``block``, the receipt
names the file, its SHA-256, the uploader (username and ``sub``), the findings (masked) and the confirmation,
and writes the printable HTML. Real CLI processes against the real lake."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from tests.conftest import Lake
from tests.core.privacy_tables import people, write_csv
from tests.e2e.test_personal_data_upload import REQUIRED, blocking  # noqa: F401 - fixture
from tests.support.cli import cli

pytestmark = pytest.mark.e2e


def test_the_receipt_of_a_confirmed_upload(blocking: Path, lake: Lake, tmp_path: Path) -> None:  # noqa: F811
    rows = people(50, seed=31)
    path = write_csv(tmp_path / f"ricevuta-{os.getpid()}.csv", rows)
    key = f"Clinical/Reparto/alice/{path.name}"
    reason = "Studio approvato dal comitato etico, protocollo 77/2026"
    done = cli(blocking, "upload", str(path), "--set", "source=Reparto", "--confirm-personal-data", reason,
               *REQUIRED)
    assert done.returncode == 0, done.stdout + done.stderr

    shown = cli(blocking, "receipt", key, "--offline")
    assert shown.returncode == 0, shown.stdout + shown.stderr
    text = shown.stdout
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert f"key:        {key}" in text and digest in text
    assert "uploader:   alice (sub " in text and "77/2026" in text and "policy:     block" in text
    assert "codice_fiscale: codice_fiscale" in text and "verdict:    pending" in text

    as_json = json.loads(cli(blocking, "receipt", key, "--offline", "--json").stdout)
    assert as_json["uploader"]["username"] == "alice" and as_json["uploader"]["sub"]
    assert as_json["metadata"]["personal_data"] is True and as_json["files"][0]["sha256"] == digest
    assert as_json["decisions"]["confirmation_needed"] is True
    raw = json.dumps(as_json)
    assert not any(row[2] in raw or row[5] in raw for row in rows)  # masked examples only

    page = tmp_path / "receipt.html"
    written = cli(blocking, "receipt", key, "--offline", "--html", str(page))
    assert written.returncode == 0, written.stderr
    assert digest in page.read_text(encoding="utf-8") and "77/2026" in page.read_text(encoding="utf-8")

    missing = cli(blocking, "receipt", "Clinical/Reparto/alice/never-uploaded.csv", "--offline")
    assert missing.returncode == 2 and "no receipt" in missing.stderr
