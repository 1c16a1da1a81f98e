"""Desktop basics, offline: shortcuts and menus, Tab from the table to the form, a question before logging out,
every editor named for assistive technology (walked through Qt's accessibility tree), the QR described, the
window's geometry and splitter kept, file names given the room, status text shortened by whole words, a
banner that never moves the form, dates in the local format, a login error that wraps."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible, QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMessageBox, QWidget

from planet_gui.core.auth.device_flow import DeviceAuthorization
from planet_gui.core.auth.tokens import Identity
from planet_gui.qt import files_model as fm
from planet_gui.qt.files_view import fit_words
from planet_gui.qt.login_dialog import LoginDialog
from planet_gui.qt.main_window import MainWindow
from tests.qt.test_batches import fill


def test_shortcuts_and_menus(qtbot, offline_window: MainWindow, tmp_path: Path) -> None:  # noqa: ANN001
    window = offline_window
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Uploads", "&Help"]
    shortcuts = {a.text(): a.shortcut().toString() for a in (window.add_action, window.remove_action,
                                                             window.actions.quit, window.actions.help)}
    assert shortcuts == {"Add files…": "Ctrl+O", "Remove": "Del", "Quit": "Ctrl+Q", "Help": "F1"}
    fill(window, 3, tmp_path)
    window.activateWindow()

    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # submit
    assert window.error_box is not None and "log in" in window.error_box.text().lower()  # not logged in
    window.error_box.close()

    window.select_rows([1])
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    assert [e.path.name for e in window.model.entries] == ["rilevazioni-0000.csv", "rilevazioni-0002.csv"]
    area = window.form.findChild(QLineEdit, "field_area")
    window.select_rows([0])
    area.setFocus()
    area.setCursorPosition(0)
    qtbot.keyClick(area, Qt.Key.Key_Delete)  # in a field, Delete edits the field
    assert window.model.rowCount() == 2 and window.model.entries[0].values["area"] == "talia"

    qtbot.keyClick(window.table, Qt.Key.Key_F1)
    assert window.help_box is not None and window.help_box.isVisible() and "Ctrl+Return" in window.help_box.text()
    window.help_box.close()
    qtbot.keyClick(window.table, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()


def test_tab_leaves_the_table_for_the_form(qtbot, offline_window: MainWindow, tmp_path: Path) -> None:  # noqa: ANN001
    window = offline_window
    fill(window, 2, tmp_path)
    window.select_rows([0])
    window.activateWindow()
    window.table.setFocus()
    qtbot.waitUntil(window.table.hasFocus, timeout=2_000)
    qtbot.keyClick(window.table, Qt.Key.Key_Tab)
    focused = QApplication.focusWidget()
    assert focused is not window.table and window.tabs.isAncestorOf(focused), focused


def test_log_out_asks_first(qtbot, offline_window: MainWindow) -> None:  # noqa: ANN001
    window = offline_window
    window._set_identity(Identity(subject="s1", username="alice", name="Alice"))
    assert window.login_action.text() == "Log out"
    window.login_action.trigger()
    box = window.logout_box
    assert box is not None and box.isVisible() and window.identity is not None
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert window.identity is not None
    window.login_action.trigger()
    window.logout_box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: window.identity is None, timeout=10_000)
    assert window.login_action.text() == "Log in"


def _walk(interface: QAccessible.QAccessibleInterface, found: list) -> None:  # type: ignore[name-defined]
    found.append(interface)
    for i in range(interface.childCount()):
        child = interface.child(i)
        if child is not None and child.isValid():
            _walk(child, found)


def test_every_editor_has_an_accessible_name_and_a_label(qtbot, offline_window: MainWindow) -> None:  # noqa: ANN001
    window = offline_window
    form = window.form
    buddies = {label.buddy() for label in form.findChildren(QLabel) if label.buddy() is not None}
    for name, editor in form.editors.items():
        assert editor in buddies, name
        spec = window.session.schema.field(name)
        assert editor.accessibleName() == spec.label_for("en")

    found: list = []
    _walk(QAccessible.queryAccessibleInterface(window), found)
    roles = {QAccessible.Role.EditableText, QAccessible.Role.ComboBox, QAccessible.Role.CheckBox,
             QAccessible.Role.Table}
    named = {i.object(): i.text(QAccessible.Text.Name) for i in found if i.role() in roles}
    for editor in [*form.editors.values(), window.table, window.filter_bar.search, window.filter_bar.states]:
        assert named.get(editor), f"{editor.objectName()} is not in the accessibility tree with a name"
    assert named[form.editors["area"]] == "Area"
    unnamed = [i.object().objectName() for i in found if i.role() in roles and isinstance(i.object(), QWidget)
               and i.object().isVisible() and not i.text(QAccessible.Text.Name)]
    assert unnamed == []


def test_the_qr_code_is_described(qtbot, offline_window: MainWindow) -> None:  # noqa: ANN001
    dialog = LoginDialog(offline_window.session, offline_window)
    qtbot.addWidget(dialog)
    link = "https://login.example.org/device?user_code=ABCD-EFGH"
    dialog._started(DeviceAuthorization(device_code="d", user_code="ABCD-EFGH", verification_uri=link,
                                        verification_uri_complete=link, expires_at=time.monotonic() + 600,
                                        interval=5))
    assert dialog.qr_label.accessibleName() == "QR code of the login page"
    assert link in dialog.qr_label.accessibleDescription()
    dialog.countdown.stop()


def test_a_login_error_wraps(qtbot, offline_window: MainWindow) -> None:  # noqa: ANN001
    dialog = LoginDialog(offline_window.session, offline_window)
    qtbot.addWidget(dialog)
    dialog.show()
    long = "https://iam.example.org/" + "very-long-path/" * 20
    dialog._failed("Identity provider unreachable", f"Cannot reach {long}: connection refused")
    qtbot.waitUntil(lambda: dialog.intro.text().startswith("<b>"), timeout=2_000)
    assert dialog.sizeHint().width() < 700 and dialog.intro.width() <= 560


def test_geometry_and_splitter_are_kept(qtbot, offline_window: MainWindow) -> None:  # noqa: ANN001
    window = offline_window
    window.resize(760, 560)  # within the offscreen platform's 800 × 600 screen
    window.splitter.setSizes([500, 240])
    sizes = window.splitter.sizes()
    window.close()
    again = MainWindow(window.session)
    qtbot.addWidget(again)
    again.show()
    assert (again.width(), again.height()) == (760, 560)
    assert again.splitter.sizes() == sizes


def test_file_names_get_the_room_and_status_words_stay_whole(qtbot, offline_window: MainWindow,  # noqa: ANN001
                                                             tmp_path: Path) -> None:
    window = offline_window
    window.resize(1024, 700)
    fill(window, 2, tmp_path)
    qtbot.wait(10)
    header = window.table.horizontalHeader()
    others = [header.sectionSize(c) for c in range(1, header.count())]
    assert header.sectionSize(0) >= 1.5 * max(others), (header.sectionSize(0), others)

    metrics = QFontMetrics(QFont())
    text = "uploading 42% · 3.1 MB/s · 1:20 left"
    assert fit_words(text, metrics, metrics.horizontalAdvance(text)) == text
    assert fit_words(text, metrics, metrics.horizontalAdvance("uploading 42% · 3.1 MB/s") + 2) == \
        "uploading 42% · 3.1 MB/s"
    assert fit_words(text, metrics, metrics.horizontalAdvance("uploading 42%") + 2) == "uploading 42%"
    assert fit_words("needs fixing", metrics, metrics.horizontalAdvance("needs…") + 2) == "needs…"


def test_the_problem_banner_does_not_move_the_form(qtbot, offline_window: MainWindow, tmp_path: Path) -> None:  # noqa: ANN001
    window = offline_window
    entries = fill(window, 2, tmp_path)
    window._set_state(entries[1], fm.FAILED, "Storage problem: " + "the server said no. " * 12)
    window.select_rows([0])
    qtbot.wait(10)
    where = window.tabs.mapTo(window, QPoint(0, 0))
    assert not window.problems_label.isVisible()
    window.select_rows([1])
    qtbot.wait(10)
    assert window.problems_label.isVisible() and window.problems_label.text().startswith("Storage problem")
    assert window.tabs.mapTo(window, QPoint(0, 0)) == where


def test_dates_take_the_local_format(qtbot, offline_window: MainWindow, tmp_path: Path) -> None:  # noqa: ANN001
    window = offline_window
    entry, = fill(window, 1, tmp_path)
    window.select_rows([0])
    start = window.form.findChild(QLineEdit, "field_period_start")
    qtbot.keyClicks(start, "31/12/2024")
    assert entry.values["period_start"] == "2024-12-31" and entry.state == fm.READY
    start.clear()
    qtbot.keyClicks(start, "2024-06-01T10:00:00")
    assert entry.values["period_start"] == "2024-06-01T10:00:00"
    assert window.form.findChild(QWidget, "calendar_period_start") is not None
