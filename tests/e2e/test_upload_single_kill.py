"""A file of one part (a single PUT) killed with SIGKILL around its PUT resumes without sending anything twice.

The engine journals a single PUT with fewer syncs than a multipart upload (its entry is synced by the
``COMPLETING`` write, its part by the ``DONE`` write, see :class:`~planet_gui.core.transfer.journal.Journal`), so
these kill a real process at the two points that leaves open: after the server answered the PUT but before the
journal heard of it, and after ``COMPLETING`` but before the data went out. The next run (a new engine on the same
journal) must finish the upload, send its data at most once in all, and leave the journal ``DONE``.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from planet_gui.core.profile import Buckets
from planet_gui.core.schema import load_schema
from planet_gui.core.transfer import EngineSetup, FileState, Journal, TransferEngine, UploadState
from tests.support.uploads import MiB, PrivateLake, make_file, sha256_file, sha256_object

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SCOPE = "single-kill"

#: the engine in a child process, killed by SIGKILL just before (``before``) or just after (``after``) the data's PUT
CHILD = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, sys.argv[1])
    from pathlib import Path
    from minio import Minio
    from planet_gui.core.profile import Buckets
    from planet_gui.core.schema import load_schema
    from planet_gui.core.transfer import EngineSetup, Journal, TransferEngine, UploadItem, s3ops
    from tests.support.uploads import VALID

    _, _, endpoint, access, secret, journal, source, key, when = sys.argv
    put = s3ops.put_object

    def killing_put(client, bucket, object_key, *args, **kwargs):
        if object_key != key:  # a sidecar
            return put(client, bucket, object_key, *args, **kwargs)
        if when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        result = put(client, bucket, object_key, *args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)
        return result

    s3ops.put_object = killing_put
    client = Minio(endpoint, access_key=access, secret_key=secret, secure=False, region="us-east-1")
    engine = TransferEngine(EngineSetup(lambda: client, Buckets(), load_schema(), Journal(Path(journal)),
                                        scope="single-kill"))
    engine.run([UploadItem(Path(source), key, VALID)])
    sys.exit("the upload was not killed")
""")


def _killed_upload(plake: PrivateLake, journal: Path, source: Path, key: str, when: str) -> None:
    s3 = plake.s3
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT), s3.endpoint, s3.admin_access_key, s3.admin_secret_key,
         str(journal), str(source), key, when],
        capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert child.returncode == -signal.SIGKILL, child.stderr[-2000:]


def _resume(plake: PrivateLake, journal: Path) -> list[FileState]:
    admin = plake.admin()
    engine = TransferEngine(EngineSetup(lambda: admin, Buckets(), load_schema(), Journal(journal), scope=SCOPE))
    try:
        jobs = engine.resume_unfinished()
        outcomes = [job.wait(120) for job in jobs]
    finally:
        engine.close()
    assert all(o is not None for o in outcomes)
    return [o.state for o in outcomes if o is not None]


def _journal(journal: Path, key: str) -> tuple[str, list[str | None]]:
    """The entry's state and its sends' outcomes (None: the process died during that send)."""
    with sqlite3.connect(journal) as db:
        entry_id, state = db.execute("SELECT id, state FROM uploads WHERE key = ?", (key,)).fetchone()
        sends = [row[0] for row in db.execute("SELECT outcome FROM sends WHERE upload = ? ORDER BY id", (entry_id,))]
    return state, sends


def test_killed_after_the_put_was_answered(plake: PrivateLake, tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    source = make_file(tmp_path / "answered.bin", MiB, seed=31)
    key = "kill/answered.bin"
    _killed_upload(plake, journal, source, key, "after")
    state, sends = _journal(journal, key)
    assert (state, sends) == (UploadState.COMPLETING.value, [None])  # the server has it, the journal does not
    etag = plake.admin().stat_object("raw", key).etag

    assert _resume(plake, journal) == [FileState.DONE]
    assert _journal(journal, key) == (UploadState.DONE.value, [None])  # nothing sent again
    assert plake.admin().stat_object("raw", key).etag == etag
    assert sha256_object(plake.admin(), "raw", key) == sha256_file(source)


def test_killed_before_the_put(plake: PrivateLake, tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    source = make_file(tmp_path / "unsent.bin", MiB, seed=32)
    key = "kill/unsent.bin"
    _killed_upload(plake, journal, source, key, "before")
    assert _journal(journal, key) == (UploadState.COMPLETING.value, [None])
    assert not list(plake.admin().list_objects("raw", prefix=key))

    assert _resume(plake, journal) == [FileState.DONE]
    assert _journal(journal, key) == (UploadState.DONE.value, [None, "ok"])  # sent once, by the second run
    assert sha256_object(plake.admin(), "raw", key) == sha256_file(source)
    assert os.path.getsize(source) == plake.admin().stat_object("raw", key).size
