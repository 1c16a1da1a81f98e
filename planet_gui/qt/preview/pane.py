"""The preview pane: the inspection's first rows or text at once; then, from a worker thread, what the core's
preview reads (column profiles, a plot over time, a map for tables; the structure, a map and a point series for
netCDF). Results for a file that is no longer selected are dropped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planet_gui.qt.preview import libraries
from planet_gui.qt.workers import Workers


@dataclass
class PreviewSource:
    """Where the previewed file is and what its inspection found (for reading more of it)."""

    path: Path
    details: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)


def source_of(entry: Any) -> PreviewSource | None:
    """The preview source of a file row (its path, inspection details and current values)."""
    path = getattr(entry, "path", None)
    if path is None:
        return None
    return PreviewSource(Path(path), dict(getattr(entry, "details", None) or {}),
                         dict(getattr(entry, "values", None) or {}))


def _wants_plots(table: Any) -> bool:
    return bool(table.time_field and table.numeric_columns) or table.points is not None


def _build_table(source: PreviewSource, preview: Any) -> Any:
    from planet_gui.core.preview import table_preview

    return table_preview(source.path, source.details, source.metadata, list(getattr(preview, "columns", [])),
                         list(getattr(preview, "rows", [])))


def _build_grid(source: PreviewSource) -> Any:
    from planet_gui.core.preview import first_view

    return first_view(source.path, source.details.get("bbox"))


class _Slot(QWidget):
    """A tab's page that shows a message until its content arrives."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.layout_.addWidget(self.message)
        self.content: QWidget | None = None

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        if self.content is not None:
            self.content.hide()

    def keep(self, widget: QWidget) -> None:
        """Hold ``widget``, made ahead of time, hidden until a :meth:`put` shows it (if the slot has none yet)."""
        if self.content is None:
            self.content = widget
            self.layout_.addWidget(widget, 1)
            widget.hide()

    def put(self, widget: QWidget) -> None:
        if self.content is not widget:
            if self.content is not None:
                self.layout_.removeWidget(self.content)
                self.content.deleteLater()
            self.content = widget
            self.layout_.addWidget(widget, 1)
        self.message.hide()
        widget.show()


