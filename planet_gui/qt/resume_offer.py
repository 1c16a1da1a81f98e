"""The offer, once logged in, to finish the uploads that a crash, a kill or a closed window interrupted: which
files, how far each got, and the choice to resume them all, discard them (aborted on the server) or decide later.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planet_gui.core.session import Session
from planet_gui.core.transfer import JournalEntry
from planet_gui.core.transfer.progress import human_bytes
from planet_gui.qt.lists import fit_to_rows

RESUME, DISCARD, LATER = "resume", "discard", "later"


@dataclass(frozen=True)
class InterruptedUpload:
    entry: JournalEntry
    confirmed: int  # bytes the server already holds
    present: bool  # the file is still where it was

    @property
    def path(self) -> Path:
        return Path(self.entry.path)

    @property
    def fraction(self) -> float:
        return self.confirmed / self.entry.size if self.entry.size else 0.0


def find_interrupted(session: Session) -> list[InterruptedUpload]:
    """The interrupted uploads of the session's profile, with how far each got. Runs on a worker: it opens the
    journal and looks at the disk. Uploads that this window or another process drives right now are left out:
    only abandoned ones are offered (:meth:`Session.abandoned_uploads`)."""
    return [InterruptedUpload(entry, session.confirmed_bytes(entry), Path(entry.path).is_file())
            for entry in session.abandoned_uploads()]


class ResumeOfferDialog(QDialog):
    """Window-modal, never blocking: ``chosen`` says RESUME, DISCARD or LATER."""

    chosen = Signal(str)

    def __init__(self, uploads: list[InterruptedUpload], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.uploads = uploads
        self._answered = False
        self.setWindowTitle(self.tr("Interrupted uploads"))
        self.setObjectName("resume_offer")
        intro = QLabel(self.tr("Uploads interrupted last time: %1. Resume them where they stopped? Only the "
                               "missing parts are sent.").replace("%1", str(len(uploads))))
        intro.setWordWrap(True)

        self.list = QTreeWidget()
        self.list.setHeaderLabels([self.tr("File"), self.tr("Object key"), self.tr("Sent")])
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        for upload in uploads:
            item = QTreeWidgetItem([upload.path.name, upload.entry.key, self.sent_text(upload)])
            item.setToolTip(0, str(upload.path))
            item.setToolTip(1, upload.entry.key)
            if not upload.present:
                item.setForeground(2, QColor("#c62828"))
                item.setToolTip(2, self.tr("%1 is no longer there: it cannot be resumed, and what reached the "
                                           "server is removed.").replace("%1", str(upload.path)))
            self.list.addTopLevelItem(item)
        fit_to_rows(self.list)

        buttons = QDialogButtonBox()
        self.resume_button = QPushButton(self.tr("Resume all"))
        self.discard_button = QPushButton(self.tr("Discard"))
        self.discard_button.setToolTip(self.tr("Cancel these uploads: what reached the server is removed."))
        self.later_button = QPushButton(self.tr("Later"))
        self.later_button.setToolTip(self.tr("Keep them for now; Uploads ▸ Interrupted uploads… offers them again."))
        buttons.addButton(self.resume_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.later_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.resume_button.setDefault(True)
        self.resume_button.clicked.connect(lambda: self._choose(RESUME))
        self.discard_button.clicked.connect(lambda: self._choose(DISCARD))
        self.later_button.clicked.connect(lambda: self._choose(LATER))

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(820, self.sizeHint().height())

    def sent_text(self, upload: InterruptedUpload) -> str:
        if not upload.present:
            return self.tr("the file is gone")
        return self.tr("%1 of %2 sent").replace("%1", f"{upload.fraction:.0%}") \
            .replace("%2", human_bytes(upload.entry.size))

    def _choose(self, choice: str) -> None:
        if not self._answered:
            self._answered = True
            self.chosen.emit(choice)
        if choice == LATER:
            super().reject()
        else:
            self.accept()

    def reject(self) -> None:
        """Escape and the title bar's close button mean "later", like the button."""
        self._choose(LATER)
