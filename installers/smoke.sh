#!/usr/bin/env bash
# Check a built bundle: the command line runs and reads real files (the lazy imports of pandas, xarray and
# netCDF4 are inside), and the window starts and stays up. Usage: installers/smoke.sh BUNDLE_DIR
set -euo pipefail
bundle="$(cd "$1" && pwd)"
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${PLANET_TESTDATA:-$root/../shared/testdata}"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share"

"$bundle/planet-lake" --help >/dev/null
if [ -d "$data" ]; then
  csv="$(find "$data" -name '*.csv' | sort | head -1)"
  nc="$(find "$data" -name '*.nc' | sort | head -1)"
  # a CSV counted by pandas' reader, a netCDF-4 file read through netCDF4/xarray: both inside the bundle
  [ -z "$csv" ] || "$bundle/planet-lake" inspect "$csv" --json | grep -q '"record_count": [1-9]' \
    || { echo "smoke: planet-lake inspect $csv counted no records" >&2; exit 1; }
  [ -z "$nc" ] || "$bundle/planet-lake" inspect "$nc" --json | grep -q '"format": "netCDF"' \
    || { echo "smoke: planet-lake inspect $nc did not read it as netCDF" >&2; exit 1; }
else
  echo "smoke: no test data at $data; skipping the inspection check" >&2
fi
# the sandbox from the bundle: its S3 server (the bundled `weed`), identity provider and hook are started by the
# frozen programs themselves (no Python on the machine), and the demo's sample file ends validated
if [ -x "$bundle/_internal/weed" ] || [ -x "$bundle/weed" ]; then
  timeout 180 "$bundle/planet-lake" sandbox demo >"$home/demo.log" 2>&1 \
    || { echo "smoke: planet-lake sandbox demo failed:" >&2; cat "$home/demo.log" >&2; exit 1; }
  grep -q ": validated$" "$home/demo.log" \
    || { echo "smoke: the sandbox demo validated nothing:" >&2; cat "$home/demo.log" >&2; exit 1; }
  echo "smoke: the bundle's sandbox demo validated its sample"
else
  echo "smoke: no weed in the bundle; skipping the sandbox check" >&2
fi
# the window: still running after 10 s means it started (a missing Qt plugin or module ends it at once)
set +e
QT_QPA_PLATFORM=offscreen timeout 10 "$bundle/planet-gui" --lang it >"$home/gui.log" 2>&1
status=$?
set -e
if [ "$status" -ne 124 ]; then
  echo "smoke: planet-gui exited with $status:" >&2
  cat "$home/gui.log" >&2
  exit 1
fi
echo "smoke: $bundle works"
