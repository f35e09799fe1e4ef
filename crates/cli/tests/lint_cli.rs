//! `signalboard-cli lint` (exit 0 clean, 1 findings, 2 usage/IO) and `golden`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_signalboard-cli");

fn temp_file(name: &str, body: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("sb-lint-{}-{name}", std::process::id()));
    std::fs::write(&path, body).unwrap();
    path
}

fn cli(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn findings_print_one_line_each_and_exit_1() {
    let file = temp_file(
        "bad.prom",
        "# TYPE http_requests counter\nhttp_requests{method=\"GET\"} 1\n",
    );
    let out = cli(&["lint", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "WARN http_requests: counter without _total suffix; rename to http_requests_total\n\
         WARN http_requests: HTTP request counter without endpoint/status label; add endpoint, \
         status (method, route template as endpoint, status code) so traffic and errors break down\n"
    );
}

#[test]
fn clean_metrics_exit_0_and_unreadable_input_exits_2() {
    let file = temp_file("ok.prom", "# TYPE jobs_total counter\njobs_total 1\n");
    let out = cli(&["lint", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "");
    assert_eq!(
        cli(&["lint", "/nonexistent/metrics"]).status.code(),
        Some(2)
    );
    assert_eq!(
        cli(&["lint", "--slo", "fast", file.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
    let broken = temp_file("broken.prom", "a{ 1\n");
    assert_eq!(
        cli(&["lint", broken.to_str().unwrap()]).status.code(),
        Some(2)
    );
}

#[test]
fn two_snapshots_catch_a_counter_going_down_and_slo_is_configurable() {
    let a = temp_file("a.prom", "# TYPE jobs_total counter\njobs_total 5\n");
    let b = temp_file("b.prom", "# TYPE jobs_total counter\njobs_total 1\n");
    let out = cli(&["lint", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("WARN jobs_total{}: counter went down from 5 to 1;"));
    let hist = temp_file(
        "h.prom",
        "# TYPE http_request_duration_seconds histogram\n\
         http_request_duration_seconds_bucket{le=\"0.25\"} 1\n\
         http_request_duration_seconds_bucket{le=\"+Inf\"} 1\n\
         http_request_duration_seconds_sum 1\nhttp_request_duration_seconds_count 1\n",
    );
    assert_eq!(
        cli(&["lint", "--slo", "250ms", hist.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        cli(&["lint", "--slo", "1s", hist.to_str().unwrap()])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn golden_prints_sources_and_writes_an_importable_dashboard() {
    let fixtures = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../golden/tests/fixtures/go-client_golang"
    );
    let out_json = std::env::temp_dir().join(format!("sb-golden-{}.json", std::process::id()));
    let out = cli(&[
        "golden",
        "--job",
        "api",
        "--dashboard",
        out_json.to_str().unwrap(),
        &format!("{fixtures}/scrape1.prom"),
        &format!("{fixtures}/scrape2.prom"),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with(
        "job api\ntraffic: http_requests_total (endpoint=handler status=code method=method)\n"
    ));
    let import = cli(&["import", out_json.to_str().unwrap()]);
    assert_eq!(import.status.code(), Some(0), "{}", stdout(&import));
}
