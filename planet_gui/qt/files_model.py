"""The list of files the user dropped, with their metadata and where each one stands."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QStyle

from planet_gui.core.schema import Schema
from planet_gui.core.tracking import table_columns
from planet_gui.qt.row_notes import row_notes

# states a file goes through, in order
INSPECTING, READY, INVALID, UPLOADING, PENDING, VALIDATED, TRIAGE, FAILED = (
    "inspecting", "ready", "invalid", "uploading", "pending", "validated", "triage", "failed")
# a watched folder's file still being written; one the watcher did not upload (delivered before, already there)
WAITING, SKIPPED = "waiting", "skipped"
# an upload that was running when the app stopped (a crash, a kill): the journal resumes it (qt/queue_persist.py)
INTERRUPTED = "interrupted"

#: the order a sort by Status follows: what needs the user first
STATE_ORDER = (INVALID, FAILED, TRIAGE, INTERRUPTED, READY, INSPECTING, WAITING, UPLOADING, PENDING, VALIDATED, SKIPPED)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # a value that sorts as the user expects (numbers as numbers)
STATE_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's state, for the filter

MIN_LIST_WIDTH = 480  # px: the short columns' widths plus about 150 for the names
_DISPLAY, _FOREGROUND, _TOOLTIP = (int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.ForegroundRole),
                                   int(Qt.ItemDataRole.ToolTipRole))
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_ROLES = frozenset({_DISPLAY, _FOREGROUND, _TOOLTIP, _DECORATION, int(SORT_ROLE), int(STATE_ROLE)})

_STATE_COLOURS = {SKIPPED: "#666666", WAITING: "#666666",
                  VALIDATED: "#2e7d32", TRIAGE: "#c62828", FAILED: "#c62828", INVALID: "#ef6c00",
                  PENDING: "#1565c0", UPLOADING: "#1565c0", INTERRUPTED: "#ef6c00"}


_LABELS: dict[str, dict[str, str]] = {}  # the state labels, by the translation of "ready" (one per language)


def state_label(state: str) -> str:
    """Each state's words in the user's language (literal calls, so lupdate finds them). Asked for at every
    paint of a status cell: one lookup, not ten translations, once the language's labels are known."""
    translate = QCoreApplication.translate
    known = _LABELS.get(translate("FilesModel", "ready"))
    if known is None:
        known = {
            INSPECTING: translate("FilesModel", "inspecting"),
            READY: translate("FilesModel", "ready"),
            INVALID: translate("FilesModel", "to fix"),  # fields missing or refused (the schema, the rules)
            UPLOADING: translate("FilesModel", "uploading"),
            PENDING: translate("FilesModel", "pending"),
            VALIDATED: translate("FilesModel", "validated"),
            TRIAGE: translate("FilesModel", "triage"),
            FAILED: translate("FilesModel", "failed"),
            WAITING: translate("FilesModel", "being written"),
            SKIPPED: translate("FilesModel", "skipped"),
            INTERRUPTED: translate("FilesModel", "interrupted"),
        }
        _LABELS[known[READY]] = known
    return known.get(state, state)


def human_rate(rate: float) -> str:
    for unit in ("B/s", "kB/s", "MB/s"):
        if rate < 1000:
            return f"{rate:.1f} {unit}" if rate < 10 and unit != "B/s" else f"{rate:.0f} {unit}"
        rate /= 1000
    return f"{rate:.1f} GB/s"


