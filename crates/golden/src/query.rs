//! PromQL built from detected sources, shared by the generated dashboard and the default
//! alert rules.
//!
//! Contract: every query is scoped to one job (`{job="…"}`), aggregates away instances and
//! uses [`RATE_WINDOW`] (`$__rate_interval`) as its rate window; [`with_window`] substitutes a
//! fixed window for evaluation outside Grafana (alert rules). Ratios put `or vector(0)` on the
//! numerator so "no 5xx series yet" reads as 0, not as no data.

use crate::detect::{LatencySource, RequestSource, RATE_WINDOW};
use crate::names::quote;

/// `name{job="J",extra}`.
pub fn selector(name: &str, job: &str, extra: &str) -> String {
    if extra.is_empty() {
        format!("{name}{{job={}}}", quote(job))
    } else {
        format!("{name}{{job={},{extra}}}", quote(job))
    }
}

/// Replaces the `$__rate_interval` placeholder by a fixed window such as `1m`.
pub fn with_window(expr: &str, window: &str) -> String {
    expr.replace(RATE_WINDOW, window)
}

fn rate(series: &str, job: &str, extra: &str) -> String {
    format!("rate({}[{RATE_WINDOW}])", selector(series, job, extra))
}

/// Requests per second of the job, optionally broken down by one label.
pub fn request_rate(src: &RequestSource, job: &str, by: Option<&str>) -> String {
    match by {
        Some(label) => format!("sum by ({label}) ({})", rate(&src.series, job, "")),
        None => format!("sum({})", rate(&src.series, job, "")),
    }
}

/// The share of requests whose status matches `matcher` (e.g. `status=~"5.."`).
pub fn request_ratio(src: &RequestSource, job: &str, matcher: &str) -> String {
    format!(
        "(sum({}) or vector(0)) / sum({})",
        rate(&src.series, job, matcher),
        rate(&src.series, job, "")
    )
}

/// Latency quantile `q` (0.5, 0.95, …) of the job, optionally restricted by `matcher` and
/// broken down by one label. Summaries only offer their own quantiles (the closest one is
/// used) and are not aggregatable, so they take the worst instance.
pub fn latency_quantile(
    src: &LatencySource,
    job: &str,
    q: f64,
    matcher: &str,
    by: Option<&str>,
) -> String {
    match src {
        LatencySource::Histogram { family, .. } => {
            let group = by.map_or("le".to_string(), |l| format!("le, {l}"));
            format!(
                "histogram_quantile({q}, sum by ({group}) ({}))",
                rate(&format!("{family}_bucket"), job, matcher)
            )
        }
        LatencySource::Summary {
            family, quantiles, ..
        } => {
            let closest = quantiles
                .iter()
                .filter_map(|s| s.parse::<f64>().ok().map(|v| (s, (v - q).abs())))
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map_or_else(|| q.to_string(), |(s, _)| s.clone());
            let extra = if matcher.is_empty() {
                format!("quantile={}", quote(&closest))
            } else {
                format!("quantile={},{matcher}", quote(&closest))
            };
            let by = by.map_or(String::new(), |l| format!(" by ({l})"));
            format!("max{by} ({})", selector(family, job, &extra))
        }
        LatencySource::Mean { family, .. } => mean_latency(family, job, matcher, by),
    }
}

fn mean_latency(family: &str, job: &str, matcher: &str, by: Option<&str>) -> String {
    let by = by.map_or(String::new(), |l| format!(" by ({l})"));
    format!(
        "sum{by} ({}) / sum{by} ({})",
        rate(&format!("{family}_sum"), job, matcher),
        rate(&format!("{family}_count"), job, matcher)
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn selectors_quote_the_job_and_windows_substitute() {
        assert_eq!(
            selector("up", "a\"b", "x=\"1\""),
            "up{job=\"a\\\"b\",x=\"1\"}"
        );
        assert_eq!(
            with_window("rate(x[$__rate_interval])", "1m"),
            "rate(x[1m])"
        );
    }

    #[test]
    fn summary_quantiles_use_the_closest_one_offered() {
        let src = LatencySource::Summary {
            family: "rpc_duration_seconds".into(),
            quantiles: vec!["0.5".into(), "0.9".into(), "0.99".into()],
            unit: "s",
        };
        assert_eq!(
            latency_quantile(&src, "j", 0.95, "", None),
            "max (rpc_duration_seconds{job=\"j\",quantile=\"0.99\"})"
        );
    }
}
