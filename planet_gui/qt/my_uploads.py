""""My uploads": every upload this profile recorded on this computer (and each fix of one), where it stands, why,
and when; with a search box, a state filter and Refresh. And the desktop notice when a verdict arrives.

Everything that reads the history or asks the lake runs on a worker (:mod:`planet_gui.qt.workers`): a history of
ten thousand uploads is read off the UI thread, and the lake is asked the way ``planet-lake status`` asks it
(:mod:`planet_gui.core.verdicts`: listings, cached final verdicts), so Refresh is cheap enough to press.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStyle,
    QSystemTrayIcon,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planet_gui.core.history import FIX, UploadRecord
from planet_gui.core.status import ObjectStatus, State
from planet_gui.qt.workers import Workers

if TYPE_CHECKING:
    from planet_gui.qt.triage_fix import TriageFixer
    from planet_gui.qt.window_api import WindowApi

_Index = QModelIndex | QPersistentModelIndex
_COLOURS = {"validated": "#2e7d32", "triage": "#c62828", "pending": "#1565c0", "missing": "#6d4c41"}
NOTICE_MS = 8000


class UploadsModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[UploadRecord] = []
        self.headers = [self.tr("File"), self.tr("Status"), self.tr("Attempt"), self.tr("Uploaded"),
                        self.tr("Verdict at"), self.tr("Reasons"), self.tr("Object key")]
        self.state_names = {"validated": self.tr("validated"), "triage": self.tr("triage"),
                            "pending": self.tr("waiting for validation"), "missing": self.tr("not in the lake"),
                            "": self.tr("not checked yet")}

    def set_records(self, records: Sequence[UploadRecord]) -> None:
        self.beginResetModel()
        self.records = list(reversed(records))  # newest first
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's names
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.records[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (record.filename, self.state_names.get(record.state, record.state),
                    self.tr("fix") if record.kind == FIX else self.tr("upload"), _when(record.uploaded_at),
                    _when(record.checked_at) if record.state in ("validated", "triage") else "",
                    "; ".join(record.reasons) or record.note, record.key)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join([record.key, *record.reasons, record.note] if record.note else
                             [record.key, *record.reasons])
        if role == Qt.ItemDataRole.ForegroundRole and column == 1 and record.state in _COLOURS:
            return QColor(_COLOURS[record.state])
        if role == Qt.ItemDataRole.UserRole:
            return record.state
        return None


def _when(iso: str) -> str:
    return iso.replace("T", " ")[:19]


class UploadsFilter(QSortFilterProxyModel):
    """The search box's text anywhere in a row (file, key, reasons), and the chosen state."""

    def __init__(self) -> None:
        super().__init__()
        self.state = ""
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)

    def set_state(self, state: str) -> None:
        self.state = state
        self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: _Index) -> bool:  # noqa: N802 - Qt's name
        model = self.sourceModel()
        if self.state and model.data(model.index(row, 0, parent), Qt.ItemDataRole.UserRole) != self.state:
            return False
        return super().filterAcceptsRow(row, parent)


class MyUploadsDock(QDockWidget):
    def __init__(self, window: WindowApi) -> None:
        super().__init__(self.tr("My uploads"), window)
        self.setObjectName("my_uploads")
        self.window_ = window
        self._workers = Workers(self)
        self.busy = False
        self.model = UploadsModel()
        self.proxy = UploadsFilter()
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("my_uploads_table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.search = QLineEdit()
        self.search.setObjectName("my_uploads_search")
        self.search.setPlaceholderText(self.tr("Search file, key or reason"))
        self.search.setAccessibleName(self.tr("Search my uploads"))
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.states = QComboBox()
        self.states.setObjectName("my_uploads_state")
        self.states.setAccessibleName(self.tr("Show uploads in state"))
        self.states.addItem(self.tr("All states"), "")
        for state in ("pending", "validated", "triage", "missing"):
            self.states.addItem(self.model.state_names[state], state)
        self.states.currentIndexChanged.connect(lambda _i: self.proxy.set_state(self.states.currentData() or ""))
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("my_uploads_refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.receipt_button = QPushButton(self.tr("Receipt…"))
        self.receipt_button.setObjectName("my_uploads_receipt")
        self.receipt_button.setToolTip(self.tr("The receipt of the selected upload's submission (every file sent "
                                               "with it), kept on this computer"))
        self.receipt_button.setEnabled(False)
        self.receipt_button.clicked.connect(self.open_receipt)
        self.receipt_dialog: QWidget | None = None
        self.table.selectionModel().selectionChanged.connect(
            lambda _new, _old: self.receipt_button.setEnabled(self.selected() is not None))
        self.summary = QLabel("")
        self.summary.setObjectName("my_uploads_summary")
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.states)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.receipt_button)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.setWidget(body)
        self.visibilityChanged.connect(self._shown)

    def selected(self) -> UploadRecord | None:
        rows = self.table.selectionModel().selectedRows()
        if len(rows) != 1:
            return None
        return self.model.records[self.proxy.mapToSource(rows[0]).row()]

    def open_receipt(self) -> None:
        """The selected upload's receipt, showing its submission's (every file sent with it) when there is one."""
        from planet_gui.qt.privacy_panel import ReceiptDialog

        record = self.selected()
        if record is None:
            return
        receipts = self.window_.session.receipts
        receipt = receipts.find(record.key, record.sha256 or None) or receipts.find(record.key)
        submission = receipts.submissions.get(str((receipt or {}).get("submission") or ""))
        if receipt is None and submission is None:
            self.summary.setText(self.tr("There is no receipt for %1 on this computer.").replace("%1", record.key))
            return
        dialog = ReceiptDialog(receipt, self, submission=submission)
        if submission is not None:
            dialog.show_submission()
        dialog.finished.connect(lambda _r: setattr(self, "receipt_dialog", None))
        self.receipt_dialog = dialog
        dialog.open()

    def _shown(self, shown: bool) -> None:
        if shown and not self.model.records:
            self.load()

    def load(self) -> None:
        """The history as recorded (no request to the lake)."""
        history = self.window_.session.history
        self._workers.run(history.records, on_done=self._show, on_failed=self._failed)

    def refresh(self) -> None:
        """Ask the lake for the verdicts not final yet, then show the history with them."""
        if self.busy:
            return
        self.busy = True
        self.refresh_button.setEnabled(False)
        self.summary.setText(self.tr("Asking the lake…"))
        session = self.window_.session
        before = {r.id: r.state for r in self.model.records}

        def work() -> tuple[list[UploadRecord], dict[int, str]]:
            session.status()
            return session.history.records(), before

        self._workers.run(work, on_done=self._refreshed, on_failed=self._failed)

    def _refreshed(self, result: tuple[list[UploadRecord], dict[int, str]]) -> None:
        records, before = result
        self._show(records)
        arrived = [r for r in records if r.state in ("validated", "triage") and r.id in before
                   and before[r.id] != r.state]
        if arrived:
            self.window_.notifier.verdicts([(r.key, r.state, r.reasons) for r in arrived])

    def _show(self, records: list[UploadRecord]) -> None:
        self.busy = False
        self.refresh_button.setEnabled(True)
        self.model.set_records(records)
        self.receipt_button.setEnabled(False)  # the selection went with the reset
        counts = {state: sum(1 for r in records if r.state == state) for state in ("pending", "validated", "triage")}
        self.summary.setText(self.tr("%1 uploads: %2 validated, %3 in triage, %4 waiting")
                             .replace("%1", str(len(records))).replace("%2", str(counts["validated"]))
                             .replace("%3", str(counts["triage"])).replace("%4", str(counts["pending"])))

    def _failed(self, title: str, message: str) -> None:
        self.busy = False
        self.refresh_button.setEnabled(True)
        self.summary.setText(f"{title}: {message}")


