//! Criterion benchmarks of `parse` on the shared benchmark payloads (throughput in bytes).
//! Peers side by side: `signalboard-cli bench parse FILE` (see DESIGN.md "Benchmark output").
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use signalboard_exposition::{parse, Format};

const BENCH_DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/conformance/prometheus-text/bench"
);

fn payloads() -> Vec<(&'static str, Format, String)> {
    let read = |name: &str| {
        std::fs::read_to_string(format!("{BENCH_DIR}/{name}"))
            .unwrap_or_else(|e| panic!("shared bench payload {name} missing: {e}"))
    };
    vec![
        (
            "alltypes.237mfs.prom.txt",
            Format::Prometheus,
            read("alltypes.237mfs.prom.txt"),
        ),
        (
            "node_exporter.e2e-output.txt",
            Format::Prometheus,
            read("node_exporter.e2e-output.txt"),
        ),
        (
            "alltypes.5mfs.om.txt",
            Format::OpenMetrics,
            read("alltypes.5mfs.om.txt"),
        ),
        (
            "1histogram.om.txt",
            Format::OpenMetrics,
            read("1histogram.om.txt"),
        ),
    ]
}

fn bench_parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    for (name, format, text) in payloads() {
        assert!(parse(&text, format).is_ok(), "{name} must parse");
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| parse(std::hint::black_box(&text), format).map(|e| e.sample_count()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_parse);
criterion_main!(benches);
