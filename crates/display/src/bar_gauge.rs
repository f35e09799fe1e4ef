//! Bar gauge geometry and colours, as Grafana's `BarGauge` component computes them.
//!
//! Contract:
//! - [`value_percent`] is Grafana's `getValuePercent`: `(value − min) / (max − min)`
//!   capped at 1 (not floored at 0), and 0 when that is NaN (e.g. `min == max == value`).
//! - [`threshold_gradient`] is `getBarGradient` for the thresholds colour mode: a CSS
//!   `linear-gradient` (`90deg` horizontal, `0deg` vertical) whose colour changes half-way
//!   between consecutive thresholds the value has reached (offsets in whole pixels along
//!   a bar `size_px` long); percentage thresholds are placed at `value / 100`.
//! - [`scheme_gradient`] is the same for continuous colour schemes: the scheme's colours
//!   spread evenly over the bar.
//! - [`basic_bar_colors`]: the `basic` mode's fill (35 % alpha), edge and empty track.
//! - [`lcd_cells`] is the LCD mode: `floor(size / cell_width)` cells, each coloured by the
//!   colour of the value at the cell's start (`color_at`, normally the thresholds' colour);
//!   cells past the value are unlit at 18 % alpha, lit cells are 95 % alpha fading to 55 %
//!   (Grafana's radial gradient), colours as `tinycolor`'s `toRgbString` writes them.

use crate::colors::{parse_color_in, Rgba, Theme, FALLBACK_COLOR};
use crate::jsnum::{js_round, to_js_string};
use crate::thresholds::{Thresholds, ThresholdsMode};
use crate::tinycolor::TinyColor;

/// Grafana's `getValuePercent`; see module docs.
pub fn value_percent(value: f64, min: f64, max: f64) -> f64 {
    let ratio = (value - min) / (max - min);
    // `Math.min` propagates NaN (then mapped to 0), unlike Rust's `f64::min`.
    if ratio.is_nan() {
        0.0
    } else {
        ratio.min(1.0)
    }
}

fn direction(vertical: bool) -> &'static str {
    if vertical {
        "0deg"
    } else {
        "90deg"
    }
}

/// The CSS background of a gradient bar in the thresholds colour mode; see module docs.
pub fn threshold_gradient(
    thresholds: &Thresholds,
    value: f64,
    min: f64,
    max: f64,
    size_px: f64,
    vertical: bool,
    theme: Theme,
) -> String {
    let mut gradient = String::new();
    let mut last_pos = 0.0;
    for step in &thresholds.steps {
        let color = color_text(&step.color, theme);
        let percent = match thresholds.mode {
            ThresholdsMode::Percentage => step.value / 100.0,
            ThresholdsMode::Absolute => value_percent(step.value, min, max),
        };
        let pos = percent * size_px;
        let offset = js_round(pos - (pos - last_pos) / 2.0);
        let step_value = match thresholds.mode {
            ThresholdsMode::Percentage => min + (max - min) * percent,
            ThresholdsMode::Absolute => step.value,
        };
        if gradient.is_empty() {
            gradient = format!("linear-gradient({}, {color}, {color}", direction(vertical));
        } else if value < step_value {
            break;
        } else {
            last_pos = pos;
            gradient.push_str(&format!(" {}px, {color}", to_js_string(offset)));
        }
    }
    if gradient.is_empty() {
        // No steps: Grafana would print a lone `)`; a plain fallback colour is usable CSS.
        return FALLBACK_COLOR.to_string();
    }
    gradient.push(')');
    gradient
}

/// The CSS background of a gradient bar for a continuous scheme's colours; see module docs.
pub fn scheme_gradient(colors: &[String], size_px: f64, vertical: bool) -> String {
    let Some((first, rest)) = colors.split_first() else {
        return FALLBACK_COLOR.to_string();
    };
    let mut gradient = format!("linear-gradient({}, {first} 0px", direction(vertical));
    let last_index = colors.len().saturating_sub(1).max(1) as f64;
    for (i, color) in rest.iter().enumerate() {
        let pos = (i + 1) as f64 / last_index * size_px;
        gradient.push_str(&format!(", {color} {}px", to_js_string(pos)));
    }
    gradient.push(')');
    gradient
}

