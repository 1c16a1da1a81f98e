"""The question before an upload, compact for batches of hundreds: how many files, how big, which categories,
where they go, what to look at twice; the files themselves in a list that scrolls. Yes and Cancel stay in view
whatever the batch (a dialog listing 200 files was 5,686 px tall, its Yes off the screen).

Files in which the scan found personal data are named with what was found. When the profile's policy needs a
confirmation for any of them (``block``, or a file declared without personal data where some was found), Yes
stays disabled until a reason is typed; on Yes the reason is recorded in each such file's metadata
(``personal_data_confirmation``: who, when, what was found, why), as ``planet-lake upload
--confirm-personal-data`` does."""

from __future__ import annotations

from collections import Counter
from pathlib import PurePosixPath
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planet_gui.core.privacy import policy as privacy_policy
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

    def __init__(self, ready: list[fm.FileEntry], keys: list[str], blocked: int, bucket: str | list[str],
                 parent: QWidget | None = None, *, policy: str = privacy_policy.WARN, identity: Any = None) -> None:
        super().__init__(parent)
        self.ready = ready
        self.policy = policy
        self.who = f"{identity.username} (sub {identity.subject})" if identity is not None else "unknown"
        self.personal = [e for e in ready if privacy_policy.found_kinds(_scan(e))]
        self.to_confirm = [e for e in self.personal
                           if privacy_policy.needs_confirmation(policy, _scan(e), e.values)]
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
        self.personal_list = QTreeWidget()
        self.personal_list.setObjectName("confirm_personal")
        self.personal_list.setAccessibleName(self.tr("Files with personal data found in them"))
        self.personal_list.setHeaderLabels([self.tr("File"), self.tr("Personal data found")])
        self.personal_list.setRootIsDecorated(False)
        self.personal_list.setMaximumHeight(LIST_HEIGHT // 2)
        for entry in self.personal:
            scan = _scan(entry)
            found = "; ".join(f"{column}: {kind}" for column, kind in _per_column(scan))
            self.personal_list.addTopLevelItem(QTreeWidgetItem([entry.path.name, found]))
        self.personal_list.setColumnWidth(0, 280)
        self.personal_list.setVisible(bool(self.personal))
        self.reason_label = QLabel(self._reason_text())
        self.reason_label.setObjectName("confirm_reason_label")
        self.reason_label.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setObjectName("confirm_reason")
        self.reason.setAccessibleName(self.tr("Why these files must be uploaded with personal data"))
        self.reason.setPlaceholderText(self.tr("e.g. ethics committee approval 42/2026"))
        self.reason_label.setBuddy(self.reason)
        self.reason_label.setVisible(bool(self.personal))
        self.reason.setVisible(bool(self.personal))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Yes | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._update_yes)
        layout = QVBoxLayout(self)
        for widget in (self.heading, self.summary, self.warnings):
            layout.addWidget(widget)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.personal_list)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self._update_yes()
        self.resize(720, 0)

    def _reason_text(self) -> str:
        if self.to_confirm:
            return self.tr("%1 file(s) need a confirmation before they go up (this lake's policy, or a file "
                           "declared without personal data): say why they must be uploaded as they are. Your "
                           "name, the time and the reason are recorded in their metadata.") \
                .replace("%1", str(len(self.to_confirm)))
        return self.tr("Reason they must be uploaded with personal data (optional; recorded in their metadata):")

    def _update_yes(self) -> None:
        enough = len(self.reason.text().strip()) >= privacy_policy.MIN_REASON
        self.buttons.button(QDialogButtonBox.StandardButton.Yes).setEnabled(not self.to_confirm or enough)

    def accept(self) -> None:
        """Record the decision on each file with findings (as the CLI does), then say Yes."""
        reason = self.reason.text().strip()
        if self.to_confirm and len(reason) < privacy_policy.MIN_REASON:
            return
        for entry in self.personal:
            entry.values = privacy_policy.review(self.policy, _scan(entry), entry.values, who=self.who,
                                                 reason=reason or None)
        super().accept()

    def _summary(self, ready: list[fm.FileEntry], keys: list[str], bucket: str | list[str]) -> str:
        """``bucket``: the raw bucket of every file, or each file's (its destination's)."""
        size = sum(file_size(e) for e in ready)
        lines = [self.tr("Total size: %1").replace("%1", human_bytes(size))]
        categories = Counter(str(e.values.get("category") or "—") for e in ready)
        lines.append(self.tr("Categories: %1").replace("%1", _counted(categories)))
        buckets = [bucket] * len(keys) if isinstance(bucket, str) else bucket
        folders = Counter(f"{b}/{PurePosixPath(key).parent}/" for b, key in zip(buckets, keys, strict=True))
        lines.append(self.tr("Destination: %1").replace("%1", _counted(folders)))
        return "\n".join(lines)

    def _warnings(self, ready: list[fm.FileEntry], keys: list[str], blocked: int) -> str:
        found = []
        if blocked:
            found.append(self.tr("%1 file(s) whose metadata needs fixing stay here.").replace("%1", str(blocked)))
        personal = sum(1 for e in ready if e.values.get("personal_data") is True)
        if personal:
            found.append(self.tr("%1 file(s) say they contain personal data.").replace("%1", str(personal)))
        scanned = sum(1 for e in ready if privacy_policy.found_kinds(_scan(e)))
        if scanned:
            found.append(self.tr("Personal data was found in %1 file(s): see below.").replace("%1", str(scanned)))
        same = sum(n for n in Counter(keys).values() if n > 1)
        if same:
            found.append(self.tr("%1 file(s) would get the same name in the lake; you will be asked about each.")
                         .replace("%1", str(same)))
        return "\n".join(found)

    def text(self) -> str:
        """Everything the dialog says, the files included (what a screen reader reads out, and tests check)."""
        items = (self.list.topLevelItem(i) for i in range(self.list.topLevelItemCount()))
        files = "\n".join(f"• {item.text(0)} → {item.text(1)}" for item in items if item is not None)
        found = [self.personal_list.topLevelItem(i) for i in range(self.personal_list.topLevelItemCount())]
        personal = "\n".join(f"• {item.text(0)}: {item.text(1)}" for item in found if item is not None)
        reason = self.reason_label.text() if self.personal else ""
        return "\n\n".join(t for t in (self.heading.text(), self.summary.text(), self.warnings.text(), files,
                                        personal, reason) if t)

    def button(self, which: QMessageBox.StandardButton | QDialogButtonBox.StandardButton) -> QPushButton:
        """Yes or Cancel; QMessageBox's names work too (same values)."""
        return self.buttons.button(QDialogButtonBox.StandardButton(int(which.value)))


def _counted(counter: Counter[str]) -> str:
    """'COVID-19 (120), Air quality (80)': the most frequent first, at most five named."""
    common = counter.most_common()
    named = ", ".join(f"{name} ({count})" for name, count in common[:5])
    rest = sum(count for _, count in common[5:])
    return named + (f", … ({rest})" if rest else "")


def _scan(entry: fm.FileEntry) -> dict[str, Any] | None:
    scan = entry.details.get("personal_data") if entry.details else None
    return scan if isinstance(scan, dict) else None


def _per_column(scan: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(column, kinds found there), in the scan's order."""
    found: dict[str, list[str]] = {}
    for finding in (scan or {}).get("findings", []):
        kinds = found.setdefault(str(finding.get("column", "")), [])
        for kind in (str(finding.get("kind", "")), *(finding.get("embedded") or {})):
            if kind not in kinds:
                kinds.append(kind)
    return [(column, ", ".join(kinds)) for column, kinds in found.items()]
