"""The device-flow login dialog: the code, a button to open the link, the time left, Cancel."""

from __future__ import annotations

import html
import re
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont, QGuiApplication, QPixmap
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from planet_gui.core.auth.tokens import Identity  # light (no HTTP, no JWT library): the login signal's type
from planet_gui.core.session import Session
from planet_gui.qt.workers import Worker, start

if TYPE_CHECKING:  # annotations only: the HTTP client behind the device flow loads with the first login
    from planet_gui.core.auth.device_flow import DeviceAuthorization


class LoginDialog(QDialog):
    logged_in = Signal(Identity)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Log in to PLANET"))
        self.session = session
        self.authorization: DeviceAuthorization | None = None
        self.cancelled = threading.Event()
        self.error: str | None = None

        self.intro = QLabel(self.tr("Contacting the identity provider…"))
        self.intro.setWordWrap(True)
        self.code_label = QLabel("")
        self.code_label.setObjectName("user_code")
        font = QFont()
        font.setPointSize(26)
        font.setBold(True)
        self.code_label.setFont(font)
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.link_label = QLabel("")
        self.link_label.setObjectName("verification_link")
        self.link_label.setWordWrap(True)
        self.link_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.link_label.setOpenExternalLinks(True)
        self.qr_label = QLabel("")
        self.qr_label.setObjectName("qr_code")
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_label.setToolTip(self.tr("Scan with a phone to log in there"))
        self.qr_label.setAccessibleName(self.tr("QR code of the login page"))
        self.time_label = QLabel("")
        self.open_button = QPushButton(self.tr("Open the login page"))
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_browser)
        self.copy_button = QPushButton(self.tr("Copy code"))
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self.copy_code)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.reject)

        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        for widget in (self.intro, self.code_label, self.link_label, self.qr_label, self.time_label):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.setMinimumWidth(460)
        self.intro.setMaximumWidth(560)  # a long error wraps instead of widening the dialog

        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self._tick)

    def begin(self) -> None:
        worker = Worker(self.session.start_login)
        worker.signals.done.connect(self._started)
        worker.signals.failed.connect(self._failed)
        start(worker)

    def _started(self, authorization: DeviceAuthorization) -> None:
        self.authorization = authorization
        self.intro.setText(self.tr("Open the page below, sign in, and check that it shows this code:"))
        self.code_label.setText(authorization.user_code)
        self.link_label.setText(f'<a href="{authorization.link}">{authorization.link}</a>')
        self.qr_label.setPixmap(qr_pixmap(authorization.link))
        self.qr_label.setAccessibleDescription(
            self.tr("Scan with a phone to open %1 there").replace("%1", authorization.link))
        self.open_button.setEnabled(True)
        self.copy_button.setEnabled(True)
        self._tick()
        self.countdown.start()
        worker = Worker(self.session.finish_login, authorization, cancelled=self.cancelled)
        worker.signals.done.connect(self._finished)
        worker.signals.failed.connect(self._failed)
        start(worker)

    def _tick(self) -> None:
        if self.authorization is None:
            return
        left = int(self.authorization.seconds_left())
        self.time_label.setText(self.tr("Time left: %1:%2").replace("%1", str(left // 60)).replace(
            "%2", f"{left % 60:02d}"))

    def _finished(self, identity: Identity) -> None:
        self.countdown.stop()
        self.logged_in.emit(identity)
        self.accept()

    def _failed(self, title: str, message: str) -> None:
        self.countdown.stop()
        if self.cancelled.is_set():
            return
        self.error = message
        self.intro.setText(f"<b>{html.escape(title)}</b><br>{breakable(message)}")
        self.code_label.setText("")
        self.open_button.setEnabled(False)
        self.cancel_button.setText(self.tr("Close"))

    def open_browser(self) -> None:
        if self.authorization is not None:
            QDesktopServices.openUrl(QUrl(self.authorization.link))

    def copy_code(self) -> None:
        if self.authorization is not None:
            QGuiApplication.clipboard().setText(self.authorization.user_code)

    def reject(self) -> None:
        self.cancelled.set()
        self.countdown.stop()
        super().reject()


def breakable(message: str, longest: int = 30) -> str:
    """``message`` as HTML that wraps: a long word (a URL, a path) may break after its slashes, dots and
    dashes, so an error never widens the dialog beyond the screen."""
    def soften(match: re.Match[str]) -> str:
        return re.sub(r"([/.\-_?&=:])", "\\1\u200b", match.group(0))

    return html.escape(re.sub(r"\S{" + str(longest) + ",}", soften, message))


def qr_pixmap(link: str, scale: int = 4) -> QPixmap:
    """The complete verification link as a QR code, for logging in from a phone."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=scale, border=2)
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap
