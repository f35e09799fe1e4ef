#!/usr/bin/env bash
# Builds the release app and the native binaries (unless SIGNALBOARD_DIST / SIGNALBOARD_BIN_DIR
# point at existing ones), then takes the README's screenshots into docs/ in the dark and light
# themes (scripts/docs-screenshots.cjs). Extra arguments go to the .cjs (--warmup S, --out DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/setup-tools.sh --test)"
if [ -z "${SIGNALBOARD_DIST:-}" ]; then
  trunk build --release
fi
if [ -z "${SIGNALBOARD_BIN_DIR:-}" ]; then
  cargo build --release --locked -p signalboard-demo -p signalboard-cli
fi
node scripts/docs-screenshots.cjs "$@"
