//! The time series chart, drawn on any plotters backend: the app's canvas
//! (plotters-canvas) and `signalboard-cli render`'s SVG use this same code.
//!
//! Contract of [`draw_timeseries`]:
//! - series values go through `custom.transform` (`negative-Y` negates) and
//!   `custom.stacking` (normal / percent, per axis and `group` — `false` is a group of its
//!   own — via `signalboard-display`'s `stack`; stacked series are aligned on the union of
//!   their timestamps first); `custom.hideFrom.viz` series are neither drawn nor scaled;
//! - each series sits on the left or right axis: `custom.axisPlacement` `left` / `right` /
//!   `hidden`, and `auto` puts a series whose unit differs from the first series' on the
//!   right, as Grafana gives every unit its own scale. Each axis has its own range
//!   (`signalboard-display`'s `y_scale_range`: 10 % padding, soft 0, min/max, soft limits),
//!   ticks and labels in its unit (`numeric_axis`, 30 px apart, 15 px in plots ≤ 150 px
//!   tall); `scaleDistribution: log`
//!   axes span whole powers of the base, draw uPlot's grid (a line at every `k · 10^e`,
//!   `k` 1–9; powers of 2 in base 2) with labels filtered by its rules (`log_ticks`) and
//!   leave values ≤ 0 as gaps; grid lines and 4 px tick marks outside the plot are one
//!   device pixel in the grid colour, labels 5 px past the ticks (Grafana's
//!   `UPlotAxisBuilder`: `ticks.size` 4, `gap` 5, width `1 / devicePixelRatio`), so a y
//!   axis is its widest label + 9 px wide and the x axis 21 px tall; an axis'
//!   `custom.axisLabel` reads along its outer edge
//!   (upwards on the left, downwards on the right) in 20 px added to the axis width;
//!   the x axis shows local
//!   calendar ticks (`time_ticks`) at `utc_offset_minutes`;
//! - a series is decimated to ≤ 4 points per device-pixel column (`decimate`), then drawn as
//!   one path per connected run: nulls break the line unless `custom.spanNulls` (Grafana's
//!   `gaps::line_runs`); a run of one point is a dot. `custom.lineInterpolation` `smooth`
//!   (monotone cubic), `stepBefore` and `stepAfter` shape the line and its fill;
//!   `custom.lineStyle` dash / dot draws it dashed (its first dash and gap). `drawStyle` `bars` draws a bar per
//!   point from 0, `points` a dot per point; `fillOpacity` fills the area under the line
//!   (down to 0, or to the series below it when stacked), with `gradientMode: opacity`
//!   fading from the plot's top to transparent at its bottom (in bands); `showPoints: always` adds dots;
//! - thresholds (`custom.thresholdsStyle`: `line`, `dashed`, `area`, `line+area`,
//!   `dashed+area`) are drawn under the series on each axis, from the first series on that
//!   axis that has them (overrides included), as Grafana keeps one set per scale;
//! - the returned [`ChartGeometry`] (CSS pixels) maps time ↔ x for crosshairs and zoom.

use std::borrow::Cow;

use plotters::coord::Shift;
use plotters::drawing::DrawingArea;
use plotters::prelude::DrawingBackend;
use plotters::style::RGBAColor;
use signalboard_dashboard::{DrawStyle, FieldDefaults, StackingMode};
use signalboard_display::gaps::{line_runs, SpanNulls};
use signalboard_display::scale_range::{y_scale_range, ScaleLimits};
use signalboard_display::stacking::{self, StackInput, Transform};
use signalboard_display::thresholds::{threshold_bands, threshold_lines};
use signalboard_display::ticks::{numeric_axis, time_format_for_increment, time_ticks};
use signalboard_display::{decimate, Theme};

use crate::error::RenderError;
use crate::field::display_thresholds;
use crate::paint::{text_width, Anchor, Painter, Surface};
use crate::style::{palette, rgba, rgba_default_alpha, AXIS_FONT_PX, AXIS_GAP, TICK_SIZE};

const TOP: f64 = 8.0;
const EDGE: f64 = 10.0;
/// The x axis' height: ticks, gap and the 12 px labels (`calculateAxisSize` for side 2).
const X_LABELS: f64 = TICK_SIZE + AXIS_GAP + AXIS_FONT_PX;
/// Minimum y tick spacing (CSS px): Grafana's `calculateSpace` halves it for plots at most
/// 150 px tall (`Y_TICK_SPACING_SMALL`), so short panels keep several ticks.
fn y_tick_space(plot_h: f64) -> f64 {
    if plot_h <= 150.0 {
        15.0
    } else {
        30.0
    }
}

/// One series to draw, with its colour and effective field config.
#[derive(Debug, Clone)]
pub struct ChartSeries<'a> {
    pub name: &'a str,
    pub ts: &'a [f64],
    pub vs: &'a [f64],
    pub color: String,
    pub cfg: FieldDefaults,
}

/// Everything a chart needs besides the surface.
#[derive(Debug, Clone)]
pub struct ChartSpec<'a> {
    pub series: &'a [ChartSeries<'a>],
    /// The panel's field defaults (thresholds and their style).
    pub defaults: &'a FieldDefaults,
    pub start_ms: f64,
    pub end_ms: f64,
    pub theme: Theme,
    pub utc_offset_minutes: i32,
    /// Paint the theme's panel background first (standalone renders).
    pub background: bool,
}

/// Which side an axis is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AxisSide {
    Left,
    Right,
    Hidden,
}

/// One y axis: its scale and labelled ticks.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub side: AxisSide,
    pub unit: String,
    pub min: f64,
    pub max: f64,
    pub ticks: Vec<(f64, String)>,
    /// Grid lines without a label: a log axis' splits between its labelled ticks.
    pub minor: Vec<f64>,
    /// `scaleDistribution: log` base: values map by their logarithm.
    pub log_base: Option<f64>,
    /// `custom.axisLabel`, drawn turned along the axis' outer edge.
    pub label: Option<String>,
}

/// Where the plot is (CSS pixels) and how time maps onto it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartGeometry {
    pub left: f64,
    pub top: f64,
    pub plot_w: f64,
    pub plot_h: f64,
    pub t_min: f64,
    pub t_max: f64,
    pub axes: Vec<Axis>,
    pub x_ticks: Vec<(f64, String)>,
}

impl ChartGeometry {
    /// x (CSS px) of time `t`.
    pub fn x(&self, t: f64) -> f64 {
        self.left + (t - self.t_min) / (self.t_max - self.t_min) * self.plot_w
    }

    /// Time at x (CSS px).
    pub fn t_at(&self, x: f64) -> f64 {
        self.t_min + (x - self.left) / self.plot_w.max(1.0) * (self.t_max - self.t_min)
    }

    /// y (CSS px) of `v` on axis `axis` (a log axis puts values ≤ its minimum at the bottom).
    pub fn y(&self, axis: usize, v: f64) -> f64 {
        let a = self.axes.get(axis);
        let (lo, hi) = a.map_or((0.0, 1.0), |a| (a.min, a.max));
        let frac = match a.and_then(|a| a.log_base) {
            Some(_) if lo > 0.0 && hi > lo => (v.max(lo).ln() - lo.ln()) / (hi.ln() - lo.ln()),
            _ => (v - lo) / (hi - lo),
        };
        self.top + self.plot_h - frac * self.plot_h
    }
}

