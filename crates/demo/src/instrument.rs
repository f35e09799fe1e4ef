//! Request instrumentation middleware: the RED metrics of every API and health request.
//!
//! Contract: for each request except `OPTIONS`, `/`, `/metrics` and `/admin/*` it keeps
//! `http_requests_in_progress{method,endpoint}` up while the handler runs (also if the request
//! is cancelled), then observes `http_request_duration_seconds{method,endpoint,status}`, counts
//! `http_requests_total{method,endpoint,status}` and, when the response carries an
//! [`ErrorKind`], `app_errors_total{type}`. `endpoint` is the route template
//! (`/api/users/{id}`), never the raw path, so user ids cannot explode cardinality; requests
//! that match no route are labelled `unmatched`, and non-standard methods `other`.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::metrics::gauge::Gauge;

use crate::error::ErrorKind;
use crate::metrics::{RequestLabels, RouteLabels};
use crate::state::AppState;

/// Endpoint label of requests that matched no route.
pub const UNMATCHED_ENDPOINT: &str = "unmatched";

struct InProgress(Gauge);

impl Drop for InProgress {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// The `method` label: standard methods by name, anything else as `other`, so clients cannot
/// mint new series with made-up methods.
pub fn method_label(method: &Method) -> &'static str {
    const KNOWN: [Method; 7] = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::HEAD,
        Method::OPTIONS,
    ];
    KNOWN
        .iter()
        .find(|known| *known == method)
        .map_or("other", Method::as_str)
}

fn is_instrumented(method: &Method, path: &str) -> bool {
    method != Method::OPTIONS && path != "/" && path != "/metrics" && !path.starts_with("/admin")
}

/// Middleware recording the request metrics.
pub async fn instrument(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    if !is_instrumented(request.method(), request.uri().path()) {
        return next.run(request).await;
    }
    let endpoint = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(UNMATCHED_ENDPOINT, MatchedPath::as_str)
        .to_string();
    let route = RouteLabels {
        method: method_label(request.method()).to_string(),
        endpoint,
    };
    let gauge = state.metrics.in_progress.get_or_create_owned(&route);
    gauge.inc();
    let in_progress = InProgress(gauge);
    let started = Instant::now();

    let response = next.run(request).await;

    let labels = RequestLabels {
        method: route.method,
        endpoint: route.endpoint,
        status: response.status().as_u16().to_string(),
    };
    state
        .metrics
        .duration
        .get_or_create(&labels)
        .observe(started.elapsed().as_secs_f64());
    state.metrics.requests.get_or_create(&labels).inc();
    if let Some(ErrorKind(kind)) = response.extensions().get::<ErrorKind>() {
        state.metrics.count_error(kind);
    }
    drop(in_progress);
    response
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
    fn made_up_methods_share_one_label() {
        assert_eq!(method_label(&Method::GET), "GET");
        assert_eq!(method_label(&Method::DELETE), "DELETE");
        assert_eq!(method_label(&Method::from_bytes(b"BREW").unwrap()), "other");
        assert_eq!(
            method_label(&Method::from_bytes(b"PROPFIND").unwrap()),
            "other"
        );
    }
}
