//! `signalboard-cli import` on every Grafana fixture and on rejected inputs.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/fixtures/grafana"
    ))
    .join(name);
    assert!(path.exists(), "fixture {} missing", path.display());
    path
}

fn import(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_signalboard-cli"))
        .arg("import")
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// (fixture, rendered, placeholders, rows, queries) — panel and query counts from the
/// reference notes (grafana-model.md §0/§8.1); every query must parse.
const EXPECTED: [(&str, usize, usize, usize, usize); 9] = [
    ("autometrics-function-explorer.json", 3, 0, 0, 3),
    ("autometrics-slo.json", 6, 0, 2, 6),
    // Its alertlist panel shows Signalboard's client-side alerts.
    ("cloudnative-pg.json", 103, 0, 11, 118),
    ("flask-webapp.json", 9, 0, 0, 9),
    ("ingress-nginx-request-handling.json", 8, 0, 0, 13),
    ("ingress-nginx.json", 14, 0, 0, 21),
    ("node-exporter-full-old-legacy.json", 172, 0, 19, 472),
    ("node-exporter-full.json", 125, 0, 16, 286),
    ("thanos-query-legacy.json", 18, 0, 7, 31),
];

#[test]
fn every_fixture_imports_with_all_queries_parsed() {
    for (name, rendered, placeholders, rows, queries) in EXPECTED {
        let out = import(&[fixture(name).to_str().unwrap(), "--strict"]);
        let text = stdout(&out);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let panels_line =
            format!("panels: {rendered} rendered, {placeholders} placeholders, {rows} rows");
        assert!(
            text.contains(&panels_line),
            "{name}: expected {panels_line:?} in\n{text}"
        );
        let queries_line = format!("queries: {queries} parsed, 0 failed");
        assert!(
            text.contains(&queries_line),
            "{name}: expected {queries_line:?} in\n{text}"
        );
    }
}

#[test]
fn report_lists_types_and_placeholder_warning() {
    let text = stdout(&import(&[fixture("cloudnative-pg.json").to_str().unwrap()]));
    assert!(text.contains("alertlist         1 / 0"), "{text}");
    assert!(text.contains("stat             39 / 0"), "{text}");
    let dir = std::env::temp_dir().join(format!("sb-import-pie-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("pie.json");
    let json = r#"{"title": "t", "panels": [{"id": 1, "type": "piechart", "title": "Pie",
        "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8}, "targets": [{"refId": "A", "expr": "up"}]}]}"#;
    std::fs::write(&path, json).unwrap();
    let text = stdout(&import(&[path.to_str().unwrap()]));
    assert!(text.contains("piechart          0 / 1"), "{text}");
    assert!(
        text.contains("unknown type \"piechart\" shown as placeholder"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn failed_queries_are_listed_with_reasons_and_strict_fails() {
    let dir = std::env::temp_dir().join(format!("sb-import-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad-query.json");
    let json = r#"{"title": "t", "panels": [{"id": 7, "type": "timeseries", "title": "P",
        "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
        "targets": [{"refId": "A", "expr": "rate(x[5m]"}, {"refId": "B", "expr": "up{job=\"$job\"}"}]}],
        "templating": {"list": [{"name": "job", "type": "query", "query": "label_values(up, job)"}]}}"#;
    std::fs::write(&path, json).unwrap();
    let out = import(&[path.to_str().unwrap()]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "imported even with a bad query");
    assert!(text.contains("queries: 1 parsed, 1 failed"), "{text}");
    assert!(text.contains("FAILED panel 7 \"P\" A:"), "{text}");
    assert_eq!(
        import(&[path.to_str().unwrap(), "--strict"]).status.code(),
        Some(1)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn invalid_json_is_rejected_with_line_and_column() {
    let dir = std::env::temp_dir().join(format!("sb-import-json-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.json");
    std::fs::write(&path, "{\n  \"title\": \"x\",\n  \"panels\": [,]\n}").unwrap();
    let out = import(&[path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("JSON error at line 3 col 14"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn v2_resource_and_missing_file() {
    let dir = std::env::temp_dir().join(format!("sb-import-v2-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("v2.json");
    std::fs::write(&path, r#"{"apiVersion": "dashboard.grafana.app/v2beta1", "kind": "Dashboard", "spec": {"elements": {}, "layout": {"kind": "GridLayout"}}}"#).unwrap();
    let out = import(&[path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not supported yet"));
    assert_eq!(
        import(&[dir.join("nope.json").to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn export_writes_json_that_imports_again() {
    let dir = std::env::temp_dir().join(format!("sb-import-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out_path = dir.join("out.json");
    let first = import(&[
        fixture("thanos-query-legacy.json").to_str().unwrap(),
        "--export",
        out_path.to_str().unwrap(),
    ]);
    assert_eq!(first.status.code(), Some(0));
    let exported: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_path).unwrap()).unwrap();
    assert!(
        exported.get("rows").is_none(),
        "legacy rows converted to panels"
    );
    let second = import(&[out_path.to_str().unwrap()]);
    let text = stdout(&second);
    assert!(
        text.contains("panels: 18 rendered, 0 placeholders, 7 rows"),
        "{text}"
    );
    assert!(
        text.contains("timeseries"),
        "graph panels exported as timeseries: {text}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn json_report() {
    let out = import(&[fixture("ingress-nginx.json").to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(v["title"], "NGINX Ingress controller");
    assert_eq!(v["report"]["panel_types"]["stat"]["rendered"], 5);
    let queries = v["report"]["queries"].as_array().unwrap();
    assert_eq!(queries.len(), 21);
    assert!(
        queries.iter().all(|q| q["status"] == "parsed"),
        "{queries:?}"
    );
    assert_eq!(
        v["report"]["warnings"][0],
        "panel 20: no gridPos, placed at x=0 y=0 w=6 h=3"
    );
}
