"""The form's lists show the schema's values in the window's language; what is stored stays the value."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from planet_gui.core.schema import load_schema
from planet_gui.qt.metadata_form import MetadataForm


def test_italian_form_shows_labels_and_emits_values(qtbot) -> None:  # noqa: ANN001
    form = MetadataForm(load_schema(), language="it")
    qtbot.addWidget(form)
    combo = form.editors["category"]
    assert isinstance(combo, QComboBox)
    shown = {combo.itemData(i): combo.itemText(i) for i in range(1, combo.count())}
    assert shown["Meteorological"] == "Meteorologica" and shown["Clinical"] == "Clinica"
    form.show_values([{"category": "Clinical", "frequency": "daily"}])
    assert combo.currentText() == "Clinica" and combo.currentData() == "Clinical"
    frequency = form.editors["frequency"]
    assert isinstance(frequency, QComboBox) and frequency.currentText() == "giornaliera"
    with qtbot.waitSignal(form.edited, timeout=2000) as emitted:
        combo.setCurrentIndex(combo.findData("Meteorological"))
    assert emitted.args == ["category", "Meteorological"]


def test_english_form_shows_the_values(qtbot) -> None:  # noqa: ANN001
    form = MetadataForm(load_schema(), language="en")
    qtbot.addWidget(form)
    combo = form.editors["category"]
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(1, combo.count())] == list(load_schema().field("category").values)
