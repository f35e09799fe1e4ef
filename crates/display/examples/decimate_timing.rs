//! Best-of-N timing of decimating 1M points to 1000 px (minimum wall time is the
//! figure least disturbed by a busy machine). Run with
//! `cargo run --release -p signalboard-display --example decimate_timing`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use signalboard_display::decimate::decimate;
use std::time::Instant;

fn main() {
    let n = 1_000_000;
    let width = 1000;
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut v = 0.0;
    let ts: Vec<f64> = (0..n).map(|i| i as f64 * 15_000.0).collect();
    let vs: Vec<f64> = (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            v += (state % 2001) as f64 / 1000.0 - 1.0;
            v
        })
        .collect();
    let (t0, t1) = (ts[0], ts[n - 1]);
    let scale = (width as f64 - 1e-9) / (t1 - t0);
    let mut best = f64::INFINITY;
    let mut points = 0;
    for _ in 0..50 {
        let start = Instant::now();
        let (ot, _) = decimate(&ts, &vs, |t| (t - t0) * scale, width);
        best = best.min(start.elapsed().as_secs_f64() * 1e3);
        points = ot.len();
    }
    println!("decimate {n} points -> {width} px: best {best:.3} ms, {points} points out");
}
