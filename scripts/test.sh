#!/usr/bin/env bash
# `make test`: every test layer, failing on the first failure.
#  0. format + clippy (-D warnings; unwrap/expect/indexing denied outside tests)
#  1. native cargo tests (core crates, CLI, demo service, the engine against a real Prometheus)
#  2. wasm-bindgen-test in headless Chromium (DOM, canvas, fetch); after the release build, the
#     PromQL benchmark queries timed in wasm (tests/web_bench.rs)
#  3. end-to-end: release dist/ on a sub-path + real demo service, driven by playwright-core
#  4. fuzz smoke run: every cargo-fuzz target for 20 s (scripts/fuzz-smoke.sh)
# Expects the tool PATH from `scripts/setup-tools.sh --test` (the Makefile does that), which also
# installs the Debian packages the tests drive (chromium, prometheus, node_exporter, curl).
set -euo pipefail
cd "$(dirname "$0")/.."
step() { echo; echo "=== $* ==="; }
# Disk: incremental caches are for the edit loop, not for one full run. With
# SIGNALBOARD_PRUNE=1 (set by .ci/run) each layer's build products go once no later layer
# needs them, so the peak is one layer's build, not the sum of all of them.
export CARGO_INCREMENTAL=0
prune() {
  if [ "${SIGNALBOARD_PRUNE:-0}" = 1 ]; then
    for d in "$@"; do rm -rf "$d"; done
    echo "pruned $*; disk: $(df -h --output=avail . | tail -n 1 | tr -d ' ') free"
  fi
}

step "format and lint"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings

step "layer 1: native tests"
# The PromQL engine is checked against a real Prometheus server (crates/cli/tests/bench_query.rs).
export SIGNALBOARD_REQUIRE_PROMETHEUS=1
cargo test --workspace --locked
prune target/debug

step "layer 2: wasm-bindgen-test in headless Chromium"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export WASM_BINDGEN_TEST_TIMEOUT=60
cargo test --locked --target wasm32-unknown-unknown -p signalboard --test web
prune target/wasm32-unknown-unknown/debug

step "build: release app and native binaries"
trunk build --release
scripts/wasm-size.sh
cargo build --release --locked -p signalboard-demo -p signalboard-cli -p signalboard-faultserver

step "layer 2b: dashboard query benchmark in wasm (release build; prints ms per query)"
cargo test --profile wasm-release --locked --target wasm32-unknown-unknown -p signalboard --test web_bench -- --nocapture
prune target/wasm32-unknown-unknown

step "layer 3: end-to-end in headless Chromium"
node --test --test-concurrency=1 tests/e2e/*.test.cjs
prune target

step "layer 4: fuzz smoke run"
scripts/fuzz-smoke.sh
