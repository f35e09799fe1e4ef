//! Append and select throughput of the in-memory store (small, for regressions).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use signalboard_store::{Labels, Matcher, Store};

const SERIES: usize = 1000;
const SAMPLES: i64 = 240;

fn series_labels() -> Vec<Labels> {
    (0..SERIES)
        .map(|i| {
            Labels::from_pairs([
                ("__name__", "http_requests_total".to_string()),
                ("instance", format!("host{}", i % 10)),
                ("endpoint", format!("/api/{}", i / 10)),
            ])
        })
        .collect()
}

fn filled_store(labels: &[Labels]) -> Store {
    let mut store = Store::new();
    for t in 0..SAMPLES {
        for (i, l) in labels.iter().enumerate() {
            store.append(l, t * 15_000, (t as f64) + i as f64).unwrap();
        }
    }
    store
}

fn bench_append(c: &mut Criterion) {
    let labels = series_labels();
    c.bench_function("append 1000 series x 240 samples", |b| {
        b.iter(|| black_box(filled_store(&labels).stats().samples))
    });
}

fn bench_select(c: &mut Criterion) {
    let labels = series_labels();
    let store = filled_store(&labels);
    let matchers = [
        Matcher::equal("__name__", "http_requests_total"),
        Matcher::regex("instance", "host[1-3]", false).unwrap(),
    ];
    c.bench_function("select 300 of 1000 series, 1h window", |b| {
        b.iter(|| {
            let sel = store.select(&matchers, 0, 3_600_000);
            black_box(sel.iter().map(|s| s.values.len()).sum::<usize>())
        })
    });
}

criterion_group!(benches, bench_append, bench_select);
criterion_main!(benches);
