#!/usr/bin/env bash
# Installs PLANET Uploader into .venv and starts it. The install runs on the first run and again only when
# something it depends on changed: pyproject.toml, scripts/install.sh or the venv's Python (a stamp of their hash,
# written once an install succeeded). Otherwise it is skipped without starting Python or pip (a check of a few
# milliseconds), so later runs start in seconds.
# With no profile of your own yet (no --profile, no PLANET_PROFILE, none imported), it opens the sandbox: a lake on
# this computer to try everything (README, "Sandbox"). Other arguments go to planet-gui, e.g.
# `bash scripts/run-app.sh --profile resources/profiles/infn-planet.toml`.
# PLANET_VENV picks another virtualenv than .venv (scripts/install.sh honours it too).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
venv="${PLANET_VENV:-.venv}"
stamp="$venv/.planet-install-stamp"

# The hash of what an install depends on: the dependencies, the install script, and which Python the venv runs.
install_fingerprint() {
  { cat pyproject.toml scripts/install.sh; readlink -f "$venv/bin/python" 2>/dev/null || echo "no python"; } \
    | sha256sum | cut -c1-64
}

# Whether the venv holds an install made from the current fingerprint. PySide6 comes with the `gui` extra (a venv
# made for the hook alone lacks it): its files are looked for, Python is not started.
install_is_current() {
  [ -x "$venv/bin/planet-gui" ] && [ -x "$venv/bin/python" ] \
    && compgen -G "$venv/lib/python3*/site-packages/PySide6/__init__.py" >/dev/null \
    && [ "$(cat "$stamp" 2>/dev/null || true)" = "$(install_fingerprint)" ]
}

main() {
  if ! install_is_current; then
    echo "==> Installing PLANET Uploader into $venv (first run, or its dependencies changed): a few minutes."
    rm -f "$stamp"  # an install that fails half-way must not leave a stamp that says it is done
    PLANET_VENV="$venv" bash scripts/install.sh
    install_fingerprint > "$stamp"
    echo "==> Installed; starting the app."
  fi

  local own_profile=no found arg
  local config="${XDG_CONFIG_HOME:-$HOME/.config}/planet-uploader"
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
}

# Sourced (tests/e2e/test_run_app.py, tests/bench/bench_sandbox.py), it only defines the functions above.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
