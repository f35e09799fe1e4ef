//! signalboard-dashboard: the dashboard model (Perses-style spec, panel options per kind),
//! Grafana JSON import/export, template variables (interpolation, options from query
//! results, dependencies), Grafana's interval arithmetic and the grid layout.
//!
//! Contract: plain Rust, no web or PromQL dependency (wasm32-compatible). Import never panics
//! and never drops a panel; query validity is checked through a caller-supplied validator
//! (`import_grafana_checked`, `ImportReport::check_queries`).

mod string_enum;

pub mod datasource;
pub mod datemath;
pub mod field_config;
pub mod grafana;
pub mod interpolate;
pub mod interval;
pub mod layout;
pub mod model;
pub mod options;
pub mod report;
pub mod summary;
pub mod variable_options;
pub mod variables;

pub use datasource::DatasourceRef;
pub use datemath::{describe_range, parse_time, QUICK_RANGES};
pub use field_config::*;
pub use grafana::{
    export_grafana, import_grafana, import_grafana_checked, mappings_from_grafana,
    thresholds_from_grafana, ImportError, Imported,
};
pub use interpolate::{interpolate, MacroValues, VariableValue, VariableValues};
pub use interval::{
    auto_interval_ms, calculate_interval, format_duration_ms, parse_duration_ms,
    prometheus_step_ms, rate_interval_ms, round_interval,
};
pub use model::*;
pub use options::*;
pub use report::{ImportReport, QueryCheck, QueryStatus, TypeCount};
pub use summary::summarize;
pub use variable_options::{series_option_text, variable_options, VariableOption};
pub use variables::{
    dependents, parse_custom_options, parse_variable_query, references_variable, Variable,
    VariableKind, VariableQuery, ALL_VALUE,
};
