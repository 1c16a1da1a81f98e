"""A netCDF file's map and point series: pick a variable and a step, see it on Italy's outline with the file's
bounding box; click a cell to plot its series below. Every read runs on a worker (the core reads one slice or
one point), and a result that a newer choice has overtaken is dropped."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSlider, QSplitter, QVBoxLayout, QWidget

from planet_gui.core.preview.grid import map_slice, nearest_cell, point_series
from planet_gui.qt.preview.maps import draw_box, map_plot, show_italy
from planet_gui.qt.preview.plots import line_pen
from planet_gui.qt.workers import Workers

STEP_DELAY_MS = 150  # a dragged slider reads the slice it rests on, not every one it passes


def _when(seconds: float | None) -> str:
    if seconds is None or not math.isfinite(seconds):
        return ""
    return datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")


class GridView(QWidget):
    def __init__(self, workers: Workers) -> None:
        super().__init__()
        self.setObjectName("preview_grid_view")
        self.workers = workers
        self.grid: Any = None
        self.cell: tuple[int, int] | None = None
        self._asked = {"map": 0, "series": 0}
        self.variable = QComboBox()
        self.variable.setObjectName("preview_variable")
        self.step = QSlider(Qt.Orientation.Horizontal)
        self.step.setObjectName("preview_step")
        self.step_label = QLabel()
        self.step_label.setObjectName("preview_step_label")
        self.map = map_plot("preview_map_plot")
        self.image = pg.ImageItem()
        self.image.setZValue(-10)  # under the outline
        self.map.addItem(self.image)
        self.colorbar = pg.ColorBarItem(colorMap=pg.colormap.get("viridis"), interactive=False, width=12)
        self.colorbar.setImageItem(self.image, insert_in=self.map.getPlotItem())
        self.marker = pg.ScatterPlotItem(size=11, symbol="x", pen=pg.mkPen((220, 0, 0), width=2.5))
        self.map.addItem(self.marker)
        self.box: Any = None
        self.series = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        self.series.setObjectName("preview_series_plot")
        self.series.showGrid(x=True, y=True, alpha=0.2)
        self.series_note = QLabel(self.tr("Click the map to plot a point's series."))
        self.series_note.setObjectName("preview_series_note")
        self.series_note.setWordWrap(True)
        self._step_timer = QTimer(self, singleShot=True, interval=STEP_DELAY_MS,  # type: ignore[call-arg]
                                  timeout=self._ask_map)  # properties and signals as keywords (PySide)

        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Variable:")))
        controls.addWidget(self.variable, 1)
        steps = QHBoxLayout()
        steps.addWidget(self.step, 1)
        steps.addWidget(self.step_label)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.series_note)
        lower_layout.addWidget(self.series, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.map)
        self.splitter.addWidget(lower)
        self.splitter.setSizes([600, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addLayout(steps)
        layout.addWidget(self.splitter, 1)

        self.variable.currentTextChanged.connect(self._variable_chosen)
        self.step.valueChanged.connect(self._step_moved)
        self.map.scene().sigMouseClicked.connect(self._clicked)

    # -- the file ------------------------------------------------------------------------------------------

    def set_view(self, view: Any) -> None:
        self.grid = None
        self.cell = None
        self.marker.clear()
        self.image.clear()
        self.series.getPlotItem().clear()
        self.series.getPlotItem().setTitle(None)
        self.series.getPlotItem().setLabel("left", "")
        self.map.setTitle(None)
        self.colorbar.hide()
        self.variable.clear()
        grid = view.grid
        self.variable.addItems(grid.map_variables + grid.series_variables)
        self.grid = grid
        if self.box is not None:
            self.map.removeItem(self.box)
        self.box = draw_box(self.map, grid.bbox)
        if grid.location is not None:
            self.marker.setData([grid.location[0]], [grid.location[1]])
            where = f"{grid.location[1]:.3f} °N, {grid.location[0]:.3f} °E"
            self.map.setTitle(self.tr("All of this file is one point: %1").replace("%1", where), size="9pt")
        show_italy(self.map, grid.bbox)
        first = view.map.variable if view.map is not None else view.series.variable if view.series else ""
        self.variable.blockSignals(True)
        self.variable.setCurrentText(first)
        self.variable.blockSignals(False)
        self._configure_step(first)
        if view.map is not None:
            self._show_map(view.map)
        if view.series is not None:
            self._show_series(view.series)

    def _configure_step(self, name: str) -> None:
        info = self.grid.variables.get(name) if self.grid is not None else None
        on_grid = bool(info and info.on_grid and info.steps > 1)
        self.step.blockSignals(True)
        self.step.setRange(0, max(0, info.steps - 1) if info else 0)
        self.step.blockSignals(False)
        self.step.setVisible(on_grid)
        self.step_label.setVisible(on_grid)
        self.series_note.setVisible(bool(info and info.on_grid))

    def _variable_chosen(self, name: str) -> None:
        if self.grid is None or name not in self.grid.variables:
            return
        self._configure_step(name)
        if self.grid.variables[name].on_grid:
            self._ask_map()
            if self.cell is not None:
                self._ask_series()
        else:
            self.image.clear()
            self.colorbar.hide()
            self._ask_series()

    def _step_moved(self, _value: int) -> None:
        self._step_timer.start()

    # -- reads on workers ----------------------------------------------------------------------------------

    def _ask_map(self) -> None:
        name = self.variable.currentText()
        if self.grid is None or name not in self.grid.variables or not self.grid.variables[name].on_grid:
            return
        self._asked["map"] += 1
        asked, grid = self._asked["map"], self.grid
        self.workers.run(map_slice, grid, name, self.step.value(),
                         on_done=lambda found: self._show_map(found) if asked == self._asked["map"] else None,
                         on_failed=lambda _t, message: self.series_note.setText(message))

    def _ask_series(self) -> None:
        name = self.variable.currentText()
        if self.grid is None or name not in self.grid.variables:
            return
        self._asked["series"] += 1
        asked, grid = self._asked["series"], self.grid
        cell = self.cell if self.grid.variables[name].on_grid else None
        self.workers.run(point_series, grid, name, cell, self.step.value(),
                         on_done=lambda found: self._show_series(found) if asked == self._asked["series"] else None,
                         on_failed=lambda _t, message: self.series_note.setText(message))

    def _clicked(self, event: Any) -> None:
        name = self.variable.currentText()
        if self.grid is None or name not in self.grid.variables or not self.grid.variables[name].on_grid:
            return
        where = self.map.getPlotItem().vb.mapSceneToView(event.scenePos())
        self.click_at(where.x(), where.y())

    def click_at(self, lon: float, lat: float) -> bool:
        """The point series of the cell nearest (lon, lat), as a click there does; False off the grid."""
        cell = nearest_cell(self.grid, lon, lat) if self.grid is not None else None
        if cell is None:
            return False
        self.cell = cell
        assert self.grid.lat is not None and self.grid.lon is not None
        self.marker.setData([float(self.grid.lon[cell[1]])], [float(self.grid.lat[cell[0]])])
        self._ask_series()
        return True

    # -- results -------------------------------------------------------------------------------------------

    def _show_map(self, found: Any) -> None:
        values, lon, lat = found.values, found.lon, found.lat
        if lat.size > 1 and lat[0] > lat[-1]:  # north first in the file: flip so rows go south to north
            values, lat = values[::-1], lat[::-1]
        if lon.size > 1 and lon[0] > lon[-1]:
            values, lon = values[:, ::-1], lon[::-1]
        dlon = float(lon[-1] - lon[0]) / max(1, lon.size - 1) if lon.size > 1 else 1.0
        dlat = float(lat[-1] - lat[0]) / max(1, lat.size - 1) if lat.size > 1 else 1.0
        finite = values[np.isfinite(values)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        if high <= low:
            high = low + 1.0
        self.image.setImage(np.ascontiguousarray(values), levels=(low, high), autoLevels=False)
        self.image.setRect(QRectF(float(lon[0]) - dlon / 2, float(lat[0]) - dlat / 2, dlon * lon.size,
                                  dlat * lat.size))
        self.colorbar.setLevels((low, high))
        self.colorbar.show()
        info = self.grid.variables[found.variable]
        when = _when(found.time)
        label = when or f"{info.step_dim} {found.step + 1} / {info.steps}" if info.step_dim else ""
        self.step_label.setText(label)
        self.map.setTitle(f"{info.label}" + (f" — {when}" if when else ""), size="9pt")
        self.shown_map = found

    def _show_series(self, found: Any) -> None:
        item = self.series.getPlotItem()
        item.clear()
        if found.is_time != isinstance(item.getAxis("bottom"), pg.DateAxisItem):  # dates, or step numbers
            item.setAxisItems({"bottom": pg.DateAxisItem("bottom") if found.is_time else pg.AxisItem("bottom")})
        item.plot(found.x, found.y, pen=line_pen(0, 1))
        info = self.grid.variables[found.variable]
        item.setLabel("left", f"{info.name} ({info.units})" if info.units else info.name)
        item.setLabel("bottom", "" if found.is_time else info.step_dim or "")
        where = f"{found.lat:.3f} °N, {found.lon:.3f} °E" if found.lat is not None and found.lon is not None else ""
        item.setTitle(f"{found.variable}" + (f" — {where}" if where else ""), size="9pt")
        self.shown_series = found
