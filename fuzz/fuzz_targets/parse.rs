//! Fuzz the exposition parser: any bytes, either format, must parse or return an error
//! (never panic), and an accepted exposition must be internally consistent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use signalboard_exposition::{parse_bytes, Format, Limits, Validation};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let format = if selector & 1 == 0 { Format::Prometheus } else { Format::OpenMetrics };
    let validation = if selector & 2 == 0 { Validation::Prometheus } else { Validation::Strict };
    let limits = Limits { max_bytes: 1 << 20, max_samples: 100_000, max_line_len: 64 << 10, max_labels: 256 };
    match parse_bytes(body, format, &limits, validation) {
        Ok(exposition) => {
            let samples = exposition.sample_count();
            assert!(samples <= limits.max_samples);
            assert!(exposition.series_count() <= samples);
            for sample in exposition.samples() {
                assert!(sample.labels.len() <= limits.max_labels);
            }
        }
        Err(error) => {
            assert!(error.line >= 1 && error.col >= 1);
            assert!(!error.message.is_empty());
        }
    }
});
