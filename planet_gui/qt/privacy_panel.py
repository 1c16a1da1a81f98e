"""Personal data in the selected file, under the metadata form: what the scan found per column (kind, count,
masked examples, confidence), and what to do about it: *Pseudonymise…* (a copy with chosen columns replaced by
keyed pseudonyms or dropped; the copy takes the row's place, and its metadata says what was done) and, once
uploaded, *Receipt…* (the upload's receipt, as the printable page kept in the user data folder).

The work runs on the window's worker pool (keyring, reading and writing the file); only the results touch the
row, on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planet_gui.qt import files_model as fm

if TYPE_CHECKING:
    from planet_gui.core.privacy.pseudonymise import PseudonymiseResult
    from planet_gui.qt.window_api import WindowApi

KEEP, HASH, DROP = "keep", "hash", "drop"
#: identifiers a table is joined on: a pseudonym keeps them joinable; the rest is dropped by default
_JOIN_KINDS = frozenset({"codice_fiscale", "health_card", "iban", "email"})
_UPLOADED = (fm.PENDING, fm.VALIDATED, fm.TRIAGE)


def scan_of(entry: fm.FileEntry) -> dict[str, Any] | None:
    scan = entry.details.get("personal_data") if entry.details else None
    return scan if isinstance(scan, dict) else None


_PSEUDONYMISABLE = ("csv", "json", "xlsx")  # what core.privacy.pseudonymise copies


def columns_of(entry: fm.FileEntry) -> list[str]:
    """The file's columns, in order: as inspection read the header, else as the metadata lists them."""
    types = entry.details.get("field_types") if entry.details else None
    if isinstance(types, dict) and types:
        return [str(name) for name in types]
    fields = entry.values.get("fields")
    return [str(name) for name in fields] if isinstance(fields, list) else []


