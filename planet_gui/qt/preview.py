"""The preview pane: the first rows as a table, or the netCDF structure / a text excerpt as text."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QAbstractItemView, QPlainTextEdit, QStackedWidget, QTableWidget, QTableWidgetItem


class PreviewPane(QStackedWidget):
    """Shows whatever the core's inspection previewed; the core already bounded its size."""

    def __init__(self) -> None:
        super().__init__()
        self.table = QTableWidget()
        self.table.setObjectName("preview_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.text = QPlainTextEdit()
        self.text.setObjectName("preview_text")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.addWidget(self.table)
        self.addWidget(self.text)
        self.show_preview(None)

    def show_preview(self, preview: Any) -> None:
        kind = getattr(preview, "kind", "none")
        if kind == "table":
            columns = list(preview.columns)
            self.table.clear()
            self.table.setColumnCount(len(columns))
            self.table.setRowCount(len(preview.rows))
            self.table.setHorizontalHeaderLabels(columns)
            for r, row in enumerate(preview.rows):
                for c, cell in enumerate(row[: len(columns)]):
                    self.table.setItem(r, c, QTableWidgetItem(str(cell)))
            self.table.resizeColumnsToContents()
            self.setCurrentWidget(self.table)
            return
        self.text.setPlainText(str(getattr(preview, "text", "")) if preview is not None else "")
        self.setCurrentWidget(self.text)
