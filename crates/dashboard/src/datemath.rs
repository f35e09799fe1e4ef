//! Grafana time expressions: `now`, `now-6h`, `now-1d/d`, `now/w`, ISO dates and epoch ms,
//! resolved to epoch milliseconds; Grafana's quick ranges.
//!
//! Contract: `parse_time(text, now_ms, round_up, utc_offset_minutes)` follows Grafana's
//! datemath: after `now`, any number of `±N unit` steps and `/unit` roundings (units `y M w d
//! h m s`); rounding goes to the start of the unit, or to its last millisecond when
//! `round_up` (used for the `to` side). Calendar units are computed in the given UTC offset
//! (0 = UTC; the app passes the browser's offset for `timezone: browser`); weeks start on
//! Monday. Absolute forms: epoch milliseconds and ISO 8601 `YYYY-MM-DD[THH:MM[:SS[.fff]]][Z]`.
//! Returns `None` for anything else — never panics.

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// Grafana's quick ranges: (from, to, label).
pub const QUICK_RANGES: [(&str, &str, &str); 24] = [
    ("now-5m", "now", "Last 5 minutes"),
    ("now-15m", "now", "Last 15 minutes"),
    ("now-30m", "now", "Last 30 minutes"),
    ("now-1h", "now", "Last 1 hour"),
    ("now-3h", "now", "Last 3 hours"),
    ("now-6h", "now", "Last 6 hours"),
    ("now-12h", "now", "Last 12 hours"),
    ("now-24h", "now", "Last 24 hours"),
    ("now-2d", "now", "Last 2 days"),
    ("now-7d", "now", "Last 7 days"),
    ("now-30d", "now", "Last 30 days"),
    ("now-90d", "now", "Last 90 days"),
    ("now-6M", "now", "Last 6 months"),
    ("now-1y", "now", "Last 1 year"),
    ("now-1d/d", "now-1d/d", "Yesterday"),
    ("now-1w/w", "now-1w/w", "Previous week"),
    ("now-1M/M", "now-1M/M", "Previous month"),
    ("now/d", "now/d", "Today"),
    ("now/d", "now", "Today so far"),
    ("now/w", "now/w", "This week"),
    ("now/w", "now", "This week so far"),
    ("now/M", "now/M", "This month"),
    ("now/M", "now", "This month so far"),
    ("now/y", "now", "This year so far"),
];

/// The quick-range label for `from`..`to`, else `"from to to"`.
pub fn describe_range(from: &str, to: &str) -> String {
    QUICK_RANGES
        .iter()
        .find(|(f, t, _)| *f == from && *t == to)
        .map_or_else(
            || format!("{from} to {to}"),
            |(_, _, label)| label.to_string(),
        )
}

/// Resolves a Grafana time expression to epoch milliseconds.
pub fn parse_time(text: &str, now_ms: i64, round_up: bool, utc_offset_minutes: i32) -> Option<i64> {
    let text = text.trim();
    let offset = i64::from(utc_offset_minutes) * MINUTE;
    if let Some(mut rest) = text.strip_prefix("now") {
        // Work in local wall-clock milliseconds, convert back at the end.
        let mut t = now_ms.checked_add(offset)?;
        while !rest.is_empty() {
            let (op, tail) = rest.split_at_checked(1)?;
            let digits = tail
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(tail.len());
            let (number, tail) = tail.split_at_checked(digits)?;
            let (unit, tail) = tail.split_at_checked(1)?;
            let unit = unit.chars().next()?;
            t = match op {
                "/" if number.is_empty() => round(t, unit, round_up)?,
                "+" | "-" => {
                    let n: i64 = if number.is_empty() {
                        1
                    } else {
                        number.parse().ok()?
                    };
                    add(t, if op == "-" { -n } else { n }, unit)?
                }
                _ => return None,
            };
            rest = tail;
        }
        return t.checked_sub(offset);
    }
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
        return text.parse().ok();
    }
    parse_iso(text).and_then(|(local, zulu)| {
        if zulu {
            Some(local)
        } else {
            local.checked_sub(offset)
        }
    })
}