class PrivacyPanel(QWidget):
    """The findings of the one selected file, and the actions on it."""

    def __init__(self, window: WindowApi) -> None:
        super().__init__()
        self.main = window
        self.entry: fm.FileEntry | None = None
        self.pseudonymise_dialog: PseudonymiseDialog | None = None
        self.receipt_dialog: ReceiptDialog | None = None
        self.setObjectName("privacy_panel")
        self.heading = QLabel()
        self.heading.setObjectName("privacy_heading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.findings = QTreeWidget()
        self.findings.setObjectName("privacy_findings")
        self.findings.setAccessibleName(self.tr("Personal data found, by column"))
        self.findings.setHeaderLabels([self.tr("Column"), self.tr("Kind"), self.tr("Count"),
                                       self.tr("Examples (masked)"), self.tr("Confidence")])
        self.findings.setRootIsDecorated(False)
        self.findings.setUniformRowHeights(True)
        self.findings.setMaximumHeight(150)
        self.pseudonymise_button = QPushButton(self.tr("Pseudonymise…"))
        self.pseudonymise_button.setObjectName("pseudonymise")
        self.pseudonymise_button.setToolTip(self.tr("Upload a copy with chosen columns replaced by keyed "
                                                    "pseudonyms or dropped; the file itself stays as it is"))
        self.pseudonymise_button.clicked.connect(self.open_pseudonymise)
        self.receipt_button = QPushButton(self.tr("Receipt…"))
        self.receipt_button.setObjectName("receipt")
        self.receipt_button.setToolTip(self.tr("What was uploaded, by whom, what was found and decided, and the "
                                               "lake's verdict"))
        self.receipt_button.clicked.connect(self.open_receipt)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.pseudonymise_button)
        buttons.addWidget(self.receipt_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.findings)
        layout.addLayout(buttons)
        self.show_entries([])

    # -- what the window calls ------------------------------------------------------------------

    def show_entries(self, entries: list[fm.FileEntry]) -> None:
        """The selected rows (those inspected): findings when there is one, the actions that apply."""
        self.entry = entries[0] if len(entries) == 1 else None
        self.findings.clear()
        entry = self.entry
        scan = scan_of(entry) if entry is not None else None
        if entry is None:
            self.heading.setText(self.tr("Personal data: select one file to see what was found in it.")
                                 if entries else "")
        elif scan is None or not scan.get("scanned", True):
            self.heading.setText(self.tr("Personal data: this file was not scanned (no table or text in it)."))
        elif not scan.get("findings"):
            self.heading.setText(self.tr("Personal data: none found."))
        else:
            self.heading.setText(self.tr("Personal data found (%1): look at these columns before uploading.")
                                 .replace("%1", ", ".join(str(k) for k in scan.get("kinds", []))))
            for finding in scan["findings"]:
                self.findings.addTopLevelItem(_finding_item(finding))
        self.findings.setVisible(self.findings.topLevelItemCount() > 0)
        for column in range(self.findings.columnCount()):
            self.findings.resizeColumnToContents(column)
        self.pseudonymise_button.setEnabled(
            entry is not None and entry.state in (fm.READY, fm.INVALID) and bool(columns_of(entry))
            and str((scan or {}).get("format", "csv")) in _PSEUDONYMISABLE)
        self.receipt_button.setEnabled(entry is not None and bool(entry.key) and entry.state in _UPLOADED)
        self.setVisible(bool(entries))

    # -- pseudonymise -----------------------------------------------------------------------------

    def open_pseudonymise(self) -> None:
        entry = self.entry
        if entry is None:
            return
        project = str(entry.values.get("source") or "default")
        dialog = PseudonymiseDialog(entry, project, self)
        dialog.accepted.connect(lambda e=entry, d=dialog: self._pseudonymise(e, d))
        dialog.finished.connect(lambda _r: setattr(self, "pseudonymise_dialog", None))
        self.pseudonymise_dialog = dialog
        dialog.open()

    def _pseudonymise(self, entry: fm.FileEntry, dialog: PseudonymiseDialog) -> None:
        columns, drop = dialog.choice()
        output = Path(dialog.output.text().strip())
        project = dialog.project.text().strip() or "default"
        session = self.main.session
        self.pseudonymise_button.setEnabled(False)
        self.main._run(make_copy, session, entry.path, output, columns, drop, project,
                         on_done=lambda done, e=entry: self._pseudonymised(e, done),
                         on_failed=self._failed)

    def _pseudonymised(self, entry: fm.FileEntry, done: tuple[PseudonymiseResult, Any]) -> None:
        """The copy takes the row's place: its path, its scan and preview; the values the user set stay, with
        what was done recorded in them."""
        result, inspection = done
        model = self.main.model
        if entry not in model:
            return
        by_path = model._by_path  # noqa: SLF001 - the row keeps its place and values; only its file changes
        by_path.pop(entry.path, None)
        entry.path = Path(result.output)
        by_path[entry.path] = entry
        entry.details = inspection.details
        entry.preview = inspection.preview
        entry.values["personal_data"] = bool(inspection.metadata.get("personal_data", False))
        from planet_gui.core.privacy.policy import PSEUDONYMISATION_FIELD  # the scan's modules load on first use

        entry.values[PSEUDONYMISATION_FIELD] = result.metadata_note()
        entry.values.pop("personal_data_confirmation", None)  # a confirmation was about the original
        for name in ("record_count", "fields"):
            if name in inspection.metadata:
                entry.values[name] = inspection.metadata[name]
        model.changed(entry)
        self.main.form.show_values([entry.values])
        self.main.preview.show_preview(entry.preview)
        self.main._revalidate(entry)
        self.main.statusBar().showMessage(self.tr("Pseudonymised copy %1 will be uploaded instead of the file.")
                                            .replace("%1", entry.path.name))
        self.show_entries([entry])

    def _failed(self, title: str, message: str) -> None:
        self.show_entries([self.entry] if self.entry is not None else [])
        self.main._show_error(title, message)

    # -- receipt ----------------------------------------------------------------------------------

    def open_receipt(self) -> None:
        entry = self.entry
        if entry is None or not entry.key:
            return
        session = self.main.session
        record = session.history.latest(entry.key)
        receipt = session.receipts.find(entry.key, record.sha256 if record is not None else None) \
            or session.receipts.find(entry.key)
        if receipt is None:
            self.main._show_error(self.tr("No receipt"),
                                    self.tr("There is no receipt for %1 on this computer.").replace("%1", entry.key))
            return
        dialog = ReceiptDialog(receipt, self, submission=session.receipts.submissions.get(
            str(receipt.get("submission") or "")))
        dialog.finished.connect(lambda _r: setattr(self, "receipt_dialog", None))
        self.receipt_dialog = dialog
        dialog.open()


def make_copy(session: Any, path: Path, output: Path, columns: list[str], drop: list[str], project: str
              ) -> tuple[PseudonymiseResult, Any]:
    """On a worker: the project's key from the keyring, the copy, and the copy's own inspection and scan."""
    from planet_gui.core.privacy.keystore import PseudonymKeys
    from planet_gui.core.privacy.pseudonymise import pseudonymise

    keys = PseudonymKeys()
    key = keys.key(project)
    result = pseudonymise(path, output, columns=columns, drop=drop, key=key, key_id=keys.key_id(project))
    return result, session.inspect(Path(result.output))


def _finding_item(finding: dict[str, Any]) -> QTreeWidgetItem:
    kind = str(finding.get("kind", ""))
    embedded = finding.get("embedded") or {}
    if embedded:
        kind += " (" + ", ".join(f"{name} {count}" for name, count in embedded.items()) + ")"
    column = str(finding.get("column", ""))
    if finding.get("table"):
        column = f"{finding['table']}: {column}"
    count = ("~" if finding.get("estimated") else "") + str(finding.get("count", ""))
    item = QTreeWidgetItem([column, kind, count, ", ".join(str(e) for e in finding.get("examples") or []),
                            f"{float(finding.get('confidence', 0)):.0%}"])
    item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def default_output(path: Path) -> Path:
    """``NAME-pseudonymised.csv`` next to the file (a number added while that name is taken)."""
    candidate = path.with_name(f"{path.stem}-pseudonymised{path.suffix}")
    number = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-pseudonymised-{number}{path.suffix}")
        number += 1
    return candidate


