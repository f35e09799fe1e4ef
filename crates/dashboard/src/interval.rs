//! Query interval arithmetic the way Grafana does it for Prometheus.
//!
//! Contract: `calculate_interval` = Grafana's `rangeutil.calculateInterval` (range divided by
//! the resolution, rounded by `round_interval`, never below the minimum interval);
//! `rate_interval_ms` = max(interval + scrape, 4 × scrape). Durations are parsed in Grafana /
//! Prometheus syntax (`500ms`, `15s`, `1m30s`, `1h`, `7d`, `1w`, `1y`; a bare number is seconds).

/// Milliseconds per unit, longest first.
const UNITS: [(&str, u64); 7] = [
    ("y", 365 * 86_400_000),
    ("w", 7 * 86_400_000),
    ("d", 86_400_000),
    ("h", 3_600_000),
    ("m", 60_000),
    ("s", 1_000),
    ("ms", 1),
];

/// Parses a duration such as `15s`, `1m30s`, `250ms` or `30` (seconds) into milliseconds.
pub fn parse_duration_ms(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(seconds) = text.parse::<f64>() {
        return (seconds >= 0.0 && seconds.is_finite()).then(|| (seconds * 1000.0).round() as u64);
    }
    let mut total = 0u64;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest.get(..digits)?.parse().ok()?;
        rest = rest.get(digits..)?;
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = rest.get(..unit_len)?;
        let factor = UNITS
            .iter()
            .find(|(name, _)| *name == unit)
            .map(|(_, ms)| *ms)?;
        total = total.checked_add((number * factor as f64).round() as u64)?;
        rest = rest.get(unit_len..)?;
    }
    Some(total)
}

/// Formats milliseconds as the largest exact unit (`60000` → `1m`, `90000` → `90s`,
/// `1500` → `1500ms`): valid in PromQL and in Grafana.
pub fn format_duration_ms(ms: u64) -> String {
    if ms == 0 {
        return "0s".to_string();
    }
    if !ms.is_multiple_of(1000) {
        return format!("{ms}ms");
    }
    let exact = [
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1_000),
    ];
    for (unit, size) in exact {
        if ms.is_multiple_of(size) {
            return format!("{}{unit}", ms / size);
        }
    }
    format!("{ms}ms")
}

/// Grafana's `roundInterval`: snaps a raw interval (ms) to a "nice" one.
pub fn round_interval(interval_ms: f64) -> u64 {
    // (upper bound exclusive, result) pairs from Grafana's rangeutil.
    const STEPS: [(f64, u64); 28] = [
        (15.0, 10),
        (35.0, 20),
        (75.0, 50),
        (150.0, 100),
        (350.0, 200),
        (750.0, 500),
        (1_500.0, 1_000),
        (3_500.0, 2_000),
        (7_500.0, 5_000),
        (12_500.0, 10_000),
        (17_500.0, 15_000),
        (25_000.0, 20_000),
        (45_000.0, 30_000),
        (90_000.0, 60_000),
        (210_000.0, 120_000),
        (450_000.0, 300_000),
        (750_000.0, 600_000),
        (1_050_000.0, 900_000),
        (1_500_000.0, 1_200_000),
        (2_700_000.0, 1_800_000),
        (5_400_000.0, 3_600_000),
        (9_000_000.0, 7_200_000),
        (16_200_000.0, 10_800_000),
        (27_000_000.0, 21_600_000),
        (86_400_000.0, 43_200_000),
        (604_800_000.0, 86_400_000),
        (1_814_400_000.0, 604_800_000),
        (3_628_800_000.0, 2_592_000_000),
    ];
    STEPS
        .iter()
        .find(|(bound, _)| interval_ms < *bound)
        .map_or(31_536_000_000, |(_, result)| *result)
}

/// Grafana's `$__interval`: `round_interval(range / resolution)`, at least `min_interval_ms`
/// (default 1 ms). `resolution` is the panel's `maxDataPoints`, or its width in pixels.
pub fn calculate_interval(range_ms: u64, resolution: u64, min_interval_ms: Option<u64>) -> u64 {
    let raw = range_ms as f64 / resolution.max(1) as f64;
    round_interval(raw).max(min_interval_ms.unwrap_or(1))
}

