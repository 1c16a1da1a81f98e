"""Personal data in the window (issue 18): the findings per column under the form, the confirmation dialog that
lists them and, under ``block``, wants a reason before Yes (recorded as the CLI records it), Pseudonymise… (the
copy takes the row's place, its metadata says what was done) and Receipt… on an uploaded row."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from planet_gui.core.auth.tokens import Identity
from planet_gui.core.privacy.inspection import inspect_and_scan
from planet_gui.core.privacy.keystore import KEY_ENV
from planet_gui.core.session import Session
from planet_gui.qt import files_model as fm
from planet_gui.qt.confirm_dialog import ConfirmDialog
from planet_gui.qt.main_window import MainWindow
from planet_gui.qt.privacy_panel import DROP, HASH, KEEP
from tests.core.privacy_tables import COLUMNS, people, write_csv
from tests.qt.conftest import sign_in
from tests.qt.test_main_window import drop_files
from tests.support.uploads import VALID

ALICE = Identity(subject="sub-alice-1", username="alice")


def _entry(path: Path, **values: object) -> fm.FileEntry:
    inspection = inspect_and_scan(path)
    merged = {**VALID, **inspection.metadata, **values}
    return fm.FileEntry(path=path, state=fm.READY, values=merged, details=inspection.details)


def _queued(qtbot, window: MainWindow, path: Path) -> fm.FileEntry:  # noqa: ANN001
    drop_files(qtbot, window, [path])
    entry = window.model.entry_by_path(path)
    qtbot.waitUntil(lambda: entry.state != fm.INSPECTING, timeout=60_000)
    window.select_rows([window.model.row_of(entry)])
    qtbot.waitUntil(lambda: window.privacy.entry is entry, timeout=5_000)
    return entry


def test_the_form_shows_the_findings_per_column(qtbot, offline_window: MainWindow, tmp_path: Path,  # noqa: ANN001
                                                testdata: Path) -> None:
    rows = people(40, seed=5)
    entry = _queued(qtbot, offline_window, write_csv(tmp_path / "pazienti.csv", rows))
    panel = offline_window.privacy
    assert panel.isVisible() and "codice_fiscale" in panel.heading.text()
    shown = {}
    for i in range(panel.findings.topLevelItemCount()):
        item = panel.findings.topLevelItem(i)
        shown[item.text(0)] = [item.text(c) for c in range(5)]
    assert shown["codice_fiscale"][1] == "codice_fiscale" and shown["codice_fiscale"][2] == "40"
    assert shown["email"][1] == "email" and shown["cognome"][1] == "person_name"
    assert shown["codice_fiscale"][4].endswith("%") and "*" in shown["codice_fiscale"][3]
    everything = " ".join(" ".join(cells) for cells in shown.values())
    assert not any(row[2] in everything or row[5] in everything for row in rows)  # masked only
    assert panel.pseudonymise_button.isEnabled() and not panel.receipt_button.isEnabled()
    assert entry.values["personal_data"] is True

    public = _queued(qtbot, offline_window, testdata / "csv" / "dpc-covid19-ita-regioni-latest.csv")
    assert panel.entry is public and panel.findings.topLevelItemCount() == 0
    assert "none found" in panel.heading.text()


def test_block_wants_a_reason_and_records_it(qtbot, tmp_path: Path, testdata: Path) -> None:  # noqa: ANN001
    flagged = _entry(write_csv(tmp_path / "reparto.csv", people(30)), personal_data=True)
    public = _entry(testdata / "csv" / "dpc-covid19-ita-regioni-latest.csv")
    entries = [flagged, public]
    box = ConfirmDialog(entries, ["Clinical/R/alice/reparto.csv", "Other/R/alice/regioni.csv"], 0, "raw",
                        policy="block", identity=ALICE)
    qtbot.addWidget(box)
    yes = box.button(QMessageBox.StandardButton.Yes)
    assert box.to_confirm == [flagged] and box.personal == [flagged]
    assert "reparto.csv: " in box.text() and "codice_fiscale" in box.text()
    assert not yes.isEnabled()
    box.reason.setText("ok")  # too short to be a reason
    assert not yes.isEnabled()
    box.reason.setText("Comitato etico, protocollo 42/2026")
    assert yes.isEnabled()
    with qtbot.waitSignal(box.accepted):
        yes.click()
    note = flagged.values["personal_data_confirmation"]
    assert note.startswith("alice (sub sub-alice-1) at ") and "42/2026" in note and "codice_fiscale" in note
    assert "personal_data_confirmation" not in public.values  # nothing found there, nothing to confirm


def test_warn_asks_only_for_a_declared_absence(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    path = write_csv(tmp_path / "reparto.csv", people(30))
    declared = _entry(path, personal_data=True)
    box = ConfirmDialog([declared], ["k"], 0, "raw", policy="warn", identity=ALICE)
    qtbot.addWidget(box)
    assert box.to_confirm == [] and box.button(QMessageBox.StandardButton.Yes).isEnabled()
    assert box.personal_list.topLevelItemCount() == 1

    denied = _entry(path, personal_data=False)  # the user unticked it: that needs a reason, under warn too
    box = ConfirmDialog([denied], ["k"], 0, "raw", policy="warn", identity=ALICE)
    qtbot.addWidget(box)
    assert box.to_confirm == [denied] and not box.button(QMessageBox.StandardButton.Yes).isEnabled()
    box.reason.setText("False positive: codes of wards, not people")
    box.button(QMessageBox.StandardButton.Yes).click()
    assert denied.values["personal_data"] is False and "False positive" in denied.values["personal_data_confirmation"]


def test_pseudonymise_replaces_the_rows_file_with_a_copy(qtbot, offline_window: MainWindow, tmp_path: Path,  # noqa: ANN001
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "ab" * 32)
    original = write_csv(tmp_path / "reparto.csv", people(50, seed=9))
    before = hashlib.sha256(original.read_bytes()).hexdigest()
    entry = _queued(qtbot, offline_window, original)
    entry.values["source"] = "Reparto"  # an edit of the user's: it stays
    panel = offline_window.privacy
    panel.pseudonymise_button.click()
    dialog = panel.pseudonymise_dialog
    assert dialog is not None and dialog.project.text() == "Reparto"
    assert dialog.choices["codice_fiscale"].currentData() == HASH
    assert dialog.choices["nome"].currentData() == DROP and dialog.choices["diagnosi"].currentData() == KEEP
    for name in ("data_nascita", "telefono", "indirizzo", "note"):
        dialog.choices[name].setCurrentIndex(dialog.choices[name].findData(DROP))
    hashed, dropped = dialog.choice()
    assert set(hashed) == {"codice_fiscale", "email", "tessera", "iban"}
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: entry.path != original, timeout=30_000)

    assert entry.path == tmp_path / "reparto-pseudonymised.csv" and entry.path.exists()
    assert hashlib.sha256(original.read_bytes()).hexdigest() == before  # the original never changes
    model = offline_window.model
    assert model.entry_by_path(entry.path) is entry and model.entry_by_path(original) is None
    note = entry.values["pseudonymisation"]
    assert note.startswith("pseudonymised codice_fiscale,tessera,email,iban; dropped nome,cognome,") or \
        note.startswith("pseudonymised codice_fiscale,email,tessera,iban; dropped "), note
    assert "HMAC-SHA-256" in note and before in note
    assert entry.values["source"] == "Reparto" and entry.values["personal_data"] is False
    assert offline_window.form.editors["pseudonymisation"].text() == note  # the form shows what was done
    assert "Pseudonymise" in offline_window.form.editors["pseudonymisation"].placeholderText()
    header = entry.path.read_text(encoding="utf-8").splitlines()[0]
    assert header == "codice_fiscale,email,tessera,iban,diagnosi"
    assert "none found" in panel.heading.text()


@pytest.mark.e2e
def test_receipt_of_an_uploaded_row(qtbot, window: MainWindow, alice: Session, tmp_path: Path) -> None:  # noqa: ANN001
    """Two files confirmed together are one submission: each row's receipt names it, *Whole submission…* shows it
    (both files, each verdict), and My uploads opens it too."""
    sign_in(qtbot, window, alice, tmp_path / "journal.sqlite3")
    tag = f"{os.getpid()}-{tmp_path.name[-6:]}"
    path = write_csv(tmp_path / f"ricevuta-{tag}.csv", people(25, seed=3))
    public = tmp_path / f"conteggi-{tag}.csv"
    public.write_text("giorno,regione,casi\n" + "".join(f"2024-01-{d:02d},Lombardia,{d * 3}\n" for d in range(1, 29)),
                      encoding="utf-8")
    entries = [_queued(qtbot, window, path), _queued(qtbot, window, public)]
    entry, other = entries
    other.values.setdefault("category", "Other")  # a table of counts: no category to infer
    for each in entries:
        each.values.update({"source": "Receipt test", "area": "Italia", "frequency": "none"})
        window._revalidate(each)
        assert each.state == fm.READY, each.message
    window.select_rows([window.model.row_of(e) for e in entries])
    window.submit_action.trigger()
    qtbot.waitUntil(lambda: window.confirm_box is not None and window.confirm_box.isVisible(), timeout=5_000)
    box = window.confirm_box
    assert box.personal == [entry] and box.to_confirm == []  # warn, and declared: no reason needed
    box.reason.setText("Registro regionale, DPIA 3/2026")
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: all(e.state in (fm.VALIDATED, fm.TRIAGE) for e in entries), timeout=90_000)
    assert "DPIA 3/2026" in entry.values["personal_data_confirmation"]
    window.select_rows([window.model.row_of(entry)])
    qtbot.waitUntil(lambda: window.privacy.receipt_button.isEnabled(), timeout=5_000)
    window.privacy.receipt_button.click()
    dialog = window.privacy.receipt_dialog
    assert dialog is not None
    text = dialog.browser.toPlainText()
    assert entry.key in text and "alice" in text and "DPIA 3/2026" in text and "codice_fiscale" in text
    assert hashlib.sha256(path.read_bytes()).hexdigest() in text
    assert entry.state == fm.VALIDATED and "Verdict: validated" in text  # the verdict reached the receipt
    receipts = window.session.receipts
    submission = receipts.find(entry.key)["submission"]
    assert receipts.find(other.key)["submission"] == submission and submission in text

    assert dialog.switch_button.isVisible()
    dialog.switch_button.click()  # Whole submission…
    whole = dialog.browser.toPlainText()
    assert dialog.showing_submission and f"Submission {submission}, 2 file(s)" in whole
    assert entry.key in whole and other.key in whole and hashlib.sha256(public.read_bytes()).hexdigest() in whole
    assert "Verdict: validated (2 validated, 0 in triage, 0 waiting)" in whole
    assert "Confirmed by" in whole and "DPIA 3/2026" in whole
    dialog.switch_button.click()
    assert not dialog.showing_submission and "Verdict: validated" in dialog.browser.toPlainText()
    dialog.reject()

    dock = window.my_uploads
    dock.show()
    dock.load()
    qtbot.waitUntil(lambda: any(r.key == other.key for r in dock.model.records), timeout=30_000)
    assert not dock.receipt_button.isEnabled()
    row = next(i for i, r in enumerate(dock.model.records) if r.key == other.key)
    dock.table.selectRow(dock.proxy.mapFromSource(dock.model.index(row, 0)).row())
    assert dock.receipt_button.isEnabled()
    dock.receipt_button.click()
    opened = dock.receipt_dialog
    assert opened is not None and opened.showing_submission
    assert f"Submission {submission}, 2 file(s)" in opened.browser.toPlainText()


def test_pseudonymise_is_offered_for_json_and_xlsx_but_not_parquet(qtbot, offline_window: MainWindow,  # noqa: ANN001
                                                                    tmp_path: Path) -> None:
    from tests.core.privacy_tables import write_json, write_xlsx
    from tests.core.test_privacy_formats import write

    rows = people(60, seed=8)
    panel = offline_window.privacy
    for path, offered in ((write_json(tmp_path / "pazienti.json", rows), True),
                          (write_xlsx(tmp_path / "pazienti.xlsx", rows), True),
                          (write("parquet", tmp_path, rows, list(COLUMNS)), False)):
        entry = _queued(qtbot, offline_window, path)
        assert entry.values["personal_data"] is True, path.name
        assert panel.pseudonymise_button.isEnabled() is offered, path.name
