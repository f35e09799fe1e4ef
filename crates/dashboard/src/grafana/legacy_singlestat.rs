//! Legacy `singlestat` panels → `stat` (or `gauge` when `gauge.show`), as Grafana's
//! singlestat migration does.
//!
//! Contract: `format` = unit; `valueName` = reducer (`current` → `lastNotNull`, `avg` →
//! `mean`, `total` → `sum`, …); `thresholds: "85,95"` + `colors[3]` = base step in
//! `colors[0]` and one step per value; `colorBackground`/`colorValue` = color mode;
//! `sparkline.show` = area graph; `gauge.minValue/maxValue` = min/max; `valueMaps`/`rangeMaps`
//! (chosen by `mappingType`) = value mappings, `"null"` becoming a special null match.

use serde_json::Value;

use super::field_config::{legacy_range_map, legacy_value_map, normalise_steps};
use super::json::{array, flag, get, nonempty, num, string, strings, uint};
use crate::field_config::{
    ColorMode, FieldColor, FieldConfig, FieldDefaults, ThresholdStep, Thresholds, ThresholdsMode,
    ValueMapping,
};
use crate::model::PanelKind;
use crate::options::{
    GaugeOptions, GraphMode, Orientation, PanelOptions, ReduceOptions, StatColorMode, StatOptions,
    StatTextMode,
};

/// Grafana's default singlestat colours (ok, warning, critical).
const DEFAULT_COLORS: [&str; 3] = ["#299c46", "rgba(237, 129, 40, 0.89)", "#d44a3a"];

/// Kind, field config and options for a legacy singlestat panel.
pub(crate) fn convert(p: &Value) -> (PanelKind, FieldConfig, PanelOptions) {
    let gauge = get(p, "gauge");
    let is_gauge = flag(gauge.and_then(|g| get(g, "show")));
    let defaults = FieldDefaults {
        unit: nonempty(get(p, "format")),
        decimals: uint(get(p, "decimals")).map(|d| d.min(20) as u32),
        min: if is_gauge {
            num(gauge.and_then(|g| get(g, "minValue")))
        } else {
            None
        },
        max: if is_gauge {
            num(gauge.and_then(|g| get(g, "maxValue")))
        } else {
            None
        },
        thresholds: Some(thresholds(p)),
        mappings: mappings(p),
        color: Some(FieldColor {
            mode: ColorMode::Thresholds,
            fixed_color: None,
            series_by: None,
        }),
        no_value: nonempty(get(p, "nullText")),
        ..FieldDefaults::default()
    };
    let reduce = ReduceOptions {
        calcs: vec![reducer(&string(get(p, "valueName")).unwrap_or_default())],
        ..ReduceOptions::default()
    };
    let field_config = FieldConfig {
        defaults,
        overrides: Vec::new(),
    };
    if is_gauge {
        let options = GaugeOptions {
            reduce,
            orientation: Orientation::Auto,
            show_threshold_markers: flag(gauge.and_then(|g| get(g, "thresholdMarkers"))),
            show_threshold_labels: flag(gauge.and_then(|g| get(g, "thresholdLabels"))),
        };
        return (PanelKind::Gauge, field_config, PanelOptions::Gauge(options));
    }
    let color_mode = if flag(get(p, "colorBackground")) {
        StatColorMode::Background
    } else if flag(get(p, "colorValue")) {
        StatColorMode::Value
    } else {
        StatColorMode::None
    };
    let sparkline = flag(get(p, "sparkline").and_then(|s| get(s, "show")));
    let options = StatOptions {
        reduce,
        color_mode,
        graph_mode: if sparkline {
            GraphMode::Area
        } else {
            GraphMode::None
        },
        text_mode: if string(get(p, "valueName")).as_deref() == Some("name") {
            StatTextMode::Name
        } else {
            StatTextMode::Auto
        },
        orientation: Orientation::Horizontal,
        justify_mode: "auto".into(),
        show_percent_change: false,
    };
    (PanelKind::Stat, field_config, PanelOptions::Stat(options))
}

/// Singlestat `valueName` → Grafana reducer id.
pub(crate) fn reducer(value_name: &str) -> String {
    match value_name {
        "avg" => "mean",
        "min" => "min",
        "max" => "max",
        "total" => "sum",
        "first" => "firstNotNull",
        "delta" => "delta",
        "diff" => "diff",
        "range" => "range",
        "last_time" => "lastNotNull",
        _ => "lastNotNull", // "current", "name", missing
    }
    .to_string()
}

fn thresholds(p: &Value) -> Thresholds {
    let mut colors = strings(get(p, "colors"));
    if colors.is_empty() {
        colors = DEFAULT_COLORS.iter().map(|c| c.to_string()).collect();
    }
    let color_at = |i: usize| {
        colors
            .get(i)
            .or(colors.last())
            .cloned()
            .unwrap_or_else(|| "green".into())
    };
    let values: Vec<f64> = string(get(p, "thresholds"))
        .unwrap_or_default()
        .split(',')
        .filter_map(|v| v.trim().parse::<f64>().ok())
        .collect();
    let mut steps = vec![ThresholdStep {
        value: None,
        color: color_at(0),
    }];
    steps.extend(values.iter().enumerate().map(|(i, v)| ThresholdStep {
        value: Some(*v),
        color: color_at(i + 1),
    }));
    Thresholds {
        mode: ThresholdsMode::Absolute,
        steps: normalise_steps(steps),
    }
}

fn mappings(p: &Value) -> Vec<ValueMapping> {
    let mapping_type = uint(get(p, "mappingType"));
    let mut out = Vec::new();
    if mapping_type != Some(2) {
        out.extend(array(p.get("valueMaps")).iter().map(|m| {
            legacy_value_map(
                &string(get(m, "value")).unwrap_or_default(),
                &string(get(m, "text")).unwrap_or_default(),
            )
        }));
    }
    if mapping_type != Some(1) {
        out.extend(array(p.get("rangeMaps")).iter().map(|m| {
            legacy_range_map(
                get(m, "from"),
                get(m, "to"),
                &string(get(m, "text")).unwrap_or_default(),
            )
        }));
    }
    out
}
