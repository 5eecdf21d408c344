#!/usr/bin/env bash
# Runs inside `dbus-run-session` (see scripts/test.sh): gives the tests a fresh
# HOME, an unlocked gnome-keyring serving org.freedesktop.secrets on this private
# bus, and an Xvfb display, then runs ctest. Nothing here touches the user's own
# keyring, settings or data.
set -euo pipefail
build=${NATTER_BUILD_DIR:?}

scratch=$(mktemp -d /tmp/natter-test.XXXXXX)
cleanup() {
    [ -n "${keyring_pid:-}" ] && kill "$keyring_pid" 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT

export HOME=$scratch/home
export XDG_CONFIG_HOME=$scratch/config XDG_DATA_HOME=$scratch/data
export XDG_CACHE_HOME=$scratch/cache XDG_RUNTIME_DIR=$scratch/runtime
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

# A locked keyring under Xvfb opens an invisible unlock prompt and hangs: unlock
# it up front with a throwaway password.
eval "$(printf 'natter-test' | gnome-keyring-daemon --daemonize --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
keyring_pid=${GNOME_KEYRING_PID:-}

for _ in $(seq 1 100); do
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null \
        | grep -q 'boolean true'; then
        break
    fi
    sleep 0.1 # polling an external daemon's bus name; no signal to wait on from bash
done

cd "$build"
status=0
xvfb-run -a -s "-screen 0 1280x1024x24" \
    ctest --output-on-failure --timeout 600 -j2 "$@" || status=$?
exit $status
