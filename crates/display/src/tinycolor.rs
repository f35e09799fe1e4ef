//! The few `tinycolor2` (1.6) operations Grafana's panels use to derive colours, with its
//! exact arithmetic so the results match Grafana's CSS to the unit.
//!
//! Contract: a [`TinyColor`] holds tinycolor's float channels (0..=255) and alpha.
//! [`TinyColor::darken`], [`TinyColor::lighten`], [`TinyColor::saturate`],
//! [`TinyColor::spin`] and [`TinyColor::brighten`] round-trip
//! through HSL / RGB as tinycolor does (including its truncation of saturation and
//! lightness to 1/10 000 when parsing percentages); [`TinyColor::to_rgb_string`] is
//! `toRgbString` (`rgb(r, g, b)` or `rgba(r, g, b, a)` with `a` to 2 places) and
//! [`TinyColor::brightness`] is `getBrightness` (0..=255, perceived). Checked against
//! tinycolor2 1.6.0 under Node on random colours (`tests/data/tinycolor.tsv`).

use crate::colors::{parse_color_in, Rgba, Theme};
use crate::jsnum::{js_round, to_js_string};

/// A colour as tinycolor stores it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TinyColor {
    pub r: f64,
    pub g: f64,
    pub b: f64,
    pub a: f64,
}

impl From<Rgba> for TinyColor {
    fn from(c: Rgba) -> Self {
        Self {
            r: f64::from(c.r),
            g: f64::from(c.g),
            b: f64::from(c.b),
            a: c.a,
        }
    }
}

/// tinycolor's `bound01` for plain numbers.
fn bound01(n: f64, max: f64) -> f64 {
    let n = n.max(0.0).min(max);
    if (n - max).abs() < 0.000_001 {
        1.0
    } else {
        (n % max) / max
    }
}

/// tinycolor's `bound01` for a fraction it first wrote as a percentage string
/// (`convertToPercentage`): `parseInt(p × 100) / 100` truncates to 1/10 000.
fn bound01_percent(fraction: f64) -> f64 {
    let percent = js_string_number(&to_js_string(fraction * 100.0)).clamp(0.0, 100.0);
    let n = js_parse_int(percent * 100.0) / 100.0;
    if (n - 100.0).abs() < 0.000_001 {
        1.0
    } else {
        (n % 100.0) / 100.0
    }
}

fn js_string_number(text: &str) -> f64 {
    crate::jsnum::js_parse_float(text)
}

/// `parseInt(x, 10)`: the integer prefix of `String(x)` (so `1e-7` parses as 1).
fn js_parse_int(x: f64) -> f64 {
    let text = to_js_string(x);
    let digits: String = text
        .trim_start_matches('-')
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let magnitude: f64 = digits.parse().unwrap_or(f64::NAN);
    if text.starts_with('-') {
        -magnitude
    } else {
        magnitude
    }
}

fn clamp01(x: f64) -> f64 {
    x.clamp(0.0, 1.0)
}

/// HSL with hue in degrees, saturation and lightness in 0..=1.
#[derive(Debug, Clone, Copy)]
struct Hsl {
    h: f64,
    s: f64,
    l: f64,
}

impl TinyColor {
    /// Parses a Grafana colour name or CSS colour (dark-theme names); `None` if invalid.
    pub fn parse(text: &str) -> Option<Self> {
        parse_color_in(text, Theme::Dark).map(Self::from)
    }

    /// tinycolor's constructor: channels clamped to 0..=255, values below 1 rounded.
    fn new(r: f64, g: f64, b: f64, a: f64) -> Self {
        let fix = |v: f64| {
            let v = v.clamp(0.0, 255.0);
            if v < 1.0 {
                js_round(v)
            } else {
                v
            }
        };
        Self {
            r: fix(r),
            g: fix(g),
            b: fix(b),
            a,
        }
    }

    fn to_hsl(self) -> Hsl {
        let (r, g, b) = (
            bound01(self.r, 255.0),
            bound01(self.g, 255.0),
            bound01(self.b, 255.0),
        );
        let max = r.max(g).max(b);
        let min = r.min(g).min(b);
        let l = (max + min) / 2.0;
        if max == min {
            return Hsl { h: 0.0, s: 0.0, l };
        }
        let d = max - min;
        let s = if l > 0.5 {
            d / (2.0 - max - min)
        } else {
            d / (max + min)
        };
        let h = if max == r {
            (g - b) / d + if g < b { 6.0 } else { 0.0 }
        } else if max == g {
            (b - r) / d + 2.0
        } else {
            (r - g) / d + 4.0
        };
        Hsl {
            h: h / 6.0 * 360.0,
            s,
            l,
        }
    }

    fn from_hsl(hsl: Hsl, a: f64) -> Self {
        let h = bound01(hsl.h, 360.0);
        let s = bound01_percent(hsl.s);
        let l = bound01_percent(hsl.l);
        let (r, g, b) = if s == 0.0 {
            (l, l, l)
        } else {
            let q = if l < 0.5 {
                l * (1.0 + s)
            } else {
                l + s - l * s
            };
            let p = 2.0 * l - q;
            (
                hue_to_rgb(p, q, h + 1.0 / 3.0),
                hue_to_rgb(p, q, h),
                hue_to_rgb(p, q, h - 1.0 / 3.0),
            )
        };
        Self::new(r * 255.0, g * 255.0, b * 255.0, a)
    }

