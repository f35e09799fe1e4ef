//! `signalboard-cli bench parse`: JSON lines per DESIGN.md "Benchmark output" and usage errors.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_signalboard-cli");

#[test]
fn json_lines_report_throughput_and_samples() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/conformance/prometheus-text/bench/alltypes.237mfs.prom.txt"
    );
    assert!(
        std::path::Path::new(file).is_file(),
        "shared payload missing: {file}"
    );
    let out = Command::new(BIN)
        .args([
            "bench",
            "parse",
            "--no-peers",
            "--repeat",
            "2",
            "--json",
            file,
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let metrics: Vec<&str> = rows.iter().map(|r| r["metric"].as_str().unwrap()).collect();
    assert_eq!(
        metrics,
        ["throughput", "throughput_best", "samples_per_second"]
    );
    for row in &rows {
        assert_eq!(row["bench"], "parse");
        assert_eq!(row["input"], "alltypes.237mfs.prom.txt");
        assert!(row["value"].as_f64().unwrap() > 0.0, "{row}");
        assert!(row.get("peer").is_none());
    }
    assert_eq!(rows[0]["unit"], "MB/s");
    assert_eq!(rows[2]["unit"], "samples/s");
}

#[test]
fn unknown_benchmark_and_missing_file_exit_2() {
    let out = Command::new(BIN)
        .args(["bench", "nosuch"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(BIN)
        .args(["bench", "parse", "/nonexistent.prom"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(BIN).args(["bench", "parse"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
