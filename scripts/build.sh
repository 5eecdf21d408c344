#!/usr/bin/env bash
# Configures and builds Natter with Ninja into ./build (or $NATTER_BUILD_DIR).
# Usage: scripts/build.sh [--werror] [target...]
#   --werror   turn compiler warnings into errors (the test command does)
#   target...  build only these targets (default: everything)
# Without --werror an existing build keeps its setting, so running the demo after
# the tests does not rebuild everything.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${NATTER_BUILD_DIR:-$root/build}
args=()
if [ "${1:-}" = "--werror" ]; then
    args+=(-DNATTER_WERROR=ON)
    shift
fi
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${args[@]}" >/dev/null
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build "$build" -j2 "${targets[@]}"