/// Adds `n` units to local time `t`; months and years keep the day of month (clamped).
fn add(t: i64, n: i64, unit: char) -> Option<i64> {
    let fixed = match unit {
        's' => 1_000,
        'm' => MINUTE,
        'h' => HOUR,
        'd' => DAY,
        'w' => 7 * DAY,
        'M' => return add_months(t, n),
        'y' => return add_months(t, n.checked_mul(12)?),
        _ => return None,
    };
    t.checked_add(n.checked_mul(fixed)?)
}

fn add_months(t: i64, n: i64) -> Option<i64> {
    let days = t.div_euclid(DAY);
    let time_of_day = t.rem_euclid(DAY);
    let (y, m, d) = civil_from_days(days);
    let total = y.checked_mul(12)?.checked_add(m - 1)?.checked_add(n)?;
    let (y2, m2) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    if !(-1_000_000..=1_000_000).contains(&y2) {
        return None;
    }
    let d2 = d.min(days_in_month(y2, m2));
    days_from_civil(y2, m2, d2)
        .checked_mul(DAY)?
        .checked_add(time_of_day)
}

/// Start of the unit containing `t`, or its last millisecond when `round_up`.
fn round(t: i64, unit: char, round_up: bool) -> Option<i64> {
    let days = t.div_euclid(DAY);
    let (y, m, _) = civil_from_days(days);
    let (start, next) = match unit {
        's' | 'm' | 'h' | 'd' => {
            let size = match unit {
                's' => 1_000,
                'm' => MINUTE,
                'h' => HOUR,
                _ => DAY,
            };
            let start = t.div_euclid(size) * size;
            (start, start.checked_add(size)?)
        }
        'w' => {
            // 1970-01-01 was a Thursday: Monday-based weekday = (days + 3) mod 7.
            let monday = days - (days + 3).rem_euclid(7);
            (
                monday.checked_mul(DAY)?,
                monday.checked_add(7)?.checked_mul(DAY)?,
            )
        }
        'M' => {
            let start = days_from_civil(y, m, 1).checked_mul(DAY)?;
            (start, add_months(start, 1)?)
        }
        'y' => (
            days_from_civil(y, 1, 1).checked_mul(DAY)?,
            days_from_civil(y + 1, 1, 1).checked_mul(DAY)?,
        ),
        _ => return None,
    };
    Some(if round_up {
        next.saturating_sub(1)
    } else {
        start
    })
}

