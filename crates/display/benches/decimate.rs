//! Decimation of one million points to a 1000 px wide plot (the per-panel budget case).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use signalboard_display::decimate::decimate;

/// A deterministic random walk, one sample per 15 s.
fn random_walk(n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut v = 0.0;
    let ts = (0..n).map(|i| i as f64 * 15_000.0).collect();
    let vs = (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            v += (state % 2001) as f64 / 1000.0 - 1.0;
            v
        })
        .collect();
    (ts, vs)
}

fn bench_decimate(c: &mut Criterion) {
    let n = 1_000_000;
    let width = 1000;
    let (ts, vs) = random_walk(n);
    let (t0, t1) = (ts[0], ts[n - 1]);
    let scale = (width as f64 - 1e-9) / (t1 - t0);
    c.bench_function("decimate 1M points to 1000 px", |b| {
        b.iter(|| {
            let out = decimate(black_box(&ts), black_box(&vs), |t| (t - t0) * scale, width);
            black_box(out)
        })
    });
}

criterion_group!(benches, bench_decimate);
criterion_main!(benches);
