//! The stat panel as SVG: Grafana's repeater grid, `BigValueLayout` texts and font sizes,
//! value / background colour modes and the area sparkline.

use signalboard_dashboard::{GraphMode, PanelOptions, StatOptions};
use signalboard_display::big_value::{self, sparkline_colors, stat_background, stat_text_color};
use signalboard_display::repeater::{repeater_cells, Cell, RepeaterOptions};
use signalboard_display::stat_layout::{
    approx_width_14px, stat_layout, LayoutKind, StatInput, TextMode,
};

use super::svg::{num, Align, Svg};
use super::{gradient_stops, reduce_all, PanelBody, Reduced};

/// The stat panel body; see module docs.
pub fn stat_svg(body: &PanelBody) -> Svg {
    let opts = match &body.panel.options {
        PanelOptions::Stat(o) => o.clone(),
        _ => StatOptions::default(),
    };
    let values = reduce_all(body, &opts.reduce.calcs);
    let cells = repeater_cells(
        values.len(),
        body.width,
        body.height,
        &RepeaterOptions::default(),
    );
    let mut svg = Svg::new();
    for (i, (value, cell)) in values.iter().zip(&cells).enumerate() {
        one_stat(&mut svg, body, &opts, value, cell, values.len(), i);
    }
    svg
}

fn one_stat(
    svg: &mut Svg,
    body: &PanelBody,
    opts: &StatOptions,
    value: &Reduced,
    cell: &Cell,
    count: usize,
    index: usize,
) {
    let mode = big_value::StatColorMode::parse(opts.color_mode.as_str());
    let color = value.shown.color.clone();
    if let Some(bg) = stat_background(&color, mode, body.theme) {
        match gradient_stops(&bg) {
            Some((a, b)) => {
                let id = format!("stat-bg-{index}");
                svg.linear_gradient(&id, &[(0.0, a), (1.0, b)], false);
                svg.rect(
                    cell.x,
                    cell.y,
                    cell.width,
                    cell.height,
                    &format!("url(#{id})"),
                    3.0,
                );
            }
            None if bg != "transparent" => {
                svg.rect(cell.x, cell.y, cell.width, cell.height, &bg, 3.0)
            }
            None => {}
        }
    }
    let sparkline = value.series.filter(|s| {
        opts.graph_mode == GraphMode::Area && s.vs.iter().filter(|v| v.is_finite()).count() > 1
    });
    let value_text = value.shown.full_text();
    let layout = stat_layout(
        &StatInput {
            width: cell.width,
            height: cell.height,
            title: Some(value.name.as_str()).filter(|n| !n.is_empty()),
            value_text: &value_text,
            text_mode: TextMode::parse(opts.text_mode.as_str()),
            count,
            has_sparkline: sparkline.is_some(),
            justify_center: opts.justify_mode == "center",
            ..StatInput::default()
        },
        approx_width_14px,
    );
    if let Some(s) = sparkline.filter(|_| layout.chart_height > 0.0) {
        let (line, fill) = sparkline_colors(&color, mode);
        let (x0, y1) = (
            cell.x + cell.width - layout.chart_width,
            cell.y + cell.height,
        );
        let d = sparkline_path(
            s.ts,
            s.vs,
            (x0, y1 - layout.chart_height),
            layout.chart_width,
            layout.chart_height,
        );
        if let Some(d) = d {
            svg.path(
                &format!(
                    "{d} L{} {} L{} {} Z",
                    num(x0 + layout.chart_width),
                    num(y1),
                    num(x0),
                    num(y1)
                ),
                &fill,
                "none",
                0.0,
            );
            svg.path(&d, "none", &line, 1.0);
        }
    }
    let text_color = stat_text_color(&color, mode, body.theme);
    let wide = matches!(
        layout.kind,
        LayoutKind::WideNoChart | LayoutKind::WideWithChart
    );
    let p = layout.padding;
    let title = layout.title.as_deref().filter(|t| !t.is_empty());
    let (value_x, align) = if layout.justify_center || wide {
        (cell.x + cell.width / 2.0, Align::Middle)
    } else {
        (cell.x + p, Align::Start)
    };
    let text_h = layout.value_font_px * 1.2 + title.map_or(0.0, |_| layout.title_font_px * 1.2);
    // Texts sit above the sparkline when they fit there, else over it (centred).
    let free_h = if text_h <= cell.height - layout.chart_height {
        cell.height - layout.chart_height
    } else {
        cell.height
    };
    let top = cell.y + (free_h - text_h).max(0.0) / 2.0;
    let title_color = if mode == big_value::StatColorMode::Value {
        crate::style::palette(body.theme).text.to_string()
    } else {
        text_color.clone()
    };
    if let Some(t) = title {
        svg.text(
            value_x,
            top + layout.title_font_px * 0.6,
            t,
            layout.title_font_px,
            &title_color,
            align,
            400,
        );
    }
    if !layout.text.is_empty() {
        let y =
            top + title.map_or(0.0, |_| layout.title_font_px * 1.2) + layout.value_font_px * 0.6;
        svg.text(
            value_x,
            y,
            &layout.text,
            layout.value_font_px,
            &text_color,
            align,
            500,
        );
    }
}

/// A sparkline path over the box at `origin` (top left).
fn sparkline_path(ts: &[f64], vs: &[f64], origin: (f64, f64), w: f64, h: f64) -> Option<String> {
    let finite: Vec<(f64, f64)> = ts
        .iter()
        .copied()
        .zip(vs.iter().copied())
        .filter(|(_, v)| v.is_finite())
        .collect();
    let (t0, t1) = (finite.first()?.0, finite.last()?.0);
    let (lo, hi) = finite
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (_, v)| {
            (a.min(*v), b.max(*v))
        });
    let span_t = if t1 > t0 { t1 - t0 } else { 1.0 };
    let span_v = if hi > lo { hi - lo } else { 1.0 };
    let mut d = String::new();
    for (i, (t, v)) in finite.iter().enumerate() {
        let x = origin.0 + (t - t0) / span_t * w;
        let y = origin.1 + h - (v - lo) / span_v * h;
        d.push_str(if i == 0 { "M" } else { " L" });
        d.push_str(&format!("{} {}", num(x), num(y)));
    }
    Some(d)
}
