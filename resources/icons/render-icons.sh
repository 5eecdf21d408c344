#!/usr/bin/env bash
# Renders natter.svg to the hicolor PNG sizes installed by the natter package.
# The PNGs are committed (generated files), so building needs no SVG renderer;
# run this again after changing natter.svg. Needs rsvg-convert (librsvg2-bin).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for size in 16 22 24 32 48 64 128 256; do
    out=$here/hicolor/${size}x${size}/apps
    mkdir -p "$out"
    rsvg-convert -w "$size" -h "$size" "$here/natter.svg" -o "$out/natter.png"
done