/// A series ready to draw: transformed/stacked values, its axis, and the floor of its fill.
struct Prepared<'a> {
    ts: Cow<'a, [f64]>,
    vs: Cow<'a, [f64]>,
    /// Stacked series: the values of the series below (same timestamps).
    floor: Option<Vec<f64>>,
    axis: usize,
    color: RGBAColor,
    cfg: &'a FieldDefaults,
    /// `custom.hideFrom.viz`: not drawn and not in its axis' range.
    hidden: bool,
}

fn hidden_in_viz(cfg: &FieldDefaults) -> bool {
    cfg.custom.hide_from.is_some_and(|h| h.viz)
}

fn side_of(cfg: &FieldDefaults, first_unit: &str) -> AxisSide {
    match cfg.custom.axis_placement.as_deref() {
        Some("right") => AxisSide::Right,
        Some("left") => AxisSide::Left,
        Some("hidden") => AxisSide::Hidden,
        _ if cfg.unit.as_deref().unwrap_or("") != first_unit => AxisSide::Right,
        _ => AxisSide::Left,
    }
}

fn transform_of(cfg: &FieldDefaults) -> Transform {
    match cfg.custom.transform.as_deref() {
        Some("negative-Y") => Transform::NegativeY,
        Some("constant") => Transform::Constant,
        _ => Transform::None,
    }
}

fn stacking_of(cfg: &FieldDefaults) -> stacking::StackingMode {
    match cfg.custom.stacking {
        Some(StackingMode::Normal) => stacking::StackingMode::Normal,
        Some(StackingMode::Percent) => stacking::StackingMode::Percent,
        _ => stacking::StackingMode::None,
    }
}

/// Sorted union of all timestamps, and each series' values on it (NaN where missing).
fn align(series: &[ChartSeries]) -> (Vec<f64>, Vec<Vec<f64>>) {
    let mut grid: Vec<f64> = series.iter().flat_map(|s| s.ts.iter().copied()).collect();
    grid.sort_by(f64::total_cmp);
    grid.dedup();
    let aligned = series
        .iter()
        .map(|s| {
            let mut out = vec![f64::NAN; grid.len()];
            for (t, v) in s.ts.iter().zip(s.vs) {
                let i = grid.partition_point(|g| g < t);
                if let Some(slot) = out.get_mut(i) {
                    *slot = *v;
                }
            }
            out
        })
        .collect();
    (grid, aligned)
}

fn prepare<'a>(spec: &ChartSpec<'a>, sides: &[usize]) -> Vec<Prepared<'a>> {
    let stacked = spec
        .series
        .iter()
        .any(|s| stacking_of(&s.cfg) != stacking::StackingMode::None);
    let color = |s: &ChartSeries| rgba(&s.color, spec.theme, 1.0);
    if !stacked {
        return spec
            .series
            .iter()
            .zip(sides)
            .map(|(s, &axis)| Prepared {
                ts: Cow::Borrowed(s.ts),
                vs: match transform_of(&s.cfg) {
                    Transform::NegativeY => Cow::Owned(s.vs.iter().map(|v| -v).collect()),
                    _ => Cow::Borrowed(s.vs),
                },
                floor: None,
                axis,
                color: color(s),
                cfg: &s.cfg,
                hidden: hidden_in_viz(&s.cfg),
            })
            .collect();
    }
    let (grid, aligned) = align(spec.series);
    let inputs: Vec<StackInput> = spec
        .series
        .iter()
        .zip(&aligned)
        .zip(sides)
        .map(|((s, vs), axis)| StackInput {
            values: vs.iter().map(|v| v.is_finite().then_some(*v)).collect(),
            mode: stacking_of(&s.cfg),
            group: s
                .cfg
                .custom
                .stacking_group
                .clone()
                .unwrap_or_else(|| "A".into()),
            transform: transform_of(&s.cfg),
            hidden: hidden_in_viz(&s.cfg),
            scale_key: axis.to_string(),
        })
        .collect();
    let stacked_values = stacking::stack(&inputs);
    let as_f64 =
        |vs: &Vec<Option<f64>>| -> Vec<f64> { vs.iter().map(|v| v.unwrap_or(f64::NAN)).collect() };
    let mut out: Vec<Prepared> = Vec::with_capacity(spec.series.len());
    for (i, ((s, vs), &axis)) in spec
        .series
        .iter()
        .zip(&stacked_values)
        .zip(sides)
        .enumerate()
    {
        // The fill goes down to the series below in the same stack (mode, group, axis and
        // direction), as the stacking itself does.
        let key = inputs.get(i).and_then(stacking::stack_key);
        let floor = key
            .and_then(|key| {
                (0..i)
                    .rev()
                    .find(|&j| inputs.get(j).and_then(stacking::stack_key).as_ref() == Some(&key))
            })
            .and_then(|j| stacked_values.get(j))
            .map(as_f64);
        out.push(Prepared {
            ts: Cow::Owned(grid.clone()),
            vs: Cow::Owned(as_f64(vs)),
            floor,
            axis,
            color: color(s),
            cfg: &s.cfg,
            hidden: hidden_in_viz(&s.cfg),
        });
    }
    out
}

/// Lowest and highest finite value that `keep` accepts. It runs over every raw sample
/// (300,000 for 3 × 100k points) before decimation, usually on a chart's first draw, when
/// the browser runs wasm in its baseline tier: a function's first call stays in baseline
/// code to its end, so the scan goes in blocks of [`RANGE_BLOCK`] through an out-of-line
/// function that gets optimised after its first calls.
fn finite_range<'v>(
    slices: impl Iterator<Item = &'v [f64]>,
    keep: impl Fn(f64) -> bool + Copy,
) -> (Option<f64>, Option<f64>) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for values in slices {
        for block in values.chunks(RANGE_BLOCK) {
            (lo, hi) = block_range(block, keep, lo, hi);
        }
    }
    if lo <= hi {
        (Some(lo), Some(hi))
    } else {
        (None, None)
    }
}

/// Samples per [`block_range`] call: long enough that calls cost nothing, short enough that
/// most of a 100,000-point scan runs after the function was optimised.
const RANGE_BLOCK: usize = 2048;

