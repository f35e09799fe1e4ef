//! signalboard-golden: the four golden signals out of the box.
//!
//! From the scraped families of each job ([`Catalog`]) [`detect`] finds the best source of
//! traffic, errors, latency and saturation, recognising the conventions of the common client
//! libraries (prometheus_client, fastapi-instrumentator, client_golang/promhttp, Micrometer,
//! OpenTelemetry, prom-client, the prometheus-client crate, node-exporter).
//! [`golden_dashboard`] turns the sources into a Grafana dashboard JSON, [`default_rules`] into
//! alert rules that [`RuleEvaluator`] runs over the store with Prometheus's alert states, and
//! [`lint`] reports metric-naming and labelling pitfalls of expositions.
//!
//! Typical use (the app): per scrape `catalog.add_exposition(job, &exposition)`; when no
//! dashboard is chosen, `golden_dashboard(&detect(&catalog), &DashboardOptions::default())` and
//! import the JSON like any Grafana dashboard; build a `RuleEvaluator` from `default_rules` of
//! each job's sources (plus user rules) and call `evaluate(&store, now)` every refresh, then
//! show `alerts()` and `firing_count()`.
//!
//! Pure library: no threads, no I/O, wasm32-compatible; the app and the CLI do the scraping.

mod alerts;
mod catalog;
mod dashboard;
mod detect;
mod lint;
mod names;
mod query;
mod rules;
mod template;

pub use alerts::{Alert, AlertRule, AlertState, RuleError, RuleEvaluator, RESOLVED_RETENTION_MS};
pub use catalog::{Catalog, FamilyInfo, MAX_VALUES_KEPT};
pub use dashboard::{golden_dashboard, DashboardOptions, ERROR_RATIO_ALARM, SATURATION_ALARM};
pub use detect::{
    detect, detect_job, CounterSource, LatencySource, RequestSource, SaturationSource, Sources,
    StatusLabel, StatusStyle, RATE_WINDOW,
};
pub use lint::{lint, Finding, LintOptions, LintRule};
pub use query::{latency_quantile, request_rate, request_ratio, selector, with_window};
pub use rules::{default_rules, RuleOptions};
pub use template::{expand, humanize, humanize1024, humanize_duration};
