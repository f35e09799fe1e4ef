//! Heatmap panel for Prometheus histogram buckets (`format: heatmap`), as Grafana draws them:
//! one row per bucket (equal heights, labelled by upper bound), cumulative `le` series turned
//! into per-bucket counts, each cell coloured from the panel's scheme over the data's range
//! (exponential scale by default). Drawn on one canvas; cells carry no DOM.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use signalboard_core::dashboard::{Panel, PanelOptions};
use signalboard_core::display::color_scale::{palette, Scale};
use signalboard_core::display::heatmap::{
    heatmap_cells, heatmap_row_labels, histogram_over_time, parse_le, HeatmapRows,
    DEFAULT_HIDE_AT_OR_BELOW,
};
use web_sys::HtmlCanvasElement;

use super::field::current_theme;
use super::timeseries::{context, fit};
use super::DataMemo;
use crate::query::PanelData;

const PALETTE_STEPS: usize = 64;
const LEFT: f64 = 56.0;
const BOTTOM: f64 = 18.0;

/// Bucket series aligned on the first series' timestamps: (timestamps, rows).
fn rows_of(data: &PanelData) -> Option<(Vec<f64>, HeatmapRows)> {
    let mut buckets: Vec<(f64, &crate::query::SeriesData)> = data
        .series
        .iter()
        .filter_map(|s| {
            let le = s.labels.iter().find(|(k, _)| k == "le")?;
            Some((parse_le(&le.1)?, s))
        })
        .collect();
    buckets.sort_by(|a, b| a.0.total_cmp(&b.0));
    let ts: Vec<f64> = buckets.first()?.1.ts.clone();
    let aligned = buckets
        .iter()
        .map(|(le, s)| {
            let by_t: HashMap<i64, f64> =
                s.ts.iter()
                    .map(|t| *t as i64)
                    .zip(s.vs.iter().copied())
                    .collect();
            (
                *le,
                ts.iter()
                    .map(|t| by_t.get(&(*t as i64)).copied().unwrap_or(f64::NAN))
                    .collect(),
            )
        })
        .collect();
    Some((ts, histogram_over_time(aligned)))
}

fn scheme(panel: &Panel) -> (String, Scale) {
    match &panel.options {
        PanelOptions::Heatmap(o) => {
            let scale = if o.color_scale == "linear" {
                Scale::Linear
            } else {
                Scale::Exponential(o.color_exponent.unwrap_or(0.5))
            };
            (o.color_scheme.clone(), scale)
        }
        _ => ("Oranges".into(), Scale::Exponential(0.5)),
    }
}

fn draw(canvas: &HtmlCanvasElement, panel: &Panel, data: &PanelData) -> usize {
    let Some(ctx) = context(canvas) else { return 0 };
    let (w, h) = fit(canvas, &ctx);
    ctx.clear_rect(0.0, 0.0, w, h);
    let Some((ts, rows)) = rows_of(data) else {
        return 0;
    };
    let (scheme, scale) = scheme(panel);
    let colors = palette(&scheme, PALETTE_STEPS, false, current_theme());
    let cells = heatmap_cells(&rows, &ts, scale, colors.len(), DEFAULT_HIDE_AT_OR_BELOW);
    let (plot_w, plot_h) = ((w - LEFT).max(1.0), (h - BOTTOM).max(1.0));
    let (t0, t1) = (
        data.start_ms as f64,
        (data.end_ms as f64).max(data.start_ms as f64 + 1.0),
    );
    let x = |t: f64| LEFT + (t - t0) / (t1 - t0) * plot_w;
    let n_rows = rows.bounds.len().max(1) as f64;
    let row_h = plot_h / n_rows;
    for c in &cells {
        let Some(color) = colors.get(c.palette_index) else {
            continue;
        };
        ctx.set_fill_style_str(color);
        let (x0, x1) = (x(c.x_min_ms).max(LEFT), x(c.x_max_ms).min(w));
        let y = plot_h - (c.row as f64 + 1.0) * row_h;
        ctx.fill_rect(
            x0,
            y + 0.5,
            (x1 - x0 - 1.0).max(1.0),
            (row_h - 1.0).max(1.0),
        );
    }
    let unit = panel.field_config.defaults.unit.clone().unwrap_or_default();
    let (_, labels) = heatmap_row_labels(&rows.bounds, &unit, panel.field_config.defaults.decimals);
    ctx.set_fill_style_str("#ccccdc");
    ctx.set_font("11px sans-serif");
    // Every row's label when they fit, else every k-th.
    let every = ((14.0 / row_h).ceil() as usize).max(1);
    for (i, label) in labels.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let y = plot_h - i as f64 * row_h - row_h / 2.0 + 4.0;
        let _ = ctx.fill_text(label, 2.0, y);
    }
    cells.len()
}

#[component]
pub fn HeatmapBody(panel: Arc<Panel>, data: DataMemo) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let drawn = RwSignal::new(0usize);
    let rows = move || data.with(|(d, _)| rows_of(d).map_or(0, |(_, r)| r.bounds.len()));
    Effect::new(move |_| {
        let (d, _) = data.get();
        if let Some(c) = canvas.get() {
            drawn.set(draw(&c, &panel, &d));
        }
    });
    view! {
        <div class="heatmap" data-heatmap-rows=move || rows().to_string()
            data-heatmap-cells=move || drawn.get().to_string()>
            <canvas class="chart" node_ref=canvas></canvas>
        </div>
    }
}
