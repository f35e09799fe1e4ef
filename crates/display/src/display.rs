//! The per-value display pipeline of a stat/gauge/table cell: mappings, unit formatting,
//! thresholds and colour mode — Grafana's `displayProcessor` + `getScaleCalculator`.
//!
//! Contract of [`display_value`]:
//! 1. Value mappings are tried first; a match may set the text and/or the colour.
//! 2. A non-NaN number without mapped text is formatted with the unit (see
//!    [`crate::units::format_value`]).
//! 3. A non-NaN number without mapped colour gets the colour mode's colour: the active
//!    threshold step (`threshold_index` set), a fixed colour, the classic palette colour
//!    of the series (by index or by name hash), the series' shade, or a continuous
//!    scheme at `percent`.
//! 4. Null shows `no_value` (or an empty text), NaN shows `NaN`; without a mapped colour
//!    both take the colour of −∞ (the base threshold step).
//!
//! `percent` is `(value − min) / (max − min)`; callers pass the field's configured
//! `min`/`max` or, like Grafana, the data's min/max when they are not configured (see
//! [`crate::range::field_range`]).

use crate::color_scale::color_at;
use crate::colors::{
    classic_palette_color, parse_color_in, resolve_color_in, Theme, FALLBACK_COLOR,
};
use crate::mappings::{apply_mappings, MappingValue, ValueMapping};
use crate::series_colors::{color_by_name, shade_color};
use crate::thresholds::{active_step, percent_of_range, Thresholds};
use crate::units::{format_value_in, DateContext};

/// Grafana's field colour modes (`fieldConfig.defaults.color`).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum ColorMode {
    /// `thresholds`: the active step's colour (Grafana's default).
    #[default]
    Thresholds,
    /// `fixed` with `fixedColor`.
    Fixed(String),
    /// `palette-classic`: by series index.
    PaletteClassic(usize),
    /// `palette-classic-by-name`: by a hash of the series name.
    PaletteByName(String),
    /// `shades`: the series' shade of a base colour.
    Shades { base: String, series_index: usize },
    /// `continuous-*`: colour names interpolated by percent.
    Continuous(Vec<String>),
}

impl ColorMode {
    /// Parses a Grafana colour mode id; `fixed_color` is used by `fixed`/`shades`,
    /// `series_index` by `palette-classic` and `shades`. Unknown modes fall back to
    /// thresholds. Without a series name `palette-classic-by-name` picks by index; use
    /// [`ColorMode::parse_for_series`] to hash the name like Grafana.
    pub fn parse(mode: &str, fixed_color: Option<&str>, series_index: usize) -> Self {
        let names =
            |list: &[&str]| Self::Continuous(list.iter().map(|s| (*s).to_string()).collect());
        match mode {
            "fixed" => Self::Fixed(fixed_color.unwrap_or(FALLBACK_COLOR).to_string()),
            "shades" => Self::Shades {
                base: fixed_color.unwrap_or(FALLBACK_COLOR).to_string(),
                series_index,
            },
            "palette-classic" | "palette-classic-by-name" => Self::PaletteClassic(series_index),
            "continuous-GrYlRd" => names(&["green", "yellow", "red"]),
            "continuous-RdYlGr" => names(&["red", "yellow", "green"]),
            "continuous-BlYlRd" => names(&["dark-blue", "super-light-yellow", "dark-red"]),
            "continuous-YlRd" => names(&["super-light-yellow", "dark-red"]),
            "continuous-BlPu" => names(&["blue", "purple"]),
            "continuous-YlBl" => names(&["super-light-yellow", "dark-blue"]),
            "continuous-blues" => names(&["panel-bg", "dark-blue"]),
            "continuous-reds" => names(&["panel-bg", "dark-red"]),
            "continuous-greens" => names(&["panel-bg", "dark-green"]),
            "continuous-purples" => names(&["panel-bg", "dark-purple"]),
            _ => Self::Thresholds,
        }
    }

    /// Like [`ColorMode::parse`], with the series' display name for
    /// `palette-classic-by-name`.
    pub fn parse_for_series(
        mode: &str,
        fixed_color: Option<&str>,
        series_index: usize,
        series_name: &str,
    ) -> Self {
        if mode == "palette-classic-by-name" {
            Self::PaletteByName(series_name.to_string())
        } else {
            Self::parse(mode, fixed_color, series_index)
        }
    }

    /// Whether the colour depends on the value (thresholds, continuous schemes).
    pub fn is_by_value(&self) -> bool {
        matches!(self, Self::Thresholds | Self::Continuous(_))
    }

