//! Threshold steps: which step (and colour) a value falls in, as Grafana decides it.
//!
//! Contract:
//! - Steps are in ascending `value` order; the first step is the base and stands for −∞
//!   (dashboard JSON writes it as `null` or leaves `value` out; [`Thresholds::from_json_steps`]
//!   handles both, like Grafana's `validateFieldConfig` it forces the first step to −∞).
//! - [`active_step`] is Grafana's `getActiveThreshold`: the last step whose value is
//!   `<=` the compared number, scanning in order and stopping at the first larger step.
//!   Absolute mode compares the value; percentage mode compares
//!   `100 × (value − min) / (max − min)` (`−∞` counts as 0 %). NaN lands on the base step.
//! - With no steps there is no active step; [`active_color`] then gives Grafana's
//!   fallback grey.

use crate::colors::resolve_color_in;
pub use crate::colors::{resolve_color, FALLBACK_COLOR};
use crate::Theme;

/// How step values are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThresholdsMode {
    /// Step values are in the field's own unit.
    #[default]
    Absolute,
    /// Step values are percentages (0–100) of the field's min..max range.
    Percentage,
}

/// One threshold step: from `value` (inclusive) upward, use `color`.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Lower bound; `f64::NEG_INFINITY` for the base step.
    pub value: f64,
    /// Grafana colour name or CSS colour, unresolved (see [`resolve_color`]).
    pub color: String,
}

/// A field's threshold configuration.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Thresholds {
    pub mode: ThresholdsMode,
    pub steps: Vec<Step>,
}

impl Thresholds {
    /// Grafana's default for a field without thresholds: green base, red from 80.
    pub fn grafana_default() -> Self {
        Self::from_json_steps(
            ThresholdsMode::Absolute,
            &[(None, "green"), (Some(80.0), "red")],
        )
    }

    /// Builds thresholds from JSON-shaped steps (`value` may be null/missing); the first
    /// step becomes the −∞ base, as Grafana does on load.
    pub fn from_json_steps(mode: ThresholdsMode, steps: &[(Option<f64>, &str)]) -> Self {
        let steps = steps
            .iter()
            .enumerate()
            .map(|(i, (value, color))| Step {
                // A null value past the base compares like 0 in Grafana's JS.
                value: if i == 0 {
                    f64::NEG_INFINITY
                } else {
                    value.unwrap_or(0.0)
                },
                color: (*color).to_string(),
            })
            .collect();
        Self { mode, steps }
    }

    /// Legacy `singlestat`/`graph` thresholds: `"85,95"` with up to three colours
    /// (base, warning, critical), as Grafana's panel migration converts them.
    /// Unparsable numbers are skipped.
    pub fn from_legacy(thresholds: &str, colors: &[&str]) -> Self {
        let color_at = |i: usize| colors.get(i).copied().unwrap_or("").to_string();
        let mut steps = vec![Step {
            value: f64::NEG_INFINITY,
            color: color_at(0),
        }];
        let values = thresholds
            .split(',')
            .filter_map(|t| t.trim().parse::<f64>().ok());
        for (i, value) in values.enumerate() {
            steps.push(Step {
                value,
                color: color_at(i + 1),
            });
        }
        Self {
            mode: ThresholdsMode::Absolute,
            steps,
        }
    }
}

/// `(value − min) / (max − min)`, Grafana's scale percent (0..1); −∞ gives 0.
pub fn percent_of_range(value: f64, min: f64, max: f64) -> f64 {
    if value == f64::NEG_INFINITY {
        return 0.0;
    }
    (value - min) / (max - min)
}

/// The active step index and step for `value`; `min`/`max` matter in percentage mode.
pub fn active_step(
    value: f64,
    thresholds: &Thresholds,
    min: f64,
    max: f64,
) -> Option<(usize, &Step)> {
    let compared = match thresholds.mode {
        ThresholdsMode::Absolute => value,
        ThresholdsMode::Percentage => percent_of_range(value, min, max) * 100.0,
    };
    let mut active = None;
    for (i, step) in thresholds.steps.iter().enumerate() {
        if active.is_none() || compared >= step.value {
            active = Some((i, step));
        } else {
            break;
        }
    }
    active
}

/// One threshold band on a value axis (Grafana's `thresholdsStyle` area/line modes).
#[derive(Debug, Clone, PartialEq)]
pub struct ThresholdBand {
    /// Step index (0 = base).
    pub index: usize,
    /// Lower and upper edge in axis values, clipped to the axis range.
    pub from: f64,
    pub to: f64,
    /// Resolved `#RRGGBB` in the chart's theme.
    pub color: String,
}

