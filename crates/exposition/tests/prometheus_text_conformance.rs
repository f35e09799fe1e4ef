//! Every case of `shared/conformance/prometheus-text`: the Prometheus server's verdict, and for
//! accepted cases exactly the samples `index.json` lists (labels, value, timestamp).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;

use serde_json::Value;
use signalboard_exposition::{parse_bytes, Exposition, Format, Limits, Validation};

fn suite_dir() -> PathBuf {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/conformance/prometheus-text"
    ));
    assert!(
        dir.join("index.json").is_file(),
        "conformance suite missing at {}",
        dir.display()
    );
    dir
}

/// A sample as a comparable string: sorted labels with `__name__`, value, timestamp.
fn canonical(labels: Vec<(String, String)>, value: String, ts: Option<i64>) -> String {
    let mut labels = labels;
    labels.sort();
    format!("{labels:?} {value} {ts:?}")
}

fn value_text(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        }
    } else {
        format!("{v:?}")
    }
}

fn actual_samples(exp: &Exposition<'_>) -> Vec<String> {
    let mut out: Vec<String> = exp
        .samples()
        .map(|s| {
            let mut labels: Vec<(String, String)> = s
                .labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            labels.push(("__name__".into(), s.name.to_string()));
            canonical(labels, value_text(s.value), s.timestamp_ms)
        })
        .collect();
    out.sort();
    out
}

fn expected_samples(case: &Value) -> Vec<String> {
    let mut out: Vec<String> = case["expected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let labels = s["labels"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect();
            let value = match &s["value"] {
                Value::String(text) => text.clone(),
                number => value_text(number.as_f64().unwrap()),
            };
            canonical(labels, value, s["timestamp_ms"].as_i64())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn prometheus_text_cases_match_the_server_verdict_and_samples() {
    let dir = suite_dir();
    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("index.json")).unwrap()).unwrap();
    let cases = index["cases"].as_array().unwrap();
    let mut failures = Vec::new();
    let (mut accepted, mut rejected) = (0, 0);
    for case in cases {
        let file = case["file"].as_str().unwrap();
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let want_accept = case["prometheus"] == "accept";
        let result = parse_bytes(
            &bytes,
            Format::Prometheus,
            &Limits::default(),
            Validation::Prometheus,
        );
        let strict = parse_bytes(
            &bytes,
            Format::Prometheus,
            &Limits::default(),
            Validation::Strict,
        );
        // Debug text, not ==: NaN values never compare equal.
        assert_eq!(
            format!("{result:?}"),
            format!("{strict:?}"),
            "{file}: validation level must not matter for Prometheus text"
        );
        match (result, want_accept) {
            (Ok(exp), true) => {
                let (got, want) = (actual_samples(&exp), expected_samples(case));
                if got == want {
                    accepted += 1;
                } else {
                    failures.push(format!(
                        "{file}: samples differ\n  got  {got:?}\n  want {want:?}"
                    ));
                }
            }
            (Err(_), false) => rejected += 1,
            (Ok(exp), false) => failures.push(format!(
                "{file}: accepted ({} samples), Prometheus rejects",
                exp.sample_count()
            )),
            (Err(e), true) => failures.push(format!("{file}: rejected ({e}), Prometheus accepts")),
        }
    }
    println!(
        "prometheus-text: {accepted} accepted + {rejected} rejected = {} of {} cases match",
        accepted + rejected,
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(cases.len(), 102, "the suite should hold 102 cases");
}
