//! Grafana's time units: auto-scaling `ns`, `µs`, `ms`, `s`, `m`, `h`, `d` (`toSeconds`,
//! `toMilliSeconds` …), human durations (`dtdurations`, `dtdurationms`), `dthms`, `dtdhms`
//! and `timeticks`.
//!
//! Contract: the same thresholds and suffixes as Grafana's `dateTimeFormatters`, e.g.
//! `0.0015 s` → `1.50 ms`, `90 s` → `1.50 min`, `0 s` → `0 s`. Grafana's duration loop
//! can print `NaN undefineds` when asked for more parts than units exist; here it stops.

use super::number::to_fixed;
use super::FormattedValue;

/// One scaling step: values below `below` (in the input unit) are divided by `divisor`
/// and get `suffix`.
struct Step {
    below: f64,
    divisor: f64,
    suffix: &'static str,
}

const fn step(below: f64, divisor: f64, suffix: &'static str) -> Step {
    Step {
        below,
        divisor,
        suffix,
    }
}

/// Applies the first step whose bound exceeds |value|, or `last` otherwise.
fn scale_by_steps(
    value: f64,
    decimals: Option<u32>,
    steps: &[Step],
    last: &Step,
) -> FormattedValue {
    let abs = value.abs();
    let chosen = steps.iter().find(|s| abs < s.below).unwrap_or(last);
    FormattedValue::with_suffix(to_fixed(value / chosen.divisor, decimals), chosen.suffix)
}

/// Grafana's `toNanoSeconds`.
pub fn nanoseconds(value: f64, decimals: Option<u32>) -> FormattedValue {
    const STEPS: [Step; 6] = [
        step(1e3, 1.0, " ns"),
        step(1e6, 1e3, " µs"),
        step(1e9, 1e6, " ms"),
        step(60e9, 1e9, " s"),
        step(3600e9, 60e9, " min"),
        step(86400e9, 3600e9, " hour"),
    ];
    scale_by_steps(value, decimals, &STEPS, &step(0.0, 86400e9, " day"))
}

/// Grafana's `toMicroSeconds`.
pub fn microseconds(value: f64, decimals: Option<u32>) -> FormattedValue {
    const STEPS: [Step; 2] = [step(1e3, 1.0, " µs"), step(1e6, 1e3, " ms")];
    scale_by_steps(value, decimals, &STEPS, &step(0.0, 1e6, " s"))
}

/// Grafana's `toMilliSeconds`.
pub fn milliseconds(value: f64, decimals: Option<u32>) -> FormattedValue {
    const STEPS: [Step; 5] = [
        step(1e3, 1.0, " ms"),
        step(60e3, 1e3, " s"),
        step(3600e3, 60e3, " min"),
        step(86400e3, 3600e3, " hour"),
        step(31536000e3, 86400e3, " day"),
    ];
    scale_by_steps(value, decimals, &STEPS, &step(0.0, 31536000e3, " year"))
}

/// Grafana's `toSeconds` (sub-second values go down to ms, µs and ns).
pub fn seconds(value: f64, decimals: Option<u32>) -> FormattedValue {
    if value == 0.0 {
        return FormattedValue::with_suffix("0".to_string(), " s");
    }
    let abs = value.abs();
    if abs < 1.0 {
        let (factor, suffix) = if abs < 1e-6 {
            (1e9, " ns")
        } else if abs < 1e-3 {
            (1e6, " µs")
        } else {
            (1e3, " ms")
        };
        return FormattedValue::with_suffix(to_fixed(value * factor, decimals), suffix);
    }
    const STEPS: [Step; 5] = [
        step(60.0, 1.0, " s"),
        step(3600.0, 60.0, " min"),
        step(86400.0, 3600.0, " hour"),
        step(604800.0, 86400.0, " day"),
        step(31536000.0, 604800.0, " week"),
    ];
    scale_by_steps(value, decimals, &STEPS, &step(0.0, 3.15569e7, " year"))
}

/// Grafana's `toMinutes`.
pub fn minutes(value: f64, decimals: Option<u32>) -> FormattedValue {
    const STEPS: [Step; 4] = [
        step(60.0, 1.0, " min"),
        step(1440.0, 60.0, " hour"),
        step(10080.0, 1440.0, " day"),
        step(604800.0, 10080.0, " week"),
    ];
    scale_by_steps(value, decimals, &STEPS, &step(0.0, 5.25948e5, " year"))
}