    /// The series colour of a mode that does not depend on the value (Grafana's
    /// `getFieldSeriesColor`); `None` for by-value modes, whose series colour is the
    /// colour of the series' `seriesBy` value (last by default) through [`display_value`].
    pub fn series_color(&self, theme: Theme) -> Option<String> {
        match self {
            Self::Thresholds | Self::Continuous(_) => None,
            Self::Fixed(color) => Some(resolve_color_in(color, theme)),
            Self::PaletteClassic(index) => Some(classic_palette_color(*index, theme)),
            Self::PaletteByName(name) => Some(color_by_name(name, theme)),
            Self::Shades { base, series_index } => Some(shade_color(base, *series_index, theme)),
        }
    }
}

/// Everything about a field that decides how its values look.
#[derive(Debug, Clone, Default)]
pub struct FieldDisplay {
    pub unit: String,
    pub decimals: Option<u32>,
    pub mappings: Vec<ValueMapping>,
    pub thresholds: Thresholds,
    pub color_mode: ColorMode,
    /// Range for percentage thresholds, gauges and continuous colours.
    pub min: f64,
    pub max: f64,
    /// Text for null (`noValue`).
    pub no_value: Option<String>,
    pub theme: Theme,
    /// Time zone and "now" for date units.
    pub date: DateContext,
}

/// A value ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct DisplayValue {
    pub text: String,
    pub prefix: String,
    pub suffix: String,
    /// The raw number (NaN for null).
    pub numeric: f64,
    /// Resolved colour, `#RRGGBB` (or `#RRGGBBAA` when translucent).
    pub color: String,
    /// Index of the threshold step that gave the colour, when thresholds did.
    pub threshold_index: Option<usize>,
    /// Position in min..max (0..1 inside the range).
    pub percent: f64,
}

impl DisplayValue {
    /// `prefix + text + suffix`.
    pub fn full_text(&self) -> String {
        format!("{}{}{}", self.prefix, self.text, self.suffix)
    }
}

/// Runs the display pipeline for one value (`None` = null); see module docs.
pub fn display_value(value: Option<f64>, field: &FieldDisplay) -> DisplayValue {
    let numeric = value.unwrap_or(f64::NAN);
    let mapping_input = value.map_or(MappingValue::Null, MappingValue::Number);
    let mapped = apply_mappings(&field.mappings, mapping_input);
    let mut out = DisplayValue {
        text: String::new(),
        prefix: String::new(),
        suffix: String::new(),
        numeric,
        color: String::new(),
        threshold_index: None,
        percent: 0.0,
    };
    let mapped_text = mapped.as_ref().and_then(|m| m.text.clone());
    let mapped_color = mapped
        .as_ref()
        .and_then(|m| m.color.as_deref())
        .map(|c| resolve_color_in(c, field.theme));
    if !numeric.is_nan() && mapped_text.is_none() {
        let formatted = format_value_in(numeric, &field.unit, field.decimals, &field.date);
        out.text = formatted.text;
        out.prefix = formatted.prefix;
        out.suffix = formatted.suffix;
    }
    out.text = match (mapped_text, value) {
        (Some(text), _) => text,
        (None, Some(v)) if v.is_nan() => "NaN".to_string(),
        (None, None) => field.no_value.clone().unwrap_or_default(),
        (None, Some(_)) => out.text,
    };
    match mapped_color {
        Some(color) => out.color = color,
        None => {
            let scale_at = if numeric.is_nan() {
                f64::NEG_INFINITY
            } else {
                numeric
            };
            let (color, index, percent) = scale_color(scale_at, field);
            out.color = color;
            out.threshold_index = index;
            out.percent = percent;
        }
    }
    out
}

