//! Naming conventions of the common client libraries: label aliases for endpoint/status/method
//! and tokenised metric names.
//!
//! Contract: pure string helpers; label lists are in preference order.

/// Endpoint labels, most specific first (prometheus_client/demo, fastapi, OTel, Micrometer, …).
pub const ENDPOINT_LABELS: &[&str] = &[
    "endpoint",
    "handler",
    "route",
    "http_route",
    "uri",
    "path",
    "url",
];

/// Status labels; `outcome` (Micrometer's SUCCESS/CLIENT_ERROR/SERVER_ERROR) last.
pub const STATUS_LABELS: &[&str] = &[
    "status",
    "code",
    "status_code",
    "http_status",
    "http_status_code",
    "http_response_status_code",
    "outcome",
];

/// Method labels.
pub const METHOD_LABELS: &[&str] = &["method", "http_method", "http_request_method"];

/// The `_`-separated words of a metric name, lower-cased.
pub fn tokens(name: &str) -> Vec<String> {
    name.split('_')
        .filter(|t| !t.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// Whether any word of `name` is one of `words`.
pub fn has_token(name: &str, words: &[&str]) -> bool {
    tokens(name).iter().any(|t| words.contains(&t.as_str()))
}

/// Whether `name` looks like it counts or times HTTP/RPC server requests.
pub fn is_request_metric(name: &str) -> bool {
    has_token(name, &["request", "requests", "rpc", "rpcs"])
        && !has_token(
            name,
            &["size", "bytes", "body", "promhttp", "retries", "client"],
        )
}

/// Whether `name` looks like a duration.
pub fn is_duration_metric(name: &str) -> bool {
    has_token(
        name,
        &[
            "duration",
            "latency",
            "seconds",
            "milliseconds",
            "time",
            "ms",
        ],
    )
}

/// Quotes `value` as a PromQL string literal.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_metrics_are_recognised_by_their_words() {
        assert!(is_request_metric("http_requests_total"));
        assert!(is_request_metric("http_server_requests_seconds"));
        assert!(is_request_metric("http_server_request_duration_seconds"));
        assert!(!is_request_metric("promhttp_metric_handler_requests_total"));
        assert!(!is_request_metric("http_request_size_bytes"));
        assert!(!is_request_metric("node_cpu_seconds_total"));
    }

    #[test]
    fn quoting_escapes_quotes_backslashes_and_newlines() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(quote("x\ny"), r#""x\ny""#);
    }
}
