//! Per-series colours of Grafana's `shades` and `palette-classic-by-name` colour modes.
//!
//! Contract:
//! - [`string_hash`] is the `string-hash` package Grafana uses (djb2 over UTF-16 code
//!   units, right to left, xor variant, as an unsigned 32-bit number).
//! - [`shade_colors`] is Grafana's `getShadedColor` list: the base colour, then for
//!   i = 1..5 alternately `spin(i/6·10).brighten(i/6·35)` and `spin(−i/6·10).darken(i/6·35)`
//!   (11 colours, `#rrggbb` lowercase after the base); [`shade_color`] picks
//!   `series_index % 11`.
//! - [`by_name_palette`] is the classic palette without the colours whose contrast with
//!   the theme's panel background is below 3 (Grafana's `contrastThreshold`);
//!   [`color_by_name`] picks `palette[hash(name) % len]` (Grafana's
//!   `getColorByStringHash`), so a series keeps its colour whatever its position.
//! - [`contrast_ratio`] is WCAG's ratio on luminances rounded to 3 decimals, as Grafana's
//!   `colorManipulator.getContrastRatio`.

use crate::colors::{parse_color_in, resolve_color_in, Rgba, Theme, CLASSIC_PALETTE};
use crate::tinycolor::TinyColor;

/// The `string-hash` npm package's hash.
pub fn string_hash(text: &str) -> u32 {
    let units: Vec<u16> = text.encode_utf16().collect();
    let hash = units
        .iter()
        .rev()
        .fold(5381i32, |h, &c| h.wrapping_mul(33) ^ i32::from(c));
    hash as u32
}

/// Grafana's 11 shades of `base` (a colour name or CSS colour); see module docs.
pub fn shade_colors(base: &str, theme: Theme) -> Vec<String> {
    let base_text = resolve_color_in(base, theme);
    let Some(color) = TinyColor::parse(&base_text) else {
        return vec![base_text];
    };
    const SHADES: u32 = 6;
    let mut colors = vec![base_text];
    for i in 1..SHADES {
        let f = f64::from(i) / f64::from(SHADES);
        colors.push(color.spin(f * 10.0).brighten(f * 35.0).to_hex_string());
        colors.push(color.spin(-f * 10.0).darken(f * 35.0).to_hex_string());
    }
    colors
}

/// The shade for the series at `series_index`; see module docs.
pub fn shade_color(base: &str, series_index: usize, theme: Theme) -> String {
    let colors = shade_colors(base, theme);
    colors
        .get(series_index % colors.len().max(1))
        .cloned()
        .unwrap_or_else(|| resolve_color_in(base, theme))
}

/// WCAG relative luminance, rounded to 3 decimals like Grafana's `getLuminance`.
fn luminance(c: Rgba) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
    // `Number(l.toFixed(3))`: rounded from the exact decimal value, like `format!`.
    format!("{l:.3}").parse().unwrap_or(l)
}

/// Contrast ratio between two colours (1..=21); `None` if either is not a colour.
pub fn contrast_ratio(a: &str, b: &str, theme: Theme) -> Option<f64> {
    let la = luminance(parse_color_in(a, theme)?);
    let lb = luminance(parse_color_in(b, theme)?);
    Some((la.max(lb) + 0.05) / (la.min(lb) + 0.05))
}

/// The classic palette colours readable on the theme's panel background; see module docs.
pub fn by_name_palette(theme: Theme) -> Vec<String> {
    CLASSIC_PALETTE
        .iter()
        .map(|name| resolve_color_in(name, theme))
        .filter(|c| contrast_ratio(c, "panel-bg", theme).is_some_and(|r| r >= 3.0))
        .collect()
}

/// The `palette-classic-by-name` colour of a series called `name`; see module docs.
pub fn color_by_name(name: &str, theme: Theme) -> String {
    let palette = by_name_palette(theme);
    let index = string_hash(name) as usize % palette.len().max(1);
    palette
        .get(index)
        .cloned()
        .unwrap_or_else(|| resolve_color_in("green", theme))
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
    fn string_hash_matches_the_npm_package() {
        // Values printed by string-hash 1.1.3 under Node.
        assert_eq!(string_hash(""), 5381);
        assert_eq!(string_hash("a"), 177_604);
        assert_eq!(string_hash("up{job=\"node\"}"), 150_300_924);
        assert_eq!(string_hash("Series A"), 3_906_037_343);
        assert_eq!(string_hash("cpu ñ 😀"), 1_296_942_703);
        assert_eq!(
            string_hash("go_goroutines{instance=\"localhost:9090\", job=\"prometheus\"}"),
            2_037_454_270
        );
    }

    #[test]
    fn shades_match_grafana() {
        // Computed with tinycolor2 1.6.0 exactly as Grafana's getShadedColor does.
        let green = "#73BF69 #80ce78 #62b654 #8cdd87 #57a647 #99ec96 #4e913e #a4faa4 #457c35 #b3ffb5 #3b672c";
        assert_eq!(shade_colors("green", Theme::Dark).join(" "), green);
        let red = "#F2495C #ff5866 #f02d49 #ff6771 #ee1136 #ff767b #d30f35 #ff8484 #b70d33 #ff9793 #9b0b2f";
        assert_eq!(shade_colors("red", Theme::Dark).join(" "), red);
        assert_eq!(shade_color("red", 12, Theme::Dark), "#ff5866");
    }

    #[test]
    fn by_name_palette_drops_low_contrast_colours() {
        let dark = by_name_palette(Theme::Dark);
        assert!(
            dark.len() < CLASSIC_PALETTE.len() && dark.len() > 30,
            "{}",
            dark.len()
        );
        assert!(dark.contains(&"#73BF69".to_string()));
        // Grafana's darkest classic blue is unreadable on the dark panel background.
        assert!(!dark.contains(&"#052B51".to_string()));
        assert!(contrast_ratio("#000000", "#FFFFFF", Theme::Dark).unwrap() > 20.9);
    }

    #[test]
    fn by_name_colour_is_stable_and_order_free() {
        let a = color_by_name("up{job=\"node\"}", Theme::Dark);
        assert_eq!(a, color_by_name("up{job=\"node\"}", Theme::Dark));
        let palette = by_name_palette(Theme::Dark);
        assert_eq!(a, palette[150_300_924 % palette.len()]);
    }
}
