#!/usr/bin/env bash
# Installs PLANET Uploader into .venv (first run only) and starts it. Arguments go to planet-gui,
# e.g. `bash scripts/run-app.sh --profile resources/profiles/infn-planet.toml`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
[ -x .venv/bin/planet-gui ] || bash scripts/install.sh
exec .venv/bin/planet-gui "$@"
