//! Time series area fills and scheme gradients, as Grafana's uPlot config builds them
//! (`gradientFills.ts`, `SeriesBuilder.getFill`).
//!
//! Contract:
//! - [`series_fill`] for `fillOpacity` (0–100) and `gradientMode`:
//!   `none` → the line colour at that alpha; `opacity` → a vertical gradient from that
//!   alpha at the top of the plot to transparent at the bottom; `hue` → a vertical
//!   gradient between two hue-shifted variants (`saturate(20).spin(20).brighten(10)
//!   .lighten(10)` at the top; `spin(−25).darken(5)`, darkened 10 more in the dark theme,
//!   at the bottom), both at that alpha. Opacity 0 → no fill. `scheme` needs values, see
//!   [`scale_gradient`]; [`series_fill`] answers it like `opacity`.
//! - [`scale_gradient`] is Grafana's `scaleGradient`: colour stops at values (threshold
//!   steps, or scheme colours spread over the range) become a vertical gradient in
//!   pixels for the visible `[scale_min, scale_max]`; a single visible stop is a solid
//!   colour; `discrete` (thresholds) repeats the previous colour at each stop so colours
//!   change sharply.
//!   [`threshold_value_stops`] / [`scheme_value_stops`] build its input like
//!   `getScaleGradientFn`.
//! - [`alpha`] is Grafana's `colorManipulator.alpha` for the colour texts it is given.

use crate::colors::{resolve_color_in, Theme};
use crate::jsnum::{js_round, to_js_string};
use crate::thresholds::{Thresholds, ThresholdsMode};
use crate::tinycolor::TinyColor;

/// Grafana's `gradientMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GradientMode {
    #[default]
    None,
    Opacity,
    Hue,
    Scheme,
}

impl GradientMode {
    /// Parses Grafana's option text (`none`, `opacity`, `hue`, `scheme`).
    pub fn parse(text: &str) -> Self {
        match text {
            "opacity" => Self::Opacity,
            "hue" => Self::Hue,
            "scheme" => Self::Scheme,
            _ => Self::None,
        }
    }
}

/// A gradient colour stop; `offset` 0 is the top (or first pixel), 1 the bottom.
#[derive(Debug, Clone, PartialEq)]
pub struct ColorStop {
    pub offset: f64,
    pub color: String,
}

/// How to fill under a series.
#[derive(Debug, Clone, PartialEq)]
pub enum SeriesFill {
    None,
    Solid(String),
    /// From the top of the plot (offset 0) to its bottom (offset 1).
    Vertical(Vec<ColorStop>),
}

/// Grafana's `colorManipulator.alpha` (hex gets an alpha byte, `rgb(`/`rgba(` an alpha
/// component); other texts are resolved to hex first.
pub fn alpha(color: &str, value: f64) -> String {
    let value = if value.is_nan() {
        0.0
    } else {
        value.clamp(0.0, 1.0)
    };
    let color = if color.starts_with('#') || color.starts_with("rgb") {
        color.to_string()
    } else {
        resolve_color_in(color, Theme::Dark)
    };
    if let Some(hex) = color.strip_prefix('#') {
        let six = match hex.len() {
            3 | 4 => hex.chars().take(3).flat_map(|c| [c, c]).collect(),
            _ => hex.chars().take(6).collect::<String>(),
        };
        let byte = js_round(value * 255.0) as u8;
        return format!("#{six}{byte:02x}");
    }
    if color.starts_with("rgba(") {
        let cut = color.rfind(',').unwrap_or(color.len());
        return format!(
            "{}, {})",
            color.get(..cut).unwrap_or(""),
            to_js_string(value)
        );
    }
    color.replacen(')', &format!(", {})", to_js_string(value)), 1)
}

/// The fill under a series of colour `line_color`; see module docs.
pub fn series_fill(
    line_color: &str,
    fill_opacity: f64,
    mode: GradientMode,
    theme: Theme,
) -> SeriesFill {
    let opacity = fill_opacity / 100.0;
    if opacity.is_nan() || opacity <= 0.0 {
        return SeriesFill::None;
    }
    let color = resolve_color_in(line_color, theme);
    let stops = |top: String, bottom: String| {
        SeriesFill::Vertical(vec![
            ColorStop {
                offset: 0.0,
                color: top,
            },
            ColorStop {
                offset: 1.0,
                color: bottom,
            },
        ])
    };
    match mode {
        GradientMode::None => SeriesFill::Solid(alpha(&color, opacity)),
        GradientMode::Opacity | GradientMode::Scheme => {
            stops(alpha(&color, opacity), alpha(&color, 0.0))
        }
        GradientMode::Hue => {
            let Some(base) = TinyColor::parse(&color) else {
                return SeriesFill::Solid(alpha(&color, opacity));
            };
            let low = base.spin(-25.0).darken(5.0);
            let high = base.saturate(20.0).spin(20.0).brighten(10.0).lighten(10.0);
            let low = match theme {
                Theme::Dark => low.darken(10.0),
                Theme::Light => low,
            };
            stops(css(high.with_alpha(opacity)), css(low.with_alpha(opacity)))
        }
    }
}

