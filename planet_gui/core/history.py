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
        self._db: sqlite3.Connection | None = None
        self._unchecked = 0  # records written since the last checkpoint was started
        self._checkpointer: threading.Thread | None = None

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

    def _checkpoint_soon(self) -> None:
        """Copy the WAL into the database on another thread, with its own connection, every
        :data:`CHECKPOINT_EVERY` records: first PASSIVE (it waits for no one, and writers go on meanwhile), then
        RESTART for the few records written during the first (a writer waits for that short one only), so that
        the WAL starts again from its beginning instead of growing while uploads keep coming."""
        self._unchecked += 1
        if self._unchecked < CHECKPOINT_EVERY or (self._checkpointer is not None and self._checkpointer.is_alive()):
            return
        self._unchecked = 0
        self._checkpointer = threading.Thread(target=self._checkpoint, name="planet-history-checkpoint", daemon=True)
        self._checkpointer.start()

    def _checkpoint(self) -> None:
        try:
            db = sqlite3.connect(str(self.path), isolation_level=None, timeout=30)
            try:
                db.execute("PRAGMA wal_checkpoint(PASSIVE)")
                with self._lock:  # this process's writer waits on the lock (woken at once), not in SQLite's sleeps
                    db.execute("PRAGMA wal_checkpoint(RESTART)")
            finally:
                db.close()
        except sqlite3.Error as exc:  # the next one will do it; the WAL only grows meanwhile
            log.warning("could not checkpoint the upload history %s: %s", self.path, exc)

    def close(self) -> None:
        checkpointer = self._checkpointer
        if checkpointer is not None:
            checkpointer.join()
        with self._lock:
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

    def add(self, record: UploadRecord) -> UploadRecord:
        """Another upload of the same content under the same key replaces its record; a different file under a
        key already recorded gets a record of its own (each has its own verdict), and so does each fix. One
        indexed delete and one insert, whatever the history's length."""
        with self._tx() as db:
            rowid = self._insert(db, record)
        self._checkpoint_soon()
        return replace(record, id=rowid)

    def set_verdict(self, record_id: int, *, state: str, bucket: str, reasons: Sequence[str], etag: str,
                    checked_at: str) -> None:
        self.set_verdicts([(record_id, state, bucket, tuple(reasons), etag, checked_at)])

    def set_verdicts(self, rows: Iterable[tuple[int, str, str, tuple[str, ...], str, str]]) -> None:
        """Many verdicts in one transaction: (id, state, bucket, reasons, etag, checked_at)."""
        with self._tx() as db:
            db.executemany("UPDATE uploads SET state = ?, bucket = ?, reasons = ?, verdict_etag = ?, checked_at = ?"
                           " WHERE id = ?",
                           [(state, bucket, json.dumps(list(reasons), ensure_ascii=False), etag, checked_at, rid)
                            for rid, state, bucket, reasons, etag, checked_at in rows])

    # -- reading -------------------------------------------------------------------------------------

    def records(self) -> list[UploadRecord]:
        """Every record, oldest first."""
        with self._lock:
            rows = self._conn().execute(f"SELECT {', '.join(_COLUMNS)} FROM uploads ORDER BY id").fetchall()
        return [_record(row) for row in rows]

    def latest(self, key: str) -> UploadRecord | None:
        """The most recent upload (or fix) recorded under ``key``."""
        with self._lock:
            row = self._conn().execute(f"SELECT {', '.join(_COLUMNS)} FROM uploads WHERE key = ? "
                                       "ORDER BY id DESC LIMIT 1", (key,)).fetchone()
        return _record(row) if row is not None else None

    def attempts(self, key: str) -> list[UploadRecord]:
        """Every attempt under ``key``, oldest first: an upload and the fixes that followed it."""
        with self._lock:
            rows = self._conn().execute(f"SELECT {', '.join(_COLUMNS)} FROM uploads WHERE key = ? ORDER BY id",
                                        (key,)).fetchall()
        return [_record(row) for row in rows]

    def count(self) -> int:
        """How many records (not ``__len__``: an empty history must stay truthy for ``history or default``)."""
        with self._lock:
            return int(self._conn().execute("SELECT COUNT(*) FROM uploads").fetchone()[0])


def _record(row: Sequence[object]) -> UploadRecord:
    values = dict(zip(_COLUMNS, row, strict=True))
    try:
        reasons = tuple(str(r) for r in json.loads(str(values["reasons"])))
    except ValueError:
        reasons = ()
    values["reasons"] = reasons
    return UploadRecord(**values)  # type: ignore[arg-type]
