"""Save the selected files' metadata as a named template, for a watched folder's later deliveries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planet_gui.core.schema import FieldSpec, Schema, format_value
from planet_gui.core.transfer.templates import list_templates, reusable_values, save_template
from planet_gui.qt.lists import fit_to_rows
from planet_gui.qt.workers import Workers


def common_values(value_sets: list[Mapping[str, Any]]) -> dict[str, Any]:
    """The values every selected file shares: one that differs between them describes no series."""
    if not value_sets:
        return {}
    first, *others = value_sets
    return {name: value for name, value in first.items() if all(other.get(name) == value for other in others)}


class SaveTemplateDialog(QDialog):
    """Shows what will be kept, asks for a name, saves on a worker; ``saved(name)`` once it is on disk."""

    saved = Signal(str)

    def __init__(self, schema: Schema, value_sets: list[Mapping[str, Any]], language: str = "en",
                 parent: QWidget | None = None, *, destination: str | None = None) -> None:
        super().__init__(parent)
        self.schema = schema
        self.destination = destination  # kept in the template: where its files go
        self.values = reusable_values(common_values(value_sets), schema)
        self.existing: list[str] = []
        self._workers = Workers(self)
        self.setWindowTitle(self.tr("Save as template"))
        self.setObjectName("save_template")

        intro = QLabel(self.tr("A template fills in these values for each new file of a watched folder. What is "
                               "read from each file (format, record count, period, column names) is left out, "
                               "and so is any value that differs between the selected files."))
        intro.setWordWrap(True)
        self.name_box = QComboBox()
        self.name_box.setEditable(True)
        self.name_box.setObjectName("template_name")
        name_line = self.name_box.lineEdit()
        if name_line is not None:  # always, as the box is editable
            name_line.setPlaceholderText(self.tr("e.g. ARPA daily PM10"))
        self.name_box.setMinimumContentsLength(28)
        self.name_box.editTextChanged.connect(self._name_changed)
        self.kept = QTreeWidget()
        self.kept.setHeaderLabels([self.tr("Field"), self.tr("Value")])
        self.kept.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for spec in schema.fields:
            if spec.name in self.values:
                self.kept.addTopLevelItem(QTreeWidgetItem([spec.label_for(language),
                                                           self._shown(spec, self.values[spec.name])]))
        fit_to_rows(self.kept, most=12)
        self.note = QLabel("")
        self.note.setObjectName("template_note")
        self.note.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Name:"), self.name_box)
        buttons = QDialogButtonBox()
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setDefault(True)
        cancel = QPushButton(self.tr("Cancel"))
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.kept)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.resize(600, self.sizeHint().height())
        self._name_changed("")
        # the names already taken, to offer them for replacing (a folder on disk: read on a worker)
        self._workers.run(list_templates, on_done=self._existing, on_failed=lambda _t, _m: None)

    def _shown(self, spec: FieldSpec, value: Any) -> str:
        if spec.type == "boolean":
            return self.tr("yes") if value else self.tr("no")
        return format_value(spec, value)

    def _existing(self, names: list[str]) -> None:
        self.existing = names
        typed = self.name_box.currentText()
        self.name_box.addItems(names)
        self.name_box.setEditText(typed)

    def _name_changed(self, text: str) -> None:
        name = text.strip()
        if not self.values:
            self._say(self.tr("Nothing to save: the selected files share no value a template could keep."), True)
        elif name in self.existing:
            self._say(self.tr("A template named %1 exists; saving replaces it.").replace("%1", name))
        else:
            self._say("")
        self.save_button.setEnabled(bool(name) and bool(self.values))

    def save(self) -> None:
        name = self.name_box.currentText().strip()
        if not name or not self.values:
            return
        self.save_button.setEnabled(False)
        self._workers.run(save_template, name, self.values, self.schema, destination=self.destination,
                          on_done=lambda _path: self._saved(name), on_failed=self._failed)

    def _saved(self, name: str) -> None:
        self.saved.emit(name)
        self.accept()

    def _failed(self, title: str, message: str) -> None:
        self._say(f"{title}: {message}", True)
        self.save_button.setEnabled(True)

    def _say(self, text: str, error: bool = False) -> None:
        self.note.setText(text)
        self.note.setStyleSheet("color: #c62828;" if error else "")
