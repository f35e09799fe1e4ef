//! Range-query latency on the issue-5 workload: 12 instances x 30 endpoints x 12 buckets,
//! 15s scrape interval over 6h; 1h range at 15s step.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use signalboard_promql::benchdata::{workload, ERROR_RATIO_QUERY, P99_QUERY, SCRAPE_MS};
use signalboard_promql::{range_query, EngineOptions};

const HOUR_MS: i64 = 3_600_000;

fn bench_queries(c: &mut Criterion) {
    let store = workload(12, 30, 6);
    let end = 6 * HOUR_MS;
    let opts = EngineOptions::default();
    let (p99, errors) = (P99_QUERY, ERROR_RATIO_QUERY);
    let mut g = c.benchmark_group("range 1h step 15s");
    g.sample_size(10);
    g.bench_function("p99 histogram_quantile", |b| {
        b.iter(|| {
            black_box(range_query(&store, p99, end - HOUR_MS, end, SCRAPE_MS, &opts).unwrap())
        })
    });
    g.bench_function("error ratio", |b| {
        b.iter(|| {
            black_box(range_query(&store, errors, end - HOUR_MS, end, SCRAPE_MS, &opts).unwrap())
        })
    });
    g.finish();
}

criterion_group!(benches, bench_queries);
criterion_main!(benches);
