"""Pick the UI language (English or Italian) and install the matching Qt translator."""

from __future__ import annotations

import os

from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from planet_gui.core.i18n import set_language as set_core_language
from planet_gui.core.resources import resource_path

LANGUAGES = ("en", "it")
LANGUAGE_ENV = "PLANET_LANG"


def choose_language(explicit: str | None = None) -> str:
    """``--lang``, then ``PLANET_LANG``, then the system locale; English when none is supported."""
    for candidate in (explicit, os.environ.get(LANGUAGE_ENV), QLocale.system().name()):
        code = (candidate or "")[:2].lower()
        if code in LANGUAGES:
            return code
    return "en"


def install_translator(app: QApplication, language: str) -> QTranslator | None:
    """English is the source language; any other needs its compiled catalogue. The core's messages (errors,
    reasons a transfer stopped) follow the same language through :func:`planet_gui.core.i18n.set_language`."""
    set_core_language("en")
    if language == "en":
        return None
    translator = QTranslator(app)
    catalogue = resource_path("translations", f"planet_{language}.qm")
    if not translator.load(str(catalogue)):
        return None
    app.installTranslator(translator)
    set_core_language(language)
    # Qt's own strings (the Yes/Cancel buttons) from the catalogues that ship with PySide6
    from PySide6.QtCore import QLibraryInfo

    qt_translator = QTranslator(app)
    if qt_translator.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_translator)
    return translator
