//! `signalboard-cli bench store`: compression rows on captured exposition files, with the real
//! Prometheus TSDB (`promtool tsdb create-blocks-from openmetrics`) as the peer.
//!
//! The peer needs `promtool` on PATH. Without it the test prints why and passes, unless
//! `SIGNALBOARD_REQUIRE_PROMETHEUS=1` (scripts/test.sh installs the Debian `prometheus`
//! package and sets it, so CI never skips it).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_signalboard-cli");

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(tool).is_file()))
}

/// 130 scrapes of a small target: counters, a decimal CPU-seconds counter, a gauge.
fn captured_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sb-bench-store-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..130u64 {
        let text = format!(
            "# TYPE req_total counter\nreq_total{{code=\"200\"}} {}\nreq_total{{code=\"500\"}} {}\n\
             cpu_seconds_total {}\ntemperature {}\n",
            i * 17 + i % 3,
            i / 10,
            (123_456 + i * 1_490) as f64 / 100.0,
            20.0 + (i % 7) as f64 * 0.5,
        );
        std::fs::write(dir.join(format!("{i:05}.prom")), text).unwrap();
    }
    dir
}

fn rows(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn captured_files_report_bytes_per_sample_against_prometheus_and_naive() {
    let have_promtool = on_path("promtool");
    if !have_promtool {
        let required = std::env::var("SIGNALBOARD_REQUIRE_PROMETHEUS").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "promtool not on PATH (apt-get install prometheus)"
        );
        eprintln!("SKIPPED the Prometheus peer: promtool not on PATH");
    }
    let dir = captured_dir();
    let mut cmd = Command::new(BIN);
    cmd.args([
        "bench",
        "store",
        "--json",
        "--series",
        "100",
        "--scrapes",
        "2",
    ])
    .arg("--captured")
    .arg(&dir);
    if have_promtool {
        cmd.arg("--prometheus");
    }
    let out = cmd.output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = rows(&out.stdout);
    let ours: Vec<&Value> = rows
        .iter()
        .filter(|r| r["metric"] == "bytes/sample" && r["input"] != "counters")
        .collect();
    assert_eq!(ours.len(), if have_promtool { 3 } else { 2 });
    let value = ours[0]["value"].as_f64().unwrap();
    // 5 series x 130 samples; one sealed chunk each plus a 10-sample head.
    assert!(value > 0.1 && value < 3.0, "{value} B/sample");
    let naive = ours.iter().find(|r| r["peer"] == "naive-i64-f64").unwrap();
    assert_eq!(naive["peer_value"], 16.0);
    assert!(naive["ratio"].as_f64().unwrap() < 0.2);
    if have_promtool {
        let prom = ours
            .iter()
            .find(|r| r["peer"] == "prometheus-tsdb-block")
            .unwrap();
        let peer = prom["peer_value"].as_f64().unwrap();
        assert!(peer > 0.5 && peer < 16.0, "Prometheus {peer} B/sample");
    }
    assert!(rows.iter().any(|r| r["metric"] == "total-bytes/sample"));
}

#[test]
fn a_missing_captured_directory_is_an_error() {
    let out = Command::new(BIN)
        .args(["bench", "store", "--series", "10", "--scrapes", "2"])
        .args(["--captured", "/nonexistent/sb-capture"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/sb-capture"));
}
