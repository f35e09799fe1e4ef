//! Gauge panel: an arc from min to max (default 0–100, percentunit 0–1) with the threshold
//! bands drawn as an outer ring and the value arc in the active step's colour. SVG, so it
//! scales with the panel and needs no canvas. The name under the value follows Grafana's
//! title rule (`field::value_title`: none for a lone value).

use std::f64::consts::PI;
use std::sync::Arc;

use leptos::prelude::*;
use signalboard_core::dashboard::{FieldDefaults, GaugeOptions, Panel, PanelOptions};

use super::field::{
    color_attr, current_theme, display, effective_config, reduce, to_display_thresholds,
    value_attr, value_title,
};
use super::DataMemo;
use signalboard_core::display::{colors, thresholds};

/// min/max of the gauge scale, Grafana's defaults when unset.
pub fn scale(cfg: &FieldDefaults) -> (f64, f64) {
    let unit_max = if cfg.unit.as_deref() == Some("percentunit") {
        1.0
    } else {
        100.0
    };
    let min = cfg.min.unwrap_or(0.0);
    let max = cfg.max.unwrap_or(unit_max);
    if max > min {
        (min, max)
    } else {
        (min, min + 1.0)
    }
}

fn options(panel: &Panel) -> GaugeOptions {
    match &panel.options {
        PanelOptions::Gauge(o) => o.clone(),
        _ => GaugeOptions::default(),
    }
}

/// SVG arc path from fraction a to b of a 240° gauge centred at (50, 55) with radius r.
fn arc(a: f64, b: f64, r: f64) -> String {
    let start = PI * (210.0 / 180.0);
    let sweep = PI * (240.0 / 180.0);
    let point = |f: f64| {
        let ang = start - sweep * f.clamp(0.0, 1.0);
        (50.0 + r * ang.cos(), 55.0 - r * ang.sin())
    };
    let (x1, y1) = point(a);
    let (x2, y2) = point(b);
    let large = if (b - a) * 240.0 > 180.0 { 1 } else { 0 };
    format!("M {x1:.2} {y1:.2} A {r} {r} 0 {large} 1 {x2:.2} {y2:.2}")
}

#[component]
pub fn GaugeBody(panel: Arc<Panel>, data: DataMemo) -> impl IntoView {
    let opts = options(&panel);
    let calc = opts
        .reduce
        .calcs
        .first()
        .cloned()
        .unwrap_or_else(|| "lastNotNull".into());
    move || {
        let p = panel.clone();
        data.with(|(d, _)| {
            let series: Vec<_> = if d.series.is_empty() {
                vec![None]
            } else {
                d.series.iter().map(Some).collect()
            };
            let count = d.series.len();
            series
                .into_iter()
                .enumerate()
                .map(|(i, s)| {
                    let cfg = s
                        .map(|s| effective_config(&p, s))
                        .unwrap_or_else(|| p.field_config.defaults.clone());
                    let value = s.and_then(|s| reduce(s, &calc));
                    let name = s.and_then(|s| value_title(&p, count, &cfg, s));
                    gauge_svg(value, &cfg, i, name, opts.show_threshold_markers)
                })
                .collect_view()
        })
    }
}

fn gauge_svg(
    value: Option<f64>,
    cfg: &FieldDefaults,
    index: usize,
    name: Option<String>,
    markers: bool,
) -> impl IntoView {
    let (min, max) = scale(cfg);
    let shown = display(value, cfg, index);
    let frac = value.map(|v| (v - min) / (max - min)).unwrap_or(0.0);
    let t = to_display_thresholds(cfg);
    let bands: Vec<(String, String)> = if markers {
        let mut out = Vec::new();
        let steps = &t.steps;
        for (i, s) in steps.iter().enumerate() {
            let lo = if s.value.is_finite() {
                band_fraction(&t, s.value, min, max)
            } else {
                0.0
            };
            let hi = steps
                .get(i + 1)
                .map(|n| band_fraction(&t, n.value, min, max))
                .unwrap_or(1.0);
            if hi > lo {
                out.push((
                    arc(lo, hi, 44.0),
                    colors::resolve_color_in(&s.color, current_theme()),
                ));
            }
        }
        out
    } else {
        Vec::new()
    };
    let idx = shown.threshold_index.map(|i| i.to_string());
    view! {
        <svg class="gauge" viewBox="0 0 100 80" preserveAspectRatio="xMidYMid meet" prop:style="width:100%;height:100%">
            {bands.into_iter().map(|(d, c)| view! { <path d=d stroke=c stroke-width="3" fill="none" /> }).collect_view()}
            <path class="gauge-track" d=arc(0.0, 1.0, 36.0) stroke="#2a2d33" stroke-width="10" fill="none" />
            <path d=arc(0.0, frac.clamp(0.0, 1.0), 36.0) stroke=shown.color.clone() stroke-width="10" fill="none" />
            <text x="50" y="58" text-anchor="middle" font-size="13" fill=shown.color.clone()
                data-value=value_attr(&shown)
                data-color=color_attr(&shown) data-threshold-index=idx>{shown.full_text()}</text>
            {name.map(|name| view! {
                <text class="gauge-name" x="50" y="75" text-anchor="middle" font-size="6" fill="#8e8e9e">{name}</text>
            })}
        </svg>
    }
}

/// Where a threshold value sits on the scale, 0..1 (percentage thresholds are already relative).
fn band_fraction(t: &thresholds::Thresholds, v: f64, min: f64, max: f64) -> f64 {
    let f = match t.mode {
        thresholds::ThresholdsMode::Percentage => v / 100.0,
        thresholds::ThresholdsMode::Absolute => (v - min) / (max - min),
    };
    f.clamp(0.0, 1.0)
}
