#!/usr/bin/env bash
# Build the parser for wasm32 and time it in V8 (node) next to the native parse_file example.
# Usage: crates/exposition/wasm-bench/run.sh FILE [REPEAT]
# Needs the wasm32-unknown-unknown target, wasm-bindgen-cli 0.2.130 (scripts/setup-tools.sh) and node.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
file="$1"; repeat="${2:-5}"
target="${CARGO_TARGET_DIR:-${TMPDIR:-/tmp}/signalboard-wasm-bench}"
bindgen="${WASM_BINDGEN:-$(command -v wasm-bindgen || echo "$HOME/.cache/signalboard/wasm-bindgen-0.2.130/bin/wasm-bindgen")}"
CARGO_TARGET_DIR="$target" cargo build -q --release --target wasm32-unknown-unknown --manifest-path "$here/Cargo.toml"
"$bindgen" --target nodejs --out-dir "$target/pkg" "$target/wasm32-unknown-unknown/release/exposition_wasm_bench.wasm"
node "$here/bench.js" "$target/pkg" "$file" "$repeat"
CARGO_TARGET_DIR="$target" cargo run -q --release --manifest-path "$here/../Cargo.toml" --example parse_file -- "$file" "$repeat"
