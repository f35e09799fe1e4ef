//! Runs every Prometheus promqltest script in ../shared/conformance/promql/testdata and
//! fails if the pass count drops below the recorded floor (or the failure count rises).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;

use signalboard_promql::promqltest::{run_script, Outcome};

/// Measured total; raise as the engine improves, so regressions fail. Any failed eval fails
/// the test (every non-skipped eval in all 21 scripts passes).
const MIN_PASSED: usize = 1223;

/// Per-file pass floors for the files `make test` runs (issue 5).
const CORE_FLOORS: &[(&str, usize)] = &[
    ("aggregators.test", 152),
    ("functions.test", 373),
    ("histograms.test", 85),
    ("operators.test", 206),
    ("selectors.test", 31),
    ("staleness.test", 17),
    ("range_queries.test", 12),
    ("literals.test", 25),
    ("collision.test", 2),
    ("subquery.test", 32),
    ("at_modifier.test", 71),
];

fn testdata() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/conformance/promql/testdata"
    ))
}

#[test]
fn all_promqltest_scripts() {
    let dir = testdata();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("conformance suite missing at {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "test"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 21,
        "expected the 21 upstream scripts, found {}",
        files.len()
    );
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    let mut below_floor = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    for f in &files {
        let report = run_script(&std::fs::read_to_string(f).unwrap());
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        println!(
            "{name}: {} passed, {} failed, {} skipped",
            report.passed(),
            report.failed(),
            report.skipped()
        );
        if let Some((_, floor)) = CORE_FLOORS.iter().find(|(n, _)| *n == name) {
            if report.passed() < *floor {
                below_floor.push(format!("{name}: {} < {floor}", report.passed()));
            }
        }
        for r in &report.results {
            if let Outcome::Failed(why) = &r.outcome {
                failures.push(format!("{name}:{}: {}: {why}", r.line, r.command));
            }
        }
        passed += report.passed();
        failed += report.failed();
        skipped += report.skipped();
    }
    println!("total: {passed} passed, {failed} failed, {skipped} skipped");
    assert!(
        failures.is_empty(),
        "{failed} failed evals:\n{}",
        failures.join("\n")
    );
    assert!(
        below_floor.is_empty(),
        "per-file regressions: {below_floor:?}"
    );
    assert!(passed >= MIN_PASSED, "passed {passed} < floor {MIN_PASSED}");
}
