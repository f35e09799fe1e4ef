//! Grafana `fieldConfig` ↔ `FieldConfig`, including thresholds and value mappings.
//!
//! Contract: tolerant reading — `min`/`max`/`decimals`/step values may be strings; the first
//! threshold step is the base (its value, `null` or missing, is dropped) and the others are
//! sorted; value mappings are read in the current form (`type: value|range|regex|special`) and
//! the Grafana 7.0 flat form (`type: 1|2`). Writing produces the current form.

use serde_json::{Map, Value};

use super::json::{array, boolean, get, nonempty, num, number, string, uint, Obj};
use crate::field_config::{
    line_dash_from_json, stacking_group_from_json, ColorMode, CustomFieldConfig, DrawStyle,
    FieldColor, FieldConfig, FieldDefaults, FieldMatcher, FieldOverride, HideFrom, MappingResult,
    OverrideProperty, SpecialMatch, StackingMode, ThresholdStep, Thresholds, ThresholdsMode,
    ValueMapping,
};

pub(crate) fn read(v: Option<&Value>) -> FieldConfig {
    let Some(v) = v else {
        return FieldConfig::default();
    };
    FieldConfig {
        defaults: read_defaults(get(v, "defaults")),
        overrides: array(v.get("overrides"))
            .iter()
            .map(read_override)
            .collect(),
    }
}

fn read_defaults(v: Option<&Value>) -> FieldDefaults {
    let Some(v) = v else {
        return FieldDefaults::default();
    };
    FieldDefaults {
        unit: nonempty(get(v, "unit")),
        decimals: uint(get(v, "decimals")).map(|d| d.min(20) as u32),
        min: num(get(v, "min")),
        max: num(get(v, "max")),
        thresholds: get(v, "thresholds").map(read_thresholds),
        mappings: read_mappings(v.get("mappings")),
        color: get(v, "color").map(|c| FieldColor {
            mode: ColorMode::parse(
                &string(get(c, "mode")).unwrap_or_else(|| "palette-classic".into()),
            ),
            fixed_color: nonempty(get(c, "fixedColor")),
            series_by: nonempty(get(c, "seriesBy")),
        }),
        custom: read_custom(get(v, "custom")),
        no_value: string(get(v, "noValue")),
        display_name: nonempty(get(v, "displayName")),
    }
}

pub(crate) fn read_thresholds(v: &Value) -> Thresholds {
    let mode = ThresholdsMode::parse(&string(get(v, "mode")).unwrap_or_else(|| "absolute".into()));
    let steps = array(v.get("steps"))
        .iter()
        .map(|s| ThresholdStep {
            value: num(get(s, "value")),
            color: string(get(s, "color")).unwrap_or_else(|| "green".into()),
        })
        .collect();
    Thresholds {
        mode,
        steps: normalise_steps(steps),
    }
}

/// First step = base (−∞); the rest sorted by value (steps without a value keep their place
/// at the end, as Grafana's sort puts them).
pub(crate) fn normalise_steps(mut steps: Vec<ThresholdStep>) -> Vec<ThresholdStep> {
    if let Some(first) = steps.first_mut() {
        first.value = None;
    }
    if let Some(rest) = steps.get_mut(1..) {
        rest.sort_by(|a, b| {
            let (a, b) = (
                a.value.unwrap_or(f64::INFINITY),
                b.value.unwrap_or(f64::INFINITY),
            );
            a.total_cmp(&b)
        });
    }
    steps
}

fn read_result(v: Option<&Value>) -> MappingResult {
    let Some(v) = v else {
        return MappingResult::default();
    };
    MappingResult {
        text: string(get(v, "text")),
        color: nonempty(get(v, "color")),
        index: num(get(v, "index")).map(|i| i as i64),
    }
}

pub(crate) fn read_mappings(v: Option<&Value>) -> Vec<ValueMapping> {
    array(v).iter().filter_map(read_mapping).collect()
}

