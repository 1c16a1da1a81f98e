"""The time-series plot of a table (pyqtgraph, imported here and only here or in the map modules, so the window
starts without it): one line per place, or one line, of the column the picker names."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from planet_gui.core.preview.series import default_column, lines_for

pg.setConfigOptions(antialias=True, background="w", foreground="k", imageAxisOrder="row-major")


def line_pen(index: int, count: int) -> Any:
    return pg.mkPen(pg.intColor(index, hues=max(count, 9), values=1, maxValue=220), width=1.5)


class TablePlot(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("preview_table_plot")
        self.picker = QComboBox()
        self.picker.setObjectName("preview_column")
        self.picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.note = QLabel()
        self.note.setObjectName("preview_plot_note")
        self.note.setWordWrap(True)
        self.plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        self.plot.setObjectName("preview_plot_widget")
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.curves: list[Any] = []
        self.legend: Any = None
        self.table: Any = None
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Column:")))
        top.addWidget(self.picker, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.note)
        self.picker.currentTextChanged.connect(self.show_column)

    def set_table(self, table: Any) -> None:
        self.table = None
        self.picker.clear()
        self.picker.addItems(table.numeric_columns)
        self.table = table
        column = default_column(table)
        if column is not None:
            self.picker.setCurrentText(column)
            self.show_column(column)

    def show_column(self, column: str) -> None:
        if self.table is None or column not in self.table.numbers:
            return
        found = lines_for(self.table, column)
        item = self.plot.getPlotItem()
        item.clear()
        if self.legend is not None:
            self.legend.scene().removeItem(self.legend) if self.legend.scene() else None
        count = len(found.lines)
        self.legend = item.addLegend(offset=(8, 8), colCount=3 if count > 8 else 1, labelTextSize="7pt",
                                     brush=pg.mkBrush(255, 255, 255, 210), pen=pg.mkPen(200, 200, 200))
        self.curves = []
        for index, line in enumerate(found.lines):
            single = line.x.size == 1  # one time: a dot, or it would not show
            pen = line_pen(index, count)
            curve = item.plot(line.x, line.y, pen=pen, name=line.label, symbol="o" if single else None,
                              symbolSize=6, symbolBrush=pen.color(), symbolPen=None)
            self.curves.append(curve)
        item.setLabel("left", column)
        item.setLabel("bottom", self.table.time_field)
        notes = []
        if self.table.group_field:
            notes.append(self.tr("One line per %1.").replace("%1", self.table.group_field))
            if count < found.groups_total:
                notes.append(self.tr("The %1 largest of %2 shown.").replace("%1", str(count))
                             .replace("%2", str(found.groups_total)))
        if not self.table.complete:
            notes.append(self.tr("First %1 rows of the file.").replace("%1", f"{self.table.rows_read:,}"))
        self.note.setText(" ".join(notes))
        self.note.setVisible(bool(notes))
        item.enableAutoRange()