/// The `auto` option of an interval variable: the range split into `auto_count` steps,
/// rounded like `$__interval`, never below `auto_min` (Grafana's interval variable).
pub fn auto_interval_ms(range_ms: u64, auto_count: u32, auto_min: &str) -> u64 {
    calculate_interval(
        range_ms,
        u64::from(auto_count.max(1)),
        parse_duration_ms(auto_min),
    )
}

/// `$__rate_interval` = max(interval + scrape interval, 4 × scrape interval).
pub fn rate_interval_ms(interval_ms: u64, scrape_interval_ms: u64) -> u64 {
    interval_ms
        .saturating_add(scrape_interval_ms)
        .max(scrape_interval_ms.saturating_mul(4))
}

/// The step Grafana's Prometheus datasource sends: max(interval × factor, min step,
/// range / 11000 (Prometheus' 11 000-point limit)), in ms.
pub fn prometheus_step_ms(
    interval_ms: u64,
    min_step_ms: u64,
    range_ms: u64,
    interval_factor: u32,
) -> u64 {
    let safe = range_ms.div_ceil(11_000).max(1);
    interval_ms
        .saturating_mul(u64::from(interval_factor.max(1)))
        .max(min_step_ms)
        .max(safe)
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
    fn parses_grafana_and_prometheus_durations() {
        assert_eq!(parse_duration_ms("15s"), Some(15_000));
        assert_eq!(parse_duration_ms("1m30s"), Some(90_000));
        assert_eq!(parse_duration_ms("250ms"), Some(250));
        assert_eq!(parse_duration_ms("2h"), Some(7_200_000));
        assert_eq!(parse_duration_ms("1w"), Some(604_800_000));
        assert_eq!(parse_duration_ms("30"), Some(30_000));
        assert_eq!(parse_duration_ms("5x"), None);
        assert_eq!(parse_duration_ms(""), None);
        assert_eq!(parse_duration_ms("$interval"), None);
    }

    #[test]
    fn formats_largest_exact_unit() {
        assert_eq!(format_duration_ms(60_000), "1m");
        assert_eq!(format_duration_ms(90_000), "90s");
        assert_eq!(format_duration_ms(1_500), "1500ms");
        assert_eq!(format_duration_ms(86_400_000), "1d");
    }

    #[test]
    fn round_interval_matches_grafana_table() {
        assert_eq!(round_interval(14.0), 10);
        assert_eq!(round_interval(15.0), 20);
        assert_eq!(round_interval(21_600.0), 20_000);
        assert_eq!(round_interval(25_000.0), 30_000);
        assert_eq!(round_interval(100_000.0), 120_000);
        assert_eq!(round_interval(1e12), 31_536_000_000);
    }

    #[test]
    fn calculate_interval_for_six_hours_over_1000_points() {
        // 6h / 1000 = 21.6s → 20s.
        assert_eq!(calculate_interval(6 * 3_600_000, 1000, None), 20_000);
        // the min interval wins when larger
        assert_eq!(
            calculate_interval(6 * 3_600_000, 1000, Some(60_000)),
            60_000
        );
        // 5m over 1000 px = 300 ms → 200 ms
        assert_eq!(calculate_interval(300_000, 1000, None), 200);
    }

    #[test]
    fn auto_interval_variable() {
        // 1h / 300 = 12 s → 10 s, and the 10 s minimum holds
        assert_eq!(auto_interval_ms(3_600_000, 300, "10s"), 10_000);
        assert_eq!(auto_interval_ms(3_600_000, 300, "1m"), 60_000);
        // 24h / 30 = 48 min → 1 h
        assert_eq!(auto_interval_ms(86_400_000, 30, "10s"), 3_600_000);
    }

    #[test]
    fn rate_interval_is_at_least_four_scrapes() {
        assert_eq!(rate_interval_ms(20_000, 15_000), 60_000);
        assert_eq!(rate_interval_ms(120_000, 15_000), 135_000);
    }

    #[test]
    fn prometheus_step_honours_point_limit_and_factor() {
        assert_eq!(prometheus_step_ms(1_000, 0, 30 * 86_400_000, 1), 235_637);
        assert_eq!(prometheus_step_ms(15_000, 0, 3_600_000, 2), 30_000);
        assert_eq!(prometheus_step_ms(15_000, 60_000, 3_600_000, 1), 60_000);
    }
}
