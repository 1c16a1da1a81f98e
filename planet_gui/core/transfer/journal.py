"""The local upload journal: what is being uploaded, and which parts the server has confirmed.

SQLite in the user's data directory, written before and after every step that changes the server's state, so
after a crash, a ``kill -9`` or a reboot the next start knows each upload's id and the parts (with their ETags
and checksums) the server already holds, and sends none of them again. The file's identity (path, size, mtime,
and the checksum of every confirmed part, which the resumed run reads again for the SHA-256 of the whole file)
tells a file that changed meanwhile; such an upload restarts instead of mixing old and new bytes. The SHA-256
of the whole file is known once every part went by, so it is written just before the upload completes.

Every attempt to send a part is logged in ``sends`` (start, end, outcome) for audits: a part is confirmed once.
The journal never holds a secret: no token, no credential, no presigned URL; object keys, upload ids, ETags,
checksums and the metadata values the user chose.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from planet_gui.core.errors import PlanetError
from planet_gui.core.i18n import tr
from planet_gui.core.private import app_data_dir, create_private_file, private_file

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
#: SQLite's side files, which it creates with the journal's own mode (hence the journal is made 0600 first)
_SIDE_FILES = ("-wal", "-shm", "-journal")


class JournalError(PlanetError):
    """The journal cannot be created or written (a full disk, a folder that is not ours): a sentence, not a
    traceback; nothing is uploaded until it is fixed, since an upload that cannot be journaled cannot resume."""

    title = "Upload journal problem"

_DDL = """
CREATE TABLE IF NOT EXISTS uploads (
    id INTEGER PRIMARY KEY,
    scope TEXT NOT NULL,
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,  -- '' until the whole file went by (see set_sha256)
    part_size INTEGER NOT NULL,
    part_checksum TEXT NOT NULL DEFAULT 'SHA256',  -- the parts' checksum algorithm (s3ops.Checksum)
    part_count INTEGER NOT NULL,
    upload_id TEXT,
    values_json TEXT NOT NULL,
    overwrite INTEGER NOT NULL DEFAULT 0,
    sidecar_key TEXT,
    state TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    completed_at REAL
);
CREATE INDEX IF NOT EXISTS uploads_by_key ON uploads(scope, bucket, key, state);
CREATE INDEX IF NOT EXISTS uploads_by_sha ON uploads(scope, sha256, state);
CREATE INDEX IF NOT EXISTS uploads_by_path ON uploads(scope, path, state);
CREATE TABLE IF NOT EXISTS parts (
    upload INTEGER NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
    part_number INTEGER NOT NULL,
    size INTEGER NOT NULL,
    checksum TEXT NOT NULL,  -- base64, of the upload's part_checksum algorithm
    etag TEXT NOT NULL,
    how TEXT NOT NULL,
    confirmed_at REAL NOT NULL,
    PRIMARY KEY (upload, part_number)
);
CREATE TABLE IF NOT EXISTS sends (
    id INTEGER PRIMARY KEY,
    upload INTEGER NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
    part_number INTEGER NOT NULL,
    started_at REAL NOT NULL,
    finished_at REAL,
    outcome TEXT
);
CREATE INDEX IF NOT EXISTS sends_by_upload ON sends(upload, part_number);
"""


class UploadState(StrEnum):
    ACTIVE = "active"  # created; parts may be on the server
    COMPLETING = "completing"  # every part confirmed; CompleteMultipartUpload (or the PUT) sent
    SEALING = "sealing"  # completed with "Sha256: pending"; the object's metadata gets its SHA-256 next
    DONE = "done"  # on the server and verified
    CANCELLED = "cancelled"  # aborted on the server
    FAILED = "failed"  # refused for good; nothing to resume
    SUPERSEDED = "superseded"  # the file changed, or another upload replaced this one


UNFINISHED = (UploadState.ACTIVE, UploadState.COMPLETING, UploadState.SEALING)
_UNFINISHED_SQL = "(" + ", ".join("?" * len(UNFINISHED)) + ")"


@dataclass(frozen=True)
class JournalEntry:
    id: int
    scope: str
    bucket: str
    key: str
    path: str
    size: int
    mtime_ns: int
    sha256: str  # "" until every part went by
    part_size: int
    part_count: int
    part_checksum: str  # s3ops.Checksum value
    upload_id: str | None
    values: dict[str, Any]
    overwrite: bool
    sidecar_key: str | None
    state: UploadState
    message: str
    created_at: float
    updated_at: float
    completed_at: float | None


@dataclass(frozen=True)
class ConfirmedPart:
    number: int
    size: int
    checksum: str  # base64, as sent in the upload's x-amz-checksum-<algorithm>
    etag: str
    how: str  # "sent" or "adopted" (found on the server after a crash, checked against the file)


def default_journal_path() -> Path:
    return app_data_dir() / "transfers.sqlite3"


class Journal:
    """Thread-safe; one connection, every write its own transaction.

    What only this journal remembers (an upload's id, key, state and SHA-256) is synced to disk at every write
    (``synchronous=FULL``).  Part and send records, two per part, are written at once, so a killed process loses
    none, but synced with the next durable write (``synchronous=NORMAL`` in WAL mode): an fsync per part stalled
    the sending threads behind the disk's writeback (up to 0.24 s each, 1.7 s per GiB while the disk was busy).
    A power cut may lose the last of them; the server still lists those parts, and a resumed upload adopts them
    after checking their MD5 against the file, so nothing is sent twice.

    A killed process (``kill -9``, a crash) loses no committed write at all, durable or not: the WAL is in the
    kernel's page cache. So a write may also skip its own sync when the next durable write comes before the server
    changes (WAL commits land in order, and one fsync covers every earlier commit): a single PUT's entry is synced
    by its ``COMPLETING`` write, before anything is sent (:meth:`begin` with ``durable=False``); and the last
    writes of a single PUT, its part and ``DONE``, are one transaction (:meth:`finish_single`). A file of one part
    costs two syncs, not three: each stalled every other thread's journal write behind the disk.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_journal_path()
        self._lock = threading.RLock()
        self._readers: list[sqlite3.Connection] = []  # idle read connections (see _reading)
        self._readers_lock = threading.Lock()
        self._closed = False
        #: set when the journal could not be read and was moved aside: the sentence to show the user
        self.recovered: str | None = None
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as exc:
            if _is_full(exc):
                raise self._problem(exc) from exc
            if not _is_corrupt(exc):
                raise self._problem(exc) from exc
            moved = self._move_aside()
            log.warning("the upload journal %s could not be read (%s); moved aside to %s", self.path, exc, moved)
            self.recovered = tr("The upload journal {path} could not be read ({error}), so it was moved aside to "
                                "{moved} and a new one was started. Uploads it recorded as interrupted cannot be "
                                "resumed from here; upload those files again.", path=self.path, error=exc,
                                moved=moved.name)
            try:
                self._db = self._open()
            except (sqlite3.DatabaseError, OSError) as again:
                raise self._problem(again) from again
        except OSError as exc:
            raise self._problem(exc) from exc

    def _open(self) -> sqlite3.Connection:
        """Connect, check the file is a sound SQLite database, and bring its tables up to date. The file is made
        0600 before SQLite opens it: SQLite gives its -wal and -shm files the database's own mode."""
        if not self.path.exists():
            self._create()
        create_private_file(self.path)  # 0600 whatever made it (an older version, a copy)
        for suffix in _SIDE_FILES:
            private_file(self.path.with_name(self.path.name + suffix))
        db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None, timeout=30)
        try:
            db.row_factory = sqlite3.Row
            with self._lock:
                db.execute("PRAGMA journal_mode=WAL")
                verdict = [str(row[0]) for row in db.execute("PRAGMA quick_check").fetchall()]
                if verdict != ["ok"]:
                    raise sqlite3.DatabaseError("; ".join(verdict[:3]) or "quick_check failed")
                db.execute("PRAGMA synchronous=FULL")
                db.execute("PRAGMA foreign_keys=ON")
                self._db = db
                self._migrate()
                db.executescript(_DDL)
                db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except BaseException:
            db.close()
            raise
        for suffix in _SIDE_FILES:
            private_file(self.path.with_name(self.path.name + suffix))
        return db

    def _create(self) -> None:
        """A new journal appears whole, its tables there, and private: built under a temporary name, then linked
        into place (never over a journal another process created meanwhile: that one is kept). So a process
        reading the journal never meets an empty file."""
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}-{threading.get_ident()}.new")
        try:
            partial.unlink(missing_ok=True)
            create_private_file(partial)
            db = sqlite3.connect(str(partial), isolation_level=None)
            try:
                db.execute("PRAGMA journal_mode=WAL")  # kept in the file's header
                db.executescript(_DDL)
                db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            finally:
                db.close()
            try:
                os.link(partial, self.path)
            except FileExistsError:
                pass
            except OSError:  # a file system without hard links (FAT, some network mounts): a rename, if still free
                if not self.path.exists():
                    os.replace(partial, self.path)
        finally:
            for leftover in (partial, *(partial.with_name(partial.name + suffix) for suffix in _SIDE_FILES)):
                leftover.unlink(missing_ok=True)

    def _move_aside(self) -> Path:
        """Rename the unreadable journal (and its side files) to NAME.unreadable-TIMESTAMP, keeping it for a look."""
        stamp = time.strftime("%Y%m%dT%H%M%S", time.localtime())
        moved = self.path.with_name(f"{self.path.name}.unreadable-{stamp}")
        count = 1
        while moved.exists():
            count += 1
            moved = self.path.with_name(f"{self.path.name}.unreadable-{stamp}-{count}")
        try:
            os.replace(self.path, moved)
            for suffix in _SIDE_FILES:
                side = self.path.with_name(self.path.name + suffix)
                if side.exists():
                    os.replace(side, moved.with_name(moved.name + suffix))
        except OSError as exc:
            raise self._problem(exc) from exc
        return moved

    def _problem(self, exc: BaseException) -> JournalError:
        if _is_full(exc):
            return JournalError(tr("The upload journal cannot be written at {path}: the disk is full (or your quota "
                                   "is used up). Free some space there and try again; nothing was uploaded.",
                                   path=self.path))
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return JournalError(tr("The upload journal {path} cannot be opened ({error}). Check that the folder is "
                               "yours and writable; nothing was uploaded.", path=self.path, error=reason))

    def _migrate(self) -> None:
        """Version 1 journals: SHA-256 part checksums only (kept, so their uploads still resume)."""
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version == 1 and "uploads" in tables:
            self._db.execute("ALTER TABLE uploads ADD COLUMN part_checksum TEXT NOT NULL DEFAULT 'SHA256'")
            self._db.execute("ALTER TABLE parts RENAME COLUMN sha256 TO checksum")

    def close(self) -> None:
        with self._lock, self._readers_lock:
            self._closed = True
            self._db.close()
            while self._readers:
                self._readers.pop().close()

    def _open_reader(self) -> sqlite3.Connection | None:
        try:
            db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None, timeout=30)
        except sqlite3.Error:  # no file handle left, say: the reads go through the writer's connection
            return None
        try:
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA query_only=ON")
        except sqlite3.Error:
            db.close()
            return None
        return db

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A connection for one query, never the writing one: in WAL mode a reader sees every committed write
        and waits for none, so a file's checks (is it in the journal, was its content uploaded) do not queue
        behind another thread's commit and its fsync. Connections are pooled: at most one per thread that
        reads at the same moment."""
        with self._readers_lock:  # not the writer's lock, which a commit holds through its fsync
            db = self._readers.pop() if self._readers else None
            closed = self._closed
        if db is None and not closed:
            db = self._open_reader()
        if db is None:  # closed (the writer's connection refuses, as it should), or no reader could be opened
            with self._lock:
                yield self._db
            return
        try:
            yield db
        finally:
            with self._readers_lock:
                if self._closed:
                    db.close()
                else:
                    self._readers.append(db)

    @contextmanager
    def _tx(self, *, durable: bool = True) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if not durable:
                self._db.execute("PRAGMA synchronous=NORMAL")  # outside a transaction, as SQLite requires
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                else:
                    self._db.execute("COMMIT")
            finally:
                if not durable:
                    self._db.execute("PRAGMA synchronous=FULL")

    # -- uploads ---------------------------------------------------------------------------------

    def begin(self, *, scope: str, bucket: str, key: str, path: Path, size: int, mtime_ns: int, sha256: str,
              part_size: int, part_count: int, values: Mapping[str, Any], overwrite: bool,
              sidecar_key: str | None, part_checksum: str = "SHA256", durable: bool = True) -> JournalEntry:
        """A new upload, ``ACTIVE``. ``durable=False`` only when the caller's next write, before the server changes
        anything, is durable (it syncs this one too)."""
        now = time.time()
        values_json = json.dumps(dict(values), ensure_ascii=False, default=str)
        with self._tx(durable=durable) as db:
            cursor = db.execute(
                "INSERT INTO uploads (scope, bucket, key, path, size, mtime_ns, sha256, part_size, part_count,"
                " part_checksum, values_json, overwrite, sidecar_key, state, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (scope, bucket, key, str(path), size, mtime_ns, sha256, part_size, part_count, part_checksum,
                 values_json, int(overwrite), sidecar_key,
                 UploadState.ACTIVE.value, now, now),
            )
            row_id = int(cursor.lastrowid or 0)
        return JournalEntry(
            id=row_id, scope=scope, bucket=bucket, key=key, path=str(path), size=size, mtime_ns=mtime_ns,
            sha256=sha256, part_size=part_size, part_count=part_count, part_checksum=part_checksum, upload_id=None,
            values=json.loads(values_json), overwrite=overwrite, sidecar_key=sidecar_key, state=UploadState.ACTIVE,
            message="", created_at=now, updated_at=now, completed_at=None)  # as get() would read it back

    def get(self, entry_id: int) -> JournalEntry:
        with self._reading() as db:
            rows = db.execute("SELECT * FROM uploads WHERE id = ?", (entry_id,)).fetchall()  # ends its read
        if not rows:
            raise KeyError(entry_id)
        return _entry(rows[0])

    def set_upload_id(self, entry_id: int, upload_id: str | None) -> None:
        with self._tx() as db:
            db.execute("UPDATE uploads SET upload_id = ?, updated_at = ? WHERE id = ?",
                       (upload_id, time.time(), entry_id))

    def set_sha256(self, entry_id: int, sha256: str) -> None:
        with self._tx() as db:
            db.execute("UPDATE uploads SET sha256 = ?, updated_at = ? WHERE id = ?", (sha256, time.time(), entry_id))

    def set_state(self, entry_id: int, state: UploadState, message: str = "") -> None:
        now = time.time()
        completed = now if state is UploadState.DONE else None
        with self._tx() as db:
            db.execute("UPDATE uploads SET state = ?, message = ?, updated_at = ?,"
                       " completed_at = COALESCE(?, completed_at) WHERE id = ?",
                       (state.value, message, now, completed, entry_id))

    def set_key(self, entry_id: int, key: str, sidecar_key: str | None) -> None:
        with self._tx() as db:
            db.execute("UPDATE uploads SET key = ?, sidecar_key = ?, updated_at = ? WHERE id = ?",
                       (key, sidecar_key, time.time(), entry_id))

    def unfinished(self, scope: str | None = None) -> list[JournalEntry]:
        query = f"SELECT * FROM uploads WHERE state IN {_UNFINISHED_SQL}"
        args: list[Any] = [s.value for s in UNFINISHED]
        if scope is not None:
            query += " AND scope = ?"
            args.append(scope)
        with self._reading() as db:
            rows = db.execute(query + " ORDER BY id", args).fetchall()
        return [_entry(r) for r in rows]

    def unfinished_for(self, scope: str, bucket: str, key: str) -> list[JournalEntry]:
        with self._reading() as db:
            rows = db.execute(
                f"SELECT * FROM uploads WHERE scope = ? AND bucket = ? AND key = ? AND state IN {_UNFINISHED_SQL}"
                " ORDER BY id",
                (scope, bucket, key, *[s.value for s in UNFINISHED]),
            ).fetchall()
        return [_entry(r) for r in rows]

    def unfinished_for_path(self, scope: str, path: Path) -> list[JournalEntry]:
        with self._reading() as db:
            rows = db.execute(
                f"SELECT * FROM uploads WHERE scope = ? AND path = ? AND state IN {_UNFINISHED_SQL} ORDER BY id",
                (scope, str(path), *[s.value for s in UNFINISHED]),
            ).fetchall()
        return [_entry(r) for r in rows]

    def done_with_sha(self, scope: str, sha256: str) -> list[JournalEntry]:
        with self._reading() as db:
            rows = db.execute(
                "SELECT * FROM uploads WHERE scope = ? AND sha256 = ? AND state = ? ORDER BY id DESC",
                (scope, sha256, UploadState.DONE.value),
            ).fetchall()
        return [_entry(r) for r in rows]

    def done_for_identity(self, scope: str, path: Path, size: int, mtime_ns: int) -> JournalEntry | None:
        with self._reading() as db:
            row = db.execute(
                "SELECT * FROM uploads WHERE scope = ? AND path = ? AND size = ? AND mtime_ns = ? AND state = ?"
                " ORDER BY id DESC LIMIT 1",
                (scope, str(path), size, mtime_ns, UploadState.DONE.value),
            ).fetchall()  # to the end: a statement left open would hold this reader's snapshot
        return _entry(row[0]) if row else None

    def entries(self, scope: str | None = None) -> list[JournalEntry]:
        query = "SELECT * FROM uploads"
        args: tuple[Any, ...] = ()
        if scope is not None:
            query += " WHERE scope = ?"
            args = (scope,)
        with self._reading() as db:
            rows = db.execute(query + " ORDER BY id", args).fetchall()
        return [_entry(r) for r in rows]

    # -- parts -----------------------------------------------------------------------------------

    def parts(self, entry_id: int) -> dict[int, ConfirmedPart]:
        with self._reading() as db:
            rows = db.execute("SELECT * FROM parts WHERE upload = ? ORDER BY part_number",
                                    (entry_id,)).fetchall()
        return {int(r["part_number"]): ConfirmedPart(int(r["part_number"]), int(r["size"]), str(r["checksum"]),
                                                     str(r["etag"]), str(r["how"])) for r in rows}

    def confirm_part(self, entry_id: int, part: ConfirmedPart, send_id: int | None = None) -> None:
        now = time.time()
        with self._tx(durable=False) as db:
            db.execute("INSERT OR REPLACE INTO parts (upload, part_number, size, checksum, etag, how, confirmed_at)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (entry_id, part.number, part.size, part.checksum, part.etag, part.how, now))
            if send_id is not None:
                db.execute("UPDATE sends SET finished_at = ?, outcome = 'ok' WHERE id = ?", (now, send_id))

    def finish_single(self, entry_id: int, part: ConfirmedPart, send_id: int | None) -> None:
        """A single PUT confirmed and verified by the server's answer: its part, its send's outcome and ``DONE`` in
        one durable transaction (:meth:`confirm_part` then :meth:`set_state`, with one sync instead of a separate
        write). A kill before it leaves the entry ``COMPLETING``: the next run finds the object whole, with our
        SHA-256 in its metadata, and finishes it without sending it again."""
        now = time.time()
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO parts (upload, part_number, size, checksum, etag, how, confirmed_at)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (entry_id, part.number, part.size, part.checksum, part.etag, part.how, now))
            if send_id is not None:
                db.execute("UPDATE sends SET finished_at = ?, outcome = 'ok' WHERE id = ?", (now, send_id))
            db.execute("UPDATE uploads SET state = ?, message = '', updated_at = ?, completed_at = ? WHERE id = ?",
                       (UploadState.DONE.value, now, now, entry_id))

    def forget_parts(self, entry_id: int) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM parts WHERE upload = ?", (entry_id,))

    def send_started(self, entry_id: int, part_number: int) -> int:
        with self._tx(durable=False) as db:
            cursor = db.execute("INSERT INTO sends (upload, part_number, started_at) VALUES (?, ?, ?)",
                                (entry_id, part_number, time.time()))
            return int(cursor.lastrowid or 0)

    def send_failed(self, send_id: int, outcome: str) -> None:
        with self._tx(durable=False) as db:
            db.execute("UPDATE sends SET finished_at = ?, outcome = ? WHERE id = ?",
                       (time.time(), outcome[:200], send_id))

    def sends(self, entry_id: int) -> list[tuple[int, str | None]]:
        """(part number, outcome) of every attempt, in order; outcome None = interrupted (killed)."""
        with self._reading() as db:
            rows = db.execute("SELECT part_number, outcome FROM sends WHERE upload = ? ORDER BY id",
                                    (entry_id,)).fetchall()
        return [(int(r["part_number"]), r["outcome"]) for r in rows]

    def prune(self, details_days: float = 30.0, failures_days: float = 90.0) -> int:
        """Keep the journal small without forgetting what was uploaded: finished uploads older than
        ``details_days`` lose their parts and send log; cancelled, failed and superseded ones older than
        ``failures_days`` go. Done uploads stay (one row each): they tell a file uploaded before, by its SHA-256.
        Unfinished uploads are never touched. Returns the rows deleted."""
        now = time.time()
        finished = [s.value for s in UploadState if s not in UNFINISHED]
        marks = ", ".join("?" * len(finished))
        with self._tx() as db:
            old = f"SELECT id FROM uploads WHERE state IN ({marks}) AND updated_at < ?"
            deleted = db.execute(f"DELETE FROM parts WHERE upload IN ({old})", (*finished, now - details_days * 86400))
            count = int(deleted.rowcount)
            deleted = db.execute(f"DELETE FROM sends WHERE upload IN ({old})", (*finished, now - details_days * 86400))
            count += int(deleted.rowcount)
            gone = [s.value for s in (UploadState.CANCELLED, UploadState.FAILED, UploadState.SUPERSEDED)]
            deleted = db.execute(
                f"DELETE FROM uploads WHERE state IN ({', '.join('?' * len(gone))}) AND updated_at < ?",
                (*gone, now - failures_days * 86400))
            return count + int(deleted.rowcount)


def _is_full(exc: BaseException) -> bool:
    """SQLITE_FULL, or the kernel's ENOSPC/EDQUOT/EFBIG (a file size limit) underneath."""
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
    code = getattr(exc, "sqlite_errorcode", None)
    return (code is not None and code & 0xFF == sqlite3.SQLITE_FULL) or "disk is full" in str(exc)


