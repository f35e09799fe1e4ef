//! Date units: epoch milliseconds shown as dates (`dateTimeAsIso`, `dateTimeAsUS`, their
//! "no date if today" variants, `dateTimeAsSystem`, `dateTimeFromNow`, `time:<pattern>`).
//!
//! Contract: patterns as Grafana's (`YYYY-MM-DD HH:mm:ss`, `MM/DD/YYYY h:mm:ss a`, …) in
//! the [`DateContext`]'s UTC offset; "today" and "from now" need `now_ms` — without it
//! the full date is shown and `dateTimeFromNow` falls back to the ISO form.
//! `dateTimeFromNow` words match moment's `fromNow` (`a few seconds ago`, `5 minutes
//! ago`, `in 2 hours`, `a year ago` …, same thresholds, calendar months first; checked
//! against moment on 600 random times in `tests/data/moment_from_now.tsv`).

use super::FormattedValue;
use crate::civil::{civil_from_ms, format_ms};

/// Where and when dates are shown.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct DateContext {
    /// Minutes east of UTC (e.g. 120 for UTC+2).
    pub utc_offset_minutes: i32,
    /// The current time in epoch ms, for "today" and "from now".
    pub now_ms: Option<f64>,
}

const ISO: &str = "YYYY-MM-DD HH:mm:ss";
const US: &str = "MM/DD/YYYY h:mm:ss a";

/// Formats `ms` for a date unit; `None` when `unit` is not a date unit.
pub fn format_date(ms: f64, unit: &str, ctx: &DateContext) -> Option<FormattedValue> {
    if let Some(pattern) = unit.strip_prefix("time:") {
        return Some(text(format_ms(ms, pattern, ctx.utc_offset_minutes)));
    }
    let (pattern, today_pattern) = match unit {
        "dateTimeAsIso" | "dateTimeAsSystem" | "dateTimeAsLocal" => (ISO, None),
        "dateTimeAsIsoNoDateIfToday" | "dateTimeAsLocalNoDateIfToday" => (ISO, Some("HH:mm:ss")),
        "dateTimeAsUS" => (US, None),
        "dateTimeAsUSNoDateIfToday" => (US, Some("h:mm:ss a")),
        "dateTimeFromNow" => {
            return Some(text(match ctx.now_ms {
                Some(now) => from_now_in(ms, now, ctx.utc_offset_minutes),
                None => format_ms(ms, ISO, ctx.utc_offset_minutes),
            }))
        }
        _ => return None,
    };
    let is_today = |now: f64| {
        let (a, b) = (
            civil_from_ms(ms, ctx.utc_offset_minutes),
            civil_from_ms(now, ctx.utc_offset_minutes),
        );
        (a.year, a.month, a.day) == (b.year, b.month, b.day)
    };
    let chosen = match (today_pattern, ctx.now_ms) {
        (Some(today), Some(now)) if is_today(now) => today,
        _ => pattern,
    };
    Some(text(format_ms(ms, chosen, ctx.utc_offset_minutes)))
}

fn text(t: String) -> FormattedValue {
    FormattedValue::text_only(t)
}

/// moment's `fromNow()` for a time `ms` seen at `now`, in UTC.
pub fn from_now(ms: f64, now: f64) -> String {
    from_now_in(ms, now, 0)
}

/// moment's `fromNow()` for a time `ms` seen at `now`, with calendar months counted at
/// `utc_offset_minutes` (moment measures whole calendar months first, then the rest).
pub fn from_now_in(ms: f64, now: f64, utc_offset_minutes: i32) -> String {
    let (base, other) = if now < ms { (now, ms) } else { (ms, now) };
    let (months, rest_ms) = calendar_difference(base, other, utc_offset_minutes);
    let phrase = relative_phrase(months, rest_ms);
    if ms > now {
        format!("in {phrase}")
    } else {
        format!("{phrase} ago")
    }
}

/// `ms` moved by `n` calendar months (day clamped to the month's length), keeping the
/// local time of day.
fn add_months(ms: f64, n: i64, utc_offset_minutes: i32) -> f64 {
    let mut c = civil_from_ms(ms, utc_offset_minutes);
    let index = c.year * 12 + i64::from(c.month) - 1 + n;
    c.year = index.div_euclid(12);
    c.month = (index.rem_euclid(12) + 1) as u32;
    let next_month_start =
        crate::civil::days_from_civil(c.year + i64::from(c.month == 12), c.month % 12 + 1, 1);
    let days_in_month = next_month_start - crate::civil::days_from_civil(c.year, c.month, 1);
    c.day = c.day.min(days_in_month.clamp(1, 31) as u32);
    crate::civil::ms_from_civil(&c, utc_offset_minutes) + ms.fract()
}

