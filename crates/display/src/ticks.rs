//! Axis ticks: "nice" numeric ticks and calendar-aligned time ticks with Grafana's
//! time label formats.
//!
//! Contract:
//! - [`numeric_ticks`] is uPlot's `findIncr` + `numAxisSplits`: the smallest increment
//!   from its 1-2-2.5-5 × 10^k series whose spacing on screen is at least `min_space_px`
//!   (Grafana's y axes use 30 px, numeric x axes 40 px), and every multiple of it inside
//!   `[min, max]`, rounded to the increment's decimals (no `0.30000000000000004`).
//!   Checked against uPlot under Node on 3,000 random ranges: identical.
//! - [`time_ticks`] does the same with uPlot's time increments (1, 2, 5 … 500 ms, 1 s, 5 s,
//!   10 s, 15 s, 30 s, 1, 5, 10, 15, 30 min, 1, 2, 3, 4, 6, 8, 12 h, 1–10 and 15 days,
//!   1, 2, 3, 4, 6 months, 1, 2, 5, 10, 25, 50 years), placed like uPlot's splits in the
//!   local calendar at `utc_offset_minutes` (identical to uPlot's splits on 2,000 random
//!   UTC ranges under Node), and labels each tick with Grafana's
//!   format for that increment: `HH:mm:ss.SSS` (< 1 s), `HH:mm:ss` (< 1 min), `HH:mm`
//!   (≤ 1 h), `MM/DD HH:mm` (≤ 1 day), `MM/DD` (≤ 28 days), `YYYY-MM` (months), `YYYY`.
//!   Grafana sizes `min_space_px` from the label width plus 18 px; 60–80 px suits
//!   `HH:mm` labels.
//! - [`format_tick`] labels a numeric tick like Grafana's axes: when the field sets no
//!   decimals and the unit allows it, the increment's decimals (`guessDecimals` of the
//!   increment rounded to 6 places) are used and trailing zeros dropped (`60.00 ms` →
//!   `60 ms`); otherwise the field's decimals (or automatic ones) apply unchanged.
//! - [`numeric_axis`] combines the two: positions and labels for one numeric axis.

use crate::civil::{civil_from_ms, format_ms, ms_from_civil, Civil, MAX_DATE_MS};
use crate::jsnum::{js_string_to_number, to_js_string};
use crate::scale_range::{incr_round_up, round_dec};
use crate::units::{can_trim_trailing_zeros, format_raw};

/// Numeric axis ticks.
#[derive(Debug, Clone, PartialEq)]
pub struct NumericTicks {
    /// Distance between ticks.
    pub incr: f64,
    /// Decimals needed to print the ticks (pass to `format_value`).
    pub decimals: u32,
    /// Tick positions, ascending.
    pub values: Vec<f64>,
}

/// uPlot's `numIncrs`: 1, 2, 2.5, 5 × 10^k for k in −32..32, each with its exact decimals
/// (`fixedDec`), built like uPlot from the decimal text so the doubles are identical.
fn increments() -> impl Iterator<Item = (f64, u32)> {
    (-32i32..32).flat_map(|exp| {
        [("1", 0u32), ("2", 0), ("2.5", 1), ("5", 0)]
            .into_iter()
            .map(move |(mult, mult_dec)| {
                let incr = js_string_to_number(&format!("{mult}e{exp}"));
                let exp_dec = if exp >= 0 { 0 } else { exp.unsigned_abs() };
                let dec = exp_dec + if exp >= mult_dec as i32 { 0 } else { mult_dec };
                (incr, dec)
            })
    })
}

/// uPlot's `numIntDigits` (on the 32-bit integer part, as JS bit operators see it).
fn int_digits(x: f64) -> u32 {
    let i = if x.is_finite() {
        (x.trunc() as i64 as u64 & 0xFFFF_FFFF) as u32 as i32
    } else {
        0
    };
    let abs = i.unsigned_abs();
    let log = f64::from(abs).log10();
    (if log.is_finite() { log as u32 } else { 0 }) + 1
}

