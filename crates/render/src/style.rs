//! Chart colours and fonts per theme (Grafana's dark and light themes), and colour parsing
//! into plotters' colours.

use plotters::style::RGBAColor;
use signalboard_display::colors::parse_color_in;
use signalboard_display::Theme;

/// The font stack of axis labels and panel texts.
pub const FONT_FAMILY: &str = "Inter, Helvetica, Arial, sans-serif";
/// Axis label size in CSS pixels (Grafana's 12 px).
pub const AXIS_FONT_PX: f64 = 12.0;
/// uPlot's axis ticks as Grafana's `UPlotAxisBuilder` sets them (time series and heatmap):
/// `ticks.size` 4 px outward from the plot in the grid colour, then `gap` 5 px to the labels.
pub const TICK_SIZE: f64 = 4.0;
pub const AXIS_GAP: f64 = 5.0;

/// The colours a chart is drawn with.
#[derive(Debug, Clone, PartialEq)]
pub struct Palette {
    /// Panel background (drawn only when a render asks for it, e.g. SVG output).
    pub background: &'static str,
    /// Axis tick labels.
    pub axis_text: &'static str,
    /// Grid lines.
    pub grid: &'static str,
    /// Primary text (titles, values without colour).
    pub text: &'static str,
    /// Secondary text (hints, names).
    pub text_secondary: &'static str,
    /// Table borders and empty tracks.
    pub border: &'static str,
}

/// Grafana's colours for `theme`.
pub fn palette(theme: Theme) -> Palette {
    match theme {
        Theme::Dark => Palette {
            background: "#181b1f",
            axis_text: "#ccccdc",
            grid: "rgba(240,250,255,0.09)",
            text: "#ccccdc",
            text_secondary: "#8e8e9e",
            border: "rgba(204,204,220,0.12)",
        },
        Theme::Light => Palette {
            background: "#ffffff",
            axis_text: "#24292e",
            grid: "rgba(0,10,23,0.09)",
            text: "#24292e",
            text_secondary: "#6e7079",
            border: "rgba(36,41,46,0.12)",
        },
    }
}

/// A Grafana colour name or CSS colour as a plotters colour (fallback grey when unknown),
/// its alpha multiplied by `alpha`.
pub fn rgba(color: &str, theme: Theme, alpha: f64) -> RGBAColor {
    let c = parse_color_in(color, theme).unwrap_or(signalboard_display::colors::Rgba {
        r: 128,
        g: 128,
        b: 128,
        a: 1.0,
    });
    RGBAColor(c.r, c.g, c.b, (c.a * alpha).clamp(0.0, 1.0))
}

/// A Grafana colour name or CSS colour resolved in `theme`, at `alpha` unless it has its own
/// (Grafana's threshold lines and areas: `alpha(getColorByName(color), 0.7 / 0.15)` for an
/// opaque colour). Resolving in the chart's theme matters: `red` is `#F2495C` in the dark
/// theme but `#E02F44` in the light one.
pub fn rgba_default_alpha(color: &str, theme: Theme, alpha: f64) -> RGBAColor {
    let c = rgba(color, theme, 1.0);
    if c.3 >= 1.0 {
        RGBAColor(c.0, c.1, c.2, alpha)
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_colours_follow_the_theme() {
        assert_eq!(
            rgba_default_alpha("red", Theme::Dark, 0.7),
            RGBAColor(242, 73, 92, 0.7)
        );
        assert_eq!(
            rgba_default_alpha("red", Theme::Light, 0.7),
            RGBAColor(224, 47, 68, 0.7)
        );
        assert_eq!(
            rgba_default_alpha("rgba(1, 2, 3, 0.5)", Theme::Light, 0.15),
            RGBAColor(1, 2, 3, 0.5)
        );
    }
}
