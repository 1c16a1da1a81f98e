"""``planet-lake upload`` and ``planet-lake watch`` as a user runs them: separate processes, the real keyring,
the shared lake with the validation hook running. Includes the acceptance test: ``kill -9`` during a 1 GiB
upload, then a restart that completes it without sending any part twice."""

from __future__ import annotations

import os
import pty
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planet_gui.core.auth.token_store import TokenStore
from planet_gui.core.transfer.journal import default_journal_path
from planet_gui.core.transfer.sizing import DEFAULT_PART_SIZE
from planet_gui.core.transfer.templates import templates_dir
from tests.conftest import ROOT, Lake, wait_for
from tests.support.cli import cli, cli_login
from tests.support.uploads import MiB, incomplete_uploads, make_file, sha256_file, sha256_object, where

pytestmark = pytest.mark.e2e

GiB = 1024 * MiB
REQUIRED = ["--set", "category=Other", "--set", "area=Italia", "--set", "frequency=none"]


@pytest.fixture(scope="module")
def alice(lake: Lake, hook) -> Lake:  # noqa: ANN001 - the hook only needs to be running
    if not TokenStore("planet-uploader:probe").persistent:
        pytest.skip("no OS keyring here: run the suite with `bash scripts/test.sh`, which starts one")
    code, out, err = cli_login(lake.profile_path, "alice")
    assert code == 0, out + err
    return lake


def _source(name: str) -> list[str]:
    return ["--set", f"source={name}"]


def _start(profile: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "planet_gui.cli", "--profile", str(profile), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def _journal_parts(key: str) -> tuple[int | None, int]:
    """(journal id, confirmed parts) of the newest upload of ``key``, read as another process would."""
    path = default_journal_path()
    if not path.exists():
        return None, 0
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10) as db:
        row = db.execute("SELECT id FROM uploads WHERE key = ? ORDER BY id DESC LIMIT 1", (key,)).fetchone()
        if row is None:
            return None, 0
        count, = db.execute("SELECT COUNT(*) FROM parts WHERE upload = ?", row).fetchone()
        return int(row[0]), int(count)


def _journal(entry_id: int) -> tuple[str, dict[int, str], dict[int, list[str | None]]]:
    with sqlite3.connect(f"file:{default_journal_path()}?mode=ro", uri=True, timeout=10) as db:
        state, = db.execute("SELECT state FROM uploads WHERE id = ?", (entry_id,)).fetchone()
        parts = dict(db.execute("SELECT part_number, how FROM parts WHERE upload = ?", (entry_id,)).fetchall())
        sends: dict[int, list[str | None]] = {}
        for number, outcome in db.execute("SELECT part_number, outcome FROM sends WHERE upload = ? ORDER BY id",
                                          (entry_id,)):
            sends.setdefault(number, []).append(outcome)
    return state, parts, sends


def _kill_when(process: subprocess.Popen[str], key: str, parts: int) -> int:
    """SIGKILL the whole CLI process group once the journal holds ``parts`` confirmed parts."""
    found = wait_for(lambda: (process.poll() is not None and (None, -1)) or
                     (_journal_parts(key)[1] >= parts and _journal_parts(key)), 90, f"{parts} parts of {key}")
    assert process.poll() is None, process.communicate()
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)
    assert found[0] is not None
    return int(found[0])


