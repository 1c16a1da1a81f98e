"""The Italian interface: every string translated, the catalogue in step with the code, and loaded."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.backends import fail
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QLabel

from planet_gui.core.auth.token_store import TokenStore
from planet_gui.core.profile import load_profile
from planet_gui.core.resources import resource_path
from planet_gui.core.session import Session
from planet_gui.qt import files_model as fm
from planet_gui.qt.i18n import choose_language, install_translator
from planet_gui.qt.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "planet_it.ts"


def _sources(ts: Path) -> set[str]:
    return {m.findtext("source") or "" for m in ET.parse(ts).iter("message")}


def test_catalogue_matches_the_code_and_is_complete(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (ROOT / "planet_gui" / "qt").rglob("*.py"))
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    subprocess.run([str(lupdate), *sources, "-ts", str(fresh)], check=True, capture_output=True)
    assert _sources(fresh) == _sources(TS), "run scripts/translations.py after changing UI strings"
    unfinished = [m.findtext("source") for m in ET.parse(TS).iter("message")
                  if m.find("translation").get("type") == "unfinished"]  # type: ignore[union-attr]
    assert unfinished == []
    assert TS.with_suffix(".qm").stat().st_mtime >= TS.stat().st_mtime - 1


def test_language_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANET_LANG", "it_IT.UTF-8")
    assert choose_language() == "it"
    assert choose_language("en") == "en"
    monkeypatch.setenv("PLANET_LANG", "fr")
    assert choose_language("de") in {"en", "it"}  # falls back to the system's, else English


@pytest.fixture
def italian_window(qtbot) -> Iterator[MainWindow]:  # noqa: ANN001
    """The window in Italian, on the example profile; the translator goes away afterwards."""
    app = QApplication.instance()
    translator = install_translator(app, "it")
    assert translator is not None
    try:
        profile = load_profile(resource_path("profiles", "local-test.toml"))
        window = MainWindow(Session(profile, token_store=TokenStore("i18n", backend=fail.Keyring())), "it")
        qtbot.addWidget(window)
        yield window
    finally:
        app.removeTranslator(translator)


def test_italian_window(italian_window: MainWindow) -> None:
    window = italian_window
    assert window.submit_action.text() == "Invia"
    assert window.login_action.text() == "Accedi"
    assert fm.state_label(fm.READY) == "pronto"
    labels = [w.text() for w in window.form.findChildren(QLabel)]
    assert "Categoria *" in labels and "Contiene dati personali *" in labels
    assert window.model.headerData(1, Qt.Orientation.Horizontal) == "Categoria"
    entry = window.model.entry_for(Path("rilevazioni.csv"))
    entry.state = fm.INSPECTING  # as when inspection ends: the form's problems are the reader's language
    window._revalidate(entry)
    assert "Categoria (category): campo obbligatorio" in entry.message.splitlines()


def test_removing_the_translator_brings_english_back(qtbot) -> None:  # noqa: ANN001
    app = QApplication.instance()
    translator = install_translator(app, "it")
    assert translator is not None
    assert QCoreApplication.translate("FilesModel", "ready") == "pronto"
    app.removeTranslator(translator)
    assert QCoreApplication.translate("FilesModel", "ready") == "ready"


def test_a_core_error_reaches_the_italian_window_in_italian(qtbot, italian_window: MainWindow,  # noqa: ANN001
                                                            tmp_path: Path) -> None:
    """The core's message, not only its title: an empty file dropped in the Italian window says so in Italian."""
    from tests.qt.test_main_window import drop_files

    empty = tmp_path / "vuoto.csv"
    empty.write_bytes(b"")
    drop_files(qtbot, italian_window, [empty])
    entry = italian_window.model.entry_for(empty)
    qtbot.waitUntil(lambda: entry.state == fm.FAILED, timeout=10_000)
    assert entry.message == "Impossibile leggere questo file: vuoto.csv è vuoto."


def _core_titles() -> set[str]:
    """Every title the core gives an error: its error classes' and the ones passed as ``title=``."""
    import importlib
    import pkgutil
    import re

    import planet_gui.core
    from planet_gui.core.errors import PlanetError

    for module in pkgutil.walk_packages(planet_gui.core.__path__, "planet_gui.core."):
        importlib.import_module(module.name)
    titles: set[str] = set()
    pending = [PlanetError]
    while pending:
        cls = pending.pop()
        titles.add(cls.title)
        pending.extend(cls.__subclasses__())
    titles = {t for t in titles if t != "Usage"}  # the CLI's own, never in the window
    for source in (ROOT / "planet_gui" / "core").rglob("*.py"):
        titles.update(re.findall(r'title="([^"]+)"', source.read_text(encoding="utf-8")))
    return titles


def test_every_core_error_title_is_translated(qtbot) -> None:  # noqa: ANN001
    from planet_gui.core.errors import StorageError
    from planet_gui.qt.error_titles import error_title, known_titles

    titles = _core_titles()
    assert len(titles) >= 20
    assert titles <= known_titles(), f"add to planet_gui/qt/error_titles.py: {sorted(titles - known_titles())}"
    app = QApplication.instance()
    translator = install_translator(app, "it")
    assert translator is not None
    try:
        assert error_title(StorageError("the bucket is missing")) == "Problema di archiviazione"
        untranslated = [t for t in titles if error_title(t) == t]
        assert untranslated == []
        assert error_title("A title the core does not have") == "A title the core does not have"
    finally:
        app.removeTranslator(translator)
    assert error_title(StorageError("x")) == "Storage problem"


def test_verdict_notices_speak_italian(italian_window: MainWindow) -> None:
    """Regression: the notices of arriving verdicts were looked up in the window's context while lupdate filed
    them under the notifier's, so the Italian status bar said "Verdicts arrived: 1 validated, 1 in triage."."""
    notifier = italian_window.notifier
    notifier.verdicts([("alice/a.csv", "validated", ()), ("alice/b.csv", "triage", ("motivo",))])
    assert notifier.last == "Sono arrivati degli esiti: 1 validati, 1 in triage."
    notifier.verdicts([("alice/a.csv", "validated", ())])
    assert notifier.last == "Caricamento validato: a.csv è stato accettato nel lake."
