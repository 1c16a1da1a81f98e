"""Back to analysis through the CLI, against the real provider, SeaweedFS with STS and the hook: a validated object
comes back byte for byte (`get`, its SHA-256 checked), through a time-limited link (`link`), and through the
pandas snippet (`snippet`), which, run by the venv's Python with nothing but a `planet-lake` on its PATH, opens the
data and counts the rows inspection counted. A tampered SHA-256 makes `get` refuse and keep nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from planet_gui.core.auth.token_store import TokenStore
from planet_gui.core.inspect import inspect_file
from tests.conftest import Lake
from tests.support.cli import ROOT, cli, cli_login
from tests.support.grib import italy_grib

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def alice(lake: Lake, hook) -> Lake:  # noqa: ANN001 - the hook fixture only needs to be running
    if not TokenStore("planet-uploader:probe").persistent:
        pytest.skip("no OS keyring here: run the suite with `bash scripts/test.sh`, which starts one")
    code, out, err = cli_login(lake.profile_path, "alice")
    assert code == 0, out + err
    return lake


def _panel_csv(path: Path) -> Path:
    """A DPC-like regional CSV, with content of its own (the lake refuses the same bytes twice)."""
    token = uuid.uuid4().hex[:8]
    lines = ["data,stato,denominazione_regione,totale_casi,note"]
    for day in range(1, 29):
        for index, region in enumerate(("Lombardia", "Veneto", "Lazio")):
            lines.append(f"2020-03-{day:02d}T18:00:00,ITA,{region},{day * 100 + index},{token}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _upload_and_validate(lake: Lake, path: Path) -> str:
    result = cli(lake.profile_path, "upload", str(path), "--yes")
    assert result.returncode == 0, result.stderr
    status = cli(lake.profile_path, "status", "--watch", "--interval", "0.5", "--timeout", "90", "--json")
    assert status.returncode == 0, status.stderr
    rows = [json.loads(line) for line in status.stdout.splitlines()]
    mine = [row for row in rows if row["key"].endswith("/alice/" + path.name)]
    assert mine and mine[-1]["state"] == "validated", rows
    return str(mine[-1]["key"])


@pytest.fixture(scope="module")
def validated_csv(alice: Lake, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    source = _panel_csv(tmp_path_factory.mktemp("retrieve") / "dpc-covid19-ita-regioni-retrieve.csv")
    return source, _upload_and_validate(alice, source)


def test_get_round_trips_a_validated_object_byte_for_byte(alice: Lake, validated_csv: tuple[Path, str],
                                                         tmp_path: Path) -> None:
    source, key = validated_csv
    dest = tmp_path / "copy.csv"
    result = cli(alice.profile_path, "get", key, str(dest))
    assert result.returncode == 0, result.stderr
    assert dest.read_bytes() == source.read_bytes()
    assert "SHA-256 checked" in result.stdout and f"validated/{key}" in result.stdout
    again = cli(alice.profile_path, "get", key, str(dest))  # never overwrites without being told
    assert again.returncode == 1 and "already exists" in again.stderr
    into_folder = cli(alice.profile_path, "get", key, str(tmp_path))
    assert into_folder.returncode == 0, into_folder.stderr
    assert (tmp_path / source.name).read_bytes() == source.read_bytes()


def test_get_refuses_an_object_whose_bytes_do_not_match_its_sha256(alice: Lake, tmp_path: Path) -> None:
    source = _panel_csv(tmp_path / "dpc-covid19-ita-regioni-tampered.csv")
    key = _upload_and_validate(alice, source)
    admin = alice.admin()
    from minio.commonconfig import REPLACE, CopySource

    stat = admin.stat_object("validated", key)
    metadata = {name[len("x-amz-meta-"):]: value for name, value in (stat.metadata or {}).items()
                if name.lower().startswith("x-amz-meta-") and name.lower() != "x-amz-meta-sha256"}
    metadata["Sha256"] = "0" * 64  # the record says other bytes than the object holds
    admin.copy_object("validated", key, CopySource("validated", key), metadata=metadata, metadata_directive=REPLACE)
    dest = tmp_path / "out"
    dest.mkdir()
    result = cli(alice.profile_path, "get", key, str(dest))
    assert result.returncode == 1
    assert "SHA-256" in result.stderr and "nothing was kept" in result.stderr and "Traceback" not in result.stderr
    assert list(dest.iterdir()) == []  # no file, not even the partial one


def test_link_downloads_without_a_login_until_it_expires(alice: Lake, validated_csv: tuple[Path, str]) -> None:
    source, key = validated_csv
    result = cli(alice.profile_path, "link", key, "--expires", "10m", "--json")
    assert result.returncode == 0, result.stderr
    link = json.loads(result.stdout)
    assert link["bucket"] == "validated" and link["url"].startswith(f"http://{alice.s3.endpoint}/")
    assert "X-Amz-Expires=" in link["url"] and "X-Amz-Security-Token=" in link["url"]
    response = httpx.get(link["url"], timeout=30)
    assert response.status_code == 200 and response.content == source.read_bytes()
    tampered = link["url"].replace("X-Amz-Expires=", "X-Amz-Expires=9")
    assert httpx.get(tampered, timeout=30).status_code == 403  # the signature covers the expiry


def _run_snippet(alice: Lake, key: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    snippet = cli(alice.profile_path, "snippet", key)
    assert snippet.returncode == 0, snippet.stderr
    code = snippet.stdout
    assert "credentials\", \"--json\"" in code or "'credentials', '--json'" in code
    creds = json.loads(cli(alice.profile_path, "credentials", "--json").stdout)
    assert creds["SecretAccessKey"] not in code and creds["SessionToken"] not in code  # no secret inside
    script = tmp_path / "open_it.py"
    script.write_text(code, encoding="utf-8")
    bin_dir = tmp_path / "bin"  # `planet-lake` as the user has it: this checkout's CLI
    bin_dir.mkdir(exist_ok=True)
    wrapper = bin_dir / "planet-lake"
    wrapper.write_text(f'#!/bin/sh\nPYTHONPATH={ROOT} exec {sys.executable} -m planet_gui.cli "$@"\n')
    wrapper.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ.get('PATH', '')}"}
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=180, cwd=tmp_path,
                          env=env, stdin=subprocess.DEVNULL)


def test_snippet_opens_the_csv_with_the_rows_inspection_counted(alice: Lake, validated_csv: tuple[Path, str],
                                                               tmp_path: Path) -> None:
    source, key = validated_csv
    expected = inspect_file(source).metadata["record_count"]
    ran = _run_snippet(alice, key, tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert f"{expected} rows" in ran.stdout


def test_snippet_opens_a_parquet_file(alice: Lake, tmp_path: Path) -> None:
    import pandas as pd

    frame = pd.read_csv(_panel_csv(tmp_path / "panel.csv"))
    source = tmp_path / "dpc-covid19-ita-regioni-retrieve.parquet"
    frame.to_parquet(source, row_group_size=30)
    expected = inspect_file(source).metadata["record_count"]
    assert expected == len(frame)
    key = _upload_and_validate(alice, source)
    ran = _run_snippet(alice, key, tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert f"{expected} rows" in ran.stdout


def test_snippet_opens_a_grib_file_with_cfgrib(alice: Lake, tmp_path: Path) -> None:
    """The GRIB snippet opens the object with ``engine="cfgrib"``: cfgrib (the ``analysis`` and ``test`` extras)
    over the ecCodes the base install has. One time step per day inspected, as xarray sees them."""
    pytest.importorskip("cfgrib", reason="cfgrib is not installed: pip install '.[analysis]'")
    # a start day of its own: the lake refuses the same bytes twice, and the sample's values are always the same
    start = date(2021, 1, 1) + timedelta(days=uuid.uuid4().int % 3000)
    source = italy_grib(tmp_path / "era5-t2m-italia-retrieve.grib2", days=5, start=start)
    found = inspect_file(source)
    assert found.metadata["format"] == "GRIB" and found.metadata["record_count"] == 5
    key = _upload_and_validate(alice, source)
    ran = _run_snippet(alice, key, tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert "engine=\"cfgrib\"" in (tmp_path / "open_it.py").read_text(encoding="utf-8")
    assert "time: 5" in ran.stdout and "t2m" in ran.stdout and "msl" in ran.stdout
    assert f"{start.isoformat()}" in ran.stdout


def test_credentials_are_temporary_and_work(alice: Lake) -> None:
    result = cli(alice.profile_path, "credentials", "--json")
    assert result.returncode == 0, result.stderr
    creds = json.loads(result.stdout)
    assert creds["Version"] == 1 and creds["SessionToken"] and creds["Expiration"]
    from minio import Minio

    client = Minio(creds["Endpoint"], access_key=creds["AccessKeyId"], secret_key=creds["SecretAccessKey"],
                   session_token=creds["SessionToken"], secure=creds["Secure"], region=creds["Region"])
    assert client.bucket_exists("validated")
    plain = cli(alice.profile_path, "credentials")
    assert creds["SecretAccessKey"] not in plain.stdout + plain.stderr
