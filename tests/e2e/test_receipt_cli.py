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


def test_one_upload_of_two_files_is_one_submission_with_both_verdicts(
        blocking: Path, lake: Lake, hook: object, tmp_path: Path) -> None:  # noqa: F811
    """Two files in one ``planet-lake upload``, both declared without personal data (the uploader's override, with
    a reason): the public table is validated, the table of patients goes to triage (the real hook reads it). One
    submission receipt lists both, each with its SHA-256, key, findings, the confirmation (who, why) and its
    verdict once the lake gave it."""
    from tests.conftest import wait_for

    tag = f"{os.getpid()}-{tmp_path.name[-6:]}"
    patients = write_csv(tmp_path / f"reparto-{tag}.csv", people(60, seed=32))
    public = tmp_path / f"casi-{tag}.csv"
    public.write_text("giorno,regione,casi\n" + "".join(f"2024-01-{d:02d},Lombardia,{d * 3}\n" for d in range(1, 29)),
                      encoding="utf-8")
    reason = "Dati già anonimizzati dal registro, verbale 12/2026"
    done = cli(blocking, "upload", str(patients), str(public), "--set", "source=Reparto", "--set",
               "personal_data=no", "--confirm-personal-data", reason, *REQUIRED)
    assert done.returncode == 0, done.stdout + done.stderr
    said = [line for line in done.stdout.splitlines() if line.startswith("submission ")]
    assert len(said) == 1, done.stdout
    submission = said[0].split()[1].rstrip(":")
    keys = {f"Clinical/Reparto/alice/{path.name}": path for path in (patients, public)}
    for key in keys:  # each file's receipt names the submission
        shown = cli(blocking, "receipt", key, "--offline")
        assert shown.returncode == 0 and f"submission: {submission}" in shown.stdout, shown.stdout + shown.stderr

    def final() -> dict[str, object] | None:
        asked = cli(blocking, "receipt", "--submission", submission, "--json")  # asks the lake for pending ones
        assert asked.returncode == 0, asked.stdout + asked.stderr
        found = json.loads(asked.stdout)
        return found if found["verdict"]["state"] != "pending" else None

    gathered = wait_for(final, 120, "both verdicts on the submission receipt", interval=1)
    assert gathered["id"] == submission and gathered["uploader"]["username"] == "alice" and gathered["uploader"]["sub"]
    files = {item["key"]: item for item in gathered["files"]}
    assert set(files) == set(keys)
    for key, path in keys.items():
        assert files[key]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert files[key]["decisions"]["policy"] == "block" and files[key]["metadata"]["personal_data"] is False
    triaged = files[f"Clinical/Reparto/alice/{patients.name}"]
    validated = files[f"Clinical/Reparto/alice/{public.name}"]
    assert validated["verdict"]["state"] == "validated" and not validated["findings"]["findings"]
    assert triaged["verdict"]["state"] == "triage"
    assert any("does not declare" in reason_ for reason_ in triaged["verdict"]["reasons"])
    assert triaged["decisions"]["confirmed"]["who"].startswith("alice (sub ")
    assert triaged["decisions"]["confirmed"]["reason"] == reason
    assert "codice_fiscale" in {f["kind"] for f in triaged["findings"]["findings"]}
    assert gathered["verdict"] == {"state": "triage", "validated": 1, "triage": 1, "pending": 0}
    raw = json.dumps(gathered)
    assert not any(row[2] in raw or row[5] in raw for row in people(60, seed=32))  # masked examples only

    text = cli(blocking, "receipt", "--submission", submission, "--offline").stdout
    assert f"submission {submission}: 2 file(s)" in text and "1 validated, 1 in triage" in text
    page = tmp_path / "submission.html"
    written = cli(blocking, "receipt", "--submission", submission, "--offline", "--html", str(page))
    assert written.returncode == 0, written.stderr
    html_text = page.read_text(encoding="utf-8")
    assert all(hashlib.sha256(path.read_bytes()).hexdigest() in html_text for path in keys.values())
    assert "12/2026" in html_text and "triage" in html_text and "validated" in html_text

    wrong = cli(blocking, "receipt", "--submission", "../../etc/passwd", "--offline")
    assert wrong.returncode != 0 and "not a submission id" in wrong.stderr
    both = cli(blocking, "receipt", next(iter(keys)), "--submission", submission, "--offline")
    assert both.returncode != 0 and "one of the two" in both.stderr