#[inline(never)]
fn block_range(values: &[f64], keep: impl Fn(f64) -> bool, mut lo: f64, mut hi: f64) -> (f64, f64) {
    for &v in values {
        if v.is_finite() && keep(v) {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    (lo, hi)
}

/// The axes (one per side in use) and each series' axis index.
fn axes<'a>(
    spec: &ChartSpec<'a>,
    prepared_sides: &[AxisSide],
) -> (Vec<(AxisSide, &'a FieldDefaults)>, Vec<usize>) {
    let mut axes: Vec<(AxisSide, &'a FieldDefaults)> = Vec::new();
    let mut index = Vec::with_capacity(prepared_sides.len());
    for (s, side) in spec.series.iter().zip(prepared_sides) {
        let i = match axes.iter().position(|(a, _)| a == side) {
            Some(i) => i,
            None => {
                axes.push((*side, &s.cfg));
                axes.len() - 1
            }
        };
        index.push(i);
    }
    if axes.is_empty() {
        axes.push((AxisSide::Left, spec.defaults));
    }
    (axes, index)
}

fn scale_axis(side: AxisSide, cfg: &FieldDefaults, values: &[&Prepared], plot_h: f64) -> Axis {
    let percent = cfg.custom.stacking == Some(StackingMode::Percent);
    let unit = if percent {
        "percentunit".to_string()
    } else {
        cfg.unit.clone().unwrap_or_default()
    };
    let log_base = cfg.custom.log_base.filter(|b| *b > 1.0 && !percent);
    let label = cfg
        .custom
        .axis_label
        .clone()
        .filter(|l| !l.is_empty() && side != AxisSide::Hidden);
    if let Some(base) = log_base {
        let (lo, hi) = finite_range(values.iter().map(|p| &*p.vs), |v| v > 0.0);
        let (min, max) = log_range(lo, hi, cfg.min, cfg.max, base);
        let (ticks, minor) = if side == AxisSide::Hidden {
            (Vec::new(), Vec::new())
        } else {
            log_ticks(min, max, base, plot_h, &unit, cfg.decimals)
        };
        return Axis {
            side,
            unit,
            min,
            max,
            ticks,
            minor,
            log_base,
            label,
        };
    }
    let (lo, hi) = finite_range(
        values
            .iter()
            .flat_map(|p| [&*p.vs, p.floor.as_deref().unwrap_or_default()]),
        |_| true,
    );
    let limits = ScaleLimits {
        hard_min: cfg.min,
        hard_max: cfg.max,
        soft_min: cfg.custom.axis_soft_min,
        soft_max: cfg.custom.axis_soft_max,
    };
    let (min, max) = y_scale_range(lo, hi, &limits).unwrap_or((0.0, 1.0));
    let ticks = if side == AxisSide::Hidden {
        Vec::new()
    } else {
        numeric_axis(min, max, plot_h, y_tick_space(plot_h), &unit, cfg.decimals)
    };
    Axis {
        side,
        unit,
        min,
        max,
        ticks,
        minor: Vec::new(),
        log_base: None,
        label,
    }
}

/// A log axis' range: the data's positive range widened to whole powers of `base` (uPlot's
/// `rangeLog`), within positive hard min/max.
fn log_range(
    lo: Option<f64>,
    hi: Option<f64>,
    hard_min: Option<f64>,
    hard_max: Option<f64>,
    base: f64,
) -> (f64, f64) {
    let power = |v: f64, up: bool| {
        let e = v.ln() / base.ln();
        // Rounding noise (log10(1000) = 2.9999999999999996) must not add a decade.
        let e = if (e - e.round()).abs() < 1e-9 {
            e.round()
        } else if up {
            e.ceil()
        } else {
            e.floor()
        };
        base.powf(e)
    };
    let lo = hard_min
        .filter(|m| *m > 0.0)
        .or(lo.map(|v| power(v, false)));
    let hi = hard_max.filter(|m| *m > 0.0).or(hi.map(|v| power(v, true)));
    match (lo, hi) {
        (Some(lo), Some(hi)) if hi > lo => (lo, hi),
        (Some(lo), _) => (lo, lo * base),
        _ => (1.0, base),
    }
}

/// uPlot's `logAxisSplits`: `k · base^e` for `k` in `1..base` (only the powers for base 2)
/// within `min..=max`.
fn log_splits(min: f64, max: f64, base: f64) -> Vec<f64> {
    let (e0, e1) = (
        (min.ln() / base.ln() + 1e-9).floor() as i32,
        (max.ln() / base.ln() + 1e-9).floor() as i32,
    );
    let ks = if base == 10.0 { 9 } else { 1 };
    let mut out = Vec::new();
    for e in e0..=e1 {
        for k in 1..=ks {
            // Parsed, not multiplied, so 3e-1 is 0.3 and not 0.30000000000000004.
            let v = if base == 10.0 {
                format!("{k}e{e}").parse().unwrap_or(f64::NAN)
            } else {
                f64::from(k) * base.powi(e)
            };
            if v >= min * (1.0 - 1e-9) && v <= max * (1.0 + 1e-9) {
                out.push(v);
            }
        }
    }
    out
}

/// A log axis' grid and labels, as uPlot draws Grafana's log axes: a grid line at every
/// split ([`log_splits`]); labels by `log10AxisValsFilt` (base 10: every split when 9→10 is
/// at least the tick space tall ([`y_tick_space`]), else mantissas 1,2,3,5,7, else 1,2,5,
/// else the powers only — every n-th split counted from the top when a decade is shorter)
/// or `log2AxisValsFilt` (every n-th power from the top when one is shorter). Returns the labelled ticks and
/// the unlabelled splits.
fn log_ticks(
    min: f64,
    max: f64,
    base: f64,
    plot_h: f64,
    unit: &str,
    decimals: Option<u32>,
) -> (Vec<(f64, String)>, Vec<f64>) {
    let splits = log_splits(min, max, base);
    let space = y_tick_space(plot_h);
    // Pixels per power of `base`.
    let per_power = plot_h / ((max.ln() - min.ln()) / base.ln()).max(1e-9);
    let px = |ratio: f64| ratio.ln() / base.ln() * per_power;
    let leading = |v: f64| format!("{v:e}").chars().next().unwrap_or('0');
    let (digits, keep): (&str, usize) = if base == 10.0 {
        if px(10.0 / 9.0) >= space {
            ("123456789", 1)
        } else if px(10.0 / 7.0) >= space {
            ("12357", 1)
        } else if px(2.0) >= space {
            ("125", 1)
        } else {
            ("1", (space / per_power).ceil().max(1.0) as usize)
        }
    } else {
        ("123456789", (space / per_power).ceil().max(1.0) as usize)
    };
    let mut labelled = vec![false; splits.len()];
    for (i, (flag, v)) in labelled.iter_mut().zip(&splits).rev().enumerate() {
        *flag = i % keep == 0 && digits.contains(leading(*v));
    }
    let mut ticks = Vec::new();
    let mut minor = Vec::new();
    for (v, flag) in splits.into_iter().zip(labelled) {
        if flag {
            let label = signalboard_display::format_value(v, unit, decimals).to_string();
            ticks.push((v, label));
        } else {
            minor.push(v);
        }
    }
    (ticks, minor)
}

/// Room for an axis label (Grafana's `labelSize`: the 12 px font plus an 8 px pad).
const AXIS_LABEL_SIZE: f64 = AXIS_FONT_PX + 8.0;

fn axis_width(axis: Option<&Axis>) -> f64 {
    axis.map_or(EDGE, |a| {
        let widest = a
            .ticks
            .iter()
            .map(|(_, l)| text_width(l, AXIS_FONT_PX))
            .fold(0.0, f64::max);
        let label = if a.label.is_some() {
            AXIS_LABEL_SIZE
        } else {
            0.0
        };
        (widest + TICK_SIZE + AXIS_GAP + label).ceil()
    })
}

fn layout<'a>(
    spec: &ChartSpec<'a>,
    surface: &Surface,
) -> Option<(ChartGeometry, Vec<Prepared<'a>>)> {
    let (t_min, t_max) = (spec.start_ms, spec.end_ms);
    let empty_range = t_max.is_nan() || t_min.is_nan() || t_max <= t_min;
    if empty_range || surface.width < 40.0 || surface.height < 30.0 {
        return None;
    }
    let first_unit = spec
        .series
        .first()
        .and_then(|s| s.cfg.unit.clone())
        .unwrap_or_default();
    let sides: Vec<AxisSide> = spec
        .series
        .iter()
        .map(|s| side_of(&s.cfg, &first_unit))
        .collect();
    let (axis_cfgs, axis_index) = axes(spec, &sides);
    let prepared = prepare(spec, &axis_index);
    let plot_h = (surface.height - TOP - X_LABELS).max(10.0);
    let axes: Vec<Axis> = axis_cfgs
        .iter()
        .enumerate()
        .map(|(i, (side, cfg))| {
            let on_axis: Vec<&Prepared> = prepared
                .iter()
                .filter(|p| p.axis == i && !p.hidden)
                .collect();
            scale_axis(*side, cfg, &on_axis, plot_h)
        })
        .collect();
    let left = axis_width(axes.iter().find(|a| a.side == AxisSide::Left));
    let right = axis_width(axes.iter().find(|a| a.side == AxisSide::Right));
    let plot_w = (surface.width - left - right).max(10.0);
    Some((
        ChartGeometry {
            left,
            top: TOP,
            plot_w,
            plot_h,
            t_min,
            t_max,
            axes,
            x_ticks: x_ticks(t_min, t_max, plot_w, spec.utc_offset_minutes),
        },
        prepared,
    ))
}

/// Time ticks spaced by their own label width plus 18 px, as Grafana sizes them.
fn x_ticks(t_min: f64, t_max: f64, plot_w: f64, offset: i32) -> Vec<(f64, String)> {
    let guess = time_ticks(t_min, t_max, plot_w, 60.0, offset);
    let label = time_format_for_increment(guess.incr_ms);
    let space = text_width(
        &label.replace(['H', 'm', 's', 'M', 'D', 'Y', 'S'], "0"),
        AXIS_FONT_PX,
    ) + 18.0;
    time_ticks(t_min, t_max, plot_w, space.max(40.0), offset)
        .ticks
        .into_iter()
        .map(|t| (t.ms, t.label))
        .collect()
}

/// Draws the chart on `area`; see module docs. `None` when the range or size is empty.
pub fn draw_timeseries<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    surface: Surface,
    spec: &ChartSpec,
) -> Result<Option<ChartGeometry>, RenderError> {
    let painter = Painter::new(area, surface);
    let colors = palette(spec.theme);
    if spec.background {
        painter.rect(
            (0.0, 0.0),
            (surface.width, surface.height),
            rgba(colors.background, spec.theme, 1.0),
        )?;
    }
    let Some((geo, prepared)) = layout(spec, &surface) else {
        return Ok(None);
    };
    draw_grid(&painter, &geo, spec.theme)?;
    draw_thresholds(&painter, &geo, &prepared, spec.theme, ThresholdLayer::Areas)?;
    for p in prepared.iter().filter(|p| !p.hidden) {
        draw_series(&painter, &geo, p)?;
    }
    draw_thresholds(&painter, &geo, &prepared, spec.theme, ThresholdLayer::Lines)?;
    draw_labels(&painter, &geo, spec.theme)?;
    Ok(Some(geo))
}

fn draw_grid<DB: DrawingBackend>(
    painter: &Painter<DB>,
    geo: &ChartGeometry,
    theme: Theme,
) -> Result<(), RenderError> {
    let grid = rgba(palette(theme).grid, theme, 1.0);
    // Grafana strokes grid and ticks `1 / devicePixelRatio` wide: one device pixel.
    let hairline = 1.0 / painter.device(1.0);
    let (x0, x1) = (geo.left, geo.left + geo.plot_w);
    let (y0, y1) = (geo.top, geo.top + geo.plot_h);
    // Horizontal lines follow the first visible axis, as Grafana's grid does.
    if let Some((i, axis)) = geo
        .axes
        .iter()
        .enumerate()
        .find(|(_, a)| a.side != AxisSide::Hidden)
    {
        for v in axis.ticks.iter().map(|(v, _)| v).chain(&axis.minor) {
            let y = geo.y(i, *v);
            painter.line((x0, y), (x1, y), grid, hairline)?;
        }
    }
    // Every shown axis has its tick marks outside the plot at each split.
    for (i, axis) in geo.axes.iter().enumerate() {
        let (from, to) = match axis.side {
            AxisSide::Left => (x0 - TICK_SIZE, x0),
            AxisSide::Right => (x1, x1 + TICK_SIZE),
            AxisSide::Hidden => continue,
        };
        for v in axis.ticks.iter().map(|(v, _)| v).chain(&axis.minor) {
            let y = geo.y(i, *v);
            painter.line((from, y), (to, y), grid, hairline)?;
        }
    }
    for (t, _) in &geo.x_ticks {
        let x = geo.x(*t);
        painter.line((x, y0), (x, y1 + TICK_SIZE), grid, hairline)?;
    }
    Ok(())
}

fn draw_labels<DB: DrawingBackend>(
    painter: &Painter<DB>,
    geo: &ChartGeometry,
    theme: Theme,
) -> Result<(), RenderError> {
    let text = rgba(palette(theme).axis_text, theme, 1.0);
    for (i, axis) in geo.axes.iter().enumerate() {
        let (x, anchor) = match axis.side {
            AxisSide::Left => (geo.left - TICK_SIZE - AXIS_GAP, Anchor::RightMiddle),
            AxisSide::Right => (
                geo.left + geo.plot_w + TICK_SIZE + AXIS_GAP,
                Anchor::LeftMiddle,
            ),
            AxisSide::Hidden => continue,
        };
        for (v, label) in &axis.ticks {
            painter.text(label, (x, geo.y(i, *v)), AXIS_FONT_PX, text, anchor)?;
        }
        // uPlot's axis label: at the axis' outer edge, centred on the plot, reading up on
        // the left and down on the right.
        if let Some(label) = &axis.label {
            let mid = geo.top + geo.plot_h / 2.0;
            let (x, up) = match axis.side {
                AxisSide::Left => (AXIS_LABEL_SIZE / 2.0, true),
                _ => (painter.width() - AXIS_LABEL_SIZE / 2.0, false),
            };
            painter.text_vertical(label, (x, mid), AXIS_FONT_PX, text, up)?;
        }
    }
    let y = geo.top + geo.plot_h + TICK_SIZE + AXIS_GAP;
    for (t, label) in &geo.x_ticks {
        let (x, half) = (geo.x(*t), text_width(label, AXIS_FONT_PX) / 2.0);
        // A label that would be cut by the panel edge is left out, as uPlot's are.
        if x - half >= 0.0 && x + half <= painter.width() {
            painter.text(label, (x, y), AXIS_FONT_PX, text, Anchor::CenterTop)?;
        }
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ThresholdLayer {
    Areas,
    Lines,
}

/// Which thresholds are drawn on which axis: per axis, those of the first series on it with a
/// `custom.thresholdsStyle` other than `off` and thresholds set (Grafana keeps one set of
/// thresholds per scale, from the first field that adds them).
fn threshold_sets<'p>(prepared: &'p [Prepared]) -> Vec<(usize, &'p FieldDefaults, &'p str)> {
    let mut out: Vec<(usize, &FieldDefaults, &str)> = Vec::new();
    for p in prepared {
        let style = p.cfg.custom.thresholds_style.as_deref().unwrap_or("off");
        if style == "off" || p.cfg.thresholds.is_none() || out.iter().any(|o| o.0 == p.axis) {
            continue;
        }
        out.push((p.axis, p.cfg, style));
    }
    out
}

fn draw_thresholds<DB: DrawingBackend>(
    painter: &Painter<DB>,
    geo: &ChartGeometry,
    prepared: &[Prepared],
    theme: Theme,
    layer: ThresholdLayer,
) -> Result<(), RenderError> {
    for (axis_index, cfg, style) in threshold_sets(prepared) {
        let thresholds = display_thresholds(cfg);
        let Some(axis) = geo.axes.get(axis_index) else {
            continue;
        };
        let range = (axis.min, axis.max);
        let basis = (cfg.min.unwrap_or(axis.min), cfg.max.unwrap_or(axis.max));
        let (x0, x1) = (geo.left, geo.left + geo.plot_w);
        let y = |v: f64| geo.y(axis_index, v);
        match layer {
            ThresholdLayer::Areas if style.contains("area") => {
                for band in threshold_bands(&thresholds, range, basis, theme) {
                    let color = rgba_default_alpha(&band.color, theme, 0.15);
                    painter.rect((x0, y(band.to)), (x1, y(band.from)), color)?;
                }
            }
            ThresholdLayer::Lines if style.contains("line") || style.contains("dashed") => {
                for (v, color) in threshold_lines(&thresholds, range, basis, theme) {
                    let color = rgba_default_alpha(&color, theme, 0.7);
                    if style.contains("dashed") {
                        painter.dashed_line((x0, y(v)), (x1, y(v)), color, 2.0)?;
                    } else {
                        painter.line((x0, y(v)), (x1, y(v)), color, 2.0)?;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Device-pixel mapping of one series' points.
struct Mapper<'g> {
    geo: &'g ChartGeometry,
    axis: usize,
    scale: f64,
}

impl Mapper<'_> {
    fn x(&self, t: f64) -> f64 {
        self.geo.x(t) * self.scale
    }

    fn point(&self, t: f64, v: f64) -> (i32, i32) {
        (
            self.x(t).round() as i32,
            (self.geo.y(self.axis, v) * self.scale).round() as i32,
        )
    }

    /// The y of 0 (clamped into the axis range), in device pixels.
    fn base(&self) -> i32 {
        let (lo, hi) = self
            .geo
            .axes
            .get(self.axis)
            .map_or((0.0, 1.0), |a| (a.min, a.max));
        (self.geo.y(self.axis, 0.0_f64.clamp(lo, hi)) * self.scale).round() as i32
    }
}

fn draw_series<DB: DrawingBackend>(
    painter: &Painter<DB>,
    geo: &ChartGeometry,
    p: &Prepared,
) -> Result<(), RenderError> {
    let map = Mapper {
        geo,
        axis: p.axis,
        scale: painter.device(1.0),
    };
    let width_px = painter.device(geo.plot_w).max(1.0) as usize;
    let left_px = painter.device(geo.left);
    let log = geo.axes.get(p.axis).is_some_and(|a| a.log_base.is_some());
    let positive: Vec<f64>;
    let values: &[f64] = if log {
        // A log scale has no place for 0 or negatives: they are gaps, as in uPlot.
        positive =
            p.vs.iter()
                .map(|&v| if v > 0.0 { v } else { f64::NAN })
                .collect();
        &positive
    } else {
        &p.vs
    };
    let (ts, vs) = decimate(&p.ts, values, |t| map.x(t) - left_px, width_px);
    let fill = p.cfg.custom.fill_opacity.unwrap_or(0.0).clamp(0.0, 100.0) / 100.0;
    let line_width = p.cfg.custom.line_width.unwrap_or(1.0).clamp(0.0, 10.0);
    match p.cfg.custom.draw_style.clone().unwrap_or(DrawStyle::Line) {
        DrawStyle::Bars => draw_bars(painter, &map, &ts, &vs, p, fill),
        DrawStyle::Points => {
            let radius = p.cfg.custom.point_size.unwrap_or(5.0) / 2.0;
            draw_points(painter, &map, &ts, &vs, p.color, radius)
        }
        _ => {
            let span = SpanNulls::from_config(p.cfg.custom.span_nulls, None);
            let runs = line_runs(&ts, &vs, span, None);
            let curve = Interpolation::of(p.cfg);
            let dash = line_dash(p.cfg);
            for &(a, b) in &runs {
                let samples: Vec<(i32, i32)> = (a..=b)
                    .filter_map(|i| Some((*ts.get(i)?, *vs.get(i)?)))
                    .filter(|(_, v)| v.is_finite())
                    .map(|(t, v)| map.point(t, v))
                    .collect();
                let points = interpolate(&samples, curve);
                if fill > 0.0 && points.len() > 1 {
                    let run_ts = ts.get(a..=b).unwrap_or_default();
                    let area = area_polygon(&map, &points, run_ts, p, curve);
                    let c = p.color;
                    if p.cfg.custom.gradient_mode.as_deref() == Some("opacity") {
                        let top = painter.device(geo.top);
                        let height = painter.device(geo.plot_h);
                        for (band, alpha) in opacity_bands(&area, top, height, fill) {
                            painter.device_polygon(band, RGBAColor(c.0, c.1, c.2, alpha))?;
                        }
                    } else {
                        painter.device_polygon(area, RGBAColor(c.0, c.1, c.2, fill))?;
                    }
                }
                match (points.as_slice(), dash) {
                    ([single], _) => painter.device_dot(*single, line_width.max(1.0), p.color)?,
                    (_, _) if line_width <= 0.0 => {}
                    (_, Some(pattern)) => {
                        painter.device_dashed_path(points, p.color, line_width, pattern)?
                    }
                    (_, None) => painter.device_path(points, p.color, line_width)?,
                }
            }
            if p.cfg.custom.show_points.as_deref() == Some("always") {
                let radius = p.cfg.custom.point_size.unwrap_or(5.0) / 2.0;
                draw_points(painter, &map, &ts, &vs, p.color, radius)?;
            }
            Ok(())
        }
    }
}

/// The fill under a run: down to 0, or back along the series below when stacked.
fn area_polygon(
    map: &Mapper,
    points: &[(i32, i32)],
    run_ts: &[f64],
    p: &Prepared,
    curve: Interpolation,
) -> Vec<(i32, i32)> {
    let mut area = points.to_vec();
    match &p.floor {
        Some(floor) => {
            // The series below is drawn with the same curve: follow it, not its chords.
            let below: Vec<(i32, i32)> = run_ts
                .iter()
                .map(|t| {
                    let i = p.ts.partition_point(|g| g < t);
                    let v = floor
                        .get(i)
                        .copied()
                        .filter(|v| v.is_finite())
                        .unwrap_or(0.0);
                    map.point(*t, v)
                })
                .collect();
            area.extend(interpolate(&below, curve).into_iter().rev());
        }
        None => {
            let base = map.base();
            if let (Some(first), Some(last)) = (points.first(), points.last()) {
                area.push((last.0, base));
                area.push((first.0, base));
            }
        }
    }
    area
}

/// `custom.lineStyle`'s first dash and gap (CSS px); `None` draws solid.
fn line_dash(cfg: &FieldDefaults) -> Option<(f64, f64)> {
    match cfg.custom.line_dash.as_deref()? {
        [dash, gap, ..] => Some((dash.max(1.0), gap.max(1.0))),
        [dash] => Some((dash.max(1.0), dash.max(1.0))),
        [] => None,
    }
}

/// `custom.lineInterpolation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Interpolation {
    Linear,
    /// uPlot's `spline`: a monotone cubic (no overshoot between samples).
    Smooth,
    StepBefore,
    StepAfter,
}

impl Interpolation {
    fn of(cfg: &FieldDefaults) -> Self {
        match cfg.custom.line_interpolation.as_deref() {
            Some("smooth") => Self::Smooth,
            Some("stepBefore") => Self::StepBefore,
            Some("stepAfter") => Self::StepAfter,
            _ => Self::Linear,
        }
    }
}

/// The device-pixel polyline through `points` (x ascending) for `curve`: steps change value
/// at the next sample (`stepAfter`) or at this one (`stepBefore`); `smooth` is a
/// Fritsch–Carlson monotone cubic sampled every ~2 px.
fn interpolate(points: &[(i32, i32)], curve: Interpolation) -> Vec<(i32, i32)> {
    if points.len() < 2 || curve == Interpolation::Linear {
        return points.to_vec();
    }
    let mut out = Vec::with_capacity(points.len() * 2);
    match curve {
        Interpolation::StepAfter | Interpolation::StepBefore => {
            for pair in points.windows(2) {
                let [(x0, y0), (x1, y1)] = pair else { continue };
                out.push((*x0, *y0));
                out.push(if curve == Interpolation::StepAfter {
                    (*x1, *y0)
                } else {
                    (*x0, *y1)
                });
            }
            out.extend(points.last().copied());
        }
        Interpolation::Smooth | Interpolation::Linear => {
            let xy: Vec<(f64, f64)> = points
                .iter()
                .map(|&(x, y)| (f64::from(x), f64::from(y)))
                .collect();
            let tangents = monotone_tangents(&xy);
            for (i, pair) in xy.windows(2).enumerate() {
                let [(x0, y0), (x1, y1)] = pair else { continue };
                let (m0, m1) = (
                    tangents.get(i).copied().unwrap_or(0.0),
                    tangents.get(i + 1).copied().unwrap_or(0.0),
                );
                let h = x1 - x0;
                let steps = (h / 2.0).ceil().clamp(1.0, 32.0) as usize;
                for k in 0..steps {
                    let s = k as f64 / steps as f64;
                    let (s2, s3) = (s * s, s * s * s);
                    let y = (2.0 * s3 - 3.0 * s2 + 1.0) * y0
                        + (s3 - 2.0 * s2 + s) * h * m0
                        + (-2.0 * s3 + 3.0 * s2) * y1
                        + (s3 - s2) * h * m1;
                    out.push(((x0 + s * h).round() as i32, y.round() as i32));
                }
            }
            out.extend(points.last().copied());
        }
    }
    out
}

/// Fritsch–Carlson tangents: zero at local extrema and flat runs, limited so the cubic
/// never leaves the range of its two samples.
fn monotone_tangents(xy: &[(f64, f64)]) -> Vec<f64> {
    let slopes: Vec<f64> = xy
        .windows(2)
        .map(|w| match w {
            [(x0, y0), (x1, y1)] if x1 > x0 => (y1 - y0) / (x1 - x0),
            _ => 0.0,
        })
        .collect();
    let n = xy.len();
    let mut m: Vec<f64> = (0..n)
        .map(|i| {
            let before = i.checked_sub(1).and_then(|j| slopes.get(j)).copied();
            let after = slopes.get(i).copied();
            match (before, after) {
                (Some(a), Some(b)) if a * b <= 0.0 => 0.0,
                (Some(a), Some(b)) => (a + b) / 2.0,
                (Some(a), None) | (None, Some(a)) => a,
                (None, None) => 0.0,
            }
        })
        .collect();
    for (i, d) in slopes.iter().enumerate() {
        if *d == 0.0 {
            continue;
        }
        let (a, b) = (
            m.get(i).copied().unwrap_or(0.0) / d,
            m.get(i + 1).copied().unwrap_or(0.0) / d,
        );
        let r = a * a + b * b;
        if r > 9.0 {
            let tau = 3.0 / r.sqrt();
            if let Some(v) = m.get_mut(i) {
                *v = tau * a * d;
            }
            if let Some(v) = m.get_mut(i + 1) {
                *v = tau * b * d;
            }
        }
    }
    m
}

/// Horizontal bands of the plot height for `gradientMode: opacity`.
const OPACITY_BANDS: usize = 24;

/// Grafana's opacity gradient as flat bands: `area` cut into horizontal bands of the plot
/// (device px from `top`, `height` tall), each with the gradient's alpha at its middle —
/// `fill` at the top of the plot fading to 0 at the bottom. Empty (zero-area) bands are left
/// out.
fn opacity_bands(
    area: &[(i32, i32)],
    top: f64,
    height: f64,
    fill: f64,
) -> Vec<(Vec<(i32, i32)>, f64)> {
    let step = height / OPACITY_BANDS as f64;
    (0..OPACITY_BANDS)
        .filter_map(|i| {
            let y0 = top + step * i as f64;
            let clipped = clip_band(area, y0, y0 + step);
            let alpha = fill * (1.0 - (i as f64 + 0.5) / OPACITY_BANDS as f64);
            (polygon_area2(&clipped) != 0).then_some((clipped, alpha))
        })
        .collect()
}

/// Twice the signed area of a polygon (0 for a degenerate one: a point or a line).
fn polygon_area2(poly: &[(i32, i32)]) -> i64 {
    let n = poly.len();
    (0..n)
        .filter_map(|i| Some((poly.get(i)?, poly.get((i + 1) % n)?)))
        .map(|(a, b)| i64::from(a.0) * i64::from(b.1) - i64::from(b.0) * i64::from(a.1))
        .sum()
}

/// Sutherland–Hodgman clip of a polygon to the horizontal band `y0 <= y <= y1`.
fn clip_band(poly: &[(i32, i32)], y0: f64, y1: f64) -> Vec<(i32, i32)> {
    let pts: Vec<(f64, f64)> = poly
        .iter()
        .map(|&(x, y)| (f64::from(x), f64::from(y)))
        .collect();
    let clip = |pts: Vec<(f64, f64)>, edge: f64, keep_below: bool| -> Vec<(f64, f64)> {
        let inside = |p: &(f64, f64)| if keep_below { p.1 >= edge } else { p.1 <= edge };
        let mut out = Vec::with_capacity(pts.len() + 4);
        for (i, cur) in pts.iter().enumerate() {
            let prev = pts
                .get(if i == 0 { pts.len() - 1 } else { i - 1 })
                .copied()
                .unwrap_or(*cur);
            let cross = |a: (f64, f64), b: (f64, f64)| {
                let t = (edge - a.1) / (b.1 - a.1);
                (a.0 + t * (b.0 - a.0), edge)
            };
            match (inside(&prev), inside(cur)) {
                (true, true) => out.push(*cur),
                (true, false) => out.push(cross(prev, *cur)),
                (false, true) => {
                    out.push(cross(prev, *cur));
                    out.push(*cur);
                }
                (false, false) => {}
            }
        }
        out
    };
    let pts = clip(pts, y0, true);
    let pts = clip(pts, y1, false);
    pts.into_iter()
        .map(|(x, y)| (x.round() as i32, y.round() as i32))
        .collect()
}

fn draw_bars<DB: DrawingBackend>(
    painter: &Painter<DB>,
    map: &Mapper,
    ts: &[f64],
    vs: &[f64],
    p: &Prepared,
    fill: f64,
) -> Result<(), RenderError> {
    let visible = ts.len().max(1) as f64;
    let bar = (map.geo.plot_w / visible * 0.6).clamp(1.0, 200.0);
    let alpha = if fill > 0.0 { fill } else { 1.0 };
    let color = RGBAColor(p.color.0, p.color.1, p.color.2, alpha);
    let base = f64::from(map.base()) / map.scale;
    for (t, v) in ts.iter().zip(vs).filter(|(_, v)| v.is_finite()) {
        let x = map.geo.x(*t);
        let y = map.geo.y(map.axis, *v);
        painter.rect((x - bar / 2.0, y), (x + bar / 2.0, base), color)?;
    }
    Ok(())
}

fn draw_points<DB: DrawingBackend>(
    painter: &Painter<DB>,
    map: &Mapper,
    ts: &[f64],
    vs: &[f64],
    color: RGBAColor,
    radius: f64,
) -> Result<(), RenderError> {
    for (t, v) in ts.iter().zip(vs).filter(|(_, v)| v.is_finite()) {
        painter.device_dot(map.point(*t, *v), radius, color)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::field::effective_config;
    use signalboard_dashboard::FieldConfig;

    /// The field config of a time series panel imported from Grafana `fieldConfig` JSON.
    fn imported_field_config(json: serde_json::Value) -> FieldConfig {
        let imported = signalboard_dashboard::import_grafana(
            &serde_json::json!({"panels": [{"type": "timeseries", "id": 1,
                "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8}, "fieldConfig": json}]})
            .to_string(),
        )
        .unwrap();
        imported.dashboard.panels[0].field_config.clone()
    }

    const ONE_SECOND: [f64; 2] = [0.0, 1000.0];

    /// Two-point series at 0 and 1 s, each with its config resolved from `field_config`.
    fn series_over_one_second<'a>(
        field_config: &FieldConfig,
        named: &[(&'a str, &'a [f64; 2])],
    ) -> Vec<ChartSeries<'a>> {
        named
            .iter()
            .map(|&(name, vs)| ChartSeries {
                name,
                ts: &ONE_SECOND,
                vs,
                color: "green".into(),
                cfg: effective_config(field_config, name, "A"),
            })
            .collect()
    }

    /// Lays out `series` over 0..1 s on a 600 × 300 dark chart.
    fn layout_600x300<'a>(
        series: &'a [ChartSeries<'a>],
        defaults: &'a FieldDefaults,
    ) -> (ChartGeometry, Vec<Prepared<'a>>) {
        let spec = ChartSpec {
            series,
            defaults,
            start_ms: 0.0,
            end_ms: 1000.0,
            theme: Theme::Dark,
            utc_offset_minutes: 0,
            background: false,
        };
        let surface = Surface {
            width: 600.0,
            height: 300.0,
            scale: 1.0,
            font_factor: 1.0,
        };
        layout(&spec, &surface).unwrap()
    }

    #[test]
    fn thresholds_are_drawn_on_the_axis_of_the_series_that_has_them() {
        let json = serde_json::json!({
            "defaults": {"unit": "short", "thresholds": {"mode": "absolute",
                "steps": [{"color": "green", "value": null}, {"color": "red", "value": 80}]}},
            "overrides": [{"matcher": {"id": "byName", "options": "lag"}, "properties": [
                {"id": "unit", "value": "s"},
                {"id": "custom.thresholdsStyle", "value": {"mode": "dashed"}},
                {"id": "thresholds", "value": {"mode": "absolute",
                    "steps": [{"color": "green", "value": null}, {"color": "red", "value": 5}]}}]}]
        });
        let field_config = imported_field_config(json);
        let (rps, lag) = ([100.0, 120.0], [2.0, 7.0]);
        let series = series_over_one_second(&field_config, &[("rps", &rps), ("lag", &lag)]);
        let (geo, prepared) = layout_600x300(&series, &field_config.defaults);
        assert_eq!(geo.axes[1].side, AxisSide::Right);
        // Only `lag` shows thresholds: on the right axis, its own (5 s), dashed.
        let sets = threshold_sets(&prepared);
        assert_eq!(sets.len(), 1);
        let (axis, cfg, style) = sets[0];
        assert_eq!((axis, style), (1, "dashed"));
        assert_eq!(cfg.thresholds.as_ref().unwrap().steps[1].value, Some(5.0));
    }

    #[test]
    fn axes_leave_grafanas_tick_and_gap_between_labels_and_plot() {
        let field_config = imported_field_config(serde_json::json!({"defaults": {}}));
        let (a, b) = ([100.0, 120.0], [2.0, 7.0]);
        let series = series_over_one_second(&field_config, &[("a", &a), ("b", &b)]);
        let (geo, _) = layout_600x300(&series, &field_config.defaults);
        let widest = geo.axes[0]
            .ticks
            .iter()
            .map(|(_, l)| text_width(l, AXIS_FONT_PX))
            .fold(0.0, f64::max);
        // uPlot's left axis: the widest label, `gap` 5 and `ticks.size` 4 (UPlotAxisBuilder).
        assert_eq!(geo.left, (widest + 9.0).ceil());
        // The x axis: ticks 4, gap 5, 12 px labels under the plot.
        assert_eq!(geo.plot_h, 300.0 - TOP - 21.0);
    }

    #[test]
    fn line_style_overrides_dash_the_series_they_match() {
        let json = serde_json::json!({"defaults": {}, "overrides": [
            {"matcher": {"id": "byRegexp", "options": "/.*Max.*/"}, "properties": [
                {"id": "custom.lineStyle", "value": {"dash": [10, 10], "fill": "dash"}}]},
            {"matcher": {"id": "byName", "options": "dots"}, "properties": [
                {"id": "custom.lineStyle", "value": {"fill": "dot"}}]}]});
        let fc = &imported_field_config(json);
        assert_eq!(
            line_dash(&effective_config(fc, "Max open", "A")),
            Some((10.0, 10.0))
        );
        assert_eq!(
            line_dash(&effective_config(fc, "dots", "A")),
            Some((1.0, 10.0))
        );
        assert_eq!(line_dash(&effective_config(fc, "open", "A")), None);
    }

    #[test]
    fn log_axes_span_whole_powers_and_map_by_logarithm() {
        assert_eq!(
            log_range(Some(0.02), Some(350.0), None, None, 10.0),
            (0.01, 1000.0)
        );
        assert_eq!(
            log_range(Some(1.0), Some(1000.0), None, None, 10.0),
            (1.0, 1000.0)
        );
        assert_eq!(log_range(Some(3.0), Some(3.0), None, None, 2.0), (2.0, 4.0));
        assert_eq!(log_range(None, None, None, None, 10.0), (1.0, 10.0));
        let (ticks, minor) = log_ticks(0.01, 1000.0, 10.0, 300.0, "short", None);
        let values: Vec<f64> = ticks.iter().map(|t| t.0).collect();
        assert_eq!(values, vec![0.01, 0.1, 1.0, 10.0, 100.0, 1000.0]);
        assert_eq!(ticks[5].1, "1 K");
        assert_eq!(
            minor.len(),
            5 * 8,
            "2..9 of each of the 5 decades, unlabelled"
        );
        assert_eq!(minor[..3], [0.02, 0.03, 0.04]);
        // Too little height (28.3 px a decade): every second split from the top, powers
        // only — uPlot counts all splits, 9 a decade, so every other power is labelled.
        let (ticks, minor) = log_ticks(0.001, 1000.0, 10.0, 170.0, "", None);
        let values: Vec<f64> = ticks.iter().map(|t| t.0).collect();
        assert_eq!(values, vec![0.001, 0.1, 10.0, 1000.0]);
        assert_eq!(ticks.len() + minor.len(), 55, "the grid keeps every split");
        // A plot ≤ 150 px tall needs only 15 px: 20 px decades are all labelled.
        assert_eq!(log_ticks(0.01, 1000.0, 10.0, 120.0, "", None).0.len(), 6);
        assert_eq!((y_tick_space(150.0), y_tick_space(151.0)), (15.0, 30.0));
        // Tall decades: 2 and 5 labelled too (9→10 and 7→10 are under 30 px, 5→10 is not).
        let (ticks, _) = log_ticks(1.0, 100.0, 10.0, 240.0, "", None);
        let values: Vec<f64> = ticks.iter().map(|t| t.0).collect();
        assert_eq!(values, vec![1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0]);
        // Base 2: the powers only, all labelled when 30 px apart.
        let (ticks, minor) = log_ticks(1.0, 16.0, 2.0, 200.0, "", None);
        assert_eq!(ticks.len(), 5);
        assert!(minor.is_empty());
        // A hard min that is no power: current uPlot's logAxisSplits still walks k · 10^e from
        // the power below and keeps what is in range (older uPlot started at the min).
        assert_eq!(
            log_range(Some(0.3), Some(30.0), Some(0.25), None, 10.0),
            (0.25, 100.0)
        );
        let mut expected: Vec<f64> = (3..=9).map(|k| f64::from(k) / 10.0).collect();
        expected.extend((1..=9).map(f64::from));
        expected.extend([10.0, 20.0, 30.0]);
        assert_eq!(log_splits(0.25, 30.0, 10.0), expected);
        assert_eq!(log_splits(3.0, 40.0, 2.0), vec![4.0, 8.0, 16.0, 32.0]);
        let geo = ChartGeometry {
            left: 0.0,
            top: 0.0,
            plot_w: 100.0,
            plot_h: 300.0,
            t_min: 0.0,
            t_max: 1.0,
            axes: vec![Axis {
                side: AxisSide::Left,
                unit: String::new(),
                min: 1.0,
                max: 1000.0,
                ticks: Vec::new(),
                minor: Vec::new(),
                log_base: Some(10.0),
                label: None,
            }],
            x_ticks: Vec::new(),
        };
        // Each decade takes a third of the height.
        assert!((geo.y(0, 10.0) - 200.0).abs() < 1e-9);
        assert!((geo.y(0, 100.0) - 100.0).abs() < 1e-9);
        assert!((geo.y(0, 0.0) - 300.0).abs() < 1e-9);
    }

    #[test]
    fn opacity_gradient_fades_from_the_plot_top_to_its_bottom() {
        // A 100 px square filling the whole plot (top 0, height 240).
        let area = [(0, 0), (100, 0), (100, 240), (0, 240)];
        let bands = opacity_bands(&area, 0.0, 240.0, 0.5);
        assert_eq!(bands.len(), OPACITY_BANDS);
        // Band 0: y 0..10, alpha at its middle (0.5 × (1 − 0.5/24)).
        let mut first = bands[0].0.clone();
        first.sort_unstable();
        assert_eq!(first, vec![(0, 0), (0, 10), (100, 0), (100, 10)]);
        assert!((bands[0].1 - 0.5 * (1.0 - 0.5 / 24.0)).abs() < 1e-12);
        assert!(bands.windows(2).all(|w| w[1].1 < w[0].1), "fades downwards");
        // A triangle reaching only the lower half is cut into the lower bands alone.
        let low = [(0, 240), (50, 120), (100, 240)];
        let bands = opacity_bands(&low, 0.0, 240.0, 0.5);
        assert_eq!(bands.len(), 12);
        assert!(bands.iter().all(|(b, _)| b.iter().all(|p| p.1 >= 120)));
    }

    #[test]
    fn steps_and_smooth_lines_follow_grafanas_line_interpolation() {
        let pts = [(0, 100), (10, 50), (20, 50), (30, 0)];
        assert_eq!(interpolate(&pts, Interpolation::Linear), pts.to_vec());
        assert_eq!(
            interpolate(&pts, Interpolation::StepAfter),
            vec![
                (0, 100),
                (10, 100),
                (10, 50),
                (20, 50),
                (20, 50),
                (30, 50),
                (30, 0)
            ]
        );
        assert_eq!(
            interpolate(&pts, Interpolation::StepBefore),
            vec![
                (0, 100),
                (0, 50),
                (10, 50),
                (10, 50),
                (20, 50),
                (20, 0),
                (30, 0)
            ]
        );
        let smooth = interpolate(&pts, Interpolation::Smooth);
        // Through every sample, x ascending, and monotone: never outside a segment's ends
        // (the flat 10..20 stays flat, no overshoot below 0 or above 100).
        for p in pts {
            assert!(smooth.contains(&p), "{p:?} on the curve");
        }
        assert!(smooth.windows(2).all(|w| w[0].0 <= w[1].0));
        for &(x, y) in &smooth {
            assert!((0..=100).contains(&y));
            if (10..=20).contains(&x) {
                assert_eq!(y, 50, "flat run stays flat at x {x}");
            }
        }
        assert!(smooth.len() > pts.len() * 3, "sampled between the points");
        // Not a polyline: at x = 4 the cubic (75) is off the chord (80).
        let mid = smooth.iter().find(|p| p.0 == 4).unwrap();
        assert_eq!(mid.1, 75);
    }

    /// Node Exporter Full's "Memory Basic": every series stacks in group A, except `Total`,
    /// whose override puts it in group `false` with no fill; the axis then ends near the
    /// total, not at the sum of everything.
    #[test]
    fn a_series_in_its_own_stacking_group_is_not_stacked_on_the_others() {
        let json = serde_json::json!({
            "defaults": {"unit": "bytes", "min": 0,
                "custom": {"fillOpacity": 40, "stacking": {"group": "A", "mode": "normal"}}},
            "overrides": [{"matcher": {"id": "byName", "options": "Total"}, "properties": [
                {"id": "custom.fillOpacity", "value": 0},
                {"id": "custom.stacking", "value": {"group": false, "mode": "normal"}}]},
                {"matcher": {"id": "byName", "options": "Hidden"}, "properties": [
                {"id": "custom.hideFrom", "value": {"legend": false, "tooltip": false, "viz": true}}]}]
        });
        let field_config = imported_field_config(json);
        let (total, used, free, hidden) = ([24.0, 24.0], [10.0, 12.0], [8.0, 6.0], [500.0, 500.0]);
        let series = series_over_one_second(
            &field_config,
            &[
                ("Total", &total),
                ("Used", &used),
                ("Free", &free),
                ("Hidden", &hidden),
            ],
        );
        assert_eq!(series[0].cfg.custom.fill_opacity, Some(0.0));
        assert_eq!(
            series[0].cfg.custom.stacking_group.as_deref(),
            Some("false")
        );
        let (geo, prepared) = layout_600x300(&series, &field_config.defaults);
        // Total stays at its own values; Used + Free stack to 18.
        assert_eq!(prepared[0].vs.as_ref(), &[24.0, 24.0]);
        assert_eq!(prepared[0].floor, None);
        assert_eq!(prepared[2].vs.as_ref(), &[18.0, 18.0]);
        assert_eq!(prepared[2].floor.as_deref(), Some(&[10.0, 12.0][..]));
        assert!(prepared[3].hidden);
        // The hidden series (500) is out of the range; the top is the total's 24 + padding.
        let axis = &geo.axes[0];
        assert!(axis.max >= 24.0 && axis.max < 40.0, "axis max {}", axis.max);
    }
}
