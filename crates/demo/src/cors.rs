//! CORS for browsers: the dashboard scrapes this service from another origin.
//!
//! Contract: every response carries `Access-Control-Allow-Origin: *`; any `OPTIONS` request is
//! answered as a preflight (204) without reaching a handler, allowing GET/POST/OPTIONS and the
//! requested headers (by default `Accept, Content-Type`), cached for a day. Chrome's Private
//! Network Access preflight is granted too, so a dashboard hosted on a public CDN may scrape
//! this service on localhost or a private network.

use axum::extract::Request;
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_HEADERS,
};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

const DEFAULT_ALLOWED_HEADERS: &str = "Accept, Content-Type";
const REQUEST_PRIVATE_NETWORK: &str = "access-control-request-private-network";
const ALLOW_PRIVATE_NETWORK: &str = "access-control-allow-private-network";

/// Middleware: answers preflights, decorates everything else.
pub async fn cors(request: Request, next: Next) -> Response {
    if request.method() == Method::OPTIONS {
        return preflight(&request);
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("*"));
    response
}

fn preflight(request: &Request) -> Response {
    let asked = request.headers();
    let allowed_headers = asked
        .get(ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned()
        .unwrap_or(HeaderValue::from_static(DEFAULT_ALLOWED_HEADERS));
    let private_network = asked.contains_key(REQUEST_PRIVATE_NETWORK);
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(
        ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, OPTIONS"),
    );
    headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, allowed_headers);
    headers.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
    if private_network {
        headers.insert(ALLOW_PRIVATE_NETWORK, HeaderValue::from_static("true"));
    }
    response
}
