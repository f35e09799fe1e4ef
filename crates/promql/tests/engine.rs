//! Engine API tests: range queries (with their series-major fast paths) must equal the
//! step-by-step instant evaluation; JSON shape; errors as values; sample limit.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use signalboard_promql::{instant_query, range_query, EngineOptions, ErrorKind, Value};
use signalboard_store::{Labels, Store, STALE_NAN};

/// Counters with resets, gaps and staleness markers, plus a gauge.
fn store() -> Store {
    let mut s = Store::new();
    for i in 0..6 {
        let l = Labels::from_pairs([
            ("__name__", "req_total".to_string()),
            ("job", format!("j{}", i % 2)),
            ("instance", format!("i{i}")),
        ]);
        let g = Labels::from_pairs([
            ("__name__", "temp".to_string()),
            ("instance", format!("i{i}")),
        ]);
        let mut v = 0.0;
        for k in 0..400i64 {
            let t = k * 15_000 + i * 1_000;
            if (k + i) % 37 == 0 {
                continue; // a missed scrape
            }
            if k % 97 == 13 + i {
                s.append(&l, t, STALE_NAN).unwrap();
                continue;
            }
            v = if (k * (i + 1)) % 151 == 0 {
                1.0
            } else {
                v + (k % 7) as f64 + i as f64
            };
            s.append(&l, t, v).unwrap();
            s.append(&g, t, ((k * 13 + i * 7) % 50) as f64 - 10.0)
                .unwrap();
        }
    }
    s
}

/// [`store`] plus classic histograms `h_bucket` (buckets not always monotonic, one group
/// without `+Inf`, bounds spelled two ways).
fn store_with_histograms() -> Store {
    let mut s = store();
    for i in 0..4 {
        for (b, le) in ["0.1", "1", "1.0", "10", "+Inf"].iter().enumerate() {
            if i == 3 && *le == "+Inf" {
                continue;
            }
            let l = Labels::from_pairs([
                ("__name__", "h_bucket".to_string()),
                ("job", format!("j{}", i % 2)),
                ("instance", format!("i{i}")),
                ("le", le.to_string()),
            ]);
            for k in 0..400i64 {
                let v = (k * (b as i64 + 1) * (i + 1)) as f64 * if b == 2 { 0.3 } else { 1.0 };
                s.append(&l, k * 15_000 + i * 500, v).unwrap();
            }
        }
    }
    s
}

fn assert_range_matches_instants(s: &Store, expr: &str, start: i64, end: i64, step: i64) {
    let opts = EngineOptions::default();
    let Value::Matrix(m) = range_query(s, expr, start, end, step, &opts).unwrap() else {
        panic!("range query must return a matrix")
    };
    let mut t = start;
    let mut expected_points = 0;
    while t <= end {
        let v = instant_query(s, expr, t, &opts).unwrap();
        let samples = match v {
            Value::Vector(v) => v.into_iter().map(|x| (x.labels, x.v)).collect::<Vec<_>>(),
            Value::Scalar { v, .. } => vec![(Labels::empty(), v)],
            other => panic!("unexpected {other:?}"),
        };
        for (labels, v) in samples {
            expected_points += 1;
            let series = m
                .iter()
                .find(|r| r.labels == labels)
                .unwrap_or_else(|| panic!("{expr}: {labels} missing at {t}"));
            let got = series
                .samples
                .iter()
                .find(|(pt, _)| *pt == t)
                .unwrap_or_else(|| panic!("{expr}: no point at {t}"));
            assert!(
                got.1 == v || (got.1.is_nan() && v.is_nan()),
                "{expr} {labels} at {t}: range {} vs instant {v}",
                got.1
            );
        }
        t += step;
    }
    let got_points: usize = m.iter().map(|r| r.samples.len()).sum();
    assert_eq!(
        got_points, expected_points,
        "{expr}: extra points in the range result"
    );
}