/// Nice numeric ticks for `[min, max]` on an axis `length_px` long; see module docs.
pub fn numeric_ticks(min: f64, max: f64, length_px: f64, min_space_px: f64) -> NumericTicks {
    let (lo, hi) = if min <= max { (min, max) } else { (max, min) };
    let range = hi - lo;
    if !(min.is_finite() && max.is_finite()) {
        return NumericTicks {
            incr: 0.0,
            decimals: 0,
            values: Vec::new(),
        };
    }
    if range == 0.0 || length_px <= 0.0 {
        return NumericTicks {
            incr: 0.0,
            decimals: crate::units::decimals_for_value(lo),
            values: vec![lo],
        };
    }
    // uPlot's `findIncr`: the first increment giving at least `min_space_px` per step.
    let digits = int_digits(lo).max(int_digits(hi));
    let found = increments().find(|&(incr, dec)| {
        length_px * incr / range >= min_space_px && digits + if incr < 5.0 { dec } else { 0 } <= 17
    });
    let Some((incr, decimals)) = found else {
        return NumericTicks {
            incr: 0.0,
            decimals: 0,
            values: Vec::new(),
        };
    };
    // uPlot's `numAxisSplits`.
    let dec = decimals as i32;
    let mut values = Vec::new();
    let mut v = round_dec(incr_round_up(lo, incr), dec);
    while v <= hi && values.len() < 10_000 {
        values.push(if v == 0.0 { 0.0 } else { v });
        v = round_dec(v + incr, dec);
    }
    NumericTicks {
        incr,
        decimals,
        values,
    }
}

/// Grafana's `guessDecimals`: digits after the point in the increment's JS string.
pub fn guess_decimals(incr: f64) -> u32 {
    let rounded = (incr * 1e6).round() / 1e6;
    let text = to_js_string(rounded);
    text.split_once('.')
        .map_or(0, |(_, frac)| frac.len() as u32)
}

/// A numeric axis label for `value` on an axis stepping by `incr`; see module docs.
pub fn format_tick(value: f64, unit: &str, incr: f64, field_decimals: Option<u32>) -> String {
    let guessed = guess_decimals(incr);
    let can_trim = field_decimals.is_none() && can_trim_trailing_zeros(unit);
    if can_trim && guessed > 0 {
        let mut v = format_raw(value, unit, Some(guessed));
        // `+text + ''` in Grafana: 60.00 → 60 (only numeric texts survive that unchanged).
        let numeric = js_string_to_number(&v.text);
        if !numeric.is_nan() && !v.text.trim().is_empty() {
            v.text = to_js_string(numeric);
        }
        return v.to_string();
    }
    format_raw(value, unit, field_decimals).to_string()
}

/// A labelled numeric axis in one call: [`numeric_ticks`] positions, each labelled with
/// [`format_tick`] (Grafana's y axes pass `min_space_px` = 30).
pub fn numeric_axis(
    min: f64,
    max: f64,
    length_px: f64,
    min_space_px: f64,
    unit: &str,
    field_decimals: Option<u32>,
) -> Vec<(f64, String)> {
    let ticks = numeric_ticks(min, max, length_px, min_space_px);
    ticks
        .values
        .iter()
        .map(|&v| (v, format_tick(v, unit, ticks.incr, field_decimals)))
        .collect()
}

const SECOND: f64 = 1000.0;
const MINUTE: f64 = 60.0 * SECOND;
const HOUR: f64 = 60.0 * MINUTE;
const DAY: f64 = 24.0 * HOUR;
/// Grafana's `timeUnitSize.month` and `.year`, used to pick label formats.
const MONTH: f64 = 28.0 * DAY;
const YEAR: f64 = 365.0 * DAY;

/// uPlot's time increments: fixed lengths in ms, then calendar months (30 days) and
/// years (365 days).
#[derive(Debug, Clone, Copy, PartialEq)]
enum TimeIncr {
    Fixed(f64),
    Months(u32),
    Years(u32),
}

