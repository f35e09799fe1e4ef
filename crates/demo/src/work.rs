//! The simulated work behind each API route, and what each scenario does to it.
//!
//! Contract: a request's latency is real (tokio sleeps), drawn from a per-route log-normal
//! profile split into app time (no connection held) and database time (a pool connection held).
//! Scenario effects: `latency-spike` adds 1.2–3 s of app time to 85% of requests; `error-burst`
//! fails 35% of requests with a 500; `pool-saturation` makes queries 3× slower (while the batch
//! job holds most connections); `dependency-down` makes every query fail to connect.

use std::time::Duration;

use axum::http::StatusCode;

use crate::error::ApiError;
use crate::scenario::Scenario;
use crate::state::AppState;

/// The API operations the service simulates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    ListUsers,
    GetUser,
    CreateUser,
    ListOrders,
    CreateOrder,
    Search,
    Login,
}

/// Median and log-normal shape of one phase, in seconds.
#[derive(Debug, Clone, Copy)]
struct Phase {
    median: f64,
    sigma: f64,
}

const fn phase(median: f64, sigma: f64) -> Phase {
    Phase { median, sigma }
}

/// (app phase, database phase) per route; search has the long tail, login hashes passwords.
fn profile(route: Route) -> (Phase, Phase) {
    match route {
        Route::ListUsers => (phase(0.010, 0.4), phase(0.025, 0.5)),
        Route::GetUser => (phase(0.004, 0.4), phase(0.010, 0.5)),
        Route::CreateUser => (phase(0.015, 0.4), phase(0.040, 0.4)),
        Route::ListOrders => (phase(0.020, 0.4), phase(0.060, 0.5)),
        Route::CreateOrder => (phase(0.030, 0.4), phase(0.040, 0.4)),
        Route::Search => (phase(0.040, 0.6), phase(0.080, 0.8)),
        Route::Login => (phase(0.045, 0.2), phase(0.010, 0.4)),
    }
}

/// Longest single simulated sleep, so a freak tail sample cannot stall a request for minutes.
const MAX_PHASE_SECONDS: f64 = 8.0;

const SPIKE_PROBABILITY: f64 = 0.85;
const SPIKE_SECONDS: (f64, f64) = (1.2, 3.0);
const BURST_ERROR_PROBABILITY: f64 = 0.35;
const SATURATION_QUERY_FACTOR: f64 = 3.0;
const PAYMENT_SECONDS: Phase = phase(0.080, 0.3);

async fn sleep_seconds(seconds: f64) {
    let seconds = seconds.clamp(0.0, MAX_PHASE_SECONDS);
    tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
}

/// Application-side work (validation, serialisation, downstream calls); holds no connection.
pub async fn compute(state: &AppState, route: Route) {
    let (app, _) = profile(route);
    let scenario = state.scenario();
    let seconds = state.with_rng(|rng| {
        let base = rng.log_normal(app.median, app.sigma);
        let spike = scenario == Scenario::LatencySpike && rng.chance(SPIKE_PROBABILITY);
        base + if spike {
            rng.uniform(SPIKE_SECONDS.0, SPIKE_SECONDS.1)
        } else {
            0.0
        }
    });
    sleep_seconds(seconds).await;
}

/// One database round trip: check out a connection, hold it while the query runs.
pub async fn query_db(state: &AppState, route: Route) -> Result<(), ApiError> {
    let connection = state.pool.acquire(state.config.pool_timeout).await?;
    let (_, db) = profile(route);
    let factor = if state.scenario() == Scenario::PoolSaturation {
        SATURATION_QUERY_FACTOR
    } else {
        1.0
    };
    let seconds = state.with_rng(|rng| rng.log_normal(db.median, db.sigma)) * factor;
    sleep_seconds(seconds).await;
    drop(connection);
    Ok(())
}

/// The scenario's random server-side failure, if this request draws one.
pub fn injected_fault(state: &AppState) -> Result<(), ApiError> {
    let probability = match state.scenario() {
        Scenario::ErrorBurst => BURST_ERROR_PROBABILITY,
        Scenario::Normal => state.config.baseline_error_rate,
        _ => 0.0,
    };
    if state.with_rng(|rng| rng.chance(probability)) {
        return Err(ApiError::internal(
            "simulated failure: unhandled exception in request handler",
        ));
    }
    Ok(())
}

/// Calls the simulated payment API.
pub async fn charge_payment(state: &AppState) -> Result<(), ApiError> {
    let seconds =
        state.with_rng(|rng| rng.log_normal(PAYMENT_SECONDS.median, PAYMENT_SECONDS.sigma));
    sleep_seconds(seconds).await;
    if !state.payment_up() {
        return Err(ApiError::new(
            StatusCode::BAD_GATEWAY,
            "payment_failed",
            "payment-api: connection reset by peer",
        ));
    }
    Ok(())
}
