#!/usr/bin/env bash
# Time the wasm parser in headless Chromium: crates/exposition/wasm-bench/run-chromium.sh FILE [REPEAT]
# Needs the wasm32 target, wasm-bindgen-cli 0.2.130, chromium and python3 (static file server).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
file="$1"; repeat="${2:-5}"; port="${PORT:-18931}"
target="${CARGO_TARGET_DIR:-${TMPDIR:-/tmp}/signalboard-wasm-bench}"
site="$target/site"
bindgen="${WASM_BINDGEN:-$(command -v wasm-bindgen || echo "$HOME/.cache/signalboard/wasm-bindgen-0.2.130/bin/wasm-bindgen")}"
CARGO_TARGET_DIR="$target" cargo build -q --release --target wasm32-unknown-unknown --manifest-path "$here/Cargo.toml"
mkdir -p "$site"
"$bindgen" --target web --out-dir "$site/pkg" "$target/wasm32-unknown-unknown/release/exposition_wasm_bench.wasm"
cp "$here/page.html" "$site/index.html"
cp "$file" "$site/input.prom"
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$site" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 1
# The page logs its result to the console; wait for it, then stop the browser.
log="$target/chromium.log"
chromium --headless=new --no-sandbox --disable-gpu --enable-logging=stderr --v=0 \
  --user-data-dir="$target/chromium-profile" "http://127.0.0.1:$port/index.html?repeat=$repeat" 2>"$log" &
browser=$!
trap 'kill $server $browser 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  if grep -q 'chromium-wasm samples' "$log"; then break; fi
  sleep 0.5
done
grep -o 'chromium-wasm samples[^"]*' "$log" | head -1
