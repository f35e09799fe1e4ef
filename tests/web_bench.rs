//! The issue-5 query benchmark inside the browser: builds the `signalboard-cli bench query`
//! workload (12 instances x 30 endpoints x 12 buckets, 15 s scrapes, 6 h) in wasm, runs the
//! p99 and error-ratio range queries (last 1 h at 15 s step) and prints the median of 5 timed
//! runs, measured with `performance.now()`, as `bench query wasm NAME: median X ms`.
//!
//! scripts/test.sh runs it on the release build with `--nocapture` so the figures are shown;
//! an unoptimised (debug) build uses a smaller workload and says its times are not
//! benchmarks. Either way it asserts the results' shape, so it fails if the engine does.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use signalboard_core::promql::benchdata::{self, ERROR_RATIO_QUERY, P99_QUERY, SCRAPE_MS};
use signalboard_core::promql::{range_query, EngineOptions, Value};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn dashboard_queries_in_wasm() {
    let release = !cfg!(debug_assertions);
    let (instances, endpoints, hours) = if release { (12, 30, 6) } else { (2, 3, 2) };
    let perf = web_sys::window().unwrap().performance().unwrap();
    let t = perf.now();
    let store = benchdata::workload(instances, endpoints, hours);
    console_log!(
        "bench query wasm: store of {} series built in {:.0} ms{}",
        store.stats().series,
        perf.now() - t,
        if release {
            ""
        } else {
            " (debug build: not a benchmark)"
        }
    );
    let end = hours * 3_600_000;
    let opts = EngineOptions::default();
    for (name, q) in [("p99", P99_QUERY), ("error-ratio", ERROR_RATIO_QUERY)] {
        let mut times = Vec::new();
        for run in 0..6 {
            let t = perf.now();
            let v = range_query(&store, q, end - 3_600_000, end, SCRAPE_MS, &opts).unwrap();
            let ms = perf.now() - t;
            let Value::Matrix(m) = v else {
                panic!("{name}: not a matrix")
            };
            assert_eq!(m.len(), endpoints, "{name}: one series per endpoint");
            assert!(
                m.iter()
                    .all(|s| s.samples.len() == 241 && s.samples.iter().all(|p| p.1 > 0.0)),
                "{name}: 241 positive points per series"
            );
            // The first run warms up (allocator, caches); it is not counted.
            if run > 0 {
                times.push(ms);
            }
        }
        times.sort_by(|a, b| a.total_cmp(b));
        let median = times[times.len() / 2];
        assert!(median >= 0.0);
        console_log!(
            "bench query wasm {name}: median {median:.1} ms, best {:.1} ms",
            times[0]
        );
    }
}
