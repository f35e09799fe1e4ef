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
//! - [`bar_gauge_layout`] is Grafana 11's `calculateTitleDimensions` +
//!   `calculateBarAndValueDimensions` + the value font of `getValueStyles` for one bar in a
//!   `width × height` box: vertical bars have a 14 px name below and a value line
//!   `clamp(height / 10, 18, 50)` tall above; horizontal bars put the name above when the
//!   box is over 40 px tall (`namePlacement` auto) or `top` asks (`clamp(height · 0.45, 17,
//!   50)` tall), else on the left (`max(height · 0.6, 18)` tall, as wide as the text + 15 px
//!   but at most 40 % of the width, right-aligned with 10 px padding); the value column is
//!   `max(min(width / 5, 150), text width + 20)` wide (text measured at the name's font, at
//!   least 12 px), its font fitted to that width less 20 px and the bar's height.

use crate::colors::{parse_color_in, Rgba, Theme, FALLBACK_COLOR};
use crate::jsnum::{js_round, to_js_string};
use crate::thresholds::{Thresholds, ThresholdsMode};
use crate::tinycolor::TinyColor;

/// Where a bar gauge's name goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitlePlacement {
    Above,
    Left,
    Below,
    Hidden,
}

/// What one bar's layout depends on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BarGaugeInput {
    pub width: f64,
    pub height: f64,
    pub vertical: bool,
    /// Width of the name at 14 px (`None`: no name).
    pub title_width_14px: Option<f64>,
    /// Width of the value text at 14 px.
    pub value_width_14px: f64,
    /// `namePlacement`: `auto`, `top`, `left` or `hidden`.
    pub name_placement: &'static str,
    /// `valueMode: hidden`.
    pub value_hidden: bool,
}

/// Where the parts of one bar go; see module docs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BarGaugeLayout {
    pub title: TitlePlacement,
    pub title_font_px: f64,
    /// The name's width when on the left, its height when above or below.
    pub title_width: f64,
    pub title_height: f64,
    pub value_width: f64,
    pub value_height: f64,
    pub value_font_px: f64,
    /// The longest the bar can be (horizontal: width; vertical: height) and its thickness.
    pub max_bar_width: f64,
    pub max_bar_height: f64,
}

const MIN_VALUE_HEIGHT: f64 = 18.0;
const MAX_VALUE_HEIGHT: f64 = 50.0;
const MAX_VALUE_WIDTH: f64 = 150.0;
const TITLE_LINE_HEIGHT: f64 = 1.5;
const VALUE_LEFT_PADDING: f64 = 10.0;

/// Grafana's `getDisplayValueAlignmentFactors` as text widths at 14 px: the longest name
/// and the longest value text (by characters, the first of equals), so every bar of a
/// panel is laid out alike and the bars line up. `None` when no value has a name.
pub fn alignment_widths_14px<'a>(
    values: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> (Option<f64>, f64) {
    let longest = |best: Option<&'a str>, s: &'a str| match best {
        Some(b) if b.chars().count() >= s.chars().count() => Some(b),
        _ => Some(s),
    };
    let (mut title, mut text): (Option<&str>, Option<&str>) = (None, None);
    for (t, v) in values {
        if !t.is_empty() {
            title = longest(title, t);
        }
        text = longest(text, v);
    }
    (
        title.map(|t| crate::stat_layout::approx_width_14px(t, 400)),
        text.map_or(0.0, |v| crate::stat_layout::approx_width_14px(v, 500)),
    )
}

