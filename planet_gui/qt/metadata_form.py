"""An editable form built from the metadata schema. With several files selected it edits them all:
fields whose values differ show "(several values)" until the user types a common one; picking one value for
them all from a list asks first (it replaces each file's own). Every editor carries its label as its accessible
name and is the label's buddy; dates take ISO or the local format, or a pick from a calendar."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from planet_gui.core.errors import MetadataInvalid
from planet_gui.core.schema import FieldSpec, Schema, format_value, is_empty

MIXED = object()
# the form's one row that is not a schema field: where the file goes (the profile's destinations), emitted by
# ``edited`` under this name, read by :meth:`MetadataForm.show_values` under it too
DESTINATION = "destination"
#: day-first forms people type besides ISO 8601 (the local short format is tried too)
_DATE_FORMATS = ("d/M/yyyy", "d.M.yyyy", "d-M-yyyy", "d/M/yy")


def parse_date(text: str, locale: QLocale | None = None) -> str | None:
    """``text`` as an ISO date if it is one in the local short format or a usual day-first form, else None
    (an ISO date or date-time is kept as typed: the schema checks it)."""
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
        return None  # ISO already
    except ValueError:
        pass
    locale = locale or QLocale()
    short = locale.dateFormat(QLocale.FormatType.ShortFormat)
    for fmt in (short.replace("yyyy", "yy").replace("yy", "yyyy"), short, *_DATE_FORMATS):
        day = locale.toDate(text, fmt)
        if day.isValid():
            if "yyyy" not in fmt and day.year() < 2000:  # Qt reads a two-digit year as 19xx
                day = day.addYears(100)
            return day.toString(Qt.DateFormat.ISODate)
    return None


class MetadataForm(QWidget):
    """Emits ``edited(name, value)`` when the user changes a field (not when we fill it in). With more than one of
    the profile's ``destinations``, a first row picks where each file goes (``edited(DESTINATION, name)``),
    edited for several files at once like the fields."""

    edited = Signal(str, object)  # field name, value: object, as a field's value is any schema type (or None)

    def __init__(self, schema: Schema, language: str = "en", parent: QWidget | None = None,
                 destinations: Sequence[str] = ()) -> None:
        super().__init__(parent)
        self.schema = schema
        self.language = language
        self.destinations = tuple(destinations)  # what the form was built for (MainWindow.follow_schema)
        self.editors: dict[str, QWidget] = {}
        self.reason_labels: dict[str, QLabel] = {}
        self._filling = False
        self.count = 0  # files the form edits now
        self.mixed_box: QMessageBox | None = None  # "set this for all N files?"
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.specs: tuple[FieldSpec, ...] = schema.fields
        if len(destinations) > 1:
            picker = FieldSpec(DESTINATION, "", "enum", required=True, values=tuple(destinations),
                               label={language: self.tr("Destination")},
                               help={language: self.tr("Where the file goes in the lake (a folder and its bucket, "
                                                       "from the profile)")})
            self.specs = (picker, *schema.fields)
        for spec in self.specs:
            editor = self._make_editor(spec)
            editor.setObjectName(f"field_{spec.name}")
            help_text = spec.help.get(language) or spec.help.get("en", "")
            editor.setToolTip(help_text)
            editor.setAccessibleName(spec.label_for(language))
            editor.setAccessibleDescription(help_text)
            label = QLabel(spec.label_for(language) + (" *" if spec.required else ""))
            label.setBuddy(editor)
            layout.addRow(label, self._row_widget(spec, editor))
            self.editors[spec.name] = editor
            reason = QLabel()  # the lake's reasons about this field (a triaged file being fixed), or a rule's problem
            reason.setObjectName(f"reason_{spec.name}")
            reason.setWordWrap(True)
            reason.setStyleSheet("color: #c62828;")
            reason.hide()
            layout.addRow("", reason)
            self.reason_labels[spec.name] = reason
        self.setEnabled(False)

    def _row_widget(self, spec: FieldSpec, editor: QWidget) -> QWidget:
        """A date gets a calendar button beside its text."""
        if spec.type != "datetime":
            return editor
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(editor, 1)
        button = QToolButton()
        button.setObjectName(f"calendar_{spec.name}")
        button.setText("…")
        button.setAccessibleName(self.tr("Pick %1 from a calendar").replace("%1", spec.label_for(self.language)))
        button.setToolTip(button.accessibleName())
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        menu = QMenu(button)
        calendar = QCalendarWidget()
        calendar.setGridVisible(True)
        pick = QWidgetAction(menu)
        pick.setDefaultWidget(calendar)
        menu.addAction(pick)
        assert isinstance(editor, QLineEdit)
        calendar.clicked.connect(lambda day, s=spec, e=editor, m=menu: self._picked(s, e, day, m))
        button.setMenu(menu)
        layout.addWidget(button)
        return row

    def _picked(self, spec: FieldSpec, editor: QLineEdit, day: QDate, menu: QMenu) -> None:
        menu.close()
        editor.setText(day.toString(Qt.DateFormat.ISODate))
        self._emit_text(spec, editor.text())

    def _make_editor(self, spec: FieldSpec) -> QWidget:
        if spec.type == "enum":
            combo = QComboBox()
            if spec.name != DESTINATION:  # a file always goes somewhere: no empty choice
                combo.addItem("", None)
            for value in spec.values:
                combo.addItem(spec.value_label(value, self.language), value)  # shown in the user's language
            combo.currentIndexChanged.connect(lambda _i, s=spec, c=combo: self._picked_value(s, c))
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
        if spec.type == "datetime":
            line.setPlaceholderText(self.tr("YYYY-MM-DD or %1").replace(
                "%1", QLocale().dateFormat(QLocale.FormatType.ShortFormat).upper()))
        if spec.system:
            line.setReadOnly(True)
            line.setPlaceholderText(self._system_hint(spec))
        line.textEdited.connect(lambda value, s=spec: self._emit_text(s, value))
        return line

    def _emit(self, name: str, value: Any) -> None:
        if not self._filling:
            self.edited.emit(name, value)

    def _picked_value(self, spec: FieldSpec, combo: QComboBox) -> None:
        """A value picked from a list. Over "(several values)" with several files it would replace each file's
        own value: say so and ask, and put "(several values)" back if the answer is no."""
        if self._filling or combo.currentIndex() < 0:
            return
        if not combo.property("mixed") or self.count < 2:
            self._emit(spec.name, combo.currentData())
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Set for all selected files?"),
                          self.tr("The %1 selected files have different values for %2. Set it to “%3” for all "
                                  "of them?").replace("%1", str(self.count))
                          .replace("%2", spec.label_for(self.language)).replace("%3", combo.currentText()),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda _r, s=spec, c=combo, b=box: self._mixed_answered(s, c, b))
        self.mixed_box = box
        box.open()

    def _mixed_answered(self, spec: FieldSpec, combo: QComboBox, box: QMessageBox) -> None:
        self.mixed_box = None
        if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
            combo.setProperty("mixed", False)
            combo.setPlaceholderText("")
            self._emit(spec.name, combo.currentData())
            return
        self._filling = True
        try:
            combo.setCurrentIndex(-1)
        finally:
            self._filling = False

    def _emit_text(self, spec: FieldSpec, text: str) -> None:
        if self._filling:
            return
        if spec.type == "datetime":
            text = parse_date(text.strip()) or text
        try:
            value = self.schema.coerce(spec.name, text)
        except MetadataInvalid:
            value = text  # keep what was typed; validation shows the problem
        self.edited.emit(spec.name, value)

    def show_values(self, value_sets: list[dict[str, Any]]) -> None:
        """Fill the form from one or more files' values."""
        self._filling = True
        self.count = len(value_sets)
        try:
            self.setEnabled(bool(value_sets))
            for spec in self.specs:
                values = [vs.get(spec.name) for vs in value_sets]
                shown: Any = values[0] if values and all(v == values[0] for v in values) else MIXED
                self._set_editor(spec, self.editors[spec.name], shown if value_sets else None)
        finally:
            self._filling = False

    def _set_editor(self, spec: FieldSpec, editor: QWidget, value: Any) -> None:
        mixed = value is MIXED
        if isinstance(editor, QComboBox):
            editor.setProperty("mixed", mixed)
            editor.setPlaceholderText(self.tr("(several values)") if mixed else "")
            if mixed:
                editor.setCurrentIndex(-1)  # the placeholder shows only with no item chosen
            else:
                index = editor.findData(value) if value is not None else 0
                editor.setCurrentIndex(max(index, 0))
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
                self.tr("(several values)") if mixed else (self._system_hint(spec) if spec.system else ""))

    def show_reasons(self, by_field: Mapping[str, Sequence[str]], held: Mapping[str, Any] | None = None) -> None:
        """The lake's reasons under the fields they concern, with the value the lake holds (a triaged file being
        fixed); an empty mapping hides them all."""
        held = held or {}
        for name, label in self.reason_labels.items():
            reasons = by_field.get(name, ())
            if reasons:
                value = held.get(name)
                shown = self.tr("(empty)") if is_empty(value) else format_value(self.schema.field(name), value)
                label.setText("\n".join(f"⚠ {r}" for r in reasons) + "\n"
                              + self.tr("The lake holds: %1").replace("%1", shown))
            label.setVisible(bool(reasons))

    def show_problems(self, by_field: Mapping[str, Sequence[str]]) -> None:
        """Problems of the values in the form (the rules' beyond the schema) under the fields they concern; an
        empty mapping hides them all."""
        for name, label in self.reason_labels.items():
            problems = by_field.get(name, ())
            if problems:
                label.setText("\n".join(f"⚠ {p}" for p in problems))
            label.setVisible(bool(problems))

    def _system_hint(self, spec: FieldSpec) -> str:
        """Who fills a field the user does not type: the personal-data ones are set by the window's own steps."""
        if spec.name == "personal_data_confirmation":
            return self.tr("set when you confirm the upload, if personal data was found")
        if spec.name == "pseudonymisation":
            return self.tr("set by Pseudonymise… below")
        return self.tr("set when uploading")
