"""The Preview tab: a plot with one line per region for a regional panel, a tree and a map for netCDF, reads on
worker threads (the window handles events while a preview is read), results for a file no longer shown dropped,
and pyqtgraph not loaded by opening the window."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QTimer

from planet_gui.core.inspect import inspect_file
from planet_gui.qt.preview import PreviewPane, PreviewSource
from planet_gui.qt.preview import pane as panemod
from tests.support.preview_files import REGIONS, grid_values, italy_grid, regional_panel, typed_panel

ROOT = Path(__file__).resolve().parents[2]


def _show(pane: PreviewPane, path: Path) -> None:
    found = inspect_file(path)
    pane.show_preview(found.preview, PreviewSource(path, found.details, found.metadata))


def _visible_tabs(pane: PreviewPane) -> list[str]:
    return [pane.tabText(i) for i in range(pane.count()) if pane.isTabVisible(i)]


@pytest.fixture()
def pane(qtbot: Any) -> PreviewPane:
    widget = PreviewPane()
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    return widget


def test_the_regional_panel_plots_one_line_per_region(qtbot: Any, pane: PreviewPane, tmp_path: Path) -> None:
    _show(pane, regional_panel(tmp_path / "dpc-covid19-ita-regioni.csv", days=12))
    qtbot.waitUntil(lambda: pane.data is not None, timeout=30_000)
    plot = pane.plot_slot.content
    assert pane.currentWidget() is pane.plot_slot and plot is not None and plot.isVisible()
    assert len(plot.curves) == len(REGIONS)
    assert sorted(curve.name() for curve in plot.curves) == sorted(REGIONS)
    assert all(len(curve.getData()[0]) == 12 for curve in plot.curves)
    # the codes ("01") are text, the coordinates are not plotted: the counts are offered
    assert [plot.picker.itemText(i) for i in range(plot.picker.count())] == ["nuovi_positivi", "deceduti"]
    plot.picker.setCurrentText("deceduti")  # the column picker redraws
    lombardia = next(c for c in plot.curves if c.name() == "Lombardia")
    assert lombardia.getData()[1].tolist() == [float(day + REGIONS.index("Lombardia")) for day in range(12)]
    assert "Map" in _visible_tabs(pane) and "Columns" in _visible_tabs(pane)
    assert pane.columns.rowCount() == 9 and pane.columns.item(8, 0).text() == "note"


def test_the_national_series_plots_over_data(qtbot: Any, pane: PreviewPane, testdata: Path) -> None:
    _show(pane, testdata / "csv" / "dpc-covid19-ita-andamento-nazionale.csv")
    qtbot.waitUntil(lambda: pane.data is not None, timeout=30_000)
    plot = pane.plot_slot.content
    assert len(plot.curves) == 1 and len(plot.curves[0].getData()[0]) == 1781
    assert plot.picker.currentText() == "nuovi_positivi"
    assert "Map" not in _visible_tabs(pane)  # no coordinates, no map


def test_the_netcdf_shows_a_tree_and_a_point_series(qtbot: Any, pane: PreviewPane, testdata: Path) -> None:
    _show(pane, testdata / "netcdf" / "cams_europe_aq_reanalysis_milan_2020.nc")
    qtbot.waitUntil(lambda: pane.data is not None, timeout=30_000)
    tops = [pane.tree.topLevelItem(i).text(0) for i in range(pane.tree.topLevelItemCount())]
    assert tops[:4] == ["Dimensions", "Coordinates", "Variables", "Global attributes"]
    assert pane.tree.topLevelItem(2).childCount() == 10
    view = pane.map_slot.content
    assert pane.currentWidget() is pane.map_slot
    assert view.shown_series.variable == "co" and view.shown_series.y.size == 8784
    assert view.marker.data["x"].tolist() == pytest.approx([9.15])
    view.variable.setCurrentText("pm10")
    qtbot.waitUntil(lambda: view.shown_series.variable == "pm10", timeout=30_000)


def test_a_gridded_netcdf_maps_a_step_and_plots_a_clicked_point(qtbot: Any, pane: PreviewPane,
                                                                tmp_path: Path) -> None:
    _show(pane, italy_grid(tmp_path / "t2m.nc", steps=24))
    qtbot.waitUntil(lambda: pane.data is not None, timeout=30_000)
    view = pane.map_slot.content
    qtbot.waitUntil(lambda: getattr(view, "shown_map", None) is not None, timeout=30_000)
    image = view.image.image
    assert image.shape == (23, 27)
    assert image[0, 0] == pytest.approx(grid_values(1, 23, 27)[0, -1, 0])  # drawn south row first
    view.step.setValue(7)
    qtbot.waitUntil(lambda: view.shown_map.step == 7, timeout=30_000)
    assert "2020-01-01 07:00" in view.step_label.text()
    assert view.click_at(9.0, 45.0)
    qtbot.waitUntil(lambda: getattr(view, "shown_series", None) is not None, timeout=30_000)
    y, x = view.cell
    assert np.allclose(view.shown_series.y, grid_values(24, 23, 27)[:, y, x])
    assert (view.shown_series.lon, view.shown_series.lat) == (9.0, 45.0)


def test_the_window_stays_responsive_while_a_preview_is_read(qtbot: Any, pane: PreviewPane, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    real = panemod._build_table

    def held(*args: Any) -> Any:
        assert gate.wait(60)
        return real(*args)

    monkeypatch.setattr(panemod, "_build_table", held)
    first, second = regional_panel(tmp_path / "a.csv", days=3), regional_panel(tmp_path / "b.csv", days=5)
    _show(pane, first)
    assert pane.data is None and "Reading" in pane.plot_slot.message.text()  # returned at once
    ticks: list[int] = []
    QTimer.singleShot(0, lambda: ticks.append(1))
    qtbot.waitUntil(lambda: ticks == [1], timeout=5_000)  # events run while the worker is held
    _show(pane, second)  # another file selected before the first one's preview arrived
    gate.set()
    qtbot.waitUntil(lambda: pane.data is not None, timeout=30_000)
    qtbot.wait(200)  # let the first (older) result arrive too: it must not replace the second
    assert pane.data.rows_read == 5 * len(REGIONS)


def test_opening_the_window_does_not_load_pyqtgraph() -> None:
    script = ("import sys\nimport planet_gui.qt.app, planet_gui.qt.main_window\n"
              "print('pyqtgraph' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT,
                            env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_the_same_file_shown_again_is_not_read_again(qtbot: Any, pane: PreviewPane, tmp_path: Path) -> None:
    path = regional_panel(tmp_path / "p.csv", days=3)
    found = inspect_file(path)
    source = PreviewSource(path, found.details, found.metadata)
    pane.show_preview(found.preview, source)
    qtbot.waitUntil(lambda: pane.data is not None, timeout=30_000)
    shown = pane.data
    pane.show_preview(found.preview, source)  # the selection refreshed: nothing to read again
    assert pane.data is shown and not pane.workers.running
    pane.show_preview(None)
    assert pane.data is None and _visible_tabs(pane) == ["Text"]


_ON_THE_UI_THREAD = r"""
import sys, threading
from pathlib import Path
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

