"""Where one file stands, in one vocabulary: the row states the window shows (and the CLI could), mapped from
the three sources that speak about a file in their own words: the engine (:class:`FileState`, and its event
stream), the lake's verdict (:class:`~planet_gui.core.status.State`) and the folder watcher
(:class:`WatchEventKind`). Qt-free, so the mapping is tested without a window and written once.

A file's life as a row: INSPECTING → READY or INVALID (the schema's problems) → UPLOADING → PENDING (in raw,
waiting for the hook) → VALIDATED or TRIAGE; or FAILED / SKIPPED on the way; WAITING for a watched file still
being written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from planet_gui.core.schema import Schema
from planet_gui.core.status import ObjectStatus, State
from planet_gui.core.transfer.events import Done, Progress, Queued, TransferEvent
from planet_gui.core.transfer.progress import FileState
from planet_gui.core.transfer.watch import WatchEvent, WatchEventKind


class RowState(StrEnum):
    INSPECTING = "inspecting"
    READY = "ready"
    INVALID = "invalid"
    WAITING = "waiting"  # a watched folder's file still being written
    UPLOADING = "uploading"
    PENDING = "pending"  # in the lake's raw bucket, waiting for the validation hook
    VALIDATED = "validated"
    TRIAGE = "triage"
    FAILED = "failed"
    SKIPPED = "skipped"  # not uploaded: delivered before, or already in the lake

    @property
    def editable(self) -> bool:
        """Its values can still change (nothing of it went to the lake)."""
        return self in (RowState.READY, RowState.INVALID)

    @property
    def busy(self) -> bool:
        """Something still happens to it (an upload, a verdict to wait for)."""
        return self in (RowState.UPLOADING, RowState.PENDING)


@dataclass(frozen=True)
class Row:
    path: Path
    state: RowState
    message: str = ""
    key: str = ""


_FROM_ENGINE = {
    FileState.DONE: RowState.PENDING,
    FileState.SKIPPED: RowState.SKIPPED,
    FileState.FAILED: RowState.FAILED,
    FileState.CANCELLED: RowState.FAILED,
}

_FROM_LAKE = {
    State.PENDING: RowState.PENDING,
    State.VALIDATED: RowState.VALIDATED,
    State.TRIAGE: RowState.TRIAGE,
}

_FROM_WATCHER = {
    WatchEventKind.WAITING: RowState.WAITING,
    WatchEventKind.UPLOADING: RowState.UPLOADING,
    WatchEventKind.RESUMING: RowState.UPLOADING,
    WatchEventKind.UPLOADED: RowState.PENDING,
    WatchEventKind.SKIPPED: RowState.SKIPPED,
    WatchEventKind.FAILED: RowState.FAILED,
}


def from_engine(state: FileState) -> RowState:
    """Every state before the end (queued, hashing, checking, sending, paused, retrying, completing,
    verifying) is UPLOADING to a person; a done upload waits for the hook."""
    return _FROM_ENGINE.get(state, RowState.UPLOADING)


def from_lake(state: State) -> RowState | None:
    """The hook's verdict; None when the object is nowhere (the row keeps what it knew)."""
    return _FROM_LAKE.get(state)


def from_watcher(kind: WatchEventKind) -> RowState:
    return _FROM_WATCHER[kind]


def from_problems(problems: Sequence[str]) -> RowState:
    return RowState.INVALID if problems else RowState.READY


def row_for_transfer(event: TransferEvent) -> Row:
    """An engine event as the row it puts the file in."""
    if isinstance(event, Queued):
        return Row(event.path, RowState.UPLOADING, key=event.key)
    if isinstance(event, Progress):
        progress = event.update.file
        return Row(progress.path, from_engine(progress.state), progress.message, progress.key)
    assert isinstance(event, Done)
    outcome = event.outcome
    message = outcome.error.message if outcome.error is not None else ""
    return Row(outcome.path, from_engine(outcome.state), message, outcome.key)


def row_for_watch(event: WatchEvent) -> Row:
    key = event.outcome.key if event.outcome is not None else ""
    return Row(event.path, from_watcher(event.kind), event.message, key)


def row_for_status(path: Path, status: ObjectStatus) -> Row | None:
    state = from_lake(status.state)
    if state is None:
        return None
    message = status.reason if state is RowState.TRIAGE else (status.bucket or "")
    return Row(path, state, message, status.key)


def table_columns(schema: Schema) -> tuple[str, ...]:
    """The file table's columns: the file's name, the schema's ``column`` fields in schema order, where it
    stands. A field shown as a column is a flag in the schema file, nothing else."""
    return ("file", *schema.columns, "status")
