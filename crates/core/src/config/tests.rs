#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
use super::*;

#[test]
fn durations_parse_like_prometheus() {
    assert_eq!(parse_duration("15s"), Ok(15_000));
    assert_eq!(parse_duration("1m30s"), Ok(90_000));
    assert_eq!(parse_duration("500ms"), Ok(500));
    assert_eq!(parse_duration("1h"), Ok(3_600_000));
    assert_eq!(parse_duration("2d"), Ok(172_800_000));
    assert!(parse_duration("30s1m").is_err(), "units out of order");
    assert!(parse_duration("5x").is_err());
    assert!(parse_duration("").is_err());
    assert!(parse_duration("s").is_err());
    assert!(parse_duration("99999999999999999y").is_err());
    assert_eq!(format_duration(90_000), "1m30s");
    assert_eq!(format_duration(500), "500ms");
}

#[test]
fn sizes_parse() {
    assert_eq!(parse_size("10MB"), Ok(10 << 20));
    assert_eq!(parse_size("512KiB"), Ok(512 << 10));
    assert_eq!(parse_size("100"), Ok(100));
    assert!(parse_size("ten").is_err());
    assert!(parse_size("5PB").is_err());
}

const EXAMPLE: &str = r#"{
  "global": { "scrape_interval": "15s", "scrape_timeout": "10s" },
  "scrape_configs": [
    { "job_name": "api", "metrics_path": "/metrics", "scheme": "http",
      "static_configs": [ { "targets": ["127.0.0.1:8000"], "labels": { "env": "dev" } } ],
      "scrape_interval": "5s", "sample_limit": 50000, "body_size_limit": "10MB" }
  ],
  "probes": [ { "name": "api-health", "url": "http://127.0.0.1:8000/health", "interval": "15s" } ],
  "datasources": [ { "name": "prometheus", "type": "prometheus", "url": "http://127.0.0.1:9090" } ],
  "dashboards": [ "dashboards/golden-signals.json" ],
  "storage": { "retention": "6h", "memory_limit": "256MB" }
}"#;

#[test]
fn design_example_parses_and_resolves_targets() {
    let cfg = Config::from_json(EXAMPLE).unwrap();
    let t = cfg.targets();
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].url, "http://127.0.0.1:8000/metrics");
    assert_eq!(t[0].instance, "127.0.0.1:8000");
    assert_eq!(t[0].interval_ms, 5_000);
    assert_eq!(t[0].timeout_ms, 5_000, "timeout capped at the interval");
    assert_eq!(t[0].body_size_limit, 10 << 20);
    assert_eq!(t[0].labels, vec![("env".to_string(), "dev".to_string())]);
    assert_eq!(cfg.retention_ms(), 6 * 3_600_000);
}

#[test]
fn errors_name_the_field() {
    let bad = EXAMPLE.replace("\"5s\"", "\"5x\"");
    let e = Config::from_json(&bad).unwrap_err();
    assert_eq!(e.field, "scrape_configs[0].scrape_interval");
    let bad = EXAMPLE.replace("http://127.0.0.1:8000/health", "javascript:alert(1)");
    let e = Config::from_json(&bad).unwrap_err();
    assert_eq!(e.field, "probes[0].url");
    let e = Config::from_json("{\n  \"global\": 3,\n}").unwrap_err();
    assert!(e.to_string().starts_with("JSON error at line 2"), "{e}");
}

#[test]
fn target_url_adds_a_job_from_the_host() {
    let mut cfg = Config::from_json("{}").unwrap();
    cfg.add_target_url("http://10.0.0.5:9100/metrics").unwrap();
    let t = cfg.targets();
    assert_eq!(t[0].job, "10.0.0.5");
    assert_eq!(t[0].instance, "10.0.0.5:9100");
    assert_eq!(t[0].url, "http://10.0.0.5:9100/metrics");
    assert!(cfg.add_target_url("data:text/html,hi").is_err());
    assert!(cfg.add_target_url("http://user:pw@host/metrics").is_err());
}

#[test]
fn federation_params_and_honor_labels_reach_the_target() {
    let cfg = Config::from_json(
        r#"{"scrape_configs": [{"job_name": "fed", "metrics_path": "/federate",
            "honor_labels": true, "params": {"match[]": ["{job=\"demo\"}", "up"]},
            "static_configs": [{"targets": ["127.0.0.1:9090"]}]}]}"#,
    )
    .unwrap();
    let t = &cfg.targets()[0];
    assert_eq!(
        t.url,
        "http://127.0.0.1:9090/federate?match%5B%5D=%7Bjob%3D%22demo%22%7D&match%5B%5D=up"
    );
    assert!(t.honor_labels);
}

