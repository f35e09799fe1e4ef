//! A field's min/max for gauges, bar gauges, percentage thresholds and continuous
//! colours, resolved as Grafana's `applyFieldOverrides` does with `autoMinMax` (the
//! stat, gauge and bar gauge panels).
//!
//! Contract of [`field_range`]:
//! 1. Configured `min`/`max` win.
//! 2. Units with an implied range fill what is missing: `percent` 0..100,
//!    `percentunit` 0..1.
//! 3. Still missing bounds come from the data of all the panel's numeric series: the
//!    smallest minimum and the largest maximum (NaN is a gap).
//! 4. With no data at all, Grafana's scale falls back to 0..100.

/// The resolved `(min, max)`; see module docs. `series` are all the panel's numeric
/// series (NaN = null).
pub fn field_range(
    unit: &str,
    min: Option<f64>,
    max: Option<f64>,
    series: &[&[f64]],
) -> (f64, f64) {
    let (implied_min, implied_max) = match unit {
        "percent" => (Some(0.0), Some(100.0)),
        "percentunit" => (Some(0.0), Some(1.0)),
        _ => (None, None),
    };
    let min = min.or(implied_min);
    let max = max.or(implied_max);
    if let (Some(lo), Some(hi)) = (min, max) {
        return (lo, hi);
    }
    let (data_min, data_max) = data_range(series);
    match (min.or(data_min), max.or(data_max)) {
        (Some(lo), Some(hi)) => (lo, hi),
        (lo, hi) => (lo.unwrap_or(0.0), hi.unwrap_or(100.0)),
    }
}

/// Smallest and largest non-NaN value over all series.
fn data_range(series: &[&[f64]]) -> (Option<f64>, Option<f64>) {
    let values = series
        .iter()
        .flat_map(|s| s.iter())
        .copied()
        .filter(|v| !v.is_nan());
    values.fold((None, None), |(lo, hi): (Option<f64>, Option<f64>), v| {
        (
            Some(lo.map_or(v, |l| l.min(v))),
            Some(hi.map_or(v, |h| h.max(v))),
        )
    })
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
    fn configured_then_implied_then_data() {
        let data: [&[f64]; 2] = [&[3.0, f64::NAN, 7.0], &[-2.0, 5.0]];
        assert_eq!(field_range("s", Some(1.0), Some(2.0), &data), (1.0, 2.0));
        assert_eq!(field_range("percent", None, None, &data), (0.0, 100.0));
        assert_eq!(
            field_range("percentunit", None, Some(2.0), &data),
            (0.0, 2.0)
        );
        assert_eq!(field_range("short", None, None, &data), (-2.0, 7.0));
        assert_eq!(field_range("short", Some(0.0), None, &data), (0.0, 7.0));
    }

    #[test]
    fn no_data_falls_back_to_0_100() {
        assert_eq!(field_range("short", None, None, &[]), (0.0, 100.0));
        let gaps: [&[f64]; 1] = [&[f64::NAN]];
        assert_eq!(field_range("", Some(10.0), None, &gaps), (10.0, 100.0));
    }
}
