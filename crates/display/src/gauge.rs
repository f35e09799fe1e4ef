//! Gauge geometry and threshold arcs, as Grafana's `Gauge` component lays out the
//! `jquery.flot.gauge` plugin it drives.
//!
//! Contract of [`gauge_geometry`] (one gauge in a `width × height` box):
//! - title: shown below the gauge at `min(width · 0.1, 20)` px (`calculateGaugeAutoProps`);
//!   the gauge canvas is `min(height − title height, width)` high, and gauge plus title
//!   are centred vertically in the box;
//! - arc thickness `min(dimension / 5.5, 40)` (÷ 1.5 with threshold labels), threshold
//!   marker ring a fifth of that, value font from [`calculate_font_size`] capped at
//!   1.7 × the thickness, threshold label font `max(value font / 2.5, 12)`;
//! - then flot-gauge's `calculateLayout` / `calculateCellLayout` with Grafana's options
//!   (no outer margin, 5 px cell margin, value margin `max(1, width / 30)`): the arc
//!   radius, centre and value position. The arc runs clockwise from 0.9π to 2.1π
//!   (canvas angles, y down), i.e. a 216° horseshoe open at the bottom.
//!
//! [`gauge_angle`] maps a value to its angle (clamped to the arc); [`gauge_threshold_arcs`]
//! is Grafana's `getFormattedThresholds` turned into coloured arcs from min to max.

use crate::colors::{resolve_color_in, Theme};
use crate::stat_layout::calculate_font_size;
use crate::thresholds::{Step, Thresholds, ThresholdsMode};
use std::f64::consts::PI;

/// Start and end of the gauge arc, in units of π (flot-gauge's defaults).
const START: f64 = 0.9;
const END: f64 = 2.1;
const CELL_MARGIN: f64 = 5.0;

/// What the gauge layout depends on.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct GaugeInput {
    pub width: f64,
    pub height: f64,
    /// A title (series name) is shown under the gauge.
    pub has_title: bool,
    pub show_threshold_markers: bool,
    pub show_threshold_labels: bool,
    /// Width of the value text at 14 px.
    pub value_width_14px: f64,
    /// Explicit `text.valueSize` / `text.titleSize`.
    pub value_size: Option<f64>,
    pub title_size: Option<f64>,
}

/// Where everything of a gauge goes; coordinates relative to the box's top left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GaugeGeometry {
    /// Arc centre.
    pub cx: f64,
    pub cy: f64,
    /// Outer radius of the value arc; the arc is `thickness` thick inwards.
    pub radius: f64,
    pub thickness: f64,
    /// Threshold marker ring outside the arc: from `radius + 2` to `radius + marker_width`
    /// (0 when markers are hidden).
    pub marker_width: f64,
    /// Threshold labels sit at `radius + label_margin + label_font_px / 2` from the centre.
    pub label_margin: f64,
    pub label_font_px: f64,
    pub value_font_px: f64,
    /// Top of the value text (centred on `cx`).
    pub value_top: f64,
    /// Title font and the top of the title line (when there is a title).
    pub title_font_px: f64,
    pub title_top: f64,
    /// Arc angles in radians (canvas convention: clockwise from the positive x axis).
    pub start_angle: f64,
    pub end_angle: f64,
}

/// flot-gauge's `heightRatioV`: the largest `sin` over the arc (its upper part).
fn height_ratio() -> f64 {
    let step = (END - START) / 100.0;
    let mut ratio: f64 = -1.0;
    let mut a = START;
    while a < END {
        ratio = ratio.max((a * PI).sin());
        a += step;
    }
    ratio.max((END * PI).sin())
}

