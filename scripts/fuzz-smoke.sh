#!/usr/bin/env bash
# Short smoke run of every cargo-fuzz target (make test): FUZZ_SECONDS each (default 20),
# seeded from the shared conformance suites, the project's dashboards and fuzz/seeds/.
# Fails on any crash, timeout or out-of-memory. Long runs: see fuzz/README.md.
# Needs cargo-fuzz (scripts/setup-tools.sh --test installs it) and RUSTC_BOOTSTRAP=1 on stable.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-20}"
corpus="$(mktemp -d)"
trap 'rm -rf "$corpus"' EXIT
mkdir -p "$corpus/parse" "$corpus/promql" "$corpus/import" "$corpus/restore"
i=0
for f in ../shared/conformance/prometheus-text/cases/*/*.prom; do
  i=$((i+1)); { printf '\x00'; cat "$f"; } > "$corpus/parse/p$i"
done
i=0
while IFS= read -r query; do i=$((i+1)); printf '%s' "$query" > "$corpus/promql/q$i"; done < fuzz/seeds/promql.txt
for f in public/dashboards/*.json; do { printf '\x00'; cat "$f"; } > "$corpus/import/$(basename "$f")"; done
printf '\x01\x07\x02\x05\x03\x07\x00\x01' > "$corpus/import/structured"
# restore: each valid exported record unchanged (mode 1, no edits), and one edit into a chunk.
for k in 0 1 2 3 4 5; do printf "\\x01\\x0$k" > "$corpus/restore/r$k"; done
printf '\x01\x00\x00\x10\x04' > "$corpus/restore/edit"
export RUSTC_BOOTSTRAP=1
cd fuzz
cargo fuzz build -O 2>&1 | tail -n 3
for target in parse promql import restore; do
  log="$corpus/$target.log"
  if ! cargo fuzz run -O "$target" "$corpus/$target" -- -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -max_len=65536 -artifact_prefix="$corpus/$target-" -print_final_stats=1 \
      > "$log" 2>&1; then
    tail -n 40 "$log"; mkdir -p artifacts; cp "$corpus/$target-"* artifacts/ 2>/dev/null || true
    echo "fuzz smoke: $target FAILED; the failing input is in fuzz/artifacts/"; exit 1
  fi
  echo "fuzz smoke: $target: $(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}') runs in ${seconds}s, no crash"
done
