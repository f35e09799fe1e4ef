//! Legacy `graph` panels → time series field config and options, as Grafana's own
//! graph → timeseries migration does.
//!
//! Contract: `yaxes[0]` gives unit/min/max/decimals/label/log scale; `lines`/`bars`/`points`
//! give the draw style; `fill` (0–10) × 10 = fill opacity; `stack`/`percentage` = stacking;
//! `nullPointMode: connected` = span nulls; `legend`/`tooltip` map to their new options;
//! `aliasColors` and `seriesOverrides` become `byName`/`byRegexp` overrides (`/re/` aliases are
//! regexes); graph thresholds become threshold steps drawn as lines/areas.

use serde_json::{json, Value};

use super::json::{array, boolean, flag, get, nonempty, num, string, uint};
use crate::field_config::{
    CustomFieldConfig, DrawStyle, FieldConfig, FieldDefaults, FieldMatcher, FieldOverride,
    OverrideProperty, StackingMode, ThresholdStep, Thresholds, ThresholdsMode,
};
use crate::options::{
    LegendDisplayMode, LegendOptions, LegendPlacement, TimeSeriesOptions, TooltipMode,
    TooltipOptions,
};

/// Field config and options for a legacy graph panel.
pub(crate) fn convert(p: &Value) -> (FieldConfig, TimeSeriesOptions) {
    let axes = array(p.get("yaxes"));
    let left = axes.first();
    let axis = |key: &str| left.and_then(|a| get(a, key));
    let mut defaults = FieldDefaults {
        unit: nonempty(axis("format")).or_else(|| nonempty(get(p, "format"))),
        decimals: uint(axis("decimals"))
            .or_else(|| uint(get(p, "decimals")))
            .map(|d| d.min(20) as u32),
        min: num(axis("min")),
        max: num(axis("max")),
        custom: custom(p, left),
        ..FieldDefaults::default()
    };
    let mut overrides = alias_color_overrides(p);
    let right_unit = axes.get(1).and_then(|a| nonempty(get(a, "format")));
    overrides.extend(
        array(p.get("seriesOverrides"))
            .iter()
            .filter_map(|o| series_override(o, right_unit.as_deref())),
    );
    if let Some((thresholds, style)) = thresholds(p) {
        defaults.thresholds = Some(thresholds);
        defaults.custom.thresholds_style = Some(style);
    }
    (
        FieldConfig {
            defaults,
            overrides,
        },
        options(p),
    )
}

fn custom(p: &Value, left: Option<&Value>) -> CustomFieldConfig {
    let lines = boolean(get(p, "lines")).unwrap_or(true);
    let draw_style = if flag(get(p, "bars")) {
        DrawStyle::Bars
    } else if !lines && flag(get(p, "points")) {
        DrawStyle::Points
    } else {
        DrawStyle::Line
    };
    let stacking = if flag(get(p, "stack")) {
        if flag(get(p, "percentage")) {
            StackingMode::Percent
        } else {
            StackingMode::Normal
        }
    } else {
        StackingMode::None
    };
    let log_base = left
        .and_then(|a| num(get(a, "logBase")))
        .filter(|b| *b > 1.0);
    let axis_hidden = left.and_then(|a| boolean(get(a, "show"))) == Some(false);
    CustomFieldConfig {
        draw_style: Some(draw_style),
        line_width: Some(num(get(p, "linewidth")).unwrap_or(1.0)),
        fill_opacity: Some(num(get(p, "fill")).unwrap_or(1.0) * 10.0),
        gradient_mode: Some(
            if num(get(p, "fillGradient")).unwrap_or(0.0) > 0.0 {
                "opacity"
            } else {
                "none"
            }
            .into(),
        ),
        line_interpolation: Some(
            if flag(get(p, "steppedLine")) {
                "stepAfter"
            } else {
                "linear"
            }
            .into(),
        ),
        show_points: Some(
            if flag(get(p, "points")) {
                "always"
            } else {
                "never"
            }
            .into(),
        ),
        point_size: num(get(p, "pointradius")).map(|r| r * 2.0),
        span_nulls: Some(string(get(p, "nullPointMode")).as_deref() == Some("connected")),
        stacking: Some(stacking),
        axis_placement: Some(if axis_hidden { "hidden" } else { "auto" }.into()),
        axis_label: left.and_then(|a| nonempty(get(a, "label"))),
        log_base,
        ..CustomFieldConfig::default()
    }
}

fn options(p: &Value) -> TimeSeriesOptions {
    let legend = get(p, "legend");
    let l = |key: &str| legend.and_then(|l| get(l, key));
    let show = boolean(l("show")).unwrap_or(true);
    let calcs = if flag(l("values")) {
        [
            ("min", "min"),
            ("max", "max"),
            ("avg", "mean"),
            ("current", "lastNotNull"),
            ("total", "sum"),
        ]
        .iter()
        .filter(|(old, _)| flag(l(old)))
        .map(|(_, new)| new.to_string())
        .collect()
    } else {
        Vec::new()
    };
    let display_mode = match (show, flag(l("alignAsTable"))) {
        (false, _) => LegendDisplayMode::Hidden,
        (true, true) => LegendDisplayMode::Table,
        (true, false) => LegendDisplayMode::List,
    };
    let sort_by = nonempty(l("sort")).map(|s| {
        match s.as_str() {
            "avg" => "Mean",
            "current" => "Last *",
            "min" => "Min",
            "max" => "Max",
            "total" => "Total",
            other => other,
        }
        .to_string()
    });
    let tooltip = get(p, "tooltip");
    let t = |key: &str| tooltip.and_then(|t| get(t, key));
    TimeSeriesOptions {
        legend: LegendOptions {
            show,
            display_mode,
            placement: if flag(l("rightSide")) {
                LegendPlacement::Right
            } else {
                LegendPlacement::Bottom
            },
            calcs,
            sort_by,
            sort_desc: flag(l("sortDesc")),
        },
        tooltip: TooltipOptions {
            mode: if flag(t("shared")) {
                TooltipMode::Multi
            } else {
                TooltipMode::Single
            },
            sort: match uint(t("sort")) {
                Some(1) => "asc",
                Some(2) => "desc",
                _ => "none",
            }
            .into(),
        },
    }
}