def human_duration(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def upload_status(entry: FileEntry) -> str:
    """'uploading 42% · 3.1 MB/s · 1:20 left': how far, how fast, how long still."""
    parts = [f"{state_label(UPLOADING)} {entry.progress:.0%}"]
    if entry.rate > 0:
        parts.append(human_rate(entry.rate))
    if entry.eta is not None and entry.rate > 0:
        parts.append(QCoreApplication.translate("FilesModel", "%1 left").replace("%1", human_duration(entry.eta)))
    return " · ".join(parts)


@dataclass(eq=False)  # a row is itself: compared and hashed by identity (fast lookups in batches of hundreds)
class FileEntry:
    path: Path
    state: str = INSPECTING
    values: dict[str, Any] = field(default_factory=dict)
    preview: Any = None
    details: dict[str, Any] = field(default_factory=dict)
    message: str = ""
    key: str = ""
    progress: float = 0.0
    rate: float = 0.0  # bytes per second while uploading
    eta: float | None = None  # seconds left while uploading
    problems: dict[str, list[str]] = field(default_factory=dict)  # the schema's problems, by field
    warnings: list[str] = field(default_factory=list)  # what inspection warned about (qt/queue_persist.py)
    job: int = 0  # the engine's id of this row's latest upload (0: none yet); older jobs' late updates are ignored
    destination: str = ""  # the profile's destination the file goes to ("": the first)


class FilesModel(QAbstractTableModel):
    def __init__(self, schema: Schema, language: str = "en") -> None:
        super().__init__()
        self.schema = schema
        #: the file's name, the schema's fields flagged ``column`` (in schema order), where it stands
        self.columns = table_columns(schema)
        self.language = language
        self.entries: list[FileEntry] = []
        self._rows: dict[FileEntry, int] = {}  # each entry's row, so a change to one row costs O(1)
        self._by_path: dict[Path, FileEntry] = {}

    def set_schema(self, schema: Schema) -> None:
        """Another schema (the lake's, read after the login): its column fields become the table's columns."""
        columns = table_columns(schema)
        self.schema = schema
        if columns != self.columns:
            self.beginResetModel()
            self.columns = columns
            self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        name = self.columns[section]
        if name == "file":
            return QCoreApplication.translate("FilesModel", "File")
        if name == "status":
            return QCoreApplication.translate("FilesModel", "Status")
        return self.schema.field(name).label_for(self.language)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Called for every role of every painted cell: roles we do not answer return at once."""
        if role not in _ROLES or not index.isValid():
            return None
        entry = self.entries[index.row()]
        column = self.columns[index.column()]
        if role == _DISPLAY:
            if column == "file":
                return entry.path.name
            if column == "status":
                return upload_status(entry) if entry.state == UPLOADING else state_label(entry.state)
            value = entry.values.get(column)
            return "" if value is None else self.schema.field(column).value_label(value, self.language)
        if role == _FOREGROUND:
            colour = _STATE_COLOURS.get(entry.state) if column == "status" else None
            return QColor(colour) if colour else None
        if role == SORT_ROLE:
            if column == "file":
                return entry.path.name.lower()
            if column == "status":
                return STATE_ORDER.index(entry.state) if entry.state in STATE_ORDER else len(STATE_ORDER)
            value = entry.values.get(column)
            return value if isinstance(value, int) and not isinstance(value, bool) else str(value or "")
        if role == STATE_ROLE:
            return entry.state
        if role == _DECORATION:
            if column == "file" and entry.warnings:
                return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            return None
        # the tooltip, with the row's notes: warnings, and once uploaded the key, SHA-256 and uploader
        notes = row_notes(entry)
        tail = "\n\n" + notes if notes else ""
        if column == "status" and entry.state == UPLOADING:
            return upload_status(entry) + tail
        if column == "status" and entry.message:
            return entry.message + tail
        return str(entry.path) + tail

    # -- changes ---------------------------------------------------------------------------

    def add(self, path: Path) -> int | None:
        if path in self._by_path:
            return None
        row = len(self.entries)
        self.beginInsertRows(QModelIndex(), row, row)
        entry = FileEntry(path=path)
        self.entries.append(entry)
        self._rows[entry] = row
        self._by_path[path] = entry
        self.endInsertRows()
        return row

    def add_many(self, paths: list[Path]) -> list[FileEntry]:
        """Add the paths not listed yet, as one insertion (a thousand dropped files are one signal, not a
        thousand); returns the new entries."""
        return self.add_entries([FileEntry(path=path) for path in dict.fromkeys(paths)])

    def add_entries(self, entries: list[FileEntry]) -> list[FileEntry]:
        """Add rows made elsewhere (the queue restored from disk), those whose path is not listed yet, as one
        insertion; returns the ones added."""
        new = [entry for entry in entries if entry.path not in self._by_path]
        if not new:
            return new
        first = len(self.entries)
        self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
        for offset, entry in enumerate(new):
            self.entries.append(entry)
            self._rows[entry] = first + offset
            self._by_path[entry.path] = entry
        self.endInsertRows()
        return new

    def remove_rows(self, rows: list[int]) -> None:
        """Remove rows, contiguous runs at a time (one signal per run, not per row)."""
        wanted = sorted(set(rows), reverse=True)
        while wanted:
            last = first = wanted.pop(0)
            while wanted and wanted[0] == first - 1:
                first = wanted.pop(0)
            self.beginRemoveRows(QModelIndex(), first, last)
            for entry in self.entries[first:last + 1]:
                self._by_path.pop(entry.path, None)
            del self.entries[first:last + 1]
            self.endRemoveRows()
        self._rows = {entry: row for row, entry in enumerate(self.entries)}

    def row_of(self, entry: FileEntry) -> int:
        return self._rows[entry]

    def __contains__(self, entry: object) -> bool:
        return entry in self._rows

    def changed(self, entry: FileEntry) -> None:
        row = self._rows.get(entry)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def changed_many(self, entries: list[FileEntry]) -> None:
        """One signal for the span of rows a bulk edit touched, instead of one per row."""
        rows = [self._rows[e] for e in entries if e in self._rows]
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), len(self.columns) - 1))

    def counts(self) -> dict[str, int]:
        """How many rows are in each state, for the status bar."""
        found: dict[str, int] = {}
        for entry in self.entries:
            found[entry.state] = found.get(entry.state, 0) + 1
        return found

    def entry_by_key(self, key: str) -> FileEntry | None:
        return next((e for e in self.entries if e.key == key), None)

    def entry_by_path(self, path: Path) -> FileEntry | None:
        return self._by_path.get(path)

    def entry_for(self, path: Path) -> FileEntry:
        """The row of ``path``, added if there is none: uploads that start outside the table (resumed ones,
        a watched folder's) show in it like dropped files."""
        found = self.entry_by_path(path)
        if found is None:
            row = self.add(path)
            assert row is not None
            found = self.entries[row]
        return found
