#!/usr/bin/env bash
# Installs the Debian 12 packages the benchmarks need beyond scripts/install-deps.sh:
# the side-by-side kit in ../shared/bench-peers (docs/benchmarks.md) runs a python
# `websockets` relay on /usr/bin/python3 and drives everything with node + npm.
# Not part of the build or the test run. Idempotent and non-interactive: a no-op
# when everything is already installed.
set -euo pipefail

packages=(
    # the kit's python peer server (asyncio + websockets 10.4)
    python3-websockets
    # the kit's runner measures with these
    curl iproute2
    # profiling the server (docs/benchmarks.md, "Lighter and faster")
    valgrind heaptrack
)
# node + npm run the load generator and the node peer (the kit was written
# against node 20; Debian 12 has 18). Only installed when no node is on PATH.
if ! command -v node >/dev/null 2>&1; then
    packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    sudo=sudo
else
    sudo=
fi

echo "Installing missing packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