#[test]
fn range_queries_equal_step_by_step_evaluation() {
    let s = store();
    let exprs = [
        "rate(req_total[1m])",
        "increase(req_total[2m])",
        "delta(temp[3m])",
        "irate(req_total[1m])",
        "sum by (job) (rate(req_total[1m]))",
        "max by (job) (rate(req_total[5m]))",
        "min(increase(req_total[90s]))",
        "count without (instance) (rate(req_total[1m]))",
        "group(rate(req_total[1m]))",
        "avg by (job) (rate(req_total[1m]))",
        "avg(avg_over_time(temp[2m]))",
        "sum(rate(req_total[1m])) / sum(rate(req_total[5m]))",
        "avg_over_time(temp[2m])",
        "quantile_over_time(0.9, temp[5m])",
        "predict_linear(temp[5m], 600)",
        "last_over_time(req_total[1m])",
        "changes(temp[5m])",
        "resets(req_total[10m])",
        "rate(req_total[1m] offset 2m)",
        "rate(req_total[1m] @ 3000)",
        "histogram_quantile(0.5, sum by (le) (label_replace(rate(req_total[5m]), \"le\", \"$1\", \"instance\", \"i(.*)\")))",
        "req_total",
        "time()",
    ];
    for e in exprs {
        assert_range_matches_instants(&s, e, 600_000, 5_400_000, 30_000);
        assert_range_matches_instants(&s, e, 601_000, 1_800_000, 17_000);
    }
}

/// Shapes the whole-range (columnar) path evaluates, and ones it must leave to the step path.
#[test]
fn columnar_range_queries_equal_step_by_step_evaluation() {
    let s = store_with_histograms();
    let exprs = [
        "histogram_quantile(0.9, sum by (le) (rate(h_bucket[5m])))",
        "histogram_quantile(0.5, sum by (le, job) (rate(h_bucket[2m])))",
        "histogram_quantile(0.99, rate(h_bucket[5m]))",
        "histogram_quantile(1.5, sum by (le, instance) (increase(h_bucket[5m])))",
        "histogram_quantile(0.5, last_over_time(h_bucket[1m]))",
        "sum by (job) (rate(req_total[1m])) > 1",
        "sum by (job) (rate(req_total[1m])) > bool 1",
        "2 * sum by (job) (rate(req_total[1m]))",
        "1 - (sum by (job) (rate(req_total[1m])))",
        "max(rate(req_total[1m]) > 0.5)",
        "rate(req_total[1m]) / rate(req_total[5m])",
        "rate(req_total[1m]) >= bool on(instance, job) rate(req_total[5m])",
        "last_over_time(req_total[1m]) < last_over_time(req_total[3m])",
        "sum by (job) (rate(h_bucket[1m])) / ignoring(le) group_left sum by (job) (rate(req_total[1m]))",
        "sum by (job) (rate(h_bucket[1m])) / sum by (job) (rate(req_total[1m]))",
        "sum(rate(h_bucket[1m])) / on() group_left sum(rate(req_total[1m]))",
        "abs(sum by (job) (rate(req_total[1m])))",
        "sum by (job) (rate(req_total[1m])) and on(job) sum by (job) (rate(req_total[5m]) > 3)",
        "avg by (instance) (rate(h_bucket[1m]) * 3)",
        "stddev(rate(req_total[1m]))",
        "rate(h_bucket[1m]) + ignoring(le) group_left rate(req_total[1m])",
    ];
    for e in exprs {
        assert_range_matches_instants(&s, e, 600_000, 5_400_000, 30_000);
        assert_range_matches_instants(&s, e, 601_000, 1_800_000, 17_000);
    }
    // Matching errors surface exactly as in step-by-step evaluation.
    let opts = EngineOptions::default();
    for e in [
        "rate(req_total[1m]) + on(job) sum by (job, instance) (rate(req_total[1m]))",
        "sum by (job, instance) (rate(req_total[1m])) - on(job) rate(req_total[1m])",
        "rate(req_total[1m]) + ignoring(le) rate(h_bucket[1m])",
    ] {
        let range = range_query(&s, e, 600_000, 5_400_000, 30_000, &opts).unwrap_err();
        let instant = instant_query(&s, e, 600_000, &opts).unwrap_err();
        assert_eq!(range, instant, "{e}");
    }
}

/// Series scraped together (same timestamps, missed scrapes and jitter included) share one
/// window plan in the whole-range `rate` path; their values differ (resets at different
/// samples, counters starting near zero where the zero clamp applies), and one series has a
/// staleness marker the others lack, so its timestamps differ.
#[test]
fn rate_over_series_sharing_timestamps_equals_step_by_step() {
    let mut s = Store::new();
    for i in 0..5i64 {
        let l = Labels::from_pairs([
            ("__name__", "c_total".to_string()),
            ("pod", format!("p{i}")),
        ]);
        let mut v = (i % 2) as f64 * 0.5;
        for k in 0..300i64 {
            if k % 41 == 7 {
                continue;
            }
            let t = k * 15_000 + (k % 3) * 2;
            if i == 3 && k == 100 {
                s.append(&l, t, STALE_NAN).unwrap();
                continue;
            }
            v = if (k + 11 * i) % 53 == 0 {
                (k % 5) as f64
            } else {
                v + ((k * (i + 2)) % 9) as f64 * 0.25
            };
            s.append(&l, t, v).unwrap();
        }
    }
    for e in [
        "rate(c_total[1m])",
        "increase(c_total[2m])",
        "delta(c_total[90s])",
        "sum(rate(c_total[5m]))",
        "sum by (pod) (increase(c_total[1m]))",
    ] {
        assert_range_matches_instants(&s, e, 0, 4_400_000, 15_000);
        assert_range_matches_instants(&s, e, 7_000, 4_000_000, 29_000);
    }
}