#[test]
fn datasources_resolve_with_credentials_in_headers_only() {
    let cfg = Config::from_json(
        r#"{"global": {"scrape_interval": "5s"}, "datasources": [
            {"name": "prom", "uid": "P1", "url": "http://127.0.0.1:9090/", "timeout": "3s",
             "basic_auth": {"username": "Aladdin", "password": "open sesame"},
             "headers": {"X-Scope-OrgID": "team-a"}},
            {"name": "mimir", "url": "https://m.example/prometheus", "scrape_interval": "30s",
             "authorization": {"credentials": "tok"}}]}"#,
    )
    .unwrap();
    let p = cfg.datasource("P1").unwrap();
    assert_eq!(cfg.datasource("prom"), Some(p.clone()));
    assert_eq!(p.base_url, "http://127.0.0.1:9090");
    assert_eq!((p.timeout_ms, p.scrape_interval_ms), (3_000, 5_000));
    assert_eq!(
        p.headers,
        vec![
            ("X-Scope-OrgID".to_string(), "team-a".to_string()),
            (
                "Authorization".to_string(),
                "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==".to_string()
            ),
        ]
    );
    let m = cfg.datasource("mimir").unwrap();
    assert_eq!(m.scrape_interval_ms, 30_000);
    assert_eq!(
        m.headers,
        vec![("Authorization".into(), "Bearer tok".into())]
    );
    assert!(cfg.datasource("nope").is_none());
    assert_eq!(base64(b"ab"), "YWI=");
    assert_eq!(base64(b"a"), "YQ==");
}

#[test]
fn bad_datasources_name_the_field() {
    let cases = [
        (
            r#"{"name": "x", "type": "loki", "url": "http://h:1"}"#,
            "datasources[0].type",
        ),
        (r#"{"name": "x", "url": "ftp://h"}"#, "datasources[0].url"),
        (
            r#"{"name": "x", "url": "http://h:1", "timeout": "soon"}"#,
            "datasources[0].timeout",
        ),
        (
            r#"{"name": "x", "url": "http://h:1", "headers": {"a b": "c"}}"#,
            "datasources[0].headers",
        ),
        (
            r#"{"name": "", "url": "http://h:1"}"#,
            "datasources[0].name",
        ),
    ];
    for (ds, field) in cases {
        let e = Config::from_json(&format!(r#"{{"datasources": [{ds}]}}"#)).unwrap_err();
        assert_eq!(e.field, field, "{ds}: {e}");
    }
}

#[test]
fn alerting_rules_parse_and_name_their_fields() {
    let cfg = Config::from_json(
        r#"{"alerting_rules": [{"alert": "SlowCheckout", "expr": "p95 > 1", "for": "2m",
            "labels": {"severity": "page"}, "annotations": {"summary": "slow"}}]}"#,
    )
    .unwrap();
    let r = &cfg.alerting_rules[0];
    assert_eq!(
        (r.alert.as_str(), r.for_.as_deref()),
        ("SlowCheckout", Some("2m"))
    );
    assert_eq!(r.labels["severity"], "page");
    let e =
        Config::from_json(r#"{"alerting_rules": [{"alert": "X", "expr": "up", "for": "soon"}]}"#)
            .unwrap_err();
    assert_eq!(e.field, "alerting_rules[0].for");
    assert!(Config::from_json(
        r#"{"alerting_rules": [{"alert": "X", "expr": "up", "for": "0s"}]}"#
    )
    .is_ok());
    let e = Config::from_json(r#"{"alerting_rules": [{"alert": "", "expr": "up"}]}"#).unwrap_err();
    assert_eq!(e.field, "alerting_rules[0].alert");
}

#[test]
fn default_config_is_the_parsed_empty_json() {
    let parsed = Config::from_json("{}").map_err(|e| e.to_string());
    assert_eq!(parsed, Ok(Config::default()));
    let d = Config::default();
    assert_eq!(d.global.scrape_interval, "15s");
    assert!(d.scrape_configs.is_empty() && d.datasources.is_empty());
    assert!(d.validate().is_ok());
}