/// `YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][Z]` → (ms, ends with `Z`).
fn parse_iso(text: &str) -> Option<(i64, bool)> {
    let (body, zulu) = match text.strip_suffix('Z') {
        Some(b) => (b, true),
        None => (text, false),
    };
    let (date, time) = match body.split_once(['T', ' ']) {
        Some((d, t)) => (d, t),
        None => (body, ""),
    };
    let mut parts = date.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    let valid_date = (-1_000_000..=1_000_000).contains(&y)
        && (1..=12).contains(&m)
        && (1..=days_in_month(y, m)).contains(&d);
    if parts.next().is_some() || !valid_date {
        return None;
    }
    let mut ms = days_from_civil(y, m, d).checked_mul(DAY)?;
    if !time.is_empty() {
        let (hms, frac) = time.split_once('.').unwrap_or((time, ""));
        let mut fields = hms.split(':');
        let h: i64 = fields.next()?.parse().ok()?;
        let mi: i64 = fields.next()?.parse().ok()?;
        let s: i64 = fields.next().map_or(Some(0), |s| s.parse().ok())?;
        if fields.next().is_some() || h > 23 || mi > 59 || s > 60 {
            return None;
        }
        let millis: i64 = if frac.is_empty() {
            0
        } else {
            format!("{frac:0<3}").get(..3)?.parse().ok()?
        };
        ms = ms.checked_add(h * HOUR + mi * MINUTE + s * 1_000 + millis)?;
    }
    Some((ms, zulu))
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of `days_from_civil`.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
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

    /// 2024-03-15T10:30:45.500Z, a Friday.
    const NOW: i64 = 1_710_498_645_500;

    fn at(text: &str) -> i64 {
        parse_time(text, 0, false, 0).unwrap()
    }

    #[test]
    fn civil_round_trip() {
        for days in [-800_000, -1, 0, 59, 365, 11_016, 19_797, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(19_797), (2024, 3, 15));
    }

    #[test]
    fn relative_offsets() {
        assert_eq!(parse_time("now", NOW, false, 0), Some(NOW));
        assert_eq!(parse_time("now-6h", NOW, false, 0), Some(NOW - 6 * HOUR));
        assert_eq!(
            parse_time("now+15m", NOW, false, 0),
            Some(NOW + 15 * MINUTE)
        );
        assert_eq!(
            parse_time("now-1M", NOW, false, 0),
            Some(at("2024-02-15T10:30:45.500Z"))
        );
        assert_eq!(
            parse_time("now-1y", NOW, false, 0),
            Some(at("2023-03-15T10:30:45.500Z"))
        );
        assert_eq!(
            parse_time("now-2d-3h", NOW, false, 0),
            Some(NOW - 2 * DAY - 3 * HOUR)
        );
    }

    #[test]
    fn rounding_down_and_up() {
        assert_eq!(
            parse_time("now/d", NOW, false, 0),
            Some(at("2024-03-15T00:00:00Z"))
        );
        assert_eq!(
            parse_time("now/d", NOW, true, 0),
            Some(at("2024-03-16T00:00:00Z") - 1)
        );
        assert_eq!(
            parse_time("now-1d/d", NOW, false, 0),
            Some(at("2024-03-14T00:00:00Z"))
        );
        assert_eq!(
            parse_time("now/w", NOW, false, 0),
            Some(at("2024-03-11T00:00:00Z"))
        );
        assert_eq!(
            parse_time("now/M", NOW, false, 0),
            Some(at("2024-03-01T00:00:00Z"))
        );
        assert_eq!(
            parse_time("now/M", NOW, true, 0),
            Some(at("2024-04-01T00:00:00Z") - 1)
        );
        assert_eq!(
            parse_time("now/y", NOW, false, 0),
            Some(at("2024-01-01T00:00:00Z"))
        );
        assert_eq!(
            parse_time("now-1M/M", NOW, false, 0),
            Some(at("2024-02-01T00:00:00Z"))
        );
    }

    #[test]
    fn rounding_in_a_local_offset() {
        // UTC+02:00: local midnight of 2024-03-15 is 22:00 UTC the day before.
        assert_eq!(
            parse_time("now/d", NOW, false, 120),
            Some(at("2024-03-14T22:00:00Z"))
        );
        assert_eq!(
            parse_time("2024-03-15T00:00", NOW, false, 120),
            Some(at("2024-03-14T22:00:00Z"))
        );
        assert_eq!(
            parse_time("2024-03-15T00:00Z", NOW, false, 120),
            Some(at("2024-03-15T00:00:00Z"))
        );
    }

    #[test]
    fn absolute_forms_and_month_ends() {
        assert_eq!(parse_time("1710498645500", 0, false, 0), Some(NOW));
        assert_eq!(at("2024-03-15 10:30:45.5Z"), NOW);
        assert_eq!(at("1970-01-02"), DAY);
        // Mar 31 minus one month clamps to Feb 29 (leap year)
        assert_eq!(
            parse_time("now-1M", at("2024-03-31T00:00:00Z"), false, 0),
            Some(at("2024-02-29T00:00:00Z"))
        );
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "now-",
            "now-5x",
            "now/5d",
            "yesterday",
            "2024-13-01",
            "2024-02-30",
            "now*2h",
            "2024-01-01T25:00",
            "99999999999999999-01-01",
            "now-9223372036854775807y",
            "now-700000000000000000M",
            "now+9300000000000000s",
        ] {
            assert_eq!(parse_time(bad, NOW, false, 0), None, "{bad}");
        }
    }

    #[test]
    fn quick_range_labels() {
        assert_eq!(describe_range("now-6h", "now"), "Last 6 hours");
        assert_eq!(describe_range("now/d", "now"), "Today so far");
        assert_eq!(describe_range("now-3h", "now-1h"), "now-3h to now-1h");
    }
}
