//! Real `/metrics` output of client libraries (captured by scripts/capture-client-fixtures.sh)
//! parses with the right families and types.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use signalboard_exposition::{parse_validated, Exposition, Format, Limits, MetricType, Validation};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/clients");

use MetricType::{Counter, Gauge, Histogram, Info, StateSet, Summary};

/// (fixture, families that must be present with their type, minimum sample count)
type Expectation = (&'static str, &'static [(&'static str, MetricType)], usize);

const EXPECTED: &[Expectation] = &[
    (
        "python-prometheus_client.prom",
        &[
            ("app_requests_total", Counter),
            ("app_request_duration_seconds", Histogram),
            ("app_payload_bytes", Summary),
            ("app_in_flight_requests", Gauge),
            ("process_cpu_seconds_total", Counter),
        ],
        60,
    ),
    (
        "python-prometheus_client.openmetrics.prom",
        &[
            ("app_requests", Counter),
            ("app_request_duration_seconds", Histogram),
            ("app_payload_bytes", Summary),
            ("app_build", Info),
            ("app_state", StateSet),
        ],
        60,
    ),
    (
        "python-fastapi-instrumentator.prom",
        &[
            ("http_requests_total", Counter),
            ("http_request_duration_seconds", Histogram),
            ("http_request_size_bytes", Summary),
            ("http_request_duration_highr_seconds", Histogram),
        ],
        60,
    ),
    (
        "go-client_golang.prom",
        &[
            ("app_requests_total", Counter),
            ("app_request_duration_seconds", Histogram),
            ("app_payload_bytes", Summary),
            ("go_goroutines", Gauge),
            ("go_memstats_alloc_bytes_total", Counter),
        ],
        70,
    ),
    (
        "go-client_golang.openmetrics.prom",
        &[
            ("app_requests", Counter),
            ("app_request_duration_seconds", Histogram),
            ("app_payload_bytes", Summary),
            ("go_goroutines", Gauge),
            ("go_memstats_alloc_bytes", Gauge),
            ("go_memstats_alloc_bytes", Counter),
        ],
        70,
    ),
    (
        "node-prom-client.prom",
        &[
            ("app_requests_total", Counter),
            ("app_request_duration_seconds", Histogram),
            ("app_payload_bytes", Summary),
            ("nodejs_heap_size_used_bytes", Gauge),
            ("process_cpu_seconds_total", Counter),
        ],
        90,
    ),
    (
        "node-prom-client.openmetrics.prom",
        &[
            ("app_requests", Counter),
            ("app_request_duration_seconds", Histogram),
            ("app_payload_bytes", Summary),
            ("process_cpu_seconds", Counter),
        ],
        90,
    ),
    (
        "rust-prometheus-client.openmetrics.prom",
        &[
            ("app_requests", Counter),
            ("app_in_flight_requests", Gauge),
            ("app_request_duration_seconds", Histogram),
            ("app_build", Info),
        ],
        20,
    ),
    (
        "node_exporter.prom",
        &[
            ("node_cpu_seconds_total", Counter),
            ("node_load1", Gauge),
            ("go_goroutines", Gauge),
            ("promhttp_metric_handler_requests_total", Counter),
        ],
        300,
    ),
];

fn load(name: &str, validation: Validation) -> (String, Result<usize, String>) {
    let text = std::fs::read_to_string(format!("{DIR}/{name}"))
        .unwrap_or_else(|e| panic!("fixture {name} missing: {e}"));
    let format = if name.contains(".openmetrics.") {
        Format::OpenMetrics
    } else {
        Format::Prometheus
    };
    let result = parse_validated(&text, format, &Limits::default(), validation)
        .map(|e| e.sample_count())
        .map_err(|e| e.to_string());
    (text, result)
}

fn has_family(exp: &Exposition<'_>, name: &str, kind: MetricType) -> bool {
    exp.families
        .iter()
        .any(|f| f.name == name && f.kind == kind && !f.samples.is_empty())
}

#[test]
fn every_client_fixture_parses_with_its_families_and_types() {
    for (name, families, min_samples) in EXPECTED {
        let text = load(name, Validation::Prometheus).0;
        let format = if name.contains(".openmetrics.") {
            Format::OpenMetrics
        } else {
            Format::Prometheus
        };
        let exp = parse_validated(&text, format, &Limits::default(), Validation::Prometheus)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            exp.sample_count() >= *min_samples,
            "{name}: only {} samples",
            exp.sample_count()
        );
        for (family, kind) in *families {
            assert!(
                has_family(&exp, family, *kind),
                "{name}: no {kind:?} family {family} with samples"
            );
        }
        // Histograms carry normalised `le` bounds ending in +Inf.
        for f in exp
            .families
            .iter()
            .filter(|f| f.kind == Histogram && !f.samples.is_empty())
        {
            let last_le = f
                .samples
                .iter()
                .filter(|s| s.name.ends_with("_bucket"))
                .filter_map(|s| s.label("le"))
                .next_back();
            assert_eq!(
                last_le,
                Some("+Inf"),
                "{name}: histogram {} without a final +Inf bucket",
                f.name
            );
        }
        println!(
            "{name}: {} families, {} samples",
            exp.families.len(),
            exp.sample_count()
        );
    }
}

#[test]
fn openmetrics_fixtures_pass_strict_validation_except_known_client_bugs() {
    for (name, _, _) in EXPECTED
        .iter()
        .filter(|(n, _, _)| n.contains(".openmetrics."))
    {
        let (_, strict) = load(name, Validation::Strict);
        if *name == "go-client_golang.openmetrics.prom" {
            // client_golang 1.14 names the `_total` counter's family like the gauge before it.
            let err = strict.unwrap_err();
            assert!(err.contains("go_memstats_alloc_bytes"), "{err}");
        } else {
            assert!(strict.is_ok(), "{name}: {:?}", strict.err());
        }
    }
}

#[test]
fn the_fixture_set_is_complete() {
    let mut on_disk: Vec<String> = std::fs::read_dir(DIR)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    on_disk.sort();
    let mut expected: Vec<String> = EXPECTED.iter().map(|(n, _, _)| n.to_string()).collect();
    expected.sort();
    assert_eq!(
        on_disk, expected,
        "every captured fixture needs expectations here"
    );
}
