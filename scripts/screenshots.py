"""Screenshots of the main window for the documentation, in English and Italian, at 1024×700 and 1400×900.

    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshots.py

Writes ``docs/screenshots/<scene>-<lang>-<width>x<height>.png``:

* ``files-200``: 200 CSV files added and read, the first one selected;
* ``triage``: a file the lake's hook sent to triage, selected: its reason above the form;
* ``uploaded``: a file accepted into *validated*, selected: its object key, SHA-256 and uploader above the form;
* ``rule``: a period end typed before the period start: the lake's rule refuses it under the field, before upload.

No lake is needed: the files are real and read by the app, and the verdicts reach the window through the calls
a lake's answers take (``_uploaded`` with the engine's result, ``_statuses`` with the status poll's
:class:`~planet_gui.core.status.ObjectStatus`), so each picture is what a user sees in that state. Each language
and size runs in a process of its own (a fresh window, no settings kept: ``HOME`` is a throw-away folder).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SIZES = ((1024, 700), (1400, 900))
LANGUAGES = ("en", "it")


def wait(app: Any, condition: Any, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.005)


def write_files(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    regions = ("Marche", "Umbria", "Lazio", "Toscana", "Abruzzo")
    paths = []
    for i in range(count):
        path = folder / f"casi-{regions[i % 5].lower()}-2024-{i // 5 + 1:02d}.csv"
        path.write_text("data,regione,casi\n" + "".join(f"2024-02-{d:02d},{regions[i % 5]},{(i + 1) * d}\n"
                                                        for d in range(1, 15)), encoding="utf-8")
        paths.append(path)
    return paths


def one(language: str, width: int, height: int, out: Path) -> None:
    """One language at one size: every scene, in a window of that size."""
    from keyring.backends import fail
    from PySide6.QtCore import Qt  # noqa: TID251 - a script of the window
    from PySide6.QtGui import QImage  # noqa: TID251
    from PySide6.QtWidgets import QApplication  # noqa: TID251

    from planet_gui.core.auth.token_store import TokenStore
    from planet_gui.core.auth.tokens import Identity
    from planet_gui.core.profile import load_profile
    from planet_gui.core.resources import resource_path
    from planet_gui.core.session import Session
    from planet_gui.core.status import ALREADY_VALIDATED, ObjectStatus, State, split_reasons
    from planet_gui.qt import files_model as fm
    from planet_gui.qt.i18n import install_translator
    from planet_gui.qt.main_window import MainWindow

    app = QApplication([sys.argv[0]])
    app.setApplicationName("PLANET Uploader")
    app.setOrganizationName("INFN")
    install_translator(app, language)
    work = Path(tempfile.mkdtemp(prefix="planet-shots-"))
    session = Session(load_profile(resource_path("profiles", "local-test.toml")),
                      token_store=TokenStore("screenshots", backend=fail.Keyring()))
    identity = Identity(subject="a1b2", username="mrossi", name="Maria Rossi", groups=("planet-uploaders",))
    session._identity = identity  # noqa: SLF001 - the object keys name the user, as once logged in
    window = MainWindow(session, language)
    window.resize(width, height)
    window.show()
    window.identity = identity
    window.user_label.setText(f"{identity.name} ({identity.username}) · {', '.join(identity.groups)}")
    window.login_action.setText(window.tr("Log out"))

    def shot(scene: str) -> None:
        wait(app, lambda: not window.inspections.busy)
        wait(app, lambda: not window._counts_timer.isActive())  # noqa: SLF001 - the status bar's counts follow
        for _ in range(5):
            app.processEvents()
        name = out / f"{scene}-{language}-{width}x{height}.png"
        # a palette of 256 colours, not dithered, is plenty for a window's flat colours: a fifth of the size
        flat = Qt.ImageConversionFlag.AvoidDither | Qt.ImageConversionFlag.ThresholdDither
        image = window.grab().toImage().convertToFormat(QImage.Format.Format_Indexed8, flat)
        image.save(str(name), "PNG", 0)  # 0: the most compression (lossless)
        print(name)

    # 200 files listed
    window.add_paths(write_files(work / "consegne", 200))
    wait(app, lambda: window.model.rowCount() == 200 and not window.inspections.busy)
    shot("files-200")
    window.model.remove_rows(list(range(window.model.rowCount())))

    # a few files, two of them uploaded: one the hook accepted, one it sent to triage
    paths = write_files(work / "lotto", 6)
    window.add_paths(paths)
    wait(app, lambda: window.model.rowCount() == 6 and not window.inspections.busy)
    for entry in window.model.entries:  # what the user typed for the batch
        entry.values.update({"category": "COVID-19", "source": "Protezione Civile", "area": "Italia"})
        window._revalidate(entry)  # noqa: SLF001
    accepted, triaged = window.model.entry_by_path(paths[1]), window.model.entry_by_path(paths[3])
    assert accepted is not None and triaged is not None
    for entry in (accepted, triaged):
        entry.state = fm.UPLOADING
        key = session.object_key(entry.path, entry.values)
        sha256 = hashlib.sha256(entry.path.read_bytes()).hexdigest()
        window._uploaded(entry, SimpleNamespace(key=key, sha256=sha256))  # noqa: SLF001 - the engine's result
    window.status_timer.stop()
    window._statuses([  # noqa: SLF001 - what the status poll reads from the lake
        ObjectStatus(key=accepted.key, state=State.VALIDATED, bucket="validated"),
        ObjectStatus(key=triaged.key, state=State.TRIAGE, bucket="triage",
                     reasons=split_reasons(ALREADY_VALIDATED)),  # as read from the object's metadata
    ])
    window.select_rows([window.model.row_of(triaged)])
    shot("triage")
    window.select_rows([window.model.row_of(accepted)])
    shot("uploaded")

    # a rule the lake runs refuses what was typed: its words under the field they are about, before any upload
    from PySide6.QtTest import QTest  # noqa: TID251

    window.select_rows([window.model.row_of(window.model.entry_by_path(paths[5]))])
    editor = window.form.editors["period_end"]
    editor.selectAll()
    QTest.keyClicks(editor, "2023-12-31")
    editor.editingFinished.emit()  # type: ignore[attr-defined]
    shot("rule")
    window.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--one", nargs=3, metavar=("LANG", "WIDTH", "HEIGHT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.one:
        language, width, height = args.one[0], int(args.one[1]), int(args.one[2])
        one(language, width, height, args.out)
        return 0
    failed = 0
    for language in LANGUAGES:
        for width, height in SIZES:
            with tempfile.TemporaryDirectory(prefix="planet-shots-home-") as home:
                env = {**os.environ, "HOME": home, "XDG_CONFIG_HOME": f"{home}/.config",
                       "XDG_DATA_HOME": f"{home}/.local/share", "PYTHONPATH": str(ROOT), "PLANET_PROFILE": ""}
                done = subprocess.run([sys.executable, __file__, "--out", str(args.out), "--one", language,
                                       str(width), str(height)], env=env, cwd=ROOT, timeout=600)
                failed += done.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
