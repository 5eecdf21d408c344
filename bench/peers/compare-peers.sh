#!/bin/bash
# natterd before/after beside the node `ws` and python `websockets` relays, in one
# run of the shared kit (../shared/bench-peers, README there; docs/benchmarks.md,
# "Lighter and faster").
#
#   bench/peers/compare-peers.sh BEFORE_NATTERD AFTER_NATTERD
#
# Copies the kit to a temporary directory (the shared one may be read-only), runs
# `npm ci` there (needs the npm registry or its cache; package-lock.json pins ws),
# labels the two natterd rows natterd-before / natterd-after (the kit calls every
# natterd row "natterd") and runs them first and second, then node and python.
# The kit's knobs pass through the environment (SCENARIOS, IDLE_CONNS, FAN_T, ...).
# Prints `uptime` before and after and the kit's table; results stay in the
# kit's result directory ($TMPDIR/bench-peers-results/<time>/). Needs
# scripts/install-bench-deps.sh (python3-websockets) and node + npm.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kit_src=${BENCH_PEERS:-$here/../../../shared/bench-peers}
before=$(realpath "$1")
after=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$kit_src/." "$work/kit"
(cd "$work/kit" && npm ci --no-audit --no-fund >/dev/null)
sed -i 's|natterd=\*) SNAME=natterd ;;|natterd=*) SNAME=$(basename "${KIND#natterd=}") ;;|' \
    "$work/kit/run_compare.sh"
mkdir "$work/bin"
cp "$before" "$work/bin/natterd-before"
cp "$after" "$work/bin/natterd-after"
echo "load before: $(uptime)"
"$work/kit/run_compare.sh" "natterd=$work/bin/natterd-before" "natterd=$work/bin/natterd-after" \
    node python
echo "load after: $(uptime)"
