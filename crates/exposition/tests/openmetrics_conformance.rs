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
use signalboard_exposition::{parse_bytes, Format};

#[test]
fn openmetrics_suite_verdicts() {
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
        match (parse_bytes(&bytes, Format::OpenMetrics), should_parse) {
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
