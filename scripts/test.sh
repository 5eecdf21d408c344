#!/usr/bin/env bash
# The whole test suite, as the README and CI run it:
#   installs what is missing, builds with warnings as errors, then runs every
#   ctest test inside a private D-Bus session with a real, unlocked gnome-keyring
#   and a virtual X display. Prints ctest's summary; non-zero exit on any failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export NATTER_BUILD_DIR=${NATTER_BUILD_DIR:-$root/build}

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" --werror
# No DISPLAY from the desktop the command may be run on: the tests get their own
# Xvfb, and a notification daemon started on demand must not reach the real screen.
exec env -u DISPLAY -u WAYLAND_DISPLAY dbus-run-session -- "$root/scripts/test-session.sh" "$@"
