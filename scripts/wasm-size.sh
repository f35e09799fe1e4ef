#!/usr/bin/env bash
# Prints the release wasm size (raw and gzip) of dist/. Bundle size is a product feature.
set -euo pipefail
cd "$(dirname "$0")/.."
wasm=$(ls dist/*.wasm 2>/dev/null | head -1)
if [ -z "$wasm" ]; then echo "no wasm in dist/ (run trunk build --release first)" >&2; exit 1; fi
raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
js=$(cat dist/*.js | wc -c)
awk -v f="$(basename "$wasm")" -v r="$raw" -v g="$gz" -v j="$js" 'BEGIN { printf "wasm size: %s raw %d bytes (%.1f KiB), gzip %d bytes (%.1f KiB); js glue %d bytes\n", f, r, r/1024, g, g/1024, j }'
