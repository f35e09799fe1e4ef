#!/usr/bin/env bash
# Capture real /metrics output of client libraries into crates/exposition/tests/fixtures/clients/.
# Each client runs a small instrumented program (scripts/fixture-capture/) on a local port and is
# scraped with curl, once as Prometheus text and once asking for OpenMetrics where supported.
# Needs: python3 + pip prometheus-client fastapi prometheus-fastapi-instrumentator uvicorn,
# golang-go + golang-github-prometheus-client-golang-dev (Debian), node + npm (prom-client is
# installed into the work dir), cargo (prometheus-client crate), prometheus-node-exporter (Debian).
# A missing toolchain skips that client with a message; the captures are committed.
#
# `--golden` instead captures the golden-signal fixtures into crates/golden/tests/fixtures/NAME/:
# each client runs an instrumented service with traffic (scripts/fixture-capture/golden/; real
# HTTP driven by load.py where the library instruments a server, simulated requests otherwise)
# and is scraped twice, 15 s of traffic apart, with Prometheus's Accept header. Extra needs:
# pip opentelemetry-exporter-prometheus opentelemetry-sdk; the demo service (DEMO_BIN, or built
# with cargo). Java Micrometer is hand-written (Maven Central is unreachable) by a generator.
# Then refresh the golden outputs: UPDATE_GOLDEN=1 cargo test -p signalboard-golden --test fixtures.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
here="$root/scripts/fixture-capture"
out="$root/crates/exposition/tests/fixtures/clients"
work="${TMPDIR:-/tmp}/signalboard-fixture-capture"
mkdir -p "$out" "$work"
text_accept='text/plain;version=0.0.4'
# The Accept header Prometheus 3.x sends (older client_golang only offers OpenMetrics 0.0.1).
om_accept='application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2'
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_for() {
  for _ in $(seq 1 150); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done
  echo "timed out waiting for $1" >&2; return 1
}

# capture NAME URL ACCEPT: write NAME.prom (text) or NAME.openmetrics.prom, by the Content-Type
# the server actually answered with.
capture() {
  local name=$1 url=$2 accept=$3 tmp="$work/body" ctype
  ctype=$(curl -fsS -H "Accept: $accept" -o "$tmp" -w '%{content_type}' "$url")
  local file="$name.prom"
  case "$ctype" in application/openmetrics-text*) file="$name.openmetrics.prom" ;; esac
  if [ "$accept" = "$om_accept" ] && [ "$file" = "$name.prom" ]; then
    echo "$name: no OpenMetrics offered (Content-Type: $ctype)"; return 0
  fi
  mv "$tmp" "$out/$file"
  echo "$file: $(wc -l < "$out/$file") lines, Content-Type: $ctype"
}

serve_and_capture() { # NAME PORT PATH -- command...
  local name=$1 port=$2 path=$3; shift 4
  "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
  local url="http://127.0.0.1:$port$path"
  if ! wait_for "$url"; then tail -3 "$work/$name.log" >&2; kill "${pids[-1]}" 2>/dev/null; return 0; fi
  if [ "$name" = "python-fastapi-instrumentator" ]; then
    for id in 1 2 3 500; do curl -s -o /dev/null "http://127.0.0.1:$port/items/$id"; done
  fi
  capture "$name" "$url" "$text_accept"
  capture "$name" "$url" "$om_accept"
  kill "${pids[-1]}" 2>/dev/null || true
}

