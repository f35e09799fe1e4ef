//! signalboard-display: the display math the panels use, matching Grafana where Grafana
//! defines the behaviour. Plain Rust, no web dependencies, wasm32-compatible, no regex.
//!
//! Modules, by panel need:
//! - values: [`units`] (formatting by Grafana unit id), [`mappings`] (value mappings),
//!   [`thresholds`] and [`colors`] (threshold steps, Grafana's named colours),
//!   [`series_colors`] (`shades` and by-name palette colours), [`display`] (the whole
//!   per-value pipeline: mappings → unit → colour), [`range`] (a field's min/max for
//!   gauges and percentage thresholds), [`reducers`] (Grafana's calcs);
//! - time series: [`mod@decimate`] (min/max per pixel column), [`gaps`] (where lines
//!   break), [`points`] (when points show), [`scale_range`] (the padded y-axis range), [`ticks`] (numeric and time axis
//!   ticks and labels), [`stacking`] (stacked series, negative-Y), [`series_fill`] (area
//!   fills, gradients), [`legend_format`] (`{{label}}` legends, series names);
//! - stat, gauge, bar gauge, table: [`big_value`] (stat backgrounds, text and sparkline
//!   colours), [`stat_layout`] (stat texts, font sizes, sparkline area), [`repeater`]
//!   (where each of several values goes), [`gauge`] (gauge geometry, threshold arcs),
//!   [`bar_gauge`] (fill fraction, gradient CSS, LCD cells), [`table_cell`] (cell colours);
//! - heatmaps: [`heatmap`] (histogram buckets to cells), [`color_scale`] (colour schemes);
//! - helpers: [`jsnum`] (JavaScript number-to-text rules), [`minire`] (a small regex
//!   matcher), [`civil`] (calendar math and date formatting), [`tinycolor`] (Grafana's
//!   colour derivations).

pub mod bar_gauge;
pub mod big_value;
pub mod civil;
pub mod color_scale;
pub mod colors;
pub mod decimate;
pub mod display;
pub mod gaps;
pub mod gauge;
pub mod heatmap;
pub mod jsnum;
pub mod legend_format;
pub mod mappings;
pub mod minire;
pub mod points;
pub mod range;
pub mod reducers;
pub mod repeater;
pub mod scale_range;
pub mod series_colors;
pub mod series_fill;
pub mod stacking;
pub mod stat_layout;
pub mod table_cell;
pub mod thresholds;
pub mod ticks;
pub mod tinycolor;
pub mod units;

pub use colors::{resolve_color, Theme};
pub use decimate::decimate;
pub use display::{display_value, ColorMode, DisplayValue, FieldDisplay};
pub use mappings::{apply_mappings, MappingResult, MappingValue, SpecialMatch, ValueMapping};
pub use reducers::{reduce, reduce_f64, UnknownReducer};
pub use thresholds::{active_color, active_step, Step, Thresholds, ThresholdsMode};
pub use units::{format_raw, format_value, format_value_in, DateContext, FormattedValue};
