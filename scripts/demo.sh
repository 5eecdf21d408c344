#!/usr/bin/env bash
# The demo, as the README runs it: installs what is missing, builds, starts
# natterd with demo data on 127.0.0.1, and opens two natter windows signed in as
# alice and bob (separate profiles). Without a display, both windows run under
# Xvfb and the script saves screenshots of them and says where.
#
#   scripts/demo.sh              # windows on your display (or Xvfb if there is none)
#   NATTER_DEMO_PORT=9090 scripts/demo.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export NATTER_BUILD_DIR=${NATTER_BUILD_DIR:-$root/build}

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" natter natterd natter-cli

# Headless machines (and desktops without a Secret Service) get a private D-Bus
# session with their own unlocked keyring, so the demo never touches yours.
if [ -z "${DISPLAY:-}" ] || [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
    exec dbus-run-session -- "$root/scripts/demo-session.sh" --private
fi
exec "$root/scripts/demo-session.sh"