fn read_mapping(m: &Value) -> Option<ValueMapping> {
    let options = get(m, "options");
    match m.get("type") {
        Some(Value::String(t)) if t == "value" => {
            let entries = match options {
                Some(Value::Object(map)) => {
                    let mut entries: Vec<_> = map
                        .iter()
                        .map(|(k, r)| (k.clone(), read_result(Some(r))))
                        .collect();
                    // Grafana orders entries by their `index`; keep that order stable.
                    entries.sort_by_key(|(_, r)| r.index.unwrap_or(i64::MAX));
                    entries
                }
                _ => Vec::new(),
            };
            Some(ValueMapping::Value { entries })
        }
        Some(Value::String(t)) if t == "range" => Some(ValueMapping::Range {
            from: num(options.and_then(|o| get(o, "from"))),
            to: num(options.and_then(|o| get(o, "to"))),
            result: read_result(options.and_then(|o| get(o, "result"))),
        }),
        Some(Value::String(t)) if t == "regex" => Some(ValueMapping::Regex {
            pattern: string(options.and_then(|o| get(o, "pattern"))).unwrap_or_default(),
            result: read_result(options.and_then(|o| get(o, "result"))),
        }),
        Some(Value::String(t)) if t == "special" => Some(ValueMapping::Special {
            matches: SpecialMatch::parse(
                &string(options.and_then(|o| get(o, "match"))).unwrap_or_default(),
            ),
            result: read_result(options.and_then(|o| get(o, "result"))),
        }),
        // Grafana 7.0 flat form: {type: 1, value, text} / {type: 2, from, to, text}.
        _ => match num(m.get("type")) {
            Some(1.0) => Some(legacy_value_map(
                &string(get(m, "value")).unwrap_or_default(),
                &string(get(m, "text")).unwrap_or_default(),
            )),
            Some(2.0) => Some(legacy_range_map(
                get(m, "from"),
                get(m, "to"),
                &string(get(m, "text")).unwrap_or_default(),
            )),
            _ => None,
        },
    }
}

/// Legacy value map (`valueMaps`, flat type 1): `"null"` becomes a special null match.
pub(crate) fn legacy_value_map(value: &str, text: &str) -> ValueMapping {
    let result = MappingResult {
        text: Some(text.to_string()),
        color: None,
        index: None,
    };
    if value.trim() == "null" {
        ValueMapping::Special {
            matches: SpecialMatch::Null,
            result,
        }
    } else {
        ValueMapping::Value {
            entries: vec![(value.to_string(), result)],
        }
    }
}

/// Legacy range map (`rangeMaps`, flat type 2): `from`/`to` both `"null"` = special null.
pub(crate) fn legacy_range_map(
    from: Option<&Value>,
    to: Option<&Value>,
    text: &str,
) -> ValueMapping {
    let result = MappingResult {
        text: Some(text.to_string()),
        color: None,
        index: None,
    };
    let is_null =
        |v: Option<&Value>| v.is_none_or(|v| v.as_str().is_some_and(|s| s.trim() == "null"));
    if is_null(from) && is_null(to) {
        ValueMapping::Special {
            matches: SpecialMatch::Null,
            result,
        }
    } else {
        ValueMapping::Range {
            from: num(from),
            to: num(to),
            result,
        }
    }
}

fn read_custom(v: Option<&Value>) -> CustomFieldConfig {
    let Some(v) = v else {
        return CustomFieldConfig::default();
    };
    let scale = get(v, "scaleDistribution");
    let is_log = scale.and_then(|s| get(s, "type")).and_then(Value::as_str) == Some("log");
    CustomFieldConfig {
        draw_style: string(get(v, "drawStyle")).map(|s| DrawStyle::parse(&s)),
        line_width: num(get(v, "lineWidth")),
        fill_opacity: num(get(v, "fillOpacity")),
        gradient_mode: nonempty(get(v, "gradientMode")),
        line_interpolation: nonempty(get(v, "lineInterpolation")),
        show_points: nonempty(get(v, "showPoints")),
        point_size: num(get(v, "pointSize")),
        span_nulls: boolean(get(v, "spanNulls")),
        stacking: get(v, "stacking")
            .and_then(|s| string(get(s, "mode")))
            .map(|m| StackingMode::parse(&m)),
        // `A` is Grafana's default group: kept as unset so a round trip is exact.
        stacking_group: get(v, "stacking")
            .and_then(stacking_group_from_json)
            .filter(|g| g != "A"),
        line_dash: get(v, "lineStyle").and_then(line_dash_from_json),
        hide_from: get(v, "hideFrom")
            .and_then(HideFrom::from_json)
            .filter(|h| *h != HideFrom::default()),
        axis_placement: nonempty(get(v, "axisPlacement")),
        axis_label: nonempty(get(v, "axisLabel")),
        axis_soft_min: num(get(v, "axisSoftMin")),
        axis_soft_max: num(get(v, "axisSoftMax")),
        log_base: if is_log {
            num(scale.and_then(|s| get(s, "log"))).or(Some(2.0))
        } else {
            None
        },
        thresholds_style: get(v, "thresholdsStyle").and_then(|s| nonempty(get(s, "mode"))),
        transform: nonempty(get(v, "transform")),
        align: nonempty(get(v, "align")),
        cell_type: get(v, "cellOptions")
            .and_then(|c| nonempty(get(c, "type")))
            .or_else(|| nonempty(get(v, "displayMode"))),
        cell_mode: get(v, "cellOptions").and_then(|c| nonempty(get(c, "mode"))),
        cell_apply_to_row: get(v, "cellOptions").and_then(|c| boolean(get(c, "applyToRow"))),
        hidden: boolean(get(v, "hidden")),
        width: num(get(v, "width")).filter(|w| *w > 0.0),
        min_width: num(get(v, "minWidth")).filter(|w| *w > 0.0),
    }
}

