//! A series' effective field config and its display pipeline, shared by the app's panels and
//! `signalboard-cli render`.
//!
//! Contract:
//! - [`effective_config`]: the panel defaults with every matching override applied in
//!   order (`byName` on the series name, `byRegexp` Grafana-style, `byFrameRefID`,
//!   `byType` number); properties `unit`, `decimals`, `min`, `max`, `displayName`, `noValue`,
//!   `color`, `thresholds` and `mappings` (Grafana's JSON), and the `custom.*` ones the time series draws with
//!   (`custom.axisPlacement`, `custom.transform`, `custom.drawStyle`, `custom.fillOpacity`,
//!   `custom.lineWidth`, `custom.spanNulls`, `custom.stacking` (mode and group),
//!   `custom.hideFrom`, `custom.lineStyle`, `custom.thresholdsStyle`,
//!   `custom.axisSoftMin/Max`, `custom.showPoints`, `custom.pointSize`, `custom.axisLabel`)
//!   and the table's (`custom.align`, `custom.hidden`, `custom.width`, `custom.minWidth`,
//!   `custom.cellOptions` type, mode and `applyToRow`).
//!   Unknown properties are ignored; a value of the wrong JSON type leaves the field unset.
//! - [`field_display`]: the `signalboard-display` pipeline for a field (mappings → unit →
//!   thresholds / colour mode); without configured min/max the range is 0..100.
//! - [`value_title`]: the per-value title of stat / gauge / bar gauge (none for a lone value
//!   unless the defaults set `displayName`).
//! - [`series_color`]: a series' line colour; thresholds-coloured fields draw in the
//!   classic palette like Grafana's default.
//! - [`field_range_of`]: a field's gauge range (`signalboard-display`'s `field_range` over
//!   its unit, min and max and the panel's columns).

use signalboard_dashboard::{self as dash, FieldConfig, FieldDefaults, FieldMatcher};
use signalboard_display::display::{ColorMode, FieldDisplay};
use signalboard_display::mappings::{self, MappingResult};
use signalboard_display::minire::Regex;
use signalboard_display::{colors, thresholds, Theme};

