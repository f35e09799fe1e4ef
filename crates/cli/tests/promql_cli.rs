//! End-to-end tests of `signalboard-cli eval` and `signalboard-cli promqltest`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;
use std::process::Command;

fn cli() -> Command {
    Command::new(env!("CARGO_BIN_EXE_signalboard-cli"))
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sb-promql-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn eval_rate_over_two_snapshots() {
    let a = temp_file(
        "a.prom",
        "# TYPE req_total counter\nreq_total{code=\"200\"} 100\n",
    );
    let b = temp_file(
        "b.prom",
        "# TYPE req_total counter\nreq_total{code=\"200\"} 160\n",
    );
    let out = cli()
        .args(["eval", "--at", "60", "--data"])
        .arg(format!("{}@0", a.display()))
        .arg("--data")
        .arg(format!("{}@60", b.display()))
        .arg("increase(req_total[2m])")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    // Window (-60s, 60s]: the 60s gap to the window start is within 1.1x the sample spacing, so
    // the increase of 60 is extrapolated over the whole 120s (the zero floor, 100s back, is
    // not reached): 60 * 120/60 = 120.
    assert_eq!(
        stdout.trim(),
        "{code=\"200\", instance=\"localhost\", job=\"eval\"} 120"
    );
}

#[test]
fn eval_up_and_json_output() {
    let a = temp_file("c.prom", "x 1\n");
    let out = cli()
        .args(["eval", "--json", "--at", "1970-01-01T00:00:10Z", "--data"])
        .arg(format!("{}@1970-01-01T00:00:05Z", a.display()))
        .arg("up")
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["resultType"], "vector");
    assert_eq!(v["result"][0]["metric"]["job"], "eval");
    assert_eq!(v["result"][0]["value"][0], 10.0);
    assert_eq!(v["result"][0]["value"][1], "1");
}

#[test]
fn eval_query_error_exits_1_and_bad_data_exits_2() {
    let out = cli()
        .args(["eval", "--at", "0", "sum by (a"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("parse error"));
    let out = cli()
        .args(["eval", "--at", "0", "--data", "/nonexistent@0", "up"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn promqltest_reports_counts_on_the_last_line() {
    let script = "load 1m\n  m{a=\"1\"} 0+1x5\n\neval instant at 5m m\n  m{a=\"1\"} 5\n\neval instant at 5m m\n  m{a=\"1\"} 6\n\neval instant at 5m histogram_count(m)\n";
    let p = temp_file("t.test", script);
    let out = cli().arg("promqltest").arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout.lines().last().unwrap(),
        "1 passed, 1 failed, 1 skipped"
    );
    assert!(
        stdout.contains("histogram_count"),
        "skips are listed by name: {stdout}"
    );
}

#[test]
fn promqltest_core_files_have_no_failures() {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/conformance/promql/testdata"
    ));
    let files = [
        "aggregators.test",
        "functions.test",
        "histograms.test",
        "operators.test",
        "selectors.test",
        "staleness.test",
        "range_queries.test",
        "literals.test",
        "collision.test",
        "subquery.test",
        "at_modifier.test",
    ];
    let out = cli()
        .arg("promqltest")
        .args(files.iter().map(|f| dir.join(f)))
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "failures:\n{stdout}");
    assert!(stdout.lines().last().unwrap().contains(" 0 failed"));
}

#[test]
fn bench_query_and_store_print_json_measurements() {
    let out = cli()
        .args(["bench", "query", "--json", "--repeat", "1", "--hours", "1"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["bench"], "query");
    assert_eq!(lines[0]["input"], "p99");
    assert!(lines[0]["value"].as_f64().unwrap() > 0.0);
    let out = cli()
        .args([
            "bench",
            "store",
            "--json",
            "--series",
            "2000",
            "--scrapes",
            "3",
            "--targets",
            "2",
            "--hours",
            "0.5",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let ingest: serde_json::Value = serde_json::from_str(stdout.lines().nth(1).unwrap()).unwrap();
    assert_eq!(ingest["input"], "ingest");
    assert_eq!(ingest["unit"], "samples/s");
    assert!(ingest["value"].as_f64().unwrap() > 0.0);
}

/// `signalboard-cli eval … | head -1`: the reader closes the pipe after one line; the CLI must
/// stop quietly (status 0), not panic with "failed printing to stdout".
#[test]
fn eval_into_a_closed_pipe_exits_quietly() {
    let body: String = (0..20_000)
        .map(|i| format!("many_series{{i=\"{i}\"}} {i}\n"))
        .collect();
    let data = temp_file("many.prom", &body);
    let mut child = cli()
        .args(["eval", "--at", "0", "--data"])
        .arg(format!("{}@0", data.display()))
        .arg("many_series")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away before reading anything
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "stderr: {stderr}");
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
}
