"""The main window as its parts see it: a protocol, so no part imports ``main_window`` (which imports them).

The window's helpers (its mixins, the actions, the queue kept on disk, the sandbox controls) work on the one
``MainWindow``; typing them against that class made each of them and ``main_window`` import one another, an import
cycle the architecture contracts refuse. They type against this protocol instead: the members every part relies on
are declared; the rest read as ``Any`` until ``planet_gui/qt`` is under strict mypy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStatusBar

    from planet_gui.core.auth.tokens import Identity
    from planet_gui.core.session import Session
    from planet_gui.qt.files_model import FileEntry, FilesModel


class WindowApi(Protocol):
    session: Session
    model: FilesModel
    identity: Identity | None
    language: str

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 - Qt's name

    def selected_entries(self) -> list[FileEntry]: ...

    def __getattr__(self, name: str) -> Any: ...