class VerdictNotifier:
    """A desktop notice for each verdict that arrives: the system tray's balloon where there is a tray, else the
    window's status bar. ``last`` keeps the latest text (what was said, for the tests and the accessibility)."""

    def __init__(self, window: WindowApi) -> None:
        self.window = window
        self.last = ""
        self.tray: QSystemTrayIcon | None = None  # made at the first notice: no icon in the tray before

    def _tray(self) -> QSystemTrayIcon | None:
        if self.tray is None and QSystemTrayIcon.isSystemTrayAvailable():
            icon = self.window.windowIcon()
            if icon.isNull():
                icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_ArrowUp)
            self.tray = QSystemTrayIcon(icon, self.window)
            self.tray.show()
        return self.tray

    def verdicts(self, arrived: Sequence[tuple[str, str, Sequence[str]]]) -> None:
        if not arrived:
            return
        # translated in a context of its own: this is no QObject, and the window's tr() looks in "MainWindow"
        # (the notices stayed English in the Italian window)
        translate = QCoreApplication.translate
        if len(arrived) == 1:
            key, state, reasons = arrived[0]
            name = key.rsplit("/", 1)[-1]
            if state == "validated":
                title = translate("VerdictNotifier", "Upload validated")
                text = translate("VerdictNotifier", "%1 was accepted into the lake.").replace("%1", name)
            else:
                title = translate("VerdictNotifier", "Upload in triage")
                text = translate("VerdictNotifier", "%1 needs attention: %2").replace("%1", name).replace(
                    "%2", "; ".join(reasons))
        else:
            ok = sum(1 for _k, state, _r in arrived if state == "validated")
            title = translate("VerdictNotifier", "Verdicts arrived")
            text = translate("VerdictNotifier", "%1 validated, %2 in triage.").replace("%1", str(ok)).replace(
                "%2", str(len(arrived) - ok))
        self.last = f"{title}: {text}"
        tray = self._tray()
        if tray is not None and QSystemTrayIcon.supportsMessages():
            icon = QSystemTrayIcon.MessageIcon.Information if all(
                s == "validated" for _k, s, _r in arrived) else QSystemTrayIcon.MessageIcon.Warning
            tray.showMessage(title, text, icon, NOTICE_MS)
        self.window.statusBar().showMessage(self.last, NOTICE_MS)

    def from_statuses(self, before: dict[str, str], statuses: Sequence[ObjectStatus]) -> None:
        """The window's poll: a row whose state ``before`` was not this verdict."""
        self.verdicts([(s.key, s.state.value, s.reasons) for s in statuses
                       if s.state in (State.VALIDATED, State.TRIAGE) and before.get(s.key) != s.state.value])


def install(window: WindowApi) -> tuple[VerdictNotifier, MyUploadsDock, TriageFixer]:
    """The dock (hidden until asked for, under Uploads ▸ My uploads), the notifier and the triaged-row fixer."""
    from planet_gui.qt.triage_fix import TriageFixer

    notifier = VerdictNotifier(window)
    dock = MyUploadsDock(window)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    dock.hide()
    action = dock.toggleViewAction()
    action.setText(QCoreApplication.translate("MyUploadsDock", "My uploads"))
    action.setObjectName("my_uploads_action")
    for menu_action in window.menuBar().actions():  # the Uploads menu: the one holding Submit
        menu = menu_action.menu()
        if isinstance(menu, QMenu) and window.submit_action in menu.actions():
            menu.addAction(action)
            break
    else:
        window.menuBar().addAction(action)
    return notifier, dock, TriageFixer(window)
