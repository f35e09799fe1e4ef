//! Table cell colours, as Grafana's table panel derives them from a cell's display colour.
//!
//! Contract: [`CellColorMode::parse`] reads a cell type — the `custom.cellOptions.type`
//! of current dashboards (`color-text`, `color-background` with `mode` `basic` /
//! `gradient`, default gradient) or the legacy `custom.displayMode` (`color-background`,
//! `color-background-solid`, …); other types (`auto`, gauges, `json-view` …) colour nothing.
//! [`cell_colors`] is Grafana's `getCellColors`:
//! - colour text → text in the value colour;
//! - basic background → the colour as `rgb[a]()`, hover opaque, text by contrast
//!   ([`crate::big_value::text_color_on`]);
//! - gradient background → `linear-gradient(120deg, c2, colour)` with
//!   `c2 = darken(10·f).spin(5)` (`f` = 1 dark, −0.7 light), hover the opaque versions,
//!   text by contrast.

use crate::big_value::text_color_on;
use crate::colors::Theme;
use crate::tinycolor::TinyColor;

/// How a table cell uses its display colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellColorMode {
    /// No colouring.
    None,
    /// Coloured text.
    Text,
    /// Solid background.
    BackgroundBasic,
    /// Gradient background (Grafana's default background mode).
    BackgroundGradient,
}

impl CellColorMode {
    /// Reads a cell type and the optional `cellOptions.mode`; see module docs.
    pub fn parse(cell_type: &str, background_mode: Option<&str>) -> Self {
        match cell_type {
            "color-text" => Self::Text,
            "color-background-solid" => Self::BackgroundBasic,
            "color-background" => match background_mode {
                Some("basic") => Self::BackgroundBasic,
                _ => Self::BackgroundGradient,
            },
            _ => Self::None,
        }
    }
}

/// A cell's CSS colours; `None` leaves the table's default.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CellColors {
    pub text: Option<String>,
    pub background: Option<String>,
    pub background_hover: Option<String>,
}

/// Grafana's `getCellColors` for a cell whose display colour is `value_color`.
pub fn cell_colors(value_color: &str, mode: CellColorMode, theme: Theme) -> CellColors {
    let parsed = TinyColor::parse(value_color);
    match (mode, parsed) {
        (CellColorMode::None, _) => CellColors::default(),
        (CellColorMode::Text, _) => CellColors {
            text: Some(value_color.to_string()),
            ..CellColors::default()
        },
        (_, None) => CellColors::default(),
        (CellColorMode::BackgroundBasic, Some(color)) => CellColors {
            text: Some(text_color_on(value_color, theme).to_string()),
            background: Some(color.to_rgb_string()),
            background_hover: Some(color.with_alpha(1.0).to_rgb_string()),
        },
        (CellColorMode::BackgroundGradient, Some(color)) => {
            let factor = match theme {
                Theme::Dark => 1.0,
                Theme::Light => -0.7,
            };
            let c2 = color.darken(10.0 * factor).spin(5.0);
            let hover = color.with_alpha(1.0).to_rgb_string();
            CellColors {
                text: Some(text_color_on(value_color, theme).to_string()),
                background: Some(format!(
                    "linear-gradient(120deg, {}, {value_color})",
                    c2.to_rgb_string()
                )),
                background_hover: Some(format!(
                    "linear-gradient(120deg, {}, {hover})",
                    c2.with_alpha(1.0).to_rgb_string()
                )),
            }
        }
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
    fn modes_from_current_and_legacy_types() {
        assert_eq!(
            CellColorMode::parse("color-text", None),
            CellColorMode::Text
        );
        assert_eq!(
            CellColorMode::parse("color-background", None),
            CellColorMode::BackgroundGradient
        );
        assert_eq!(
            CellColorMode::parse("color-background", Some("basic")),
            CellColorMode::BackgroundBasic
        );
        assert_eq!(
            CellColorMode::parse("color-background-solid", None),
            CellColorMode::BackgroundBasic
        );
        assert_eq!(CellColorMode::parse("auto", None), CellColorMode::None);
        assert_eq!(CellColorMode::parse("lcd-gauge", None), CellColorMode::None);
    }

    #[test]
    fn colours_per_mode() {
        let red = "#F2495C";
        assert_eq!(
            cell_colors(red, CellColorMode::Text, Theme::Dark)
                .text
                .as_deref(),
            Some(red)
        );
        let basic = cell_colors(red, CellColorMode::BackgroundBasic, Theme::Dark);
        assert_eq!(basic.background.as_deref(), Some("rgb(242, 73, 92)"));
        assert_eq!(basic.text.as_deref(), Some("rgb(247, 248, 250)"));
        let gradient = cell_colors(red, CellColorMode::BackgroundGradient, Theme::Dark);
        let expected_c2 = TinyColor::parse(red)
            .unwrap()
            .darken(10.0)
            .spin(5.0)
            .to_rgb_string();
        assert_eq!(
            gradient.background,
            Some(format!("linear-gradient(120deg, {expected_c2}, {red})"))
        );
        assert_eq!(
            gradient.background_hover,
            Some(format!(
                "linear-gradient(120deg, {expected_c2}, rgb(242, 73, 92))"
            ))
        );
        assert_eq!(
            cell_colors(red, CellColorMode::None, Theme::Dark),
            CellColors::default()
        );
    }

    #[test]
    fn light_theme_lightens_instead() {
        let dark = cell_colors("#F2495C", CellColorMode::BackgroundGradient, Theme::Dark);
        let light = cell_colors("#F2495C", CellColorMode::BackgroundGradient, Theme::Light);
        assert_ne!(dark.background, light.background);
    }
}