if [ "${1:-}" = "--golden" ]; then
  golden="$here/golden"
  gout="$root/crates/golden/tests/fixtures"
  # golden_capture NAME PORT PATH LOAD_PATHS -- command...: start, (drive load), scrape, wait
  # 15 s, scrape again. LOAD_PATHS empty = the program makes its own traffic.
  golden_capture() {
    local name=$1 port=$2 path=$3 load=$4; shift 5
    "$@" >"$work/golden-$name.log" 2>&1 &
    pids+=($!)
    local pid=$! url="http://127.0.0.1:$port$path"
    if ! wait_for "$url"; then tail -3 "$work/golden-$name.log" >&2; kill "$pid" 2>/dev/null; return 0; fi
    if [ -n "$load" ]; then
      # shellcheck disable=SC2086 # LOAD_PATHS is a word list
      python3 "$golden/load.py" "http://127.0.0.1:$port" 22 $load &
      pids+=($!)
    fi
    mkdir -p "$gout/$name"
    sleep 4
    curl -fsS -H "Accept: $om_accept" -o "$gout/$name/scrape1.prom" "$url"
    sleep 15
    curl -fsS -H "Accept: $om_accept" -o "$gout/$name/scrape2.prom" "$url"
    kill "$pid" 2>/dev/null || true
    echo "$name: $(wc -c < "$gout/$name/scrape1.prom") + $(wc -c < "$gout/$name/scrape2.prom") bytes"
  }
  if python3 -c 'import prometheus_client' 2>/dev/null; then
    golden_capture python-prometheus_client 19201 /metrics "" -- python3 "$golden/python_client.py" 19201
  else echo "python prometheus_client skipped: pip install prometheus-client"; fi
  if python3 -c 'import fastapi, prometheus_fastapi_instrumentator, uvicorn' 2>/dev/null; then
    golden_capture python-fastapi-instrumentator 19202 /metrics "/items/{n} /items/{n} /search" -- \
      python3 "$golden/fastapi_app.py" 19202
  else echo "fastapi instrumentator skipped: pip install fastapi prometheus-fastapi-instrumentator uvicorn"; fi
  if python3 -c 'import opentelemetry.exporter.prometheus' 2>/dev/null; then
    golden_capture python-opentelemetry 19203 /metrics "" -- python3 "$golden/otel_app.py" 19203
  else echo "opentelemetry skipped: pip install opentelemetry-exporter-prometheus opentelemetry-sdk"; fi
  if command -v go >/dev/null && [ -d /usr/share/gocode/src/github.com/prometheus/client_golang ]; then
    (cd "$golden/go-service" && GOPATH=/usr/share/gocode GO111MODULE=off go build -o "$work/go-service" .)
    golden_capture go-client_golang 19204 /metrics "/api/users /api/orders /api/search" -- "$work/go-service" 19204
  else echo "client_golang skipped: apt-get install golang-go golang-github-prometheus-client-golang-dev"; fi
  if command -v node >/dev/null && command -v npm >/dev/null; then
    [ -d "$work/node/node_modules/prom-client" ] || npm install --silent --prefix "$work/node" prom-client
    NODE_PATH="$work/node/node_modules" golden_capture node-prom-client 19205 /metrics "" -- \
      node "$golden/node_client.js" 19205
  else echo "node prom-client skipped: install node and npm"; fi
  demo="${DEMO_BIN:-}"
  if [ -z "$demo" ] && command -v cargo >/dev/null; then
    cargo build -q --release -p signalboard-demo --manifest-path "$root/Cargo.toml" && demo="$root/target/release/signalboard-demo"
  fi
  if [ -n "$demo" ]; then
    golden_capture rust-prometheus-client 19206 /metrics "" -- "$demo" --listen 127.0.0.1:19206 --rps 30 --error-rate 0.05 --seed 7
  else echo "rust prometheus-client (demo service) skipped: no cargo and no DEMO_BIN"; fi
  if command -v prometheus-node-exporter >/dev/null; then
    golden_capture node_exporter 19207 /metrics "" -- prometheus-node-exporter --web.listen-address=127.0.0.1:19207 \
      --collector.disable-defaults --collector.cpu --collector.meminfo --collector.filesystem --collector.loadavg
  else echo "node_exporter skipped: apt-get install prometheus-node-exporter"; fi
  mkdir -p "$gout/java-micrometer"
  python3 "$golden/micrometer_handwritten.py" "$gout/java-micrometer"
  echo "java-micrometer: hand-written"
  exit 0
fi

if python3 -c 'import prometheus_client' 2>/dev/null; then
  serve_and_capture python-prometheus_client 19101 /metrics -- python3 "$here/python_client.py" 19101
else echo "python prometheus_client skipped: pip install prometheus-client"; fi

if python3 -c 'import fastapi, prometheus_fastapi_instrumentator, uvicorn' 2>/dev/null; then
  serve_and_capture python-fastapi-instrumentator 19102 /metrics -- python3 "$here/fastapi_app.py" 19102
else echo "fastapi instrumentator skipped: pip install fastapi prometheus-fastapi-instrumentator uvicorn"; fi

if command -v go >/dev/null && [ -d /usr/share/gocode/src/github.com/prometheus/client_golang ]; then
  (cd "$here/go-client" && GOPATH=/usr/share/gocode GO111MODULE=off go build -o "$work/go-client" .)
  serve_and_capture go-client_golang 19103 /metrics -- "$work/go-client" 19103
else echo "client_golang skipped: apt-get install golang-go golang-github-prometheus-client-golang-dev"; fi

if command -v node >/dev/null && command -v npm >/dev/null; then
  [ -d "$work/node/node_modules/prom-client" ] || npm install --silent --prefix "$work/node" prom-client
  NODE_PATH="$work/node/node_modules" serve_and_capture node-prom-client 19104 /metrics -- node "$here/node_client.js" 19104
else echo "node prom-client skipped: install node and npm"; fi

if command -v cargo >/dev/null; then
  # The crate encodes OpenMetrics only; this is exactly the body its /metrics handler serves.
  CARGO_TARGET_DIR="$work/rust-target" cargo run -q --manifest-path "$here/rust-client/Cargo.toml" \
    > "$out/rust-prometheus-client.openmetrics.prom"
  echo "rust-prometheus-client.openmetrics.prom: $(wc -l < "$out/rust-prometheus-client.openmetrics.prom") lines"
else echo "rust prometheus-client skipped: no cargo"; fi

if command -v prometheus-node-exporter >/dev/null; then
  serve_and_capture node_exporter 19105 /metrics -- prometheus-node-exporter --web.listen-address=127.0.0.1:19105
else echo "node_exporter skipped: apt-get install prometheus-node-exporter"; fi
