"""The list of what this user uploaded from this computer, so ``status`` knows what to look for, with the last
verdict seen for each upload (so a final one is never asked for again).

Each upload is known by its key and its SHA-256: the same key may hold another file later (the hook sends a file
to triage when another one is validated under its name), and ``status`` must report this upload's verdict, not
that of whatever sits under the key. A fix (new metadata on a triaged object, sent back by a server-side copy) is
an attempt of its own: the history keeps both, the earlier one with the verdict it had.

Why SQLite: the history used to be one JSON file rewritten whole on every upload (quadratic over a long series);
recording an upload is now one indexed insert, and reading a thousand verdicts one query. It holds object keys,
file names, checksums and the lake's verdicts: never a token or a credential. The file is private (0600, its
side files too). An old ``uploads-NAME.json`` is read once into the database and renamed ``.json.migrated``.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from planet_gui.core.private import app_data_dir, create_private_file, private_file

log = logging.getLogger(__name__)

UPLOAD = "upload"
FIX = "fix"
SCHEMA_VERSION = 1
#: records between two checkpoints of the WAL (about 20 KB of WAL each)
CHECKPOINT_EVERY = 500
#: records left pending at most (memory bound): past it, an add waits for the checkpointer's current batch
MAX_PENDING = 10_000
_SIDE_FILES = ("-wal", "-shm", "-journal")

_DDL = """
CREATE TABLE IF NOT EXISTS uploads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    filename TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    uploaded_at TEXT NOT NULL,
    profile TEXT NOT NULL,
    etag TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT 'upload',
    note TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT '',
    bucket TEXT NOT NULL DEFAULT '',
    reasons TEXT NOT NULL DEFAULT '[]',
    verdict_etag TEXT NOT NULL DEFAULT '',
    checked_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS uploads_key ON uploads (key, sha256);
