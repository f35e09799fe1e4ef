//! Golden-signal detection: per job, the best source of each signal among the scraped families.
//!
//! Contract: [`detect`] is pure and deterministic (families are visited in name order, ties
//! broken by name). Traffic is a request counter or a request-duration histogram/summary
//! `_count`; errors come from the status label of a request metric (status codes, `"5xx"`
//! classes or Micrometer's `outcome`) plus application error counters; latency from a
//! request-duration histogram, else a summary's quantiles, else a summary's `_sum/_count`;
//! saturation from in-flight gauges, used/limit gauge pairs (pools, fds, threads, memory),
//! process CPU/memory and node-exporter CPU/memory/filesystem. A signal with no source is
//! `None`/empty; the dashboard then shows what metric would provide it.

use std::fmt::Write as _;

use signalboard_exposition::MetricType;

use crate::catalog::{Catalog, FamilyInfo};
use crate::names::{
    has_token, is_duration_metric, is_request_metric, tokens, ENDPOINT_LABELS, METHOD_LABELS,
    STATUS_LABELS,
};

/// How a status label spells failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusStyle {
    /// Numeric codes (`"503"`) or classes (`"5xx"`): matched by `5..`.
    Code,
    /// Micrometer's `outcome`: `SERVER_ERROR`, `CLIENT_ERROR`, `SUCCESS`, …
    Outcome,
}

/// The status label of a request metric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLabel {
    pub name: String,
    pub style: StatusStyle,
}

impl StatusLabel {
    /// Matcher selecting server errors (5xx).
    pub fn server_errors(&self) -> String {
        match self.style {
            StatusStyle::Code => format!("{}=~\"5..\"", self.name),
            StatusStyle::Outcome => format!("{}=\"SERVER_ERROR\"", self.name),
        }
    }

    /// Matcher selecting client errors (4xx).
    pub fn client_errors(&self) -> String {
        match self.style {
            StatusStyle::Code => format!("{}=~\"4..\"", self.name),
            StatusStyle::Outcome => format!("{}=\"CLIENT_ERROR\"", self.name),
        }
    }

    /// Matcher selecting everything but server errors.
    pub fn not_server_errors(&self) -> String {
        match self.style {
            StatusStyle::Code => format!("{}!~\"5..\"", self.name),
            StatusStyle::Outcome => format!("{}!=\"SERVER_ERROR\"", self.name),
        }
    }
}

/// A metric that counts requests.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestSource {
    /// The family it comes from.
    pub family: String,
    /// The series to `rate()`: a counter's `_total` or a histogram/summary `_count`.
    pub series: String,
    pub endpoint: Option<String>,
    pub status: Option<StatusLabel>,
    pub method: Option<String>,
}

/// An application error counter.
#[derive(Debug, Clone, PartialEq)]
pub struct CounterSource {
    pub series: String,
    /// Labels to break it down by (job/instance excluded, at most two).
    pub by: Vec<String>,
}

/// Where request latency comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum LatencySource {
    /// A request-duration histogram: percentiles by `histogram_quantile`.
    Histogram {
        family: String,
        endpoint: Option<String>,
        status: Option<StatusLabel>,
        /// Grafana unit of the observed values (`s` or `ms`).
        unit: &'static str,
    },
    /// A summary's precomputed quantiles (cannot be aggregated across instances).
    Summary {
        family: String,
        quantiles: Vec<String>,
        unit: &'static str,
    },
    /// Only `_sum` and `_count`: the mean.
    Mean { family: String, unit: &'static str },
}

/// One saturation measure.
#[derive(Debug, Clone, PartialEq)]
pub struct SaturationSource {
    pub title: String,
    /// PromQL with `$__rate_interval` where a rate window is needed.
    pub expr: String,
    pub unit: &'static str,
    /// A 0..1 share of a resource (alarm above 80%).
    pub ratio: bool,
    /// The metrics used, for the summary.
    pub from: String,
}

