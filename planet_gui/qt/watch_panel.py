"""The watched-folder panel: pick a folder and a metadata template, start and stop watching, see how the
deliveries went. The delivered files themselves are rows of the main table, like dropped ones."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from planet_gui.core.transfer.templates import list_templates
from planet_gui.core.transfer.watch import WatchEvent, WatchEventKind
from planet_gui.qt.folder_watch import FolderWatch
from planet_gui.qt.workers import Workers


class WatchPanel(QDockWidget):
    """``start_requested(folder, template)`` asks the window to start (it knows whether we are logged in);
    Stop stops at once."""

    start_requested = Signal(Path, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Watched folder"), parent)
        self.setObjectName("watch_panel")
        self.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.TopDockWidgetArea)
        self.watch = FolderWatch(self)
        self._workers = Workers(self)
        self.counts: Counter[WatchEventKind] = Counter()
        self.writing: set[Path] = set()  # seen, still being written

        self.folder_edit = QLineEdit()
        self.folder_edit.setObjectName("watch_folder")
        self.folder_edit.setPlaceholderText(self.tr("the folder where new files arrive"))
        self.choose_button = QPushButton(self.tr("Choose…"))
        self.choose_button.clicked.connect(self.choose_folder)
        self.template_box = QComboBox()
        self.template_box.setObjectName("watch_template")
        self.template_box.setMinimumContentsLength(18)
        self.template_box.setToolTip(self.tr("Its values are merged over what is read from each new file. "
                                             "Save one from the metadata form with Save as template…"))
        self.template_box.addItem(self.tr("(no template)"), "")
        self.start_button = QPushButton(self.tr("Start watching"))
        self.start_button.setObjectName("watch_start")
        self.start_button.clicked.connect(self._start_or_stop)
        self.status_label = QLabel(self.tr("Not watching."))
        self.status_label.setObjectName("watch_status")
        self.status_label.setWordWrap(True)

        body = QWidget()
        grid = QGridLayout(body)
        grid.addWidget(QLabel(self.tr("Folder:")), 0, 0)
        grid.addWidget(self.folder_edit, 0, 1)
        grid.addWidget(self.choose_button, 0, 2)
        grid.addWidget(QLabel(self.tr("Template:")), 0, 3)
        grid.addWidget(self.template_box, 0, 4)
        grid.addWidget(self.start_button, 0, 5)
        grid.addWidget(self.status_label, 1, 0, 1, 6)
        grid.setColumnStretch(1, 1)
        self.setWidget(body)

        self.watch.started.connect(self._started)
        self.watch.happened.connect(self._count)
        self.watch.failed.connect(lambda title, message: self._say(f"{title}: {message}", error=True))
        self.watch.stopped.connect(self._stopped)
        self.visibilityChanged.connect(self._shown)

    # -- templates -----------------------------------------------------------------------------

    def _shown(self, visible: bool) -> None:
        if visible:  # templates may have been saved meanwhile, here or with another tool
            self.refresh_templates()

    def refresh_templates(self, select: str | None = None) -> None:
        """List the saved templates (a folder on disk: read on a worker), keeping the choice or taking ``select``."""
        wanted = select if select is not None else self.template_name
        self._workers.run(list_templates, on_done=lambda names: self._fill_templates(names, wanted),
                          on_failed=lambda title, message: self._say(f"{title}: {message}", error=True))

    def _fill_templates(self, names: list[str], wanted: str) -> None:
        self.template_box.clear()
        self.template_box.addItem(self.tr("(no template)"), "")
        for name in names:
            self.template_box.addItem(name, name)
        self.template_box.setCurrentIndex(max(self.template_box.findData(wanted), 0))

    @property
    def template_name(self) -> str:
        return str(self.template_box.currentData() or "")

    # -- start, stop ---------------------------------------------------------------------------

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Folder to watch"), self.folder_edit.text())
        if chosen:
            self.folder_edit.setText(chosen)

    def _start_or_stop(self) -> None:
        if self.watch.running:
            self.watch.stop()
            self.start_button.setEnabled(False)  # until the watcher says it stopped
            self._say(self.tr("Stopping…"))
            return
        folder = self.folder_edit.text().strip()
        if not folder:
            self._say(self.tr("Choose the folder to watch first."), error=True)
            return
        self._say("")
        self.start_requested.emit(Path(folder).expanduser(), self.template_name)

    def _started(self, folder: Path, template: str) -> None:
        self.counts.clear()
        self.writing.clear()
        self.start_button.setText(self.tr("Stop watching"))
        for widget in (self.folder_edit, self.choose_button, self.template_box):
            widget.setEnabled(False)
        self._show_counts()

    def _stopped(self) -> None:
        self.start_button.setText(self.tr("Start watching"))
        for widget in (self.start_button, self.folder_edit, self.choose_button, self.template_box):
            widget.setEnabled(True)
        if not self.status_label.property("error"):
            self._say(self.tr("Not watching.") + self._summary())

    # -- what happened -------------------------------------------------------------------------

    def _count(self, event: WatchEvent, _values: object = None) -> None:
        if event.kind is WatchEventKind.WAITING:
            self.writing.add(event.path)
        else:
            self.writing.discard(event.path)
            self.counts[event.kind] += 1
        self._show_counts()

    def _show_counts(self) -> None:
        if not self.watch.running:
            return
        text = self.tr("Watching %1").replace("%1", str(self.watch.folder))
        if self.watch.template:
            text += " " + self.tr("with the template %1").replace("%1", self.watch.template)
        self._say(text + "." + self._summary())

    def _summary(self) -> str:
        parts = [template.replace("%1", str(count)) for template, count in (
            (self.tr("%1 uploaded"), self.counts[WatchEventKind.UPLOADED]),
            (self.tr("%1 being written"), len(self.writing)),
            (self.tr("%1 skipped"), self.counts[WatchEventKind.SKIPPED]),
            (self.tr("%1 failed"), self.counts[WatchEventKind.FAILED]),
        ) if count]
        return (" " + ", ".join(parts) + ".") if parts else ""

    def _say(self, text: str, error: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setProperty("error", error)
        self.status_label.setStyleSheet("color: #c62828;" if error else "")
