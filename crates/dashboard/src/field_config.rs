//! Field configuration: how values are formatted and coloured (Grafana `fieldConfig`).
//!
//! Contract: `defaults` apply to every field; `overrides` apply properties to fields chosen
//! by a matcher. Thresholds always start with a base step (`value: None` = −∞) and the rest
//! are sorted by value. Override property values are kept as Grafana JSON (`id` + `value`),
//! because their shape depends on the property.

use serde::{Deserialize, Serialize};

use crate::string_enum::string_enum;

/// `fieldConfig`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FieldConfig {
    pub defaults: FieldDefaults,
    pub overrides: Vec<FieldOverride>,
}

/// `fieldConfig.defaults`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FieldDefaults {
    /// Grafana unit id (`bytes`, `percentunit`, `s`, …).
    pub unit: Option<String>,
    pub decimals: Option<u32>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub thresholds: Option<Thresholds>,
    pub mappings: Vec<ValueMapping>,
    pub color: Option<FieldColor>,
    pub custom: CustomFieldConfig,
    /// Text shown when there is no value.
    pub no_value: Option<String>,
    pub display_name: Option<String>,
}

/// Threshold steps.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Thresholds {
    pub mode: ThresholdsMode,
    pub steps: Vec<ThresholdStep>,
}

string_enum!(
    /// `absolute` compares raw values; `percentage` compares `(x-min)/(max-min)` × 100.
    ThresholdsMode { Absolute => "absolute", Percentage => "percentage" }
);

/// One step: from `value` upwards the colour is `color`; `None` is the base step (−∞).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThresholdStep {
    pub value: Option<f64>,
    /// A Grafana colour name (`green`, `dark-red`) or CSS colour (`#EAB839`, `rgba(…)`).
    pub color: String,
}

/// What a mapping turns a value into.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MappingResult {
    pub text: Option<String>,
    pub color: Option<String>,
    pub index: Option<i64>,
}

/// A value mapping, applied before thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ValueMapping {
    /// Exact value → result (Grafana keeps several values in one mapping).
    Value {
        entries: Vec<(String, MappingResult)>,
    },
    /// `from <= x <= to`; a missing bound is open.
    Range {
        from: Option<f64>,
        to: Option<f64>,
        result: MappingResult,
    },
    /// The text matches a regular expression.
    Regex {
        pattern: String,
        result: MappingResult,
    },
    /// null, NaN, booleans, empty.
    Special {
        matches: SpecialMatch,
        result: MappingResult,
    },
}

string_enum!(
    /// What a special mapping matches.
    SpecialMatch {
        Null => "null", NaN => "nan", NullAndNaN => "null+nan", True => "true", False => "false",
        Empty => "empty",
    }
);

/// `fieldConfig.defaults.color`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FieldColor {
    pub mode: ColorMode,
    pub fixed_color: Option<String>,
    /// For continuous/gradient schemes: `last`, `min`, `max`.
    pub series_by: Option<String>,
}

string_enum!(
    /// How series/values get their colour.
    ColorMode {
        PaletteClassic => "palette-classic", Thresholds => "thresholds", Fixed => "fixed",
        Shades => "shades", ContinuousGrYlRd => "continuous-GrYlRd",
    }
);

string_enum!(
    /// Time series draw style.
    DrawStyle { Line => "line", Bars => "bars", Points => "points" }
);

string_enum!(
    /// Time series stacking.
    StackingMode { None => "none", Normal => "normal", Percent => "percent" }
);

/// `custom.hideFrom`: a series hidden from the legend, the tooltip and/or the chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HideFrom {
    pub legend: bool,
    pub tooltip: bool,
    pub viz: bool,
}

impl HideFrom {
    /// Grafana's `{"legend": bool, "tooltip": bool, "viz": bool}` (missing keys are false);
    /// `None` when the value is not an object.
    pub fn from_json(value: &serde_json::Value) -> Option<Self> {
        let obj = value.as_object()?;
        let flag = |k: &str| obj.get(k).and_then(serde_json::Value::as_bool) == Some(true);
        Some(Self {
            legend: flag("legend"),
            tooltip: flag("tooltip"),
            viz: flag("viz"),
        })
    }
}