/// The detected sources of one job.
#[derive(Debug, Clone, PartialEq)]
pub struct Sources {
    pub job: String,
    pub traffic: Option<RequestSource>,
    /// The request metric with a status label, for error ratios.
    pub errors: Option<RequestSource>,
    pub error_counters: Vec<CounterSource>,
    pub latency: Option<LatencySource>,
    pub saturation: Vec<SaturationSource>,
}

/// The rate window placeholder generated queries use (Grafana's macro).
pub const RATE_WINDOW: &str = "$__rate_interval";

/// Detects the sources of every job of the catalog.
pub fn detect(catalog: &Catalog) -> Vec<Sources> {
    catalog.jobs().map(|job| detect_job(catalog, job)).collect()
}

/// Detects the sources of one job.
pub fn detect_job(catalog: &Catalog, job: &str) -> Sources {
    let families: Vec<&FamilyInfo> = catalog.families(job).collect();
    let requests: Vec<RequestSource> = families.iter().filter_map(|f| request_source(f)).collect();
    let best = |with_status: bool| {
        requests
            .iter()
            .filter(|r| !with_status || r.status.is_some())
            .max_by_key(|r| request_score(r))
            .cloned()
    };
    Sources {
        job: job.to_string(),
        traffic: best(false),
        errors: best(true),
        error_counters: families.iter().filter_map(|f| error_counter(f)).collect(),
        latency: latency_source(&families),
        saturation: saturation_sources(&families, job),
    }
}

fn request_source(f: &FamilyInfo) -> Option<RequestSource> {
    if !is_request_metric(&f.name) {
        return None;
    }
    let series = match f.kind {
        MetricType::Counter => f.counter_series(),
        MetricType::Untyped | MetricType::Unknown if f.name.ends_with("_total") => f.name.clone(),
        MetricType::Histogram | MetricType::Summary if f.has_suffix_series("_count") => {
            format!("{}_count", f.name)
        }
        _ => return None,
    };
    Some(RequestSource {
        family: f.name.clone(),
        series,
        endpoint: f.first_label(ENDPOINT_LABELS),
        status: status_label(f),
        method: f.first_label(METHOD_LABELS),
    })
}

fn status_label(f: &FamilyInfo) -> Option<StatusLabel> {
    let name = f.first_label(STATUS_LABELS)?;
    let style = if name == "outcome" {
        StatusStyle::Outcome
    } else {
        StatusStyle::Code
    };
    Some(StatusLabel { name, style })
}

/// Higher is better; ties are broken by the later name in `max_by_key`, so the score also
/// folds in a deterministic preference for counters.
fn request_score(r: &RequestSource) -> u32 {
    let mut score = 0;
    if r.endpoint.is_some() {
        score += 40;
    }
    if r.status.is_some() {
        score += 40;
    }
    if r.method.is_some() {
        score += 10;
    }
    if has_token(&r.family, &["http"]) {
        score += 20;
    }
    if r.series.ends_with("_total") {
        score += 5;
    }
    score
}

fn error_counter(f: &FamilyInfo) -> Option<CounterSource> {
    let counter = f.kind == MetricType::Counter
        || (matches!(f.kind, MetricType::Untyped | MetricType::Unknown)
            && f.name.ends_with("_total"));
    let errorish = has_token(
        &f.name,
        &[
            "error",
            "errors",
            "exception",
            "exceptions",
            "failure",
            "failures",
            "failed",
        ],
    );
    if !counter || !errorish || is_request_metric(&f.name) || is_metrics_handler(&f.name) {
        return None;
    }
    let by = f
        .labels
        .keys()
        .filter(|l| !matches!(l.as_str(), "job" | "instance"))
        .take(2)
        .cloned()
        .collect();
    Some(CounterSource {
        series: f.counter_series(),
        by,
    })
}

/// client_golang's own `/metrics` handler metrics (they describe scrapes, not the service).
fn is_metrics_handler(name: &str) -> bool {
    name.starts_with("promhttp_")
}

