#!/usr/bin/env bash
# Installs the build tools Signalboard needs, idempotently, into a per-user cache
# outside the clone (CI runs each submission in a fresh clone on the same machine,
# so a cache inside the clone would rebuild trunk + wasm-bindgen-cli every time).
# Prints `export PATH=...` lines usable with eval; all progress goes to stderr.
#
#   eval "$(scripts/setup-tools.sh)"          # build tools
#   eval "$(scripts/setup-tools.sh --test)"   # build tools + Chromium, chromedriver, prometheus,
#                                             # node_exporter, playwright-core
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
TOOLS="${SIGNALBOARD_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/signalboard}"
TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
CARGO_FUZZ_VERSION=0.13.2
log() { echo "[setup] $*" >&2; }
mkdir -p "$TOOLS"

# wasm-bindgen-cli must match the wasm-bindgen version in Cargo.lock exactly.
wb_version() {
  awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' "$here/Cargo.lock"
}

if ! rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown >&2
fi

trunk_dir="$TOOLS/trunk-$TRUNK_VERSION"
if [ ! -x "$trunk_dir/bin/trunk" ]; then
  log "installing trunk $TRUNK_VERSION (first time: ~8 min)"
  cargo install trunk --version "$TRUNK_VERSION" --locked --root "$trunk_dir" >&2
fi

if [ ! -f "$here/Cargo.lock" ]; then
  (cd "$here" && cargo generate-lockfile >&2)
fi
WB="$(wb_version)"
wb_dir="$TOOLS/wasm-bindgen-$WB"
if [ ! -x "$wb_dir/bin/wasm-bindgen" ]; then
  log "installing wasm-bindgen-cli $WB (first time: ~3 min)"
  # --locked fails here: a locked dependency is missing from the registry mirror.
  cargo install wasm-bindgen-cli --version "$WB" --root "$wb_dir" >&2
fi

bin_dir="$TOOLS/binaryen-$BINARYEN_VERSION"
if [ ! -x "$bin_dir/node_modules/.bin/wasm-opt" ]; then
  log "installing wasm-opt (npm binaryen@$BINARYEN_VERSION)"
  mkdir -p "$bin_dir"
  (cd "$bin_dir" && npm install --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION" >&2)
fi

path="$trunk_dir/bin:$wb_dir/bin:$bin_dir/node_modules/.bin"

if [ "${1:-}" = "--test" ]; then
  # Debian packages the tests drive: Chromium + chromedriver, a real Prometheus server (the
  # API-datasource tests) and node_exporter (a real exporter to scrape).
  need=()
  command -v chromium >/dev/null || need+=(chromium)
  command -v chromedriver >/dev/null || need+=(chromium-driver)
  command -v prometheus >/dev/null || need+=(prometheus)
  command -v promtool >/dev/null || need+=(prometheus)
  command -v prometheus-node-exporter >/dev/null || need+=(prometheus-node-exporter)
  command -v curl >/dev/null || need+=(curl)
  if [ "${#need[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      log "installing from Debian: ${need[*]}"
      apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
    else
      log "missing and not root: install the Debian packages ${need[*]}"
      exit 1
    fi
  fi
  pw_dir="$TOOLS/node-test"
  if [ ! -d "$pw_dir/node_modules/playwright-core" ]; then
    log "installing playwright-core (npm)"
    mkdir -p "$pw_dir"
    (cd "$pw_dir" && npm install --no-audit --no-fund --silent playwright-core@1 >&2)
  fi
  fuzz_dir="$TOOLS/cargo-fuzz-$CARGO_FUZZ_VERSION"
  if [ ! -x "$fuzz_dir/bin/cargo-fuzz" ]; then
    log "installing cargo-fuzz $CARGO_FUZZ_VERSION (first time: ~3 min)"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --root "$fuzz_dir" >&2
  fi
  path="$path:$fuzz_dir/bin"
  echo "export NODE_PATH=\"$pw_dir/node_modules\""
  echo "export CHROMEDRIVER=\"$(command -v chromedriver)\""
fi
echo "export PATH=\"$path:\$PATH\""
