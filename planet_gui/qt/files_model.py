"""The list of files the user dropped, with their metadata and where each one stands."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QStyle

from planet_gui.core.schema import Schema
from planet_gui.qt.row_notes import row_notes

# states a file goes through, in order
INSPECTING, READY, INVALID, UPLOADING, PENDING, VALIDATED, TRIAGE, FAILED = (
    "inspecting", "ready", "invalid", "uploading", "pending", "validated", "triage", "failed")
# a watched folder's file still being written; one the watcher did not upload (delivered before, already there)
WAITING, SKIPPED = "waiting", "skipped"
# an upload that was running when the app stopped (a crash, a kill): the journal resumes it (qt/queue_persist.py)
INTERRUPTED = "interrupted"

_STATE_COLOURS = {SKIPPED: "#666666", WAITING: "#666666",
                  VALIDATED: "#2e7d32", TRIAGE: "#c62828", FAILED: "#c62828", INVALID: "#ef6c00",
                  PENDING: "#1565c0", UPLOADING: "#1565c0", INTERRUPTED: "#ef6c00"}


def state_label(state: str) -> str:
    """Each state's words in the user's language (literal calls, so lupdate finds them)."""
    translate = QCoreApplication.translate
    labels = {
        INSPECTING: translate("FilesModel", "inspecting"),
        READY: translate("FilesModel", "ready"),
        INVALID: translate("FilesModel", "missing fields"),
        UPLOADING: translate("FilesModel", "uploading"),
        PENDING: translate("FilesModel", "pending"),
        VALIDATED: translate("FilesModel", "validated"),
        TRIAGE: translate("FilesModel", "triage"),
        FAILED: translate("FilesModel", "failed"),
        WAITING: translate("FilesModel", "being written"),
        SKIPPED: translate("FilesModel", "skipped"),
        INTERRUPTED: translate("FilesModel", "interrupted"),
    }
    return labels.get(state, state)


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


@dataclass
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
    warnings: list[str] = field(default_factory=list)  # what inspection warned about (qt/queue_persist.py)


class FilesModel(QAbstractTableModel):
    COLUMNS = ("file", "category", "format", "record_count", "status")

    def __init__(self, schema: Schema, language: str = "en") -> None:
        super().__init__()
        self.schema = schema
        self.language = language
        self.entries: list[FileEntry] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        name = self.COLUMNS[section]
        if name == "file":
            return QCoreApplication.translate("FilesModel", "File")
        if name == "status":
            return QCoreApplication.translate("FilesModel", "Status")
        return self.schema.field(name).label_for(self.language)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.entries[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "file":
                return entry.path.name
            if column == "status":
                if entry.state == UPLOADING:
                    return upload_status(entry)
                return state_label(entry.state)
            value = entry.values.get(column)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            notes = row_notes(entry)  # warnings, and once uploaded the key, SHA-256 and uploader
            if column == "status" and entry.message:
                return entry.message + ("\n\n" + notes if notes else "")
            return str(entry.path) + ("\n\n" + notes if notes else "")
        if role == Qt.ItemDataRole.DecorationRole and column == "file" and entry.warnings:
            return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        if role == Qt.ItemDataRole.ForegroundRole and column == "status" and entry.state in _STATE_COLOURS:
            return QColor(_STATE_COLOURS[entry.state])
        return None

    # -- changes ---------------------------------------------------------------------------

    def add(self, path: Path) -> int | None:
        if any(e.path == path for e in self.entries):
            return None
        row = len(self.entries)
        self.beginInsertRows(QModelIndex(), row, row)
        self.entries.append(FileEntry(path=path))
        self.endInsertRows()
        return row

    def remove_rows(self, rows: list[int]) -> None:
        for row in sorted(rows, reverse=True):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.entries[row]
            self.endRemoveRows()

    def row_of(self, entry: FileEntry) -> int:
        return self.entries.index(entry)

    def changed(self, entry: FileEntry) -> None:
        row = self.row_of(entry)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    def entry_by_key(self, key: str) -> FileEntry | None:
        return next((e for e in self.entries if e.key == key), None)

    def entry_by_path(self, path: Path) -> FileEntry | None:
        return next((e for e in self.entries if e.path == path), None)

    def entry_for(self, path: Path) -> FileEntry:
        """The row of ``path``, added if there is none: uploads that start outside the table (resumed ones,
        a watched folder's) show in it like dropped files."""
        found = self.entry_by_path(path)
        if found is None:
            row = self.add(path)
            assert row is not None
            found = self.entries[row]
        return found