fn latency_unit(name: &str) -> &'static str {
    if has_token(name, &["milliseconds", "ms"]) {
        "ms"
    } else {
        "s"
    }
}

fn is_request_duration(f: &FamilyInfo) -> bool {
    is_request_metric(&f.name) && is_duration_metric(&f.name)
}

fn latency_source(families: &[&FamilyInfo]) -> Option<LatencySource> {
    let score = |f: &FamilyInfo| {
        u32::from(f.first_label(ENDPOINT_LABELS).is_some()) * 2
            + u32::from(status_label(f).is_some()) * 2
            + u32::from(has_token(&f.name, &["http"]))
    };
    let histogram = families
        .iter()
        .filter(|f| f.kind == MetricType::Histogram && f.has_suffix_series("_bucket"))
        .filter(|f| is_request_duration(f))
        .max_by_key(|f| score(f));
    if let Some(f) = histogram {
        return Some(LatencySource::Histogram {
            family: f.name.clone(),
            endpoint: f.first_label(ENDPOINT_LABELS),
            status: status_label(f),
            unit: latency_unit(&f.name),
        });
    }
    let summaries = || {
        families
            .iter()
            .filter(|f| f.kind == MetricType::Summary && is_request_duration(f))
    };
    if let Some(f) = summaries().find(|f| !f.quantiles.is_empty()) {
        return Some(LatencySource::Summary {
            family: f.name.clone(),
            quantiles: f.quantiles.iter().cloned().collect(),
            unit: latency_unit(&f.name),
        });
    }
    summaries()
        .find(|f| f.has_suffix_series("_sum") && f.has_suffix_series("_count"))
        .map(|f| LatencySource::Mean {
            family: f.name.clone(),
            unit: latency_unit(&f.name),
        })
}

fn saturation_sources(families: &[&FamilyInfo], job: &str) -> Vec<SaturationSource> {
    let sel = |name: &str, extra: &str| crate::query::selector(name, job, extra);
    let mut out = Vec::new();
    if let Some(f) = in_flight_gauge(families) {
        out.push(SaturationSource {
            title: "In-flight requests".into(),
            expr: format!("sum({})", sel(&f.name, "")),
            unit: "short",
            ratio: false,
            from: f.name.clone(),
        });
    }
    out.extend(used_limit_pairs(families, job));
    let find = |name: &str| families.iter().find(|f| f.name == name);
    let process_cpu = find("process_cpu_seconds_total").or_else(|| find("process_cpu_seconds"));
    if let Some(f) = process_cpu {
        out.push(process_cpu_source(families, &f.counter_series(), job));
    } else if let Some(f) = find("process_cpu_usage") {
        out.push(SaturationSource {
            title: "Process CPU".into(),
            expr: format!("max({})", sel(&f.name, "")),
            unit: "percentunit",
            ratio: true,
            from: f.name.clone(),
        });
    }
    if let Some(f) = find("process_resident_memory_bytes") {
        out.push(SaturationSource {
            title: "Process memory (resident)".into(),
            expr: format!("sum({})", sel(&f.name, "")),
            unit: "bytes",
            ratio: false,
            from: f.name.clone(),
        });
    }
    out.extend(node_exporter(families, job));
    out
}

/// CPU used by the process, from its CPU-seconds counter. It is a share of a limit only when
/// the limit is known: one core for single-threaded runtimes (CPython's GIL, Node.js's event
/// loop), `GOMAXPROCS` when the Go client exports it. Otherwise it is cores used, with no
/// alarm: 80% of one core is normal load for a multi-threaded service.
fn process_cpu_source(families: &[&FamilyInfo], series: &str, job: &str) -> SaturationSource {
    let has = |name: &str| families.iter().any(|f| f.name == name);
    let rate = format!(
        "rate({}[{RATE_WINDOW}])",
        crate::query::selector(series, job, "")
    );
    let single_threaded =
        has("python_info") || families.iter().any(|f| f.name.starts_with("nodejs_"));
    if single_threaded {
        return SaturationSource {
            title: "Process CPU (share of one core)".into(),
            expr: format!("max({rate})"),
            unit: "percentunit",
            ratio: true,
            from: series.to_string(),
        };
    }
    let gomaxprocs = "go_sched_gomaxprocs_threads";
    if has(gomaxprocs) {
        let limit = crate::query::selector(gomaxprocs, job, "");
        return SaturationSource {
            title: "Process CPU (share of GOMAXPROCS)".into(),
            expr: format!("max({rate} / ({limit} > 0))"),
            unit: "percentunit",
            ratio: true,
            from: format!("{series}/{gomaxprocs}"),
        };
    }
    SaturationSource {
        title: "Process CPU (cores)".into(),
        expr: format!("sum({rate})"),
        unit: "short",
        ratio: false,
        from: series.to_string(),
    }
}