impl TimeIncr {
    /// The nominal length uPlot compares against the space available.
    fn ms(self) -> f64 {
        match self {
            Self::Fixed(ms) => ms,
            Self::Months(n) => f64::from(n) * 30.0 * DAY,
            Self::Years(n) => f64::from(n) * YEAR,
        }
    }
}

const TIME_INCREMENTS: [TimeIncr; 50] = [
    TimeIncr::Fixed(1.0),
    TimeIncr::Fixed(2.0),
    TimeIncr::Fixed(5.0),
    TimeIncr::Fixed(10.0),
    TimeIncr::Fixed(20.0),
    TimeIncr::Fixed(25.0),
    TimeIncr::Fixed(50.0),
    TimeIncr::Fixed(100.0),
    TimeIncr::Fixed(200.0),
    TimeIncr::Fixed(250.0),
    TimeIncr::Fixed(500.0),
    TimeIncr::Fixed(SECOND),
    TimeIncr::Fixed(5.0 * SECOND),
    TimeIncr::Fixed(10.0 * SECOND),
    TimeIncr::Fixed(15.0 * SECOND),
    TimeIncr::Fixed(30.0 * SECOND),
    TimeIncr::Fixed(MINUTE),
    TimeIncr::Fixed(5.0 * MINUTE),
    TimeIncr::Fixed(10.0 * MINUTE),
    TimeIncr::Fixed(15.0 * MINUTE),
    TimeIncr::Fixed(30.0 * MINUTE),
    TimeIncr::Fixed(HOUR),
    TimeIncr::Fixed(2.0 * HOUR),
    TimeIncr::Fixed(3.0 * HOUR),
    TimeIncr::Fixed(4.0 * HOUR),
    TimeIncr::Fixed(6.0 * HOUR),
    TimeIncr::Fixed(8.0 * HOUR),
    TimeIncr::Fixed(12.0 * HOUR),
    TimeIncr::Fixed(DAY),
    TimeIncr::Fixed(2.0 * DAY),
    TimeIncr::Fixed(3.0 * DAY),
    TimeIncr::Fixed(4.0 * DAY),
    TimeIncr::Fixed(5.0 * DAY),
    TimeIncr::Fixed(6.0 * DAY),
    TimeIncr::Fixed(7.0 * DAY),
    TimeIncr::Fixed(8.0 * DAY),
    TimeIncr::Fixed(9.0 * DAY),
    TimeIncr::Fixed(10.0 * DAY),
    TimeIncr::Fixed(15.0 * DAY),
    TimeIncr::Months(1),
    TimeIncr::Months(2),
    TimeIncr::Months(3),
    TimeIncr::Months(4),
    TimeIncr::Months(6),
    TimeIncr::Years(1),
    TimeIncr::Years(2),
    TimeIncr::Years(5),
    TimeIncr::Years(10),
    TimeIncr::Years(25),
    TimeIncr::Years(50),
];

/// One labelled time tick.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeTick {
    /// Epoch milliseconds.
    pub ms: f64,
    /// The label, in Grafana's format for the increment.
    pub label: String,
}

/// Time axis ticks.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeTicks {
    /// Nominal increment in ms (months count as 30 days, years as 365 days).
    pub incr_ms: f64,
    /// The label pattern used.
    pub format: &'static str,
    pub ticks: Vec<TimeTick>,
}

/// Grafana's tick label pattern for a time increment (`formatTime` in its uPlot config).
pub fn time_format_for_increment(incr_ms: f64) -> &'static str {
    let year_days = (YEAR / DAY).round();
    if incr_ms < SECOND {
        "HH:mm:ss.SSS"
    } else if incr_ms < MINUTE {
        "HH:mm:ss"
    } else if incr_ms <= HOUR {
        "HH:mm"
    } else if incr_ms <= DAY {
        "MM/DD HH:mm"
    } else if incr_ms <= MONTH {
        "MM/DD"
    } else if (incr_ms / DAY).round() == year_days {
        "YYYY"
    } else if incr_ms <= YEAR {
        "YYYY-MM"
    } else {
        "YYYY"
    }
}