fn read_override(o: &Value) -> FieldOverride {
    let matcher = o.get("matcher").cloned().unwrap_or(Value::Null);
    let id = string(get(&matcher, "id")).unwrap_or_default();
    let options = matcher.get("options").cloned().unwrap_or(Value::Null);
    let as_text = string(Some(&options));
    let matcher = match (id.as_str(), as_text) {
        ("byName", Some(t)) => FieldMatcher::ByName(t),
        ("byRegexp", Some(t)) => FieldMatcher::ByRegexp(t),
        ("byFrameRefID", Some(t)) => FieldMatcher::ByFrameRefId(t),
        ("byType", Some(t)) => FieldMatcher::ByType(t),
        _ => FieldMatcher::Other { id, options },
    };
    let properties = array(o.get("properties"))
        .iter()
        .filter_map(|p| {
            let id = nonempty(get(p, "id"))?;
            Some(OverrideProperty {
                id,
                value: p.get("value").cloned().unwrap_or(Value::Null),
            })
        })
        .collect();
    FieldOverride {
        matcher,
        properties,
    }
}

pub(crate) fn write(fc: &FieldConfig) -> Value {
    Obj::new()
        .set("defaults", write_defaults(&fc.defaults))
        .set(
            "overrides",
            fc.overrides.iter().map(write_override).collect::<Vec<_>>(),
        )
        .build()
}

fn write_defaults(d: &FieldDefaults) -> Value {
    Obj::new()
        .opt("unit", d.unit.as_deref())
        .opt("decimals", d.decimals)
        .opt("min", d.min.map(number))
        .opt("max", d.max.map(number))
        .opt("thresholds", d.thresholds.as_ref().map(write_thresholds))
        .set(
            "mappings",
            d.mappings.iter().map(write_mapping).collect::<Vec<_>>(),
        )
        .opt(
            "color",
            d.color.as_ref().map(|c| {
                Obj::new()
                    .set("mode", c.mode.as_str())
                    .opt("fixedColor", c.fixed_color.as_deref())
                    .opt("seriesBy", c.series_by.as_deref())
                    .build()
            }),
        )
        .set("custom", write_custom(&d.custom))
        .opt("noValue", d.no_value.as_deref())
        .opt("displayName", d.display_name.as_deref())
        .build()
}

pub(crate) fn write_thresholds(t: &Thresholds) -> Value {
    let steps: Vec<Value> = t
        .steps
        .iter()
        .map(|s| {
            Obj::new()
                .set("color", s.color.as_str())
                .set("value", s.value.map_or(Value::Null, number))
                .build()
        })
        .collect();
    Obj::new()
        .set("mode", t.mode.as_str())
        .set("steps", steps)
        .build()
}

fn write_result(r: &MappingResult) -> Value {
    Obj::new()
        .opt("text", r.text.as_deref())
        .opt("color", r.color.as_deref())
        .opt("index", r.index)
        .build()
}

fn write_mapping(m: &ValueMapping) -> Value {
    let (kind, options) = match m {
        ValueMapping::Value { entries } => {
            let mut map = Map::new();
            for (k, r) in entries {
                map.insert(k.clone(), write_result(r));
            }
            ("value", Value::Object(map))
        }
        ValueMapping::Range { from, to, result } => (
            "range",
            Obj::new()
                .set("from", from.map_or(Value::Null, number))
                .set("to", to.map_or(Value::Null, number))
                .set("result", write_result(result))
                .build(),
        ),
        ValueMapping::Regex { pattern, result } => (
            "regex",
            Obj::new()
                .set("pattern", pattern.as_str())
                .set("result", write_result(result))
                .build(),
        ),
        ValueMapping::Special { matches, result } => (
            "special",
            Obj::new()
                .set("match", matches.as_str())
                .set("result", write_result(result))
                .build(),
        ),
    };
    Obj::new().set("type", kind).set("options", options).build()
}

/// `{"mode", "group"}`; Grafana writes the group `false` as a JSON boolean.
fn write_stacking(c: &CustomFieldConfig) -> Option<Value> {
    if c.stacking.is_none() && c.stacking_group.is_none() {
        return None;
    }
    let group = match c.stacking_group.as_deref() {
        Some("false") => Value::Bool(false),
        Some(g) => Value::String(g.to_string()),
        None => Value::String("A".into()),
    };
    let mut obj = Obj::new().set("group", group);
    if let Some(mode) = &c.stacking {
        obj = obj.set("mode", mode.as_str());
    }
    Some(obj.build())
}

