"""Run the core's folder watcher for the GUI: on a thread of its own, its callbacks turned into Qt signals."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from planet_gui.core.errors import PlanetError
from planet_gui.core.session import Session
from planet_gui.core.transfer import TransferUpdate
from planet_gui.core.transfer.templates import load_template, template_destination
from planet_gui.core.transfer.watch import WatchEvent, WatchEventKind, WatchSettings
from planet_gui.qt.error_titles import error_title

log = logging.getLogger(__name__)


class FolderWatch(QObject):
    """One watched folder at a time. ``Session.watch_folder`` runs for hours, so it gets a thread of its own
    rather than one of the pool's; the core calls back from that thread and the engine's, and the signals
    carry each call to the UI thread (a queued connection, as the receivers live there)."""

    started = Signal(Path, str)  # folder, template name ("" for none)
    # a core WatchEvent (waiting, uploading, uploaded, resuming, skipped, failed) and, once a file's upload
    # starts, the values it goes with (the template merged over inference; else empty)
    # (not "event": that is QObject's own event handler); values: a dict, passed as object since Signal(dict)
    # declares a QVariantMap, which copies the dict into Qt types (a dict it cannot convert arrives empty)
    happened = Signal(WatchEvent, object)
    update = Signal(TransferUpdate)  # one file's progress
    failed = Signal(str, str)  # title, message: the watcher could not start or had to stop
    stopped = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = WatchSettings()
        self.folder: Path | None = None
        self.template = ""
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._active = False

    @property
    def running(self) -> bool:
        return self._active

    def start(self, session: Session, folder: Path, template: str = "") -> None:
        """Start watching; the template is read on the watch thread (it is a file), so a bad one arrives as
        ``failed`` followed by ``stopped``."""
        if self._active:
            return
        self._stop = threading.Event()
        self.folder, self.template = folder, template
        self._active = True
        self._thread = threading.Thread(target=self._watch, args=(session, folder, template, self._stop),
                                        name="planet-watch", daemon=True)
        self._thread.start()
        self.started.emit(folder, template)

    def stop(self) -> None:
        """Ask the watcher to stop after its current look at the folder; ``stopped`` follows. Uploads it
        already started carry on (removing their rows cancels them)."""
        self._stop.set()

    def join(self, timeout: float) -> bool:
        """Wait for the watch thread (closing the window); True once it ended."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return thread is None or not thread.is_alive()

    def _watch(self, session: Session, folder: Path, template: str, stop: threading.Event) -> None:
        try:
            values = load_template(template, session.schema) if template else {}
            session.watch_folder(folder, template=values, stop=stop, settings=self.settings,
                                 destination=template_destination(template) if template else None,
                                 on_event=lambda event: self._tell(session, event), on_update=self.update.emit)
        except PlanetError as exc:
            self.failed.emit(error_title(exc), exc.message)
        except Exception as exc:  # noqa: BLE001 - shown to the user instead of dying silently
            log.exception("watching %s failed", folder)
            self.failed.emit(self.tr("Unexpected error"), f"{type(exc).__name__}: {exc}")
        finally:
            self._active = False
            self.stopped.emit()

    def _tell(self, session: Session, event: WatchEvent) -> None:
        """On the watch thread: an upload's values come from its job, which the UI thread should not go after
        (the engine lives behind a lock, and may open its journal on first use)."""
        values: dict[str, Any] = {}
        if event.kind in (WatchEventKind.UPLOADING, WatchEventKind.RESUMING):
            jobs = session.jobs_for(event.path)
            values = dict(jobs[-1].item.values) if jobs else {}
        self.happened.emit(event, values)
