"""Kill -9 the app with 50 edited rows and 2 uploads running; restart: the 50 rows and their edits are back, the
2 uploads resume (without sending again a part the server had confirmed) and reach "validated".

The real window runs in a process of its own (``gui_crash_driver``, offscreen), against the real provider, S3
server and hook. The uploads are slowed by the engine's bandwidth cap so that they are still running when the
process is killed."""

from __future__ import annotations

import json
import os
import selectors
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from planet_gui.core.auth.token_store import TokenStore
from planet_gui.core.transfer import Journal
from tests.conftest import ROOT, Lake, write_profile
from tests.support.cli import cli_login
from tests.support.uploads import MiB, make_file, sha256_file, sha256_object

pytestmark = pytest.mark.e2e

SMALL = 50
BIG_SIZE = 16 * MiB
CSV = "date,station,pm10\n2024-01-01,{name},{a}\n2024-01-02,{name},{b}\n"


class Driven:
    """The driver process and its ``WORD {json}`` lines."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.gui_crash_driver", *args], cwd=ROOT, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True)
        self.seen: list[str] = []
        self._selector = selectors.DefaultSelector()
        assert self.process.stdout is not None
        self._selector.register(self.process.stdout, selectors.EVENT_READ)

    def expect(self, word: str, timeout: float) -> Any:
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._selector.select(timeout=max(0.0, deadline - time.monotonic())):
                break
            line = self.process.stdout.readline()
            if not line:
                break
            self.seen.append(line)
            if line.startswith(word + " "):
                return json.loads(line[len(word) + 1:])
        raise AssertionError(f"no {word} from the window; it said:\n" + "".join(self.seen[-60:]))

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)


def test_kill_9_with_edits_and_uploads_then_restart(lake: Lake, hook, tmp_path: Path) -> None:  # noqa: ANN001
    if not TokenStore("planet-uploader:probe").persistent:
        pytest.skip("no OS keyring here: run the suite with `bash scripts/test.sh`, which starts one")
    profile = write_profile(tmp_path / "crash-gui.toml", lake.oidc, lake.s3)
    code, out, err = cli_login(profile, "alice")
    assert code == 0, out + err
    files = tmp_path / "files"
    files.mkdir()
    for i in range(SMALL):
        (files / f"pm10-{i:02}.csv").write_text(CSV.format(name=f"S{i}", a=i, b=i + 1), encoding="utf-8")
    big = [make_file(files / name, BIG_SIZE, seed=n) for n, name in enumerate(("big-1.bin", "big-2.bin"))]
    data = tmp_path / "data"  # the app's user data folder: queue, journal, history
    env = {**os.environ, "XDG_DATA_HOME": str(data), "QT_QPA_PLATFORM": "offscreen",
           "PLANET_TEST_PART_SIZE": str(5 * MiB), "PLANET_TEST_MAX_RATE": str(2 * MiB)}

    first = Driven(env, "add", str(profile), str(files))
    try:
        before = first.expect("READY", 240)
    finally:
        first.kill()
    killed_at = time.time()
    assert len(before) == SMALL + 2
    journal_path = data / "planet-uploader" / "transfers.sqlite3"
    journal = Journal(journal_path)
    try:
        interrupted = {Path(e.path): e for e in journal.unfinished()}
        confirmed = {path: set(journal.parts(e.id)) for path, e in interrupted.items()}
    finally:
        journal.close()
    assert set(interrupted) == set(big)
    assert all(confirmed[path] for path in big) and all(len(confirmed[p]) < 4 for p in big), confirmed

    second = Driven({**env, "PLANET_TEST_MAX_RATE": "0"}, "restart", str(profile))
    try:
        restored = second.expect("RESTORED", 60)
        done = second.expect("DONE", 300)
        assert second.process.wait(60) == 0, "".join(second.seen[-40:])
    finally:
        if second.process.poll() is None:
            second.kill()

    # the 50 rows and their edits are back, in order, as the window showed them; the 2 uploads as interrupted
    assert [r["path"] for r in restored] == [r["path"] for r in before]
    for shown, back in zip(before, restored, strict=True):
        if Path(shown["path"]) in big:
            assert shown["state"] == "uploading" and back["state"] == "interrupted"
            continue
        assert back["state"] == shown["state"] and back["state"] in ("ready", "invalid"), back
        assert back["message"] == shown["message"]  # e.g. which fields are still missing
        assert back["values"] == shown["values"]
        stem = Path(shown["path"]).stem
        assert back["values"]["source"] == f"Station {stem}" and back["values"]["licence"] == "CC BY 4.0"

    # the 2 uploads were offered, resumed without sending a confirmed part again, and validated
    assert sorted(done["offered"]) == ["big-1.bin", "big-2.bin"]
    assert "Resuming 2 interrupted upload(s)." in done["messages"]  # handed to the engine, followed like any upload
    after = {Path(r["path"]): r for r in done["rows"]}
    admin = lake.admin()
    db = sqlite3.connect(journal_path)
    try:
        for path in big:
            row = after[path]
            assert row["state"] == "validated", row
            assert row["values"]["sha256"] == sha256_file(path) == sha256_object(admin, "validated", row["key"])
            assert row["values"]["uploader"] == "alice"
            resent = db.execute(
                "SELECT part_number FROM sends WHERE upload = ? AND started_at > ?",
                (interrupted[path].id, killed_at)).fetchall()
            assert resent and not {n for (n,) in resent} & confirmed[path], (resent, confirmed[path])
    finally:
        db.close()
    # the small files are still there, untouched, after the restart
    assert [(r["state"], r["values"]) for r in done["rows"] if Path(r["path"]) not in big] == \
        [(r["state"], r["values"]) for r in before if Path(r["path"]) not in big]
