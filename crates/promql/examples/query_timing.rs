//! Times the issue-5 benchmark queries once each (quicker than the criterion bench):
//! `cargo run --release -p signalboard-promql --example query_timing`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::Instant;

use signalboard_promql::{range_query, EngineOptions};
use signalboard_store::{Labels, Store};

const LE: [&str; 12] = [
    "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf",
];
const HOUR_MS: i64 = 3_600_000;
const STEP_MS: i64 = 15_000;

fn workload() -> Store {
    let mut store = Store::new();
    let mut series = Vec::new();
    for i in 0..12 {
        for e in 0..30 {
            let base = [
                ("instance", format!("host-{i}:9100")),
                ("endpoint", format!("/api/v{e}")),
                ("job", "api".into()),
            ];
            for (b, le) in LE.iter().enumerate() {
                let mut l: Vec<(&str, String)> =
                    base.iter().map(|(n, v)| (*n, v.clone())).collect();
                l.push(("__name__", "http_request_duration_seconds_bucket".into()));
                l.push(("le", le.to_string()));
                series.push((Labels::from_pairs(l), (b + 1) as f64));
            }
            for (code, w) in [("200", 10.0), ("500", 0.1)] {
                let mut l: Vec<(&str, String)> =
                    base.iter().map(|(n, v)| (*n, v.clone())).collect();
                l.push(("__name__", "http_requests_total".into()));
                l.push(("code", code.into()));
                series.push((Labels::from_pairs(l), w));
            }
        }
    }
    for step in 0..(6 * HOUR_MS / STEP_MS) {
        for (k, (labels, w)) in series.iter().enumerate() {
            let v = (step as f64) * w * (1.0 + (k % 7) as f64 / 10.0);
            store.append(labels, step * STEP_MS, v).unwrap();
        }
    }
    store
}

fn main() {
    let t0 = Instant::now();
    let store = workload();
    println!(
        "workload: {:?} ({} samples)",
        t0.elapsed(),
        store.stats().samples
    );
    let end = 6 * HOUR_MS;
    let opts = EngineOptions::default();
    let queries = [
        "histogram_quantile(0.99, sum by (le, endpoint) (rate(http_request_duration_seconds_bucket[5m])))",
        "sum by (endpoint) (rate(http_requests_total{code=~\"5..\"}[5m])) / sum by (endpoint) (rate(http_requests_total[5m]))",
    ];
    for q in queries {
        let repeat: usize = std::env::var("QT_REPEAT")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(3);
        for _ in 0..repeat {
            let (t, cpu) = (Instant::now(), cpu_ns());
            let v = range_query(&store, q, end - HOUR_MS, end, STEP_MS, &opts).unwrap();
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