/// tinycolor's `toString()` for a colour parsed from hex.
fn css(c: TinyColor) -> String {
    if c.a < 1.0 {
        c.to_rgb_string()
    } else {
        c.to_hex_string()
    }
}

/// The value stops of Grafana's `getScaleGradientFn` for the thresholds colour mode:
/// each step's colour at `opacity` (`transparent` and, as in Grafana, any hex ending in
/// `00` become `#0000`), at the step's
/// value, or for percentage thresholds at that percent of `range` (the hard/soft limits
/// or the data range). Pass them to [`scale_gradient`] with `discrete = true`.
pub fn threshold_value_stops(
    thresholds: &Thresholds,
    opacity: f64,
    range: (f64, f64),
    theme: Theme,
) -> Vec<(f64, String)> {
    let (min, max) = range;
    thresholds
        .steps
        .iter()
        .map(|step| {
            // Grafana's `isStepTransparent`: any `#…00` counts (so `#FF0000` too, as there).
            let transparent = step.color == "transparent"
                || (step.color.starts_with('#') && step.color.ends_with("00"));
            let color = if transparent {
                "#0000".to_string()
            } else {
                alpha(&resolve_color_in(&step.color, theme), opacity)
            };
            let value = match thresholds.mode {
                ThresholdsMode::Absolute => step.value,
                ThresholdsMode::Percentage => min + (max - min) * (step.value / 100.0),
            };
            (value, color)
        })
        .collect()
}

/// The value stops for a continuous scheme's colours spread evenly over `range`; pass
/// them to [`scale_gradient`] with `discrete = false`.
pub fn scheme_value_stops(
    colors: &[String],
    opacity: f64,
    range: (f64, f64),
) -> Vec<(f64, String)> {
    let (min, max) = range;
    let last = colors.len().saturating_sub(1) as f64;
    colors
        .iter()
        .enumerate()
        .map(|(i, c)| (min + (max - min) * (i as f64 / last), alpha(c, opacity)))
        .collect()
}

/// A gradient over a value scale, or one colour.
#[derive(Debug, Clone, PartialEq)]
pub enum ScaleFill {
    Solid(String),
    /// Stops between pixel `from_px` (offset 0) and `to_px` (offset 1), vertical.
    Gradient {
        from_px: f64,
        to_px: f64,
        stops: Vec<ColorStop>,
    },
}

