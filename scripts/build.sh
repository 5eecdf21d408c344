#!/usr/bin/env bash
# Configures and builds Natter with Ninja into ./build (or $NATTER_BUILD_DIR).
# Usage: scripts/build.sh [--werror] [extra cmake args...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${NATTER_BUILD_DIR:-$root/build}
werror=OFF
if [ "${1:-}" = "--werror" ]; then
    werror=ON
    shift
fi
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DNATTER_WERROR="$werror" "$@" >/dev/null
cmake --build "$build" -j2
