"""The bundle's command line: the same entry point as the ``planet-lake`` script of the wheel."""

import sys

from planet_gui.cli import main

sys.exit(main())
