"""The problem banner above the form: why the selected file failed, waits or is in triage. Its room is always
there, so a message appearing or going never moves the form under the pointer (a click meant for Period start
once typed into Area); a long message scrolls inside it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent, QTextOption
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QTextBrowser, QVBoxLayout, QWidget

LINES = 6  # lines of text the banner shows without scrolling: a problem, or the key, SHA-256 (three lines in a
#           narrow window) and uploader


class ProblemBanner(QScrollArea):
    """Holds :attr:`label` (and, above it, whatever else is added to :attr:`column`: the row's notes); showing or
    hiding them leaves the banner's height as it is."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problem_banner")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.label = QLabel("")
        self.label.setObjectName("problems")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.label.setStyleSheet("color: #c62828;")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAccessibleName(self.tr("Problems of the selected file"))
        self.label.hide()
        box = QWidget()
        box.setAutoFillBackground(False)
        self.column = QVBoxLayout(box)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(2)
        self.column.addWidget(self.label)
        self.column.addStretch(1)
        self.setWidget(box)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * LINES + 6)
        sizing = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)  # its text never widens the pane
        sizing.setRetainSizeWhenHidden(True)
        self.setSizePolicy(sizing)
        self.viewport().setAutoFillBackground(False)


class NotesText(QTextBrowser):
    """Read-only text for the banner that wraps a long word anywhere: an object key or a SHA-256 has no space to
    break at, and in a label it widened the banner's column and cut every line at the pane's edge (seen in an Xvfb
    screenshot at 1024×700). Selected and copied, the text is exactly the key and the SHA-256 (no break
    characters put in). As tall as its text, so the banner scrolls, not this."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.viewport().setAutoFillBackground(False)
        self.setStyleSheet("QTextBrowser { background: transparent; }")
        self.document().setDocumentMargin(0)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def setText(self, text: str) -> None:  # noqa: N802 - QLabel's name, which the rest of the window uses
        self.setPlainText(text)
        self._fit()

    def text(self) -> str:
        return self.toPlainText()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        document = self.document()
        document.setTextWidth(self.viewport().width())
        height = int(document.size().height()) + 2
        if height != self.height():
            self.setFixedHeight(height)