/// Grafana's `scaleGradient`; `value_to_px` maps a value to its canvas y; see module docs.
/// `None` when there are no stops.
pub fn scale_gradient(
    value_stops: &[(f64, String)],
    scale_min: f64,
    scale_max: f64,
    value_to_px: impl Fn(f64) -> f64,
    discrete: bool,
) -> Option<ScaleFill> {
    let mut sorted: Vec<&(f64, String)> = value_stops.iter().collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut min_idx: Option<usize> = None;
    let mut max_idx = 0;
    for (i, (value, _)) in sorted.iter().enumerate() {
        if *value <= scale_min || min_idx.is_none() {
            min_idx = Some(i);
        }
        max_idx = i;
        if *value >= scale_max {
            break;
        }
    }
    let min_idx = min_idx?;
    let color_of = |i: usize| sorted.get(i).map(|s| s.1.clone());
    if min_idx == max_idx {
        return color_of(min_idx).map(ScaleFill::Solid);
    }
    let value_of = |i: usize| sorted.get(i).map_or(f64::NAN, |s| s.0);
    let min_val = match value_of(min_idx) {
        v if v == f64::NEG_INFINITY => scale_min,
        v => v,
    };
    let max_val = match value_of(max_idx) {
        v if v == f64::INFINITY => scale_max,
        v => v,
    };
    let min_pos = js_round(value_to_px(min_val));
    let max_pos = js_round(value_to_px(max_val));
    let range = min_pos - max_pos;
    if range == 0.0 {
        return color_of(max_idx).map(ScaleFill::Solid);
    }
    let mut stops = Vec::new();
    let mut prev: Option<String> = None;
    for i in min_idx..=max_idx {
        let pos = if i == min_idx {
            min_pos
        } else if i == max_idx {
            max_pos
        } else {
            js_round(value_to_px(value_of(i)))
        };
        let pct = (min_pos - pos) / range;
        let pct = if pct.is_finite() {
            pct.clamp(0.0, 1.0)
        } else {
            0.0
        };
        if let (true, Some(p)) = (discrete && i > min_idx, &prev) {
            stops.push(ColorStop {
                offset: pct,
                color: p.clone(),
            });
        }
        let color = color_of(i).unwrap_or_default();
        stops.push(ColorStop {
            offset: pct,
            color: color.clone(),
        });
        prev = Some(color);
    }
    Some(ScaleFill::Gradient {
        from_px: min_pos,
        to_px: max_pos,
        stops,
    })
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
    fn alpha_like_color_manipulator() {
        assert_eq!(alpha("#73BF69", 0.1), "#73BF691a");
        assert_eq!(alpha("#abc", 1.0), "#aabbccff");
        assert_eq!(alpha("#73BF69CC", 0.0), "#73BF6900");
        assert_eq!(alpha("rgb(1, 2, 3)", 0.5), "rgb(1, 2, 3, 0.5)");
        assert_eq!(alpha("rgba(1, 2, 3, 0.9)", 0.5), "rgba(1, 2, 3, 0.5)");
        assert_eq!(alpha("green", 0.5), "#73BF6980");
    }

    #[test]
    fn fills_per_mode() {
        assert_eq!(
            series_fill("green", 0.0, GradientMode::Opacity, Theme::Dark),
            SeriesFill::None
        );
        assert_eq!(
            series_fill("green", 10.0, GradientMode::None, Theme::Dark),
            SeriesFill::Solid("#73BF691a".to_string())
        );
        let SeriesFill::Vertical(stops) =
            series_fill("green", 25.0, GradientMode::Opacity, Theme::Dark)
        else {
            panic!("gradient expected")
        };
        assert_eq!(stops[0].color, "#73BF6940");
        assert_eq!(stops[1].color, "#73BF6900");
    }

    #[test]
    fn hue_gradient_matches_tinycolor() {
        // Printed by tinycolor2 1.6.0 with Grafana's getHueGradientFn arithmetic (its
        // methods mutate in place, so no rounding between the chained steps).
        let cases = [
            (
                "#73BF69",
                10.0,
                "rgba(154, 243, 174, 0.1)",
                "rgba(113, 154, 66, 0.1)",
            ),
            ("#F2495C", 100.0, "#ffa688", "#df107d"),
            (
                "#5794F2",
                10.0,
                "rgba(150, 157, 255, 0.1)",
                "rgba(18, 193, 234, 0.1)",
            ),
            ("#FADE2A", 100.0, "#f2ff71", "#d36105"),
        ];
        for (color, opacity, top, bottom) in cases {
            let SeriesFill::Vertical(stops) =
                series_fill(color, opacity, GradientMode::Hue, Theme::Dark)
            else {
                panic!("gradient expected")
            };
            assert_eq!(
                (stops[0].color.as_str(), stops[1].color.as_str()),
                (top, bottom)
            );
        }
        let SeriesFill::Vertical(light) =
            series_fill("#F2495C", 10.0, GradientMode::Hue, Theme::Light)
        else {
            panic!("gradient expected")
        };
        assert_eq!(light[1].color, "rgba(240, 49, 150, 0.1)");
    }

    #[test]
    fn threshold_scale_gradient_is_discrete() {
        // Scale 0..100 drawn from y = 200 (0) to y = 0 (100); steps at −∞, 50, 80.
        let stops = vec![
            (f64::NEG_INFINITY, "g".to_string()),
            (50.0, "y".to_string()),
            (80.0, "r".to_string()),
        ];
        let to_px = |v: f64| 200.0 - v * 2.0;
        let fill = scale_gradient(&stops, 0.0, 100.0, to_px, true).unwrap();
        let ScaleFill::Gradient {
            from_px,
            to_px: end,
            stops,
        } = fill
        else {
            panic!("gradient expected")
        };
        assert_eq!((from_px, end), (200.0, 40.0));
        let got: Vec<(f64, &str)> = stops.iter().map(|s| (s.offset, s.color.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (0.0, "g"),
                (0.625, "g"),
                (0.625, "y"),
                (1.0, "y"),
                (1.0, "r")
            ]
        );
        // The scale lies above the last step: its colour only.
        let high = scale_gradient(&stops_vec(), 60.0, 100.0, to_px, true).unwrap();
        assert_eq!(high, ScaleFill::Solid("y".to_string()));
        // The first step at or above the scale's top still bounds the gradient.
        let low = scale_gradient(&stops_vec(), 0.0, 40.0, to_px, true).unwrap();
        let ScaleFill::Gradient { stops, .. } = low else {
            panic!("gradient expected")
        };
        assert_eq!(
            stops.last().map(|s| (s.offset, s.color.as_str())),
            Some((1.0, "y"))
        );
        assert_eq!(scale_gradient(&[], 0.0, 1.0, to_px, true), None);
    }

    #[test]
    fn value_stops_for_thresholds_and_schemes() {
        let t = Thresholds::grafana_default();
        let stops = threshold_value_stops(&t, 0.5, (0.0, 200.0), Theme::Dark);
        assert_eq!(stops[0].1, "#73BF6980");
        assert_eq!((stops[1].0, stops[1].1.as_str()), (80.0, "#F2495C80"));
        let pct = Thresholds {
            mode: ThresholdsMode::Percentage,
            ..t
        };
        let stops = threshold_value_stops(&pct, 1.0, (0.0, 200.0), Theme::Dark);
        assert_eq!(stops[1].0, 160.0);
        let scheme = scheme_value_stops(&["#000000".into(), "#ffffff".into()], 1.0, (10.0, 20.0));
        assert_eq!(
            scheme,
            vec![
                (10.0, "#000000ff".to_string()),
                (20.0, "#ffffffff".to_string())
            ]
        );
    }

    fn stops_vec() -> Vec<(f64, String)> {
        vec![
            (f64::NEG_INFINITY, "g".to_string()),
            (50.0, "y".to_string()),
        ]
    }
}