fn alias_color_overrides(p: &Value) -> Vec<FieldOverride> {
    let Some(Value::Object(colors)) = get(p, "aliasColors") else {
        return Vec::new();
    };
    colors
        .iter()
        .filter_map(|(name, color)| {
            let color = nonempty(Some(color))?;
            Some(FieldOverride {
                matcher: FieldMatcher::ByName(name.clone()),
                properties: vec![OverrideProperty::fixed_color(&color)],
            })
        })
        .collect()
}

fn property(id: &str, value: Value) -> OverrideProperty {
    OverrideProperty {
        id: id.to_string(),
        value,
    }
}

fn series_override(o: &Value, right_unit: Option<&str>) -> Option<FieldOverride> {
    let alias = nonempty(get(o, "alias"))?;
    let matcher = match alias.strip_prefix('/').and_then(|a| a.strip_suffix('/')) {
        Some(re) if alias.len() > 1 => FieldMatcher::ByRegexp(re.to_string()),
        _ => FieldMatcher::ByName(alias.clone()),
    };
    let mut props = Vec::new();
    if let Some(color) = nonempty(get(o, "color")) {
        props.push(OverrideProperty::fixed_color(&color));
    }
    if let Some(transform) = nonempty(get(o, "transform")) {
        props.push(property("custom.transform", transform.into()));
    }
    if let Some(fill) = num(get(o, "fill")) {
        props.push(property(
            "custom.fillOpacity",
            super::json::number(fill * 10.0),
        ));
    }
    if let Some(width) = num(get(o, "linewidth")) {
        props.push(property("custom.lineWidth", super::json::number(width)));
    }
    if uint(get(o, "yaxis")) == Some(2) {
        props.push(property("custom.axisPlacement", "right".into()));
        if let Some(unit) = right_unit {
            props.push(property("unit", unit.into()));
        }
    }
    match get(o, "stack") {
        Some(Value::Bool(false)) => props.push(property(
            "custom.stacking",
            json!({"mode": "none", "group": "A"}),
        )),
        Some(Value::Bool(true)) => props.push(property(
            "custom.stacking",
            json!({"mode": "normal", "group": "A"}),
        )),
        _ => {}
    }
    if flag(get(o, "bars")) {
        props.push(property("custom.drawStyle", "bars".into()));
    } else if boolean(get(o, "lines")) == Some(false) {
        props.push(property("custom.drawStyle", "points".into()));
    }
    if flag(get(o, "points")) {
        props.push(property("custom.showPoints", "always".into()));
    }
    if flag(get(o, "dashes")) {
        props.push(property(
            "custom.lineStyle",
            json!({"fill": "dash", "dash": [10, 10]}),
        ));
    }
    if boolean(get(o, "legend")) == Some(false) {
        props.push(property(
            "custom.hideFrom",
            json!({"legend": true, "tooltip": false, "viz": false}),
        ));
    }
    (!props.is_empty()).then_some(FieldOverride {
        matcher,
        properties: props,
    })
}

/// Graph thresholds `[{value, op, colorMode, fill, line}]` → steps over a transparent base.
fn thresholds(p: &Value) -> Option<(Thresholds, String)> {
    let list = array(p.get("thresholds"));
    if list.is_empty() {
        return None;
    }
    let mut steps = vec![ThresholdStep {
        value: None,
        color: "transparent".into(),
    }];
    let (mut fill, mut line) = (false, false);
    for t in list {
        let Some(value) = num(get(t, "value")) else {
            continue;
        };
        fill |= boolean(get(t, "fill")).unwrap_or(true);
        line |= boolean(get(t, "line")).unwrap_or(true);
        let color = match string(get(t, "colorMode")).as_deref() {
            Some("critical") => "red".to_string(),
            Some("warning") => "orange".to_string(),
            Some("ok") => "green".to_string(),
            _ => nonempty(get(t, "lineColor"))
                .or_else(|| nonempty(get(t, "fillColor")))
                .unwrap_or_else(|| "red".into()),
        };
        if string(get(t, "op")).as_deref() == Some("lt") {
            // Below the value is coloured: the base takes the colour, the value resets it.
            if let Some(base) = steps.first_mut() {
                base.color = color;
            }
            steps.push(ThresholdStep {
                value: Some(value),
                color: "transparent".into(),
            });
        } else {
            steps.push(ThresholdStep {
                value: Some(value),
                color,
            });
        }
    }
    let style = match (line, fill) {
        (true, true) => "line+area",
        (false, true) => "area",
        _ => "line",
    };
    let steps = super::field_config::normalise_steps(steps);
    Some((
        Thresholds {
            mode: ThresholdsMode::Absolute,
            steps,
        },
        style.to_string(),
    ))
}
