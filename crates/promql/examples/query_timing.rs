//! Times the issue-5 benchmark queries once each (quicker than the criterion bench):
//! `cargo run --release -p signalboard-promql --example query_timing`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::Instant;

use signalboard_promql::benchdata::{workload, ERROR_RATIO_QUERY, P99_QUERY, SCRAPE_MS};
use signalboard_promql::{range_query, EngineOptions};

const HOUR_MS: i64 = 3_600_000;

fn main() {
    let t0 = Instant::now();
    let store = workload(12, 30, 6);
    println!(
        "workload: {:?} ({} samples)",
        t0.elapsed(),
        store.stats().samples
    );
    let end = 6 * HOUR_MS;
    let opts = EngineOptions::default();
    let queries = [P99_QUERY, ERROR_RATIO_QUERY];
    for q in queries {
        let repeat: usize = std::env::var("QT_REPEAT")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(3);
        for _ in 0..repeat {
            let (t, cpu) = (Instant::now(), cpu_ns());
            let v = range_query(&store, q, end - HOUR_MS, end, SCRAPE_MS, &opts).unwrap();
            let n = match v {
                signalboard_promql::Value::Matrix(m) => m.len(),
                _ => 0,
            };
            let cpu_ms = (cpu_ns() - cpu) as f64 / 1e6;
            println!(
                "{:>8.1} ms wall {cpu_ms:>8.1} ms cpu  {n} series  {q}",
                t.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}

/// CPU time of this thread in ns (Linux `schedstat`; 0 elsewhere), so timings on a loaded
/// machine are still meaningful.
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|x| x.parse().ok()))
        .unwrap_or(0)
}
