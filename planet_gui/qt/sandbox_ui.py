"""The sandbox in the window: "Try it on this computer" at the first start, ``planet-gui --sandbox``, the
sandbox's entry in the profile switcher (it starts the sandbox when chosen), and a marker that says, while the
sandbox is open, that nothing uploaded goes anywhere but this computer.

The sandbox's servers start on a plain thread (never the UI thread) and stop when the application quits; if the
application is killed, the kernel stops them (see :mod:`planet_gui.sandbox.procs`).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QMessageBox

from planet_gui.sandbox.paths import SandboxPaths

if TYPE_CHECKING:
    from planet_gui.qt.window_api import WindowApi
    from planet_gui.sandbox.lake import Sandbox

MARKER_NAME = "sandbox_marker"


def sandbox_profile_path() -> Path:
    return SandboxPaths.default().profile


class SandboxRunner(QObject):
    """Owns the one sandbox of this application: starts it off the UI thread, stops it at quit."""

    ready = Signal(Path)  # the profile's
    failed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.sandbox: Sandbox | None = None
        self.starting = False
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)

    @property
    def running(self) -> bool:
        return self.sandbox is not None and self.sandbox.running

    def start(self) -> None:
        if self.starting:
            return
        if self.running:
            assert self.sandbox is not None
            self.ready.emit(self.sandbox.profile_path)
            return
        self.starting = True
        threading.Thread(target=self._start, name="sandbox-start", daemon=True).start()

    def _start(self) -> None:
        from planet_gui.sandbox.lake import Sandbox

        sandbox = Sandbox()
        try:
            path = sandbox.start()
        except Exception as exc:  # noqa: BLE001 - shown to the user, whatever it is
            self.starting = False
            self.failed.emit(str(exc))
            return
        self.sandbox = sandbox
        self.starting = False
        self.ready.emit(path)

    def stop(self) -> None:
        if self.sandbox is not None:
            self.sandbox.stop()
            self.sandbox = None


_RUNNER: SandboxRunner | None = None


def runner() -> SandboxRunner:
    global _RUNNER
    if _RUNNER is None:
        _RUNNER = SandboxRunner()
    return _RUNNER


def open_sandbox(window: WindowApi) -> None:
    """Start the sandbox (if it is not running yet) and open the window on it once all its servers answer."""
    from planet_gui.core.profile import load_profile
    from planet_gui.core.session import Session

    run = runner()
    window.statusBar().showMessage(
        QCoreApplication.translate("Sandbox", "Starting the sandbox lake on this computer…"))
    window.user_label.setText(QCoreApplication.translate("Sandbox", "Starting the sandbox…"))
    window.login_action.setEnabled(False)

    def ready(path: Path) -> None:
        disconnect()
        window.login_action.setEnabled(True)
        if window.session.profile.path == path:  # opened on its profile already: the ports may be new
            window.switch_session(Session(load_profile(path)))
        else:
            window.switch_profile(path)
        window.statusBar().showMessage(
            QCoreApplication.translate("Sandbox", "The sandbox is running on this computer: log in to try it."))

    def failed(message: str) -> None:
        disconnect()
        window.login_action.setEnabled(True)
        window.user_label.setText(QCoreApplication.translate("Sandbox", "Not logged in"))
        window._show_error(QCoreApplication.translate("Sandbox", "The sandbox did not start"), message)

    def disconnect() -> None:
        run.ready.disconnect(ready)
        run.failed.disconnect(failed)

    run.ready.connect(ready)
    run.failed.connect(failed)
    run.start()


def intercept_switch(window: WindowApi, path: Path) -> bool:
    """The switcher chose the sandbox while it is not running: start it first (True: the switch waits)."""
    if path != sandbox_profile_path() or runner().running:
        return False
    open_sandbox(window)
    return True


def offer_in_welcome(window: WindowApi, box: QMessageBox) -> None:
    """The first start's welcome: "Try it on this computer" beside "Import profile…"."""
    trying = box.addButton(QCoreApplication.translate("Sandbox", "Try it on this computer"),
                           QMessageBox.ButtonRole.ActionRole)
    trying.setObjectName("try_sandbox")
    trying.setToolTip(QCoreApplication.translate(
        "Sandbox", "Start a sandbox lake on this computer, with a sandbox user: log in, upload and see the "
                   "verdicts, with no account anywhere. Nothing leaves this computer."))
    box.setInformativeText(QCoreApplication.translate(
        "Sandbox", "No profile yet? \"Try it on this computer\" starts a sandbox lake here, with a sandbox "
                   "user: log in, upload files and see the lake's verdicts, with no account."))
    box.buttonClicked.connect(lambda button: open_sandbox(window) if button is trying else None)


def decorate(window: WindowApi) -> None:
    """The switcher names the sandbox (listing it even before its first start); a marker shows while it is open."""
    box = window.profile_box
    path = str(sandbox_profile_path())
    index = box.findData(path)
    if index < 0:
        index = max(box.count() - 2, 0)  # before the separator and "Import profile…"
        box.insertItem(index, "", path)
    box.setItemText(index, QCoreApplication.translate("Sandbox", "Sandbox (this computer)"))
    box.setItemData(index, QCoreApplication.translate(
        "Sandbox", "A lake on this computer, to try the app; nothing reaches an institution's lake"),
                    Qt.ItemDataRole.ToolTipRole)
    marker = window.findChild(QLabel, MARKER_NAME)
    if marker is None:
        marker = QLabel(QCoreApplication.translate("Sandbox", "SANDBOX — uploads stay on this computer"))
        marker.setObjectName(MARKER_NAME)
        marker.setStyleSheet("background: #ef6c00; color: white; font-weight: bold; padding: 2px 8px; "
                             "border-radius: 3px;")
        window.statusBar().addPermanentWidget(marker)
    marker.setVisible(window.session.profile.path == sandbox_profile_path())


def profile_to_open() -> Path | None:
    """For ``--sandbox``: the sandbox's profile from its last start, if there is one (else the example profile
    shows until the sandbox is ready)."""
    path = sandbox_profile_path()
    return path if path.is_file() else None

