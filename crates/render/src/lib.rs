//! signalboard-render: panel drawing shared by the web app and `signalboard-cli render`.
//!
//! Pure Rust (no web_sys): charts draw on any plotters `DrawingBackend` — the app passes
//! plotters-canvas' backend for its `HtmlCanvasElement`, the CLI plotters' SVG backend — so
//! what the browser shows and what the golden images check is the same code. Axes, ticks,
//! units, decimation, gaps, stacking, thresholds and colours come from
//! `signalboard-display` (Grafana's maths).
//!
//! Modules: [`timeseries`] (the time series chart), [`heatmap`] (bucket heatmaps),
//! [`field`] (a series' effective field config: overrides incl. `custom.*`, thresholds,
//! colours), [`series`] (borrowed series views and the fixed query-result file),
//! [`table`] (the table panel's frames, transformations and cells), [`panel_svg`] (stat, gauge, bar gauge, table and text panels as escaped SVG, and the
//! whole-panel SVG render with the `svg` feature), [`paint`] (CSS → device pixels over a
//! plotters area), [`style`] (theme colours), [`error`].

pub mod error;
pub mod field;
pub mod heatmap;
pub mod paint;
pub mod panel_svg;
pub mod series;
pub mod style;
pub mod table;
pub mod timeseries;

pub use error::RenderError;
pub use paint::Surface;
pub use timeseries::{draw_timeseries, ChartGeometry, ChartSeries, ChartSpec};
