#!/usr/bin/env bash
# Builds the natter and natterd .debs from a build tree into OUT_DIR.
# Usage: build-debs.sh CPACK BUILD_DIR OUT_DIR
set -euo pipefail
cpack=$1 build=$2 out=$3
rm -rf "$out"
mkdir -p "$out"
cd "$build"
"$cpack" -G DEB -B "$out" --config "$build/CPackConfig.cmake"
shopt -s nullglob
debs=("$out"/natter_*.deb "$out"/natterd_*.deb)
if [ "${#debs[@]}" -ne 2 ]; then
    echo "expected natter_*.deb and natterd_*.deb in $out, got: ${debs[*]:-none}" >&2
    exit 1
fi
for deb in "${debs[@]}"; do
    echo "== $(basename "$deb")"
    dpkg-deb --field "$deb" Package Version Depends Recommends
    dpkg-deb --contents "$deb" | awk '{print $6}'
done
