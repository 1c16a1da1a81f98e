#!/usr/bin/env bash
# Inside a D-Bus session: start and unlock a fresh GNOME keyring (the Secret Service the app uses on Linux),
# run "$@", then stop that keyring daemon and only that one.
set -euo pipefail
head -c 24 /dev/urandom | base64 | tr -d '\n' |
  gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
keyring_pid=$!
trap 'kill "$keyring_pid" 2>/dev/null || true' EXIT
# wait (at most 15 s) until the keyring owns its D-Bus name
for _ in $(seq 150); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
       org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; then
    break
  fi
  kill -0 "$keyring_pid" 2>/dev/null || { echo "gnome-keyring-daemon did not start" >&2; break; }
  sleep 0.1
done
"$@"
