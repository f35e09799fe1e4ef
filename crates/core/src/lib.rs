//! signalboard-core: the browser-independent engine, one layer per crate, re-exported here
//! so the app and the CLI depend on one crate.
//!
//! Data flows left to right: `config` → scrape (app/CLI transport) → [`exposition`] →
//! [`store`] → [`promql`] → [`display`] (reduce, thresholds, units) → render (app/CLI);
//! [`golden`] derives golden-signal dashboards, alert rules and metric lint from the same data.
//! Nothing here touches the web: everything is tested, benchmarked and fuzzed natively.

pub use signalboard_dashboard as dashboard;
pub use signalboard_display as display;
pub use signalboard_exposition as exposition;
pub use signalboard_golden as golden;
pub use signalboard_promql as promql;
pub use signalboard_store as store;

pub mod config;
