//! A compact, stable text summary of an imported dashboard, for golden tests and debugging.
//!
//! Contract: one line per dashboard, variable, panel, panel options and query; nested panels
//! indented under their row; newlines in expressions shown as `\n`. The format only changes
//! deliberately (golden files depend on it).

use std::fmt::Write as _;

use crate::field_config::{FieldDefaults, Thresholds};
use crate::model::{Dashboard, Panel, PanelKind};
use crate::options::PanelOptions;
use crate::variables::VariableKind;

/// The summary text of `d`.
pub fn summarize(d: &Dashboard) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "dashboard {:?} uid={:?} time={}..{} refresh={} tooltip={:?}",
        d.title,
        d.uid,
        d.time.from,
        d.time.to,
        d.refresh.as_deref().unwrap_or("off"),
        d.graph_tooltip
    );
    for v in &d.variables {
        let kind = match &v.kind {
            VariableKind::Query { query, .. } => format!("query {query:?}"),
            VariableKind::Interval {
                intervals, auto, ..
            } => format!("interval {intervals:?} auto={auto}"),
            other => format!("{other:?}"),
        };
        let _ = writeln!(
            out,
            "var ${} {kind} multi={} all={} allValue={:?} current={:?} regex={:?}",
            v.name, v.multi, v.include_all, v.all_value, v.current, v.regex
        );
    }
    for p in &d.panels {
        panel_lines(&mut out, p, "");
        for child in &p.panels {
            panel_lines(&mut out, child, "    ");
        }
    }
    out
}

fn kind_name(kind: &PanelKind) -> String {
    match kind {
        PanelKind::Unsupported { grafana_type } => format!("UNSUPPORTED({grafana_type})"),
        other => other.grafana_type().to_string(),
    }
}

fn panel_lines(out: &mut String, p: &Panel, indent: &str) {
    let g = p.grid;
    let _ = write!(
        out,
        "{indent}#{} {} {:?} @{},{} {}x{}",
        p.id,
        kind_name(&p.kind),
        p.title,
        g.x,
        g.y,
        g.w,
        g.h
    );
    if p.kind == PanelKind::Row {
        let _ = write!(
            out,
            " collapsed={} children={}",
            p.collapsed,
            p.panels.len()
        );
    }
    if let Some(r) = &p.repeat {
        let _ = write!(out, " repeat=${}", r.variable);
    }
    field_summary(out, &p.field_config.defaults);
    if !p.field_config.overrides.is_empty() {
        let _ = write!(out, " overrides={}", p.field_config.overrides.len());
    }
    let options = options_text(p);
    if !options.is_empty() {
        let _ = write!(out, "\n{indent}    options: {options}");
    }
    out.push('\n');
    for t in &p.targets {
        let expr = t.expr.replace('\n', "\\n");
        let mode = match (t.instant, t.range) {
            (true, true) => "both",
            (true, false) => "instant",
            _ => "range",
        };
        let _ = writeln!(
            out,
            "{indent}    {} {mode} {} legend={:?}: {expr}",
            t.ref_id,
            t.format.as_str(),
            t.legend_format
        );
    }
}

/// The options and line style that decide how a panel looks, compactly.
fn options_text(p: &Panel) -> String {
    let c = &p.field_config.defaults.custom;
    match &p.options {
        PanelOptions::TimeSeries(o) => {
            let mut text = format!(
                "legend={}/{} calcs=[{}] tooltip={}",
                o.legend.display_mode.as_str(),
                o.legend.placement.as_str(),
                o.legend.calcs.join(","),
                o.tooltip.mode.as_str()
            );
            if let Some(style) = &c.draw_style {
                let _ = write!(text, " draw={}", style.as_str());
            }
            if let Some(fill) = c.fill_opacity {
                let _ = write!(text, " fill={fill}");
            }
            if let Some(stacking) = &c.stacking {
                let _ = write!(text, " stack={}", stacking.as_str());
            }
            text
        }
        PanelOptions::Stat(o) => format!(
            "reduce=[{}] color={} graph={} text={}",
            o.reduce.calcs.join(","),
            o.color_mode.as_str(),
            o.graph_mode.as_str(),
            o.text_mode.as_str()
        ),
        PanelOptions::Gauge(o) => {
            format!(
                "reduce=[{}] markers={} labels={}",
                o.reduce.calcs.join(","),
                o.show_threshold_markers,
                o.show_threshold_labels
            )
        }
        PanelOptions::BarGauge(o) => format!(
            "reduce=[{}] display={} orientation={}",
            o.reduce.calcs.join(","),
            o.display_mode.as_str(),
            o.orientation.as_str()
        ),
        PanelOptions::Table(o) => format!(
            "header={} transformations={}",
            o.show_header,
            p.transformations.len()
        ),
        PanelOptions::Text(o) => format!(
            "mode={} content={} chars",
            o.mode.as_str(),
            o.content.chars().count()
        ),
        PanelOptions::Heatmap(o) => format!(
            "calculate={} scheme={} unit={:?}",
            o.calculate, o.color_scheme, o.y_axis_unit
        ),
        PanelOptions::None | PanelOptions::Raw(_) => String::new(),
    }
}

fn field_summary(out: &mut String, d: &FieldDefaults) {
    if let Some(unit) = &d.unit {
        let _ = write!(out, " unit={unit}");
    }
    if let Some(min) = d.min {
        let _ = write!(out, " min={min}");
    }
    if let Some(max) = d.max {
        let _ = write!(out, " max={max}");
    }
    if let Some(decimals) = d.decimals {
        let _ = write!(out, " decimals={decimals}");
    }
    if let Some(t) = &d.thresholds {
        let _ = write!(out, " thresholds={}", thresholds_text(t));
    }
    if !d.mappings.is_empty() {
        let _ = write!(out, " mappings={}", d.mappings.len());
    }
}

fn thresholds_text(t: &Thresholds) -> String {
    let steps: Vec<String> = t
        .steps
        .iter()
        .map(|s| match s.value {
            Some(v) => format!("{v}:{}", s.color),
            None => format!("base:{}", s.color),
        })
        .collect();
    format!("{}[{}]", t.mode.as_str(), steps.join(","))
}
