//! A compact, stable text summary of an imported dashboard, for golden tests and debugging.
//!
//! Contract: one line per dashboard, variable, panel and query; nested panels indented under
//! their row; newlines in expressions shown as `\n`. The format only changes deliberately
//! (golden files depend on it).

use std::fmt::Write as _;

use crate::field_config::{FieldDefaults, Thresholds};
use crate::model::{Dashboard, Panel, PanelKind};
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