/// Colours of a `basic` bar: the fill (the value colour at 35 % alpha), its 2 px edge
/// (the value colour) and the unfilled track (7 % white, or black in the light theme).
pub fn basic_bar_colors(value_color: &str, theme: Theme) -> (String, String, String) {
    let fill = TinyColor::parse(value_color).map_or_else(
        || FALLBACK_COLOR.to_string(),
        |c| c.with_alpha(0.35).to_rgb_string(),
    );
    let track = match theme {
        Theme::Dark => "rgba(255,255,255, 0.07)",
        Theme::Light => "rgba(0,0,0, 0.07)",
    };
    (fill, value_color.to_string(), track.to_string())
}

/// One LCD cell.
#[derive(Debug, Clone, PartialEq)]
pub struct LcdCell {
    /// The value at the cell's start.
    pub value: f64,
    /// Whether the value reaches this cell.
    pub lit: bool,
    /// Cell colour (`rgba(…)`): 95 % alpha when lit, 18 % when not.
    pub background: String,
    /// Outer colour of a lit cell's radial gradient (55 % alpha); `None` when unlit.
    pub shade: Option<String>,
}

/// LCD cells for a bar `size_px` long; see module docs.
pub struct LcdLayout {
    /// Each cell's length in pixels: `floor((size − spacing × count) / count)`.
    pub cell_size: f64,
    /// Cells from `min` upwards.
    pub cells: Vec<LcdCell>,
}

/// The size of an LCD bar and its cells.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LcdGeometry {
    /// Bar length along its orientation.
    pub size_px: f64,
    /// Grafana's `lcdCellWidth` (12 by default).
    pub cell_width_px: f64,
    /// Gap after each cell (Grafana's `itemSpacing`).
    pub spacing_px: f64,
}

/// Grafana's LCD cells over `(min, max)`; `value` `None` or NaN leaves every cell unlit;
/// see module docs.
pub fn lcd_cells(
    value: Option<f64>,
    (min, max): (f64, f64),
    geometry: &LcdGeometry,
    theme: Theme,
    color_at: impl Fn(f64) -> String,
) -> LcdLayout {
    let LcdGeometry {
        size_px,
        cell_width_px,
        spacing_px,
    } = *geometry;
    let count = if cell_width_px > 0.0 && size_px > 0.0 {
        (size_px / cell_width_px).floor().min(10_000.0) as usize
    } else {
        0
    };
    if count == 0 {
        return LcdLayout {
            cell_size: 0.0,
            cells: Vec::new(),
        };
    }
    let n = count as f64;
    let cell_size = ((size_px - spacing_px * n) / n).floor();
    let cells = (0..count)
        .map(|i| {
            let at = min + (max - min) / n * i as f64;
            let color = parse_color_in(&color_at(at), theme);
            let lit = value.is_some_and(|v| !v.is_nan() && at <= v);
            let with_alpha = |a: f64| {
                color.map_or_else(
                    || FALLBACK_COLOR.to_string(),
                    |c| TinyColor::from(c).with_alpha(a).to_rgb_string(),
                )
            };
            LcdCell {
                value: at,
                lit,
                background: with_alpha(if lit { 0.95 } else { 0.18 }),
                shade: lit.then(|| with_alpha(0.55)),
            }
        })
        .collect();
    LcdLayout { cell_size, cells }
}

