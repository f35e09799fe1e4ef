//! Heatmap colour schemes: d3-scale-chromatic's ColorBrewer ramps, as Grafana's heatmap
//! uses them, interpolated to `#RRGGBB`.
//!
//! Contract:
//! - [`scheme_color`] is d3's `interpolate<Scheme>(t)`: a uniform B-spline through the
//!   scheme's 9 (sequential) or 11 (diverging) colours, per RGB channel, rounded and
//!   clamped; `t` is clamped to 0..=1.
//! - [`palette`] is Grafana's `quantizeScheme`: `steps` colours sampled at
//!   `i / (steps − 1)`; in the dark theme the sequential schemes run dark → light
//!   (Grafana marks them `invert: 'dark'`); `reverse` flips the result.
//! - [`scale_fraction`] maps a value into 0..=1 linearly or with Grafana's exponential
//!   scale (`fraction^exponent`); [`palette_index`] picks the colour for a fraction.
//! - Grafana's default heatmap scheme is `Oranges`, exponential with exponent 0.5, 64 steps.

use crate::colors::Theme;

/// Colour schemes by Grafana/d3 name, with their ColorBrewer colours.
const SCHEMES: [(&str, &str, bool); 11] = [
    (
        "Oranges",
        "fff5ebfee6cefdd0a2fdae6bfd8d3cf16913d94801a636037f2704",
        true,
    ),
    (
        "Reds",
        "fff5f0fee0d2fcbba1fc9272fb6a4aef3b2ccb181da50f1567000d",
        true,
    ),
    (
        "Greens",
        "f7fcf5e5f5e0c7e9c0a1d99b74c47641ab5d238b45006d2c00441b",
        true,
    ),
    (
        "Blues",
        "f7fbffdeebf7c6dbef9ecae16baed64292c62171b508519c08306b",
        true,
    ),
    (
        "Purples",
        "fcfbfdefedf5dadaebbcbddc9e9ac8807dba6a51a354278f3f007d",
        true,
    ),
    (
        "Greys",
        "fffffff0f0f0d9d9d9bdbdbd969696737373525252252525000000",
        true,
    ),
    (
        "YlOrRd",
        "ffffccffeda0fed976feb24cfd8d3cfc4e2ae31a1cbd0026800026",
        true,
    ),
    (
        "YlGnBu",
        "ffffd9edf8b1c7e9b47fcdbb41b6c41d91c0225ea8253494081d58",
        true,
    ),
    (
        "Spectral",
        "9e0142d53e4ff46d43fdae61fee08bffffbfe6f598abdda466c2a53288bd5e4fa2",
        false,
    ),
    (
        "RdYlGn",
        "a50026d73027f46d43fdae61fee08bffffbfd9ef8ba6d96a66bd631a9850006837",
        false,
    ),
    (
        "RdYlBu",
        "a50026d73027f46d43fdae61fee090ffffbfe0f3f8abd9e974add14575b4313695",
        false,
    ),
];

/// The default heatmap scheme.
pub const DEFAULT_SCHEME: &str = "Oranges";

/// Names of the supported schemes.
pub fn scheme_names() -> impl Iterator<Item = &'static str> {
    SCHEMES.iter().map(|(name, ..)| *name)
}

/// The scheme's control colours as RGB triples; `None` for unknown names.
fn scheme_colors(name: &str) -> Option<(Vec<[f64; 3]>, bool)> {
    let (_, hex, sequential) = SCHEMES
        .iter()
        .find(|(n, ..)| n.eq_ignore_ascii_case(name))?;
    let colors = hex
        .as_bytes()
        .chunks(6)
        .filter_map(|chunk| {
            let text = std::str::from_utf8(chunk).ok()?;
            let byte = |i: usize| {
                text.get(i..i + 2)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
            };
            Some([
                f64::from(byte(0)?),
                f64::from(byte(2)?),
                f64::from(byte(4)?),
            ])
        })
        .collect();
    Some((colors, *sequential))
}

/// d3's uniform cubic B-spline basis.
fn basis(t1: f64, v0: f64, v1: f64, v2: f64, v3: f64) -> f64 {
    let t2 = t1 * t1;
    let t3 = t2 * t1;
    ((1.0 - 3.0 * t1 + 3.0 * t2 - t3) * v0
        + (4.0 - 6.0 * t2 + 3.0 * t3) * v1
        + (1.0 + 3.0 * t1 + 3.0 * t2 - 3.0 * t3) * v2
        + t3 * v3)
        / 6.0
}

/// d3's `interpolateBasis(values)(t)`.
fn interpolate_basis(values: &[f64], t: f64) -> f64 {
    let n = values.len().saturating_sub(1);
    if n == 0 {
        return values.first().copied().unwrap_or(0.0);
    }
    let t = t.clamp(0.0, 1.0);
    let i = if t >= 1.0 {
        n - 1
    } else {
        (t * n as f64).floor() as usize
    };
    let at = |k: usize| values.get(k).copied().unwrap_or(0.0);
    let (v1, v2) = (at(i), at(i + 1));
    let v0 = if i > 0 { at(i - 1) } else { 2.0 * v1 - v2 };
    let v3 = if i + 1 < n { at(i + 2) } else { 2.0 * v2 - v1 };
    basis((t - i as f64 / n as f64) * n as f64, v0, v1, v2, v3)
}

