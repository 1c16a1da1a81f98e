#!/usr/bin/env bash
# Installs everything, starts a private D-Bus session with a real keyring, and runs the test suite.
# The tests start their own servers (SeaweedFS, node-oidc-provider, the hook) on 127.0.0.1.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh tests/core -x`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/install.sh --test

# A throw-away home: the app's config, data and keyring land here, and a test greps it for secrets.
PLANET_TEST_HOME="$(mktemp -d -t planet-test-home.XXXXXX)"
export PLANET_TEST_HOME HOME="$PLANET_TEST_HOME"
export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share" XDG_CACHE_HOME="$HOME/.cache"
export XDG_RUNTIME_DIR="$HOME/.run" && mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
export QT_QPA_PLATFORM=offscreen PYTHONDONTWRITEBYTECODE=1
# The layers and the no-cycle rule (pyproject.toml's [tool.importlinter]): a broken contract fails before any test.
"$root/.venv/bin/lint-imports"
status=0
dbus-run-session -- bash scripts/with-keyring.sh "$root/.venv/bin/python" -m pytest -p no:cacheprovider "$@" \
  || status=$?
rm -rf "$PLANET_TEST_HOME"
exit $status
