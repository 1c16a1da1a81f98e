"""Ask the user what to do when a file is already in the lake. The engine asks from a worker thread;
the question is shown on the UI thread and the worker waits for the answer."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from planet_gui.core.status import State
from planet_gui.core.transfer.conflicts import Conflict, Resolution


class _Question:
    def __init__(self, conflict: Conflict) -> None:
        self.conflict = conflict
        self.answer = Resolution.SKIP
        self.answered = threading.Event()


class ConflictAsker(QObject):
    """A resolver for :class:`~planet_gui.core.transfer.TransferEngine` that asks through a dialog."""

    _ask = Signal(object)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self.box: QMessageBox | None = None
        self._ask.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def __call__(self, conflict: Conflict) -> Resolution:
        """Runs on an engine thread: hand the question to the UI thread and wait for the user."""
        question = _Question(conflict)
        self._ask.emit(question)
        question.answered.wait()
        return question.answer

    @Slot(object)
    def _show(self, question: _Question) -> None:
        conflict = question.conflict
        where = {State.VALIDATED: self.tr("validated"), State.TRIAGE: self.tr("in triage"),
                 State.PENDING: self.tr("waiting for validation")}.get(conflict.state, conflict.state.value)
        text = self.tr("%1 is already in the lake (%2) as\n%3").replace("%1", conflict.path.name) \
            .replace("%2", where).replace("%3", conflict.existing_key)
        if conflict.identical:
            text += "\n\n" + self.tr("It has the same content.")
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Already in the lake"), text,
                          QMessageBox.StandardButton.NoButton, self._parent)
        rename = box.addButton(self.tr("Upload under a new name"), QMessageBox.ButtonRole.AcceptRole)
        overwrite = None
        if conflict.state is State.PENDING:  # checked files are never replaced by the uploader
            overwrite = box.addButton(self.tr("Replace it"), QMessageBox.ButtonRole.DestructiveRole)
        skip = box.addButton(self.tr("Skip this file"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(skip)
        answers = {rename: Resolution.RENAME, skip: Resolution.SKIP}
        if overwrite is not None:
            answers[overwrite] = Resolution.OVERWRITE

        def done(_result: int) -> None:
            question.answer = answers.get(box.clickedButton(), Resolution.SKIP)
            self.box = None
            question.answered.set()

        box.finished.connect(done)
        self.box = box
        box.open()
