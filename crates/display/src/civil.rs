//! Civil (proleptic Gregorian) calendar math for epoch milliseconds at a fixed UTC
//! offset, and Grafana/moment-style date formatting — without a date crate.
//!
//! Contract: [`civil_from_ms`] and [`ms_from_civil`] are exact inverses for whole
//! milliseconds (Howard Hinnant's days-from-civil algorithm). [`format_ms`] understands
//! the moment tokens `YYYY`, `MM`, `DD`, `HH`, `hh`, `mm`, `ss`, `SSS` (zero padded), `M`,
//! `D`, `h` (unpadded), `a`/`A` (am/pm) and `[literal]`; any other text is copied as is.
//! Times outside JavaScript's `Date` range print as `Invalid date`, like moment.

const MS_PER_DAY: i64 = 86_400_000;

/// A calendar date and time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    /// 1..=12
    pub month: u32,
    /// 1..=31
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub millisecond: u32,
}

/// Days since 1970-01-01 for a civil date.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number (days since 1970-01-01).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// JavaScript's `Date` range: ±8.64e15 ms around the epoch.
pub const MAX_DATE_MS: f64 = 8.64e15;

/// Local civil time of epoch milliseconds `ms` at `utc_offset_minutes` east of UTC
/// (`ms` is clamped to the JS `Date` range; NaN reads as 0).
pub fn civil_from_ms(ms: f64, utc_offset_minutes: i32) -> Civil {
    let ms = if ms.is_nan() {
        0.0
    } else {
        ms.clamp(-MAX_DATE_MS, MAX_DATE_MS)
    };
    let local = (ms.floor() as i64).saturating_add(i64::from(utc_offset_minutes) * 60_000);
    let days = local.div_euclid(MS_PER_DAY);
    let in_day = local.rem_euclid(MS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    Civil {
        year,
        month,
        day,
        hour: (in_day / 3_600_000) as u32,
        minute: (in_day / 60_000 % 60) as u32,
        second: (in_day / 1000 % 60) as u32,
        millisecond: (in_day % 1000) as u32,
    }
}

/// Epoch milliseconds of a local civil time at `utc_offset_minutes` east of UTC.
pub fn ms_from_civil(c: &Civil, utc_offset_minutes: i32) -> f64 {
    let days = days_from_civil(c.year, c.month, c.day);
    let in_day = i64::from(c.hour) * 3_600_000
        + i64::from(c.minute) * 60_000
        + i64::from(c.second) * 1000
        + i64::from(c.millisecond);
    // In f64: far-off years must not overflow.
    days as f64 * MS_PER_DAY as f64 + in_day as f64 - f64::from(utc_offset_minutes) * 60_000.0
}

/// Formats `ms` with a moment-style pattern (see module docs); outside the JS `Date`
/// range (or NaN) this is moment's `Invalid date`.
pub fn format_ms(ms: f64, pattern: &str, utc_offset_minutes: i32) -> String {
    if ms.is_nan() || ms.abs() > MAX_DATE_MS {
        return "Invalid date".to_string();
    }
    let c = civil_from_ms(ms, utc_offset_minutes);
    let hour12 = if c.hour.is_multiple_of(12) {
        12
    } else {
        c.hour % 12
    };
    let tokens: [(&str, String); 13] = [
        ("YYYY", format!("{:04}", c.year)),
        ("SSS", format!("{:03}", c.millisecond)),
        ("MM", format!("{:02}", c.month)),
        ("DD", format!("{:02}", c.day)),
        ("HH", format!("{:02}", c.hour)),
        ("hh", format!("{hour12:02}")),
        ("mm", format!("{:02}", c.minute)),
        ("ss", format!("{:02}", c.second)),
        ("M", c.month.to_string()),
        ("D", c.day.to_string()),
        ("h", hour12.to_string()),
        ("a", if c.hour < 12 { "am" } else { "pm" }.to_string()),
        ("A", if c.hour < 12 { "AM" } else { "PM" }.to_string()),
    ];
    let mut out = String::with_capacity(pattern.len() + 4);
    let mut rest = pattern;
    'outer: while !rest.is_empty() {
        // `[text]` is copied literally, as in moment.
        if let Some(after_open) = rest.strip_prefix('[') {
            if let Some((literal, after)) = after_open.split_once(']') {
                out.push_str(literal);
                rest = after;
                continue;
            }
        }
        for (token, value) in &tokens {
            if let Some(after) = rest.strip_prefix(token) {
                out.push_str(value);
                rest = after;
                continue 'outer;
            }
        }
        let mut chars = rest.chars();
        if let Some(ch) = chars.next() {
            out.push(ch);
        }
        rest = chars.as_str();
    }
    out
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
    fn known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
    }

    #[test]
    fn round_trip_over_many_days() {
        for d in (-800_000..800_000).step_by(997) {
            let (y, m, day) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, day), d);
        }
    }

    #[test]
    fn formatting_with_offsets() {
        // 2024-03-05T14:07:09.042Z
        let ms = 1_709_647_629_042.0;
        assert_eq!(
            format_ms(ms, "YYYY-MM-DD HH:mm:ss.SSS", 0),
            "2024-03-05 14:07:09.042"
        );
        assert_eq!(format_ms(ms, "MM/DD HH:mm", 120), "03/05 16:07");
        assert_eq!(format_ms(ms, "MM/DD HH:mm", -900), "03/04 23:07");
        assert_eq!(
            format_ms(ms, "MM/DD/YYYY h:mm:ss a", 0),
            "03/05/2024 2:07:09 pm"
        );
        assert_eq!(
            format_ms(ms, "[Day] D, hh A", -840),
            "[Day] 5, 12 AM".replace(['[', ']'], "")
        );
        let c = civil_from_ms(ms, 60);
        assert_eq!(ms_from_civil(&c, 60), ms);
        assert_eq!(format_ms(1e300, "YYYY", 0), "Invalid date");
        assert_eq!(format_ms(f64::NAN, "YYYY", 0), "Invalid date");
        assert_eq!(format_ms(-8.64e15, "YYYY-MM-DD", 0), "-271821-04-20");
    }
}
