"""Fix and resubmit in the window, against the real lake and hook: a triaged row's form shows what the lake holds
with the reasons under the field they concern, takes the correction, and *Resubmit* has the lake copy the file back
for validation (the bytes the app sends are counted on the wire: the data does not go up again). The verdicts
arrive as notices, and *My uploads* shows both attempts."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QPlainTextEdit

from planet_gui.core.session import Session
from planet_gui.qt import files_model as fm
from planet_gui.qt.main_window import MainWindow
from tests.conftest import Lake, write_profile
from tests.qt.test_main_window import drop_files
from tests.support.byte_counter import ByteCounter
from tests.support.login import logged_in
from tests.support.uploads import VALID, MiB, make_file, where

pytestmark = pytest.mark.e2e


def test_a_triaged_row_is_fixed_in_the_form_and_validated_without_its_data_sent_again(
        qtbot, lake: Lake, hook, tmp_path: Path) -> None:  # noqa: ANN001
    admin = lake.admin()
    with ByteCounter(("127.0.0.1", lake.s3.port)) as counter:
        profile = write_profile(tmp_path / "fix-gui.toml", lake.oidc, lake.s3, endpoint=counter.endpoint)
        alice = logged_in(profile)
        window = MainWindow(Session(alice.profile, token_store=alice.tokens_store))
        qtbot.addWidget(window)
        window.show()
        session = Session(alice.profile, token_store=alice.tokens_store)
        session.history = alice.history.__class__(tmp_path / "uploads-fix-gui.sqlite3")
        session.configure_transfers(journal_path=tmp_path / "journal.sqlite3")
        window.switch_session(session)
        qtbot.waitUntil(lambda: window.identity is not None, timeout=30_000)

        # the upload the hook triages: a description over 1000 characters (the form would refuse it; the
        # session's unchecked upload is the CLI's --no-validate), its metadata in a sidecar
        data = make_file(tmp_path / f"fix-gui-{tmp_path.name}.bin", 3 * MiB, seed=77)
        values = {**VALID, "source": f"Fix GUI {tmp_path.name}", "description": "è" * 1200}
        uploaded = session.upload(data, values, validate=False)
        key = uploaded.key
        assert counter.sent > data.stat().st_size

        # the row waits for the hook, as after any upload; the window's poll brings the verdict
        drop_files(qtbot, window, [data])
        entry = window.model.entry_by_path(data)
        assert entry is not None
        qtbot.waitUntil(lambda: entry.state != fm.INSPECTING, timeout=30_000)
        entry.key = key
        window._set_state(entry, fm.PENDING, "waiting")
        window.status_timer.start()
        qtbot.waitUntil(lambda: entry.state == fm.TRIAGE, timeout=60_000)
        assert "Upload in triage" in window.notifier.last and data.name in window.notifier.last

        # the form: the lake's values, the reason under the description, editable
        window.select_rows([window.model.row_of(entry)])
        fixer = window.triage_fix
        qtbot.waitUntil(lambda: fixer.triaged is not None, timeout=30_000)
        assert fixer.entry is entry and not fixer.bar.isHidden(), fixer.note.text()
        assert window.form.isEnabled()
        reason = window.form.reason_labels["description"]
        assert not reason.isHidden()
        assert "longer than 1000 characters" in reason.text() and "The lake holds: " + "è" * 20 in reason.text()
        assert window.form.reason_labels["category"].isHidden()
        assert not fixer.button.isEnabled()  # nothing corrected yet
        editor = window.form.editors["description"]
        assert isinstance(editor, QPlainTextEdit) and editor.toPlainText() == "è" * 1200
        editor.setPlainText("Letture orarie, corrette")
        assert fixer.changes == {"description": "Letture orarie, corrette"}
        assert fixer.button.isEnabled(), fixer.note.text()

        counter.reset()
        fixer.button.click()
        qtbot.waitUntil(lambda: entry.state == fm.PENDING, timeout=30_000)
        sent = counter.sent
        assert sent < 64 * 1024, f"resubmitting sent {sent} bytes for a {data.stat().st_size} byte file"
        assert fixer.bar.isHidden()
        qtbot.waitUntil(lambda: entry.state == fm.VALIDATED, timeout=60_000)
        assert "Upload validated" in window.notifier.last
        assert where(admin, key) == "validated"
        meta = {k.lower(): v for k, v in admin.stat_object("validated", key).metadata.items()}
        assert meta["x-amz-meta-description"] == "Letture orarie, corrette"
        assert not any(o.object_name.startswith(key) for o in admin.list_objects("triage", prefix=key))
        assert counter.sent < 128 * 1024  # the polls are small too: still nothing of the data

        # My uploads: both attempts, their states, the search
        dock = window.my_uploads
        dock.show()
        dock.refresh()
        qtbot.waitUntil(lambda: not dock.busy and dock.model.rowCount() == 2, timeout=30_000)
        rows = [(dock.model.records[r].kind, dock.model.records[r].state) for r in range(2)]
        assert rows == [("fix", "validated"), ("upload", "triage")]  # newest first
        assert "1 validated, 1 in triage" in dock.summary.text()
        dock.states.setCurrentIndex(dock.states.findData("triage"))
        assert dock.proxy.rowCount() == 1
        dock.states.setCurrentIndex(0)
        dock.search.setText("no such file")
        assert dock.proxy.rowCount() == 0
        dock.search.setText("Corrette")  # the fix's note, case-insensitive
        assert dock.proxy.rowCount() == 1
