//! The in-page engine state: the active config, the time series store and per-target scrape
//! status. It is plain data owned by one thread-local cell (wasm is single-threaded), outside
//! the reactive graph; the UI learns about changes through [`crate::app::AppSignals::data_version`].
//!
//! Contract: [`with_engine`] never panics — a re-entrant borrow (which would be a bug) returns
//! `None` instead of aborting the page.

use std::cell::RefCell;

use signalboard_core::config::{Config, Target};
use signalboard_core::store::{LimitsPart, Store, StoreStats, TargetLabels};

/// Health of a scrape target, as Prometheus's /targets shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Health {
    Unknown,
    Up,
    Down,
}

impl Health {
    pub fn as_str(self) -> &'static str {
        match self {
            Health::Unknown => "unknown",
            Health::Up => "up",
            Health::Down => "down",
        }
    }
}

/// What the targets page and `window.signalboard.targets()` show for one target.
#[derive(Clone, Debug)]
pub struct TargetStatus {
    pub target: Target,
    /// `probe` for health probes, `scrape` for metric targets.
    pub kind: TargetKind,
    pub health: Health,
    pub error: String,
    /// A problem that is not a failure (a health check that checks nothing).
    pub warning: String,
    /// Unix ms of the last scrape attempt.
    pub last_scrape_ms: Option<f64>,
    pub duration_seconds: f64,
    pub samples: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetKind {
    Scrape,
    Probe,
}

impl TargetStatus {
    pub fn labels(&self) -> TargetLabels {
        TargetLabels {
            job: self.target.job.clone(),
            instance: self.target.instance.clone(),
            extra: self.target.labels.clone(),
            honor_labels: self.target.honor_labels,
        }
    }
}

pub struct Engine {
    pub config: Config,
    pub store: Store,
    pub targets: Vec<TargetStatus>,
    /// Bumped whenever the config (and so the scrape loops) changes; loops of an older
    /// generation stop.
    pub generation: u64,
    /// The app is served by `signalboard-cli serve`, which can forward scrapes of
    /// configured targets that send no CORS headers.
    pub proxy_available: bool,
    /// Unix ms of the first data this page collected: earlier, the store knows nothing.
    pub history_start_ms: Option<i64>,
    /// What the scrapes revealed per job, the client-side rules and their alerts.
    pub alerting: crate::alerting::Alerting,
    /// Chunks sealed before this were saved to IndexedDB already.
    pub persist_cursor: u64,
    /// Samples restored from IndexedDB at startup.
    pub restored_samples: usize,
    /// Samples the memory bound (`storage.memory_limit`) evicted so far, and when it last did.
    pub evicted_by_memory: u64,
    pub last_eviction_ms: Option<i64>,
    /// The store's statistics as of the last limits pass (measuring 100,000 series takes
    /// tens of milliseconds, so views show this instead of measuring on every update).
    pub store_stats: Option<StoreStats>,
}

impl Engine {
    fn new() -> Engine {
        Engine {
            config: Config::default(),
            store: Store::new(),
            targets: Vec::new(),
            generation: 0,
            proxy_available: false,
            history_start_ms: None,
            alerting: Default::default(),
            persist_cursor: 0,
            restored_samples: 0,
            evicted_by_memory: 0,
            last_eviction_ms: None,
            store_stats: None,
        }
    }

    /// Switches to a new config: new target list, new generation. Samples already
    /// collected are kept.
    pub fn apply_config(&mut self, config: Config) {
        self.store.set_retention(Some(config.retention_ms()));
        self.store
            .set_memory_limit(Some(config.memory_limit_bytes()));
        let mut targets: Vec<TargetStatus> = config
            .targets()
            .into_iter()
            .map(|t| TargetStatus::new(t, TargetKind::Scrape))
            .collect();
        targets.extend(
            config
                .probes
                .iter()
                .filter_map(probe_target)
                .map(|t| TargetStatus::new(t, TargetKind::Probe)),
        );
        self.targets = targets;
        self.config = config;
        self.generation += 1;
    }

    /// Completes a sliced pass of retention and the memory bound (`scrape::limits_pass`),
    /// remembering memory evictions and the store's statistics measured on the way.
    pub fn finish_limits(&mut self, parts: LimitsPart, now_ms: i64) {
        let (report, stats) = self.store.finish_limits(parts);
        if report.dropped_by_memory > 0 {
            self.evicted_by_memory += report.dropped_by_memory as u64;
            self.last_eviction_ms = Some(now_ms);
        }
        self.store_stats = Some(stats);
    }

    pub fn status_mut(&mut self, url: &str, kind: TargetKind) -> Option<&mut TargetStatus> {
        self.targets
            .iter_mut()
            .find(|t| t.target.url == url && t.kind == kind)
    }
}

impl TargetStatus {
    fn new(target: Target, kind: TargetKind) -> TargetStatus {
        TargetStatus {
            target,
            kind,
            health: Health::Unknown,
            error: String::new(),
            warning: String::new(),
            last_scrape_ms: None,
            duration_seconds: 0.0,
            samples: 0,
        }
    }
}

fn probe_target(p: &signalboard_core::config::Probe) -> Option<Target> {
    let interval_ms = signalboard_core::config::parse_duration(&p.interval).ok()?;
    let instance = p
        .url
        .split_once("://")
        .map(|(_, rest)| {
            rest.split(['/', '?', '#'])
                .next()
                .unwrap_or(rest)
                .to_string()
        })
        .unwrap_or_default();
    Some(Target {
        job: p.name.clone(),
        url: p.url.clone(),
        instance,
        labels: Vec::new(),
        interval_ms,
        timeout_ms: interval_ms.min(10_000),
        sample_limit: 0,
        body_size_limit: 1 << 20,
        honor_labels: false,
    })
}

thread_local! {
    static ENGINE: RefCell<Engine> = RefCell::new(Engine::new());
}

/// Runs `f` with the engine; `None` if the engine is already borrowed (a bug, but not a panic).
pub fn with_engine<R>(f: impl FnOnce(&mut Engine) -> R) -> Option<R> {
    ENGINE.with(|cell| cell.try_borrow_mut().ok().map(|mut e| f(&mut e)))
}

/// Current wall-clock time in Unix milliseconds.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}
