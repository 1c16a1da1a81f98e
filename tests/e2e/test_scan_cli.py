"""``planet-lake scan`` and ``planet-lake pseudonymise`` as a user runs them: separate processes, real files."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.core.privacy_tables import people, write_csv, write_xlsx


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "planet_gui.cli", *args], capture_output=True, text=True,
                          timeout=180, cwd=ROOT, stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})})


def test_scan_prints_findings_and_says_so_in_its_exit_status(tmp_path: Path) -> None:
    rows = people(200)
    flagged = write_csv(tmp_path / "pazienti.csv", rows)
    clean = tmp_path / "pm10.csv"
    clean.write_text("data,stazione,pm10\n" + "".join(f"2024-01-{d:02d},Milano Senato,{d * 3}\n"
                                                      for d in range(1, 29)), encoding="utf-8")
    done = run("scan", str(clean))
    assert done.returncode == 0, done.stderr
    assert "pm10.csv: no personal data found (whole file)" in done.stdout

    done = run("scan", str(flagged), str(clean))
    assert done.returncode == 1, done.stderr
    assert "pazienti.csv: PERSONAL DATA in 10 column(s)" in done.stdout
    line = next(line for line in done.stdout.splitlines() if line.strip().startswith("codice_fiscale "))
    assert "codice_fiscale" in line and "200" in line and "100%" in line
    assert rows[0][2] not in done.stdout  # examples are masked, never whole values
    assert rows[0][5] not in done.stdout


def test_scan_json(tmp_path: Path) -> None:
    workbook = write_xlsx(tmp_path / "pazienti.xlsx", people(120))
    done = run("scan", "--json", "--full", str(workbook))
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["format"] == "xlsx" and report["scope"] == "full" and report["personal_data"] is True
    kinds = {f["column"]: f["kind"] for f in report["findings"]}
    assert kinds["codice_fiscale"] == "codice_fiscale" and kinds["data_nascita"] == "birth_date"
    assert report["rows"] == 120


def test_scan_unreadable_file_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    done = run("scan", str(broken), str(tmp_path / "missing.csv"))
    assert done.returncode == 2
    assert "broken.xlsx" in done.stderr and "missing.csv" in done.stderr


def test_pseudonymise_cli(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "pazienti.csv", people(100))
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    key = {"PLANET_PSEUDONYM_KEY": "ab" * 32}
    out = tmp_path / "pseudo.csv"
    done = run("pseudonymise", str(source), "--columns", "nome,cognome,codice_fiscale", "--drop", "telefono",
               "-o", str(out), "--json", env=key)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["rows"] == 100 and result["source_sha256"] == before
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before
    again = run("pseudonymise", str(source), "--columns", "nome,cognome,codice_fiscale", "--drop", "telefono",
                "-o", str(tmp_path / "again.csv"), env=key)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "again.csv").read_bytes() == out.read_bytes()
    refused = run("pseudonymise", str(source), "--columns", "nome", "-o", str(out), env=key)
    assert refused.returncode == 1 and "already exists" in refused.stderr
    scanned = run("scan", "--json", str(out))
    flagged = {f["column"] for f in json.loads(scanned.stdout)["findings"]}
    assert not flagged & {"nome", "cognome", "codice_fiscale", "telefono"} and "email" in flagged


def test_inspect_json_reports_personal_data(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "pazienti.csv", people(80))
    done = run("inspect", "--json", str(path))
    assert done.returncode == 0, done.stderr
    inspection = json.loads(done.stdout)
    assert inspection["metadata"]["personal_data"] is True
    found = inspection["details"]["personal_data"]
    assert found["personal_data"] is True
    assert {"codice_fiscale", "email", "person_name", "birth_date"} <= set(found["kinds"])
    assert inspection["metadata"].get("time_field") != "data_nascita"
