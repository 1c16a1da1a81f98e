"""The question before an upload, compact for batches of hundreds: how many files, how big, which categories,
where they go, what to look at twice; the files themselves in a list that scrolls. Yes and Cancel stay in view
whatever the batch (a dialog listing 200 files was 5,686 px tall, its Yes off the screen)."""

from __future__ import annotations

from collections import Counter
from pathlib import PurePosixPath

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planet_gui.core.transfer.progress import human_bytes
from planet_gui.qt import files_model as fm

LIST_HEIGHT = 180  # px: about eight files; the rest scroll


def file_size(entry: fm.FileEntry) -> int:
    try:
        return entry.path.stat().st_size
    except OSError:
        return 0


class ConfirmDialog(QDialog):
    """``accepted`` when the user says Yes. ``keys`` are the object keys the files will get."""

    def __init__(self, ready: list[fm.FileEntry], keys: list[str], blocked: int, bucket: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Confirm upload"))
        self.setObjectName("confirm_upload")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.heading = QLabel(self.tr("Upload %1 file(s) to the data lake?").replace("%1", str(len(ready))))
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.summary = QLabel(self._summary(ready, keys, bucket))
        self.summary.setObjectName("confirm_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.warnings = QLabel(self._warnings(ready, keys, blocked))
        self.warnings.setObjectName("confirm_warnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #b26a00;")
        self.warnings.setVisible(bool(self.warnings.text()))
        self.list = QTreeWidget()
        self.list.setObjectName("confirm_files")
        self.list.setAccessibleName(self.tr("Files to upload and their names in the lake"))
        self.list.setHeaderLabels([self.tr("File"), self.tr("Name in the lake")])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setMinimumHeight(LIST_HEIGHT)
        self.list.setMaximumHeight(LIST_HEIGHT)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a name's end and extension stay
        self.list.addTopLevelItems([QTreeWidgetItem([e.path.name, key]) for e, key in zip(ready, keys, strict=True)])
        self.list.setColumnWidth(0, 280)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Yes | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.heading, self.summary, self.warnings):
            layout.addWidget(widget)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self.resize(720, 0)

    def _summary(self, ready: list[fm.FileEntry], keys: list[str], bucket: str) -> str:
        size = sum(file_size(e) for e in ready)
        lines = [self.tr("Total size: %1").replace("%1", human_bytes(size))]
        categories = Counter(str(e.values.get("category") or "—") for e in ready)
        lines.append(self.tr("Categories: %1").replace("%1", _counted(categories)))
        folders = Counter(f"{bucket}/{PurePosixPath(key).parent}/" for key in keys)
        lines.append(self.tr("Destination: %1").replace("%1", _counted(folders)))
        return "\n".join(lines)

    def _warnings(self, ready: list[fm.FileEntry], keys: list[str], blocked: int) -> str:
        found = []
        if blocked:
            found.append(self.tr("%1 file(s) with missing fields stay here.").replace("%1", str(blocked)))
        personal = sum(1 for e in ready if e.values.get("personal_data") is True)
        if personal:
            found.append(self.tr("%1 file(s) say they contain personal data.").replace("%1", str(personal)))
        same = sum(n for n in Counter(keys).values() if n > 1)
        if same:
            found.append(self.tr("%1 file(s) would get the same name in the lake; you will be asked about each.")
                         .replace("%1", str(same)))
        return "\n".join(found)

    def text(self) -> str:
        """Everything the dialog says, the files included (what a screen reader reads out, and tests check)."""
        items = (self.list.topLevelItem(i) for i in range(self.list.topLevelItemCount()))
        files = "\n".join(f"• {item.text(0)} → {item.text(1)}" for item in items if item is not None)
        return "\n\n".join(t for t in (self.heading.text(), self.summary.text(), self.warnings.text(), files) if t)

    def button(self, which: QMessageBox.StandardButton | QDialogButtonBox.StandardButton) -> QPushButton:
        """Yes or Cancel; QMessageBox's names work too (same values)."""
        return self.buttons.button(QDialogButtonBox.StandardButton(int(which.value)))


def _counted(counter: Counter[str]) -> str:
    """'COVID-19 (120), Air quality (80)': the most frequent first, at most five named."""
    common = counter.most_common()
    named = ", ".join(f"{name} ({count})" for name, count in common[:5])
    rest = sum(count for _, count in common[5:])
    return named + (f", … ({rest})" if rest else "")
