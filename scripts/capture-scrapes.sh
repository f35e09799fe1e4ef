#!/bin/sh
# Captures N scrapes of a metrics endpoint, one per second, as DIR/00000.prom, 00001.prom, …
# for `signalboard-cli bench store --captured DIR` (which replays them 15 s apart):
#
#   scripts/capture-scrapes.sh URL DIR N
#
# e.g. prometheus-node-exporter --web.listen-address=127.0.0.1:19100 &
#      scripts/capture-scrapes.sh http://127.0.0.1:19100/metrics /tmp/node 400
set -eu
if [ "$#" -ne 3 ]; then
  sed -n '2,8p' "$0" >&2
  exit 2
fi
url=$1 dir=$2 n=$3
command -v curl >/dev/null || { echo "capture-scrapes: curl not found on PATH" >&2; exit 3; }
mkdir -p "$dir"
i=0
while [ "$i" -lt "$n" ]; do
  curl -sf -H 'Accept: text/plain;version=0.0.4' "$url" >"$dir/$(printf %05d "$i").prom"
  i=$((i + 1))
  sleep 1
done
