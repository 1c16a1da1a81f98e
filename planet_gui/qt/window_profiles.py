"""The main window's profiles: the switcher's list, importing a profile file, the first-run hint, switching
to another profile (queued files stay; who we are and where they go change)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from planet_gui.core.errors import PlanetError
from planet_gui.core.profile import import_profile, list_profiles, load_profile
from planet_gui.core.session import Session
from planet_gui.qt import files_model as fm
from planet_gui.qt import sandbox_ui
from planet_gui.qt.error_titles import error_title

if TYPE_CHECKING:
    from planet_gui.qt.window_api import WindowApi

    _Base = WindowApi
else:
    _Base = object

_IMPORT_PROFILE = "import-profile"  # the profile list's last item: not a path


class ProfilesMixin(_Base):
    first_run_box: QMessageBox | None  # the first start's offer, while it is on screen

    def _fill_profiles(self) -> None:
        """The profiles in the user's config folder, plus the one in use wherever it lives, and last a way to
        import the profile file a lake's administrators give out."""
        self.profile_box.clear()
        paths = list_profiles()
        current = self.session.profile.path
        if current is not None and current not in paths:
            paths.insert(0, current)
        for path in paths:
            self.profile_box.addItem(path.stem, str(path))
        self.profile_box.insertSeparator(self.profile_box.count())
        self.profile_box.addItem(self.tr("Import profile…"), _IMPORT_PROFILE)
        sandbox_ui.decorate(self)
        if current is not None:
            self.profile_box.setCurrentIndex(max(self.profile_box.findData(str(current)), 0))

    def _profile_chosen(self, index: int) -> None:
        if self.profile_box.itemData(index) == _IMPORT_PROFILE:
            # the list shows the profile in use again while the file is chosen
            self.profile_box.setCurrentIndex(max(self.profile_box.findData(str(self.session.profile.path)), 0))
            self.import_profile()
            return
        self.switch_profile(Path(self.profile_box.itemData(index)))

    def import_profile(self) -> None:
        """Check the chosen file and keep it in the profiles folder (on a worker: it reads and writes files),
        then switch to it."""
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Import a profile"), "",
                                              self.tr("Profiles (*.toml);;All files (*)"))
        if name:
            self._run(import_profile, Path(name), on_done=self._profile_imported, on_failed=self._show_error)

    def _profile_imported(self, target: Path) -> None:
        self._fill_profiles()
        self.statusBar().showMessage(self.tr("Profile %1 imported.").replace("%1", target.stem))
        self.switch_profile(target)

    def hint_first_run(self) -> None:
        """The app started on its example profile because the user has none yet: say how to get theirs, and
        offer to import it now (not modal: the window stays usable)."""
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Welcome to PLANET Uploader"),
                          self.tr("To upload to your data lake, import the profile file its administrators gave "
                                  "you. Until then the example profile is open: it needs a lake you run yourself on "
                                  "this computer. You can import your profile later from the Profile list."),
                          parent=self)
        importing = box.addButton(self.tr("Import profile…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Later"), QMessageBox.ButtonRole.RejectRole)
        box.buttonClicked.connect(lambda button: self.import_profile() if button is importing else None)
        sandbox_ui.offer_in_welcome(self, box)
        self.first_run_box = box
        box.open()

    def switch_profile(self, path: Path) -> None:
        if path == self.session.profile.path or sandbox_ui.intercept_switch(self, path):
            return
        busy = [e for e in self.model.entries if e.state in (fm.UPLOADING, fm.PENDING)]
        if busy or self.watch_panel.watch.running:
            self._show_error(self.tr("Profile not switched"),
                             self.tr("Wait until the current uploads have a verdict, and stop watching the "
                                     "folder, before switching."))
            self._fill_profiles()
            return
        try:
            profile = load_profile(path)
        except PlanetError as exc:
            self._show_error(error_title(exc), exc.message)
            self._fill_profiles()
            return
        self.switch_session(Session(profile))

    def follow_schema(self) -> None:
        """Rebuild the form (and the table's columns) when the session's schema or the profile's destinations are
        not the ones it was built for: the lake's schema, read after the login, may ask for a field the built-in
        one lacks (a licence), and without its editor no file could be made ready. Edits go through the window's
        ``form_edited``, so what listens keeps listening."""
        from planet_gui.qt.metadata_form import MetadataForm

        session, old = self.session, self.form
        destinations = [place.name for place in session.profile.places]
        if old.schema == session.schema and old.destinations == tuple(destinations):  # the same fields: the form
            return  # stays (rebuilding it cost the UI thread 30 ms at each login, tests/bench/bench_gui.py)
        page = old.parentWidget()
        layout = page.layout() if page is not None else None
        if layout is None:
            return
        form = MetadataForm(session.schema, self.language, destinations=destinations)
        layout.replaceWidget(old, form)
        form.show()  # a child added to a window on screen stays hidden until shown
        old.hide()
        old.deleteLater()
        self.form = form
        form.edited.connect(self.form_edited)
        self.model.set_schema(session.schema)
        QWidget.setTabOrder(self.table, next(iter(form.editors.values())))  # Tab leaves the table for the form
        self._selection_changed()  # the selected rows' values in the new form

    def switch_session(self, session: Session) -> None:
        """Queued files stay; only who we are and where they go changes."""
        self.session = session
        self.follow_schema()
        self._configure_transfers()
        self.setWindowTitle(self.tr("PLANET Uploader") + f" — {session.profile.name}")
        self._set_identity(None)
        self._fill_profiles()
        self.restore_login()