/// The colour of `scheme` at `t` (0..=1) as `#RRGGBB`; `None` for unknown schemes.
pub fn scheme_color(scheme: &str, t: f64) -> Option<String> {
    let (colors, _) = scheme_colors(scheme)?;
    Some(color_at(&colors, t))
}

/// d3's `interpolateRgbBasis(colors)(t)` as `#RRGGBB`.
pub(crate) fn color_at(colors: &[[f64; 3]], t: f64) -> String {
    let channel = |c: usize| -> u8 {
        let values: Vec<f64> = colors
            .iter()
            .map(|rgb| rgb.get(c).copied().unwrap_or(0.0))
            .collect();
        interpolate_basis(&values, t).round().clamp(0.0, 255.0) as u8
    };
    format!("#{:02X}{:02X}{:02X}", channel(0), channel(1), channel(2))
}

/// Grafana's heatmap palette: `steps` colours of `scheme`; see module docs.
pub fn palette(scheme: &str, steps: usize, reverse: bool, theme: Theme) -> Option<Vec<String>> {
    let (colors, sequential) = scheme_colors(scheme)?;
    let invert = sequential && theme == Theme::Dark;
    let last = steps.saturating_sub(1).max(1) as f64;
    let mut out: Vec<String> = (0..steps)
        .map(|i| {
            let t = i as f64 / last;
            color_at(&colors, if invert { 1.0 - t } else { t })
        })
        .collect();
    if reverse {
        out.reverse();
    }
    Some(out)
}

/// How values map onto the colour range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scale {
    Linear,
    /// `fraction^exponent` (Grafana's default exponent is 0.5).
    Exponential(f64),
}

/// Position of `value` in `[min, max]` as 0..=1 under `scale` (0 for an empty range).
pub fn scale_fraction(value: f64, min: f64, max: f64, scale: Scale) -> f64 {
    let range = max - min;
    if range.is_nan() || range <= 0.0 || value.is_nan() {
        return 0.0;
    }
    let linear = ((value - min) / range).clamp(0.0, 1.0);
    match scale {
        Scale::Linear => linear,
        Scale::Exponential(exponent) => linear.powf(exponent),
    }
}

/// The palette index for a fraction in 0..=1 with `len` colours.
pub fn palette_index(fraction: f64, len: usize) -> usize {
    let last = len.saturating_sub(1);
    let index = (fraction.clamp(0.0, 1.0) * last as f64).round();
    (index as usize).min(last)
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
    fn endpoints_are_the_scheme_ends() {
        // B-spline ends land on the first and last control colours.
        assert_eq!(scheme_color("Oranges", 0.0).unwrap(), "#FFF5EB");
        assert_eq!(scheme_color("Oranges", 1.0).unwrap(), "#7F2704");
        assert_eq!(scheme_color("Spectral", 0.0).unwrap(), "#9E0142");
        assert_eq!(scheme_color("Spectral", 1.0).unwrap(), "#5E4FA2");
        assert_eq!(scheme_color("Oranges", -3.0), scheme_color("Oranges", 0.0));
        assert!(scheme_color("NoSuchScheme", 0.5).is_none());
    }

    #[test]
    fn midpoint_matches_d3() {
        // At a knot the spline is (prev + 4 × knot + next) / 6 per channel, worked by hand:
        // Oranges knots fdae6b, fd8d3c, f16913 → rgb(251, 140.5 → 141, 61).
        assert_eq!(scheme_color("Oranges", 0.5).unwrap(), "#FB8D3D");
        // Spectral knots fee08b, ffffbf, e6f598 → rgb(250.7, 248.2, 175.8).
        assert_eq!(scheme_color("Spectral", 0.5).unwrap(), "#FBF8B0");
    }

    #[test]
    fn interpolation_is_monotonic_for_sequential_schemes() {
        let lightness = |hex: &str| {
            let v = |i: usize| u32::from_str_radix(&hex[i..i + 2], 16).unwrap();
            v(1) + v(3) + v(5)
        };
        let colors: Vec<String> = (0..=20)
            .map(|i| scheme_color("Blues", f64::from(i) / 20.0).unwrap())
            .collect();
        assert!(colors
            .windows(2)
            .all(|w| lightness(&w[0]) >= lightness(&w[1])));
    }

    #[test]
    fn palettes_and_scales() {
        let light = palette("Oranges", 64, false, Theme::Light).unwrap();
        let dark = palette("Oranges", 64, false, Theme::Dark).unwrap();
        assert_eq!(light.len(), 64);
        assert_eq!(light[0], "#FFF5EB");
        assert_eq!(dark[0], "#7F2704");
        let reversed = palette("Oranges", 64, true, Theme::Light).unwrap();
        assert_eq!(reversed[63], light[0]);
        assert_eq!(scale_fraction(25.0, 0.0, 100.0, Scale::Linear), 0.25);
        assert_eq!(
            scale_fraction(25.0, 0.0, 100.0, Scale::Exponential(0.5)),
            0.5
        );
        assert_eq!(scale_fraction(5.0, 5.0, 5.0, Scale::Linear), 0.0);
        assert_eq!(palette_index(0.5, 64), 32);
        assert_eq!(palette_index(2.0, 64), 63);
    }
}
