//! Grafana panel `options` ↔ `PanelOptions`, per panel kind.
//!
//! Contract: missing or mistyped settings take Grafana's defaults; unsupported panel kinds keep
//! their options verbatim (`Raw`). Writing emits the Grafana keys of each typed field.

use serde_json::Value;

use super::json::{array, boolean, flag, get, nonempty, num, number, string, strings, uint, Obj};
use crate::model::PanelKind;
use crate::options::{
    BarGaugeDisplayMode, BarGaugeOptions, GaugeOptions, GraphMode, HeatmapOptions,
    LegendDisplayMode, LegendOptions, LegendPlacement, Orientation, PanelOptions, ReduceOptions,
    StatColorMode, StatOptions, StatTextMode, TableOptions, TextMode, TextOptions,
    TimeSeriesOptions, TooltipMode, TooltipOptions, BAR_GAUGE_MAX_VIZ_HEIGHT,
    BAR_GAUGE_MIN_VIZ_HEIGHT, BAR_GAUGE_MIN_VIZ_WIDTH,
};

fn str_or(v: Option<&Value>, default: &str) -> String {
    nonempty(v).unwrap_or_else(|| default.to_string())
}

pub(crate) fn read(kind: &PanelKind, v: Option<&Value>) -> PanelOptions {
    let empty = Value::Object(Default::default());
    let o = v.unwrap_or(&empty);
    match kind {
        PanelKind::TimeSeries => PanelOptions::TimeSeries(read_timeseries(o)),
        PanelKind::Stat => PanelOptions::Stat(StatOptions {
            reduce: read_reduce(get(o, "reduceOptions")),
            color_mode: StatColorMode::parse(&str_or(get(o, "colorMode"), "value")),
            graph_mode: GraphMode::parse(&str_or(get(o, "graphMode"), "area")),
            text_mode: StatTextMode::parse(&str_or(get(o, "textMode"), "auto")),
            orientation: Orientation::parse(&str_or(get(o, "orientation"), "auto")),
            justify_mode: str_or(get(o, "justifyMode"), "auto"),
            show_percent_change: flag(get(o, "showPercentChange")),
        }),
        PanelKind::Gauge => PanelOptions::Gauge(GaugeOptions {
            reduce: read_reduce(get(o, "reduceOptions")),
            orientation: Orientation::parse(&str_or(get(o, "orientation"), "auto")),
            show_threshold_markers: boolean(get(o, "showThresholdMarkers")).unwrap_or(true),
            show_threshold_labels: flag(get(o, "showThresholdLabels")),
        }),
        PanelKind::BarGauge => PanelOptions::BarGauge(BarGaugeOptions {
            reduce: read_reduce(get(o, "reduceOptions")),
            display_mode: BarGaugeDisplayMode::parse(&str_or(get(o, "displayMode"), "gradient")),
            orientation: Orientation::parse(&str_or(get(o, "orientation"), "auto")),
            show_unfilled: boolean(get(o, "showUnfilled")).unwrap_or(true),
            value_mode: str_or(get(o, "valueMode"), "color"),
            name_placement: str_or(get(o, "namePlacement"), "auto"),
            manual_sizing: string(get(o, "sizing")).as_deref() == Some("manual"),
            min_viz_width: num(get(o, "minVizWidth")).unwrap_or(BAR_GAUGE_MIN_VIZ_WIDTH),
            min_viz_height: num(get(o, "minVizHeight")).unwrap_or(BAR_GAUGE_MIN_VIZ_HEIGHT),
            max_viz_height: num(get(o, "maxVizHeight")).unwrap_or(BAR_GAUGE_MAX_VIZ_HEIGHT),
        }),
        PanelKind::Table => PanelOptions::Table(read_table(o)),
        PanelKind::Text => PanelOptions::Text(TextOptions {
            mode: TextMode::parse(&str_or(get(o, "mode"), "markdown")),
            content: string(get(o, "content")).unwrap_or_default(),
        }),
        PanelKind::Heatmap => PanelOptions::Heatmap(read_heatmap(o)),
        PanelKind::Row => PanelOptions::None,
        PanelKind::AlertList | PanelKind::Unsupported { .. } => PanelOptions::Raw(o.clone()),
    }
}

