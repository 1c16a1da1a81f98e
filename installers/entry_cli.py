"""The bundle's command line: the same entry point as the ``planet-lake`` script of the wheel.

``planet-lake --run-module MODULE ARGS...`` runs one of the bundle's modules as ``python -m MODULE ARGS...``
would: a bundle has no interpreter to call, and the sandbox starts its identity provider and hook that way
(planet_gui.sandbox.procs.module_command).
"""

import runpy
import sys

if len(sys.argv) > 2 and sys.argv[1] == "--run-module":
    module = sys.argv[2]
    if not module.startswith("planet_gui."):  # only the app's own modules, never an arbitrary one
        sys.exit(f"planet-lake: --run-module runs the app's modules only, not {module!r}")
    sys.argv = [module, *sys.argv[3:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
    sys.exit(0)

from planet_gui.cli import main  # noqa: E402 - after the module runner, which must not load the CLI

sys.exit(main())
