//! Content negotiation for `/metrics`: OpenMetrics 1.0 when the scraper asks for it, otherwise the
//! Prometheus text format 0.0.4.
//!
//! Contract: `prometheus-client` only writes OpenMetrics; [`to_prometheus_text`] turns that into
//! valid 0.0.4 text (counter HELP/TYPE named after their `_total` samples, no `# UNIT`, no
//! `# EOF`, no `_created` samples, no exemplars). The conversion only needs to understand what
//! `prometheus-client` emits (counter, gauge, histogram, info, unknown families).

use std::collections::HashMap;

/// Content type of an OpenMetrics 1.0 response.
pub const OPENMETRICS_CONTENT_TYPE: &str =
    "application/openmetrics-text; version=1.0.0; charset=utf-8";
/// Content type of a Prometheus text 0.0.4 response.
pub const PROMETHEUS_TEXT_CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// True when an `Accept` header lists OpenMetrics text with a non-zero quality.
pub fn wants_openmetrics(accept: Option<&str>) -> bool {
    let Some(accept) = accept else { return false };
    accept.split(',').any(|media_range| {
        let mut parts = media_range.split(';').map(str::trim);
        let is_openmetrics = parts
            .next()
            .is_some_and(|media| media.eq_ignore_ascii_case("application/openmetrics-text"));
        let refused = parts.any(|param| {
            param
                .strip_prefix("q=")
                .and_then(|q| q.parse::<f64>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        is_openmetrics && !refused
    })
}

/// Converts OpenMetrics text (as written by `prometheus-client`) to Prometheus text 0.0.4.
pub fn to_prometheus_text(openmetrics: &str) -> String {
    let renamed = descriptor_renames(openmetrics);
    let mut out = String::with_capacity(openmetrics.len());
    for line in openmetrics.lines() {
        if let Some(converted) = convert_line(line, &renamed) {
            out.push_str(&converted);
            out.push('\n');
        }
    }
    out
}

/// Family name → (0.0.4 name, 0.0.4 type) for families whose descriptor must change.
fn descriptor_renames(openmetrics: &str) -> HashMap<&str, (String, &'static str)> {
    openmetrics
        .lines()
        .filter_map(|line| line.strip_prefix("# TYPE "))
        .filter_map(|rest| rest.split_once(' '))
        .filter_map(|(name, kind)| match kind.trim() {
            "counter" => Some((name, (format!("{name}_total"), "counter"))),
            "info" => Some((name, (format!("{name}_info"), "gauge"))),
            "unknown" => Some((name, (name.to_string(), "untyped"))),
            _ => None,
        })
        .collect()
}

fn convert_line(line: &str, renamed: &HashMap<&str, (String, &'static str)>) -> Option<String> {
    if line == "# EOF" || line.starts_with("# UNIT ") {
        return None;
    }
    if let Some(rest) = line.strip_prefix("# HELP ") {
        let (name, help) = rest.split_once(' ').unwrap_or((rest, ""));
        let name = renamed.get(name).map_or(name, |(new, _)| new.as_str());
        return Some(format!("# HELP {name} {help}"));
    }
    if let Some(rest) = line.strip_prefix("# TYPE ") {
        let (name, kind) = rest.split_once(' ').unwrap_or((rest, ""));
        return Some(match renamed.get(name) {
            Some((new_name, new_kind)) => format!("# TYPE {new_name} {new_kind}"),
            None => format!("# TYPE {name} {kind}"),
        });
    }
    let metric_name = line.split(['{', ' ']).next().unwrap_or_default();
    if metric_name.ends_with("_created") {
        return None;
    }
    Some(strip_exemplar(line).to_string())
}

/// Cuts ` # {exemplar}` off a sample line, ignoring `#` inside quoted label values.
fn strip_exemplar(line: &str) -> &str {
    let (mut in_quotes, mut escaped) = (false, false);
    for (index, ch) in line.char_indices() {
        match ch {
            _ if escaped => escaped = false,
            '\\' if in_quotes => escaped = true,
            '"' => in_quotes = !in_quotes,
            '#' if !in_quotes && line.get(..index).is_some_and(|head| head.ends_with(' ')) => {
                return line.get(..index.saturating_sub(1)).unwrap_or(line);
            }
            _ => {}
        }
    }
    line
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]
    use super::*;

    #[test]
    fn negotiates_like_prometheus() {
        let prometheus = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
        assert!(wants_openmetrics(Some(prometheus)));
        assert!(!wants_openmetrics(Some("text/plain;version=0.0.4")));
        assert!(!wants_openmetrics(Some("*/*")));
        assert!(!wants_openmetrics(None));
        assert!(!wants_openmetrics(Some("application/openmetrics-text;q=0")));
    }

    #[test]
    fn converts_counters_units_and_eof() {
        let om = "# HELP http_requests Requests.\n# TYPE http_requests counter\nhttp_requests_total{method=\"GET\"} 3\nhttp_requests_created{method=\"GET\"} 1.7e9\n# HELP d_seconds Latency.\n# TYPE d_seconds histogram\n# UNIT d_seconds seconds\nd_seconds_bucket{le=\"+Inf\"} 1\nd_seconds_sum 0.5\nd_seconds_count 1\n# EOF\n";
        let text = to_prometheus_text(om);
        let expected = "# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\nhttp_requests_total{method=\"GET\"} 3\n# HELP d_seconds Latency.\n# TYPE d_seconds histogram\nd_seconds_bucket{le=\"+Inf\"} 1\nd_seconds_sum 0.5\nd_seconds_count 1\n";
        assert_eq!(text, expected);
    }

    #[test]
    fn strips_exemplars_but_keeps_label_values_with_hashes() {
        let om = "# TYPE c counter\nc_total{path=\"/a # b\"} 1 # {trace_id=\"x\"} 1\n";
        let text = to_prometheus_text(om);
        assert!(text.contains("c_total{path=\"/a # b\"} 1\n"), "{text}");
        assert!(!text.contains("trace_id"), "{text}");
        let bare = to_prometheus_text("# TYPE c counter\nc_total 2 # {a=\"b\"} 1\n");
        assert_eq!(bare, "# TYPE c_total counter\nc_total 2\n");
    }
}