fn write_custom(c: &CustomFieldConfig) -> Value {
    let mode = |m: &Option<String>| m.as_deref().map(|m| Obj::new().set("mode", m).build());
    Obj::new()
        .opt(
            "drawStyle",
            c.draw_style.as_ref().map(|d| d.as_str().to_string()),
        )
        .opt("lineWidth", c.line_width.map(number))
        .opt("fillOpacity", c.fill_opacity.map(number))
        .opt("gradientMode", c.gradient_mode.as_deref())
        .opt("lineInterpolation", c.line_interpolation.as_deref())
        .opt("showPoints", c.show_points.as_deref())
        .opt("pointSize", c.point_size.map(number))
        .opt("spanNulls", c.span_nulls)
        .opt("stacking", write_stacking(c))
        .opt(
            "lineStyle",
            c.line_dash.as_ref().map(|d| {
                let dash: Vec<Value> = d.iter().map(|v| number(*v)).collect();
                Obj::new().set("fill", "dash").set("dash", dash).build()
            }),
        )
        .opt(
            "hideFrom",
            c.hide_from.map(|h| {
                Obj::new()
                    .set("legend", h.legend)
                    .set("tooltip", h.tooltip)
                    .set("viz", h.viz)
                    .build()
            }),
        )
        .opt("axisPlacement", c.axis_placement.as_deref())
        .opt("axisLabel", c.axis_label.as_deref())
        .opt("axisSoftMin", c.axis_soft_min.map(number))
        .opt("axisSoftMax", c.axis_soft_max.map(number))
        .opt(
            "scaleDistribution",
            c.log_base
                .map(|b| Obj::new().set("type", "log").set("log", number(b)).build()),
        )
        .opt("thresholdsStyle", mode(&c.thresholds_style))
        .opt("transform", c.transform.as_deref())
        .opt("align", c.align.as_deref())
        .opt(
            "cellOptions",
            c.cell_type.as_deref().map(|t| {
                Obj::new()
                    .set("type", t)
                    .opt("mode", c.cell_mode.as_deref())
                    .opt("applyToRow", c.cell_apply_to_row)
                    .build()
            }),
        )
        .opt("hidden", c.hidden)
        .opt("width", c.width.map(number))
        .opt("minWidth", c.min_width.map(number))
        .build()
}

fn write_override(o: &FieldOverride) -> Value {
    let (id, options) = match &o.matcher {
        FieldMatcher::ByName(t) => ("byName", Value::from(t.as_str())),
        FieldMatcher::ByRegexp(t) => ("byRegexp", Value::from(t.as_str())),
        FieldMatcher::ByFrameRefId(t) => ("byFrameRefID", Value::from(t.as_str())),
        FieldMatcher::ByType(t) => ("byType", Value::from(t.as_str())),
        FieldMatcher::Other { id, options } => (id.as_str(), options.clone()),
    };
    let properties: Vec<Value> = o
        .properties
        .iter()
        .map(|p| {
            Obj::new()
                .set("id", p.id.as_str())
                .set("value", p.value.clone())
                .build()
        })
        .collect();
    Obj::new()
        .set(
            "matcher",
            Obj::new().set("id", id).set("options", options).build(),
        )
        .set("properties", properties)
        .build()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use serde_json::json;

    #[test]
    fn table_cell_options_and_hidden_round_trip() {
        let v = json!({
            "cellOptions": {"type": "color-background", "mode": "basic", "applyToRow": true},
            "hidden": true
        });
        let c = super::read_custom(Some(&v));
        assert_eq!(c.cell_type.as_deref(), Some("color-background"));
        assert_eq!(c.cell_mode.as_deref(), Some("basic"));
        assert_eq!(c.cell_apply_to_row, Some(true));
        assert_eq!(c.hidden, Some(true));
        let out = super::write_custom(&c);
        assert_eq!(out.get("cellOptions"), v.get("cellOptions"));
        assert_eq!(out.get("hidden"), Some(&json!(true)));
    }

    #[test]
    fn table_column_widths_round_trip_and_ignore_non_positive() {
        let v = json!({"width": 120, "minWidth": 80});
        let c = super::read_custom(Some(&v));
        assert_eq!((c.width, c.min_width), (Some(120.0), Some(80.0)));
        let out = super::write_custom(&c);
        assert_eq!(out.get("width"), Some(&json!(120)));
        assert_eq!(out.get("minWidth"), Some(&json!(80)));
        let zero = super::read_custom(Some(&json!({"width": 0, "minWidth": -5})));
        assert_eq!((zero.width, zero.min_width), (None, None));
    }
}
