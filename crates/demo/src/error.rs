//! The error value API handlers return, and how it becomes an HTTP response.
//!
//! Contract: every [`ApiError`] renders as JSON `{"error": <type>, "message": <text>}` with its
//! status, and tags the response with an [`ErrorKind`] extension; the instrumentation middleware
//! counts that tag in `app_errors_total{type}`, so handlers never touch the counter themselves.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::pool::PoolError;

/// Response extension naming the application error type of a failed request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorKind(pub &'static str);

/// A failed API request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub kind: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            kind,
            message: message.into(),
        }
    }

    pub fn validation(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "validation", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }
}

impl From<PoolError> for ApiError {
    fn from(err: PoolError) -> Self {
        let kind = match err {
            PoolError::Timeout { .. } => "db_pool_timeout",
            PoolError::Unavailable => "db_unavailable",
        };
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, kind, err.to_string())
    }
}

/// A body that is not the JSON a handler expects is the client's mistake.
impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        ApiError::validation(rejection.body_text())
    }
}

/// So is a query string that does not parse.
impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::validation(rejection.body_text())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.kind, "message": self.message });
        let mut response = (self.status, Json(body)).into_response();
        response.extensions_mut().insert(ErrorKind(self.kind));
        response
    }
}
