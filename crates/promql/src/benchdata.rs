//! The benchmark workload of issue 5, shared by the criterion bench, the timing example and
//! `signalboard-cli bench query`: `instances x endpoints` HTTP services with a 12-bucket
//! latency histogram and 200/500 request counters, scraped every 15 s for `hours`.
//!
//! Contract: deterministic (no randomness), counters only increase, every series has a
//! sample at every scrape. [`write_openmetrics`] writes exactly the samples [`workload`]
//! stores, as OpenMetrics text that `promtool tsdb create-blocks-from openmetrics` loads, so a
//! real Prometheus can be benchmarked on the same data.

use std::io::{self, Write};

use signalboard_store::{Labels, Store};

use crate::value::format_openmetrics_float;

/// Scrape interval of the workload.
pub const SCRAPE_MS: i64 = 15_000;

/// The bucket bounds (Prometheus-normalised `le` values).
pub const LE: [&str; 12] = [
    "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf",
];

/// The p99 latency panel query.
pub const P99_QUERY: &str =
    "histogram_quantile(0.99, sum by (le, endpoint) (rate(http_request_duration_seconds_bucket[5m])))";

/// The error-ratio panel query.
pub const ERROR_RATIO_QUERY: &str = "sum by (endpoint) (rate(http_requests_total{code=~\"5..\"}[5m])) / sum by (endpoint) (rate(http_requests_total[5m]))";

/// Series of the workload with their per-scrape increments.
pub fn series(instances: usize, endpoints: usize) -> Vec<(Labels, f64)> {
    let mut out = Vec::new();
    for i in 0..instances {
        for e in 0..endpoints {
            let base = [
                ("instance", format!("host-{i}:9100")),
                ("endpoint", format!("/api/v{e}")),
                ("job", "api".to_string()),
            ];
            for (b, le) in LE.iter().enumerate() {
                let mut l: Vec<(&str, String)> = base.to_vec();
                l.push(("__name__", "http_request_duration_seconds_bucket".into()));
                l.push(("le", le.to_string()));
                out.push((Labels::from_pairs(l), (b + 1) as f64));
            }
            for (code, w) in [("200", 10.0), ("500", 0.1)] {
                let mut l: Vec<(&str, String)> = base.to_vec();
                l.push(("__name__", "http_requests_total".into()));
                l.push(("code", code.into()));
                out.push((Labels::from_pairs(l), w));
            }
        }
    }
    out
}

/// Number of scrapes in `hours` (the first at t = 0).
fn scrapes(hours: i64) -> i64 {
    hours * 3_600_000 / SCRAPE_MS
}

/// Value of the `k`-th series (increment `w` per scrape) at scrape number `step`.
fn value(step: i64, k: usize, w: f64) -> f64 {
    (step as f64) * w * (1.0 + (k % 7) as f64 / 10.0)
}

/// A store holding the workload for `hours`, starting at t = 0.
pub fn workload(instances: usize, endpoints: usize, hours: i64) -> Store {
    let mut store = Store::new();
    let series = series(instances, endpoints);
    for step in 0..scrapes(hours) {
        for (k, (labels, w)) in series.iter().enumerate() {
            // Appends are in time order by construction; a failure would be a store bug.
            let _ = store.append(labels, step * SCRAPE_MS, value(step, k, *w));
        }
    }
    store
}

/// Writes the samples of [`workload`]`(instances, endpoints, hours)` as OpenMetrics text:
/// series by series, each with all its samples in time order (timestamps in seconds), no
/// metadata (type `unknown`), ending in `# EOF`.
pub fn write_openmetrics(
    out: &mut impl Write,
    instances: usize,
    endpoints: usize,
    hours: i64,
) -> io::Result<()> {
    for (k, (labels, w)) in series(instances, endpoints).iter().enumerate() {
        let name = labels.get("__name__").unwrap_or_default();
        let pairs: Vec<String> = labels
            .iter()
            .filter(|(n, _)| *n != "__name__")
            .map(|(n, v)| format!("{n}=\"{}\"", escape_label_value(v)))
            .collect();
        let prefix = format!("{name}{{{}}}", pairs.join(","));
        for step in 0..scrapes(hours) {
            let t_ms = step * SCRAPE_MS;
            let v = format_openmetrics_float(value(step, k, *w));
            writeln!(out, "{prefix} {v} {}.{:03}", t_ms / 1000, t_ms % 1000)?;
        }
    }
    writeln!(out, "# EOF")
}

/// OpenMetrics label value escaping (`\\`, `\"`, `\n`).
fn escape_label_value(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
