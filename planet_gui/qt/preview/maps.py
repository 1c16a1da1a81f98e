"""Maps on the outline of Italy (Natural Earth, in resources/geo): the outline, a bounding box, places as points."""

from __future__ import annotations

import math
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from planet_gui.core.preview.outline import italy_outline

OUTLINE_PEN = (90, 90, 90)
BOX_COLOUR = (200, 40, 40)


def map_plot(name: str) -> Any:
    """A plot in degrees, east and north equally long at Italy's latitude, with Italy's outline drawn."""
    plot = pg.PlotWidget()
    plot.setObjectName(name)
    plot.setAspectLocked(True, ratio=1 / math.cos(math.radians(42.0)))
    plot.showGrid(x=True, y=True, alpha=0.15)
    plot.setLabel("bottom", "lon °E")
    plot.setLabel("left", "lat °N")
    for ring in italy_outline():
        plot.plot([p[0] for p in ring], [p[1] for p in ring], pen=pg.mkPen(OUTLINE_PEN, width=1.2))
    return plot


def draw_box(plot: Any, bbox: tuple[float, float, float, float] | None) -> Any:
    """The bounding box (west, south, east, north) as a dashed rectangle; a point when it has no extent."""
    if bbox is None:
        return None
    west, south, east, north = bbox
    if east - west < 1e-6 and north - south < 1e-6:
        return plot.plot([west], [south], pen=None, symbol="s", symbolSize=12, symbolPen=pg.mkPen(BOX_COLOUR, width=2),
                         symbolBrush=None)
    pen = pg.mkPen(BOX_COLOUR, width=1.5, style=Qt.PenStyle.DashLine)
    return plot.plot([west, east, east, west, west], [south, south, north, north, south], pen=pen)


def show_italy(plot: Any, bbox: tuple[float, float, float, float] | None = None) -> None:
    """Frame Italy, grown to take in the box when it reaches beyond."""
    west, south, east, north = 6.0, 36.0, 19.0, 47.5
    if bbox is not None:
        west, south = min(west, bbox[0]), min(south, bbox[1])
        east, north = max(east, bbox[2]), max(north, bbox[3])
    plot.setRange(QRectF(west, south, east - west, north - south), padding=0.03)


class PointsMap(QWidget):
    """The table's places (its lat/lon columns) as points on Italy, with the inspection's bounding box."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("preview_points_map")
        self.plot = map_plot("preview_points_plot")
        self.scatter = pg.ScatterPlotItem(size=8, brush=pg.mkBrush(30, 100, 200, 200), pen=pg.mkPen("w"),
                                          hoverable=True, tip=self._tip)
        self.plot.addItem(self.scatter)
        self.box: Any = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.plot)

    @staticmethod
    def _tip(x: float, y: float, data: Any) -> str:
        return f"{data}\n{y:.4f} °N, {x:.4f} °E" if data else f"{y:.4f} °N, {x:.4f} °E"

    def set_points(self, points: Any, bbox: tuple[float, float, float, float] | None) -> None:
        self.scatter.setData(points.lon, points.lat, data=points.labels)
        if self.box is not None:
            self.plot.removeItem(self.box)
        self.box = draw_box(self.plot, bbox)
        show_italy(self.plot, bbox)