/// Heatmaps saved before Grafana 9 keep their settings on the panel (`dataFormat`, `color`,
/// `yAxis`, `cards`) instead of `options`.
pub(crate) fn read_legacy_heatmap(p: &Value) -> Option<HeatmapOptions> {
    let format = nonempty(get(p, "dataFormat"))?;
    let color = get(p, "color");
    let c = |key: &str| color.and_then(|c| get(c, key));
    let d = HeatmapOptions::default();
    let scheme =
        nonempty(c("colorScheme")).map(|s| s.trim_start_matches("interpolate").to_string());
    Some(HeatmapOptions {
        calculate: format != "tsbuckets",
        color_mode: match string(c("mode")).as_deref() {
            Some("opacity") => "opacity".to_string(),
            _ => d.color_mode,
        },
        color_scheme: scheme.unwrap_or(d.color_scheme),
        color_scale: if string(c("colorScale")).as_deref() == Some("linear") {
            "linear".into()
        } else {
            d.color_scale
        },
        color_exponent: num(c("exponent")),
        y_axis_unit: get(p, "yAxis").and_then(|y| nonempty(get(y, "format"))),
        cell_gap: get(p, "cards").and_then(|c| num(get(c, "cardPadding"))),
        show_value: d.show_value,
    })
}

pub(crate) fn read_reduce(v: Option<&Value>) -> ReduceOptions {
    let Some(v) = v else {
        return ReduceOptions::default();
    };
    let calcs = strings(get(v, "calcs"));
    ReduceOptions {
        calcs: if calcs.is_empty() {
            vec!["lastNotNull".to_string()]
        } else {
            calcs
        },
        fields: string(get(v, "fields")).unwrap_or_default(),
        values: flag(get(v, "values")),
        limit: uint(get(v, "limit")),
    }
}

fn read_timeseries(o: &Value) -> TimeSeriesOptions {
    let legend = get(o, "legend");
    let tooltip = get(o, "tooltip");
    let l = |key: &str| legend.and_then(|l| get(l, key));
    let display_mode = LegendDisplayMode::parse(&str_or(l("displayMode"), "list"));
    TimeSeriesOptions {
        legend: LegendOptions {
            show: boolean(l("showLegend")).unwrap_or(display_mode != LegendDisplayMode::Hidden),
            display_mode,
            placement: LegendPlacement::parse(&str_or(l("placement"), "bottom")),
            calcs: strings(l("calcs")),
            sort_by: nonempty(l("sortBy")),
            sort_desc: flag(l("sortDesc")),
        },
        tooltip: TooltipOptions {
            mode: TooltipMode::parse(&str_or(tooltip.and_then(|t| get(t, "mode")), "single")),
            sort: str_or(tooltip.and_then(|t| get(t, "sort")), "none"),
        },
    }
}

fn read_table(o: &Value) -> TableOptions {
    let footer = get(o, "footer");
    TableOptions {
        show_header: boolean(get(o, "showHeader")).unwrap_or(true),
        cell_height: nonempty(get(o, "cellHeight")),
        footer_show: flag(footer.and_then(|f| get(f, "show"))),
        footer_reducers: strings(footer.and_then(|f| get(f, "reducer"))),
        // Grafana's `fields: ""` (older JSON) means every numeric field, as `[]` does.
        footer_fields: strings(footer.and_then(|f| get(f, "fields")))
            .into_iter()
            .filter(|f| !f.is_empty())
            .collect(),
        footer_count_rows: flag(footer.and_then(|f| get(f, "countRows"))),
        sort_by: array(o.get("sortBy"))
            .iter()
            .filter_map(|s| Some((nonempty(get(s, "displayName"))?, flag(get(s, "desc")))))
            .collect(),
    }
}

fn read_heatmap(o: &Value) -> HeatmapOptions {
    let color = get(o, "color");
    let c = |key: &str| color.and_then(|c| get(c, key));
    let d = HeatmapOptions::default();
    HeatmapOptions {
        calculate: flag(get(o, "calculate")),
        color_mode: nonempty(c("mode")).unwrap_or(d.color_mode),
        color_scheme: nonempty(c("scheme")).unwrap_or(d.color_scheme),
        color_scale: nonempty(c("scale")).unwrap_or(d.color_scale),
        color_exponent: num(c("exponent")),
        y_axis_unit: get(o, "yAxis").and_then(|y| nonempty(get(y, "unit"))),
        cell_gap: num(get(o, "cellGap")),
        show_value: nonempty(get(o, "showValue")).unwrap_or(d.show_value),
    }
}