/// Grafana's `toHours`.
pub fn hours(value: f64, decimals: Option<u32>) -> FormattedValue {
    const STEPS: [Step; 3] = [
        step(24.0, 1.0, " hour"),
        step(168.0, 24.0, " day"),
        step(8760.0, 168.0, " week"),
    ];
    scale_by_steps(value, decimals, &STEPS, &step(0.0, 8760.0, " year"))
}

/// Grafana's `toDays`.
pub fn days(value: f64, decimals: Option<u32>) -> FormattedValue {
    const STEPS: [Step; 2] = [step(7.0, 1.0, " day"), step(365.0, 7.0, " week")];
    scale_by_steps(value, decimals, &STEPS, &step(0.0, 365.0, " year"))
}

/// Duration units from largest to smallest, with their length in milliseconds.
const DURATION_UNITS: [(&str, f64); 8] = [
    ("year", 31_536_000_000.0),
    ("month", 2_592_000_000.0),
    ("week", 604_800_000.0),
    ("day", 86_400_000.0),
    ("hour", 3_600_000.0),
    ("minute", 60_000.0),
    ("second", 1000.0),
    ("millisecond", 1.0),
];

/// Grafana's `toDuration`: `1 hour, 2 minutes`; `decimals` = how many extra parts.
/// Parts are floored and computed in milliseconds, as Grafana does. `scale_ms` is the
/// length of one input unit in milliseconds (1000 for `dtdurations`).
pub fn duration(
    value: f64,
    decimals: Option<u32>,
    scale_name: &str,
    scale_ms: f64,
) -> FormattedValue {
    if value == 0.0 {
        return FormattedValue::with_suffix("0".to_string(), &format!(" {scale_name}s"));
    }
    if value < 0.0 {
        let mut v = duration(-value, decimals, scale_name, scale_ms);
        v.suffix.push_str(" ago");
        return v;
    }
    let mut remaining = value * scale_ms;
    let mut parts_left = i64::from(decimals.unwrap_or(0));
    let mut started = false;
    let mut parts = Vec::new();
    for (name, length) in DURATION_UNITS {
        if parts_left < 0 {
            break;
        }
        let count = remaining / length;
        if count >= 1.0 || started {
            started = true;
            let whole = count.floor();
            let plural = if whole == 1.0 { "" } else { "s" };
            parts.push(format!(
                "{} {name}{plural}",
                crate::jsnum::to_js_string(whole)
            ));
            remaining %= length;
            parts_left -= 1;
        }
    }
    FormattedValue::text_only(parts.join(", "))
}

/// Grafana's `toClock` (`clockms`; `clocks` passes seconds × 1000): `01h:02m:03s:004ms`,
/// shortened by `decimals` (0 keeps only the largest part).
pub fn clock(ms: f64, decimals: Option<u32>) -> FormattedValue {
    let fmt = |pattern: &str| crate::civil::format_ms(ms, pattern, 0);
    let text = if ms < 1000.0 {
        fmt("SSS[ms]")
    } else if ms < 60_000.0 {
        fmt(if decimals == Some(0) {
            "ss[s]"
        } else {
            "ss[s]:SSS[ms]"
        })
    } else if ms < 3_600_000.0 {
        fmt(match decimals {
            Some(0) => "mm[m]",
            Some(1) => "mm[m]:ss[s]",
            _ => "mm[m]:ss[s]:SSS[ms]",
        })
    } else {
        // Grafana keeps the last two digits of the hour count.
        let hours = format!(
            "0{}",
            crate::jsnum::to_js_string((ms / 3_600_000.0).floor())
        );
        let hours = format!(
            "{}h",
            hours.get(hours.len().saturating_sub(2)..).unwrap_or("")
        );
        match decimals {
            Some(0) => hours,
            Some(1) => format!("{hours}:{}", fmt("mm[m]")),
            Some(2) => format!("{hours}:{}", fmt("mm[m]:ss[s]")),
            _ => format!("{hours}:{}", fmt("mm[m]:ss[s]:SSS[ms]")),
        }
    };
    FormattedValue::text_only(text)
}

/// Two-digit zero padding as Grafana writes clock parts.
fn two_digits(n: f64) -> String {
    if n > 9.0 {
        crate::jsnum::to_js_string(n)
    } else {
        format!("0{}", crate::jsnum::to_js_string(n))
    }
}