/// Grafana's bar gauge layout; see module docs.
pub fn bar_gauge_layout(input: &BarGaugeInput) -> BarGaugeLayout {
    let (width, height) = (input.width, input.height);
    let (title, title_font_px, title_width, title_height) = match input.title_width_14px {
        None => (TitlePlacement::Above, 0.0, 0.0, 0.0),
        Some(_) if input.name_placement == "hidden" => (TitlePlacement::Hidden, 0.0, 0.0, 0.0),
        Some(_) if input.vertical => (TitlePlacement::Below, 14.0, width, 14.0 * TITLE_LINE_HEIGHT),
        Some(_)
            if (height > 40.0 && input.name_placement == "auto")
                || input.name_placement == "top" =>
        {
            let h = (height * 0.45).clamp(17.0, MAX_VALUE_HEIGHT);
            (TitlePlacement::Above, h / TITLE_LINE_HEIGHT, 0.0, h)
        }
        Some(w14) => {
            let font = (height * 0.6).max(MIN_VALUE_HEIGHT) / TITLE_LINE_HEIGHT;
            let w = (w14 * font / 14.0 + 15.0).min(width * 0.4);
            (TitlePlacement::Left, font, w, 0.0)
        }
    };
    let measure_px = title_font_px.max(12.0);
    let real_value_width = input.value_width_14px * measure_px / 14.0 + VALUE_LEFT_PADDING * 2.0;
    let (value_width, value_height, max_bar_width, max_bar_height, value_font_px);
    if input.vertical {
        let vh = if input.value_hidden {
            0.0
        } else {
            (height * 0.1).clamp(MIN_VALUE_HEIGHT, MAX_VALUE_HEIGHT)
        };
        value_height = vh;
        value_width = if input.value_hidden { 0.0 } else { width };
        max_bar_height = height - (title_height + vh);
        max_bar_width = width;
        value_font_px =
            crate::stat_layout::calculate_font_size(input.value_width_14px, width, vh, 1.0, None);
    } else {
        if input.value_hidden {
            value_height = 0.0;
            value_width = 0.0;
        } else {
            value_height = height - title_height;
            value_width = (width * 0.2).min(MAX_VALUE_WIDTH).max(real_value_width);
        }
        max_bar_height = height - title_height;
        max_bar_width = width - value_width - title_width;
        value_font_px = crate::stat_layout::calculate_font_size(
            input.value_width_14px,
            value_width - VALUE_LEFT_PADDING * 2.0,
            value_height,
            1.0,
            None,
        );
    }
    BarGaugeLayout {
        title,
        title_font_px,
        title_width,
        title_height,
        value_width,
        value_height,
        value_font_px,
        max_bar_width,
        max_bar_height,
    }
}

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

    #[test]
    fn bars_align_on_the_longest_name_and_value() {
        use crate::stat_layout::approx_width_14px;
        let (title, text) =
            alignment_widths_14px([("CPU", "39.8%"), ("Mem", "0.0%"), ("I/O", "100.0%")]);
        assert_eq!(
            title,
            Some(approx_width_14px("CPU", 400)),
            "first of equal length"
        );
        assert_eq!(text, approx_width_14px("100.0%", 500));
        assert_eq!(alignment_widths_14px([("", "1")]).0, None);
    }

    #[test]
    fn bar_gauge_layout_places_the_name_left_above_or_below() {
        let input = BarGaugeInput {
            width: 200.0,
            height: 30.0,
            vertical: false,
            title_width_14px: Some(28.0),
            value_width_14px: 40.0,
            name_placement: "auto",
            value_hidden: false,
        };
        // 30 px tall: the name on the left at 18 / 1.5 = 12 px, 24 + 15 px wide.
        let l = bar_gauge_layout(&input);
        assert_eq!(l.title, TitlePlacement::Left);
        assert_eq!((l.title_font_px, l.title_width), (12.0, 39.0));
        // The value column: its text at 12 px + 20 px beats a fifth of the width.
        assert!((l.value_width - (40.0 * 12.0 / 14.0 + 20.0)).abs() < 1e-9);
        assert!((l.max_bar_width - (200.0 - l.value_width - 39.0)).abs() < 1e-9);
        assert_eq!((l.max_bar_height, l.value_height), (30.0, 30.0));
        assert!((l.value_font_px - (l.value_width - 20.0) / 42.0 * 14.0).abs() < 1e-9);
        // Over 40 px tall: the name above, 0.45 of the height.
        let a = bar_gauge_layout(&BarGaugeInput {
            height: 60.0,
            ..input
        });
        assert_eq!(a.title, TitlePlacement::Above);
        assert_eq!(
            (a.title_height, a.title_font_px, a.title_width),
            (27.0, 18.0, 0.0)
        );
        assert_eq!(a.max_bar_height, 33.0);
        // `top` forces it above even when short; a long name on the left is capped at 40 %.
        let t = bar_gauge_layout(&BarGaugeInput {
            name_placement: "top",
            ..input
        });
        assert_eq!(t.title, TitlePlacement::Above);
        let long = bar_gauge_layout(&BarGaugeInput {
            title_width_14px: Some(1000.0),
            ..input
        });
        assert_eq!(long.title_width, 80.0);
        // Vertical: 14 px name below, a value line a tenth of the height (18..50).
        let v = bar_gauge_layout(&BarGaugeInput {
            width: 50.0,
            height: 200.0,
            vertical: true,
            ..input
        });
        assert_eq!(v.title, TitlePlacement::Below);
        assert_eq!((v.title_height, v.value_height), (21.0, 20.0));
        assert_eq!((v.max_bar_width, v.max_bar_height), (50.0, 159.0));
        // No name: the bar and value share the whole box.
        let n = bar_gauge_layout(&BarGaugeInput {
            title_width_14px: None,
            ..input
        });
        assert_eq!((n.title_width, n.title_height), (0.0, 0.0));
        assert!((n.max_bar_width - (200.0 - n.value_width)).abs() < 1e-9);
    }
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