/// Time ticks for `[start_ms, end_ms]` on an axis `width_px` wide; see module docs.
pub fn time_ticks(
    start_ms: f64,
    end_ms: f64,
    width_px: f64,
    min_space_px: f64,
    utc_offset_minutes: i32,
) -> TimeTicks {
    let (lo, hi) = if start_ms <= end_ms {
        (start_ms, end_ms)
    } else {
        (end_ms, start_ms)
    };
    // Beyond JS dates (or NaN) there is nothing to label.
    let (lo, hi) = (lo.max(-MAX_DATE_MS), hi.min(MAX_DATE_MS));
    if lo.is_nan() || hi.is_nan() || lo > hi {
        return TimeTicks {
            incr_ms: 0.0,
            format: time_format_for_increment(0.0),
            ticks: Vec::new(),
        };
    }
    let range = hi - lo;
    // uPlot's `findIncr`: the first increment giving at least `min_space_px` per step.
    let space = min_space_px.max(1.0);
    let incr = TIME_INCREMENTS
        .iter()
        .copied()
        .find(|i| range == 0.0 || width_px * i.ms() / range >= space)
        .unwrap_or(TimeIncr::Years(100));
    let ms_list = match incr {
        TimeIncr::Fixed(ms) => fixed_ticks(lo, hi, ms, utc_offset_minutes),
        TimeIncr::Months(n) => calendar_ticks(lo, hi, n, false, utc_offset_minutes),
        TimeIncr::Years(n) => calendar_ticks(lo, hi, n, true, utc_offset_minutes),
    };
    let incr_ms = incr.ms();
    let format = time_format_for_increment(incr_ms);
    let ticks = ms_list
        .into_iter()
        .map(|ms| TimeTick {
            ms,
            label: format_ms(ms, format, utc_offset_minutes),
        })
        .collect();
    TimeTicks {
        incr_ms,
        format,
        ticks,
    }
}

/// Multiples of a fixed increment in local time (days start at local midnight).
fn fixed_ticks(lo: f64, hi: f64, incr: f64, utc_offset_minutes: i32) -> Vec<f64> {
    let offset = f64::from(utc_offset_minutes) * MINUTE;
    let first_local = if incr > DAY {
        // Multi-day steps start at the first local midnight in range.
        ((lo + offset) / DAY).ceil() * DAY
    } else {
        ((lo + offset) / incr).ceil() * incr
    };
    (0..)
        .map(|k| first_local + f64::from(k) * incr - offset)
        .take_while(|t| *t <= hi)
        .take(10_000)
        .collect()
}

