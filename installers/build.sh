#!/usr/bin/env bash
# Build the desktop bundle from this checkout, on the platform it runs on:
#   dist/planet-uploader/                         one folder with both programs (planet-gui, planet-lake)
#   dist/planet-uploader-VERSION-linux-x86_64.tar.gz
#   dist/planet-uploader_VERSION_amd64.deb        (Debian/Ubuntu, when dpkg-deb is there)
# then starts both programs from the bundle as a check (installers/smoke.sh). Needs python3-venv and access to
# PyPI. --bundle-only stops after the check (what the test suite runs: tests/installers/test_bundle.py).
set -euo pipefail
bundle_only=false
[ "${1:-}" = "--bundle-only" ] && bundle_only=true
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
venv=build/venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip
# the gui extra: PySide6, for planet-gui; the sandbox extra: SeaweedFS's weed, bundled for "Try it on this computer"
"$venv/bin/pip" install -q ".[gui,sandbox]" "pyinstaller>=6.10"
version="$("$venv/bin/python" -c 'import planet_gui; print(planet_gui.__version__)')"

QT_QPA_PLATFORM=offscreen "$venv/bin/python" installers/render_icons.py build/icons
"$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller \
  installers/planet-uploader.spec
bash installers/smoke.sh dist/planet-uploader
$bundle_only && exit 0

tar -C dist -czf "dist/planet-uploader-$version-linux-x86_64.tar.gz" planet-uploader
if command -v dpkg-deb >/dev/null; then
  bash installers/deb.sh "$version"
fi
ls -la dist