CREATE INDEX IF NOT EXISTS uploads_state ON uploads (state);
"""


@dataclass(frozen=True)
class UploadRecord:
    key: str
    filename: str
    sha256: str
    size: int
    uploaded_at: str
    profile: str
    #: the ETag the upload ended with: an object listed with it is this upload, no HEAD needed
    etag: str = ""
    #: ``upload``, or ``fix`` (new metadata sent back to raw by a server-side copy of the triaged object)
    kind: str = UPLOAD
    note: str = ""
    # the last verdict seen (empty: never looked at); filled by :meth:`UploadHistory.set_verdict`
    state: str = ""
    bucket: str = ""
    reasons: tuple[str, ...] = ()
    verdict_etag: str = ""
    checked_at: str = ""
    id: int = 0


_COLUMNS = ("key", "filename", "sha256", "size", "uploaded_at", "profile", "etag", "kind", "note", "state", "bucket",
            "reasons", "verdict_etag", "checked_at", "id")
_LEGACY_FIELDS = frozenset(("key", "filename", "sha256", "size", "uploaded_at", "profile"))


def default_history_path(profile_name: str) -> Path:
    return app_data_dir() / f"uploads-{profile_name}.sqlite3"


class UploadHistory:
    """One SQLite file per profile. ``path`` ending in ``.json`` (what earlier versions were given) means the
    database next to it, with the JSON file migrated into it."""

    def __init__(self, path: Path) -> None:
        self.path = path.with_suffix(".sqlite3") if path.suffix == ".json" else path
        self.legacy_path = self.path.with_suffix(".json")
        self._lock = threading.RLock()
        #: records that arrived while the checkpointer held the file (its RESTART's fsyncs took up to 100 ms on
        #: a busy disk), each with when it came: the checkpointer writes them before it lets go of
        #: ``_restarting`` (:meth:`_checkpoint`); guarded by ``_pending_lock``, never held during I/O
        self._pending: list[tuple[float, UploadRecord]] = []
        self._pending_lock = threading.Lock()
        #: raised by the checkpointer before it takes the file, lowered once it wrote what came meanwhile
        self._restarting = False
        #: the longest a record waited in ``_pending`` before it was committed (seconds; the benchmark's)
        self.longest_pending = 0.0
        self._db: sqlite3.Connection | None = None
        self._unchecked = 0  # records written since the last checkpoint was started
        self._checkpointer: threading.Thread | None = None
        #: set to ask the checkpointer for a checkpoint; ``_idle`` is set while none is asked for or running
        self._wanted = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._stopping = False
        self._start_checkpointer()  # here, not on the first add: starting a thread waits for the scheduler

    # -- the database ------------------------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        with self._lock:
            if self._db is None:
                create_private_file(self.path)
                db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None, timeout=30)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")  # a lost last record costs a status line, not data
                # the WAL is copied into the database (with an fsync) by a thread of its own, never by the
                # upload being recorded: at 10k records the checkpoints were the only adds over a millisecond
                db.execute("PRAGMA wal_autocheckpoint=0")
                db.executescript(_DDL)
                db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                for suffix in _SIDE_FILES:
                    private_file(self.path.with_name(self.path.name + suffix))
                self._db = db
                self._migrate_json(db)
                self._start_checkpointer()  # again after a close
            return self._db

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            db = self._conn()
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    @contextmanager
    def _holding(self) -> Iterator[None]:
        """The file to this thread, with the pending records written first (readers see every record added)."""
        with self._lock:
            self._flush()
            yield

    def _flush(self) -> None:
        """Write the pending records (the caller holds the file), oldest first, in one transaction."""
        with self._pending_lock:
            batch = list(self._pending)
        if not batch:
            return
        with self._tx() as db:
            self._insert_many(db, [record for _, record in batch])
        done = time.monotonic()
        self.longest_pending = max(self.longest_pending, done - batch[0][0])
        with self._pending_lock:
            del self._pending[:len(batch)]

    def _checkpoint_soon(self) -> None:
        """Copy the WAL into the database on another thread, with its own connection, every
        :data:`CHECKPOINT_EVERY` records: first PASSIVE (it waits for no one, and writers go on meanwhile), then
        RESTART for the few records written during the first (no writer waits for it: see :meth:`add`), so that
        the WAL starts again from its beginning instead of growing while uploads keep coming.

        The thread is started when the database is opened and waits to be asked: starting a thread waits for it
        to be scheduled (1.5 to 5 ms on a loaded machine), which the add that asked used to pay."""
        self._unchecked += 1
        if self._unchecked < CHECKPOINT_EVERY or not self._idle.is_set():
            return
        self._unchecked = 0
        self._idle.clear()
        self._wanted.set()

    def _start_checkpointer(self) -> None:
        if self._checkpointer is not None and self._checkpointer.is_alive():
            return
        self._stopping = False
        self._checkpointer = threading.Thread(target=_checkpointer_loop, args=(weakref.ref(self), self._wanted),
                                              name="planet-history-checkpoint", daemon=True)
        self._checkpointer.start()

    def wait_checkpointed(self, timeout: float = 60.0) -> bool:
        """Until no checkpoint is asked for or running (what was pending then is committed)."""
        return self._idle.wait(timeout)

    def _checkpoint(self) -> None:
        try:
            db = sqlite3.connect(str(self.path), isolation_level=None, timeout=30)
            try:
                db.execute("PRAGMA wal_checkpoint(PASSIVE)")
                # this process's adds leave their records pending meanwhile (never waiting for the RESTART's
                # fsyncs: the worst adds' wait), and this thread writes them; raised before the file is taken, so
                # an add never finds the file held by it without knowing why
                self._restarting = True
                try:
                    with self._holding():
                        db.execute("PRAGMA wal_checkpoint(RESTART)")
                    while True:  # what came meanwhile, in batches, while adds go on (at most MAX_PENDING)
                        with self._pending_lock:
                            if not self._pending:
                                break
                        with self._holding():
                            pass
                finally:
                    self._restarting = False
                with self._holding():  # the last few (an add now waits for this short transaction)
                    pass
            finally:
                db.close()
        except sqlite3.Error as exc:  # the next one will do it; the WAL only grows meanwhile
            log.warning("could not checkpoint the upload history %s: %s", self.path, exc)

    def close(self) -> None:
        checkpointer = self._checkpointer
        if checkpointer is not None:
            self.wait_checkpointed()
            self._stopping = True
            self._wanted.set()
            checkpointer.join()
            self._checkpointer = None
        with self._holding():
            if self._db is not None:
                self._db.close()
                self._db = None

    def _migrate_json(self, db: sqlite3.Connection) -> None:
        """The JSON history of earlier versions, read once (in its order) and renamed so it is not read again."""
        try:
            raw = json.loads(self.legacy_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            log.warning("the old upload history %s could not be read (%s); it is left as it is",
                        self.legacy_path, exc)
            return
        items = [item for item in raw if isinstance(item, dict) and set(item) == _LEGACY_FIELDS] \
            if isinstance(raw, list) else []
        db.execute("BEGIN IMMEDIATE")
        try:
            for item in items:
                self._insert(db, UploadRecord(**item))
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        try:
            self.legacy_path.replace(self.legacy_path.with_name(self.legacy_path.name + ".migrated"))
        except OSError as exc:  # read again next time; the (key, SHA-256) rule keeps it from doubling
            log.warning("could not rename %s after migrating it: %s", self.legacy_path, exc)
        log.info("migrated %d uploads from %s", len(items), self.legacy_path)

    # -- writing -------------------------------------------------------------------------------------

    @staticmethod
    def _insert(db: sqlite3.Connection, record: UploadRecord) -> int:
        if record.kind == UPLOAD:
            db.execute("DELETE FROM uploads WHERE key = ? AND sha256 = ? AND kind = ?",
                       (record.key, record.sha256, UPLOAD))
        cursor = db.execute(
            "INSERT INTO uploads (key, filename, sha256, size, uploaded_at, profile, etag, kind, note, state, bucket,"
            " reasons, verdict_etag, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (record.key, record.filename, record.sha256, record.size, record.uploaded_at, record.profile,
             record.etag, record.kind, record.note, record.state, record.bucket,
             json.dumps(list(record.reasons), ensure_ascii=False), record.verdict_etag, record.checked_at))
        return int(cursor.lastrowid or 0)

    @staticmethod
    def _insert_many(db: sqlite3.Connection, records: Sequence[UploadRecord]) -> None:
        """:meth:`_insert` for a batch, with two ``executemany`` (their loops run in C, so the thread writing a
        batch seldom holds the GIL an add waits for); of two uploads of one content under one key in the batch
        only the later stays, as one by one."""
        last = {(r.key, r.sha256): n for n, r in enumerate(records) if r.kind == UPLOAD}
        kept = [r for n, r in enumerate(records) if r.kind != UPLOAD or last[(r.key, r.sha256)] == n]
        db.executemany("DELETE FROM uploads WHERE key = ? AND sha256 = ? AND kind = ?",
                       [(r.key, r.sha256, UPLOAD) for r in kept if r.kind == UPLOAD])
        db.executemany(
            "INSERT INTO uploads (key, filename, sha256, size, uploaded_at, profile, etag, kind, note, state, bucket,"
            " reasons, verdict_etag, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(r.key, r.filename, r.sha256, r.size, r.uploaded_at, r.profile, r.etag, r.kind, r.note, r.state,
              r.bucket, json.dumps(list(r.reasons), ensure_ascii=False), r.verdict_etag, r.checked_at)
             for r in kept])

    def add(self, record: UploadRecord) -> UploadRecord:
        """Another upload of the same content under the same key replaces its record; a different file under a
        key already recorded gets a record of its own (each has its own verdict), and so does each fix. One
        indexed delete and one insert, whatever the history's length.

        Never waits for a checkpoint: when another thread holds the file (the checkpointer's RESTART, whose
        fsyncs took up to 100 ms on a busy disk), the record is written as that thread lets the file go (with the
        others that came meanwhile, in one transaction), and comes back with ``id`` 0 (it has none yet); any later
        read of the history includes it. Another thread's plain transaction is waited for (it is short)."""
        if not self._restarting and self._lock.acquire(blocking=False):
            try:
                self._flush()
                with self._tx() as db:
                    rowid = self._insert(db, record)
            finally:
                self._lock.release()
            self._checkpoint_soon()
            return replace(record, id=rowid)
        # the file is held: by the checkpointer (which raises ``_restarting`` before it takes it, so looking now
        # tells), or by another thread's short transaction, which is worth waiting for
        if self._restarting and len(self._pending) < MAX_PENDING:
            with self._pending_lock:
                self._pending.append((time.monotonic(), record))
            if not self._restarting:  # the checkpointer let go meanwhile and may not have seen it: write it here
                with self._holding():
                    pass
            self._checkpoint_soon()
            return record
        with self._holding(), self._tx() as db:
            rowid = self._insert(db, record)
        self._checkpoint_soon()
        return replace(record, id=rowid)

    def set_verdict(self, record_id: int, *, state: str, bucket: str, reasons: Sequence[str], etag: str,
                    checked_at: str) -> None:
        self.set_verdicts([(record_id, state, bucket, tuple(reasons), etag, checked_at)])

    def set_verdicts(self, rows: Iterable[tuple[int, str, str, tuple[str, ...], str, str]]) -> None:
        """Many verdicts in one transaction: (id, state, bucket, reasons, etag, checked_at)."""
        with self._holding(), self._tx() as db:
            db.executemany("UPDATE uploads SET state = ?, bucket = ?, reasons = ?, verdict_etag = ?, checked_at = ?"
                           " WHERE id = ?",
                           [(state, bucket, json.dumps(list(reasons), ensure_ascii=False), etag, checked_at, rid)
                            for rid, state, bucket, reasons, etag, checked_at in rows])

    # -- reading -------------------------------------------------------------------------------------

    def records(self) -> list[UploadRecord]:
        """Every record, oldest first."""
        with self._holding():
            rows = self._conn().execute(f"SELECT {', '.join(_COLUMNS)} FROM uploads ORDER BY id").fetchall()
        return [_record(row) for row in rows]

    def latest(self, key: str) -> UploadRecord | None:
        """The most recent upload (or fix) recorded under ``key``."""
        with self._holding():
            row = self._conn().execute(f"SELECT {', '.join(_COLUMNS)} FROM uploads WHERE key = ? "
                                       "ORDER BY id DESC LIMIT 1", (key,)).fetchone()
        return _record(row) if row is not None else None

    def attempts(self, key: str) -> list[UploadRecord]:
        """Every attempt under ``key``, oldest first: an upload and the fixes that followed it."""
        with self._holding():
            rows = self._conn().execute(f"SELECT {', '.join(_COLUMNS)} FROM uploads WHERE key = ? ORDER BY id",
                                        (key,)).fetchall()
        return [_record(row) for row in rows]

    def count(self) -> int:
        """How many records (not ``__len__``: an empty history must stay truthy for ``history or default``)."""
        with self._holding():
            return int(self._conn().execute("SELECT COUNT(*) FROM uploads").fetchone()[0])


def _checkpointer_loop(ref: weakref.ReferenceType[UploadHistory], wanted: threading.Event) -> None:
    """The checkpointer thread: a checkpoint each time it is asked; it ends with :meth:`UploadHistory.close`, or
    within a second of its history being dropped (it holds only a weak reference)."""
    while True:
        asked = wanted.wait(1.0)
        history = ref()
        if history is None or history._stopping:
            return
        if asked:
            wanted.clear()
            try:
                history._checkpoint()
            finally:
                history._idle.set()
        del history


def _record(row: Sequence[object]) -> UploadRecord:
    values = dict(zip(_COLUMNS, row, strict=True))
    try:
        reasons = tuple(str(r) for r in json.loads(str(values["reasons"])))
    except ValueError:
        reasons = ()
    values["reasons"] = reasons
    return UploadRecord(**values)  # type: ignore[arg-type]
