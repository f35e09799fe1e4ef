//! The service's Prometheus instrumentation, built on the `prometheus-client` crate.
//!
//! Contract: [`Metrics::new`] registers every family once; the handles are cheap clones that
//! share their values with the registry, so recording anywhere shows up in the next
//! [`Metrics::encode_openmetrics`]. Family names, label names and histogram buckets here are the
//! public face of the demo service: dashboards and tests query them, so change them carefully.

use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};
use std::sync::atomic::AtomicU64;

use crate::process::ProcessCollector;
use crate::scenario::Scenario;

/// SLO-aware latency buckets (seconds): dense around the usual 100 ms–1 s objectives.
pub const LATENCY_BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Labels of the request counter and the latency histogram (status lets dashboards show the
/// latency of successful and failed requests apart).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    pub endpoint: String,
    pub status: String,
}

/// Labels of the in-progress gauge (the status is not known yet while a request runs).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub method: String,
    pub endpoint: String,
}

/// Label of the application error counter (`r#type` is encoded as `type`).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ErrorLabels {
    pub r#type: String,
}

/// Label of the per-scenario gauge.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ScenarioLabels {
    pub scenario: String,
}

/// Label of the per-dependency gauge.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct DependencyLabels {
    pub dependency: String,
}

type HistogramFamily = Family<RequestLabels, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    Histogram::new(LATENCY_BUCKETS)
}

/// Handles to every metric the service records.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub duration: HistogramFamily,
    pub in_progress: Family<RouteLabels, Gauge>,
    pub pool_size: Gauge,
    pub pool_in_use: Gauge,
    pub pool_waiting: Gauge,
    pub cache_hits: Counter,
    pub cache_misses: Counter,
    pub app_errors: Family<ErrorLabels, Counter>,
    pub scenario: Family<ScenarioLabels, Gauge>,
    pub dependency_up: Family<DependencyLabels, Gauge>,
    pub load_rps: Gauge<f64, AtomicU64>,
}

impl Metrics {
    /// Registers all families (plus process metrics on Linux) in a fresh registry.
    pub fn new() -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        let duration: HistogramFamily = Family::new_with_constructor(latency_histogram);
        let in_progress = Family::<RouteLabels, Gauge>::default();
        let app_errors = Family::<ErrorLabels, Counter>::default();
        let scenario = Family::<ScenarioLabels, Gauge>::default();
        let dependency_up = Family::<DependencyLabels, Gauge>::default();
        let load_rps = Gauge::<f64, AtomicU64>::default();
        let (pool_size, pool_in_use, pool_waiting) =
            (Gauge::default(), Gauge::default(), Gauge::default());
        let (cache_hits, cache_misses) = (Counter::default(), Counter::default());

        registry.register(
            "http_requests",
            "HTTP requests handled, by method, route template and status code",
            requests.clone(),
        );
        registry.register_with_unit(
            "http_request_duration",
            "HTTP request latency by method, route template and status code",
            Unit::Seconds,
            duration.clone(),
        );
        registry.register(
            "http_requests_in_progress",
            "HTTP requests currently being handled",
            in_progress.clone(),
        );
        registry.register(
            "db_connection_pool_size",
            "Maximum number of connections in the simulated database pool",
            pool_size.clone(),
        );
        registry.register(
            "db_connections_in_use",
            "Database connections currently checked out of the pool",
            pool_in_use.clone(),
        );
        registry.register(
            "db_connections_waiting",
            "Requests currently queued waiting for a database connection",
            pool_waiting.clone(),
        );
        registry.register(
            "cache_hits",
            "Cache lookups that found an entry",
            cache_hits.clone(),
        );
        registry.register(
            "cache_misses",
            "Cache lookups that found no entry",
            cache_misses.clone(),
        );
        registry.register(
            "app_errors",
            "Application errors by type (validation, auth_failed, not_found, internal, db_unavailable, db_pool_timeout, payment_failed)",
            app_errors.clone(),
        );
        registry.register(
            "demo_scenario",
            "1 for the scenario the demo service is running, 0 for the others",
            scenario.clone(),
        );
        registry.register(
            "demo_dependency_up",
            "1 when the simulated dependency is reachable, 0 when it is down",
            dependency_up.clone(),
        );
        registry.register(
            "demo_load_generator_target_rps",
            "Requests per second the built-in load generator aims for (0 when idle)",
            load_rps.clone(),
        );
        registry.register_collector(Box::new(ProcessCollector));

        Metrics {
            registry,
            requests,
            duration,
            in_progress,
            pool_size,
            pool_in_use,
            pool_waiting,
            cache_hits,
            cache_misses,
            app_errors,
            scenario,
            dependency_up,
            load_rps,
        }
    }

    /// The whole registry as OpenMetrics 1.0 text, ending with `# EOF`.
    pub fn encode_openmetrics(&self) -> Result<String, std::fmt::Error> {
        let mut out = String::with_capacity(16 * 1024);
        encode(&mut out, &self.registry)?;
        Ok(out)
    }

    /// Marks `active` with 1 and every other scenario with 0.
    pub fn set_scenario(&self, active: Scenario) {
        for scenario in Scenario::ALL {
            let labels = ScenarioLabels {
                scenario: scenario.name().to_string(),
            };
            self.scenario
                .get_or_create(&labels)
                .set(i64::from(scenario == active));
        }
    }

    /// Records the reachability of one dependency.
    pub fn set_dependency_up(&self, dependency: &str, up: bool) {
        let labels = DependencyLabels {
            dependency: dependency.to_string(),
        };
        self.dependency_up.get_or_create(&labels).set(i64::from(up));
    }

    /// Counts one application error of the given type.
    pub fn count_error(&self, kind: &str) {
        let labels = ErrorLabels {
            r#type: kind.to_string(),
        };
        self.app_errors.get_or_create(&labels).inc();
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}
