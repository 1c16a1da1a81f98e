"""The core's error titles in the UI's language.

The core never imports Qt, so the titles of its errors are English. They are a short, fixed set, so they are
translated here, at the one place they reach the screen; the messages, built from the situation at hand,
stay as the core words them.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from planet_gui.core.errors import PlanetError

#: every title the core gives its errors (a test keeps this in step with the core), marked for lupdate
TITLES = (
    QT_TRANSLATE_NOOP("CoreErrors", "Something went wrong"),
    QT_TRANSLATE_NOOP("CoreErrors", "Profile problem"),
    QT_TRANSLATE_NOOP("CoreErrors", "Metadata schema problem"),
    QT_TRANSLATE_NOOP("CoreErrors", "Cannot read this file"),
    QT_TRANSLATE_NOOP("CoreErrors", "Login problem"),
    QT_TRANSLATE_NOOP("CoreErrors", "Not logged in"),
    QT_TRANSLATE_NOOP("CoreErrors", "Session ended"),
    QT_TRANSLATE_NOOP("CoreErrors", "Storage credentials problem"),
    QT_TRANSLATE_NOOP("CoreErrors", "Storage problem"),
    QT_TRANSLATE_NOOP("CoreErrors", "Metadata is not valid"),
    QT_TRANSLATE_NOOP("CoreErrors", "Login cancelled"),
    QT_TRANSLATE_NOOP("CoreErrors", "Login denied"),
    QT_TRANSLATE_NOOP("CoreErrors", "Already in the lake"),
    QT_TRANSLATE_NOOP("CoreErrors", "Metadata sidecar problem"),
    QT_TRANSLATE_NOOP("CoreErrors", "File changed"),
    QT_TRANSLATE_NOOP("CoreErrors", "File gone"),
    QT_TRANSLATE_NOOP("CoreErrors", "Upload damaged"),
    QT_TRANSLATE_NOOP("CoreErrors", "Download damaged"),
    QT_TRANSLATE_NOOP("CoreErrors", "Upload cancelled"),
    QT_TRANSLATE_NOOP("CoreErrors", "Upload interrupted"),
    QT_TRANSLATE_NOOP("CoreErrors", "Storage server unreachable"),
    QT_TRANSLATE_NOOP("CoreErrors", "Storage access refused"),
    QT_TRANSLATE_NOOP("CoreErrors", "Untrusted storage server"),
    QT_TRANSLATE_NOOP("CoreErrors", "Untrusted identity provider"),
    QT_TRANSLATE_NOOP("CoreErrors", "Template problem"),
    QT_TRANSLATE_NOOP("CoreErrors", "Cannot watch"),
    QT_TRANSLATE_NOOP("CoreErrors", "Upload journal problem"),
    QT_TRANSLATE_NOOP("CoreErrors", "Cannot scan this file"),
    QT_TRANSLATE_NOOP("CoreErrors", "Cannot pseudonymise this file"),
    QT_TRANSLATE_NOOP("CoreErrors", "No key for pseudonyms"),
    QT_TRANSLATE_NOOP("CoreErrors", "Personal data found"),
    QT_TRANSLATE_NOOP("CoreErrors", "Cannot resubmit"),
    QT_TRANSLATE_NOOP("CoreErrors", "Curation refused"),
    QT_TRANSLATE_NOOP("CoreErrors", "Unexpected error"),  # the workers' title for a bug
)


def known_titles() -> frozenset[str]:
    return frozenset(str(title) for title in TITLES)  # QT_TRANSLATE_NOOP gives back its str, typed object


def error_title(error: PlanetError | str) -> str:
    """The title of ``error`` (or a title itself) in the installed language; unknown titles as they are."""
    title = error if isinstance(error, str) else error.title
    return QCoreApplication.translate("CoreErrors", title) if title in TITLES else title


translate = QCoreApplication.translate  # literal calls below, so lupdate finds the strings


def window_message(error: PlanetError) -> str:
    """An error's message in the window's words: the core's conflict messages name the CLI's flags
    (``--rename``) and its log-in message the CLI's command; the window has buttons instead. Other core
    messages are already in the window's language (:func:`planet_gui.core.i18n.tr`)."""
    from planet_gui.core.errors import NotLoggedIn, SessionEnded
    from planet_gui.core.status import State
    from planet_gui.core.transfer.conflicts import AlreadyInLake, ConflictKind

    if isinstance(error, NotLoggedIn) and not isinstance(error, SessionEnded):
        return translate("QueuePersistence", "Please log in first.")  # the core's names the CLI's command
    if not isinstance(error, AlreadyInLake):
        return error.message
    conflict = error.conflict
    where = {State.VALIDATED: translate("QueuePersistence", "validated"),
             State.TRIAGE: translate("QueuePersistence", "in triage"),
             State.PENDING: translate("QueuePersistence", "waiting for validation")
             }.get(conflict.state, conflict.state.value)
    if conflict.kind is ConflictKind.SAME_CONTENT:
        text = translate("QueuePersistence",
                         "The same content is already in the lake as %1 (%2). The file was not sent again.")
    else:
        text = translate("QueuePersistence", "%1 is already in the lake (%2). The file was not sent; submit it "
                                             "again to upload it under a new name.")
    return text.replace("%1", conflict.existing_key).replace("%2", where)