/// Grafana's scale calculator: colour, threshold index (threshold mode) and percent.
fn scale_color(value: f64, field: &FieldDisplay) -> (String, Option<usize>, f64) {
    let percent = percent_of_range(value, field.min, field.max);
    match &field.color_mode {
        ColorMode::Thresholds => {
            match active_step(value, &field.thresholds, field.min, field.max) {
                Some((i, step)) => (resolve_color_in(&step.color, field.theme), Some(i), percent),
                None => (FALLBACK_COLOR.to_string(), None, percent),
            }
        }
        ColorMode::Fixed(_)
        | ColorMode::PaletteClassic(_)
        | ColorMode::PaletteByName(_)
        | ColorMode::Shades { .. } => (
            field
                .color_mode
                .series_color(field.theme)
                .unwrap_or_else(|| FALLBACK_COLOR.to_string()),
            None,
            percent,
        ),
        ColorMode::Continuous(names) => {
            let rgb: Vec<[f64; 3]> = names
                .iter()
                .filter_map(|n| parse_color_in(n, field.theme))
                .map(|c| [f64::from(c.r), f64::from(c.g), f64::from(c.b)])
                .collect();
            (
                color_at(&rgb, if percent.is_nan() { 0.0 } else { percent }),
                None,
                percent,
            )
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
    use crate::mappings::{MappingResult, SpecialMatch};
    use crate::thresholds::ThresholdsMode;

    fn latency_field() -> FieldDisplay {
        FieldDisplay {
            unit: "s".to_string(),
            thresholds: Thresholds::from_json_steps(
                ThresholdsMode::Absolute,
                &[(None, "green"), (Some(0.5), "yellow"), (Some(2.0), "red")],
            ),
            min: 0.0,
            max: 5.0,
            no_value: Some("No data".to_string()),
            ..FieldDisplay::default()
        }
    }

    #[test]
    fn thresholds_colour_formatted_values() {
        let f = latency_field();
        let v = display_value(Some(0.75), &f);
        assert_eq!(v.full_text(), "750 ms");
        assert_eq!(v.color, "#FADE2A");
        assert_eq!(v.threshold_index, Some(1));
        assert_eq!(v.percent, 0.15);
        let v = display_value(Some(3.0), &f);
        assert_eq!(
            (v.full_text().as_str(), v.color.as_str(), v.threshold_index),
            ("3 s", "#F2495C", Some(2))
        );
    }

    #[test]
    fn null_and_nan() {
        let f = latency_field();
        let v = display_value(None, &f);
        assert_eq!(v.text, "No data");
        assert_eq!(v.color, "#73BF69");
        assert_eq!(v.threshold_index, Some(0));
        assert!(v.numeric.is_nan());
        let v = display_value(Some(f64::NAN), &f);
        assert_eq!(v.full_text(), "NaN");
    }

    #[test]
    fn mappings_come_first() {
        let mut f = latency_field();
        f.mappings = vec![
            ValueMapping::Special {
                matches: SpecialMatch::Null,
                result: MappingResult {
                    text: Some("N/A".to_string()),
                    color: Some("blue".to_string()),
                    index: None,
                },
            },
            ValueMapping::Range {
                from: Some(2.0),
                to: None,
                result: MappingResult {
                    text: Some("Too slow".to_string()),
                    ..MappingResult::default()
                },
            },
        ];
        let v = display_value(None, &f);
        assert_eq!(
            (v.text.as_str(), v.color.as_str(), v.threshold_index),
            ("N/A", "#5794F2", None)
        );
        // Text from the mapping, colour still from thresholds.
        let v = display_value(Some(9.0), &f);
        assert_eq!(
            (v.full_text().as_str(), v.color.as_str(), v.threshold_index),
            ("Too slow", "#F2495C", Some(2))
        );
    }

    #[test]
    fn colour_modes() {
        let mut f = latency_field();
        f.color_mode = ColorMode::parse("fixed", Some("purple"), 0);
        assert_eq!(display_value(Some(1.0), &f).color, "#B877D9");
        f.color_mode = ColorMode::parse("palette-classic", None, 2);
        assert_eq!(display_value(Some(1.0), &f).color, "#5794F2");
        f.color_mode = ColorMode::parse("continuous-GrYlRd", None, 0);
        assert_eq!(display_value(Some(0.0), &f).color, "#73BF69");
        assert_eq!(display_value(Some(5.0), &f).color, "#F2495C");
        assert_eq!(ColorMode::parse("bogus", None, 0), ColorMode::Thresholds);
    }

    #[test]
    fn series_modes_shades_and_by_name() {
        let mut f = latency_field();
        f.color_mode = ColorMode::parse("shades", Some("red"), 1);
        // Grafana's second shade of red (tinycolor spin + brighten).
        assert_eq!(display_value(Some(1.0), &f).color, "#ff5866");
        f.color_mode = ColorMode::parse_for_series("palette-classic-by-name", None, 0, "up");
        let by_name = display_value(Some(1.0), &f).color;
        assert_eq!(
            by_name,
            crate::series_colors::color_by_name("up", Theme::Dark)
        );
        assert_eq!(f.color_mode.series_color(Theme::Dark), Some(by_name));
        assert!(!f.color_mode.is_by_value());
        assert_eq!(ColorMode::Thresholds.series_color(Theme::Dark), None);
        assert_eq!(
            ColorMode::parse_for_series("fixed", Some("blue"), 0, "x"),
            ColorMode::Fixed("blue".to_string())
        );
    }
}
