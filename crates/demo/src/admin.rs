//! The admin endpoints that switch scenarios and dependencies at run time, plus `/metrics` and
//! the index (`/`: an HTML control page for browsers, JSON otherwise).
//!
//! Contract: `GET /admin/scenario` → `{"scenario": name, "available": [...]}`;
//! `POST /admin/scenario/{name}` → 200 `{"scenario": new, "previous": old}` or 400 for an
//! unknown name; `POST /admin/dependency/{name}/{up|down}` → 200 or 400; `GET /admin/load` →
//! `{"rps": N}`; `POST /admin/load/{rps}` (0..=10000, 0 = idle) → 200 or 400. `/metrics` serves
//! OpenMetrics when the `Accept` header asks for it, else Prometheus text 0.0.4.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::header::{ACCEPT, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::exposition_format::{
    to_prometheus_text, wants_openmetrics, OPENMETRICS_CONTENT_TYPE, PROMETHEUS_TEXT_CONTENT_TYPE,
};
use crate::scenario::Scenario;
use crate::state::{AppState, DEPENDENCIES};

/// `GET /admin/scenario`
pub async fn get_scenario(State(state): State<Arc<AppState>>) -> Json<Value> {
    Json(json!({ "scenario": state.scenario().name(), "available": Scenario::names() }))
}

/// `POST /admin/scenario/{name}`
pub async fn set_scenario(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let scenario: Scenario = name.parse().map_err(ApiError::validation)?;
    let previous = state.set_scenario(scenario);
    Ok(Json(
        json!({ "scenario": scenario.name(), "previous": previous.name() }),
    ))
}

/// `POST /admin/dependency/{name}/{up|down}`
pub async fn set_dependency(
    State(state): State<Arc<AppState>>,
    Path((name, wanted)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let up = match wanted.as_str() {
        "up" => true,
        "down" => false,
        other => {
            return Err(ApiError::validation(format!(
                "state `{other}` must be `up` or `down`"
            )))
        }
    };
    state
        .set_dependency_up(&name, up)
        .map_err(ApiError::validation)?;
    Ok(Json(json!({ "dependency": name, "up": up })))
}

/// Highest rate `POST /admin/load/{rps}` accepts.
pub const MAX_LOAD_RPS: f64 = 10_000.0;

/// `GET /admin/load`
pub async fn get_load(State(state): State<Arc<AppState>>) -> Json<Value> {
    Json(json!({ "rps": state.load_rps() }))
}

/// `POST /admin/load/{rps}`
pub async fn set_load(
    State(state): State<Arc<AppState>>,
    Path(rps): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let parsed = rps
        .parse::<f64>()
        .ok()
        .filter(|r| (0.0..=MAX_LOAD_RPS).contains(r))
        .ok_or_else(|| {
            ApiError::validation(format!(
                "rate `{rps}` must be a number in 0..={MAX_LOAD_RPS}"
            ))
        })?;
    let previous = state.load_rps();
    state.set_load_rps(parsed);
    Ok(Json(json!({ "rps": parsed, "previous": previous })))
}

/// `GET /metrics`
pub async fn metrics(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let openmetrics = match state.metrics.encode_openmetrics() {
        Ok(text) => text,
        Err(_) => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "failed to encode metrics\n",
            )
                .into_response()
        }
    };
    let accept = headers.get(ACCEPT).and_then(|value| value.to_str().ok());
    if wants_openmetrics(accept) {
        ([(CONTENT_TYPE, OPENMETRICS_CONTENT_TYPE)], openmetrics).into_response()
    } else {
        (
            [(CONTENT_TYPE, PROMETHEUS_TEXT_CONTENT_TYPE)],
            to_prometheus_text(&openmetrics),
        )
            .into_response()
    }
}

/// The little control page served at `/` to browsers.
const CONTROL_PAGE: &str = include_str!("control_page.html");

/// `GET /`: a control page for browsers (scenario, dependency and load buttons), otherwise a
/// JSON description of the service.
pub async fn index(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let wants_html = headers
        .get(ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_html {
        return Html(CONTROL_PAGE).into_response();
    }
    Json(json!({
        "service": "signalboard-demo",
        "scenario": state.scenario().name(),
        "endpoints": [
            "GET /api/users", "GET /api/users/{id}", "POST /api/users",
            "GET /api/orders", "POST /api/orders", "GET /api/search?q=", "POST /api/login",
            "GET /health", "GET /metrics",
            "GET /admin/scenario", "POST /admin/scenario/{name}", "POST /admin/dependency/{name}/{up|down}",
            "GET /admin/load", "POST /admin/load/{rps}"
        ],
        "scenarios": Scenario::names(),
        "dependencies": DEPENDENCIES,
    }))
    .into_response()
}