/// Grafana's `toDurationInHoursMinutesSeconds` (`dthms`): `01:02:03`.
pub fn hms(value: f64) -> FormattedValue {
    if value < 0.0 {
        let mut v = hms(-value);
        v.suffix.push_str(" ago");
        return v;
    }
    let h = (value / 3600.0).floor();
    let m = ((value % 3600.0) / 60.0).floor();
    let s = ((value % 3600.0) % 60.0).floor();
    FormattedValue::text_only(format!(
        "{}:{}:{}",
        two_digits(h),
        two_digits(m),
        two_digits(s)
    ))
}

/// Grafana's `toDurationInDaysHoursMinutesSeconds` (`dtdhms`): `2 d 01:02:03`.
pub fn dhms(value: f64) -> FormattedValue {
    if value < 0.0 {
        let mut v = dhms(-value);
        v.suffix.push_str(" ago");
        return v;
    }
    let days = (value / 86400.0).floor();
    let rest = hms(value - days * 86400.0).text;
    if days > 0.0 {
        FormattedValue::text_only(format!("{} d {rest}", crate::jsnum::to_js_string(days)))
    } else {
        FormattedValue::text_only(rest)
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

    fn joined(v: FormattedValue) -> String {
        format!("{}{}{}", v.prefix, v.text, v.suffix)
    }

    #[test]
    fn seconds_scale_down_and_up() {
        assert_eq!(joined(seconds(0.0, None)), "0 s");
        assert_eq!(joined(seconds(0.0015, None)), "1.50 ms");
        assert_eq!(joined(seconds(0.0000005, None)), "500 ns");
        assert_eq!(joined(seconds(0.00025, None)), "250 µs");
        assert_eq!(joined(seconds(12.0, None)), "12 s");
        assert_eq!(joined(seconds(90.0, None)), "1.50 min");
        assert_eq!(joined(seconds(7200.0, None)), "2 hour");
        assert_eq!(joined(seconds(172800.0, None)), "2 day");
        assert_eq!(joined(seconds(1209600.0, None)), "2 week");
        // JS Math.round(-1.5) is -1: ties go toward +∞.
        assert_eq!(joined(seconds(-90.0, Some(0))), "-1 min");
    }

    #[test]
    fn milli_micro_nano() {
        assert_eq!(joined(milliseconds(250.0, None)), "250 ms");
        assert_eq!(joined(milliseconds(1500.0, None)), "1.50 s");
        assert_eq!(joined(milliseconds(90000.0, None)), "1.50 min");
        assert_eq!(joined(microseconds(1500.0, None)), "1.50 ms");
        assert_eq!(joined(nanoseconds(1500.0, None)), "1.50 µs");
        assert_eq!(joined(nanoseconds(90e9, None)), "1.50 min");
        assert_eq!(joined(minutes(90.0, None)), "1.50 hour");
        assert_eq!(joined(hours(48.0, None)), "2 day");
        assert_eq!(joined(days(14.0, None)), "2 week");
    }

    #[test]
    fn clocks() {
        assert_eq!(joined(clock(42.0, None)), "042ms");
        assert_eq!(joined(clock(5042.0, None)), "05s:042ms");
        assert_eq!(joined(clock(5042.0, Some(0))), "05s");
        assert_eq!(joined(clock(125_042.0, Some(1))), "02m:05s");
        assert_eq!(joined(clock(3_725_042.0, None)), "01h:02m:05s:042ms");
        assert_eq!(joined(clock(3_725_042.0, Some(0))), "01h");
        assert_eq!(joined(clock(123.0 * 3_600_000.0, Some(0))), "23h");
    }

    #[test]
    fn durations() {
        let dur = |v: f64, d: Option<u32>, name: &str, ms: f64| joined(duration(v, d, name, ms));
        assert_eq!(dur(3700.0, None, "second", 1000.0), "1 hour");
        assert_eq!(dur(3700.0, Some(1), "second", 1000.0), "1 hour, 1 minute");
        assert_eq!(dur(0.0, None, "second", 1000.0), "0 seconds");
        assert_eq!(dur(-60.0, None, "second", 1000.0), "1 minute ago");
        assert_eq!(
            dur(1500.0, Some(1), "millisecond", 1.0),
            "1 second, 500 milliseconds"
        );
        assert_eq!(joined(hms(3723.0)), "01:02:03");
        assert_eq!(joined(dhms(2.0 * 86400.0 + 3723.0)), "2 d 01:02:03");
    }
}