pub(crate) fn write(options: &PanelOptions) -> Value {
    match options {
        PanelOptions::None => Obj::new().build(),
        PanelOptions::TimeSeries(t) => write_timeseries(t),
        PanelOptions::Stat(s) => Obj::new()
            .set("reduceOptions", write_reduce(&s.reduce))
            .set("colorMode", s.color_mode.as_str())
            .set("graphMode", s.graph_mode.as_str())
            .set("textMode", s.text_mode.as_str())
            .set("orientation", s.orientation.as_str())
            .set("justifyMode", s.justify_mode.as_str())
            .set("showPercentChange", s.show_percent_change)
            .build(),
        PanelOptions::Gauge(g) => Obj::new()
            .set("reduceOptions", write_reduce(&g.reduce))
            .set("orientation", g.orientation.as_str())
            .set("showThresholdMarkers", g.show_threshold_markers)
            .set("showThresholdLabels", g.show_threshold_labels)
            .build(),
        PanelOptions::BarGauge(b) => Obj::new()
            .set("reduceOptions", write_reduce(&b.reduce))
            .set("displayMode", b.display_mode.as_str())
            .set("orientation", b.orientation.as_str())
            .set("showUnfilled", b.show_unfilled)
            .set("valueMode", b.value_mode.as_str())
            .set("namePlacement", b.name_placement.as_str())
            .set("sizing", if b.manual_sizing { "manual" } else { "auto" })
            .set("minVizWidth", number(b.min_viz_width))
            .set("minVizHeight", number(b.min_viz_height))
            .set("maxVizHeight", number(b.max_viz_height))
            .build(),
        PanelOptions::Table(t) => write_table(t),
        PanelOptions::Text(t) => Obj::new()
            .set("mode", t.mode.as_str())
            .set("content", t.content.as_str())
            .build(),
        PanelOptions::Heatmap(h) => write_heatmap(h),
        PanelOptions::Raw(raw) => raw.clone(),
    }
}

fn write_reduce(r: &ReduceOptions) -> Value {
    Obj::new()
        .set("calcs", r.calcs.clone())
        .set("fields", r.fields.as_str())
        .set("values", r.values)
        .opt("limit", r.limit)
        .build()
}

fn write_timeseries(t: &TimeSeriesOptions) -> Value {
    let legend = Obj::new()
        .set("showLegend", t.legend.show)
        .set("displayMode", t.legend.display_mode.as_str())
        .set("placement", t.legend.placement.as_str())
        .set("calcs", t.legend.calcs.clone())
        .opt("sortBy", t.legend.sort_by.as_deref())
        .set("sortDesc", t.legend.sort_desc)
        .build();
    let tooltip = Obj::new()
        .set("mode", t.tooltip.mode.as_str())
        .set("sort", t.tooltip.sort.as_str())
        .build();
    Obj::new()
        .set("legend", legend)
        .set("tooltip", tooltip)
        .build()
}

fn write_table(t: &TableOptions) -> Value {
    let sort_by: Vec<Value> = t
        .sort_by
        .iter()
        .map(|(name, desc)| {
            Obj::new()
                .set("displayName", name.as_str())
                .set("desc", *desc)
                .build()
        })
        .collect();
    let footer = Obj::new()
        .set("show", t.footer_show)
        .set("reducer", t.footer_reducers.clone())
        .opt(
            "fields",
            (!t.footer_fields.is_empty()).then(|| t.footer_fields.clone()),
        )
        .opt("countRows", t.footer_count_rows.then_some(true))
        .build();
    Obj::new()
        .set("showHeader", t.show_header)
        .opt("cellHeight", t.cell_height.as_deref())
        .set("footer", footer)
        .set("sortBy", sort_by)
        .build()
}

fn write_heatmap(h: &HeatmapOptions) -> Value {
    let color = Obj::new()
        .set("mode", h.color_mode.as_str())
        .set("scheme", h.color_scheme.as_str())
        .set("scale", h.color_scale.as_str())
        .opt("exponent", h.color_exponent.map(super::json::number))
        .build();
    Obj::new()
        .set("calculate", h.calculate)
        .set("color", color)
        .opt(
            "yAxis",
            h.y_axis_unit
                .as_deref()
                .map(|u| Obj::new().set("unit", u).build()),
        )
        .opt("cellGap", h.cell_gap.map(super::json::number))
        .set("showValue", h.show_value.as_str())
        .build()
}
