#!/usr/bin/env bash
# Cross-checks the demo service against a REAL Prometheus server: starts signalboard-demo and
# Prometheus (scraping it every second), cycles through every scenario and asserts with PromQL
# that each one pushes its golden signal past the usual alarm line. Takes about 2.5 minutes.
#
#   scripts/demo-prometheus-check.sh            # builds the demo (debug) if needed
#   DEMO_BIN=path/to/signalboard-demo scripts/demo-prometheus-check.sh
#
# Needs `prometheus` and `promtool` (Debian: apt-get install -y prometheus) and curl.
# Exit 0 when every check passed, 1 when one failed or a tool is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WINDOW="${WINDOW:-15}"      # seconds of data each check looks at
SETTLE="${SETTLE:-20}"      # seconds to run each scenario before checking
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

for tool in prometheus promtool curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y prometheus curl)" >&2; exit 1; }
done

if [[ -z "${DEMO_BIN:-}" ]]; then
  (cd "$ROOT" && cargo build -q -p signalboard-demo)
  DEMO_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/signalboard-demo"
fi

"$DEMO_BIN" --listen 127.0.0.1:0 >"$WORK/demo.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do grep -q "listening on" "$WORK/demo.log" && break; sleep 0.1; done
DEMO="$(sed -n 's/^signalboard-demo listening on http:\/\///p' "$WORK/demo.log")"
[[ -n "$DEMO" ]] || { echo "demo did not start:"; cat "$WORK/demo.log"; exit 1; }

PROM_PORT="${PROM_PORT:-19190}"
cat >"$WORK/prometheus.yml" <<YAML
global: { scrape_interval: 1s, evaluation_interval: 1s }
scrape_configs:
  - job_name: demo
    static_configs: [ { targets: ["$DEMO"] } ]
YAML
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/data" \
  --web.listen-address="127.0.0.1:$PROM_PORT" >"$WORK/prometheus.log" 2>&1 &
PIDS+=($!)
PROM="http://127.0.0.1:$PROM_PORT"
for _ in $(seq 100); do curl -sf "$PROM/-/ready" >/dev/null && break; sleep 0.2; done
echo "demo on http://$DEMO, prometheus on $PROM"

# Prints the single value of an instant query ("none" when the result is empty).
query() {
  local out
  out="$(promtool query instant "$PROM" "$1" 2>&1 | head -n1 | sed -n 's/.*=> \([^ ]*\) @\[.*/\1/p')"
  if [[ "$out" =~ ^[-+0-9.eE]+$|^[-+]?Inf$ ]]; then echo "$out"; else echo none; fi
}

FAILED=0
# check NAME EXPR OP THRESHOLD  (OP is one of > < >= <= ==)
check() {
  local name="$1" expr="$2" op="$3" want="$4" got ok
  got="$(query "$expr")"
  if [[ "$got" == none ]]; then ok=0
  else ok="$(awk -v g="$got" -v w="$want" -v op="$op" 'BEGIN {
    r = (op == ">") ? g > w : (op == "<") ? g < w : (op == ">=") ? g >= w : (op == "<=") ? g <= w : g == w
    print r ? 1 : 0 }')"
  fi
  if [[ "$ok" == 1 ]]; then echo "  ok    $name: $got $op $want"
  else echo "  FAIL  $name: got $got, want $op $want   [$expr]"; FAILED=1; fi
}

health_is() {
  local code
  code="$(curl -s -o /dev/null -w '%{http_code}' "http://$DEMO/health")"
  if [[ "$code" == "$1" ]]; then echo "  ok    /health answers $code"
  else echo "  FAIL  /health answers $code, want $1"; FAILED=1; fi
}

P95="histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[${WINDOW}s])))"
# `or vector(0)`: before the first 5xx the numerator has no series at all.
ERR5="(sum(rate(http_requests_total{status=~\"5..\"}[${WINDOW}s])) or vector(0)) / sum(rate(http_requests_total[${WINDOW}s]))"
POOL="max(max_over_time(db_connections_in_use[${WINDOW}s])) / max(db_connection_pool_size)"
QUEUE="max(avg_over_time(db_connections_waiting[${WINDOW}s]))"

scenario() {
  curl -sf -X POST "http://$DEMO/admin/scenario/$1" >/dev/null
  echo "== $1 (running ${SETTLE}s)"
  sleep "$SETTLE"
}

scenario normal
check "traffic (req/s)" "sum(rate(http_requests_total[${WINDOW}s]))" ">" 10
check "p95 latency (s)" "$P95" "<" 0.5
check "5xx ratio" "$ERR5" "<" 0.02
check "scenario gauge" 'demo_scenario{scenario="normal"}' "==" 1
health_is 200

scenario degraded
check "p95 latency (s) above the warning line" "$P95" ">" 0.5
check "p95 latency (s) below the alarm line" "$P95" "<" 1
check "pool usage (avg/size)" "max(avg_over_time(db_connections_in_use[${WINDOW}s])) / max(db_connection_pool_size)" ">=" 0.6
check "5xx ratio below the alarm-burst level" "$ERR5" "<" 0.03

scenario latency-spike
check "p95 latency (s)" "$P95" ">" 1

scenario error-burst
check "5xx ratio" "$ERR5" ">" 0.10
check "internal errors/s" 'sum(rate(app_errors_total{type="internal"}[15s]))' ">" 0

scenario pool-saturation
check "pool usage (max/size)" "$POOL" ">=" 0.9
check "requests queued for a connection (avg)" "$QUEUE" ">" 0
check "p95 latency (s)" "$P95" ">" 0.5

scenario dependency-down
check "5xx ratio" "$ERR5" ">" 0.5
check "database up gauge" 'demo_dependency_up{dependency="database"}' "==" 0
health_is 503

scenario normal
check "5xx ratio after recovery" "$ERR5" "<" 0.05
health_is 200

if [[ "$FAILED" == 0 ]]; then echo "all demo scenario checks passed against Prometheus"; else echo "some checks FAILED"; fi
exit "$FAILED"
