"""The problem banner above the form: why the selected file failed, waits or is in triage. Its room is always
there, so a message appearing or going never moves the form under the pointer (a click meant for Period start
once typed into Area); a long message scrolls inside it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

LINES = 4  # lines of text the banner shows without scrolling: a problem, or the key, SHA-256 and uploader


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
