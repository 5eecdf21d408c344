#!/usr/bin/env bash
# Runs the demo (see scripts/demo.sh). With --private it runs inside its own
# D-Bus session: fresh HOME, an unlocked throwaway gnome-keyring, and Xvfb when
# there is no display.
set -euo pipefail
build=${NATTER_BUILD_DIR:?}
port=${NATTER_DEMO_PORT:-8080}
demo=${NATTER_DEMO_DIR:-$(mktemp -d /tmp/natter-demo.XXXXXX)}
mkdir -p "$demo"
pids=()
keyring_pid=
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    # The throwaway keyring of --private is ours too: nothing stays behind.
    [ -n "$keyring_pid" ] && kill "$keyring_pid" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap cleanup EXIT

if [ "${1:-}" = "--private" ]; then
    export HOME=$demo/home XDG_CONFIG_HOME=$demo/home/.config XDG_DATA_HOME=$demo/home/.local/share
    export XDG_RUNTIME_DIR=$demo/runtime
    mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
    eval "$(printf 'natter-demo' | gnome-keyring-daemon --daemonize --unlock --components=secrets)"
    keyring_pid=${GNOME_KEYRING_PID:-}
fi

# 1. The server, with demo data. Its log goes to a file; its stdout carries the
#    demo passwords (the only place natterd ever prints a password).
"$build/server/natterd" --demo --data-dir "$demo/server" --listen "127.0.0.1:$port" \
    >"$demo/natterd.out" 2>"$demo/natterd.log" &
pids+=($!)
for _ in $(seq 1 100); do
    grep -q 'event=listening' "$demo/natterd.log" 2>/dev/null && break
    if ! kill -0 "${pids[0]}" 2>/dev/null; then
        echo "natterd did not start:" >&2
        cat "$demo/natterd.log" >&2
        exit 1
    fi
    sleep 0.1
done
url=$(grep -o 'url=http://[^ ]*' "$demo/natterd.log" | head -n1 | cut -d= -f2)
password() { awk -v u="$1" '$1 == "demo-user" && $2 == u { print $3 }' "$demo/natterd.out"; }

echo
echo "natterd is running at $url (data in $demo/server, log in $demo/natterd.log)"
echo "Demo accounts:"
for u in alice bob carol; do printf '  %-6s password: %s\n' "$u" "$(password "$u")"; done
echo

# 2. A virtual display when there is no real one.
headless=0
if [ -z "${DISPLAY:-}" ]; then
    headless=1
    # Xvfb picks a free display itself and writes its number once it accepts
    # connections (-displayfd), so two demos (or a test run) never collide.
    Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp \
        3>"$demo/xvfb.display" >"$demo/xvfb.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 100); do [ -s "$demo/xvfb.display" ] && break; sleep 0.1; done
    if ! [ -s "$demo/xvfb.display" ]; then
        echo "Xvfb did not start:" >&2
        cat "$demo/xvfb.log" >&2
        exit 1
    fi
    export DISPLAY=":$(head -n1 "$demo/xvfb.display")"
fi

# Something to look at: carol says hello through natter-cli before the windows open.
password carol | "$build/app/cli/natter-cli" --server "$url" --profile demo-carol login carol >/dev/null
"$build/app/cli/natter-cli" --server "$url" --profile demo-carol send general \
    "Hello from carol — try typing in one window and watch the other." >/dev/null || true

# 3. Two windows, alice and bob, each in its own profile.
for u in alice bob; do
    args=(--profile "demo-$u" --server "$url" --user "$u" --password-stdin)
    [ "$headless" = 1 ] && args+=(--screenshot "$demo/$u.png")
    password "$u" | "$build/app/natter" "${args[@]}" >"$demo/natter-$u.log" 2>&1 &
    pids+=($!)
done

if [ "$headless" = 1 ]; then
    echo "No display: the windows run under Xvfb ($DISPLAY)."
    # Each window writes its picture once it is signed in and has the
    # conversation, under a temporary name renamed into place: a file under its
    # own name is complete. Wait for both (at most 60 s), then stop everything.
    for _ in $(seq 1 600); do
        [ -s "$demo/alice.png" ] && [ -s "$demo/bob.png" ] && break
        sleep 0.1
    done
    if ! [ -s "$demo/alice.png" ] || ! [ -s "$demo/bob.png" ]; then
        echo "The windows did not save their screenshots; their logs:" >&2
        cat "$demo/natter-alice.log" "$demo/natter-bob.log" >&2
        exit 1
    fi
    echo "Screenshots: $demo/alice.png and $demo/bob.png"
    echo "To use the windows yourself, run this on a machine with a display."
    exit 0
fi

echo "Two natter windows are open (alice and bob). Close them, or press Ctrl+C, to stop."
wait "${pids[1]}" "${pids[2]}" 2>/dev/null || true