/// moment's `positiveMomentsDifference`: whole calendar months from `base` to `other`
/// (`base <= other`) and the milliseconds left over.
fn calendar_difference(base: f64, other: f64, utc_offset_minutes: i32) -> (f64, f64) {
    let (b, o) = (
        civil_from_ms(base, utc_offset_minutes),
        civil_from_ms(other, utc_offset_minutes),
    );
    let mut months = i64::from(o.month) - i64::from(b.month) + (o.year - b.year) * 12;
    if add_months(base, months, utc_offset_minutes) > other {
        months -= 1;
    }
    (
        months as f64,
        other - add_months(base, months, utc_offset_minutes),
    )
}

/// moment's `relativeTime` (thresholds 45 s, 45 min, 22 h, 26 d, 11 months) on a
/// duration of `months` calendar months plus `ms`.
fn relative_phrase(months: f64, ms: f64) -> String {
    let round = crate::jsnum::js_round;
    // moment's `as()` conversions: months ↔ days with 400-year cycle lengths.
    let days = round(months * 146_097.0 / 4800.0);
    let seconds = round(days * 86_400.0 + ms / 1000.0);
    let minutes = round(days * 1440.0 + ms / 60_000.0);
    let hours = round(days * 24.0 + ms / 3_600_000.0);
    let whole_days = round(days + ms / 86_400_000.0);
    let as_months = months + ms / 86_400_000.0 * 4800.0 / 146_097.0;
    let (months, years) = (round(as_months), round(as_months / 12.0));
    let n = |v: f64| crate::jsnum::to_js_string(v);
    if seconds <= 44.0 {
        "a few seconds".to_string()
    } else if seconds < 45.0 {
        format!("{} seconds", n(seconds))
    } else if minutes <= 1.0 {
        "a minute".to_string()
    } else if minutes < 45.0 {
        format!("{} minutes", n(minutes))
    } else if hours <= 1.0 {
        "an hour".to_string()
    } else if hours < 22.0 {
        format!("{} hours", n(hours))
    } else if whole_days <= 1.0 {
        "a day".to_string()
    } else if whole_days < 26.0 {
        format!("{} days", n(whole_days))
    } else if months <= 1.0 {
        "a month".to_string()
    } else if months < 11.0 {
        format!("{} months", n(months))
    } else if years <= 1.0 {
        "a year".to_string()
    } else {
        format!("{} years", n(years))
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

    // 2024-03-05T14:07:09.042Z
    const T: f64 = 1_709_647_629_042.0;

    fn fmt(unit: &str, ctx: &DateContext) -> String {
        format_date(T, unit, ctx).unwrap().to_string()
    }

    #[test]
    fn fixed_patterns() {
        let utc = DateContext::default();
        assert_eq!(fmt("dateTimeAsIso", &utc), "2024-03-05 14:07:09");
        assert_eq!(fmt("dateTimeAsUS", &utc), "03/05/2024 2:07:09 pm");
        assert_eq!(fmt("time:YYYY/MM/DD", &utc), "2024/03/05");
        let cest = DateContext {
            utc_offset_minutes: 120,
            now_ms: None,
        };
        assert_eq!(fmt("dateTimeAsIso", &cest), "2024-03-05 16:07:09");
        assert!(format_date(T, "s", &utc).is_none());
    }

    #[test]
    fn today_variants() {
        let same_day = DateContext {
            utc_offset_minutes: 0,
            now_ms: Some(T + 3_600_000.0),
        };
        assert_eq!(fmt("dateTimeAsIsoNoDateIfToday", &same_day), "14:07:09");
        assert_eq!(fmt("dateTimeAsUSNoDateIfToday", &same_day), "2:07:09 pm");
        let next_day = DateContext {
            utc_offset_minutes: 0,
            now_ms: Some(T + 86_400_000.0),
        };
        assert_eq!(
            fmt("dateTimeAsIsoNoDateIfToday", &next_day),
            "2024-03-05 14:07:09"
        );
    }

    #[test]
    fn from_now_words() {
        let s = 1000.0;
        assert_eq!(from_now(T - 10.0 * s, T), "a few seconds ago");
        assert_eq!(from_now(T - 60.0 * s, T), "a minute ago");
        assert_eq!(from_now(T - 5.0 * 60.0 * s, T), "5 minutes ago");
        assert_eq!(from_now(T + 2.0 * 3600.0 * s, T), "in 2 hours");
        assert_eq!(from_now(T - 23.0 * 3600.0 * s, T), "a day ago");
        assert_eq!(from_now(T - 3.0 * 86400.0 * s, T), "3 days ago");
        assert_eq!(from_now(T - 40.0 * 86400.0 * s, T), "a month ago");
        assert_eq!(from_now(T - 100.0 * 86400.0 * s, T), "3 months ago");
        assert_eq!(from_now(T - 400.0 * 86400.0 * s, T), "a year ago");
        assert_eq!(from_now(T - 1000.0 * 86400.0 * s, T), "3 years ago");
        let ctx = DateContext {
            utc_offset_minutes: 0,
            now_ms: Some(T + 300.0 * s),
        };
        assert_eq!(fmt("dateTimeFromNow", &ctx), "5 minutes ago");
    }
}
