//! Field display: the effective field config of a series (panel defaults + matching
//! overrides), and a value's text and colour under it — Grafana's display processor order:
//! value mappings first, then thresholds (or the fixed / palette colour), then unit formatting.

use signalboard_core::dashboard::{
    ColorMode, FieldDefaults, FieldMatcher, Panel, SpecialMatch, ThresholdsMode, ValueMapping,
};
use signalboard_core::display::{colors, format_value, reducers, thresholds};

use crate::query::SeriesData;

/// A value ready to show.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldDisplay {
    pub value: Option<f64>,
    pub text: String,
    /// `#rrggbb`.
    pub color: String,
    /// Index of the active threshold step (0 = base), when thresholds decided the colour.
    pub threshold_index: Option<usize>,
}

/// Panel defaults with the overrides that match `series` applied on top.
pub fn effective_config(panel: &Panel, series: &SeriesData) -> FieldDefaults {
    let mut cfg = panel.field_config.defaults.clone();
    for o in &panel.field_config.overrides {
        let matches = match &o.matcher {
            FieldMatcher::ByName(n) => *n == series.name,
            FieldMatcher::ByRegexp(r) => crate::panels::field::simple_regex_match(r, &series.name),
            FieldMatcher::ByFrameRefId(r) => *r == series.ref_id,
            FieldMatcher::ByType(t) => t == "number",
            FieldMatcher::Other { .. } => false,
        };
        if matches {
            for prop in &o.properties {
                apply_property(&mut cfg, &prop.id, &prop.value);
            }
        }
    }
    cfg
}

fn apply_property(cfg: &mut FieldDefaults, id: &str, value: &serde_json::Value) {
    match id {
        "unit" => cfg.unit = value.as_str().map(str::to_string),
        "decimals" => cfg.decimals = value.as_u64().map(|d| d.min(20) as u32),
        "min" => cfg.min = value.as_f64(),
        "max" => cfg.max = value.as_f64(),
        "displayName" => cfg.display_name = value.as_str().map(str::to_string),
        "noValue" => cfg.no_value = value.as_str().map(str::to_string),
        "color" => {
            let fixed = value.get("fixedColor").and_then(|c| c.as_str()).map(str::to_string);
            let mode = value.get("mode").and_then(|m| m.as_str()).unwrap_or("fixed");
            let mut c = cfg.color.clone().unwrap_or_default();
            c.mode = if mode == "thresholds" { ColorMode::Thresholds } else { ColorMode::Fixed };
            c.fixed_color = fixed;
            cfg.color = Some(c);
        }
        "thresholds" => {
            if let Ok(t) = serde_json::from_value(value.clone()) {
                cfg.thresholds = Some(t);
            }
        }
        _ => {}
    }
}

/// Grafana's override "fields with name matching regex": whole-string match. Without a regex
/// engine in the bundle, literal patterns and `.*`-wildcards are supported.
pub fn simple_regex_match(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split(".*").collect();
    if parts.iter().any(|p| p.chars().any(|c| "[]()|+?^$\\{}".contains(c))) {
        return false;
    }
    let mut rest = name;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(part) else { return false };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else if let Some(pos) = rest.find(part) {
            rest = rest.get(pos + part.len()..).unwrap_or("");
        } else {
            return false;
        }
    }
    rest.is_empty()
}

/// Reduces a series with a Grafana calc id (`lastNotNull`, `mean`, ...).
pub fn reduce(series: &SeriesData, calc: &str) -> Option<f64> {
    reducers::reduce_f64(&series.vs, calc).ok().flatten()
}

