//! `GET /health`: really checks the simulated dependencies instead of always answering 200.
//!
//! Contract: runs the database, cache and payment-api checks concurrently; answers
//! 200 `{"status":"healthy","checks":{...all "ok"}}` or 503 `{"status":"unhealthy","checks":{...}}`
//! where each failing check reads `error: <reason>`. The database check borrows a real pool
//! connection (waiting at most [`DB_CHECK_TIMEOUT`]), so an exhausted pool is reported too.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Map, Value};

use crate::state::AppState;

/// Longest the database check waits for a free connection.
pub const DB_CHECK_TIMEOUT: Duration = Duration::from_secs(1);

async fn check_database(state: &AppState) -> Result<(), String> {
    let connection = state
        .pool
        .acquire(DB_CHECK_TIMEOUT)
        .await
        .map_err(|e| e.to_string())?;
    // `SELECT 1`
    tokio::time::sleep(Duration::from_millis(2)).await;
    drop(connection);
    Ok(())
}

async fn check_cache(state: &AppState) -> Result<(), String> {
    tokio::time::sleep(Duration::from_millis(1)).await;
    if state.cache.is_up() {
        Ok(())
    } else {
        Err("PING cache:6379 failed: connection refused".to_string())
    }
}

async fn check_payment_api(state: &AppState) -> Result<(), String> {
    tokio::time::sleep(Duration::from_millis(3)).await;
    if state.payment_up() {
        Ok(())
    } else {
        Err("GET https://payments.internal/status: connection reset by peer".to_string())
    }
}

/// The health endpoint handler.
pub async fn health(State(state): State<Arc<AppState>>) -> (StatusCode, Json<Value>) {
    let (database, cache, payment) = tokio::join!(
        check_database(&state),
        check_cache(&state),
        check_payment_api(&state)
    );
    let results = [
        ("database", database),
        ("cache", cache),
        ("payment-api", payment),
    ];
    let healthy = results.iter().all(|(_, result)| result.is_ok());
    let checks: Map<String, Value> = results
        .into_iter()
        .map(|(name, result)| {
            let text = match result {
                Ok(()) => "ok".to_string(),
                Err(reason) => format!("error: {reason}"),
            };
            (name.to_string(), Value::String(text))
        })
        .collect();
    let (status, word) = if healthy {
        (StatusCode::OK, "healthy")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "unhealthy")
    };
    (status, Json(json!({ "status": word, "checks": checks })))
}
