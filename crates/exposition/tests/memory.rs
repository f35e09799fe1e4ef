//! Memory: parsing holds at most a small constant factor of the input size, and the limits
//! refuse huge inputs (100 MB body, 1 MB line, a million label pairs) before exhausting memory.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use signalboard_exposition::{parse, parse_with, Format, Limits};

/// Counts live heap bytes and their peak (tests in this file run one at a time via a lock).
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = LIVE.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
        PEAK.fetch_max(now, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Peak heap growth while running `f`.
fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let out = f();
    (out, PEAK.load(Ordering::SeqCst) - base)
}

fn realistic(lines: usize) -> String {
    let mut text = String::from(
        "# HELP http_requests_total Total requests\n# TYPE http_requests_total counter\n",
    );
    for i in 0..lines {
        text.push_str(&format!(
            "http_requests_total{{instance=\"10.0.{}.{}:8000\",method=\"GET\",endpoint=\"/api/v1/items\",status=\"{}\"}} {}\n",
            i / 250,
            i % 250,
            200 + i % 5,
            i * 7
        ));
    }
    text
}

#[test]
fn parse_holds_a_small_constant_factor_of_the_input() {
    let _guard = LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let text = realistic(20_000);
    let (exp, peak) = peak_during(|| parse(&text, Format::Prometheus).unwrap());
    assert_eq!(exp.sample_count(), 20_000);
    let factor = peak as f64 / text.len() as f64;
    println!(
        "input {} bytes, peak heap {} bytes, factor {factor:.2}",
        text.len(),
        peak
    );
    // Per ~105-byte line: a 120-byte Sample, four 48-byte label pairs, and up to 2x Vec growth
    // slack on the samples vector; no per-sample string copies.
    assert!(factor < 5.0, "parse held {factor:.2}x the input size");
}

#[test]
fn huge_inputs_are_refused_within_the_limits() {
    let _guard = LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let limits = Limits {
        max_bytes: 1 << 20,
        max_samples: 1000,
        max_line_len: 4096,
        max_labels: 64,
    };

    let body = "m 1\n".repeat(300_000);
    let err = parse_with(&body, Format::Prometheus, &limits).unwrap_err();
    assert!(err.message.contains("exceeds the limit"), "{err}");

    let long_line = format!("m{{a=\"{}\"}} 1\n", "x".repeat(1 << 16));
    let err = parse_with(&long_line, Format::Prometheus, &limits).unwrap_err();
    assert!(err.message.contains("line longer than the limit"), "{err}");

    let many_samples = "m 1\n".repeat(1001);
    let err = parse_with(&many_samples, Format::Prometheus, &limits).unwrap_err();
    assert_eq!(
        (err.line, err.message.contains("1000 samples")),
        (1001, true),
        "{err}"
    );

    // A million label pairs: refused at the label limit, without building them all.
    let mut pairs = String::from("m{");
    for i in 0..1_000_000 {
        pairs.push_str(&format!("l{i}=\"v\","));
    }
    pairs.push_str("} 1\n");
    let default_limits = Limits {
        max_bytes: 1 << 30,
        max_line_len: 1 << 30,
        ..Limits::default()
    };
    for format in [Format::Prometheus, Format::OpenMetrics] {
        let (result, peak) =
            peak_during(|| parse_with(&pairs, format, &default_limits).map(|e| e.sample_count()));
        let err = result.unwrap_err();
        assert!(err.message.contains("labels"), "{err}");
        assert!(peak < 1 << 20, "refusing the label flood took {peak} bytes");
    }
}