/// Where each step starts in axis values: absolute values as they are, percentages as
/// that share of `basis` — Grafana's gradient range for the scale: the configured
/// min/max, else the in-view data's min/max.
fn step_start(step: &Step, mode: ThresholdsMode, basis: (f64, f64)) -> f64 {
    match mode {
        ThresholdsMode::Absolute => step.value,
        ThresholdsMode::Percentage => basis.0 + (basis.1 - basis.0) * step.value / 100.0,
    }
}

/// The visible bands of `thresholds` on an axis showing `axis.0..axis.1`, bottom to
/// top; empty bands are left out. `basis` places percentage steps (see `step_start`).
pub fn threshold_bands(
    thresholds: &Thresholds,
    axis: (f64, f64),
    basis: (f64, f64),
    theme: Theme,
) -> Vec<ThresholdBand> {
    let starts: Vec<f64> = thresholds
        .steps
        .iter()
        .map(|s| step_start(s, thresholds.mode, basis))
        .collect();
    thresholds
        .steps
        .iter()
        .enumerate()
        .filter_map(|(i, step)| {
            let lower = starts
                .get(i)
                .copied()
                .unwrap_or(f64::NEG_INFINITY)
                .max(axis.0);
            let upper = starts
                .get(i + 1)
                .copied()
                .unwrap_or(f64::INFINITY)
                .min(axis.1);
            (upper > lower).then(|| ThresholdBand {
                index: i,
                from: lower,
                to: upper,
                color: resolve_color_in(&step.color, theme),
            })
        })
        .collect()
}

/// The threshold lines on an axis (every step but the base) with their colours, for
/// steps inside `axis.0..=axis.1`. Like Grafana's `addLines`, steps up to the first
/// `transparent` one are "less than" thresholds and take the previous step's colour.
pub fn threshold_lines(
    thresholds: &Thresholds,
    axis: (f64, f64),
    basis: (f64, f64),
    theme: Theme,
) -> Vec<(f64, String)> {
    let steps = &thresholds.steps;
    let transparent = steps
        .iter()
        .position(|s| s.color == "transparent")
        .unwrap_or(0);
    steps
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, s)| {
            let colored = if transparent >= i {
                steps.get(i - 1).unwrap_or(s)
            } else {
                s
            };
            (
                step_start(s, thresholds.mode, basis),
                resolve_color_in(&colored.color, theme),
            )
        })
        .filter(|(v, _)| *v >= axis.0 && *v <= axis.1)
        .collect()
}

