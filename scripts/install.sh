#!/usr/bin/env bash
# Installs what PLANET Uploader needs on Debian/Ubuntu: system libraries for Qt, a virtualenv in .venv
# with the app and its window (the `gui` extra: PySide6), and, with --test, the test tools and the stand-in identity
# provider's npm packages. The validation hook alone needs no Qt: deploy/Containerfile installs only the base.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
with_tests=no
[ "${1:-}" = "--test" ] && with_tests=yes

qt_libs="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libxcb-cursor0
  libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0
  libxcb-image0 fonts-dejavu-core"
test_tools="gnome-keyring dbus dbus-x11 xvfb nodejs npm glewlwyd"
wanted="$qt_libs"
[ "$with_tests" = yes ] && wanted="$wanted $test_tools"

missing=""
for pkg in $wanted; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
# node/npm may come from elsewhere (nvm, the machine image): do not ask apt for them then
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing="$(echo "$missing" | tr ' ' '\n' | grep -vxE 'nodejs|npm' | tr '\n' ' ')"
fi
if [ -n "${missing// /}" ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "Installing system packages:$missing"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
fi

python="${PYTHON:-python3}"
venv="${PLANET_VENV:-.venv}"  # scripts/run-app.sh passes on its own
[ -x "$venv/bin/python" ] || { echo "Creating the virtualenv $venv"; "$python" -m venv "$venv"; }
echo "Installing Python packages into $venv (pip shows each one)"
"$venv/bin/python" -m pip install --upgrade --progress-bar on pip
if [ "$with_tests" = yes ]; then
  "$venv/bin/python" -m pip install --progress-bar on -e '.[gui,test,sandbox]'
  echo "Installing the stand-in identity provider's Node packages (npm ci)"
  (cd tests/oidc && npm ci --no-audit --no-fund --loglevel=error)
else
  "$venv/bin/python" -m pip install --progress-bar on -e '.[gui,sandbox]'
fi