importers = []


class Watch:
    def find_spec(self, name, path=None, target=None):
        if name == "pyqtgraph":
            frame, stepped = sys._getframe(1), False
            while frame is not None:
                stepped = stepped or frame.f_code.co_name == "_step"
                frame = frame.f_back
            importers.append((threading.current_thread() is threading.main_thread(), stepped))
        return None


sys.meta_path.insert(0, Watch())
app = QApplication([])
from planet_gui.core.inspect import inspect_file
from planet_gui.qt.preview import PreviewPane, PreviewSource
from tests.support.preview_files import regional_panel

pane = PreviewPane()
pane.show()
turns = [0]
beat = QTimer(interval=0)
beat.timeout.connect(lambda: turns.__setitem__(0, turns[0] + 1))
path = regional_panel(Path(sys.argv[1]), days=4)
found = inspect_file(path)
pane.show_preview(found.preview, PreviewSource(path, found.details, found.metadata))
loading = [None]
pane.libraries._timer.timeout.connect(lambda: loading[0] is None and (loading.__setitem__(0, turns[0]), beat.start()))
while pane.plot_slot.content is None:
    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
pane.grab()
print(importers, turns[0] - (loading[0] or 0), len(pane.plot_slot.content.curves))
"""


def test_pyqtgraph_is_loaded_on_the_ui_thread_a_step_per_event_loop_turn(tmp_path: Path) -> None:
    """Importing pyqtgraph builds the Python types of every QtCore, QtGui and QtWidgets class it copies. On the
    worker that read the preview, that raced the UI thread building widgets, and a test run died of a segmentation
    fault in the overlap (``_copy_attrs`` on the worker, ``MetadataForm`` on the UI thread). It is now imported on
    the UI thread, by the stepped loader (``PlotLibraries._step``), with the event loop turning between the steps
    (a timer counts the turns) instead of one freeze of ~150 ms; and Qt complains of no object on a wrong thread."""
    result = subprocess.run([sys.executable, "-c", _ON_THE_UI_THREAD, str(tmp_path / "panel.csv")],
                            capture_output=True, text=True, timeout=120, cwd=ROOT,
                            env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    *importers, turns, curves = result.stdout.strip().splitlines()[-1].rsplit(" ", 2)
    assert importers == ["[(True, True)]"], result.stdout
    assert int(turns) >= 10, result.stdout  # the loading took many turns of the loop, not one
    assert int(curves) == len(REGIONS)
    assert "thread" not in result.stderr.lower(), result.stderr


@pytest.mark.parametrize("name", ["panel.parquet", "panel.dta"])
def test_a_parquet_or_stata_file_gets_columns_a_plot_per_region_and_a_map(qtbot: Any, pane: PreviewPane,
                                                                          tmp_path: Path, name: str) -> None:
    _show(pane, typed_panel(tmp_path / name, days=9))
    qtbot.waitUntil(lambda: pane.data is not None, timeout=30_000)
    assert pane.data.rows_read == 9 * len(REGIONS)  # the file's rows, not the inspection's 20
    plot = pane.plot_slot.content
    assert pane.currentWidget() is pane.plot_slot
    assert sorted(curve.name() for curve in plot.curves) == sorted(REGIONS)
    assert all(len(curve.getData()[0]) == 9 for curve in plot.curves)
    assert plot.picker.currentText() == "nuovi_positivi"
    assert {"Plot", "Map", "Rows", "Columns"} <= set(_visible_tabs(pane))
    names = [pane.columns.item(r, 0).text() for r in range(pane.columns.rowCount())]
    assert names[:2] == ["data", "stato"] and "nuovi_positivi" in names
    # the places on the map, drawn right after the plot (not in the same turn of the event loop)
    qtbot.waitUntil(lambda: pane.map_slot.content is not None, timeout=10_000)
    assert sorted(pane.map_slot.content.scatter.data["data"].tolist()) == sorted(REGIONS)


def test_column_types_speak_the_window_language(qtbot: Any, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from planet_gui.qt.i18n import install_translator

    app = QApplication.instance()
    translator = install_translator(app, "it")
    assert translator is not None
    try:
        pane = PreviewPane()
        qtbot.addWidget(pane)
        _show(pane, regional_panel(tmp_path / "panel.csv", days=3))
        qtbot.waitUntil(lambda: pane.data is not None, timeout=30_000)
        types = {pane.columns.item(r, 0).text(): pane.columns.item(r, 1).text() for r in range(pane.columns.rowCount())}
        assert types["nuovi_positivi"] == "intero" and types["lat"] == "decimale"
        assert types["data"] == "data e ora" and types["denominazione_regione"] == "testo"
        assert pane.data.profiles[0].kind == "datetime"  # the core's name is unchanged
    finally:
        app.removeTranslator(translator)


def test_plot_libraries_that_fail_to_load_are_said_where_the_plot_would_be(qtbot: Any, pane: PreviewPane,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken install (pyqtgraph missing, a Qt module that will not load): the loading stops with the reason,
    shown in the plot and map pages, instead of an exception raised in a timer slot at every turn of the loop."""
    from planet_gui.qt.preview import libraries

    def broken() -> None:
        raise ImportError("No module named 'pyqtgraph'")

    monkeypatch.setattr(libraries, "loaded", lambda: False)
    monkeypatch.setattr(libraries, "_steps", lambda: iter([lambda: None, broken, lambda: None]))
    drawn: list[bool] = []
    with qtbot.waitSignal(pane.libraries.failed, timeout=10_000) as failed:
        pane._after_libraries(lambda: drawn.append(True))  # noqa: SLF001 - what a table's preview does
    assert failed.args == ["ImportError: No module named 'pyqtgraph'"]
    assert not drawn
    assert "No module named 'pyqtgraph'" in pane.plot_slot.message.text()
    assert not pane.libraries._timer.isActive()  # noqa: SLF001 - stopped, not failing again at every turn