/// The gauge layout; see module docs.
pub fn gauge_geometry(input: &GaugeInput) -> GaugeGeometry {
    let GaugeInput { width, height, .. } = *input;
    let title_font = input
        .title_size
        .unwrap_or_else(|| (width * 0.15 / 1.5).min(20.0));
    let title_h = if input.has_title {
        title_font * 1.5
    } else {
        0.0
    };
    let canvas_h = (height - title_h).min(width);
    let dimension = width.min(canvas_h);
    let reduce = if input.show_threshold_labels {
        1.5
    } else {
        1.0
    };
    let thickness_opt = (dimension / 5.5).min(40.0) / reduce;
    let markers = thickness_opt / 5.0;
    let value_width = width.min(dimension * 1.3) * 0.9
        - ((thickness_opt
            + if input.show_threshold_markers {
                markers
            } else {
                0.0
            }
            + if input.show_threshold_labels {
                10.0
            } else {
                0.0
            })
            * 2.0
            + 10.0);
    let value_font = input.value_size.unwrap_or_else(|| {
        calculate_font_size(
            input.value_width_14px,
            value_width,
            dimension,
            1.0,
            Some(thickness_opt * 1.7),
        )
    });
    let label_font_opt = (value_font / 2.5).max(12.0);

    // flot-gauge calculateLayout (one cell filling the canvas).
    let (cell_w, cell_h) = (width, canvas_h);
    let value_margin = (cell_w / 30.0).max(1.0);
    let marker_w = if input.show_threshold_markers {
        markers
    } else {
        0.0
    };
    let (label_margin, label_font) = if input.show_threshold_labels {
        (markers + 1.0, label_font_opt)
    } else {
        (0.0, 0.0)
    };
    let ratio = height_ratio();
    let max_radius_h = cell_w / 2.0 - CELL_MARGIN - marker_w - label_margin * 2.0 - label_font;
    let mut outer_v = (cell_h - CELL_MARGIN * 2.0) / (1.0 + ratio);
    if outer_v * ratio < value_margin + value_font / 2.0 {
        outer_v = cell_h - CELL_MARGIN * 2.0 - value_margin - value_font / 2.0;
    }
    let max_radius_v = outer_v - label_margin * 2.0 - label_font - marker_w;
    let radius = max_radius_h.min(max_radius_v);
    let thickness = if thickness_opt >= radius {
        (radius / 3.0).max(3.0)
    } else {
        thickness_opt
    };
    let outer = label_margin * 2.0 + label_font + marker_w + radius;
    let outer_h = (outer * (1.0 + ratio)).max(outer + value_margin + value_font / 2.0);
    let blank = cell_h - CELL_MARGIN * 2.0 - outer_h;
    let canvas_top = (height - title_h - canvas_h) / 2.0;
    // Summed in flot's order (then offset into the box) so results match to the last bit.
    let cy = CELL_MARGIN
        + marker_w
        + label_font
        + label_margin * 2.0
        + radius
        + blank / 2.0
        + canvas_top;
    GaugeGeometry {
        cx: cell_w / 2.0,
        cy,
        radius,
        thickness,
        marker_width: marker_w,
        label_margin,
        label_font_px: label_font,
        value_font_px: value_font,
        value_top: cy - value_font / 2.0,
        title_font_px: title_font,
        // Grafana nudges the title 4 px up.
        title_top: canvas_top + canvas_h - 4.0,
        start_angle: START * PI,
        end_angle: END * PI,
    }
}

/// flot-gauge's `calculateAngle`: the value's angle in radians, clamped to the arc.
pub fn gauge_angle(value: f64, min: f64, max: f64) -> f64 {
    let a = START + (END - START) * ((value - min) / (max - min));
    a.clamp(START, END) * PI
}

/// One coloured threshold arc from `from` to `to` (values).
#[derive(Debug, Clone, PartialEq)]
pub struct ThresholdArc {
    pub from: f64,
    pub to: f64,
    /// `#RRGGBB`.
    pub color: String,
}

/// Grafana's step lookup without percentage conversion (`getActiveThreshold`).
fn active_index(value: f64, steps: &[Step]) -> usize {
    let mut active = 0;
    for (i, step) in steps.iter().enumerate() {
        if value >= step.value {
            active = i;
        } else {
            break;
        }
    }
    active
}

/// `+x.toFixed(decimals)` (ties as Rust formats them; gauge limits are rarely ties).
fn fixed(x: f64, decimals: u32) -> f64 {
    format!("{:.*}", decimals.min(100) as usize, x)
        .parse()
        .unwrap_or(x)
}

