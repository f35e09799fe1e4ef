#!/usr/bin/env bash
# Prints the release wasm sizes (raw and gzip) of dist/: the app and the scrape worker.
# Bundle size is a product feature.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
wasms=(dist/*.wasm)
if [ ${#wasms[@]} -eq 0 ]; then echo "no wasm in dist/ (run trunk build --release first)" >&2; exit 1; fi
for wasm in "${wasms[@]}"; do
  raw=$(stat -c %s "$wasm")
  gz=$(gzip -9 -c "$wasm" | wc -c)
  awk -v f="$(basename "$wasm")" -v r="$raw" -v g="$gz" 'BEGIN { printf "wasm size: %s raw %d bytes (%.1f KiB), gzip %d bytes (%.1f KiB)\n", f, r, r/1024, g, g/1024 }'
done
js=$(cat dist/*.js | wc -c)
echo "js glue (all scripts): $js bytes"