class PseudonymiseDialog(QDialog):
    """Per column: keep it, replace its values by keyed pseudonyms (HMAC-SHA-256), or drop it. Columns with
    findings come chosen: identifiers tables are joined on (codice fiscale, card, IBAN, e-mail) hashed, the
    others dropped."""

    def __init__(self, entry: fm.FileEntry, project: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Pseudonymise %1").replace("%1", entry.path.name))
        self.setObjectName("pseudonymise_dialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        scan = scan_of(entry) or {}
        found: dict[str, set[str]] = {}
        for finding in scan.get("findings", []):
            found.setdefault(str(finding.get("column", "")), set()).add(str(finding.get("kind", "")))
        intro = QLabel(self.tr("The copy replaces this file in the list; the file itself is not changed. The same "
                               "value gets the same pseudonym with the project's key (kept in this computer's "
                               "keyring)."))
        intro.setWordWrap(True)
        form = QFormLayout()
        self.choices: dict[str, QComboBox] = {}
        for column in columns_of(entry):
            combo = QComboBox()
            combo.setObjectName(f"choice_{column}")
            combo.addItem(self.tr("Keep"), KEEP)
            combo.addItem(self.tr("Pseudonymise (keyed hash)"), HASH)
            combo.addItem(self.tr("Drop"), DROP)
            kinds = found.get(column)
            if kinds:
                combo.setCurrentIndex(combo.findData(HASH if kinds & _JOIN_KINDS else DROP))
            label = column + (f"  [{', '.join(sorted(kinds))}]" if kinds else "")
            combo.setAccessibleName(column)
            form.addRow(QLabel(label), combo)
            self.choices[column] = combo
        self.project = QLineEdit(project)
        self.project.setObjectName("pseudonym_project")
        form.addRow(self.tr("Project (its key makes the pseudonyms)"), self.project)
        self.output = QLineEdit(str(default_output(entry.path)))
        self.output.setObjectName("pseudonym_output")
        form.addRow(self.tr("Copy written to"), self.output)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for combo in self.choices.values():
            combo.currentIndexChanged.connect(self._update)
        self.output.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._source = entry.path
        self._update()

    def choice(self) -> tuple[list[str], list[str]]:
        """(columns to pseudonymise, columns to drop), in the file's order."""
        hashed = [name for name, combo in self.choices.items() if combo.currentData() == HASH]
        dropped = [name for name, combo in self.choices.items() if combo.currentData() == DROP]
        return hashed, dropped

    def _update(self) -> None:
        hashed, dropped = self.choice()
        output = self.output.text().strip()
        ok = bool(hashed or dropped) and bool(output) and Path(output) != self._source
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)


class ReceiptDialog(QDialog):
    """The receipt's printable page, read-only, links not followed; with *Whole submission* (the receipt of every
    file sent with this one, their verdicts) and back. ``receipt`` may be None when only the submission is known."""

    def __init__(self, receipt: dict[str, Any] | None, parent: QWidget | None = None, *,
                 submission: dict[str, Any] | None = None) -> None:
        super().__init__(parent)
        self.receipt = receipt
        self.submission = submission
        self.setObjectName("receipt_dialog")
        self.browser = QTextBrowser()
        self.browser.setObjectName("receipt_browser")
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.switch_button = QPushButton("")
        self.switch_button.setObjectName("receipt_submission")
        self.switch_button.setVisible(receipt is not None and submission is not None)
        self.switch_button.clicked.connect(self._switch)
        buttons.addButton(self.switch_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(760, 640)
        self.showing_submission = False
        if receipt is not None:
            self.show_file()
        else:
            self.show_submission()

    def show_file(self) -> None:
        from planet_gui.core.privacy.receipts import render_html

        if self.receipt is None:
            return
        self.showing_submission = False
        self.setWindowTitle(self.tr("Receipt: %1").replace("%1", str(self.receipt.get("key", ""))))
        self.browser.setHtml(render_html(self.receipt))
        self.switch_button.setText(self.tr("Whole submission…"))

    def show_submission(self) -> None:
        from planet_gui.core.privacy.submissions import render_html

        if self.submission is None:
            return
        self.showing_submission = True
        self.setWindowTitle(self.tr("Submission receipt: %1").replace("%1", str(self.submission.get("id", ""))))
        self.browser.setHtml(render_html(self.submission))
        self.switch_button.setText(self.tr("This file only"))

    def _switch(self) -> None:
        if self.showing_submission:
            self.show_file()
        else:
            self.show_submission()
