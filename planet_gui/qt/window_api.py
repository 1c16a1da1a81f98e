"""The main window as its parts see it, so no part imports ``main_window`` (which imports them).

The window's helpers (its mixins, the actions, the queue kept on disk, the sandbox controls) work on the one
``MainWindow``; typing them against that class made each of them and ``main_window`` import one another, an import
cycle the architecture contracts refuse. They type against this class instead (imported for type checking only,
never built): a ``QMainWindow`` (so a part may parent a dialog on it) with the members every part relies on
declared; the rest read as ``Any``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QLabel, QMainWindow

if TYPE_CHECKING:
    from planet_gui.core.auth.tokens import Identity
    from planet_gui.core.session import Session
    from planet_gui.qt.files_model import FileEntry, FilesModel
    from planet_gui.qt.metadata_form import MetadataForm


class WindowApi(QMainWindow):
    session: Session
    model: FilesModel
    identity: Identity | None
    language: str
    watch_action: QAction
    user_label: QLabel
    profile_box: QComboBox
    form: MetadataForm

    def selected_entries(self) -> list[FileEntry]:
        raise NotImplementedError

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(name)
