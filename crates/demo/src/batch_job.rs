//! The runaway batch job of the `pool-saturation` scenario.
//!
//! Contract: while the scenario is `pool-saturation` the job holds all database connections
//! but two (it queues for them fairly like any other client), so `db_connections_in_use` sits
//! at the pool size and API requests queue for the last two. It releases them as soon
//! as the scenario changes. Runs until its task is aborted.

use std::sync::Arc;
use std::time::Duration;

use crate::scenario::Scenario;
use crate::state::AppState;

/// Longest the job waits to grab its connections before trying again.
const GRAB_TIMEOUT: Duration = Duration::from_secs(3600);

/// Runs the batch job for the life of the service.
pub async fn run_batch_job(state: Arc<AppState>) {
    let mut scenario = state.watch_scenario();
    // Leave two connections so the API limps along (queues, slow) instead of stopping dead.
    let hold = state.pool.size().saturating_sub(2);
    loop {
        let saturating = *scenario.borrow_and_update() == Scenario::PoolSaturation;
        if saturating && hold > 0 {
            let grabbed = tokio::select! {
                connections = state.pool.acquire_many(hold, GRAB_TIMEOUT) => connections.ok(),
                changed = scenario.changed() => {
                    if changed.is_err() { return; }
                    None
                }
            };
            if let Some(connections) = grabbed {
                while *scenario.borrow_and_update() == Scenario::PoolSaturation {
                    if scenario.changed().await.is_err() {
                        return;
                    }
                }
                drop(connections);
            }
            continue;
        }
        if scenario.changed().await.is_err() {
            return;
        }
    }
}
