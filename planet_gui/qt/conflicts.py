"""Ask the user what to do when a file is already in the lake. The engine asks from a worker thread;
the question is shown on the UI thread and the worker waits for the answer. One dialog at a time, however many
files of a batch are already there, with "do the same for the others" so a batch of hundreds is one question."""

from __future__ import annotations

import threading
from collections import deque

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QMessageBox, QWidget

from planet_gui.core.status import State
from planet_gui.core.transfer.conflicts import Conflict, Resolution


class _Question:
    def __init__(self, conflict: Conflict) -> None:
        self.conflict = conflict
        self.answer = Resolution.SKIP
        self.answered = threading.Event()


class ConflictAsker(QObject):
    """A resolver for :class:`~planet_gui.core.transfer.TransferEngine` that asks through a dialog."""

    _ask = Signal(_Question)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self.box: QMessageBox | None = None
        self.apply_all: QCheckBox | None = None
        self._waiting: deque[_Question] = deque()
        self._current: _Question | None = None
        # answers the user gave "for the others too", by where the existing file is; until the next batch
        self._remembered: dict[State, Resolution] = {}
        self._ask.connect(self._queue, Qt.ConnectionType.QueuedConnection)

    def __call__(self, conflict: Conflict) -> Resolution:
        """Runs on an engine thread: hand the question to the UI thread and wait for the user."""
        question = _Question(conflict)
        self._ask.emit(question)
        question.answered.wait()
        return question.answer

    def new_batch(self) -> None:
        """A new submit: answers given "for the others" applied to the batch they were given in."""
        self._remembered.clear()

    def _usable(self, question: _Question) -> Resolution | None:
        answer = self._remembered.get(question.conflict.state)
        if answer is Resolution.OVERWRITE and question.conflict.state is not State.PENDING:
            return None  # checked files are never replaced by the uploader
        return answer

    @Slot(object)
    def _queue(self, question: _Question) -> None:
        remembered = self._usable(question)
        if remembered is not None:
            self._answer(question, remembered)
            return
        self._waiting.append(question)
        if self._current is None:
            self._next()
        else:
            self._say_how_many()

    def _answer(self, question: _Question, answer: Resolution) -> None:
        question.answer = answer
        question.answered.set()

    def _next(self) -> None:
        while self._waiting:
            question = self._waiting.popleft()
            remembered = self._usable(question)
            if remembered is None:
                self._show(question)
                return
            self._answer(question, remembered)

    def _say_how_many(self) -> None:
        if self.apply_all is not None:
            others = len(self._waiting)
            self.apply_all.setText(self.tr("Do the same for the other files already in the lake (%1 waiting)")
                                   .replace("%1", str(others)) if others else
                                   self.tr("Do the same for the other files already in the lake"))

    def _show(self, question: _Question) -> None:
        self._current = question
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
        self.apply_all = QCheckBox()
        box.setCheckBox(self.apply_all)
        self._say_how_many()
        answers: dict[QAbstractButton, Resolution] = {rename: Resolution.RENAME, skip: Resolution.SKIP}
        if overwrite is not None:
            answers[overwrite] = Resolution.OVERWRITE

        def done(_result: int) -> None:
            answer = answers.get(box.clickedButton(), Resolution.SKIP)
            if self.apply_all is not None and self.apply_all.isChecked():
                self._remembered[conflict.state] = answer
                if answer is not Resolution.OVERWRITE:  # the same choice wherever the other file is
                    for state in (State.VALIDATED, State.TRIAGE, State.PENDING):
                        self._remembered.setdefault(state, answer)
            self.box = self.apply_all = None
            self._current = None
            self._answer(question, answer)
            self._next()

        box.finished.connect(done)
        self.box = box
        box.open()
