//! Field display glue: the effective field config of a series (panel defaults + matching
//! overrides) and its translation into `signalboard-display`'s pipeline (mappings → unit →
//! thresholds/colour mode), which does the Grafana-exact work. Colours resolve in the
//! current theme ([`current_theme`], read from the app's context and tracked, so a panel's
//! reactive view re-renders when the theme changes).

use signalboard_core::dashboard::{self as dash, FieldDefaults, Panel};
use signalboard_core::display::colors::Theme;
use signalboard_core::display::display::{display_value, ColorMode, DisplayValue, FieldDisplay};
use signalboard_core::display::mappings::{self, MappingResult};
use signalboard_core::display::minire::Regex;
use signalboard_core::display::{reducers, thresholds};

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
pub fn grafana_regex_match(pattern: &str, text: &str) -> bool {
    Regex::from_grafana(pattern).is_ok_and(|r| r.is_match(text))
}

/// Reduces a series with a Grafana calc id (`lastNotNull`, `mean`, ...).
pub fn reduce(series: &SeriesData, calc: &str) -> Option<f64> {
    reducers::reduce_f64(&series.vs, calc).ok().flatten()
}

/// `value` shown under `cfg`; `series_index` picks the palette colour.
pub fn display(value: Option<f64>, cfg: &FieldDefaults, series_index: usize) -> DisplayValue {
    display_value(value, &field_display(cfg, series_index))
}

/// The display pipeline's view of a field config. Without configured min/max the range is
/// 0..100 (percentage thresholds then read as plain percentages).
pub fn field_display(cfg: &FieldDefaults, series_index: usize) -> FieldDisplay {
    let color_mode = match &cfg.color {
        Some(c) => ColorMode::parse(c.mode.as_str(), c.fixed_color.as_deref(), series_index),
        None => ColorMode::Thresholds,
    };
    FieldDisplay {
        unit: cfg.unit.clone().unwrap_or_default(),
        decimals: cfg.decimals,
        mappings: cfg.mappings.iter().map(to_display_mapping).collect(),
        thresholds: to_display_thresholds(cfg),
        color_mode,
        min: cfg.min.unwrap_or(0.0),
        max: cfg.max.unwrap_or(100.0),
        no_value: cfg.no_value.clone(),
        theme: current_theme(),
        ..FieldDisplay::default()
    }
}

pub fn to_display_thresholds(cfg: &FieldDefaults) -> thresholds::Thresholds {
    let mode = match cfg.thresholds.as_ref().map(|t| &t.mode) {
        Some(dash::ThresholdsMode::Percentage) => thresholds::ThresholdsMode::Percentage,
        _ => thresholds::ThresholdsMode::Absolute,
    };
    let steps: Vec<(Option<f64>, &str)> = match &cfg.thresholds {
        Some(t) if !t.steps.is_empty() => t
            .steps
            .iter()
            .map(|s| (s.value, s.color.as_str()))
            .collect(),
        // Grafana's default for new panels: green base, red from 80.
        _ => vec![(None, "green"), (Some(80.0), "red")],
    };
    thresholds::Thresholds::from_json_steps(mode, &steps)
}

fn to_result(r: &dash::MappingResult) -> MappingResult {
    MappingResult {
        text: r.text.clone(),
        color: r.color.clone(),
        index: r.index,
    }
}

fn to_display_mapping(m: &dash::ValueMapping) -> mappings::ValueMapping {
    match m {
        dash::ValueMapping::Value { entries } => mappings::ValueMapping::Value(
            entries
                .iter()
                .map(|(k, r)| (k.clone(), to_result(r)))
                .collect(),
        ),
        dash::ValueMapping::Range { from, to, result } => mappings::ValueMapping::Range {
            from: *from,
            to: *to,
            result: to_result(result),
        },
        dash::ValueMapping::Regex { pattern, result } => mappings::ValueMapping::Regex {
            pattern: pattern.clone(),
            result: to_result(result),
        },
        dash::ValueMapping::Special { matches, result } => mappings::ValueMapping::Special {
            matches: mappings::SpecialMatch::parse(matches.as_str())
                .unwrap_or(mappings::SpecialMatch::Null),
            result: to_result(result),
        },
    }
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
