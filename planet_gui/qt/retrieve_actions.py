"""The file list's way back to analysis, for an uploaded row: Copy snippet, Copy link, Download… (core/retrieve.py).

Each runs on a worker thread (the lake is asked where the object is); the row must be one file the lake has
validated. The snippet fetches temporary credentials through ``planet-lake credentials --json`` when it runs; the
link is signed with the session's temporary credentials and says until when it works.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QFileDialog

from planet_gui.qt import files_model as fm
from planet_gui.qt.workers import Workers

if TYPE_CHECKING:
    from planet_gui.qt.window_api import WindowApi

LINK_LIFETIME = timedelta(hours=24)


class RetrieveActions(QObject):
    def __init__(self, window: WindowApi) -> None:
        super().__init__(window)
        self.window = window
        self.workers = Workers(self)
        self.snippet = QAction(self.tr("Copy snippet"), window)
        self.snippet.setToolTip(self.tr("Copy Python (pandas/xarray) that opens this file from the lake"))
        self.link = QAction(self.tr("Copy link"), window)
        self.link.setToolTip(self.tr("Copy a link that downloads this file for a day, without a login"))
        self.download = QAction(self.tr("Download…"), window)
        self.snippet.triggered.connect(self.copy_snippet)
        self.link.triggered.connect(self.copy_link)
        self.download.triggered.connect(self.ask_download)
        for action in (self.snippet, self.link, self.download):
            window.table.addAction(action)

    def _key(self) -> str | None:
        entries = self.window.selected_entries()
        if len(entries) == 1 and entries[0].state == fm.VALIDATED and entries[0].key:
            return str(entries[0].key)
        self._say(self.tr("Select one file the lake has validated first."))
        return None

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text)

    def _failed(self, title: str, message: str) -> None:
        self._say(f"{title}: {message}")

    def copy_snippet(self) -> None:
        key = self._key()
        if key is None:
            return
        session = self.window.session
        profile = session.profile.path

        def make() -> str:
            from planet_gui.core.retrieve import credentials_command, locate, snippet

            found = locate(session.s3, session.profile.buckets, key)
            return snippet(found, command=credentials_command("planet-lake", str(profile) if profile else None))

        def done(code: Any) -> None:
            QGuiApplication.clipboard().setText(str(code))
            self._say(self.tr("Python that opens %1 copied: paste it in a notebook.").replace("%1", Path(key).name))

        self.workers.run(make, on_done=done, on_failed=self._failed)

    def copy_link(self) -> None:
        key = self._key()
        if key is None:
            return
        session = self.window.session

        def make() -> Any:
            from planet_gui.core.retrieve import locate, presign

            found = locate(session.s3, session.profile.buckets, key)
            session.credentials.retrieve()
            return presign(session.s3, found, LINK_LIFETIME, session.storage_expires_at)

        def done(link: Any) -> None:
            QGuiApplication.clipboard().setText(link.url)
            until = link.expires_at.astimezone().strftime("%Y-%m-%d %H:%M")
            self._say(self.tr("Link to %1 copied; anyone holding it can download the file until %2.")
                      .replace("%1", Path(key).name).replace("%2", until))

        self.workers.run(make, on_done=done, on_failed=self._failed)

    def ask_download(self) -> None:
        key = self._key()
        if key is None:
            return
        dialog = QFileDialog(self.window, self.tr("Save %1").replace("%1", Path(key).name))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.selectFile(Path(key).name)
        dialog.fileSelected.connect(lambda chosen: self.download_to(key, Path(chosen)))
        dialog.open()

    def download_to(self, key: str, dest: Path) -> None:
        """Download ``key`` to ``dest`` (the save dialog asked about replacing a file already)."""
        session = self.window.session

        def fetch() -> Any:
            from planet_gui.core.retrieve import download, locate

            found = locate(session.s3, session.profile.buckets, key)
            return download(session.s3, found, dest, overwrite=True)

        def done(result: Any) -> None:
            text = self.tr("Saved %1 (SHA-256 checked).") if result.checked else \
                self.tr("Saved %1 (the lake recorded no SHA-256: not checked).")
            self._say(text.replace("%1", str(result.path)))

        self.workers.run(fetch, on_done=done, on_failed=self._failed)