/// The dash pattern of Grafana's `custom.lineStyle` (`{"fill": "dash", "dash": [10, 10]}`);
/// `None` for solid lines. `dot` without a pattern is `[0, 10]` like Grafana's default.
pub fn line_dash_from_json(style: &serde_json::Value) -> Option<Vec<f64>> {
    let fill = style.get("fill")?.as_str()?;
    if fill != "dash" && fill != "dot" {
        return None;
    }
    let dash: Vec<f64> = style
        .get("dash")
        .and_then(serde_json::Value::as_array)
        .map(|d| d.iter().filter_map(serde_json::Value::as_f64).collect())
        .unwrap_or_default();
    Some(if dash.is_empty() {
        if fill == "dot" {
            vec![0.0, 10.0]
        } else {
            vec![10.0, 10.0]
        }
    } else {
        dash
    })
}

/// `custom.stacking.group` of a Grafana stacking object as the string key Grafana stacks by
/// (`"A"`, or `false` → `"false"`, its own group).
pub fn stacking_group_from_json(stacking: &serde_json::Value) -> Option<String> {
    match stacking.get("group")? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The visualisation-specific part of field config (`custom`) that we draw with.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CustomFieldConfig {
    pub draw_style: Option<DrawStyle>,
    pub line_width: Option<f64>,
    /// 0–100.
    pub fill_opacity: Option<f64>,
    /// `none`, `opacity`, `hue`, `scheme`.
    pub gradient_mode: Option<String>,
    /// `linear`, `smooth`, `stepBefore`, `stepAfter`.
    pub line_interpolation: Option<String>,
    /// `auto`, `always`, `never`.
    pub show_points: Option<String>,
    pub point_size: Option<f64>,
    pub span_nulls: Option<bool>,
    pub stacking: Option<StackingMode>,
    /// `custom.stacking.group`: series stack only with their group (Grafana's default `A`;
    /// `false` in JSON is the group `"false"`, as Grafana's string key makes it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stacking_group: Option<String>,
    /// `custom.lineStyle` dash pattern (`[dash, gap]` px) when its `fill` is `dash` or `dot`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_dash: Option<Vec<f64>>,
    /// `custom.hideFrom`: where the series is hidden.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hide_from: Option<HideFrom>,
    /// `auto`, `left`, `right`, `hidden`.
    pub axis_placement: Option<String>,
    pub axis_label: Option<String>,
    pub axis_soft_min: Option<f64>,
    pub axis_soft_max: Option<f64>,
    /// Log scale base when the axis is logarithmic.
    pub log_base: Option<f64>,
    /// `off`, `line`, `area`, `line+area`, `dashed`, …
    pub thresholds_style: Option<String>,
    /// `negative-Y` mirrors the series below the axis.
    pub transform: Option<String>,
    /// Table cell alignment.
    pub align: Option<String>,
    /// Table cell display type (`auto`, `color-background`, `gauge`, …).
    pub cell_type: Option<String>,
    /// `custom.cellOptions.mode` of a coloured background (`basic`, `gradient`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell_mode: Option<String>,
    /// `custom.cellOptions.applyToRow`: a coloured background colours the whole row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell_apply_to_row: Option<bool>,
    /// `custom.hidden`: a table column not shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden: Option<bool>,
    /// `custom.width`: a table column's fixed width (CSS px).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<f64>,
    /// `custom.minWidth`: a table column's minimum width (CSS px; Grafana's default 150).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_width: Option<f64>,
}

/// One `fieldConfig.overrides` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldOverride {
    pub matcher: FieldMatcher,
    pub properties: Vec<OverrideProperty>,
}

/// Which fields an override applies to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FieldMatcher {
    ByName(String),
    /// A regular expression over the display name (JS syntax, no slashes).
    ByRegexp(String),
    ByFrameRefId(String),
    /// Field type: `number`, `string`, `time`, …
    ByType(String),
    /// A matcher we do not interpret; kept verbatim.
    Other {
        id: String,
        options: serde_json::Value,
    },
}

/// A property set by an override: `id` such as `color`, `unit`, `custom.fillOpacity`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverrideProperty {
    pub id: String,
    pub value: serde_json::Value,
}

impl OverrideProperty {
    /// A fixed-colour property (`{"mode":"fixed","fixedColor":color}`).
    pub fn fixed_color(color: &str) -> Self {
        Self {
            id: "color".into(),
            value: serde_json::json!({"mode": "fixed", "fixedColor": color}),
        }
    }
}