/// A colour name resolved to CSS text (`#RRGGBB`).
fn color_text(name: &str, theme: Theme) -> String {
    parse_color_in(name, theme).map_or_else(|| FALLBACK_COLOR.to_string(), Rgba::to_hex)
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
    use crate::thresholds::Step;

    fn steps(mode: ThresholdsMode, s: &[(f64, &str)]) -> Thresholds {
        Thresholds {
            mode,
            steps: s
                .iter()
                .map(|(v, c)| Step {
                    value: *v,
                    color: (*c).to_string(),
                })
                .collect(),
        }
    }

    #[test]
    fn value_percent_caps_at_one_and_maps_nan_to_zero() {
        assert_eq!(value_percent(50.0, 0.0, 200.0), 0.25);
        assert_eq!(value_percent(300.0, 0.0, 200.0), 1.0);
        assert_eq!(value_percent(-100.0, 0.0, 200.0), -0.5);
        assert_eq!(value_percent(5.0, 5.0, 5.0), 0.0);
    }

    #[test]
    fn gradient_like_grafanas_unit_test() {
        // Grafana's BarGauge.test.tsx: thresholds green / orange@70 / red@90 on 0..100,
        // bar 300 px: orange starts half-way between 0 and 210 px, red half-way between
        // 210 and 270 px.
        let t = steps(
            ThresholdsMode::Absolute,
            &[
                (f64::NEG_INFINITY, "green"),
                (70.0, "orange"),
                (90.0, "red"),
            ],
        );
        assert_eq!(
            threshold_gradient(&t, 100.0, 0.0, 100.0, 300.0, false, Theme::Dark),
            "linear-gradient(90deg, #73BF69, #73BF69 105px, #FF9830 240px, #F2495C)"
        );
        // A value below a threshold stops the gradient there (Grafana's second case).
        assert_eq!(
            threshold_gradient(&t, 70.0, 0.0, 100.0, 300.0, true, Theme::Dark),
            "linear-gradient(0deg, #73BF69, #73BF69 105px, #FF9830)"
        );
    }

    #[test]
    fn percentage_thresholds_use_the_percent_directly() {
        let t = steps(
            ThresholdsMode::Percentage,
            &[(f64::NEG_INFINITY, "green"), (50.0, "red")],
        );
        // 50 % of 200..400 is 300: the value 350 passes it.
        assert_eq!(
            threshold_gradient(&t, 350.0, 200.0, 400.0, 100.0, false, Theme::Dark),
            "linear-gradient(90deg, #73BF69, #73BF69 25px, #F2495C)"
        );
        assert_eq!(
            threshold_gradient(&t, 250.0, 200.0, 400.0, 100.0, false, Theme::Dark),
            "linear-gradient(90deg, #73BF69, #73BF69)"
        );
    }

    #[test]
    fn scheme_gradient_spreads_colours_evenly() {
        let colors = ["#000000", "#808080", "#FFFFFF"].map(String::from);
        assert_eq!(
            scheme_gradient(&colors, 150.0, false),
            "linear-gradient(90deg, #000000 0px, #808080 75px, #FFFFFF 150px)"
        );
        assert_eq!(scheme_gradient(&[], 150.0, false), FALLBACK_COLOR);
    }

    #[test]
    fn basic_bar_like_grafana() {
        // Grafana's BarGauge test: value colour #FF0000 → bar background 35 % alpha.
        let (fill, edge, track) = basic_bar_colors("#FF0000", Theme::Dark);
        assert_eq!(fill, "rgba(255, 0, 0, 0.35)");
        assert_eq!(edge, "#FF0000");
        assert_eq!(track, "rgba(255,255,255, 0.07)");
    }

    #[test]
    fn lcd_cells_light_up_to_the_value() {
        let t = steps(
            ThresholdsMode::Absolute,
            &[(f64::NEG_INFINITY, "green"), (50.0, "red")],
        );
        let color_at = |v: f64| crate::thresholds::active_color(v, &t, 0.0, 100.0);
        let geometry = LcdGeometry {
            size_px: 120.0,
            cell_width_px: 12.0,
            spacing_px: 2.0,
        };
        let layout = lcd_cells(Some(55.0), (0.0, 100.0), &geometry, Theme::Dark, color_at);
        assert_eq!(layout.cells.len(), 10);
        assert_eq!(layout.cell_size, 10.0);
        let lit: Vec<bool> = layout.cells.iter().map(|c| c.lit).collect();
        assert_eq!(lit.iter().filter(|l| **l).count(), 6, "cells at 0,10,…,50");
        assert_eq!(layout.cells[0].background, "rgba(115, 191, 105, 0.95)");
        assert_eq!(
            layout.cells[0].shade.as_deref(),
            Some("rgba(115, 191, 105, 0.55)")
        );
        assert_eq!(layout.cells[5].background, "rgba(242, 73, 92, 0.95)");
        assert_eq!(layout.cells[6].background, "rgba(242, 73, 92, 0.18)");
        assert_eq!(layout.cells[6].shade, None);
        let none = lcd_cells(None, (0.0, 100.0), &geometry, Theme::Dark, |_| {
            "green".into()
        });
        assert!(none.cells.iter().all(|c| !c.lit));
        let tiny = LcdGeometry {
            size_px: 5.0,
            ..geometry
        };
        assert!(lcd_cells(Some(1.0), (0.0, 1.0), &tiny, Theme::Dark, |_| {
            "green".into()
        })
        .cells
        .is_empty());
    }
}
