//! `signalboard-cli bench query`: the OpenMetrics export, and the comparison with a real
//! Prometheus server — both engines must return the same series and values (relative 1e-9)
//! for the benchmark queries on the same data.
//!
//! The Prometheus test needs `prometheus`, `promtool` and `curl` on PATH. Without them it
//! prints why and passes, unless `SIGNALBOARD_REQUIRE_PROMETHEUS=1` (scripts/test.sh installs
//! the Debian `prometheus` package and sets it, so CI never skips it).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_signalboard-cli");

fn on_path(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn exports_the_workload_as_openmetrics() {
    let dir = std::env::temp_dir().join(format!("sb-bench-om-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("w.om");
    let out = Command::new(BIN)
        .args([
            "bench",
            "query",
            "--instances",
            "1",
            "--endpoints",
            "2",
            "--hours",
            "1",
        ])
        .arg("--export-openmetrics")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // 2 endpoints x (12 buckets + 2 counters) series x 240 scrapes, then `# EOF`.
    assert_eq!(lines.len(), 2 * 14 * 240 + 1);
    assert_eq!(lines.last(), Some(&"# EOF"));
    assert_eq!(
        lines[1],
        "http_request_duration_seconds_bucket{endpoint=\"/api/v0\",instance=\"host-0:9100\",job=\"api\",le=\"0.005\"} 1.0 15.000"
    );
    // Series 13 (500s of /api/v0, k % 7 = 6) at scrape 239: 239 * 0.1 * 1.6.
    let v = 239.0 * 0.1 * (1.0 + 6.0 / 10.0);
    let line = lines[13 * 240 + 239];
    assert!(
        line.starts_with("http_requests_total{code=\"500\",endpoint=\"/api/v0\""),
        "{line}"
    );
    assert!(line.ends_with(&format!(" {v} 3585.000")), "{line}");
}

#[test]
fn agrees_with_prometheus_on_the_benchmark_queries() {
    let missing: Vec<&str> = ["prometheus", "promtool", "curl"]
        .into_iter()
        .filter(|t| !on_path(t))
        .collect();
    if !missing.is_empty() {
        let required = std::env::var("SIGNALBOARD_REQUIRE_PROMETHEUS").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "{missing:?} not on PATH (apt-get install prometheus curl)"
        );
        eprintln!("SKIPPED agrees_with_prometheus: {missing:?} not on PATH");
        return;
    }
    let out = Command::new(BIN)
        .args([
            "bench",
            "query",
            "--instances",
            "3",
            "--endpoints",
            "4",
            "--hours",
            "2",
        ])
        .args(["--repeat", "2", "--prometheus", "--json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for query in ["p99", "error-ratio"] {
        let find = |metric: &str| {
            lines
                .iter()
                .find(|l| l["input"] == query && l["metric"] == metric)
                .unwrap_or_else(|| panic!("no {metric} line for {query}: {stdout}"))
        };
        let check = find("max_relative_difference");
        assert_eq!(check["agree"], true, "{check}");
        // 4 endpoints x 241 steps compared.
        assert_eq!(check["points"], 4 * 241, "{check}");
        assert!(check["value"].as_f64().unwrap() <= 1e-9, "{check}");
        let latency = find("latency");
        assert_eq!(latency["peer"], "prometheus");
        let peer_ms = latency["peer_value"].as_f64().unwrap();
        assert!(peer_ms > 0.0, "{latency}");
        let ratio = latency["ratio"].as_f64().unwrap();
        let ours = latency["value"].as_f64().unwrap();
        assert!((ratio - peer_ms / ours).abs() < 1e-9 * ratio, "{latency}");
    }
}
