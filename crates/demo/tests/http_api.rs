//! The API, its instrumentation, CORS and the /metrics exposition, against an in-process server.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use signalboard_demo::http_client;
use signalboard_demo::metrics::LATENCY_BUCKETS;

fn requests(text: &str, method: &str, endpoint: &str, status: &str) -> f64 {
    value_or_zero(
        text,
        "http_requests_total",
        &[
            ("method", method),
            ("endpoint", endpoint),
            ("status", status),
        ],
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counters_move_by_exactly_the_requests_made() {
    let addr = start(quiet_config()).await;
    let before = scrape(addr).await;
    assert_eq!(requests(&before, "GET", "/api/users", "200"), 0.0);

    for _ in 0..3 {
        assert_eq!(get(addr, "/api/users?limit=3").await.status, 200);
    }
    let first = get(addr, "/api/users/5").await;
    let second = get(addr, "/api/users/5").await;
    assert_eq!((first.status, second.status), (200, 200));
    assert_eq!(first.json().unwrap()["cached"], false);
    assert_eq!(second.json().unwrap()["cached"], true);
    assert_eq!(get(addr, "/api/users/500").await.status, 404);
    assert_eq!(get(addr, "/api/users/abc").await.status, 400);
    assert_eq!(
        post(
            addr,
            "/api/login",
            r#"{"username":"alice","password":"secret"}"#
        )
        .await
        .status,
        200
    );
    for _ in 0..2 {
        assert_eq!(
            post(
                addr,
                "/api/login",
                r#"{"username":"alice","password":"nope"}"#
            )
            .await
            .status,
            401
        );
    }
    assert_eq!(get(addr, "/api/search").await.status, 400);
    let bad_limit = get(addr, "/api/orders?limit=lots").await;
    assert_eq!(bad_limit.status, 400);
    assert_eq!(bad_limit.json().unwrap()["error"], "validation");
    assert_eq!(get(addr, "/no/such/thing").await.status, 404);
    assert_eq!(
        post(addr, "/api/orders", r#"{"user_id":3,"amount":12.5}"#)
            .await
            .status,
        201
    );

    let after = scrape(addr).await;
    let expected = [
        ("GET", "/api/users", "200", 3.0),
        ("GET", "/api/users/{id}", "200", 2.0),
        ("GET", "/api/users/{id}", "404", 1.0),
        ("GET", "/api/users/{id}", "400", 1.0),
        ("POST", "/api/login", "200", 1.0),
        ("POST", "/api/login", "401", 2.0),
        ("GET", "/api/search", "400", 1.0),
        ("GET", "/api/orders", "400", 1.0),
        ("GET", "unmatched", "404", 1.0),
        ("POST", "/api/orders", "201", 1.0),
    ];
    for (method, endpoint, status, count) in expected {
        assert_eq!(
            requests(&after, method, endpoint, status),
            count,
            "{method} {endpoint} {status}"
        );
    }
    let total: f64 = samples(&after)
        .iter()
        .filter(|s| s.name == "http_requests_total")
        .map(|s| s.value)
        .sum();
    assert_eq!(total, 14.0, "scrapes must not count themselves");
    // user 5 missed then hit; user 500 missed (and then 404'd).
    assert_eq!(value(&after, "cache_hits_total", &[]), Some(1.0));
    assert_eq!(value(&after, "cache_misses_total", &[]), Some(2.0));
    assert_eq!(
        value(&after, "app_errors_total", &[("type", "not_found")]),
        Some(2.0)
    );
    assert_eq!(
        value(&after, "app_errors_total", &[("type", "validation")]),
        Some(3.0)
    );
    assert_eq!(
        value(&after, "app_errors_total", &[("type", "auth_failed")]),
        Some(2.0)
    );
    assert_eq!(
        value(&after, "app_errors_total", &[("type", "internal")]),
        None
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn latency_histogram_has_the_slo_buckets_and_counts_every_request() {
    let addr = start(quiet_config()).await;
    let n = 4;
    let mut slowest = 0.0f64;
    for _ in 0..n {
        let started = std::time::Instant::now();
        assert_eq!(get(addr, "/api/orders").await.status, 200);
        slowest = slowest.max(started.elapsed().as_secs_f64());
    }
    let text = scrape(addr).await;
    let route = [
        ("method", "GET"),
        ("endpoint", "/api/orders"),
        ("status", "200"),
    ];
    let buckets: Vec<(f64, f64)> = samples(&text)
        .into_iter()
        .filter(|s| {
            s.name == "http_request_duration_seconds_bucket"
                && s.label("endpoint") == Some("/api/orders")
        })
        .map(|s| {
            (
                s.label("le")
                    .unwrap()
                    .parse::<f64>()
                    .unwrap_or(f64::INFINITY),
                s.value,
            )
        })
        .collect();
    let bounds: Vec<f64> = buckets.iter().map(|b| b.0).collect();
    let mut expected_bounds = LATENCY_BUCKETS.to_vec();
    expected_bounds.push(f64::INFINITY);
    assert_eq!(bounds, expected_bounds);
    assert!(
        buckets.windows(2).all(|w| w[0].1 <= w[1].1),
        "not cumulative: {buckets:?}"
    );
    assert_eq!(buckets.last().unwrap().1, f64::from(n));
    assert_eq!(
        value(&text, "http_request_duration_seconds_count", &route),
        Some(f64::from(n))
    );
    let sum = value(&text, "http_request_duration_seconds_sum", &route).unwrap();
    assert!(
        sum > 0.0 && sum <= slowest * f64::from(n),
        "sum {sum}, slowest client-side {slowest}"
    );
    // Every request took at least as long as the smallest bucket it is counted in allows.
    let le_slowest = buckets.iter().find(|b| b.0 >= slowest).unwrap();
    assert_eq!(
        le_slowest.1,
        f64::from(n),
        "all requests are <= the bucket holding the slowest"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_progress_gauge_tracks_a_request_while_it_runs() {
    let addr = start(quiet_config()).await;
    // With the database down, a query waits out the 200 ms connect timeout: a reliably slow request.
    assert_eq!(
        post(addr, "/admin/dependency/database/down", "")
            .await
            .status,
        200
    );
    let slow = tokio::spawn(async move { get(addr, "/api/orders").await });
    let labels = [("method", "GET"), ("endpoint", "/api/orders")];
    wait_for_metrics(addr, std::time::Duration::from_secs(2), |text| {
        value(text, "http_requests_in_progress", &labels) == Some(1.0)
    })
    .await;
    assert_eq!(slow.await.unwrap().status, 503);
    let text = scrape(addr).await;
    assert_eq!(
        value(&text, "http_requests_in_progress", &labels),
        Some(0.0)
    );
    assert_eq!(
        value(&text, "app_errors_total", &[("type", "db_unavailable")]),
        Some(1.0)
    );
    // Failed requests have their own latency series: the 503 waited out the connect timeout.
    let failed = [
        ("method", "GET"),
        ("endpoint", "/api/orders"),
        ("status", "503"),
    ];
    assert_eq!(
        value(&text, "http_request_duration_seconds_count", &failed),
        Some(1.0)
    );
    let failed_sum = value(&text, "http_request_duration_seconds_sum", &failed).unwrap();
    assert!(
        failed_sum >= signalboard_demo::pool::CONNECT_TIMEOUT.as_secs_f64(),
        "{failed_sum}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_cors_headers_and_preflight_is_answered() {
    let addr = start(quiet_config()).await;
    for path in [
        "/metrics",
        "/api/users",
        "/health",
        "/nowhere",
        "/admin/scenario",
    ] {
        let response = get(addr, path).await;
        assert_eq!(
            response.header("access-control-allow-origin"),
            Some("*"),
            "{path}"
        );
    }
    let preflight = http_client::send(
        addr,
        "OPTIONS",
        "/metrics",
        &[
            ("Origin", "http://dashboard.example"),
            ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "accept"),
            ("Access-Control-Request-Private-Network", "true"),
        ],
        None,
    )
    .await
    .unwrap();
    assert_eq!(preflight.status, 204);
    assert_eq!(
        preflight.header("access-control-allow-private-network"),
        Some("true")
    );
    assert_eq!(preflight.header("access-control-allow-origin"), Some("*"));
    assert!(preflight
        .header("access-control-allow-methods")
        .unwrap()
        .contains("GET"));
    assert!(preflight
        .header("access-control-allow-headers")
        .unwrap()
        .to_lowercase()
        .contains("accept"));
    let bare = http_client::send(addr, "OPTIONS", "/api/login", &[], None)
        .await
        .unwrap();
    assert_eq!(bare.status, 204);
    assert_eq!(bare.header("access-control-allow-private-network"), None);
    assert!(bare
        .header("access-control-allow-headers")
        .unwrap()
        .contains("Accept"));
    // Preflights are not API traffic.
    let text = scrape(addr).await;
    assert!(samples(&text)
        .iter()
        .all(|s| s.label("method") != Some("OPTIONS")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_negotiates_openmetrics_or_prometheus_text() {
    let addr = start(quiet_config()).await;
    get(addr, "/api/users").await;
    let om = http_client::send(
        addr,
        "GET",
        "/metrics",
        &[("Accept", OPENMETRICS_ACCEPT)],
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        om.header("content-type"),
        Some("application/openmetrics-text; version=1.0.0; charset=utf-8")
    );
    assert!(om.body.ends_with("# EOF\n"));
    assert!(om.body.contains("# TYPE http_requests counter\n"));

    let text = get(addr, "/metrics").await;
    assert_eq!(
        text.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    assert!(!text.body.contains("# EOF"));
    assert!(!text.body.contains("# UNIT"));
    assert!(text.body.contains("# TYPE http_requests_total counter\n"));
    assert!(text
        .body
        .contains("# TYPE http_request_duration_seconds histogram\n"));
    // Same samples either way.
    let names = |body: &str| {
        samples(body)
            .into_iter()
            .map(|s| (s.name, s.labels))
            .collect::<Vec<_>>()
    };
    let (om_series, text_series) = (names(&om.body), names(&text.body));
    assert!(text_series
        .iter()
        .filter(|(n, _)| n.starts_with("http_"))
        .all(|s| om_series.contains(s)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exposition_passes_a_strict_openmetrics_shape_check() {
    let addr = start(quiet_config()).await;
    // Touch every route, including error paths, so every family has series.
    get(addr, "/api/users").await;
    get(addr, "/api/users/7").await;
    get(addr, "/api/users/7").await;
    post(addr, "/api/users", r#"{"name":"Zed"}"#).await;
    post(addr, "/api/users", "{broken").await;
    get(addr, "/api/orders").await;
    post(addr, "/api/orders", r#"{"user_id":1,"amount":3}"#).await;
    get(addr, "/api/search?q=ada").await;
    post(addr, "/api/login", r#"{"username":"bob","password":"x"}"#).await;
    get(addr, "/health").await;
    let text = scrape(addr).await;
    check_openmetrics(&text).unwrap_or_else(|e| panic!("{e}\n---\n{text}"));
    for family in [
        "http_requests",
        "http_request_duration_seconds",
        "http_requests_in_progress",
        "db_connection_pool_size",
        "db_connections_in_use",
        "cache_hits",
        "cache_misses",
        "app_errors",
        "demo_scenario",
    ] {
        assert!(
            text.contains(&format!("# TYPE {family} ")),
            "family {family} missing"
        );
    }
    assert_eq!(value(&text, "db_connection_pool_size", &[]), Some(10.0));
    if cfg!(target_os = "linux") {
        assert!(value(&text, "process_resident_memory_bytes", &[]).unwrap() > 0.0);
        assert!(value(&text, "process_cpu_seconds_total", &[]).is_some());
    }
}

#[test]
fn the_shape_check_rejects_broken_expositions() {
    let good = "# TYPE a counter\na_total 1\n# EOF\n";
    assert!(check_openmetrics(good).is_ok());
    // (text, what is wrong with it)
    let broken = [
        ("# TYPE a counter\na_total 1\n", "no EOF"),
        ("# TYPE a counter\na 1\n# EOF\n", "counter without _total"),
        ("# TYPE a gauge\na{x=\"1} 1\n# EOF\n", "unterminated label"),
        ("# TYPE a gauge\nb 1\n# EOF\n", "sample outside its family"),
        (
            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n# EOF\n",
            "not cumulative",
        ),
        (
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 1\n# EOF\n",
            "count mismatch",
        ),
        ("# TYPE a gauge\na one\n# EOF\n", "bad value"),
        (
            "# TYPE a gauge\na{x=\"1\"} 1\na{x=\"1\"} 2\n# EOF\n",
            "duplicate series",
        ),
    ];
    for (text, flaw) in broken {
        assert!(
            check_openmetrics(text).is_err(),
            "accepted ({flaw}): {text}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payment_api_down_fails_orders_and_health() {
    let addr = start(quiet_config()).await;
    assert_eq!(
        post(addr, "/admin/dependency/payment-api/down", "")
            .await
            .status,
        200
    );
    let order = post(addr, "/api/orders", r#"{"user_id":1,"amount":3}"#).await;
    assert_eq!(order.status, 502);
    assert_eq!(order.json().unwrap()["error"], "payment_failed");
    let health = get(addr, "/health").await;
    assert_eq!(health.status, 503);
    let body = health.json().unwrap();
    assert_eq!(body["status"], "unhealthy");
    assert!(body["checks"]["payment-api"]
        .as_str()
        .unwrap()
        .starts_with("error: "));
    assert_eq!(body["checks"]["database"], "ok");
    assert_eq!(
        post(addr, "/admin/dependency/flux-capacitor/down", "")
            .await
            .status,
        400
    );
    assert_eq!(
        post(addr, "/admin/dependency/cache/sideways", "")
            .await
            .status,
        400
    );
    let text = scrape(addr).await;
    assert_eq!(
        value(
            &text,
            "demo_dependency_up",
            &[("dependency", "payment-api")]
        ),
        Some(0.0)
    );
    assert_eq!(
        value(&text, "app_errors_total", &[("type", "payment_failed")]),
        Some(1.0)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn index_is_a_control_page_for_browsers_and_json_otherwise() {
    let addr = start(quiet_config()).await;
    let page = http_client::send(addr, "GET", "/", &[("Accept", "text/html,*/*;q=0.8")], None)
        .await
        .unwrap();
    assert_eq!(page.status, 200);
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(page.body.contains("admin/scenario") && page.body.contains("admin/load"));
    let json = get(addr, "/").await.json().unwrap();
    assert_eq!(json["service"], "signalboard-demo");
    assert_eq!(json["scenario"], "normal");
    assert!(json["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s == "pool-saturation"));
}
