//! Stat panel ("big value") colours, as Grafana's `BigValueLayout` derives them from the
//! value's colour.
//!
//! Contract (all colours CSS text, derived with [`crate::tinycolor`] exactly as Grafana does):
//! - [`stat_background`]: `background` mode → `linear-gradient(120deg, c2, c3)` with
//!   `c2 = darken(15·f).spin(8)`, `c3 = darken(5·f).spin(−8)`, `f` = 1 in the dark theme and
//!   −0.7 in the light one; `background_solid` → the colour itself; `value` → `transparent`;
//!   `none` → no background (`None`).
//! - [`stat_text_color`]: `value` → the value colour; background modes → Grafana's
//!   `getTextColorForAlphaBackground` (near-black on bright colours, brightness > 180,
//!   near-white otherwise or when alpha < 0.3 in the dark theme); `none` → the theme's
//!   primary text colour.
//! - [`sparkline_colors`]: `(line, fill)`; on a coloured background a white 40 % fill and
//!   the colour `brighten(40)` as line, otherwise the colour as line and 20 % of it as fill.
//!
//! An unparsable value colour is treated as Grafana's fallback grey.

use crate::colors::{Theme, FALLBACK_COLOR};
use crate::tinycolor::TinyColor;

/// Grafana's stat `colorMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatColorMode {
    /// Plain text colour.
    None,
    /// The value's text in its colour (Grafana's default).
    #[default]
    Value,
    /// Gradient background in the colour.
    Background,
    /// Solid background in the colour.
    BackgroundSolid,
}

impl StatColorMode {
    /// Parses Grafana's option text (`none`, `value`, `background`, `background_solid`);
    /// anything else is `value`, Grafana's default.
    pub fn parse(text: &str) -> Self {
        match text {
            "none" => Self::None,
            "background" => Self::Background,
            "background_solid" => Self::BackgroundSolid,
            _ => Self::Value,
        }
    }

    fn on_background(self) -> bool {
        matches!(self, Self::Background | Self::BackgroundSolid)
    }
}

fn parse(color: &str) -> TinyColor {
    TinyColor::parse(color)
        .or_else(|| TinyColor::parse(FALLBACK_COLOR))
        .unwrap_or(TinyColor {
            r: 128.0,
            g: 128.0,
            b: 128.0,
            a: 1.0,
        })
}

/// The stat panel's CSS background for `mode`; see module docs.
pub fn stat_background(value_color: &str, mode: StatColorMode, theme: Theme) -> Option<String> {
    let color = parse(value_color);
    match mode {
        StatColorMode::Background => {
            let factor = match theme {
                Theme::Dark => 1.0,
                Theme::Light => -0.7,
            };
            let c2 = color.darken(15.0 * factor).spin(8.0).to_rgb_string();
            let c3 = color.darken(5.0 * factor).spin(-8.0).to_rgb_string();
            Some(format!("linear-gradient(120deg, {c2}, {c3})"))
        }
        StatColorMode::BackgroundSolid => Some(if color.a < 1.0 {
            color.to_rgb_string()
        } else {
            format!(
                "#{:02x}{:02x}{:02x}",
                color.r.round() as u8,
                color.g.round() as u8,
                color.b.round() as u8
            )
        }),
        StatColorMode::Value => Some("transparent".to_string()),
        StatColorMode::None => None,
    }
}

/// Grafana's `getTextColorForAlphaBackground`.
pub fn text_color_on(background: &str, theme: Theme) -> &'static str {
    const DARK_TEXT: &str = "rgb(32, 34, 38)";
    const LIGHT_TEXT: &str = "rgb(247, 248, 250)";
    let color = parse(background);
    if color.a < 0.3 {
        return match theme {
            Theme::Dark => LIGHT_TEXT,
            Theme::Light => DARK_TEXT,
        };
    }
    if color.brightness() > 180.0 {
        DARK_TEXT
    } else {
        LIGHT_TEXT
    }
}

/// The value (and title) text colour for `mode`; see module docs.
pub fn stat_text_color(value_color: &str, mode: StatColorMode, theme: Theme) -> String {
    match mode {
        StatColorMode::Value => value_color.to_string(),
        StatColorMode::Background | StatColorMode::BackgroundSolid => {
            text_color_on(value_color, theme).to_string()
        }
        StatColorMode::None => match theme {
            Theme::Dark => "rgb(204, 204, 220)",
            Theme::Light => "rgba(36, 41, 46, 1)",
        }
        .to_string(),
    }
}

/// The sparkline's `(line, fill)` colours for `mode`; see module docs.
pub fn sparkline_colors(value_color: &str, mode: StatColorMode) -> (String, String) {
    let color = parse(value_color);
    if mode.on_background() {
        (
            color.brighten(40.0).to_rgb_string(),
            "rgba(255,255,255,0.4)".to_string(),
        )
    } else {
        (
            value_color.to_string(),
            color.with_alpha(0.2).to_rgb_string(),
        )
    }
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
    fn modes_parse_like_grafana_options() {
        assert_eq!(
            StatColorMode::parse("background"),
            StatColorMode::Background
        );
        assert_eq!(
            StatColorMode::parse("background_solid"),
            StatColorMode::BackgroundSolid
        );
        assert_eq!(StatColorMode::parse("none"), StatColorMode::None);
        assert_eq!(StatColorMode::parse("whatever"), StatColorMode::Value);
    }

    #[test]
    fn backgrounds_per_mode() {
        let bg = stat_background("#73BF69", StatColorMode::Background, Theme::Dark).unwrap();
        assert!(bg.starts_with("linear-gradient(120deg, rgb("), "{bg}");
        assert_eq!(
            stat_background("#73BF69", StatColorMode::BackgroundSolid, Theme::Dark).as_deref(),
            Some("#73bf69")
        );
        assert_eq!(
            stat_background("#73BF69", StatColorMode::Value, Theme::Dark).as_deref(),
            Some("transparent")
        );
        assert_eq!(
            stat_background("#73BF69", StatColorMode::None, Theme::Dark),
            None
        );
    }

    #[test]
    fn text_contrasts_with_the_background() {
        // Grafana's yellow (#FADE2A) is bright: dark text; its red (#F2495C) is not.
        assert_eq!(text_color_on("#FADE2A", Theme::Dark), "rgb(32, 34, 38)");
        assert_eq!(text_color_on("#F2495C", Theme::Dark), "rgb(247, 248, 250)");
        assert_eq!(
            text_color_on("transparent", Theme::Light),
            "rgb(32, 34, 38)"
        );
        assert_eq!(
            stat_text_color("#F2495C", StatColorMode::Value, Theme::Dark),
            "#F2495C"
        );
    }

    #[test]
    fn sparkline_colours() {
        assert_eq!(
            sparkline_colors("#73BF69", StatColorMode::Value),
            (
                "#73BF69".to_string(),
                "rgba(115, 191, 105, 0.2)".to_string()
            )
        );
        assert_eq!(
            sparkline_colors("#73BF69", StatColorMode::Background),
            (
                "rgb(217, 255, 207)".to_string(),
                "rgba(255,255,255,0.4)".to_string()
            )
        );
    }
}
