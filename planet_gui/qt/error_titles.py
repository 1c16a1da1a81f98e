"""The core's error titles in the UI's language.

The core never imports Qt, so the titles of its errors are English. They are a short, fixed set, so they are
translated here, at the one place they reach the screen; the messages, built from the situation at hand,
stay as the core words them.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from planet_gui.core.errors import PlanetError


def _catalogue() -> dict[str, str]:
    """Every title the core gives its errors (a test keeps this in step with the core), translated now."""
    return {
        "Something went wrong": QCoreApplication.translate("CoreErrors", "Something went wrong"),
        "Profile problem": QCoreApplication.translate("CoreErrors", "Profile problem"),
        "Metadata schema problem": QCoreApplication.translate("CoreErrors", "Metadata schema problem"),
        "Cannot read this file": QCoreApplication.translate("CoreErrors", "Cannot read this file"),
        "Login problem": QCoreApplication.translate("CoreErrors", "Login problem"),
        "Not logged in": QCoreApplication.translate("CoreErrors", "Not logged in"),
        "Session ended": QCoreApplication.translate("CoreErrors", "Session ended"),
        "Storage credentials problem": QCoreApplication.translate("CoreErrors", "Storage credentials problem"),
        "Storage problem": QCoreApplication.translate("CoreErrors", "Storage problem"),
        "Metadata is not valid": QCoreApplication.translate("CoreErrors", "Metadata is not valid"),
        "Login cancelled": QCoreApplication.translate("CoreErrors", "Login cancelled"),
        "Login denied": QCoreApplication.translate("CoreErrors", "Login denied"),
        "Already in the lake": QCoreApplication.translate("CoreErrors", "Already in the lake"),
        "Metadata sidecar problem": QCoreApplication.translate("CoreErrors", "Metadata sidecar problem"),
        "File changed": QCoreApplication.translate("CoreErrors", "File changed"),
        "File gone": QCoreApplication.translate("CoreErrors", "File gone"),
        "Upload damaged": QCoreApplication.translate("CoreErrors", "Upload damaged"),
        "Upload cancelled": QCoreApplication.translate("CoreErrors", "Upload cancelled"),
        "Upload interrupted": QCoreApplication.translate("CoreErrors", "Upload interrupted"),
        "Storage server unreachable": QCoreApplication.translate("CoreErrors", "Storage server unreachable"),
        "Storage access refused": QCoreApplication.translate("CoreErrors", "Storage access refused"),
        "Template problem": QCoreApplication.translate("CoreErrors", "Template problem"),
        "Cannot watch": QCoreApplication.translate("CoreErrors", "Cannot watch"),
        "Unexpected error": QCoreApplication.translate("CoreErrors", "Unexpected error"),  # workers: a bug
    }


def known_titles() -> frozenset[str]:
    return frozenset(_catalogue())


def error_title(error: PlanetError | str) -> str:
    """The title of ``error`` (or a title itself) in the installed language; unknown titles as they are."""
    title = error if isinstance(error, str) else error.title
    return _catalogue().get(title, title)
