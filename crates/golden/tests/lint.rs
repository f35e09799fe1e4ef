//! Each lint rule with an exposition that trips it and one that does not; plus the captured
//! client-library fixtures, whose findings are pinned (real libraries, real pitfalls).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use signalboard_exposition::{parse, Format};
use signalboard_golden::{lint, Finding, LintOptions, LintRule};

fn run(snapshots: &[&str], options: &LintOptions) -> Vec<Finding> {
    let parsed: Vec<_> = snapshots
        .iter()
        .map(|t| parse(t, Format::Prometheus).unwrap())
        .collect();
    lint(&parsed, options)
}

fn rules(text: &str) -> Vec<LintRule> {
    run(&[text], &LintOptions::default())
        .iter()
        .map(|f| f.rule)
        .collect()
}

#[test]
fn counter_without_total() {
    let found = run(
        &["# TYPE jobs_processed counter\njobs_processed 3\n"],
        &LintOptions::default(),
    );
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].to_string(),
        "WARN jobs_processed: counter without _total suffix; rename to jobs_processed_total"
    );
    assert!(rules("# TYPE jobs_processed_total counter\njobs_processed_total 3\n").is_empty());
}

#[test]
fn unit_suffix() {
    assert_eq!(
        rules("# TYPE job_duration gauge\njob_duration 3\n"),
        [LintRule::UnitSuffix]
    );
    assert_eq!(
        rules("# TYPE rpc_latency_ms gauge\nrpc_latency_ms 3\n"),
        [LintRule::UnitSuffix]
    );
    assert_eq!(
        run(
            &["# TYPE upload_payload_total counter\nupload_payload_total 3\n"],
            &LintOptions::default()
        )[0]
        .fix,
        "rename to upload_payload_bytes_total (in bytes)"
    );
    assert!(rules("# TYPE job_duration_seconds gauge\njob_duration_seconds 3\n").is_empty());
    assert!(rules("# TYPE db_connection_pool_size gauge\ndb_connection_pool_size 3\n").is_empty());
}

#[test]
fn http_request_counter_labels() {
    let found = run(
        &["# TYPE http_requests_total counter\nhttp_requests_total{method=\"GET\"} 3\n"],
        &LintOptions::default(),
    );
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].problem,
        "HTTP request counter without endpoint/status label"
    );
    assert!(rules(
        "# TYPE http_requests_total counter\n\
         http_requests_total{method=\"GET\",handler=\"/a\",code=\"200\"} 3\n"
    )
    .is_empty());
}

#[test]
fn exploding_label_cardinality() {
    let mut text = String::from("# TYPE logins_total counter\n");
    for user in 0..150 {
        text.push_str(&format!("logins_total{{user_id=\"u{user}\"}} 1\n"));
    }
    let found = run(&[&text], &LintOptions::default());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].rule, LintRule::Cardinality);
    assert!(found[0]
        .problem
        .starts_with("label user_id has 150 distinct values"));
    let bounded = LintOptions {
        max_label_values: 200,
        ..LintOptions::default()
    };
    assert!(run(&[&text], &bounded).is_empty());
}

#[test]
fn gauge_named_like_a_counter() {
    assert_eq!(
        rules("# TYPE queue_items_total gauge\nqueue_items_total 3\n"),
        [LintRule::GaugeNamedLikeCounter]
    );
    assert!(rules("# TYPE queue_items gauge\nqueue_items 3\n").is_empty());
}

#[test]
fn counter_that_goes_down() {
    let before = "# TYPE queue_items_total counter\nqueue_items_total{q=\"a\"} 5\n";
    let after = "# TYPE queue_items_total counter\nqueue_items_total{q=\"a\"} 2\n";
    let found = run(&[before, after], &LintOptions::default());
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].to_string(),
        "WARN queue_items_total{q=\"a\"}: counter went down from 5 to 2; a counter only goes up: \
         use a gauge for current values (unless the process restarted)"
    );
    assert!(run(&[after, before], &LintOptions::default()).is_empty());
}

#[test]
fn summary_where_a_histogram_would_aggregate() {
    let summary = "# TYPE http_request_duration_seconds summary\n\
        http_request_duration_seconds{quantile=\"0.99\"} 0.3\n\
        http_request_duration_seconds_sum 3\nhttp_request_duration_seconds_count 30\n";
    assert_eq!(rules(summary), [LintRule::SummaryQuantiles]);
    // Without quantiles a summary is just _sum/_count, which does aggregate.
    let plain = "# TYPE http_request_duration_seconds summary\n\
        http_request_duration_seconds_sum 3\nhttp_request_duration_seconds_count 30\n";
    assert!(rules(plain).is_empty());
}

#[test]
fn histogram_buckets_near_the_slo() {
    let mut text = String::from("# TYPE http_request_duration_seconds histogram\n");
    for le in ["0.1", "0.25", "0.5", "1", "+Inf"] {
        text.push_str(&format!(
            "http_request_duration_seconds_bucket{{le=\"{le}\"}} 1\n"
        ));
    }
    text.push_str("http_request_duration_seconds_sum 1\nhttp_request_duration_seconds_count 1\n");
    let slo = |s: f64| LintOptions {
        slo_seconds: s,
        ..LintOptions::default()
    };
    let found = run(&[&text], &slo(0.3));
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].to_string(),
        "WARN http_request_duration_seconds: no bucket boundary near the 0.3s SLO (nearest: 0.25 \
         and 0.5); add a bucket le=\"0.3\" so the share of requests within the SLO is exact"
    );
    assert!(run(&[&text], &slo(0.5)).is_empty());
}
