"""``planet-gui``: the window's entry point, which first checks that the window can be shown at all.

The window needs PySide6, which only the ``gui`` extra installs (the validation hook's container and a
command-line-only install do without it). Without it, ``planet-gui`` printed an ImportError traceback; it now says
what is missing and how to get it, and exits with status 2."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence

MISSING_QT = (
    "planet-gui: the window needs PySide6, which this installation does not have.\n"
    "Install the app with its window: pip install 'planet-uploader[gui]' (from a checkout: pip install -e '.[gui]',\n"
    "or run bash scripts/run-app.sh, which installs everything). The command-line twin, planet-lake, works without it."
)


def main(argv: Sequence[str] | None = None) -> int:
    if importlib.util.find_spec("PySide6") is None:
        print(MISSING_QT, file=sys.stderr)
        return 2
    from planet_gui.qt.app import main as window_main

    return window_main(argv)


if __name__ == "__main__":
    sys.exit(main())