#[test]
fn lookback_and_staleness() {
    let mut s = Store::new();
    let l = Labels::from_pairs([("__name__", "m")]);
    s.append(&l, 0, 1.0).unwrap();
    s.append(&l, 60_000, STALE_NAN).unwrap();
    let opts = EngineOptions::default();
    let at = |t| match instant_query(&s, "m", t, &opts).unwrap() {
        Value::Vector(v) => v.len(),
        other => panic!("{other:?}"),
    };
    assert_eq!(at(30_000), 1);
    assert_eq!(at(60_000), 0, "a staleness marker hides the series at once");
    let mut s2 = Store::new();
    s2.append(&l, 0, 1.0).unwrap();
    let n = |t| match instant_query(&s2, "m", t, &opts).unwrap() {
        Value::Vector(v) => v.len(),
        other => panic!("{other:?}"),
    };
    assert_eq!(n(299_999), 1);
    assert_eq!(
        n(300_000),
        0,
        "the lookback window is left-open (Prometheus 3)"
    );
}

#[test]
fn errors_are_values() {
    let s = store();
    let opts = EngineOptions::default();
    let e = instant_query(&s, "sum by (job (x)", 0, &opts).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Parse);
    assert!(e.to_string().starts_with("parse error"), "{e}");
    let e = instant_query(&s, "req_total + on(job) req_total", 1_000_000, &opts).unwrap_err();
    assert!(
        e.to_string().contains("many-to-many matching not allowed"),
        "{e}"
    );
    let e = range_query(&s, "req_total[5m]", 0, 10, 1, &opts).unwrap_err();
    assert!(e.to_string().contains("invalid expression type"), "{e}");
    let e = range_query(&s, "up", 0, 10, 0, &opts).unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadRequest);
}

#[test]
fn sample_limit_stops_the_query() {
    let s = store();
    let opts = EngineOptions {
        lookback_ms: 300_000,
        max_samples: 50,
    };
    let e = instant_query(&s, "sum(rate(req_total[10m]))", 3_000_000, &opts).unwrap_err();
    assert_eq!(e.kind, ErrorKind::TooManySamples);
    let e = range_query(
        &s,
        "sum(rate(req_total[10m]))",
        1_000_000,
        3_000_000,
        15_000,
        &opts,
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::TooManySamples);
    assert!(instant_query(&s, "sum(rate(req_total[1m]))", 3_000_000, &opts).is_ok());
}

#[test]
fn json_matches_the_prometheus_api() {
    let s = store();
    let opts = EngineOptions::default();
    let v = range_query(&s, "sum by (job) (req_total)", 0, 30_000, 15_000, &opts).unwrap();
    let j = v.to_prometheus_json();
    assert_eq!(j["resultType"], "matrix");
    assert_eq!(j["result"][0]["metric"]["job"], "j0");
    // j0's first sample is scraped after t=0 (i0 misses its first scrape), so points start at 15s.
    assert_eq!(j["result"][0]["values"][0][0], 15.0);
    assert_eq!(j["result"][0]["values"][1][0], 30.0);
    assert!(j["result"][0]["values"][1][1].is_string());
    let v = instant_query(&s, "1/0", 1_000, &opts).unwrap();
    assert_eq!(
        v.to_prometheus_json(),
        serde_json::json!({"resultType": "scalar", "result": [1.0, "+Inf"]})
    );
}

