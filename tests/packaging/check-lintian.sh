#!/usr/bin/env bash
# Runs lintian on the built .debs; any error fails, warnings are printed.
# Usage: check-lintian.sh PKG_DIR
set -euo pipefail
dir=$1
shopt -s nullglob
debs=("$dir"/natter_*.deb "$dir"/natterd_*.deb)
[ "${#debs[@]}" -eq 2 ] || { echo "no .debs in $dir (packaging_debs failed?)" >&2; exit 1; }
lintian --fail-on error --tag-display-limit 0 "${debs[@]}"
echo "lintian: no errors"
