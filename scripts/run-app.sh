#!/usr/bin/env bash
# Installs PLANET Uploader into .venv and starts it. The install runs on the first run and again only when
# pyproject.toml or scripts/install.sh changed (a stamp of their hash), so later runs start in seconds.
# With no profile of your own yet (no --profile, no PLANET_PROFILE, none imported), it opens the sandbox: a lake on
# this computer to try everything (README, "Sandbox"). Other arguments go to planet-gui, e.g.
# `bash scripts/run-app.sh --profile resources/profiles/infn-planet.toml`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
venv="${PLANET_VENV:-.venv}"
stamp="$venv/.planet-install-stamp"
wanted="$(cat pyproject.toml scripts/install.sh | sha256sum | cut -c1-64)"
# PySide6 comes with the `gui` extra (scripts/install.sh installs it): a venv made for the hook alone lacks it
if [ ! -x "$venv/bin/planet-gui" ] || [ "$(cat "$stamp" 2>/dev/null || true)" != "$wanted" ] \
    || ! "$venv/bin/python" -c 'import PySide6' 2>/dev/null; then
  echo "==> Installing PLANET Uploader into $venv (first run, or its dependencies changed): a few minutes."
  bash scripts/install.sh
  echo "$wanted" > "$stamp"
  echo "==> Installed; starting the app."
fi

own_profile=no
config="${XDG_CONFIG_HOME:-$HOME/.config}/planet-uploader"
[ -n "${PLANET_PROFILE:-}" ] && own_profile=yes
[ -f "$config/profile.toml" ] && own_profile=yes
for found in "$config"/profiles/*.toml; do
  [ -f "$found" ] && [ "$(basename "$found")" != sandbox.toml ] && own_profile=yes
done
for arg in "$@"; do
  case "$arg" in --profile|--profile=*|--sandbox) own_profile=yes ;; esac
done
if [ "$own_profile" = no ]; then
  echo "==> No lake profile of yours yet: opening the sandbox, a lake on this computer (nothing leaves it)."
  set -- --sandbox "$@"
fi
exec "$venv/bin/planet-gui" "$@"
