"""The bundle's window: the same entry point as the ``planet-gui`` script of the wheel."""

import sys

from planet_gui.qt.app import main

sys.exit(main())