/// The threshold marker arcs of a gauge over `[min, max]` (`0..100` for percentage
/// thresholds), Grafana's `getFormattedThresholds` with `decimals` (2 when unset).
pub fn gauge_threshold_arcs(
    thresholds: &Thresholds,
    min: f64,
    max: f64,
    decimals: Option<u32>,
    theme: Theme,
) -> Vec<ThresholdArc> {
    let (min, max) = match thresholds.mode {
        ThresholdsMode::Percentage => (0.0, 100.0),
        ThresholdsMode::Absolute => (min, max),
    };
    let steps = &thresholds.steps;
    if steps.is_empty() || min.is_nan() || max.is_nan() {
        return Vec::new();
    }
    let decimals = decimals.unwrap_or(2);
    let first = active_index(min, steps);
    let last = active_index(max, steps);
    let color = |i: usize| {
        steps
            .get(i)
            .map_or_else(String::new, |s| resolve_color_in(&s.color, theme))
    };
    // Formatted stops: (value, colour of the arc ending there).
    let mut stops = vec![(fixed(min, decimals), color(first))];
    for i in first + 1..=last {
        if let Some(step) = steps.get(i) {
            stops.push((step.value, color(i - 1)));
        }
    }
    stops.push((fixed(max, decimals), color(last)));
    // flot sorts the stops and draws each from the previous one.
    stops.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut arcs = Vec::new();
    let mut from = min;
    for (value, color) in stops {
        let to = value.clamp(min.min(max), max.max(min));
        if to != from {
            arcs.push(ThresholdArc { from, to, color });
        }
        from = to;
    }
    arcs
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]
    use super::*;

    #[test]
    fn angles_span_the_horseshoe() {
        assert_eq!(gauge_angle(0.0, 0.0, 100.0), 0.9 * PI);
        assert_eq!(gauge_angle(100.0, 0.0, 100.0), 2.1 * PI);
        assert!((gauge_angle(50.0, 0.0, 100.0) - 1.5 * PI).abs() < 1e-12);
        assert_eq!(gauge_angle(-5.0, 0.0, 100.0), 0.9 * PI);
    }

    #[test]
    fn height_ratio_is_the_arc_ends() {
        assert!((height_ratio() - (0.9 * PI).sin()).abs() < 1e-9);
    }

    #[test]
    fn square_gauge_layout() {
        let g = gauge_geometry(&GaugeInput {
            width: 300.0,
            height: 300.0,
            show_threshold_markers: true,
            value_width_14px: 30.0,
            ..GaugeInput::default()
        });
        // Thickness min(300 / 5.5, 40) = 40, markers 8.
        assert_eq!((g.thickness, g.marker_width), (40.0, 8.0));
        // Horizontal limit: 150 − 5 − 8.
        assert_eq!(g.radius, 137.0);
        assert_eq!(g.cx, 150.0);
        // Value font capped at 1.7 × thickness.
        assert_eq!(g.value_font_px, 68.0);
        assert_eq!(g.value_top, g.cy - 34.0);
        // The drawing fits the canvas vertically.
        let outer = g.radius + g.marker_width;
        assert!(g.cy - outer >= 0.0 && g.cy + outer * (0.9 * PI).sin() <= 300.0);
    }

    #[test]
    fn title_takes_room_below() {
        let g = gauge_geometry(&GaugeInput {
            width: 200.0,
            height: 300.0,
            has_title: true,
            show_threshold_markers: true,
            show_threshold_labels: true,
            value_width_14px: 30.0,
            ..GaugeInput::default()
        });
        assert_eq!(g.title_font_px, 20.0);
        assert!(g.label_font_px >= 12.0);
        assert!(g.label_margin > 0.0);
        assert!(g.title_top > g.cy);
    }

    #[test]
    fn threshold_arcs_like_grafana() {
        let t = Thresholds::from_json_steps(
            ThresholdsMode::Absolute,
            &[(None, "green"), (Some(70.0), "orange"), (Some(90.0), "red")],
        );
        let arcs = gauge_threshold_arcs(&t, 0.0, 100.0, None, Theme::Dark);
        let got: Vec<(f64, f64, &str)> = arcs
            .iter()
            .map(|a| (a.from, a.to, a.color.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (0.0, 70.0, "#73BF69"),
                (70.0, 90.0, "#FF9830"),
                (90.0, 100.0, "#F2495C")
            ]
        );
        // A range above the first steps starts in the active colour.
        let arcs = gauge_threshold_arcs(&t, 75.0, 85.0, None, Theme::Dark);
        assert_eq!(arcs.len(), 1);
        assert_eq!(arcs[0].color, "#FF9830");
        // Percentage thresholds are drawn on 0..100.
        let pct = Thresholds {
            mode: ThresholdsMode::Percentage,
            ..t
        };
        assert_eq!(
            gauge_threshold_arcs(&pct, 5.0, 7.0, None, Theme::Dark).len(),
            3
        );
    }
}
