"""The queue comes back after the window goes away without closing (as in a crash): the rows in order, what the
user typed (also after the file is inspected again), inspection warnings on the row and above the form, a file
whose inspection failed typed in by hand, and a file gone from disk said so on its row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLineEdit

from planet_gui.core.auth.token_store import TokenStore
from planet_gui.core.profile import load_profile
from planet_gui.core.queue_store import QueueStore
from planet_gui.core.resources import resource_path
from planet_gui.core.session import Session
from planet_gui.qt import files_model as fm
from planet_gui.qt.main_window import MainWindow

CSV = "date,station,pm10\n2024-01-01,Perugia,21\n2024-01-02,Perugia,25\n2024-01-03,Terni,30\n"


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's data folder of this test alone (where the queue, the journal and the history live)."""
    home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def new_window(qtbot) -> MainWindow:  # noqa: ANN001
    session = Session(load_profile(resource_path("profiles", "local-test.toml")),
                      token_store=TokenStore("offline", backend=fail.Keyring()))
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    return window


def settled(window: MainWindow) -> bool:
    return bool(window.model.entries) and all(e.state != fm.INSPECTING for e in window.model.entries) \
        and not window.queue.pending


def type_into(window: MainWindow, name: str, text: str) -> None:
    editor = window.form.editors[name]
    assert isinstance(editor, QLineEdit) and editor.isEnabled()
    editor.selectAll()
    QTest.keyClick(editor, Qt.Key.Key_Delete)
    QTest.keyClicks(editor, text)


def test_rows_and_edits_come_back_after_the_window_is_gone(qtbot, tmp_path: Path, data_home: Path) -> None:  # noqa: ANN001
    files = tmp_path / "files"
    files.mkdir()
    for i in range(6):
        (files / f"pm10-{i}.csv").write_text(CSV, encoding="utf-8")
    (files / "really-json.csv").write_text(json.dumps([{"a": 1, "b": 2}] * 5), encoding="utf-8")
    (files / "broken.json").write_text('{"a": [1, 2,', encoding="utf-8")
    paths = sorted(files.iterdir())

    first = new_window(qtbot)
    with qtbot.waitSignal(first.paths_added, timeout=10_000):
        first.add_paths(paths)
    qtbot.waitUntil(lambda: settled(first), timeout=30_000)
    row_of = {e.path.name: first.model.row_of(e) for e in first.model.entries}

    # a bulk edit of three rows, then one row alone, then a field cleared
    first.select_rows([row_of["pm10-0.csv"], row_of["pm10-1.csv"], row_of["pm10-2.csv"]])
    type_into(first, "source", "ARPA Umbria")
    first.select_rows([row_of["pm10-3.csv"]])
    type_into(first, "source", "Comune di Terni")
    type_into(first, "area", "")
    # the file whose inspection failed: typed in by hand
    broken = first.model.entries[row_of["broken.json"]]
    assert broken.state == fm.INVALID and broken.warnings and "broken.json" in broken.warnings[0]
    first.select_rows([row_of["broken.json"]])
    assert first.form.isEnabled()
    combo = first.form.editors["category"]
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData("Other"))
    for name, text in (("source", "Hand typed"), ("area", "Italia")):
        type_into(first, name, text)
    format_box = first.form.editors["format"]
    assert isinstance(format_box, QComboBox)
    format_box.setCurrentIndex(format_box.findData("JSON"))
    frequency = first.form.editors["frequency"]
    assert isinstance(frequency, QComboBox)
    frequency.setCurrentIndex(frequency.findData("none"))
    assert broken.state == fm.READY, broken.message
    qtbot.waitUntil(lambda: not first.queue.pending, timeout=5_000)
    shown = {e.path: (e.state, dict(e.values)) for e in first.model.entries}
    (files / "pm10-5.csv").unlink()  # gone before the next start

    # the window goes away without closing: nothing more is written after this point
    first.queue.deleteLater()
    first.hide()

    second = new_window(qtbot)
    assert second.queue.restore() == len(paths)
    assert [e.path for e in second.model.entries] == paths
    back = {e.path.name: e for e in second.model.entries}
    for i in range(3):
        assert back[f"pm10-{i}.csv"].values["source"] == "ARPA Umbria"
    assert back["pm10-3.csv"].values["source"] == "Comune di Terni" and "area" not in back["pm10-3.csv"].values
    assert back["pm10-4.csv"].values == shown[files / "pm10-4.csv"][1]
    assert back["broken.json"].state == fm.READY and back["broken.json"].values["source"] == "Hand typed"
    for entry in second.model.entries:
        if entry.path.exists():
            assert (entry.state, entry.values) == shown[entry.path], entry.path

    gone = back["pm10-5.csv"]
    assert gone.state == fm.FAILED and str(files / "pm10-5.csv") in gone.message

    warned = back["really-json.csv"]
    assert any("named .csv but holds JSON" in w for w in warned.warnings)
    index = second.model.index(second.model.row_of(warned), 0)
    assert "named .csv but holds JSON" in second.model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert second.model.data(index, Qt.ItemDataRole.DecorationRole) is not None
    second.select_rows([second.model.row_of(warned)])
    assert second.queue.notes.isVisible() and "named .csv but holds JSON" in second.queue.notes.text()

    # inspecting again infers afresh, and what the user typed stays
    second.select_rows([second.model.row_of(back["pm10-3.csv"])])
    second.queue.retry_action.trigger()
    qtbot.waitUntil(lambda: back["pm10-3.csv"].state != fm.INSPECTING, timeout=10_000)
    assert back["pm10-3.csv"].values["source"] == "Comune di Terni" and "area" not in back["pm10-3.csv"].values
    assert back["pm10-3.csv"].preview is not None and back["pm10-3.csv"].preview.kind == "table"

    # and the store holds one row per file of this profile, nothing else
    kept = QueueStore(second.session.transfer_scope).rows()
    assert [k.path for k in kept] == paths
