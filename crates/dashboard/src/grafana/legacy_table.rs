//! Angular tables (`table-old`, or `table` with `styles[]` from Grafana < 7) → table field
//! config, as Grafana's table migration does.
//!
//! Contract: the style whose pattern is `/.*/` gives the defaults, every other style becomes an
//! override (`/re/` → `byRegexp`, else `byName`): `alias` → `displayName`, `unit`, `decimals`,
//! `thresholds` + `colors` → threshold steps, `colorMode` cell/row/value → cell colouring,
//! `type: hidden` → hidden column, `type: date` → `dateTimeAsIso`. `showHeader` is kept; the
//! old `transform`s are not (the caller warns).

use serde_json::{json, Value};

use super::json::{array, boolean, get, nonempty, num, string, strings, uint};
use crate::field_config::{
    CustomFieldConfig, FieldConfig, FieldDefaults, FieldMatcher, FieldOverride, OverrideProperty,
    ThresholdStep, Thresholds, ThresholdsMode,
};
use crate::options::TableOptions;

/// Whether a `table` panel is the Angular one.
pub(crate) fn is_legacy(p: &Value) -> bool {
    get(p, "styles").is_some_and(Value::is_array) && get(p, "fieldConfig").is_none()
}

/// Field config and options for an Angular table.
pub(crate) fn convert(p: &Value) -> (FieldConfig, TableOptions) {
    let mut config = FieldConfig::default();
    for style in array(p.get("styles")) {
        let pattern = string(get(style, "pattern")).unwrap_or_default();
        if pattern == "/.*/" {
            config.defaults = style_defaults(style);
            continue;
        }
        let matcher = match pattern.strip_prefix('/').and_then(|p| p.strip_suffix('/')) {
            Some(re) if pattern.len() > 1 => FieldMatcher::ByRegexp(re.to_string()),
            _ => FieldMatcher::ByName(pattern.clone()),
        };
        let properties = style_properties(style);
        if !properties.is_empty() {
            config.overrides.push(FieldOverride {
                matcher,
                properties,
            });
        }
    }
    let options = TableOptions {
        show_header: boolean(get(p, "showHeader")).unwrap_or(true),
        ..TableOptions::default()
    };
    (config, options)
}

fn unit_of(style: &Value) -> Option<String> {
    match string(get(style, "type")).as_deref() {
        Some("date") => Some("dateTimeAsIso".to_string()),
        Some("string") => Some("string".to_string()),
        _ => nonempty(get(style, "unit")),
    }
}

fn thresholds_of(style: &Value) -> Option<Thresholds> {
    let values: Vec<f64> = strings(get(style, "thresholds"))
        .iter()
        .filter_map(|v| v.trim().parse().ok())
        .collect();
    if values.is_empty() {
        return None;
    }
    let colors = strings(get(style, "colors"));
    let color_at = |i: usize| {
        colors
            .get(i)
            .or(colors.last())
            .cloned()
            .unwrap_or_else(|| "green".into())
    };
    let mut steps = vec![ThresholdStep {
        value: None,
        color: color_at(0),
    }];
    steps.extend(values.iter().enumerate().map(|(i, v)| ThresholdStep {
        value: Some(*v),
        color: color_at(i + 1),
    }));
    Some(Thresholds {
        mode: ThresholdsMode::Absolute,
        steps: super::field_config::normalise_steps(steps),
    })
}

fn cell_type(style: &Value) -> Option<String> {
    match string(get(style, "colorMode")).as_deref() {
        Some("cell" | "row") => Some("color-background".to_string()),
        Some("value") => Some("color-text".to_string()),
        _ => None,
    }
}

fn style_defaults(style: &Value) -> FieldDefaults {
    FieldDefaults {
        unit: unit_of(style),
        decimals: uint(get(style, "decimals")).map(|d| d.min(20) as u32),
        thresholds: thresholds_of(style),
        display_name: nonempty(get(style, "alias")),
        custom: CustomFieldConfig {
            cell_type: cell_type(style),
            ..CustomFieldConfig::default()
        },
        ..FieldDefaults::default()
    }
}

fn style_properties(style: &Value) -> Vec<OverrideProperty> {
    let prop = |id: &str, value: Value| OverrideProperty {
        id: id.to_string(),
        value,
    };
    let mut props = Vec::new();
    if let Some(alias) = nonempty(get(style, "alias")) {
        props.push(prop("displayName", alias.into()));
    }
    if string(get(style, "type")).as_deref() == Some("hidden") {
        props.push(prop("custom.hidden", true.into()));
    }
    if let Some(unit) = unit_of(style) {
        props.push(prop("unit", unit.into()));
    }
    if let Some(decimals) = num(get(style, "decimals")) {
        props.push(prop("decimals", super::json::number(decimals)));
    }
    if let Some(t) = thresholds_of(style) {
        props.push(prop(
            "thresholds",
            super::field_config::write_thresholds(&t),
        ));
        props.push(prop("color", json!({"mode": "thresholds"})));
    }
    if let Some(cell) = cell_type(style) {
        props.push(prop("custom.cellOptions", json!({"type": cell})));
    }
    props
}
