"""The file list as the user sees it: sorted, filtered by state, searched by name, with a Status column that
shortens its text by whole words. The rows themselves live in :class:`~planet_gui.qt.files_model.FilesModel`."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from planet_gui.qt import files_model as fm

SEPARATOR = " · "


def fit_words(text: str, metrics: QFontMetrics, width: int) -> str:
    """``text`` shortened to ``width`` by dropping whole parts from its end ("uploading 42% · 3.1 MB/s · 1:20
    left" loses "1:20 left" first), then whole words; never cut inside a word. An ellipsis says something was
    left out (the whole text is the tooltip)."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    parts = text.split(SEPARATOR)
    while len(parts) > 1:
        parts.pop()
        shorter = SEPARATOR.join(parts)
        if metrics.horizontalAdvance(shorter) <= width:
            return shorter
    words = parts[0].split(" ")
    while len(words) > 1:
        words.pop()
        shorter = " ".join(words) + "…"
        if metrics.horizontalAdvance(shorter) <= width:
            return shorter
    return words[0]  # one word wider than the column: shown whole, clipped by the cell


class StatusDelegate(QStyledItemDelegate):
    """Paints the Status column with :func:`fit_words` instead of Qt's cut in the middle of a word."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        margin = option.widget.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1 \
            if option.widget is not None else 3
        option.text = fit_words(option.text, option.fontMetrics, option.rect.width() - 2 * margin)


class FilesProxy(QSortFilterProxyModel):
    """Sorts by what a column means (numbers as numbers, states in the order that needs the user first) and
    shows the rows whose name contains the search text and whose state is the chosen one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(fm.SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(0)
        # not re-sorted and re-filtered at each change of a row (with a thousand rows edited at once that cost
        # more than a frame): the window calls refresh() a moment after rows change
        self.setDynamicSortFilter(False)
        self.state = ""  # "" for every state

    def refresh(self) -> None:
        """Sort and filter again, if the user sorts or filters (the selection stays)."""
        if self.state or self.filterRegularExpression().pattern() or self.sortColumn() >= 0:
            self.invalidate()

    def set_state(self, state: str) -> None:
        self.state = state
        self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        if self.state:
            index = self.sourceModel().index(source_row, 0, source_parent)
            if index.data(fm.STATE_ROLE) != self.state:
                return False
        return super().filterAcceptsRow(source_row, source_parent)


class FilterBar(QWidget):
    """Search by name and show one state only; ``changed`` after either changes."""

    changed = Signal()

    def __init__(self, proxy: FilesProxy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.proxy = proxy
        self.search = QLineEdit()
        self.search.setObjectName("file_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search file names"))
        self.search.setAccessibleName(self.tr("Search file names"))
        self.search.textChanged.connect(self._search)
        self.states = QComboBox()
        self.states.setObjectName("state_filter")
        self.states.setAccessibleName(self.tr("Show files in state"))
        self.states.addItem(self.tr("All files"), "")
        for state in fm.STATE_ORDER:
            self.states.addItem(fm.state_label(state), state)
        self.states.currentIndexChanged.connect(self._state)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 1)
        layout.addWidget(self.states)

    def _search(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self.changed.emit()

    def _state(self, _index: int) -> None:
        self.proxy.set_state(str(self.states.currentData() or ""))
        self.changed.emit()


def make_table(proxy: FilesProxy) -> QTableView:
    """The table: the File column takes the room left by the short ones; a name is one line, shortened in the
    middle so its end and extension stay (the whole path is its tooltip); the status drops whole words."""
    table = QTableView()
    table.setObjectName("files")
    table.setAccessibleName(QCoreApplication.translate("FilesView", "Files to upload"))
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the order they were added
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setTabKeyNavigation(False)  # Tab leaves the table for the form
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setMinimumSectionSize(40)
    columns = cast(fm.FilesModel, proxy.sourceModel()).columns
    widths = {"category": 95, "format": 64, "record_count": 62, "status": 120}  # other columns keep Qt's default
    for index, column in enumerate(columns):
        if column in widths:
            table.setColumnWidth(index, widths[column])
    table.setItemDelegateForColumn(columns.index("status"), StatusDelegate(table))
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    return table