fn in_flight_gauge<'a>(families: &[&'a FamilyInfo]) -> Option<&'a FamilyInfo> {
    families
        .iter()
        .filter(|f| f.kind == MetricType::Gauge && !f.name.starts_with("nodejs_"))
        .filter(|f| !is_metrics_handler(&f.name))
        .filter(|f| {
            let t = tokens(&f.name);
            let has = |w: &str| t.iter().any(|x| x == w);
            (has("in") && (has("flight") || has("progress")))
                || has("inflight")
                || has("concurrent")
                || (has("active") && (has("requests") || has("request")))
        })
        .max_by_key(|f| u32::from(has_token(&f.name, &["http"])))
        .copied()
}

const USED_WORDS: &[&str] = &["used", "active", "busy", "open", "inuse", "utilized"];
const LIMIT_WORDS: &[&str] = &["max", "size", "limit", "capacity", "maximum"];
const NEUTRAL_WORDS: &[&str] = &["pool", "config", "configured"];

/// A name's words without used/limit/neutral words, singular, with `in_use` as one word.
fn pair_stem(name: &str) -> Vec<String> {
    tokens(&name.replace("in_use", "inuse"))
        .into_iter()
        .filter(|t| {
            !USED_WORDS.contains(&t.as_str())
                && !LIMIT_WORDS.contains(&t.as_str())
                && !NEUTRAL_WORDS.contains(&t.as_str())
        })
        .map(|t| t.strip_suffix('s').map(str::to_string).unwrap_or(t))
        .collect()
}

/// Gauge pairs like `hikaricp_connections_active` / `hikaricp_connections_max`,
/// `process_open_fds` / `process_max_fds`, `db_connections_in_use` / `db_connection_pool_size`.
fn used_limit_pairs(families: &[&FamilyInfo], job: &str) -> Vec<SaturationSource> {
    let gauges: Vec<&&FamilyInfo> = families
        .iter()
        .filter(|f| f.kind == MetricType::Gauge)
        .collect();
    let words = |f: &FamilyInfo| tokens(&f.name.replace("in_use", "inuse"));
    let mut out = Vec::new();
    for used in gauges
        .iter()
        .filter(|f| words(f).iter().any(|w| USED_WORDS.contains(&w.as_str())))
    {
        let stem = pair_stem(&used.name);
        let limit = gauges.iter().find(|l| {
            l.name != used.name
                && words(l).iter().any(|w| LIMIT_WORDS.contains(&w.as_str()))
                && l.max_value > 0.0
                && l.max_value < 1e15
                && !stem.is_empty()
                && pair_stem(&l.name) == stem
        });
        let Some(limit) = limit else { continue };
        let (u, l) = (
            crate::query::selector(&used.name, job, ""),
            crate::query::selector(&limit.name, job, ""),
        );
        let same_labels = used.labels.keys().eq(limit.labels.keys());
        let expr = if same_labels {
            format!("max({u} / ({l} > 0))")
        } else {
            format!("sum({u}) / sum({l})")
        };
        out.push(SaturationSource {
            title: format!("{} / {}", used.name, limit.name),
            expr,
            unit: "percentunit",
            ratio: true,
            from: format!("{}/{}", used.name, limit.name),
        });
    }
    out
}

