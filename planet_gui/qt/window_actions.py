"""The main window's actions, with their keyboard shortcuts, and where they show: the File, Uploads and Help
menus, the toolbar, the file list's context menu. Also the help the F1 key opens."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QMenu, QMessageBox, QWidget

if TYPE_CHECKING:
    from planet_gui.qt.window_api import WindowApi


def _action(parent: QObject, text: str, slot: Callable[..., Any], shortcut: Any = None, tip: str = "") -> QAction:
    action = QAction(text, parent)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setToolTip(tip)
    action.triggered.connect(slot)
    return action


class Actions(QObject):
    """The window's actions (``login``, ``add``, ``remove``, ``submit``, ``cancel``, ``retry``, ``pause``,
    ``bandwidth``, ``template``, ``interrupted``, ``quit``, ``help``), put in the menus, on the toolbar and in the
    file list's context menu."""

    def __init__(self, window: WindowApi) -> None:
        super().__init__(window)
        self.login = _action(window, self.tr("Log in"), window.toggle_login)
        self.add = _action(window, self.tr("Add files…"), window.choose_files, "Ctrl+O",
                           self.tr("Add files to upload (Ctrl+O); folders can be dropped"))
        self.remove = _action(window, self.tr("Remove"), window.remove_selected, "Delete",
                              self.tr("Remove the selected files from the list (Delete); an upload running is "
                                      "cancelled"))
        self.remove.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)  # Delete in a field edits it
        self.submit = _action(window, self.tr("Submit"), window.submit, None,
                              self.tr("Upload the selected files, or every ready one (Ctrl+Return)"))
        self.submit.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.cancel = _action(window, self.tr("Cancel upload"), window.cancel_selected, None,
                              self.tr("Stop the selected uploads; nothing of them stays on the server"))
        self.retry = _action(window, self.tr("Retry"), window.retry_selected, None,
                             self.tr("Try the selected failed files again"))
        self.pause = QAction(self.tr("Pause uploads"), window)
        self.pause.setCheckable(True)
        self.pause.toggled.connect(window.set_paused)
        self.bandwidth = _action(window, self.tr("Bandwidth limit…"), window.ask_max_rate, None,
                                 self.tr("Cap the speed of all uploads, for a shared network"))
        self.template = _action(window, self.tr("Save as template…"), window.save_as_template, None,
                                self.tr("Keep these values for a watched folder's new files"))
        self.interrupted = _action(window, self.tr("Interrupted uploads…"),
                                   lambda: window.check_interrupted(asked=True))
        self.quit = _action(window, self.tr("Quit"), window.close, "Ctrl+Q")
        self.help = _action(window, self.tr("Help"), window.show_help, "F1")
        for action in (self.template, self.cancel, self.retry):
            action.setEnabled(False)
        self._menus(window)
        self._toolbar(window)
        window.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for action in (self.cancel, self.retry, self.remove):
            window.table.addAction(action)
        from planet_gui.qt.retrieve_actions import RetrieveActions  # Copy snippet, Copy link, Download…

        self.retrieve = RetrieveActions(window)

    def _menus(self, window: WindowApi) -> None:
        def fill(menu: QMenu, actions: list[QAction | None]) -> None:
            for action in actions:
                menu.addSeparator() if action is None else menu.addAction(action)

        menus = window.menuBar()
        fill(menus.addMenu(self.tr("&File")), [self.add, self.remove, None, self.login, None, self.quit])
        window.watch_action = window.watch_panel.toggleViewAction()
        window.watch_action.setText(self.tr("Watch a folder…"))
        fill(menus.addMenu(self.tr("&Uploads")), [self.submit, self.cancel, self.retry, None, self.pause,
                                                  self.bandwidth, None, window.watch_action, self.template, None,
                                                  self.interrupted])
        fill(menus.addMenu(self.tr("&Help")), [self.help])

    def _toolbar(self, window: WindowApi) -> None:
        toolbar = window.addToolBar(self.tr("Main"))
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        for action in (self.add, self.remove, self.submit, self.cancel, self.pause, self.login):
            toolbar.addAction(action)
        window.user_label = QLabel(self.tr("Not logged in"))
        window.user_label.setObjectName("user")
        toolbar.addSeparator()
        toolbar.addWidget(window.user_label)
        toolbar.addSeparator()
        profile_label = QLabel(self.tr("Profile:") + " ")
        toolbar.addWidget(profile_label)
        window.profile_box = QComboBox()
        window.profile_box.setObjectName("profile_switcher")
        window.profile_box.setAccessibleName(self.tr("Profile"))
        profile_label.setBuddy(window.profile_box)
        toolbar.addWidget(window.profile_box)

    def help_text(self) -> str:
        return "\n\n".join([
            self.tr("Add files (Ctrl+O) or drop files and folders on the window. Each file is read and its "
                    "metadata filled in; select files to review and edit it in the form on the right (several "
                    "files at once edit them all)."),
            self.tr("Submit (Ctrl+Return) uploads the selected files, or every ready one. Each file then waits "
                    "for the lake's validation: validated, or triage with the reasons."),
            self.tr("Keys: Ctrl+O add · Delete remove · Ctrl+Return submit · Tab to the form · F1 help · "
                    "Ctrl+Q quit."),
        ])

    def show_help(self, window: QWidget) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("PLANET Uploader help"), self.help_text(),
                          QMessageBox.StandardButton.Close, window)
        box.open()
        return box
