"""An editable form built from the metadata schema. With several files selected it edits them all:
fields whose values differ show "(several values)" until the user types a common one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from planet_gui.core.errors import MetadataInvalid
from planet_gui.core.schema import FieldSpec, Schema, format_value, is_empty

MIXED = object()


class MetadataForm(QWidget):
    """Emits ``edited(name, value)`` when the user changes a field (not when we fill it in)."""

    edited = Signal(str, object)

    def __init__(self, schema: Schema, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.schema = schema
        self.language = language
        self.editors: dict[str, QWidget] = {}
        self._filling = False
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for spec in schema.fields:
            editor = self._make_editor(spec)
            editor.setObjectName(f"field_{spec.name}")
            editor.setToolTip(spec.help.get(language) or spec.help.get("en", ""))
            label = QLabel(spec.label_for(language) + (" *" if spec.required else ""))
            layout.addRow(label, editor)
            self.editors[spec.name] = editor
        self.setEnabled(False)

    def _make_editor(self, spec: FieldSpec) -> QWidget:
        if spec.type == "enum":
            combo = QComboBox()
            combo.addItem("", None)
            for value in spec.values:
                combo.addItem(value, value)
            combo.currentIndexChanged.connect(lambda _i, s=spec, c=combo: self._emit(s.name, c.currentData()))
            return combo
        if spec.type == "boolean":
            box = QCheckBox()
            box.toggled.connect(lambda checked, s=spec: self._emit(s.name, checked))
            return box
        if spec.type == "text":
            text = QPlainTextEdit()
            text.setMaximumHeight(70)
            text.textChanged.connect(lambda s=spec, t=text: self._emit_text(s, t.toPlainText()))
            return text
        line = QLineEdit()
        if spec.system:
            line.setReadOnly(True)
            line.setPlaceholderText(self.tr("set when uploading"))
        line.textEdited.connect(lambda value, s=spec: self._emit_text(s, value))
        return line

    def _emit(self, name: str, value: Any) -> None:
        if not self._filling:
            self.edited.emit(name, value)

    def _emit_text(self, spec: FieldSpec, text: str) -> None:
        if self._filling:
            return
        try:
            value = self.schema.coerce(spec.name, text)
        except MetadataInvalid:
            value = text  # keep what was typed; validation shows the problem
        self.edited.emit(spec.name, value)

    def show_values(self, value_sets: list[dict[str, Any]]) -> None:
        """Fill the form from one or more files' values."""
        self._filling = True
        try:
            self.setEnabled(bool(value_sets))
            for spec in self.schema.fields:
                values = [vs.get(spec.name) for vs in value_sets]
                shown: Any = values[0] if values and all(v == values[0] for v in values) else MIXED
                self._set_editor(spec, self.editors[spec.name], shown if value_sets else None)
        finally:
            self._filling = False

    def _set_editor(self, spec: FieldSpec, editor: QWidget, value: Any) -> None:
        mixed = value is MIXED
        if isinstance(editor, QComboBox):
            index = editor.findData(value) if not mixed and value is not None else 0
            editor.setCurrentIndex(max(index, 0))
            editor.setPlaceholderText(self.tr("(several values)") if mixed else "")
        elif isinstance(editor, QCheckBox):
            editor.setTristate(mixed)
            if mixed:
                editor.setCheckState(editor.checkState().PartiallyChecked)
            else:
                editor.setChecked(bool(value))
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText("" if mixed or is_empty(value) else str(value))
            editor.setPlaceholderText(self.tr("(several values)") if mixed else "")
        elif isinstance(editor, QLineEdit):
            editor.setText("" if mixed or is_empty(value) else format_value(spec, value))
            editor.setPlaceholderText(
                self.tr("(several values)") if mixed else (self.tr("set when uploading") if spec.system else ""))
