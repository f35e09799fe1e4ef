#!/usr/bin/env bash
# `make run`: starts the demo service and a static server for dist/, prints the URL, and
# stops both on Ctrl-C. Usage: scripts/run.sh DEMO_ADDR PORT
set -euo pipefail
cd "$(dirname "$0")/.."
demo_addr="${1:-127.0.0.1:8000}"
port="${2:-8080}"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM
target/release/signalboard-demo --listen "$demo_addr" &
pids+=($!)
target/release/signalboard-cli serve --dist dist --listen "127.0.0.1:$port" &
pids+=($!)
sleep 1
echo
echo "Signalboard is running: http://127.0.0.1:$port/"
echo "  demo service:  http://$demo_addr/metrics   (scenarios: curl -X POST http://$demo_addr/admin/scenario/error-burst)"
echo "  press Ctrl-C to stop"
wait -n "${pids[@]}"