/// Text and colour of `value` under `cfg`; `series_index` picks the palette colour.
pub fn display(value: Option<f64>, cfg: &FieldDefaults, series_index: usize) -> FieldDisplay {
    let mapped = value_mapping(value, cfg);
    let (mut color, mut threshold_index) = base_color(value, cfg, series_index);
    if let Some(c) = mapped.as_ref().and_then(|m| m.1.clone()) {
        color = colors::resolve_color(&c);
        threshold_index = None;
    }
    let text = match (&mapped, value) {
        (Some((Some(t), _)), _) => t.clone(),
        (_, None) => cfg.no_value.clone().unwrap_or_else(|| "No data".into()),
        (_, Some(v)) => {
            let f = format_value(v, cfg.unit.as_deref().unwrap_or(""), cfg.decimals);
            format!("{}{}{}", f.prefix, f.text, f.suffix)
        }
    };
    FieldDisplay { value, text, color, threshold_index }
}

fn base_color(value: Option<f64>, cfg: &FieldDefaults, series_index: usize) -> (String, Option<usize>) {
    let mode = cfg.color.as_ref().map(|c| c.mode.clone()).unwrap_or(ColorMode::Thresholds);
    match mode {
        ColorMode::Fixed => {
            let fixed = cfg.color.as_ref().and_then(|c| c.fixed_color.clone()).unwrap_or_else(|| "green".into());
            (colors::resolve_color(&fixed), None)
        }
        ColorMode::PaletteClassic => (colors::classic_palette_color(series_index, colors::Theme::Dark), None),
        _ => threshold_color(value, cfg),
    }
}

/// The active threshold step's colour (Grafana's default thresholds: green base, red at 80).
pub fn threshold_color(value: Option<f64>, cfg: &FieldDefaults) -> (String, Option<usize>) {
    let t = to_display_thresholds(cfg);
    let v = value.unwrap_or(f64::NAN);
    let (min, max) = (cfg.min.unwrap_or(0.0), cfg.max.unwrap_or(100.0));
    match thresholds::active_step(v, &t, min, max) {
        Some((i, step)) => (colors::resolve_color(&step.color), Some(i)),
        None => (colors::resolve_color("green"), Some(0)),
    }
}

pub fn to_display_thresholds(cfg: &FieldDefaults) -> thresholds::Thresholds {
    let Some(t) = &cfg.thresholds else {
        // Grafana's default for new panels: green base, red from 80.
        return thresholds::Thresholds::from_json_steps(
            thresholds::ThresholdsMode::Absolute,
            &[(None, "green"), (Some(80.0), "red")],
        );
    };
    thresholds::Thresholds {
        mode: match t.mode {
            ThresholdsMode::Percentage => thresholds::ThresholdsMode::Percentage,
            _ => thresholds::ThresholdsMode::Absolute,
        },
        steps: t
            .steps
            .iter()
            .map(|s| thresholds::Step { value: s.value.unwrap_or(f64::NEG_INFINITY), color: s.color.clone() })
            .collect(),
    }
}

/// (text, colour) from the first matching value mapping, Grafana's order.
fn value_mapping(value: Option<f64>, cfg: &FieldDefaults) -> Option<(Option<String>, Option<String>)> {
    for m in &cfg.mappings {
        let hit = match (m, value) {
            (ValueMapping::Value { entries }, Some(v)) => entries
                .iter()
                .find(|(k, _)| k.parse::<f64>().ok() == Some(v))
                .map(|(_, r)| r.clone()),
            (ValueMapping::Range { from, to, result }, Some(v)) => {
                let above = from.is_none_or(|f| v >= f);
                let below = to.is_none_or(|t| v <= t);
                (above && below && (from.is_some() || to.is_some())).then(|| result.clone())
            }
            (ValueMapping::Special { matches, result }, v) => {
                let hit = match matches {
                    SpecialMatch::Null => v.is_none(),
                    SpecialMatch::NaN => v.is_some_and(f64::is_nan),
                    SpecialMatch::NullAndNaN => v.is_none_or(f64::is_nan),
                    _ => false,
                };
                hit.then(|| result.clone())
            }
            _ => None,
        };
        if let Some(r) = hit {
            return Some((r.text, r.color));
        }
    }
    None
}
