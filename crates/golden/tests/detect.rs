//! Detection and dashboard generation on small hand-made expositions: the cases the captured
//! fixtures do not cover (summary-only latency, status classes, Micrometer's `outcome` alone,
//! nothing to detect).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use signalboard_exposition::{parse, Format};
use signalboard_golden::{
    detect_job, golden_dashboard, request_ratio, Catalog, DashboardOptions, LatencySource,
};

fn sources(text: &str) -> signalboard_golden::Sources {
    let exp = parse(text, Format::Prometheus).unwrap();
    detect_job(&Catalog::from_exposition("api", &exp), "api")
}

#[test]
fn summary_quantiles_are_used_when_there_is_no_histogram() {
    let s = sources(
        "# TYPE rpc_request_duration_seconds summary\n\
         rpc_request_duration_seconds{quantile=\"0.5\"} 0.1\n\
         rpc_request_duration_seconds{quantile=\"0.99\"} 0.9\n\
         rpc_request_duration_seconds_sum 12\n\
         rpc_request_duration_seconds_count 100\n",
    );
    assert_eq!(
        s.latency,
        Some(LatencySource::Summary {
            family: "rpc_request_duration_seconds".into(),
            quantiles: vec!["0.5".into(), "0.99".into()],
            unit: "s",
        })
    );
    // Its _count is the traffic source when no counter exists.
    assert_eq!(
        s.traffic.unwrap().series,
        "rpc_request_duration_seconds_count"
    );
}

#[test]
fn status_classes_and_outcome_labels_select_server_errors() {
    let s = sources(
        "# TYPE http_requests_total counter\n\
         http_requests_total{handler=\"/a\",status=\"2xx\"} 10\n\
         http_requests_total{handler=\"/a\",status=\"5xx\"} 1\n",
    );
    let errors = s.errors.unwrap();
    assert_eq!(
        request_ratio(&errors, "api", &errors.status.clone().unwrap().server_errors()),
        "(sum(rate(http_requests_total{job=\"api\",status=~\"5..\"}[$__rate_interval])) or vector(0)) \
         / sum(rate(http_requests_total{job=\"api\"}[$__rate_interval]))"
    );
    let s = sources(
        "# TYPE http_server_requests_seconds summary\n\
         http_server_requests_seconds_count{uri=\"/a\",outcome=\"SUCCESS\"} 10\n\
         http_server_requests_seconds_sum{uri=\"/a\",outcome=\"SUCCESS\"} 1\n",
    );
    let errors = s.errors.unwrap();
    assert_eq!(
        errors.status.unwrap().server_errors(),
        "outcome=\"SERVER_ERROR\""
    );
    assert_eq!(
        s.latency,
        Some(LatencySource::Mean {
            family: "http_server_requests_seconds".into(),
            unit: "s"
        })
    );
}

#[test]
fn missing_signals_become_text_panels_naming_the_metric_to_add() {
    let s = sources("# TYPE temperature_celsius gauge\ntemperature_celsius 21\n");
    assert!(s.traffic.is_none() && s.latency.is_none() && s.saturation.is_empty());
    let dash = golden_dashboard(&[s], &DashboardOptions::default());
    let panels = dash["panels"].as_array().unwrap();
    let rows: Vec<&str> = panels
        .iter()
        .filter(|p| p["type"] == "row")
        .map(|p| p["title"].as_str().unwrap())
        .collect();
    assert_eq!(rows, ["Traffic", "Errors", "Latency", "Saturation"]);
    let texts: Vec<&str> = panels
        .iter()
        .filter(|p| p["type"] == "text")
        .map(|p| p["options"]["content"].as_str().unwrap())
        .collect();
    assert_eq!(texts.len(), 5);
    assert!(texts[3].starts_with("No request latency histogram found: add one like"));
}

#[test]
fn error_and_saturation_panels_carry_the_alarm_thresholds_and_units() {
    let s = sources(
        "# TYPE http_requests_total counter\n\
         http_requests_total{endpoint=\"/a\",status=\"200\"} 10\n\
         # TYPE db_connections_in_use gauge\ndb_connections_in_use 3\n\
         # TYPE db_connection_pool_size gauge\ndb_connection_pool_size 10\n",
    );
    let dash = golden_dashboard(&[s], &DashboardOptions::default());
    let panels = dash["panels"].as_array().unwrap();
    let find = |title: &str| panels.iter().find(|p| p["title"] == title).unwrap();
    let five = find("5xx error ratio (server's fault)");
    assert_eq!(five["fieldConfig"]["defaults"]["unit"], "percentunit");
    assert_eq!(
        five["fieldConfig"]["defaults"]["thresholds"]["steps"][2],
        serde_json::json!({"color": "red", "value": 0.01})
    );
    assert_eq!(
        find("Request rate")["fieldConfig"]["defaults"]["unit"],
        "reqps"
    );
    let pool = find("db_connections_in_use / db_connection_pool_size");
    assert_eq!(pool["type"], "gauge");
    assert_eq!(
        pool["fieldConfig"]["defaults"]["thresholds"]["steps"][2]["value"],
        0.8
    );
    assert_eq!(
        pool["targets"][0]["expr"],
        "max(db_connections_in_use{job=\"api\"} / (db_connection_pool_size{job=\"api\"} > 0))"
    );
}

