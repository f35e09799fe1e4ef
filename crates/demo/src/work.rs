//! The simulated work behind each API route, and what each scenario does to it.
//!
//! Contract: a request's latency is real (tokio sleeps), drawn from a per-route log-normal
//! profile split into app time (no connection held) and database time (a pool connection held).
//! Scenario effects (`effects`): `degraded` slows 15% of requests by 0.45–0.75 s and fails
//! 0.7%; `latency-spike` adds 1.2–3 s of app time to 85% of requests; `error-burst` fails 35%
//! of requests with a 500; `pool-saturation` makes queries 2.5× slower (while the batch job holds
//! most connections); `dependency-down` makes every query fail to connect (see `pool.rs`).

use std::time::Duration;

use axum::http::StatusCode;

use crate::error::ApiError;
use crate::random::Rng;
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

/// How a scenario bends the simulated work.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Effects {
    /// Share of requests that wait on a slow downstream call, and for how long (uniform range).
    slow_share: f64,
    slow_seconds: (f64, f64),
    /// Probability of an injected 500; `None` means the configured background rate.
    error_probability: Option<f64>,
    /// Multiplier on database query time.
    query_factor: f64,
}

const UNAFFECTED: Effects = Effects {
    slow_share: 0.0,
    slow_seconds: (0.0, 0.0),
    error_probability: Some(0.0),
    query_factor: 1.0,
};

fn effects(scenario: Scenario) -> Effects {
    match scenario {
        Scenario::Normal => Effects {
            error_probability: None,
            ..UNAFFECTED
        },
        // Tuned so p95 lands near 0.7 s and the 5xx ratio near 0.7%: orange on the usual
        // 0.5 s / 1 s and 0.5% / 1% thresholds.
        Scenario::Degraded => Effects {
            slow_share: 0.15,
            slow_seconds: (0.45, 0.75),
            error_probability: Some(0.007),
            ..UNAFFECTED
        },
        Scenario::LatencySpike => Effects {
            slow_share: 0.85,
            slow_seconds: (1.2, 3.0),
            ..UNAFFECTED
        },
        Scenario::ErrorBurst => Effects {
            error_probability: Some(0.35),
            ..UNAFFECTED
        },
        Scenario::PoolSaturation => Effects {
            query_factor: 2.5,
            ..UNAFFECTED
        },
        Scenario::DependencyDown => UNAFFECTED,
    }
}
const PAYMENT_SECONDS: Phase = phase(0.080, 0.3);

async fn sleep_seconds(seconds: f64) {
    let seconds = seconds.clamp(0.0, MAX_PHASE_SECONDS);
    tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
}

/// Application-side work (validation, serialisation, downstream calls); holds no connection.
pub async fn compute(state: &AppState, route: Route) {
    let scenario = state.scenario();
    let seconds = state.with_rng(|rng| compute_seconds(route, scenario, rng));
    sleep_seconds(seconds).await;
}

/// Draws the application-side time of one request (pure, so its distribution is testable).
fn compute_seconds(route: Route, scenario: Scenario, rng: &mut Rng) -> f64 {
    let (app, _) = profile(route);
    let effects = effects(scenario);
    let base = rng.log_normal(app.median, app.sigma);
    let (low, high) = effects.slow_seconds;
    base + if rng.chance(effects.slow_share) {
        rng.uniform(low, high)
    } else {
        0.0
    }
}

/// Draws the database time of one query (pure, like [`compute_seconds`]).
fn query_seconds(route: Route, scenario: Scenario, rng: &mut Rng) -> f64 {
    let (_, db) = profile(route);
    rng.log_normal(db.median, db.sigma) * effects(scenario).query_factor
}

/// One database round trip: check out a connection, hold it while the query runs.
pub async fn query_db(state: &AppState, route: Route) -> Result<(), ApiError> {
    let connection = state.pool.acquire(state.config.pool_timeout).await?;
    let scenario = state.scenario();
    let seconds = state.with_rng(|rng| query_seconds(route, scenario, rng));
    sleep_seconds(seconds).await;
    drop(connection);
    Ok(())
}

/// The scenario's random server-side failure, if this request draws one.
pub fn injected_fault(state: &AppState) -> Result<(), ApiError> {
    let probability = effects(state.scenario())
        .error_probability
        .unwrap_or(state.config.baseline_error_rate);
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

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]
    use super::*;

    const ROUTES: [Route; 7] = [
        Route::ListUsers,
        Route::GetUser,
        Route::CreateUser,
        Route::ListOrders,
        Route::CreateOrder,
        Route::Search,
        Route::Login,
    ];

    /// p95 of simulated request time (app + one query) over an even mix of routes.
    fn p95(scenario: Scenario) -> f64 {
        let mut rng = Rng::seeded(17);
        let mut times: Vec<f64> = (0..20_000)
            .map(|i| {
                let route = ROUTES[i % ROUTES.len()];
                compute_seconds(route, scenario, &mut rng)
                    + query_seconds(route, scenario, &mut rng)
            })
            .collect();
        times.sort_by(f64::total_cmp);
        times[times.len() * 95 / 100]
    }

    #[test]
    fn scenarios_put_p95_in_the_intended_band() {
        let normal = p95(Scenario::Normal);
        let degraded = p95(Scenario::Degraded);
        let spike = p95(Scenario::LatencySpike);
        assert!(normal < 0.5, "normal p95 {normal}");
        assert!((0.5..1.0).contains(&degraded), "degraded p95 {degraded}");
        assert!(spike > 1.0, "latency-spike p95 {spike}");
    }

    #[test]
    fn saturation_slows_queries_by_the_factor() {
        let mut a = Rng::seeded(5);
        let mut b = Rng::seeded(5);
        let normal = query_seconds(Route::Search, Scenario::Normal, &mut a);
        let saturated = query_seconds(Route::Search, Scenario::PoolSaturation, &mut b);
        assert!((saturated / normal - 2.5).abs() < 1e-9);
    }

    #[test]
    fn error_probabilities_match_the_documented_bands() {
        assert_eq!(effects(Scenario::Normal).error_probability, None);
        let degraded = effects(Scenario::Degraded).error_probability.unwrap();
        assert!((0.005..0.01).contains(&degraded), "{degraded}");
        assert!(effects(Scenario::ErrorBurst).error_probability.unwrap() > 0.10);
        assert_eq!(effects(Scenario::LatencySpike).error_probability, Some(0.0));
    }
}