/// uPlot's month/year splits: from the first of `lo`'s month (January 1st for years),
/// or one step after it when `lo` is past it, then every `n` months (years).
fn calendar_ticks(lo: f64, hi: f64, n: u32, years: bool, utc_offset_minutes: i32) -> Vec<f64> {
    let start = civil_from_ms(lo, utc_offset_minutes);
    let month_of = |index: i64| Civil {
        year: index.div_euclid(12),
        month: (index.rem_euclid(12) + 1) as u32,
        day: 1,
        hour: 0,
        minute: 0,
        second: 0,
        millisecond: 0,
    };
    let step = i64::from(n) * if years { 12 } else { 1 };
    let base_month = if years { 0 } else { i64::from(start.month) - 1 };
    let mut index = start.year * 12 + base_month;
    if ms_from_civil(&month_of(index), utc_offset_minutes) != lo {
        index += step;
    }
    let mut ticks = Vec::new();
    // Bounded by steps taken, not ticks kept, so odd bounds cannot spin.
    for _ in 0..10_000 {
        let ms = ms_from_civil(&month_of(index), utc_offset_minutes);
        if ms > hi {
            break;
        }
        ticks.push(ms);
        index += step;
    }
    ticks
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
    fn numeric_ticks_are_nice() {
        let t = numeric_ticks(0.0, 100.0, 300.0, 30.0);
        assert_eq!(t.incr, 10.0);
        assert_eq!(
            t.values,
            (0..=10).map(|i| f64::from(i) * 10.0).collect::<Vec<_>>()
        );
        let t = numeric_ticks(0.0, 1.0, 200.0, 30.0);
        assert_eq!(t.incr, 0.2);
        assert_eq!(t.decimals, 1);
        assert_eq!(t.values, vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        let t = numeric_ticks(-3.7, 12.2, 150.0, 30.0);
        assert_eq!(t.incr, 5.0);
        assert_eq!(t.values, vec![0.0, 5.0, 10.0]);
        let t = numeric_ticks(0.1, 0.35, 100.0, 30.0);
        assert_eq!(t.incr, 0.1);
        assert_eq!(t.values, vec![0.1, 0.2, 0.3]);
    }

    #[test]
    fn two_and_a_half_steps_like_uplot() {
        // 0..10 on 120 px at 30 px: 2.5 is the smallest increment with room.
        let t = numeric_ticks(0.0, 10.0, 120.0, 30.0);
        assert_eq!(t.incr, 2.5);
        assert_eq!(t.decimals, 1);
        assert_eq!(t.values, vec![0.0, 2.5, 5.0, 7.5, 10.0]);
        let t = numeric_ticks(0.0, 1.0, 120.0, 30.0);
        assert_eq!((t.incr, t.decimals), (0.25, 2));
        assert_eq!(t.values, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
    }

    #[test]
    fn tiny_values_keep_their_decimals() {
        // From uPlot under Node: incr 2.5e-7 over −5.75e-6..−2.51e-6 on 434 px.
        let t = numeric_ticks(
            -0.000005748805403709411,
            -0.000002514604522155762,
            434.0,
            30.0,
        );
        assert_eq!(t.incr, 2.5e-7);
        assert_eq!(t.decimals, 8);
        assert_eq!(t.values.len(), 12);
        assert_eq!(t.values[0], -0.0000055);
        assert_eq!(t.values[11], -0.00000275);
    }

    #[test]
    fn numeric_ticks_respect_spacing() {
        for (min, max, px) in [
            (0.0, 7.3, 250.0),
            (1e6, 3.3e6, 400.0),
            (-0.004, 0.009, 120.0),
        ] {
            let t = numeric_ticks(min, max, px, 30.0);
            let spacing = t.incr / (max - min) * px;
            assert!(spacing >= 30.0 - 1e-9, "{spacing}");
            // The next smaller 1-2-5 step would be too dense.
            assert!(t.values.len() >= 2);
            assert!(t
                .values
                .iter()
                .all(|v| *v >= min - 1e-12 && *v <= max + 1e-12));
        }
    }

    #[test]
    fn degenerate_numeric_ranges() {
        assert_eq!(numeric_ticks(5.0, 5.0, 100.0, 30.0).values, vec![5.0]);
        assert!(numeric_ticks(f64::NAN, 1.0, 100.0, 30.0).values.is_empty());
    }

    #[test]
    fn tick_labels_like_grafana_axes() {
        assert_eq!(guess_decimals(0.2), 1);
        assert_eq!(guess_decimals(0.1 + 0.2), 1);
        assert_eq!(guess_decimals(25.0), 0);
        assert_eq!(guess_decimals(0.0025), 4);
        // 0.5 s with 1 decimal is "500.0 ms"; the zero is dropped.
        assert_eq!(format_tick(0.5, "s", 0.5, None), "500 ms");
        assert_eq!(format_tick(1.5, "s", 0.5, None), "1.5 s");
        assert_eq!(format_tick(0.4, "percentunit", 0.2, None), "40%");
        assert_eq!(format_tick(0.4, "percentunit", 0.2, Some(2)), "40.00%");
        assert_eq!(format_tick(2000.0, "bytes", 1000.0, None), "1.95 KiB");
        assert_eq!(format_tick(3.0, "none", 1.0, Some(2)), "3.00");
        // Grafana's displayProcessor tests with adjacent (tick) decimals.
        assert_eq!(format_tick(0.06, "s", 0.01, None), "60 ms");
        assert_eq!(format_tick(1.2, "", 0.01, None), "1.2");
        assert_eq!(format_tick(13.50008, "", 0.001, None), "13.5");
        assert_eq!(format_tick(1.2, "currencyUSD", 0.01, None), "$1.20");
        assert_eq!(format_tick(1.0, "bool", 0.01, None), "True");
        assert_eq!(format_tick(3500000.0, "locale", 0.01, None), "3,500,000");
        assert_eq!(format_tick(35.0, "", 0.01, Some(5)), "35.00000");
    }

    #[test]
    fn numeric_axis_labels_each_tick_with_the_increment() {
        let axis = numeric_axis(0.0, 0.1, 300.0, 30.0, "s", None);
        let ticks = numeric_ticks(0.0, 0.1, 300.0, 30.0);
        assert_eq!(axis.len(), ticks.values.len());
        assert_eq!(axis.first().map(|(_, l)| l.as_str()), Some("0 s"));
        assert_eq!(axis.get(1).map(|(_, l)| l.as_str()), Some("10 ms"));
        assert_eq!(axis.last().map(|(v, _)| *v), Some(0.1));
        assert!(numeric_axis(f64::NAN, 1.0, 300.0, 30.0, "", None).is_empty());
    }

    #[test]
    fn time_ticks_for_one_hour() {
        // 2024-03-05 14:00 UTC .. 15:00 UTC on 600 px with 60 px labels → 10 min steps.
        let start = 1_709_647_200_000.0;
        let t = time_ticks(start, start + HOUR, 600.0, 60.0, 0);
        assert_eq!(t.incr_ms, 10.0 * MINUTE);
        assert_eq!(t.format, "HH:mm");
        let labels: Vec<&str> = t.ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(
            labels,
            ["14:00", "14:10", "14:20", "14:30", "14:40", "14:50", "15:00"]
        );
        // Same instant in UTC+05:30.
        let t = time_ticks(start, start + HOUR, 600.0, 60.0, 330);
        assert_eq!(t.ticks[0].label, "19:30");
    }

    #[test]
    fn time_formats_by_increment() {
        let start = 1_709_647_200_000.0;
        let t = time_ticks(start, start + 60.0 * SECOND, 600.0, 60.0, 0);
        assert_eq!(t.format, "HH:mm:ss");
        let t = time_ticks(start, start + 2.0 * DAY, 600.0, 60.0, 0);
        assert_eq!(t.format, "MM/DD HH:mm");
        assert_eq!(t.ticks[0].label, "03/05 18:00");
        let t = time_ticks(start, start + 30.0 * DAY, 600.0, 60.0, 0);
        assert_eq!(t.format, "MM/DD");
        // 3-day steps from the first local midnight.
        assert_eq!(t.ticks[0].label, "03/06");
        let t = time_ticks(start, start + 3.0 * YEAR, 600.0, 60.0, 0);
        assert_eq!(t.format, "YYYY-MM");
        // 4-month steps counted from the month after the start (uPlot): Jul, Nov, Mar.
        let months: Vec<&str> = t.ticks.iter().map(|tick| &tick.label[5..]).collect();
        assert!(
            months.iter().all(|m| ["07", "11", "03"].contains(m)),
            "{months:?}"
        );
        assert_eq!(t.ticks[0].label, "2024-07");
        let t = time_ticks(start, start + 40.0 * YEAR, 600.0, 60.0, 0);
        assert_eq!(t.format, "YYYY");
        // 5-year steps from the year after the start: 2024 + 5.
        assert_eq!(t.ticks[0].label, "2029");
        assert_eq!(time_format_for_increment(500.0), "HH:mm:ss.SSS");
    }
}
