//! Time `parse` on a file: `cargo run --release --example parse_file -- FILE [REPEAT]`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::Instant;

use signalboard_exposition::{parse, Format};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: parse_file FILE [REPEAT]");
    let repeat: usize = args.next().map_or(5, |r| r.parse().unwrap());
    let text = std::fs::read_to_string(&path).unwrap();
    let format = Format::sniff(&text);
    let mut best = f64::MAX;
    let mut samples = 0;
    for _ in 0..repeat {
        let start = Instant::now();
        let exp = parse(&text, format).unwrap();
        samples = exp.sample_count();
        drop(exp);
        best = best.min(start.elapsed().as_secs_f64());
    }
    let mb = text.len() as f64 / 1e6;
    println!(
        "{path}: {samples} samples, {mb:.1} MB, best {:.2} ms, {:.0} MB/s, {:.1} M samples/s",
        best * 1e3,
        mb / best,
        samples as f64 / best / 1e6
    );
}