def test_kill_9_during_a_1_gib_upload_then_restart_completes_it(alice: Lake, tmp_path: Path) -> None:
    source = make_file(tmp_path / f"kill-{os.getpid()}.bin", GiB, seed=21)
    expected = sha256_file(source)
    key = f"Other/Kill test/alice/{source.name}"
    seed = random.randrange(1 << 30)
    total = GiB // DEFAULT_PART_SIZE
    target = random.Random(seed).randint(4, total - 8)  # of the default's parts
    print(f"random kill point: after {target} confirmed parts (seed {seed})")

    # capped at 100 MiB/s (a fast hospital link), so the test, polling the journal, cannot miss the kill point
    upload = _start(alice.profile_path, "upload", str(source), "--yes", "--max-rate", "102400", *REQUIRED,
                    *_source("Kill test"))
    entry_id = _kill_when(upload, key, target)
    state, parts, _ = _journal(entry_id)
    assert state == "active" and target <= len(parts) < total

    started = time.monotonic()
    resumed = cli(alice.profile_path, "upload", "--resume", "--yes", timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert f"uploaded {source.name} as {key}" in resumed.stdout
    assert "bytes were on the server already" in resumed.stdout
    print(f"resumed in {time.monotonic() - started:.1f} s")

    state, parts, sends = _journal(entry_id)
    assert state == "done"
    assert sorted(parts) == list(range(1, total + 1))
    for number, outcomes in sends.items():  # every part was confirmed by the server exactly once
        assert outcomes.count("ok") == (0 if parts[number] == "adopted" else 1), (number, outcomes)
    admin = alice.admin()
    bucket = wait_for(lambda: where(admin, key), 30, f"{key} on the server")
    assert sha256_object(admin, bucket, key) == expected
    assert incomplete_uploads(admin, key) == []


def test_the_same_command_again_resumes_by_itself(alice: Lake, tmp_path: Path) -> None:
    source = make_file(tmp_path / f"again-{os.getpid()}.bin", 80 * MiB, seed=22)
    key = f"Other/Resume test/alice/{source.name}"
    args = ["upload", str(source), "--yes", "--part-size", "5", "--concurrency", "2", *REQUIRED,
            *_source("Resume test")]
    _kill_when(_start(alice.profile_path, *args, "--max-rate", "20480"), key, 3)  # 4 s at least: killed mid-way
    again = cli(alice.profile_path, *args)
    assert again.returncode == 0, again.stderr
    assert "bytes were on the server already" in again.stdout
    admin = alice.admin()
    bucket = wait_for(lambda: where(admin, key), 30, f"{key} on the server")
    assert sha256_object(admin, bucket, key) == sha256_file(source)


def test_cancel_pending_aborts_what_a_killed_upload_left(alice: Lake, tmp_path: Path) -> None:
    source = make_file(tmp_path / f"abandoned-{os.getpid()}.bin", 80 * MiB, seed=23)
    key = f"Other/Cancel test/alice/{source.name}"
    _kill_when(_start(alice.profile_path, "upload", str(source), "--yes", "--part-size", "5", "--max-rate", "20480",
                      *REQUIRED, *_source("Cancel test")), key, 2)
    admin = alice.admin()
    assert [k for k, _ in incomplete_uploads(admin, key)] == [key]
    cancelled = cli(alice.profile_path, "upload", "--cancel-pending")
    assert cancelled.returncode == 0, cancelled.stderr
    assert f"cancelled the interrupted upload of {source.name}" in cancelled.stdout
    assert incomplete_uploads(admin, key) == []
    assert where(admin, key) is None


def test_rename_and_overwrite_from_the_command_line(alice: Lake, tmp_path: Path) -> None:
    source = make_file(tmp_path / f"twice-{os.getpid()}.bin", 3000, seed=24)
    args = ["upload", str(source), "--yes", *REQUIRED, *_source("Conflict test")]
    assert cli(alice.profile_path, *args).returncode == 0
    key = f"Other/Conflict test/alice/{source.name}"
    admin = alice.admin()
    wait_for(lambda: where(admin, key) == "validated", 60, "the hook to validate the first upload")

    again = cli(alice.profile_path, *args)
    assert again.returncode == 1 and "already in the lake" in again.stderr and "Traceback" not in again.stderr
    make_file(source, 3500, seed=25)
    overwrite = cli(alice.profile_path, *args, "--overwrite")
    assert overwrite.returncode == 1
    assert "may not replace files that were already checked" in overwrite.stderr
    renamed = cli(alice.profile_path, *args, "--rename")
    assert renamed.returncode == 0, renamed.stderr
    assert f"as Other/Conflict test/alice/twice-{os.getpid()} (2).bin" in renamed.stdout


def test_a_folder_uploads_every_file_inside_it(alice: Lake, tmp_path: Path) -> None:
    folder = tmp_path / "consegna"
    (folder / "sub").mkdir(parents=True)
    (folder / ".git").mkdir()
    files = [make_file(folder / f"città-{os.getpid()}-a.bin", 2000, seed=27),
             make_file(folder / "sub" / f"città-{os.getpid()}-b.bin", 3000, seed=28)]
    make_file(folder / ".git" / f"hidden-{os.getpid()}.bin", 100, seed=29)
    empty = tmp_path / "empty"
    empty.mkdir()
    refused = cli(alice.profile_path, "upload", str(folder), str(empty), "--yes", *REQUIRED, *_source("Folder test"))
    assert refused.returncode == 1 and "empty: the folder holds no files" in refused.stderr
    assert "Traceback" not in refused.stderr

    result = cli(alice.profile_path, "upload", str(folder), "--yes", *REQUIRED, *_source("Folder test"))
    assert result.returncode == 0, result.stderr
    admin = alice.admin()
    for source in files:
        key = f"Other/Folder test/alice/{source.name}"
        bucket = wait_for(lambda key=key: where(admin, key), 30, f"{key} on the server")
        assert sha256_object(admin, bucket, key) == sha256_file(source)
    assert where(admin, f"Other/Folder test/alice/hidden-{os.getpid()}.bin") is None


def test_progress_bars_on_a_terminal(alice: Lake, tmp_path: Path) -> None:
    source = make_file(tmp_path / f"progress-{os.getpid()}.bin", 40 * MiB, seed=26)
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "planet_gui.cli", "--profile", str(alice.profile_path), "upload", str(source),
         "--yes", "--part-size", "5", *REQUIRED, *_source("Progress test")],
        stdout=subprocess.PIPE, stderr=terminal, stdin=subprocess.DEVNULL, cwd=ROOT, text=True,
        env={**os.environ, "COLUMNS": "120", "TERM": "xterm"},
    )
    os.close(terminal)
    screen = b""
    while True:
        ready, _, _ = select.select([controller], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    os.close(controller)
    assert process.wait(60) == 0
    text = screen.decode(errors="replace")
    assert "all files" in text and source.name in text and "MiB" in text and "done" in text


def test_watch_uploads_each_complete_file_once_with_its_template(alice: Lake, tmp_path: Path) -> None:
    folder = tmp_path / "deliveries"
    folder.mkdir()
    (folder / "sub").mkdir()
    first = folder / f"pm10-{os.getpid()}-a.csv"
    first.write_text("data;pm10\n2024-01-01;12\n2024-01-02;15\n", encoding="utf-8")
    second = folder / "sub" / f"pm10-{os.getpid()}-b.csv"
    second.write_text("data;pm10\n2024-01-03;9\n", encoding="utf-8")
    (folder / "partial.csv.part").write_text("still downloading", encoding="utf-8")
    templates_dir().mkdir(parents=True, exist_ok=True)
    (templates_dir() / "arpa-pm10.toml").write_text(
        '[metadata]\ncategory = "Atmosphere"\nsource = "ARPA Lombardia"\narea = "Lombardia"\n'
        'licence = "CC BY 4.0"\ndescription = "PM10 giornaliero, qualità dell\'aria"\n', encoding="utf-8")

    args = ["watch", str(folder), "--template", "arpa-pm10", "--once", "--stable-for", "0.5", "--interval", "0.2"]
    run = cli(alice.profile_path, *args, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("uploaded ") == 2, run.stdout
    assert "partial.csv.part" not in run.stdout + run.stderr
    key = f"Atmosphere/ARPA Lombardia/alice/{first.name}"
    admin = alice.admin()
    bucket = wait_for(lambda: where(admin, key), 30, key)
    meta = {k.lower(): v for k, v in admin.stat_object(bucket, key).metadata.items()}
    assert meta["x-amz-meta-licence"] == "CC BY 4.0"

    again = cli(alice.profile_path, *args, timeout=120)  # a restarted watcher uploads nothing twice
    assert again.returncode == 0, again.stderr
    assert "uploaded " not in again.stdout
    assert again.stderr.count("uploaded before") == 2


def test_the_hook_validates_and_moves_metadata_kept_in_a_sidecar(alice: Lake, tmp_path: Path) -> None:
    from planet_gui.core.schema import load_schema
    from planet_gui.core.transfer import sidecar

    schema = load_schema()
    fields = ",".join(f"misura_{i}_µg/m³" for i in range(120))
    good = make_file(tmp_path / f"long-fields-{os.getpid()}.bin", 2000, seed=27)
    upload = cli(alice.profile_path, "upload", str(good), "--yes", *REQUIRED, *_source("Sidecar test"),
                 "--set", f"fields={fields}", "--set", "description=Qualità dell'aria, città per città")
    assert upload.returncode == 0, upload.stderr
    key = f"Other/Sidecar test/alice/{good.name}"
    admin = alice.admin()
    wait_for(lambda: where(admin, key) == "validated", 60, "the hook to validate the upload")
    assert where(admin, key + sidecar.SIDECAR_SUFFIX) == "validated"  # the sidecar moved along
    values = sidecar.read_metadata(admin, schema, "validated", key)
    assert values["fields"] == fields.split(",") and values["description"] == "Qualità dell'aria, città per città"

    # a problem that only the sidecar holds (a description over 1000 characters) still sends it to triage
    bad = make_file(tmp_path / f"long-description-{os.getpid()}.bin", 2000, seed=28)
    forced = cli(alice.profile_path, "upload", str(bad), "--yes", "--no-validate", *REQUIRED,
                 *_source("Sidecar test"), "--set", "description=" + "è" * 1200)
    assert forced.returncode == 0, forced.stderr
    bad_key = f"Other/Sidecar test/alice/{bad.name}"
    wait_for(lambda: where(admin, bad_key) == "triage", 60, "the hook to send the upload to triage")
    reason = admin.stat_object("triage", bad_key).metadata
    from planet_gui.core.status import split_reasons

    reasons = split_reasons({k.lower(): v for k, v in reason.items()}["x-amz-meta-triage_reason"])
    assert any("longer than 1000 characters" in r for r in reasons), reasons
