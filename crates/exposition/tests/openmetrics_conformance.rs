//! Every case of the OpenMetrics parser suite (`shared/conformance/openmetrics/parsers`):
//! `shouldParse: true` cases are accepted, all others (`bad_*`) rejected.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;

use serde_json::Value;
use signalboard_exposition::{parse, parse_bytes, parse_strict, Format, Limits, Validation};

fn suite() -> (PathBuf, Vec<String>) {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/conformance/openmetrics/parsers"
    ));
    assert!(
        dir.is_dir(),
        "OpenMetrics suite missing at {}",
        dir.display()
    );
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    (dir, names)
}

#[test]
fn openmetrics_suite_verdicts() {
    let (dir, names) = suite();
    let mut failures = Vec::new();
    let (mut accepted, mut rejected) = (0, 0);
    for name in &names {
        let case = dir.join(name);
        let meta: Value =
            serde_json::from_str(&std::fs::read_to_string(case.join("test.json")).unwrap())
                .unwrap();
        let should_parse = meta["shouldParse"].as_bool().unwrap();
        assert_eq!(
            should_parse,
            !name.starts_with("bad_"),
            "{name}: naming and shouldParse disagree"
        );
        let bytes = std::fs::read(case.join(meta["file"].as_str().unwrap())).unwrap();
        let comment = meta["comment"].as_str().unwrap_or("");
        match (
            parse_bytes(
                &bytes,
                Format::OpenMetrics,
                &Limits::default(),
                Validation::Strict,
            ),
            should_parse,
        ) {
            (Ok(_), true) => accepted += 1,
            (Err(e), false) => {
                rejected += 1;
                println!("{name}: rejected: {e}");
            }
            (Ok(exp), false) => failures.push(format!(
                "{name}: accepted ({} samples) but must be rejected {comment}",
                exp.sample_count()
            )),
            (Err(e), true) => {
                failures.push(format!("{name}: rejected ({e}) but must parse {comment}"))
            }
        }
    }
    println!(
        "openmetrics: {accepted} accepted + {rejected} rejected = {} of {} cases match",
        accepted + rejected,
        names.len()
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(names.len(), 211, "the suite should hold 211 cases");
}

/// Prometheus-level validation (the default `parse`) accepts every valid case, still rejects
/// the syntax errors, and accepts real client_golang output that strict OpenMetrics refuses.
#[test]
fn prometheus_validation_is_lenient_only_on_semantics() {
    let (dir, names) = suite();
    let mut rejected = 0;
    for name in &names {
        let bytes = std::fs::read(dir.join(name).join("metrics")).unwrap();
        let result = parse_bytes(
            &bytes,
            Format::OpenMetrics,
            &Limits::default(),
            Validation::Prometheus,
        );
        if name.starts_with("bad_") {
            rejected += usize::from(result.is_err());
        } else {
            assert!(result.is_ok(), "{name}: {:?}", result.err());
        }
        let syntax_error = [
            "bad_blank_line",
            "bad_no_eof",
            "bad_text_after_eof_0",
            "bad_value_1",
            "bad_invalid_labels_0",
        ];
        if syntax_error.contains(&name.as_str()) {
            assert!(
                result.is_err(),
                "{name} is a syntax error and must be rejected at any level"
            );
        }
    }
    println!(
        "openmetrics, Prometheus-level validation: {rejected} of 167 bad cases still rejected"
    );
    assert!(
        rejected > 60 && rejected < 167,
        "lenient mode should keep syntax checks only ({rejected})"
    );

    let om = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/conformance/prometheus-text/bench/alltypes.5mfs.om.txt"
    ))
    .unwrap();
    let exp = parse(&om, Format::OpenMetrics).unwrap();
    assert_eq!(exp.sample_count(), 53);
    let err = parse_strict(&om, Format::OpenMetrics).unwrap_err();
    assert!(err.message.contains("_sum"), "{err}");
}