#[test]
fn several_jobs_get_their_own_scoped_panels_in_each_row() {
    let api = parse(
        "# TYPE http_requests_total counter\nhttp_requests_total{status=\"200\"} 1\n",
        Format::Prometheus,
    )
    .unwrap();
    let host = parse(
        "# TYPE node_memory_MemAvailable_bytes gauge\nnode_memory_MemAvailable_bytes 1\n\
         # TYPE node_memory_MemTotal_bytes gauge\nnode_memory_MemTotal_bytes 4\n",
        Format::Prometheus,
    )
    .unwrap();
    let mut catalog = Catalog::new();
    catalog.add_exposition("api", &api);
    catalog.add_exposition("host", &host);
    let sources = signalboard_golden::detect(&catalog);
    assert_eq!(sources.len(), 2);
    let dash = golden_dashboard(&sources, &DashboardOptions::default());
    let titles: Vec<&str> = dash["panels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles[1], "api: Request rate");
    assert!(titles.contains(&"host: Traffic"));
    assert!(titles.contains(&"host: Host memory used"));
    let host_memory = dash["panels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["title"] == "host: Host memory used")
        .unwrap();
    assert_eq!(
        host_memory["targets"][0]["expr"],
        "1 - sum(node_memory_MemAvailable_bytes{job=\"host\"}) / sum(node_memory_MemTotal_bytes{job=\"host\"})"
    );
}

#[test]
fn an_alert_list_panel_can_head_the_dashboard() {
    let s = sources("# TYPE x gauge\nx 1\n");
    let options = DashboardOptions {
        alert_list: true,
        ..DashboardOptions::default()
    };
    let dash = golden_dashboard(&[s], &options);
    let first = &dash["panels"][0];
    assert_eq!(first["type"], "alertlist");
    assert_eq!(
        first["gridPos"],
        serde_json::json!({"x": 0, "y": 0, "w": 24, "h": 5})
    );
    assert_eq!(
        dash["panels"][1]["gridPos"],
        serde_json::json!({"x": 0, "y": 5, "w": 24, "h": 1})
    );
    let plain = golden_dashboard(
        &[sources("# TYPE x gauge\nx 1\n")],
        &DashboardOptions::default(),
    );
    assert_eq!(plain["panels"][0]["type"], "row");
}

/// Process CPU is a share with an alarm only against a known limit: one core for CPython and
/// Node.js, GOMAXPROCS when exported; otherwise it is cores used, without alarm.
#[test]
fn process_cpu_is_a_share_only_of_a_known_limit() {
    let cpu = "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 3.5\n";
    let find = |text: &str| {
        let s = sources(text);
        s.saturation
            .into_iter()
            .find(|src| src.title.starts_with("Process CPU"))
            .unwrap()
    };
    let python = find(&format!(
        "{cpu}# TYPE python_info gauge\npython_info{{version=\"3.12\"}} 1\n"
    ));
    assert_eq!(python.title, "Process CPU (share of one core)");
    assert!(python.ratio);
    assert_eq!(
        python.expr,
        "max(rate(process_cpu_seconds_total{job=\"api\"}[$__rate_interval]))"
    );
    let node = find(&format!(
        "{cpu}# TYPE nodejs_heap_size_used_bytes gauge\nnodejs_heap_size_used_bytes 1e6\n"
    ));
    assert!(node.ratio);
    let go_text =
        format!("{cpu}# TYPE go_sched_gomaxprocs_threads gauge\ngo_sched_gomaxprocs_threads 4\n");
    let go_sources = sources(&go_text);
    let go = find(&go_text);
    assert_eq!(go.title, "Process CPU (share of GOMAXPROCS)");
    assert!(go.ratio);
    assert_eq!(
        go.expr,
        "max(rate(process_cpu_seconds_total{job=\"api\"}[$__rate_interval]) \
         / (go_sched_gomaxprocs_threads{job=\"api\"} > 0))"
    );
    let other = find(cpu);
    assert_eq!(other.title, "Process CPU (cores)");
    assert!(!other.ratio);
    assert_eq!(other.unit, "short");
    // Cores used are drawn as a time series, not as a 0-100% gauge.
    let dash = golden_dashboard(&[sources(cpu)], &DashboardOptions::default());
    let panel = dash["panels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["title"] == "Process CPU (cores)")
        .unwrap();
    assert_eq!(panel["type"], "timeseries");
    // Its one unlabelled series is named, not shown as the whole expression.
    assert_eq!(panel["targets"][0]["legendFormat"], "Process CPU (cores)");
    let rules = signalboard_golden::default_rules(&sources(cpu), &Default::default());
    assert!(rules.iter().all(|r| !r.expr.contains("process_cpu")));
    let rules = signalboard_golden::default_rules(&go_sources, &Default::default());
    assert!(rules
        .iter()
        .any(|r| r.expr.contains("go_sched_gomaxprocs_threads")));
}
