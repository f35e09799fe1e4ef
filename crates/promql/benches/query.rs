//! Range-query latency on the issue-5 workload: 12 instances x 30 endpoints x 12 buckets,
//! 15s scrape interval over 6h; 1h range at 15s step.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use criterion::{black_box, criterion_group, criterion_main, Criterion};
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

fn bench_queries(c: &mut Criterion) {
    let store = workload();
    let end = 6 * HOUR_MS;
    let opts = EngineOptions::default();
    let p99 = "histogram_quantile(0.99, sum by (le, endpoint) (rate(http_request_duration_seconds_bucket[5m])))";
    let errors = "sum by (endpoint) (rate(http_requests_total{code=~\"5..\"}[5m])) / sum by (endpoint) (rate(http_requests_total[5m]))";
    let mut g = c.benchmark_group("range 1h step 15s");
    g.sample_size(10);
    g.bench_function("p99 histogram_quantile", |b| {
        b.iter(|| black_box(range_query(&store, p99, end - HOUR_MS, end, STEP_MS, &opts).unwrap()))
    });
    g.bench_function("error ratio", |b| {
        b.iter(|| {
            black_box(range_query(&store, errors, end - HOUR_MS, end, STEP_MS, &opts).unwrap())
        })
    });
    g.finish();
}

criterion_group!(benches, bench_queries);
criterion_main!(benches);
