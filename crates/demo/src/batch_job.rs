//! The runaway batch job behind the `pool-saturation` and `degraded` scenarios.
//!
//! Contract: the job holds [`held_connections`] of the pool for as long as the scenario stays
//! the same (it queues for them fairly like any other client), and releases them on any
//! scenario change, then re-evaluates. `pool-saturation` leaves two connections to the API, so
//! under load `db_connections_in_use` sits at the pool size and requests queue; `degraded`
//! holds 60%. Runs until its task is aborted.

use std::sync::Arc;
use std::time::Duration;

use crate::scenario::Scenario;
use crate::state::AppState;

/// Longest the job waits to grab its connections before trying again.
const GRAB_TIMEOUT: Duration = Duration::from_secs(3600);

/// How many of `pool_size` connections the batch job holds in `scenario`.
pub fn held_connections(scenario: Scenario, pool_size: u32) -> u32 {
    match scenario {
        // Two left so the API limps along (queues, slow) instead of stopping dead.
        Scenario::PoolSaturation => pool_size.saturating_sub(2),
        Scenario::Degraded => pool_size * 6 / 10,
        _ => 0,
    }
}

/// Runs the batch job for the life of the service.
pub async fn run_batch_job(state: Arc<AppState>) {
    let mut scenario = state.watch_scenario();
    loop {
        let hold = held_connections(*scenario.borrow_and_update(), state.pool.size());
        if hold > 0 {
            let grabbed = tokio::select! {
                connections = state.pool.acquire_many(hold, GRAB_TIMEOUT) => connections.ok(),
                changed = scenario.changed() => {
                    if changed.is_err() { return; }
                    None
                }
            };
            if let Some(connections) = grabbed {
                let changed = scenario.changed().await;
                drop(connections);
                if changed.is_err() {
                    return;
                }
            }
            continue;
        }
        if scenario.changed().await.is_err() {
            return;
        }
    }
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
    fn holds_connections_only_in_pool_scenarios() {
        assert_eq!(held_connections(Scenario::PoolSaturation, 10), 8);
        assert_eq!(held_connections(Scenario::Degraded, 10), 6);
        assert_eq!(held_connections(Scenario::PoolSaturation, 1), 0);
        for other in [
            Scenario::Normal,
            Scenario::LatencySpike,
            Scenario::ErrorBurst,
            Scenario::DependencyDown,
        ] {
            assert_eq!(held_connections(other, 10), 0);
        }
    }
}