/// The resolved `#RRGGBB` colour of the active step (fallback grey with no steps).
pub fn active_color(value: f64, thresholds: &Thresholds, min: f64, max: f64) -> String {
    active_step(value, thresholds, min, max).map_or_else(
        || FALLBACK_COLOR.to_string(),
        |(_, step)| resolve_color(&step.color),
    )
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

    fn traffic_light(mode: ThresholdsMode) -> Thresholds {
        Thresholds::from_json_steps(
            mode,
            &[(None, "green"), (Some(80.0), "yellow"), (Some(90.0), "red")],
        )
    }

    #[test]
    fn absolute_steps() {
        let t = traffic_light(ThresholdsMode::Absolute);
        assert_eq!(active_step(-1e9, &t, 0.0, 100.0).unwrap().0, 0);
        assert_eq!(active_step(79.99, &t, 0.0, 100.0).unwrap().0, 0);
        assert_eq!(active_step(80.0, &t, 0.0, 100.0).unwrap().0, 1);
        assert_eq!(active_step(95.0, &t, 0.0, 100.0).unwrap().0, 2);
        assert_eq!(active_step(f64::NAN, &t, 0.0, 100.0).unwrap().0, 0);
        assert_eq!(active_color(95.0, &t, 0.0, 100.0), "#F2495C");
        assert_eq!(active_color(10.0, &t, 0.0, 100.0), "#73BF69");
    }

    #[test]
    fn percentage_steps_use_min_max() {
        let t = traffic_light(ThresholdsMode::Percentage);
        // 0.85 of 0..1 is 85 %.
        assert_eq!(active_step(0.85, &t, 0.0, 1.0).unwrap().0, 1);
        assert_eq!(active_step(450.0, &t, 0.0, 500.0).unwrap().0, 2);
        assert_eq!(active_step(300.0, &t, 200.0, 400.0).unwrap().0, 0);
        assert_eq!(active_step(f64::NEG_INFINITY, &t, 0.0, 1.0).unwrap().0, 0);
    }

    #[test]
    fn a_null_step_value_past_the_base_acts_as_zero() {
        let t = Thresholds::from_json_steps(
            ThresholdsMode::Absolute,
            &[(None, "green"), (None, "red")],
        );
        assert_eq!(active_step(-1.0, &t, 0.0, 1.0).unwrap().0, 0);
        assert_eq!(active_step(0.0, &t, 0.0, 1.0).unwrap().0, 1);
    }

    #[test]
    fn first_step_is_base_whatever_its_value() {
        let t = Thresholds::from_json_steps(
            ThresholdsMode::Absolute,
            &[(Some(50.0), "blue"), (Some(60.0), "red")],
        );
        assert_eq!(t.steps[0].value, f64::NEG_INFINITY);
        assert_eq!(active_step(0.0, &t, 0.0, 1.0).unwrap().1.color, "blue");
    }

    #[test]
    fn bands_and_lines_on_an_axis() {
        let t = traffic_light(ThresholdsMode::Absolute);
        let bands = threshold_bands(&t, (0.0, 85.0), (0.0, 1.0), Theme::Dark);
        let edges: Vec<(usize, f64, f64)> = bands.iter().map(|b| (b.index, b.from, b.to)).collect();
        assert_eq!(edges, vec![(0, 0.0, 80.0), (1, 80.0, 85.0)]);
        assert_eq!(bands[1].color, "#FADE2A");
        let lines = threshold_lines(&t, (0.0, 85.0), (0.0, 1.0), Theme::Dark);
        assert_eq!(lines, vec![(80.0, "#FADE2A".to_string())]);
        // Percent steps sit at that share of the data range (here 100..200, axis 0..250).
        let p = traffic_light(ThresholdsMode::Percentage);
        let bands = threshold_bands(&p, (0.0, 250.0), (100.0, 200.0), Theme::Dark);
        let edges: Vec<(f64, f64)> = bands.iter().map(|b| (b.from, b.to)).collect();
        assert_eq!(edges, vec![(0.0, 180.0), (180.0, 190.0), (190.0, 250.0)]);
    }

    #[test]
    fn default_thresholds() {
        let t = Thresholds::grafana_default();
        assert_eq!(active_color(79.0, &t, 0.0, 100.0), "#73BF69");
        assert_eq!(active_color(80.0, &t, 0.0, 100.0), "#F2495C");
    }

    #[test]
    fn empty_and_legacy() {
        let empty = Thresholds::default();
        assert!(active_step(1.0, &empty, 0.0, 1.0).is_none());
        assert_eq!(active_color(1.0, &empty, 0.0, 1.0), FALLBACK_COLOR);
        let legacy = Thresholds::from_legacy(
            "85, 95",
            &["#299c46", "rgba(237, 129, 40, 0.89)", "#d44a3a"],
        );
        assert_eq!(legacy.steps.len(), 3);
        assert_eq!(active_step(90.0, &legacy, 0.0, 1.0).unwrap().0, 1);
        assert_eq!(active_color(99.0, &legacy, 0.0, 1.0), "#D44A3A");
    }

    #[test]
    fn lines_under_a_transparent_step_take_the_previous_colour() {
        let t = Thresholds::from_json_steps(
            ThresholdsMode::Absolute,
            &[
                (None, "red"),
                (Some(20.0), "transparent"),
                (Some(80.0), "orange"),
            ],
        );
        let lines = threshold_lines(&t, (0.0, 100.0), (0.0, 100.0), Theme::Dark);
        assert_eq!(
            lines,
            vec![(20.0, "#F2495C".to_string()), (80.0, "#FF9830".to_string())]
        );
        // The light theme's shades of the same names (Grafana's getColorByName).
        let lines = threshold_lines(&t, (0.0, 100.0), (0.0, 100.0), Theme::Light);
        assert_eq!(
            lines,
            vec![(20.0, "#E02F44".to_string()), (80.0, "#FF780A".to_string())]
        );
        let bands = threshold_bands(&t, (0.0, 100.0), (0.0, 100.0), Theme::Light);
        assert_eq!(bands[0].color, "#E02F44");
    }
}
