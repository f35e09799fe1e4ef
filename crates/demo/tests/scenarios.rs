//! Each scenario, switched at run time, must push its golden signal past the usual alarm line.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::*;
use signalboard_demo::{Config, Scenario};

async fn switch(addr: SocketAddr, scenario: &str) {
    let response = post(addr, &format!("/admin/scenario/{scenario}"), "").await;
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(response.json().unwrap()["scenario"], scenario);
}

/// Sends `n` concurrent GETs and returns their status codes.
async fn burst(addr: SocketAddr, path: &'static str, n: usize) -> Vec<u16> {
    let tasks: Vec<_> = (0..n)
        .map(|_| tokio::spawn(async move { get(addr, path).await.status }))
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    statuses
}

fn scenario_gauge(text: &str, scenario: &str) -> Option<f64> {
    value(text, "demo_scenario", &[("scenario", scenario)])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_endpoint_reads_and_switches_the_scenario() {
    let addr = start(quiet_config()).await;
    let current = get(addr, "/admin/scenario").await.json().unwrap();
    assert_eq!(current["scenario"], "normal");
    assert_eq!(
        current["available"].as_array().unwrap().len(),
        Scenario::ALL.len()
    );
    let text = scrape(addr).await;
    assert_eq!(scenario_gauge(&text, "normal"), Some(1.0));
    assert_eq!(scenario_gauge(&text, "error-burst"), Some(0.0));

    let switched = post(addr, "/admin/scenario/error-burst", "")
        .await
        .json()
        .unwrap();
    assert_eq!(switched["previous"], "normal");
    assert_eq!(
        get(addr, "/admin/scenario").await.json().unwrap()["scenario"],
        "error-burst"
    );
    let text = scrape(addr).await;
    assert_eq!(scenario_gauge(&text, "normal"), Some(0.0));
    assert_eq!(scenario_gauge(&text, "error-burst"), Some(1.0));

    let unknown = post(addr, "/admin/scenario/meltdown", "").await;
    assert_eq!(unknown.status, 400);
    assert!(unknown.body.contains("meltdown"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_from_config_applies_at_start() {
    let addr = start(Config {
        scenario: Scenario::DependencyDown,
        ..quiet_config()
    })
    .await;
    assert_eq!(
        get(addr, "/admin/scenario").await.json().unwrap()["scenario"],
        "dependency-down"
    );
    assert_eq!(get(addr, "/health").await.status, 503);
    assert_eq!(
        scenario_gauge(&scrape(addr).await, "dependency-down"),
        Some(1.0)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dependency_down_fails_health_and_database_endpoints() {
    let addr = start(quiet_config()).await;
    let healthy = get(addr, "/health").await;
    assert_eq!(healthy.status, 200);
    let body = healthy.json().unwrap();
    assert_eq!(body["status"], "healthy");
    for check in ["database", "cache", "payment-api"] {
        assert_eq!(body["checks"][check], "ok", "{check}");
    }

    switch(addr, "dependency-down").await;
    let sick = get(addr, "/health").await;
    assert_eq!(sick.status, 503);
    let body = sick.json().unwrap();
    assert_eq!(body["status"], "unhealthy");
    assert!(
        body["checks"]["database"]
            .as_str()
            .unwrap()
            .starts_with("error: "),
        "{body}"
    );
    assert_eq!(body["checks"]["cache"], "ok");
    let statuses = burst(addr, "/api/orders", 5).await;
    assert_eq!(statuses, vec![503; 5]);
    assert_eq!(get(addr, "/api/users").await.status, 503);

    let text = scrape(addr).await;
    let orders_503 = [
        ("method", "GET"),
        ("endpoint", "/api/orders"),
        ("status", "503"),
    ];
    assert_eq!(value(&text, "http_requests_total", &orders_503), Some(5.0));
    assert_eq!(
        value(&text, "app_errors_total", &[("type", "db_unavailable")]),
        Some(6.0)
    );
    assert_eq!(
        value(&text, "demo_dependency_up", &[("dependency", "database")]),
        Some(0.0)
    );

    switch(addr, "normal").await;
    assert_eq!(get(addr, "/health").await.status, 200);
    assert_eq!(get(addr, "/api/orders").await.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn error_burst_pushes_5xx_ratio_past_ten_percent() {
    let addr = start(quiet_config()).await;
    switch(addr, "error-burst").await;
    let statuses = burst(addr, "/api/users", 60).await;
    let failures = statuses.iter().filter(|s| **s >= 500).count();
    let ratio = failures as f64 / statuses.len() as f64;
    assert!(ratio > 0.10, "only {failures}/60 failed");
    assert!(
        failures < statuses.len(),
        "every request failed: the burst should be partial"
    );

    let text = scrape(addr).await;
    let route = |status: &str| {
        value_or_zero(
            &text,
            "http_requests_total",
            &[
                ("method", "GET"),
                ("endpoint", "/api/users"),
                ("status", status),
            ],
        )
    };
    assert_eq!(route("500"), failures as f64);
    assert_eq!(route("200"), (statuses.len() - failures) as f64);
    assert_eq!(
        value(&text, "app_errors_total", &[("type", "internal")]),
        Some(failures as f64)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn latency_spike_pushes_p95_past_one_second() {
    let addr = start(quiet_config()).await;
    switch(addr, "latency-spike").await;
    let statuses = burst(addr, "/api/users/3", 20).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");

    let text = scrape(addr).await;
    let route = [
        ("method", "GET"),
        ("endpoint", "/api/users/{id}"),
        ("status", "200"),
    ];
    let count = value(&text, "http_request_duration_seconds_count", &route).unwrap();
    let under_one_second = value(
        &text,
        "http_request_duration_seconds_bucket",
        &[
            ("method", "GET"),
            ("endpoint", "/api/users/{id}"),
            ("status", "200"),
            ("le", "1.0"),
        ],
    )
    .unwrap();
    assert_eq!(count, 20.0);
    // p95 > 1 s  <=>  fewer than 95% of the requests finished within 1 s.
    assert!(
        under_one_second < 0.95 * count,
        "{under_one_second} of {count} were under 1 s"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pool_saturation_fills_the_pool_and_queues_requests() {
    let addr = start(quiet_config()).await;
    let in_use = |text: &str| value(text, "db_connections_in_use", &[]).unwrap();
    let size = value(&scrape(addr).await, "db_connection_pool_size", &[]).unwrap();
    assert_eq!(in_use(&scrape(addr).await), 0.0);

    switch(addr, "pool-saturation").await;
    // The batch job grabs all connections but two.
    wait_for_metrics(addr, Duration::from_secs(2), |text| {
        in_use(text) == size - 2.0
    })
    .await;

    let requests = tokio::spawn(burst(addr, "/api/orders", 8));
    let saturated = wait_for_metrics(addr, Duration::from_secs(3), |text| {
        in_use(text) == size && value(text, "db_connections_waiting", &[]).unwrap() >= 1.0
    })
    .await;
    assert_eq!(in_use(&saturated), size);
    let statuses = requests.await.unwrap();
    assert!(
        statuses.iter().all(|s| *s == 200),
        "queued requests should still succeed: {statuses:?}"
    );

    switch(addr, "normal").await;
    let released = wait_for_metrics(addr, Duration::from_secs(2), |text| in_use(text) == 0.0).await;
    assert_eq!(value(&released, "db_connections_waiting", &[]), Some(0.0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_job_holds_the_pool_share_of_each_scenario() {
    let addr = start(quiet_config()).await;
    let in_use = |text: &str| value(text, "db_connections_in_use", &[]).unwrap();
    for (scenario, held) in [
        ("degraded", 6.0),
        ("pool-saturation", 8.0),
        ("normal", 0.0),
        ("degraded", 6.0),
    ] {
        switch(addr, scenario).await;
        wait_for_metrics(addr, Duration::from_secs(2), |text| in_use(text) == held).await;
    }
    // Degraded leaves enough connections that a query does not queue.
    assert_eq!(get(addr, "/api/orders").await.status, 200);
    let text = scrape(addr).await;
    assert_eq!(value(&text, "db_connections_waiting", &[]), Some(0.0));
    assert_eq!(
        value(&text, "demo_scenario", &[("scenario", "degraded")]),
        Some(1.0)
    );
}