class PreviewPane(QTabWidget):
    """Shows whatever the core's inspection previewed, then what the core's preview reads from the file."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("preview_tabs")
        self.setDocumentMode(True)
        self.workers = Workers(self)
        self._generation = 0
        self._opened_on: QWidget | None = None  # the page selected when the file was shown
        self._shown_key: tuple[int, str | None] | None = None
        self.table = QTableWidget()
        self.table.setObjectName("preview_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.text = QPlainTextEdit()
        self.text.setObjectName("preview_text")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.columns = QTableWidget()
        self.columns.setObjectName("preview_columns")
        self.columns.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.columns.setAlternatingRowColors(True)
        self.columns.verticalHeader().hide()
        self.tree = QTreeWidget()
        self.tree.setObjectName("preview_tree")
        self.tree.setColumnCount(2)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.plot_slot = _Slot("preview_plot")
        self.map_slot = _Slot("preview_map")
        #: the data behind the plot and map (a TablePreview or a GridPreview), for tests and screenshots
        self.data: Any = None
        self.warmed = False  # the plot and map modules are loaded and their widgets made (warm_up)
        self.libraries = libraries.PlotLibraries(self)
        self.libraries.ready.connect(self._libraries_ready)
        self.libraries.failed.connect(self._libraries_failed)
        self._waiting: Callable[[], None] | None = None  # what waits for the libraries (the file shown last)
        self._make_when_loaded = False
        self.addTab(self.table, self.tr("Rows"))
        self.addTab(self.columns, self.tr("Columns"))
        self.addTab(self.plot_slot, self.tr("Plot"))
        self.addTab(self.map_slot, self.tr("Map"))
        self.addTab(self.tree, self.tr("Structure"))
        self.addTab(self.text, self.tr("Text"))
        self.show_preview(None)

    # -- made ahead of time ------------------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Load the plot and map modules now (:mod:`.libraries`: in steps), then make the plot and the map, kept
        hidden. The app calls this in the quiet after its window has painted (``planet_gui.qt.app``): otherwise
        the first table previewed, often while 1,000 files were being added, waited for pyqtgraph, and making the
        two widgets took 20-30 ms of the UI thread (tests/bench/bench_gui.py). :attr:`warmed` says when it is
        done."""
        self._make_when_loaded = True
        self.libraries.load_quietly()

    def _libraries_ready(self) -> None:
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            waiting()
        if self._make_when_loaded and not self.warmed:
            self._make_ahead()

    def _libraries_failed(self, message: str) -> None:
        self._waiting = None
        for slot in (self.plot_slot, self.map_slot):
            slot.say(self.tr("This preview could not be read: %1").replace("%1", message))

    def _after_libraries(self, then: Callable[[], None]) -> None:
        """``then`` once the plot's libraries are in: now if they are, else when :attr:`libraries` is done
        (loading them in steps, the window alive meanwhile); a later file shown replaces what waits."""
        if libraries.loaded():
            then()
            return
        self._waiting = then
        self.libraries.load_quietly()

    def _make_ahead(self) -> None:
        if self.warmed:
            return
        from planet_gui.qt.preview.maps import PointsMap
        from planet_gui.qt.preview.plots import TablePlot

        self.plot_slot.keep(TablePlot())
        self.map_slot.keep(PointsMap())
        self.warmed = True

    # -- what is shown -----------------------------------------------------------------------------------------

    def _pages(self, *shown: QWidget, first: bool = True) -> None:
        """Show these pages only; the first one becomes current (``first``), or stays so when the user has not
        moved to another page since this file was shown."""
        for index in range(self.count()):
            self.setTabVisible(index, self.widget(index) in shown)
        if shown and (first or self.currentWidget() not in shown or self.currentWidget() is self._opened_on):
            self.setCurrentWidget(shown[0])
        self._opened_on = self.currentWidget()

    def show_preview(self, preview: Any, source: PreviewSource | None = None) -> None:
        """Show ``preview`` (the inspection's), and start reading what the plot and map need from ``source``. The
        same preview of the same file again (the selection refreshed) keeps what is shown, or being read."""
        key = (id(preview), str(source.path) if source is not None else None)
        if preview is not None and key == self._shown_key:
            return
        self._shown_key = key
        self._generation += 1
        self.data = None
        kind = getattr(preview, "kind", "none")
        if kind == "table":
            self._fill_rows(preview)
            if source is None:
                self._pages(self.table)
                return
            self.columns.setRowCount(0)
            self.plot_slot.say(self.tr("Reading the file…"))
            self.map_slot.say(self.tr("Reading the file…"))
            self._pages(self.table, self.columns, self.plot_slot)
            generation = self._generation
            self.workers.run(_build_table, source, preview,
                             on_done=lambda table: self._table_ready(generation, table),
                             on_failed=lambda title, message: self._failed(generation, message))
            return
        self.text.setPlainText(str(getattr(preview, "text", "")) if preview is not None else "")
        if kind == "tree" and source is not None:
            self.tree.clear()
            self.map_slot.say(self.tr("Reading the file…"))
            self._pages(self.map_slot, self.tree, self.text)
            generation = self._generation
            self.workers.run(_build_grid, source, on_done=lambda grid: self._grid_ready(generation, grid),
                             on_failed=lambda title, message: self._failed(generation, message))
            return
        self._pages(self.text)

    def _fill_rows(self, preview: Any) -> None:
        columns = list(preview.columns)
        self.table.clear()
        self.table.setColumnCount(len(columns))
        self.table.setRowCount(len(preview.rows))
        self.table.setHorizontalHeaderLabels(columns)
        for r, row in enumerate(preview.rows):
            for c, cell in enumerate(row[: len(columns)]):
                self.table.setItem(r, c, QTableWidgetItem(str(cell)))
        self.table.resizeColumnsToContents()

    def _failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        for slot in (self.plot_slot, self.map_slot):
            slot.say(self.tr("This preview could not be read: %1").replace("%1", message))

    # -- tables ------------------------------------------------------------------------------------------------

    def _table_ready(self, generation: int, table: Any) -> None:
        """The column profiles at once; the plot and map too when pyqtgraph is loaded, else once it is (the first
        preview of the run: the columns do not wait for it, see :mod:`.libraries`)."""
        if generation != self._generation:
            return
        self._fill_profiles(table)
        if not _wants_plots(table):
            self._draw_table(generation, table)
            return
        if not libraries.loaded():
            self.plot_slot.say(self.tr("Drawing the plot…"))
        self._after_libraries(lambda: self._draw_table(generation, table))

    def _draw_table(self, generation: int, table: Any) -> None:
        if generation != self._generation:
            return
        self.data = table
        pages: list[QWidget] = [self.table, self.columns]
        if table.time_field and table.numeric_columns:
            from planet_gui.qt.preview.plots import TablePlot

            plot = self.plot_slot.content if isinstance(self.plot_slot.content, TablePlot) else TablePlot()
            plot.set_table(table)
            self.plot_slot.put(plot)
            pages.insert(0, self.plot_slot)
        if table.points is not None:
            pages.insert(1 if len(pages) > 2 else 0, self.map_slot)
            if pages[0] is self.plot_slot:  # the map is not the page shown: drawn in the next turn of the loop,
                QTimer.singleShot(0, self, lambda: self._draw_points(generation, table))  # not in the plot's
            else:
                self._draw_points(generation, table)
        self._pages(*pages, first=False)

    def _draw_points(self, generation: int, table: Any) -> None:
        if generation != self._generation:
            return
        from planet_gui.qt.preview.maps import PointsMap

        points = self.map_slot.content if isinstance(self.map_slot.content, PointsMap) else PointsMap()
        points.set_points(table.points, table.bbox)
        self.map_slot.put(points)

    def _kind_label(self, kind: str) -> str:
        """A column's type in the window's language (the core's names are English identifiers)."""
        labels = {"integer": self.tr("integer"), "float": self.tr("float"), "number": self.tr("number"),
                  "datetime": self.tr("datetime"), "date": self.tr("date"), "time": self.tr("time"),
                  "string": self.tr("string"), "boolean": self.tr("boolean"), "empty": self.tr("empty")}
        return labels.get(kind, kind)

    def _fill_profiles(self, table: Any) -> None:
        headers = [self.tr("Column"), self.tr("Type"), self.tr("Missing"), self.tr("Min"), self.tr("Max"),
                   self.tr("Most frequent")]
        self.columns.clear()
        self.columns.setColumnCount(len(headers))
        self.columns.setHorizontalHeaderLabels(headers)
        self.columns.setRowCount(len(table.profiles))
        for r, profile in enumerate(table.profiles):
            top = ", ".join(f"{value or '∅'} ({count})" for value, count in profile.top)
            if profile.top and profile.distinct == profile.count - profile.missing:
                top = self.tr("all different")
            cells = [profile.name, self._kind_label(profile.kind), f"{profile.missing_share:.0%}", profile.minimum,
                     profile.maximum, top]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.columns.setItem(r, c, item)
        self.columns.resizeColumnsToContents()
        if not table.complete:
            self.columns.setToolTip(self.tr("Computed on the first %1 rows.").replace("%1", str(table.rows_read)))
        else:
            self.columns.setToolTip("")

    # -- netCDF ------------------------------------------------------------------------------------------------

    def _grid_ready(self, generation: int, view: Any) -> None:
        if generation != self._generation:
            return
        grid = view.grid
        self.data = grid
        self.tree.clear()
        self.tree.setHeaderLabels([self.tr("Name"), self.tr("Value")])
        for node in grid.tree:
            self.tree.addTopLevelItem(self._tree_item(node))
        for index in range(min(3, self.tree.topLevelItemCount())):  # dimensions, coordinates, variables
            item = self.tree.topLevelItem(index)
            if item is not None:
                item.setExpanded(True)
        if grid.map_variables or grid.series_variables:
            self._after_libraries(lambda: self._grid_page(generation, view))
        else:
            self._pages(self.tree, self.text, first=False)

    def _grid_page(self, generation: int, view: Any) -> None:
        if generation != self._generation:
            return
        from planet_gui.qt.preview.grid_view import GridView

        page = self.map_slot.content if isinstance(self.map_slot.content, GridView) else GridView(self.workers)
        page.set_view(view)
        self.map_slot.put(page)
        self._pages(self.map_slot, self.tree, self.text, first=False)

    def _tree_item(self, node: Any) -> QTreeWidgetItem:
        item = QTreeWidgetItem([node.label, node.value])
        item.setToolTip(1, node.value)
        for child in node.children:
            item.addChild(self._tree_item(child))
        return item
