//! Shared state of one running service: metrics, the simulated dependencies and the scenario.
//!
//! Contract: [`AppState::set_scenario`] is the single place a scenario takes effect: it updates
//! the `demo_scenario` gauge, resets every dependency to what the scenario implies (all up, but
//! the database down in `dependency-down`) and notifies watchers such as the batch job.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::watch;

use crate::cache::Cache;
use crate::config::Config;
use crate::metrics::Metrics;
use crate::pool::DbPool;
use crate::random::Rng;
use crate::scenario::Scenario;

/// Names of the simulated dependencies, as `/health` and `/admin/dependency` spell them.
pub const DEPENDENCIES: [&str; 3] = ["database", "cache", "payment-api"];

/// Everything handlers share.
#[derive(Debug)]
pub struct AppState {
    pub config: Config,
    pub metrics: Metrics,
    pub pool: DbPool,
    pub cache: Cache,
    payment_up: AtomicBool,
    /// Target rate of the load generator, as f64 bits (0 = idle).
    load_rps: AtomicU64,
    scenario: watch::Sender<Scenario>,
    rng: Mutex<Rng>,
}

impl AppState {
    /// Builds the state and applies `config.scenario`.
    pub fn new(config: Config) -> Arc<Self> {
        let metrics = Metrics::new();
        let pool = DbPool::new(
            config.pool_size,
            &metrics.pool_size,
            metrics.pool_in_use.clone(),
            metrics.pool_waiting.clone(),
        );
        let cache = Cache::new(
            config.cache_ttl,
            10_000,
            metrics.cache_hits.clone(),
            metrics.cache_misses.clone(),
        );
        let rng = config.seed.map_or_else(Rng::from_time, Rng::seeded);
        let (scenario, _) = watch::channel(config.scenario);
        let state = Arc::new(AppState {
            metrics,
            pool,
            cache,
            payment_up: AtomicBool::new(true),
            load_rps: AtomicU64::new(0),
            scenario,
            rng: Mutex::new(rng),
            config,
        });
        state.set_scenario(state.config.scenario);
        let rps = if state.config.load {
            state.config.rps
        } else {
            0.0
        };
        state.set_load_rps(rps);
        state
    }

    /// The scenario in effect.
    pub fn scenario(&self) -> Scenario {
        *self.scenario.borrow()
    }

    /// A receiver that wakes on every scenario change.
    pub fn watch_scenario(&self) -> watch::Receiver<Scenario> {
        self.scenario.subscribe()
    }

    /// Switches scenario; returns the previous one.
    pub fn set_scenario(&self, scenario: Scenario) -> Scenario {
        self.metrics.set_scenario(scenario);
        for dependency in DEPENDENCIES {
            let up = !(scenario == Scenario::DependencyDown && dependency == "database");
            // The names are the known constants, so this cannot fail.
            let _ = self.set_dependency_up(dependency, up);
        }
        self.scenario.send_replace(scenario)
    }

    /// Marks one dependency up or down; errors on an unknown name.
    pub fn set_dependency_up(&self, dependency: &str, up: bool) -> Result<(), String> {
        match dependency {
            "database" => self.pool.set_up(up),
            "cache" => self.cache.set_up(up),
            "payment-api" => self.payment_up.store(up, Ordering::Relaxed),
            other => {
                return Err(format!(
                    "unknown dependency `{other}` (expected one of: {})",
                    DEPENDENCIES.join(", ")
                ))
            }
        }
        self.metrics.set_dependency_up(dependency, up);
        Ok(())
    }

    /// Requests per second the load generator aims for (0 = idle).
    pub fn load_rps(&self) -> f64 {
        f64::from_bits(self.load_rps.load(Ordering::Relaxed))
    }

    /// Changes the load generator's rate at run time; negative or NaN rates mean idle.
    pub fn set_load_rps(&self, rps: f64) {
        let rps = if rps.is_nan() { 0.0 } else { rps.max(0.0) };
        self.load_rps.store(rps.to_bits(), Ordering::Relaxed);
        self.metrics.load_rps.set(rps);
    }

    /// Whether the simulated payment API answers.
    pub fn payment_up(&self) -> bool {
        self.payment_up.load(Ordering::Relaxed)
    }

    /// Runs `f` with the shared random source.
    pub fn with_rng<T>(&self, f: impl FnOnce(&mut Rng) -> T) -> T {
        let mut rng = self.rng.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut rng)
    }
}