def _is_corrupt(exc: sqlite3.DatabaseError) -> bool:
    """Not a database, or a damaged one (SQLITE_NOTADB, SQLITE_CORRUPT, a failed quick_check): moving it aside
    helps. Locked, read-only or unopenable ones are not: they are reported instead."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
        return True
    return type(exc) is sqlite3.DatabaseError  # quick_check's verdict, and older SQLite without error codes


def _entry(row: sqlite3.Row) -> JournalEntry:
    return JournalEntry(
        id=int(row["id"]), scope=str(row["scope"]), bucket=str(row["bucket"]), key=str(row["key"]),
        path=str(row["path"]), size=int(row["size"]), mtime_ns=int(row["mtime_ns"]), sha256=str(row["sha256"]),
        part_size=int(row["part_size"]), part_count=int(row["part_count"]), part_checksum=str(row["part_checksum"]),
        upload_id=row["upload_id"],
        values=json.loads(row["values_json"]), overwrite=bool(row["overwrite"]), sidecar_key=row["sidecar_key"],
        state=UploadState(row["state"]), message=str(row["message"]), created_at=float(row["created_at"]),
        updated_at=float(row["updated_at"]), completed_at=row["completed_at"],
    )


class Claim:
    """An exclusive, process-wide claim on one journal entry, so two processes (the GUI and the CLI, two
    watchers) never drive the same upload. Backed by ``flock``: a killed process releases it by dying."""

    def __init__(self, journal: Journal, entry_id: int) -> None:
        self._path = journal.path.with_name(journal.path.name + ".locks") / f"{entry_id}.lock"
        self._handle: Any = None

    def acquire(self) -> bool:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not on Linux/macOS: no cross-process claim
            return True
        create_private_file(self._path)
        handle = self._path.open("a+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._handle = handle
        return True

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # the file stays: unlinking it would race with a process opening it
            self._handle = None
