//! What the OpenMetrics parser yields for valid input: families without suffixes, units,
//! exemplars kept, timestamps converted from seconds, normalised bounds.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use signalboard_exposition::{parse, parse_strict, Format, MetricType};

const TEXT: &str = "# TYPE http_requests counter
# UNIT http_requests seconds
# HELP http_requests Requests \\\"served\\\".
http_requests_total{code=\"200\"} 10 1700000000.5 # {trace_id=\"abc\"} 1 1700000000.123
http_requests_created{code=\"200\"} 1699999999 1700000000.5
# TYPE latency_seconds histogram
latency_seconds_bucket{le=\"0.5\"} 1
latency_seconds_bucket{le=\"1\"} 2
latency_seconds_bucket{le=\"+Inf\"} 3
latency_seconds_sum 2.5
latency_seconds_count 3
# TYPE temp gauge
temp{\"room.name\"=\"lab\"} -4.5
# EOF
";

#[test]
fn families_units_exemplars_and_timestamps() {
    let text = TEXT.replace("# UNIT http_requests seconds\n", "");
    let exp = parse_strict(&text, Format::OpenMetrics).unwrap();
    let kinds: Vec<(&str, MetricType, usize)> = exp
        .families
        .iter()
        .map(|f| (f.name.as_ref(), f.kind, f.samples.len()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("http_requests", MetricType::Counter, 2),
            ("latency_seconds", MetricType::Histogram, 5),
            ("temp", MetricType::Gauge, 1)
        ]
    );
    let counter = &exp.families[0];
    assert_eq!(counter.help.as_deref(), Some("Requests \"served\"."));
    let total = &counter.samples[0];
    assert_eq!(
        (total.name.as_ref(), total.value, total.timestamp_ms),
        ("http_requests_total", 10.0, Some(1_700_000_000_500))
    );
    let exemplar = total.exemplar.as_ref().unwrap();
    assert_eq!(exemplar.labels[0].1, "abc");
    assert_eq!(
        (exemplar.value, exemplar.timestamp_ms),
        (1.0, Some(1_700_000_000_123))
    );
    let bounds: Vec<&str> = exp.families[1]
        .samples
        .iter()
        .filter_map(|s| s.label("le"))
        .collect();
    assert_eq!(bounds, vec!["0.5", "1.0", "+Inf"]);
    assert_eq!(exp.families[2].samples[0].labels[0].0, "room.name");
}

#[test]
fn unit_must_suffix_the_family_name() {
    let err = parse(TEXT, Format::OpenMetrics).unwrap_err();
    assert_eq!(
        err.to_string(),
        "1:1: metric name \"http_requests\" does not end with its unit \"_seconds\""
    );
    let ok = TEXT.replace("http_requests", "http_requests_seconds");
    let exp = parse_strict(&ok, Format::OpenMetrics).unwrap();
    assert_eq!(exp.families[0].unit.as_deref(), Some("seconds"));
}

#[test]
fn eof_rules() {
    assert!(parse("a 1\n# EOF", Format::OpenMetrics).is_ok());
    let err = parse("a 1\n# EOF\n\n", Format::OpenMetrics).unwrap_err();
    assert_eq!((err.line, err.col), (3, 1));
    let err = parse("a 1\n", Format::OpenMetrics).unwrap_err();
    assert!(err.message.contains("# EOF"), "{err}");
}

#[test]
fn format_selection() {
    assert_eq!(Format::sniff("a 1\n# EOF\n"), Format::OpenMetrics);
    assert_eq!(Format::sniff("# EOF"), Format::OpenMetrics);
    assert_eq!(Format::sniff("a 1\n"), Format::Prometheus);
    assert_eq!(Format::sniff("a 1\nx# EOF\n"), Format::Prometheus);
    let ct = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    assert_eq!(Format::from_content_type(ct), Format::OpenMetrics);
    assert_eq!(
        Format::from_content_type("text/plain; version=0.0.4"),
        Format::Prometheus
    );
    assert_eq!(Format::from_content_type(""), Format::Prometheus);
    assert!(signalboard_exposition::ACCEPT_HEADER
        .starts_with("application/openmetrics-text;version=1.0.0"));
    assert!(signalboard_exposition::BROWSER_ACCEPT_HEADER.len() < 128);
}