/// `config.defaults` with the overrides matching a series (`name`, query `ref_id`) applied.
pub fn effective_config(config: &FieldConfig, name: &str, ref_id: &str) -> FieldDefaults {
    let mut cfg = config.defaults.clone();
    for o in &config.overrides {
        let matches = match &o.matcher {
            FieldMatcher::ByName(n) => n == name,
            FieldMatcher::ByRegexp(r) => grafana_regex_match(r, name),
            FieldMatcher::ByFrameRefId(r) => r == ref_id,
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

fn text(value: &serde_json::Value) -> Option<String> {
    value.as_str().map(str::to_string)
}

fn apply_property(cfg: &mut FieldDefaults, id: &str, value: &serde_json::Value) {
    if let Some(custom) = id.strip_prefix("custom.") {
        apply_custom(&mut cfg.custom, custom, value);
        return;
    }
    match id {
        "unit" => cfg.unit = text(value),
        "decimals" => cfg.decimals = value.as_u64().map(|d| d.min(20) as u32),
        "min" => cfg.min = value.as_f64(),
        "max" => cfg.max = value.as_f64(),
        "displayName" => cfg.display_name = text(value),
        "noValue" => cfg.no_value = text(value),
        "color" => {
            let mut c = cfg.color.clone().unwrap_or_default();
            if let Ok(parsed) = serde_json::from_value::<dash::FieldColor>(value.clone()) {
                c = parsed;
            } else {
                // Grafana's JSON spelling: {"mode": "fixed", "fixedColor": "orange"}.
                if let Some(mode) = value.get("mode").and_then(|m| m.as_str()) {
                    c.mode = dash::ColorMode::parse(mode);
                }
                c.fixed_color = value.get("fixedColor").and_then(text);
            }
            cfg.color = Some(c);
        }
        // Grafana's JSON spellings (`"mode": "absolute"`, `"value": null` base step).
        "thresholds" if value.is_object() => {
            cfg.thresholds = Some(dash::thresholds_from_grafana(value))
        }
        "mappings" if value.is_array() => cfg.mappings = dash::mappings_from_grafana(value),
        _ => {}
    }
}

fn apply_custom(custom: &mut dash::CustomFieldConfig, id: &str, value: &serde_json::Value) {
    match id {
        "axisPlacement" => custom.axis_placement = text(value),
        "axisLabel" => custom.axis_label = text(value),
        "axisSoftMin" => custom.axis_soft_min = value.as_f64(),
        "axisSoftMax" => custom.axis_soft_max = value.as_f64(),
        "transform" => custom.transform = text(value),
        "drawStyle" => custom.draw_style = text(value).map(|s| dash::DrawStyle::parse(s.as_str())),
        "fillOpacity" => custom.fill_opacity = value.as_f64(),
        "lineWidth" => custom.line_width = value.as_f64(),
        "spanNulls" => custom.span_nulls = value.as_bool(),
        "showPoints" => custom.show_points = text(value),
        "pointSize" => custom.point_size = value.as_f64(),
        "thresholdsStyle" => {
            custom.thresholds_style = value.get("mode").and_then(text).or_else(|| text(value))
        }
        "stacking" => {
            custom.stacking = value
                .get("mode")
                .and_then(|m| m.as_str())
                .map(dash::StackingMode::parse);
            custom.stacking_group = dash::stacking_group_from_json(value);
        }
        "hideFrom" => custom.hide_from = dash::HideFrom::from_json(value),
        "lineStyle" => custom.line_dash = dash::line_dash_from_json(value),
        "align" => custom.align = text(value),
        "hidden" => custom.hidden = value.as_bool(),
        "width" => custom.width = value.as_f64().filter(|w| *w > 0.0),
        "minWidth" => custom.min_width = value.as_f64().filter(|w| *w > 0.0),
        "cellOptions" => {
            custom.cell_type = value.get("type").and_then(text);
            custom.cell_mode = value.get("mode").and_then(text);
            custom.cell_apply_to_row = value.get("applyToRow").and_then(|b| b.as_bool());
        }
        _ => {}
    }
}

/// The title shown with one value of a stat, gauge or bar gauge, as Grafana's
/// `getFieldDisplayValues` sets it: none when the panel shows a single value and its
/// defaults set no `displayName`; otherwise the value's display name (`displayName` of its
/// effective config, else the series name — the legend format or label set).
pub fn value_title(
    count: usize,
    defaults: &FieldDefaults,
    cfg: &FieldDefaults,
    series_name: &str,
) -> Option<String> {
    if count <= 1 && defaults.display_name.is_none() {
        return None;
    }
    Some(
        cfg.display_name
            .clone()
            .unwrap_or_else(|| series_name.to_string()),
    )
}

/// Grafana's regex matching (`/re/flags` or a whole-string pattern); an invalid pattern
/// matches nothing.
pub fn grafana_regex_match(pattern: &str, text: &str) -> bool {
    Regex::from_grafana(pattern).is_ok_and(|r| r.is_match(text))
}

/// The display pipeline's view of a field config; see module docs.
pub fn field_display(cfg: &FieldDefaults, series_index: usize, theme: Theme) -> FieldDisplay {
    let color_mode = match &cfg.color {
        Some(c) => ColorMode::parse(c.mode.as_str(), c.fixed_color.as_deref(), series_index),
        None => ColorMode::Thresholds,
    };
    FieldDisplay {
        unit: cfg.unit.clone().unwrap_or_default(),
        decimals: cfg.decimals,
        mappings: cfg.mappings.iter().map(to_display_mapping).collect(),
        thresholds: display_thresholds(cfg),
        color_mode,
        min: cfg.min.unwrap_or(0.0),
        max: cfg.max.unwrap_or(100.0),
        no_value: cfg.no_value.clone(),
        theme,
        ..FieldDisplay::default()
    }
}

/// The field's thresholds (Grafana's default for new panels when none: green, red from 80).
pub fn display_thresholds(cfg: &FieldDefaults) -> thresholds::Thresholds {
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
        _ => vec![(None, "green"), (Some(80.0), "red")],
    };
    thresholds::Thresholds::from_json_steps(mode, &steps)
}

/// The `(min, max)` a gauge or bar gauge scales a value of this field to: the configured
/// bounds, else the unit's (`percent`, `percentunit`), else the data of all `columns`.
pub fn field_range_of(cfg: &FieldDefaults, columns: &[&[f64]]) -> (f64, f64) {
    signalboard_display::range::field_range(
        cfg.unit.as_deref().unwrap_or(""),
        cfg.min,
        cfg.max,
        columns,
    )
}

/// A series' line colour: the field's colour mode (fixed, shades, palette by index or by
/// name); thresholds-coloured fields draw in the classic palette like Grafana's default.
pub fn series_color(cfg: &FieldDefaults, index: usize, name: &str, theme: Theme) -> String {
    let parsed = match &cfg.color {
        Some(c) => {
            ColorMode::parse_for_series(c.mode.as_str(), c.fixed_color.as_deref(), index, name)
        }
        None => ColorMode::PaletteClassic(index),
    };
    parsed
        .series_color(theme)
        .unwrap_or_else(|| colors::classic_palette_color(index, theme))
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

/// What a panel shows in place of missing data: the field default `noValue`, else Grafana's
/// "No data".
pub fn no_value_text(panel: &dash::Panel) -> String {
    panel
        .field_config
        .defaults
        .no_value
        .clone()
        .unwrap_or_else(|| "No data".to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn a_field_range_takes_the_config_then_the_unit_then_the_data() {
        let data: [&[f64]; 2] = [&[3.0, f64::NAN], &[-1.0, 9.0]];
        let percent = FieldDefaults {
            unit: Some("percent".into()),
            ..FieldDefaults::default()
        };
        assert_eq!(field_range_of(&percent, &data), (0.0, 100.0));
        let capped = FieldDefaults {
            max: Some(5.0),
            ..FieldDefaults::default()
        };
        assert_eq!(field_range_of(&capped, &data), (-1.0, 5.0));
        assert_eq!(
            field_range_of(&FieldDefaults::default(), &data),
            (-1.0, 9.0)
        );
    }

    #[test]
    fn a_lone_value_has_no_title_unless_the_defaults_name_it() {
        let plain = FieldDefaults::default();
        let named = FieldDefaults {
            display_name: Some("Cores".into()),
            ..FieldDefaults::default()
        };
        let labels = r#"{instance="127.0.0.1:9100", job="node"}"#;
        assert_eq!(value_title(1, &plain, &plain, labels), None);
        assert_eq!(value_title(0, &plain, &plain, labels), None);
        assert_eq!(
            value_title(1, &named, &named, labels).as_deref(),
            Some("Cores")
        );
        // Several values: each shows its display name (override) or series name.
        assert_eq!(
            value_title(2, &plain, &plain, labels).as_deref(),
            Some(labels)
        );
        assert_eq!(
            value_title(2, &plain, &named, labels).as_deref(),
            Some("Cores")
        );
    }

    #[test]
    fn custom_overrides_reach_the_series_they_match() {
        let property = |id: &str, value: serde_json::Value| dash::OverrideProperty {
            id: id.into(),
            value,
        };
        let config = FieldConfig {
            defaults: FieldDefaults {
                unit: Some("bytes".into()),
                ..FieldDefaults::default()
            },
            overrides: vec![dash::FieldOverride {
                matcher: FieldMatcher::ByName("out".into()),
                properties: vec![
                    property("custom.transform", "negative-Y".into()),
                    property("custom.axisPlacement", "right".into()),
                    property("unit", "percent".into()),
                    property(
                        "color",
                        serde_json::json!({"mode": "fixed", "fixedColor": "orange"}),
                    ),
                ],
            }],
        };
        let out = effective_config(&config, "out", "A");
        assert_eq!(out.custom.transform.as_deref(), Some("negative-Y"));
        assert_eq!(out.custom.axis_placement.as_deref(), Some("right"));
        assert_eq!(out.unit.as_deref(), Some("percent"));
        assert_eq!(series_color(&out, 0, "out", Theme::Dark), "#FF9830");
        let other = effective_config(&config, "in", "A");
        assert_eq!(other.custom.transform, None);
        assert_eq!(other.unit.as_deref(), Some("bytes"));
    }
}