    /// `darken(amount)`: lightness minus `amount` percent (negative lightens).
    pub fn darken(self, amount: f64) -> Self {
        let mut hsl = self.to_hsl();
        hsl.l = clamp01(hsl.l - amount / 100.0);
        Self::from_hsl(hsl, self.a)
    }

    /// `lighten(amount)`: lightness plus `amount` percent.
    pub fn lighten(self, amount: f64) -> Self {
        self.darken(-amount)
    }

    /// `saturate(amount)`: saturation plus `amount` percent.
    pub fn saturate(self, amount: f64) -> Self {
        let mut hsl = self.to_hsl();
        hsl.s = clamp01(hsl.s + amount / 100.0);
        Self::from_hsl(hsl, self.a)
    }

    /// `spin(degrees)`: rotates the hue.
    pub fn spin(self, degrees: f64) -> Self {
        let mut hsl = self.to_hsl();
        let hue = (hsl.h + degrees) % 360.0;
        hsl.h = if hue < 0.0 { 360.0 + hue } else { hue };
        Self::from_hsl(hsl, self.a)
    }

    /// `brighten(amount)`: adds `amount` percent of 255 to each rounded channel.
    pub fn brighten(self, amount: f64) -> Self {
        // `Math.round` of the negated amount: ties round differently than for +amount.
        let sub = js_round(255.0 * -(amount / 100.0));
        let channel = |v: f64| {
            let v = (js_round(v) - sub).clamp(0.0, 255.0);
            bound01(v, 255.0) * 255.0
        };
        Self::new(channel(self.r), channel(self.g), channel(self.b), self.a)
    }

    /// `setAlpha(a)`.
    pub fn with_alpha(self, a: f64) -> Self {
        Self {
            a: if a.is_nan() { 1.0 } else { a.clamp(0.0, 1.0) },
            ..self
        }
    }

    /// `getBrightness()`: `(299 r + 587 g + 114 b) / 1000` on rounded channels.
    pub fn brightness(self) -> f64 {
        (js_round(self.r) * 299.0 + js_round(self.g) * 587.0 + js_round(self.b) * 114.0) / 1000.0
    }

    /// `toHexString()`: `#rrggbb` in lowercase.
    pub fn to_hex_string(self) -> String {
        let byte = |v: f64| js_round(v).clamp(0.0, 255.0) as u8;
        format!(
            "#{:02x}{:02x}{:02x}",
            byte(self.r),
            byte(self.g),
            byte(self.b)
        )
    }

    /// `toRgbString()`.
    pub fn to_rgb_string(self) -> String {
        let (r, g, b) = (js_round(self.r), js_round(self.g), js_round(self.b));
        let a = js_round(100.0 * self.a) / 100.0;
        if a == 1.0 {
            format!("rgb({r}, {g}, {b})")
        } else {
            format!("rgba({r}, {g}, {b}, {})", to_js_string(a))
        }
    }
}

fn hue_to_rgb(p: f64, q: f64, t: f64) -> f64 {
    let t = if t < 0.0 {
        t + 1.0
    } else if t > 1.0 {
        t - 1.0
    } else {
        t
    };
    if t < 1.0 / 6.0 {
        p + (q - p) * 6.0 * t
    } else if t < 1.0 / 2.0 {
        q
    } else if t < 2.0 / 3.0 {
        p + (q - p) * (2.0 / 3.0 - t) * 6.0
    } else {
        p
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
    fn grafana_green_derivatives() {
        let green = TinyColor::parse("green").unwrap();
        assert_eq!(green.to_rgb_string(), "rgb(115, 191, 105)");
        assert_eq!(
            green.with_alpha(0.2).to_rgb_string(),
            "rgba(115, 191, 105, 0.2)"
        );
        assert_eq!(
            green.brightness(),
            (115.0 * 299.0 + 191.0 * 587.0 + 105.0 * 114.0) / 1000.0
        );
        // brighten(40) adds 102 to each channel, capped at 255.
        assert_eq!(green.brighten(40.0).to_rgb_string(), "rgb(217, 255, 207)");
    }

    #[test]
    fn darken_and_spin_keep_grey_grey() {
        let grey = TinyColor::parse("#808080").unwrap();
        assert_eq!(grey.spin(8.0).to_rgb_string(), "rgb(128, 128, 128)");
        assert_eq!(grey.darken(100.0).to_rgb_string(), "rgb(0, 0, 0)");
        assert_eq!(grey.darken(-100.0).to_rgb_string(), "rgb(255, 255, 255)");
    }

    #[test]
    fn parse_int_reads_the_integer_prefix_of_the_js_text() {
        assert_eq!(js_parse_int(4512.3456), 4512.0);
        assert_eq!(js_parse_int(1.5e-7), 1.0);
        assert_eq!(js_parse_int(-3.9), -3.0);
    }
}
