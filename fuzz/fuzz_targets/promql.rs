//! Fuzz PromQL evaluation: any string is parsed as a query and, when it parses, evaluated as
//! an instant query and as a short range query over a fixed small store. Evaluation must
//! return a value or a `QueryError`, never panic; a range result stays inside the range.
#![no_main]

use libfuzzer_sys::fuzz_target;
use signalboard_promql::{instant_query_ast, parse, range_query_ast, EngineOptions, Value};
use signalboard_store::{Labels, Store, STALE_NAN};
use std::sync::OnceLock;

/// Scrape interval of the fixed store (15 s), covering 0..=10 min.
const STEP_MS: i64 = 15_000;
const END_MS: i64 = 600_000;

/// Counters, a gauge with NaN/±Inf and a stale marker, a classic histogram, odd label values.
fn store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| {
        let mut store = Store::new();
        let mut series: Vec<(Labels, Box<dyn Fn(i64) -> f64 + Send + Sync>)> = Vec::new();
        for (job, inst) in [("api", "a:1"), ("api", "b:2"), ("db", "c:3")] {
            for code in ["200", "500"] {
                let labels = Labels::from_pairs(vec![
                    ("__name__", "http_requests_total".to_string()),
                    ("job", job.into()),
                    ("instance", inst.into()),
                    ("code", code.into()),
                ]);
                let w = if code == "200" { 10.0 } else { 0.5 };
                // A counter reset at 5 minutes.
                series.push((labels, Box::new(move |k| w * (k % 20) as f64)));
            }
            for (b, le) in ["0.1", "0.5", "1.0", "+Inf"].iter().enumerate() {
                let labels = Labels::from_pairs(vec![
                    ("__name__", "latency_seconds_bucket".to_string()),
                    ("job", job.into()),
                    ("instance", inst.into()),
                    ("le", le.to_string()),
                ]);
                series.push((labels, Box::new(move |k| (k * (b as i64 + 1)) as f64)));
            }
        }
        let gauge = Labels::from_pairs(vec![
            ("__name__", "temperature".to_string()),
            ("room", "<script>\"ä\\\n".into()),
        ]);
        series.push((
            gauge,
            Box::new(|k| match k % 9 {
                3 => f64::NAN,
                5 => f64::INFINITY,
                6 => f64::NEG_INFINITY,
                7 => STALE_NAN,
                _ => (k as f64).sin() * 1e6,
            }),
        ));
        let up = Labels::from_pairs(vec![("__name__", "up".to_string()), ("job", "api".into())]);
        series.push((up, Box::new(|k| (k % 2) as f64)));
        for k in 0..=(END_MS / STEP_MS) {
            for (labels, value) in &series {
                let _ = store.append(labels, k * STEP_MS, value(k));
            }
        }
        store
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(ast) = parse(query) else { return };
    let opts = EngineOptions {
        lookback_ms: 5 * 60 * 1000,
        max_samples: 200_000,
    };
    let _ = instant_query_ast(store(), &ast, 300_000, &opts);
    let (start, end, step) = (240_000, 360_000, 30_000);
    if let Ok(Value::Matrix(series)) = range_query_ast(store(), &ast, start, end, step, &opts) {
        for s in &series {
            for &(t, _) in &s.samples {
                assert!(
                    (start..=end).contains(&t),
                    "range sample at {t} outside {start}..={end}"
                );
            }
        }
    }
});
