//! The gauge panel as SVG: flot-gauge's layout from `signalboard-display::gauge` (a 216°
//! arc open at the bottom), the value arc in the value's colour over the track, the
//! threshold marker ring outside it, value text in the centre and the name below.
//! [`gauge_drawings`] is that drawing as data (ring paths and texts per gauge), which the
//! app's gauge panel turns into DOM and [`gauge_svg`] into SVG text.

use signalboard_dashboard::{GaugeOptions, PanelOptions};
use signalboard_display::display::DisplayValue;
use signalboard_display::gauge::{gauge_angle, gauge_geometry, gauge_threshold_arcs, GaugeInput};
use signalboard_display::repeater::{repeater_cells, RepeaterOptions};
use signalboard_display::stat_layout::approx_width_14px;
use signalboard_display::Theme;

use super::svg::{num, Align, Svg};
use super::{reduce_all, PanelBody};
use crate::field::{display_thresholds, field_range_of};

/// A ring segment between radii `r0 < r1` from angle `a0` to `a1` (canvas angles).
fn ring(cx: f64, cy: f64, r0: f64, r1: f64, a0: f64, a1: f64) -> String {
    let p = |r: f64, a: f64| (cx + r * a.cos(), cy + r * a.sin());
    let large = if a1 - a0 > std::f64::consts::PI { 1 } else { 0 };
    let (o0, o1, i1, i0) = (p(r1, a0), p(r1, a1), p(r0, a1), p(r0, a0));
    format!(
        "M{} {} A{} {} 0 {large} 1 {} {} L{} {} A{} {} 0 {large} 0 {} {} Z",
        num(o0.0),
        num(o0.1),
        num(r1),
        num(r1),
        num(o1.0),
        num(o1.1),
        num(i1.0),
        num(i1.1),
        num(r0),
        num(r0),
        num(i0.0),
        num(i0.1)
    )
}

fn track(theme: Theme) -> &'static str {
    match theme {
        Theme::Dark => "rgba(204,204,220,0.1)",
        Theme::Light => "rgba(36,41,46,0.1)",
    }
}

/// A text of a gauge: centred on `x`, its middle at `y` (body coordinates, CSS px).
#[derive(Debug, Clone, PartialEq)]
pub struct GaugeText {
    pub x: f64,
    pub y: f64,
    pub font_px: f64,
    pub text: String,
    pub color: String,
}

/// One gauge of the panel body; see module docs.
#[derive(Debug, Clone, PartialEq)]
pub struct GaugeDrawing {
    /// Ring segments (SVG path data) with their fill, in drawing order: the track, the
    /// value arc, the threshold markers.
    pub rings: Vec<(String, String)>,
    pub value: GaugeText,
    /// The series' name under the gauge (none for a lone value, Grafana's rule).
    pub title: Option<GaugeText>,
    /// The value as displayed: its number, colour and threshold step.
    pub shown: DisplayValue,
}

/// The gauges of a panel body, one per reduced value in Grafana's repeater grid.
pub fn gauge_drawings(body: &PanelBody) -> Vec<GaugeDrawing> {
    let opts = match &body.panel.options {
        PanelOptions::Gauge(o) => o.clone(),
        _ => GaugeOptions::default(),
    };
    let values = reduce_all(body, &opts.reduce.calcs);
    let cells = repeater_cells(
        values.len(),
        body.width,
        body.height,
        &RepeaterOptions::default(),
    );
    let columns: Vec<&[f64]> = body.series.iter().map(|s| s.vs).collect();
    let mut out = Vec::new();
    for (value, cell) in values.into_iter().zip(&cells) {
        let (min, max) = field_range_of(&value.cfg, &columns);
        let text = value.shown.full_text();
        let title = Some(value.name.as_str()).filter(|n| !n.is_empty());
        let geo = gauge_geometry(&GaugeInput {
            width: cell.width,
            height: cell.height,
            has_title: title.is_some(),
            show_threshold_markers: opts.show_threshold_markers,
            show_threshold_labels: opts.show_threshold_labels,
            value_width_14px: approx_width_14px(&text, 500),
            value_size: None,
            title_size: None,
        });
        let (cx, cy) = (cell.x + geo.cx, cell.y + geo.cy);
        let inner = geo.radius - geo.thickness;
        let mut rings = vec![(
            ring(cx, cy, inner, geo.radius, geo.start_angle, geo.end_angle),
            track(body.theme).to_string(),
        )];
        if value.shown.numeric.is_finite() {
            let a = gauge_angle(value.shown.numeric, min, max);
            if a > geo.start_angle {
                rings.push((
                    ring(cx, cy, inner, geo.radius, geo.start_angle, a),
                    value.shown.color.clone(),
                ));
            }
        }
        if opts.show_threshold_markers && geo.marker_width > 0.0 {
            let thresholds = display_thresholds(&value.cfg);
            for arc in gauge_threshold_arcs(&thresholds, min, max, value.cfg.decimals, body.theme) {
                let (a0, a1) = (
                    gauge_angle(arc.from, min, max),
                    gauge_angle(arc.to, min, max),
                );
                if a1 > a0 {
                    let r0 = geo.radius + 2.0;
                    rings.push((
                        ring(cx, cy, r0, geo.radius + geo.marker_width, a0, a1),
                        arc.color,
                    ));
                }
            }
        }
        let title = title.map(|t| GaugeText {
            x: cx,
            y: cell.y + geo.title_top + geo.title_font_px / 2.0,
            font_px: geo.title_font_px,
            text: t.to_string(),
            color: crate::style::palette(body.theme).text.to_string(),
        });
        out.push(GaugeDrawing {
            rings,
            value: GaugeText {
                x: cx,
                y: cell.y + geo.value_top + geo.value_font_px / 2.0,
                font_px: geo.value_font_px,
                text,
                color: value.shown.color.clone(),
            },
            title,
            shown: value.shown,
        });
    }
    out
}

/// The gauge panel body; see module docs.
pub fn gauge_svg(body: &PanelBody) -> Svg {
    let mut svg = Svg::new();
    for g in gauge_drawings(body) {
        for (d, fill) in &g.rings {
            svg.path(d, fill, "none", 0.0);
        }
        let v = &g.value;
        svg.text(v.x, v.y, &v.text, v.font_px, &v.color, Align::Middle, 500);
        if let Some(t) = &g.title {
            svg.text(t.x, t.y, &t.text, t.font_px, &t.color, Align::Middle, 400);
        }
    }
    svg
}
