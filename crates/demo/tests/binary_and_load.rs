//! The real binary (start line, flags, graceful SIGTERM) and the built-in load generator.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;
use signalboard_demo::{http_client, serve_with_shutdown, Config};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_generator_drives_mixed_traffic() {
    let addr = start(Config {
        rps: 80.0,
        load: true,
        seed: Some(5),
        ..Config::default()
    })
    .await;
    let text = wait_for_metrics(addr, Duration::from_secs(10), |text| {
        total_requests(text) >= 60.0
    })
    .await;
    let series: Vec<Sample> = samples(&text)
        .into_iter()
        .filter(|s| s.name == "http_requests_total")
        .collect();
    let endpoints: HashSet<&str> = series.iter().filter_map(|s| s.label("endpoint")).collect();
    let methods: HashSet<&str> = series.iter().filter_map(|s| s.label("method")).collect();
    let statuses: HashSet<&str> = series.iter().filter_map(|s| s.label("status")).collect();
    assert!(endpoints.len() >= 5, "endpoints {endpoints:?}");
    assert!(
        methods.contains("GET") && methods.contains("POST"),
        "methods {methods:?}"
    );
    assert!(statuses.contains("200"), "statuses {statuses:?}");
    assert!(value(&text, "cache_misses_total", &[]).unwrap() > 0.0);
}

fn total_requests(text: &str) -> f64 {
    samples(text)
        .iter()
        .filter(|s| s.name == "http_requests_total")
        .map(|s| s.value)
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_rate_can_be_changed_at_run_time() {
    let addr = start(quiet_config()).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let idle = scrape(addr).await;
    assert_eq!(total_requests(&idle), 0.0, "--no-load must send nothing");
    assert_eq!(
        value(&idle, "demo_load_generator_target_rps", &[]),
        Some(0.0)
    );

    let switched = post(addr, "/admin/load/150", "").await;
    assert_eq!(switched.status, 200);
    assert_eq!(switched.json().unwrap()["previous"], 0.0);
    assert_eq!(get(addr, "/admin/load").await.json().unwrap()["rps"], 150.0);
    let busy = wait_for_metrics(addr, Duration::from_secs(5), |text| {
        total_requests(text) >= 30.0
    })
    .await;
    assert_eq!(
        value(&busy, "demo_load_generator_target_rps", &[]),
        Some(150.0)
    );

    assert_eq!(post(addr, "/admin/load/0", "").await.status, 200);
    // Let in-flight requests finish, then the count must stay put.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let settled = total_requests(&scrape(addr).await);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(total_requests(&scrape(addr).await), settled);

    for bad in ["-1", "fast", "20000"] {
        assert_eq!(
            post(addr, &format!("/admin/load/{bad}"), "").await.status,
            400,
            "{bad}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_drains_in_flight_requests_then_returns() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let config = Config {
        load: true,
        rps: 50.0,
        ..quiet_config()
    };
    let server = tokio::spawn(serve_with_shutdown(listener, config, async {
        let _ = stopped.await;
    }));
    // A request still running when the shutdown starts: the database check waits out the
    // 200 ms connect timeout.
    assert_eq!(
        post(addr, "/admin/dependency/database/down", "")
            .await
            .status,
        200
    );
    let slow = tokio::spawn(async move { http_client::get(addr, "/health").await });
    // /health is never called by the load generator, so this in-progress series is ours.
    let labels = [("method", "GET"), ("endpoint", "/health")];
    wait_for_metrics(addr, Duration::from_secs(2), |text| {
        value(text, "http_requests_in_progress", &labels).unwrap_or(0.0) >= 1.0
    })
    .await;
    stop.send(()).unwrap();
    let drained = slow
        .await
        .unwrap()
        .expect("in-flight request must be answered, not reset");
    assert_eq!(drained.status, 503);
    let result = tokio::time::timeout(Duration::from_secs(10), server).await;
    assert!(matches!(result, Ok(Ok(Ok(())))), "{result:?}");
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "still accepting after shutdown"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_logs_its_address_serves_and_stops_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_signalboard-demo"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--no-load",
            "--scenario",
            "latency-spike",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("signalboard-demo listening on http://")
        .unwrap_or_else(|| panic!("unexpected start line {line:?}"));
    let addr: SocketAddr = url.parse().unwrap();
    assert_ne!(addr.port(), 0);
    let scenario = get(addr, "/admin/scenario").await.json().unwrap();
    assert_eq!(scenario["scenario"], "latency-spike");

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "did not exit after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn binary_rejects_bad_flags_with_exit_code_2() {
    let output = Command::new(env!("CARGO_BIN_EXE_signalboard-demo"))
        .args(["--scenario", "meltdown"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown scenario"));
    let help = Command::new(env!("CARGO_BIN_EXE_signalboard-demo"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--scenario"));
}
