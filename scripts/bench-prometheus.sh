#!/usr/bin/env bash
# Runs range queries on a real Prometheus server over an OpenMetrics file, for
# `signalboard-cli bench query --prometheus` (which writes the file and reads the results),
# or standalone:
#
#   scripts/bench-prometheus.sh OM_FILE WORKDIR PORT REPEAT START END STEP NAME=QUERY...
#
# Loads OM_FILE with `promtool tsdb create-blocks-from openmetrics` into WORKDIR/data, starts
# `prometheus` on 127.0.0.1:PORT over it (no scrape targets; retention far larger than the
# data's age, since blocks may start in 1970), runs each query twice to warm up and then
# REPEAT times through /api/v1/query_range with stats=all (START/END in seconds, STEP a
# duration), writes each timed response to WORKDIR/NAME.N.json and prints
# `NAME run=N evalTotalTime=S innerEvalTime=S` per run. Stops the server on exit.
set -euo pipefail

if [ "$#" -lt 8 ]; then
  sed -n '2,13p' "$0" >&2
  exit 2
fi
om_file=$1 workdir=$2 port=$3 repeat=$4 start=$5 end=$6 step=$7
shift 7

for tool in promtool prometheus curl; do
  command -v "$tool" >/dev/null || { echo "bench-prometheus: $tool not found on PATH (Debian: apt-get install prometheus curl)" >&2; exit 3; }
done

mkdir -p "$workdir"
rm -rf "$workdir/data"
promtool tsdb create-blocks-from openmetrics "$om_file" "$workdir/data" >"$workdir/promtool.log" 2>&1 ||
  { tail -n 5 "$workdir/promtool.log" >&2; exit 1; }
printf 'global: {}\n' >"$workdir/prometheus.yml"

prometheus --config.file="$workdir/prometheus.yml" --storage.tsdb.path="$workdir/data" \
  --storage.tsdb.retention.time=100y --web.listen-address="127.0.0.1:$port" \
  >"$workdir/prometheus.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true' EXIT

base="http://127.0.0.1:$port"
for _ in $(seq 150); do
  curl -sf "$base/-/ready" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { tail -n 5 "$workdir/prometheus.log" >&2; exit 1; }
  sleep 0.2
done
curl -sf "$base/-/ready" >/dev/null || { echo "bench-prometheus: server not ready" >&2; exit 1; }

query() { # NAME QUERY OUTFILE
  curl -sf "$base/api/v1/query_range" --data-urlencode "query=$2" \
    -d "start=$start" -d "end=$end" -d "step=$step" -d stats=all -o "$3" ||
    { echo "bench-prometheus: query $1 failed" >&2; exit 1; }
}

for spec in "$@"; do
  name=${spec%%=*} expr=${spec#*=}
  query "$name" "$expr" "$workdir/$name.warm.json"
  query "$name" "$expr" "$workdir/$name.warm.json"
  for n in $(seq "$repeat"); do
    out="$workdir/$name.$n.json"
    query "$name" "$expr" "$out"
    eval_total=$(grep -o '"evalTotalTime":[0-9.e+-]*' "$out" | cut -d: -f2)
    inner=$(grep -o '"innerEvalTime":[0-9.e+-]*' "$out" | cut -d: -f2)
    echo "$name run=$n evalTotalTime=$eval_total innerEvalTime=$inner"
  done
done
