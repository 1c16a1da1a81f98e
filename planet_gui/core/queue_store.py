"""The window's queue on disk, so a crash, a ``kill -9`` or a restart loses no work.

Each row the user added is kept with where it stands (its state, the key it went to, the verdict's message), the
metadata it shows (what inspection inferred with the user's changes applied) and, apart, the user's own changes:
when the file is inspected again at the next start, inferred values may change but what the user typed stays.

SQLite (WAL) in the user's data folder, like the upload journal, one row per file keyed by profile and path: an
edit rewrites the few hundred bytes of the rows it touched, never the whole queue, so a queue of thousands of
rows stays cheap to keep. The file is private (0600) from its creation: it holds file paths and metadata (never
a token or a credential). Upload progress is not kept here: the journal has every confirmed part, and an
interrupted upload is offered for resume from there.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from planet_gui.core.profile import APP_NAME

SCHEMA_VERSION = 1
#: bounds on what one row may bring back: a damaged or hostile file cannot make a restore take unbounded memory
MAX_ROWS = 20_000
MAX_JSON_CHARS = 256 * 1024

_DDL = """
CREATE TABLE IF NOT EXISTS queue (
    scope TEXT NOT NULL,
    path TEXT NOT NULL,
    position INTEGER NOT NULL,
    state TEXT NOT NULL,
    values_json TEXT NOT NULL DEFAULT '{}',   -- what the row shows: inferred values with the edits applied
    edits_json TEXT NOT NULL DEFAULT '{}',    -- only the user's changes (null: the user cleared the field)
    warnings_json TEXT NOT NULL DEFAULT '[]', -- what inspection warned about
    key TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL DEFAULT '',
    uploader TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (scope, path)
);
CREATE INDEX IF NOT EXISTS queue_order ON queue(scope, position);
"""


def default_queue_path() -> Path:
    return Path(user_data_dir(APP_NAME)) / "queue.sqlite3"


@dataclass(frozen=True)
class QueuedFile:
    """One row of the queue as it was last seen."""

    path: Path
    state: str
    values: dict[str, Any] = field(default_factory=dict)
    edits: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    key: str = ""
    message: str = ""
    sha256: str = ""
    uploader: str = ""

    def applied_to(self, inferred: Mapping[str, Any]) -> dict[str, Any]:
        """``inferred`` (a fresh inspection's values) with this row's edits on top; a cleared field stays empty."""
        values = dict(inferred)
        for name, value in self.edits.items():
            if value is None:
                values.pop(name, None)
            else:
                values[name] = value
        return values


def _dump(value: Any) -> str:
    """JSON for a row's values: plain types as they are, dates and anything else as text."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_plain)


def _plain(value: Any) -> Any:
    isoformat = getattr(value, "isoformat", None)
    if callable(isoformat):
        return str(isoformat())
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
    return str(value)


def _load(text: str, expected: type) -> Any:
    if len(text) > MAX_JSON_CHARS:
        return expected()
    try:
        found = json.loads(text)
    except ValueError:
        return expected()
    return found if isinstance(found, expected) else expected()


def _create_private(path: Path) -> None:
    """Create the database file readable by its owner only, before SQLite opens it (no moment world-readable)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    except OSError:
        return  # SQLite reports the real problem when it opens the file
    os.close(fd)
    try:
        path.chmod(0o600)
    except OSError:
        pass


class QueueStore:
    """The queue of one profile (``scope``); thread-safe, each call one short transaction."""

    def __init__(self, scope: str, path: Path | None = None) -> None:
        self.scope = scope
        self.path = path or default_queue_path()
        _create_private(self.path)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None, timeout=30)
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            # a commit reaches the OS at once (survives the app being killed); a power cut may lose the last one
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_DDL)
            self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def save(self, rows: Iterable[QueuedFile]) -> int:
        """Write these rows (new ones at the end of the queue, known ones in place); returns how many."""
        params = [(self.scope, str(r.path), r.state, _dump(r.values), _dump(r.edits), _dump(list(r.warnings)),
                   r.key, r.message, r.sha256, r.uploader) for r in rows]
        if not params:
            return 0
        with self._tx() as db:
            (last,) = db.execute("SELECT COALESCE(MAX(position), -1) FROM queue WHERE scope = ?",
                                 (self.scope,)).fetchone()
            for offset, row in enumerate(params):
                db.execute(
                    "INSERT INTO queue (scope, path, state, values_json, edits_json, warnings_json, key, message, "
                    "sha256, uploader, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (scope, path) DO UPDATE SET state = excluded.state, "
                    "values_json = excluded.values_json, edits_json = excluded.edits_json, "
                    "warnings_json = excluded.warnings_json, key = excluded.key, message = excluded.message, "
                    "sha256 = excluded.sha256, uploader = excluded.uploader",
                    (*row, last + 1 + offset))
        return len(params)

    def remove(self, paths: Iterable[Path]) -> None:
        names = [(self.scope, str(p)) for p in paths]
        if names:
            with self._tx() as db:
                db.executemany("DELETE FROM queue WHERE scope = ? AND path = ?", names)

    def clear(self) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM queue WHERE scope = ?", (self.scope,))

    def rows(self) -> list[QueuedFile]:
        """The queue in the order the files were added (at most :data:`MAX_ROWS`)."""
        with self._lock:
            found = self._db.execute(
                "SELECT path, state, values_json, edits_json, warnings_json, key, message, sha256, uploader "
                "FROM queue WHERE scope = ? ORDER BY position LIMIT ?", (self.scope, MAX_ROWS)).fetchall()
        return [QueuedFile(path=Path(path), state=state, values=_load(values, dict), edits=_load(edits, dict),
                           warnings=tuple(str(w) for w in _load(warnings, list)), key=key, message=message,
                           sha256=sha256, uploader=uploader)
                for path, state, values, edits, warnings, key, message, sha256, uploader in found]

    def move_to(self, scope: str) -> None:
        """The window switched profile and its rows stay: they belong to the new profile from now on, after the
        rows kept for it before (a path in both keeps the window's row)."""
        if scope == self.scope:
            return
        with self._tx() as db:
            (last,) = db.execute("SELECT COALESCE(MAX(position), -1) FROM queue WHERE scope = ?",
                                 (scope,)).fetchone()
            db.execute("DELETE FROM queue WHERE scope = ? AND path IN (SELECT path FROM queue WHERE scope = ?)",
                       (scope, self.scope))
            db.execute("UPDATE queue SET scope = ?, position = position + ? WHERE scope = ?",
                       (scope, last + 1, self.scope))
        self.scope = scope