#[test]
fn hostile_queries_return_values_not_panics() {
    let s = store();
    let opts = EngineOptions {
        lookback_ms: 300_000,
        max_samples: 1_000_000,
    };
    let queries = [
        "req_total offset 292y",
        "req_total offset -292y",
        "req_total @ 9223372036854775",
        "req_total @ -9223372036854775",
        "rate(req_total[292y])",
        "max_over_time(req_total[100y:1s])",
        "sum_over_time(vector(1)[1h:1ms])",
        "topk(1e300, req_total)",
        "bottomk(-1, req_total)",
        "round(req_total, 0)",
        "year(vector(1e300))",
        "day_of_week(vector(-1e300))",
        "histogram_quantile(0.5, req_total)",
        "label_replace(req_total, \"x\", \"$99\", \"job\", \"(.*)\")",
        "count_values(\"v\", req_total)",
        "quantile(NaN, req_total)",
        "((((((((((req_total))))))))))",
        "-(-(-(-(-(-req_total)))))",
        "req_total ^ 1e308 * 1e308",
        "clamp(req_total, 10, 1)",
    ];
    for q in queries {
        let _ = instant_query(&s, q, 3_000_000, &opts);
        let _ = range_query(&s, q, 0, 3_000_000, 60_000, &opts);
    }
    let e = instant_query(&s, "max_over_time(req_total[100y:1s])", 3_000_000, &opts).unwrap_err();
    assert_eq!(e.kind, ErrorKind::TooManySamples);
}

/// `sum` adds a row with a value at every step by a branch-free column loop and a row with
/// gaps step by step: one group mixing both, values only the Kahan compensation sums right
/// (1e16 + 1 - 1e16), ±Inf and NaN must equal step-by-step evaluation.
#[test]
fn sum_of_rows_with_and_without_gaps_equals_step_by_step() {
    let mut s = Store::new();
    let values: [fn(i64) -> Option<f64>; 5] = [
        |_| Some(1e16),
        |_| Some(1.0),
        // Gaps: no sample for a while, so `last_over_time(g[1m])` has no value there.
        |k| (!(40..60).contains(&k)).then_some(-1e16),
        |k| (k >= 100).then_some(if k % 50 < 10 { f64::INFINITY } else { 2.0 }),
        |k| Some(if k % 70 == 3 { f64::NAN } else { 0.5 }),
    ];
    for (i, f) in values.iter().enumerate() {
        let l = Labels::from_pairs([
            ("__name__", "g".to_string()),
            ("i", i.to_string()),
            ("kind", (i % 2).to_string()),
        ]);
        for k in 0..300i64 {
            if let Some(v) = f(k) {
                s.append(&l, k * 15_000, v).unwrap();
            }
        }
    }
    for e in [
        "sum(last_over_time(g[1m]))",
        "sum by (kind) (last_over_time(g[1m]))",
        "sum(last_over_time(g{i=~\"0|1|2\"}[1m]))",
    ] {
        assert_range_matches_instants(&s, e, 0, 4_400_000, 15_000);
        assert_range_matches_instants(&s, e, 7_000, 4_000_000, 29_000);
    }
    // Where all three of 1e16, 1 and -1e16 are there, only a compensated sum gives 1.
    let opts = EngineOptions::default();
    let q = "sum(last_over_time(g{i=~\"0|1|2\"}[1m]))";
    let Value::Matrix(m) = range_query(&s, q, 0, 900_000, 15_000, &opts).unwrap() else {
        panic!("range query must return a matrix")
    };
    let at = |t: i64| m[0].samples.iter().find(|p| p.0 == t).unwrap().1;
    assert_eq!(at(300_000), 1.0);
    // In the gap of -1e16 (its last sample older than 1m), 1e16 + 1 rounds to 1e16.
    assert_eq!(at(780_000), 1e16);
}

/// Scrapes aligned with the steps give `rate` windows of one shape, whose values are computed
/// in one vectorised pass; counters starting at or near zero need the zero clamp's full
/// computation in some windows (that pass must then step aside), others never do.
#[test]
fn rate_over_windows_of_one_shape_equals_step_by_step() {
    let mut s = Store::new();
    let values: [fn(f64) -> f64; 5] = [
        |k| k,
        // Grows fast from zero: early windows extrapolate to zero, not to their start.
        |k| k * k,
        |k| 1e6 + 2.0 * k,
        |k| 0.5 + 0.25 * k,
        |_| 0.0,
    ];
    for (i, f) in values.iter().enumerate() {
        let l = Labels::from_pairs([("__name__", "c_total".to_string()), ("i", i.to_string())]);
        for k in 0..200i64 {
            s.append(&l, k * 15_000, f(k as f64)).unwrap();
        }
    }
    for e in [
        "rate(c_total[1m])",
        "increase(c_total[2m])",
        "delta(c_total[1m])",
        "sum(rate(c_total[5m]))",
        "rate(c_total{i=\"2\"}[1m])",
    ] {
        assert_range_matches_instants(&s, e, 0, 2_400_000, 15_000);
        assert_range_matches_instants(&s, e, 60_000, 2_400_000, 15_000);
    }
}
