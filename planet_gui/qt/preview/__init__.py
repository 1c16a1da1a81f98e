"""The Preview tab: rows, column profiles, a time-series plot and a map for tables; structure, a map and a point
series for netCDF. The plots (pyqtgraph) load only when a preview first needs one."""

from planet_gui.qt.preview.pane import PreviewPane, PreviewSource, source_of

__all__ = ["PreviewPane", "PreviewSource", "source_of"]
