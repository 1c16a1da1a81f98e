"""Entry point of the desktop app (``planet-gui``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from planet_gui.core.errors import PlanetError
from planet_gui.core.profile import list_profiles, load_profile, resolve_profile_path
from planet_gui.core.resources import resource_path
from planet_gui.qt import sandbox_ui
from planet_gui.qt.error_titles import error_title


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="planet-gui")
    parser.add_argument("--profile", help="deployment profile (TOML)")
    parser.add_argument("--lang", choices=["en", "it"], help="interface language (default: the system's)")
    parser.add_argument("--sandbox", action="store_true", help="open the sandbox lake on this computer (starts it)")
    parser.add_argument("files", nargs="*", help="files or folders to open, as if dropped")
    args, qt_args = parser.parse_known_args(argv)

    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox

    from planet_gui.core.session import Session
    from planet_gui.qt.i18n import choose_language, install_translator
    from planet_gui.qt.main_window import MainWindow
    from planet_gui.qt.pauses import keep_pauses_short

    app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("PLANET Uploader")
    app.setOrganizationName("INFN")
    app.setDesktopFileName("planet-uploader")  # the .desktop entry: its icon and name in the task bar
    app.setWindowIcon(QIcon(str(resource_path("icons", "planet-uploader.svg"))))
    language = choose_language(args.lang)
    install_translator(app, language)
    profile_path = resolve_profile_path(args.profile)
    first_run = False
    if args.sandbox:
        profile_path = sandbox_ui.profile_to_open() or resource_path("profiles", "local-test.toml")
    elif not profile_path.exists() and not args.profile:
        kept = list_profiles()  # no default profile: the first one imported, else the example until then
        first_run = not kept
        profile_path = kept[0] if kept else resource_path("profiles", "local-test.toml")
    sandbox = args.sandbox or profile_path == sandbox_ui.sandbox_profile_path()  # its servers start with the app
    try:
        profile = load_profile(profile_path)
    except PlanetError as exc:
        QMessageBox.critical(None, error_title(exc), exc.message)
        return 1
    window = MainWindow(Session(profile), language)
    window.show()
    window.after_first_paint(lambda: keep_pauses_short(window))  # full garbage collections when quiet: see pauses
    window.after_first_paint(window.preview.warm_up)  # the plot's libraries, before the first table previewed
    window.after_first_paint(window.inspections.warm_up)  # the file readers' processes, before the first file
    window.queue.restore()  # the files of last time, before the log-in offers to resume their uploads
    if sandbox:
        sandbox_ui.open_sandbox(window)  # logs in again (silently) once its servers answer
    else:
        window.after_first_paint(window.restore_login)  # the window first: see MainWindow.after_first_paint
    if first_run:
        window.hint_first_run()
    if args.files:
        from pathlib import Path

        window.add_paths([Path(name) for name in args.files])
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
