"""Drive the real window in a process of its own, as a user would, for ``test_gui_crash_restore``.

``add PROFILE FILES_DIR``: start the app as ``planet-gui`` does (queue restored, stored login restored), add the
files, edit every small file's Source one by one and all their Licence at once, fill in the two big files and
submit them; once both are uploading (a part confirmed each) and the queue is written, print ``READY`` with what
the window shows, then keep running (uploads going on) until killed.

``restart PROFILE``: start the app again; print ``RESTORED`` with the rows as they came back; once logged in,
answer the offer to resume with "Resume all", wait until both uploads are validated, print ``DONE``, exit.

Each line printed is ``WORD {json}``. The upload engine's bandwidth cap and part size come from
``PLANET_TEST_MAX_RATE`` / ``PLANET_TEST_PART_SIZE`` (the settings a user would pick)."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLineEdit, QMessageBox

from planet_gui.core.profile import load_profile
from planet_gui.core.session import Session
from planet_gui.core.transfer import TransferSettings
from planet_gui.qt import files_model as fm
from planet_gui.qt.i18n import install_translator
from planet_gui.qt.main_window import MainWindow
from planet_gui.qt.window_uploads import MAX_RATE_SETTING

BIG = ("big-1.bin", "big-2.bin")
BIG_VALUES = {"category": "Other", "source": "Crash test", "area": "Italia", "frequency": "none",
              "format": "other"}


def say(word: str, payload: Any) -> None:
    print(word, json.dumps(payload, ensure_ascii=False), flush=True)


def wait_until(app: QApplication, condition: Callable[[], Any], timeout: float, what: str) -> Any:
    """Run the event loop until ``condition`` holds (the window keeps working meanwhile)."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            say("TIMEOUT", what)
            sys.exit(3)
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    return result


def rows(window: MainWindow) -> list[dict[str, Any]]:
    return [{"path": str(e.path), "state": e.state, "values": e.values, "key": e.key, "message": e.message}
            for e in window.model.entries]


def start(profile: Path) -> tuple[QApplication, MainWindow]:
    """What ``planet_gui.qt.app.main`` does, with the test's transfer settings."""
    app = QApplication([sys.argv[0]])
    app.setApplicationName("PLANET Uploader")
    install_translator(app, "en")
    session = Session(load_profile(profile))
    session.configure_transfers(TransferSettings(part_size=int(os.environ.get("PLANET_TEST_PART_SIZE",
                                                                              5 * 1024 * 1024))))
    # the bandwidth cap as a user sets it (Uploads ▸ Bandwidth limit…): the window's setting
    QSettings().setValue(MAX_RATE_SETTING, int(os.environ.get("PLANET_TEST_MAX_RATE", 0)) // 1024)
    window = MainWindow(session)
    window.show()
    window.queue.restore()
    window.restore_login()
    return app, window


def set_field(window: MainWindow, name: str, value: Any) -> None:
    """As the user does it: pick from a list, tick a box, or type."""
    editor = window.form.editors[name]
    if isinstance(editor, QComboBox):
        editor.setCurrentIndex(editor.findData(value))
    elif isinstance(editor, QCheckBox):
        editor.setChecked(not value)
        editor.setChecked(bool(value))
    else:
        assert isinstance(editor, QLineEdit), name
        editor.selectAll()
        QTest.keyClick(editor, Qt.Key.Key_Delete)
        QTest.keyClicks(editor, str(value))


def add(profile: Path, folder: Path) -> int:
    app, window = start(profile)
    wait_until(app, lambda: window.identity is not None, 60, "the stored login")
    files = sorted(folder.iterdir())
    window.add_paths(files)
    wait_until(app, lambda: len(window.model.entries) == len(files)
               and all(e.state != fm.INSPECTING for e in window.model.entries), 120, "inspections")
    small = [e for e in window.model.entries if e.path.name not in BIG]
    big = [e for e in window.model.entries if e.path.name in BIG]
    for entry in small:  # one by one
        window.select_rows([window.model.row_of(entry)])
        set_field(window, "source", f"Station {entry.path.stem}")
    window.select_rows([window.model.row_of(e) for e in small])  # all at once
    set_field(window, "licence", "CC BY 4.0")
    window.select_rows([window.model.row_of(e) for e in big])
    for name, value in BIG_VALUES.items():
        set_field(window, name, value)
    window.submit()
    box = wait_until(app, lambda: window.confirm_box, 10, "the confirmation")
    box.button(QMessageBox.StandardButton.Yes).click()
    wait_until(app, lambda: all(e.state == fm.UPLOADING and e.progress > 0 for e in big), 120,
               "both uploads to have a part confirmed")
    wait_until(app, lambda: not window.queue.pending, 10, "the queue written")
    say("READY", rows(window))
    while True:  # the uploads go on until the test kills this process
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 100)


def restart(profile: Path) -> int:
    app, window = start(profile)
    say("RESTORED", rows(window))
    messages: list[str] = []
    window.statusBar().messageChanged.connect(lambda text: messages.append(text))
    dialog = wait_until(app, lambda: window.resume_dialog, 60, "the offer to resume")
    offered = [dialog.list.topLevelItem(i).text(0) for i in range(dialog.list.topLevelItemCount())]
    dialog.resume_button.click()
    big = [e for e in window.model.entries if e.path.name in BIG]
    wait_until(app, lambda: all(e.state == fm.VALIDATED for e in big), 180, "both uploads validated")
    say("DONE", {"rows": rows(window), "offered": offered, "messages": messages})
    window.close()
    return 0


if __name__ == "__main__":
    command, profile_arg = sys.argv[1], Path(sys.argv[2])
    sys.exit(add(profile_arg, Path(sys.argv[3])) if command == "add" else restart(profile_arg))
