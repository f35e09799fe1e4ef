//! Field display glue: the effective field config of a series (panel defaults + matching
//! overrides) and its translation into `signalboard-display`'s pipeline (mappings → unit →
//! thresholds/colour mode), which does the Grafana-exact work. Colours resolve in the
//! current theme ([`current_theme`], read from the app's context and tracked, so a panel's
//! reactive view re-renders when the theme changes).

use signalboard_core::dashboard::{FieldDefaults, Panel};
use signalboard_core::display::colors::Theme;
use signalboard_core::display::display::{display_value, DisplayValue, FieldDisplay};
use signalboard_core::display::reducers;

use crate::app::AppSignals;
use crate::query::SeriesData;

/// The theme colours resolve in: the app's (tracked when called in a reactive scope), dark
/// outside the app.
pub fn current_theme() -> Theme {
    leptos::prelude::use_context::<AppSignals>()
        .map(|s| leptos::prelude::Get::get(&s.theme))
        .unwrap_or_default()
}

/// Panel defaults with the overrides that match `series` applied on top (including the
/// `custom.*` properties the chart draws with; `signalboard-render` owns the rules).
pub fn effective_config(panel: &Panel, series: &SeriesData) -> FieldDefaults {
    signalboard_render::field::effective_config(&panel.field_config, &series.name, &series.ref_id)
}

/// The title of one value of a stat / gauge / bar gauge showing `count` values: none for a
/// lone value unless the panel defaults set `displayName` (`signalboard-render` owns the rule).
pub fn value_title(
    panel: &Panel,
    count: usize,
    cfg: &FieldDefaults,
    series: &SeriesData,
) -> Option<String> {
    signalboard_render::field::value_title(count, &panel.field_config.defaults, cfg, &series.name)
}

/// Grafana's regex matching (`/re/flags` or a whole-string pattern); an invalid pattern
/// matches nothing.
pub use signalboard_render::field::grafana_regex_match;

/// Reduces a series with a Grafana calc id (`lastNotNull`, `mean`, ...).
pub fn reduce(series: &SeriesData, calc: &str) -> Option<f64> {
    reducers::reduce_f64(&series.vs, calc).ok().flatten()
}

/// `value` shown under `cfg`; `series_index` picks the palette colour.
pub fn display(value: Option<f64>, cfg: &FieldDefaults, series_index: usize) -> DisplayValue {
    display_value(value, &field_display(cfg, series_index))
}

/// The display pipeline's view of a field config in the current theme (`signalboard-render`
/// owns the translation, shared with `signalboard-cli render`).
pub fn field_display(cfg: &FieldDefaults, series_index: usize) -> FieldDisplay {
    signalboard_render::field::field_display(cfg, series_index, current_theme())
}

/// `data-value`: the raw number, empty for null/NaN.
pub fn value_attr(d: &DisplayValue) -> String {
    if d.numeric.is_nan() {
        String::new()
    } else {
        d.numeric.to_string()
    }
}

/// `data-color`: the resolved colour as lowercase `#rrggbb` (alpha dropped).
pub fn color_attr(d: &DisplayValue) -> String {
    d.color.get(..7).unwrap_or(&d.color).to_ascii_lowercase()
}
