//! The heatmap panel for Prometheus histogram buckets (`format: heatmap`), drawn on any
//! plotters backend, as Grafana draws bucketed data: one row per bucket (equal heights,
//! labelled by upper bound on the left), cumulative `le` series turned into per-bucket
//! counts, each cell coloured from the panel's scheme over the data's range (exponential
//! scale by default) and ending at its timestamp; local-time ticks on the x axis.

use std::collections::HashMap;

use plotters::coord::Shift;
use plotters::drawing::DrawingArea;
use plotters::prelude::DrawingBackend;
use signalboard_dashboard::{Panel, PanelOptions};
use signalboard_display::color_scale::{palette, Scale};
use signalboard_display::heatmap::{
    heatmap_cells, heatmap_row_labels, histogram_over_time, parse_le, HeatmapRows,
    DEFAULT_HIDE_AT_OR_BELOW,
};
use signalboard_display::ticks::time_ticks;
use signalboard_display::Theme;

use crate::error::RenderError;
use crate::paint::{text_width, Anchor, Painter, Surface};
use crate::series::SeriesRef;
use crate::style::{palette as theme_palette, rgba, AXIS_FONT_PX, AXIS_GAP, TICK_SIZE};

const PALETTE_STEPS: usize = 64;
/// The x axis' height: ticks, gap and labels, as the time series'.
const X_LABELS: f64 = TICK_SIZE + AXIS_GAP + AXIS_FONT_PX;
const TOP: f64 = 4.0;

/// What a heatmap draw produced (for automation attributes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HeatmapDrawn {
    pub rows: usize,
    pub cells: usize,
}

/// Bucket series aligned on the first bucket's timestamps: (timestamps, rows).
pub fn rows_of(series: &[SeriesRef]) -> Option<(Vec<f64>, HeatmapRows)> {
    let mut buckets: Vec<(f64, &SeriesRef)> = series
        .iter()
        .filter_map(|s| {
            let le = s.labels.iter().find(|(k, _)| k == "le")?;
            Some((parse_le(&le.1)?, s))
        })
        .collect();
    buckets.sort_by(|a, b| a.0.total_cmp(&b.0));
    let ts: Vec<f64> = buckets.first()?.1.ts.to_vec();
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

/// The time range and look of one heatmap draw.
#[derive(Debug, Clone, Copy)]
pub struct HeatmapSpec {
    pub start_ms: f64,
    pub end_ms: f64,
    pub theme: Theme,
    pub utc_offset_minutes: i32,
    pub background: bool,
}

/// Draws `panel`'s heatmap of `series` on `area`; see module docs.
pub fn draw_heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    surface: Surface,
    panel: &Panel,
    series: &[SeriesRef],
    spec: &HeatmapSpec,
) -> Result<HeatmapDrawn, RenderError> {
    let painter = Painter::new(area, surface);
    let colors = theme_palette(spec.theme);
    if spec.background {
        painter.rect(
            (0.0, 0.0),
            (surface.width, surface.height),
            rgba(colors.background, spec.theme, 1.0),
        )?;
    }
    let Some((ts, rows)) = rows_of(series) else {
        return Ok(HeatmapDrawn::default());
    };
    let (scheme, scale) = scheme(panel);
    let cell_colors = palette(&scheme, PALETTE_STEPS, false, spec.theme);
    let cells = heatmap_cells(
        &rows,
        &ts,
        scale,
        cell_colors.len(),
        DEFAULT_HIDE_AT_OR_BELOW,
    );
    let unit = panel.field_config.defaults.unit.clone().unwrap_or_default();
    let (_, labels) = heatmap_row_labels(&rows.bounds, &unit, panel.field_config.defaults.decimals);
    let left = labels
        .iter()
        .map(|l| text_width(l, AXIS_FONT_PX))
        .fold(0.0, f64::max)
        .ceil()
        + TICK_SIZE
        + AXIS_GAP;
    let (plot_w, plot_h) = (
        (surface.width - left - 8.0).max(1.0),
        (surface.height - TOP - X_LABELS).max(1.0),
    );
    let (t0, t1) = (spec.start_ms, spec.end_ms.max(spec.start_ms + 1.0));
    let x = |t: f64| left + (t - t0) / (t1 - t0) * plot_w;
    let row_h = plot_h / rows.bounds.len().max(1) as f64;
    let row_top = |row: usize| TOP + plot_h - (row as f64 + 1.0) * row_h;
    for c in &cells {
        let Some(color) = cell_colors.get(c.palette_index) else {
            continue;
        };
        let (x0, x1) = (x(c.x_min_ms).max(left), x(c.x_max_ms).min(left + plot_w));
        if x1 <= x0 {
            continue;
        }
        let y = row_top(c.row);
        let gap = if x1 - x0 > 2.0 { 1.0 } else { 0.0 };
        painter.rect(
            (x0, y + 0.5),
            (x1 - gap, y + (row_h - 1.0).max(1.0)),
            rgba(color, spec.theme, 1.0),
        )?;
    }
    let text = rgba(colors.axis_text, spec.theme, 1.0);
    // Tick marks as the time series' (one device pixel, grid colour, outside the plot).
    let (grid, hairline) = (
        rgba(colors.grid, spec.theme, 1.0),
        1.0 / painter.device(1.0),
    );
    // Every row's label when they fit, else every k-th.
    let every = ((14.0 / row_h).ceil() as usize).max(1);
    for (i, label) in labels.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let y = row_top(i) + row_h / 2.0;
        painter.line((left - TICK_SIZE, y), (left, y), grid, hairline)?;
        painter.text(
            label,
            (left - TICK_SIZE - AXIS_GAP, y),
            AXIS_FONT_PX,
            text,
            Anchor::RightMiddle,
        )?;
    }
    let ticks = time_ticks(t0, t1, plot_w, 60.0, spec.utc_offset_minutes).ticks;
    let bottom = TOP + plot_h;
    for tick in &ticks {
        let tx = x(tick.ms);
        painter.line((tx, bottom), (tx, bottom + TICK_SIZE), grid, hairline)?;
        let at = (tx, bottom + TICK_SIZE + AXIS_GAP);
        if at.0 + text_width(&tick.label, AXIS_FONT_PX) / 2.0 > surface.width {
            continue;
        }
        painter.text(&tick.label, at, AXIS_FONT_PX, text, Anchor::CenterTop)?;
    }
    Ok(HeatmapDrawn {
        rows: rows.bounds.len(),
        cells: cells.len(),
    })
}