fn node_exporter(families: &[&FamilyInfo], job: &str) -> Vec<SaturationSource> {
    let has = |name: &str| families.iter().any(|f| f.name == name);
    let sel = |name: &str, extra: &str| crate::query::selector(name, job, extra);
    let mut out = Vec::new();
    if has("node_cpu_seconds") || has("node_cpu_seconds_total") {
        out.push(SaturationSource {
            title: "Host CPU busy".into(),
            expr: format!(
                "1 - avg(rate({}[{RATE_WINDOW}]))",
                sel("node_cpu_seconds_total", "mode=\"idle\"")
            ),
            unit: "percentunit",
            ratio: true,
            from: "node_cpu_seconds_total".into(),
        });
    }
    if has("node_memory_MemAvailable_bytes") && has("node_memory_MemTotal_bytes") {
        out.push(SaturationSource {
            title: "Host memory used".into(),
            expr: format!(
                "1 - sum({}) / sum({})",
                sel("node_memory_MemAvailable_bytes", ""),
                sel("node_memory_MemTotal_bytes", "")
            ),
            unit: "percentunit",
            ratio: true,
            from: "node_memory_MemAvailable_bytes/node_memory_MemTotal_bytes".into(),
        });
    }
    if has("node_filesystem_avail_bytes") && has("node_filesystem_size_bytes") {
        let real_fs = "fstype!~\"tmpfs|ramfs|squashfs|nsfs|proc|sysfs\"";
        out.push(SaturationSource {
            title: "Filesystem used (fullest)".into(),
            expr: format!(
                "max(1 - {} / ({} > 0))",
                sel("node_filesystem_avail_bytes", real_fs),
                sel("node_filesystem_size_bytes", real_fs)
            ),
            unit: "percentunit",
            ratio: true,
            from: "node_filesystem_avail_bytes/node_filesystem_size_bytes".into(),
        });
    }
    out
}

impl Sources {
    /// A stable, human-readable description of what was detected (the golden test summary).
    pub fn summary(&self) -> String {
        let mut out = format!("job {}\n", self.job);
        let req = |r: &RequestSource| {
            let status = r
                .status
                .as_ref()
                .map_or("-".to_string(), |s| s.name.clone());
            format!(
                "{} (endpoint={} status={} method={})",
                r.series,
                r.endpoint.as_deref().unwrap_or("-"),
                status,
                r.method.as_deref().unwrap_or("-")
            )
        };
        let none = "none".to_string();
        let _ = writeln!(
            out,
            "traffic: {}",
            self.traffic.as_ref().map_or(none.clone(), req)
        );
        let _ = writeln!(
            out,
            "errors: {}",
            self.errors.as_ref().map_or(none.clone(), req)
        );
        let counters: Vec<&str> = self
            .error_counters
            .iter()
            .map(|c| c.series.as_str())
            .collect();
        let _ = writeln!(out, "error counters: {}", list_or_none(&counters));
        let latency = match &self.latency {
            None => none,
            Some(LatencySource::Histogram {
                family,
                endpoint,
                status,
                unit,
            }) => format!(
                "histogram {family} (endpoint={} status={} unit={unit})",
                endpoint.as_deref().unwrap_or("-"),
                status.as_ref().map_or("-", |s| s.name.as_str())
            ),
            Some(LatencySource::Summary {
                family,
                quantiles,
                unit,
            }) => format!(
                "summary {family} (quantiles={} unit={unit})",
                quantiles.join(",")
            ),
            Some(LatencySource::Mean { family, unit }) => {
                format!("mean {family}_sum/{family}_count (unit={unit})")
            }
        };
        let _ = writeln!(out, "latency: {latency}");
        let saturation: Vec<&str> = self.saturation.iter().map(|s| s.from.as_str()).collect();
        let _ = writeln!(out, "saturation: {}", list_or_none(&saturation));
        out
    }
}

fn list_or_none(items: &[&str]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}
