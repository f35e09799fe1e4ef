//! Where a time series line is broken, as Grafana's `spanNulls` / `insertNulls` decide.
//!
//! Contract of [`line_runs`] (NaN values are nulls; timestamps ascending):
//! - a gap lies between two consecutive non-null points when a null lies between them, or
//!   when `insert_nulls_ms` is set and two neighbouring timestamps between them are more
//!   than that apart (Grafana's `applyNullInsertThreshold` inserts a null there);
//! - `SpanNulls::Never` (Grafana's default, `spanNulls: false`) breaks the line at every
//!   gap; `Always` (`true`) never breaks it; `Below(ms)` (a number) connects across a gap
//!   when the two points are less than `ms` apart (`nullToUndefThreshold`);
//! - the result is the inclusive index ranges of the connected runs, each starting and
//!   ending on a non-null point (nulls inside a run are skipped when drawing). A run of
//!   one point is an isolated point Grafana shows as a dot.

/// Grafana's `custom.spanNulls`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum SpanNulls {
    /// `false` / unset: every null breaks the line.
    #[default]
    Never,
    /// `true`: nulls never break the line.
    Always,
    /// A number of milliseconds: gaps shorter than this are bridged.
    Below(f64),
}

impl SpanNulls {
    /// From the JSON value: `true`, `false`, a number (ms; `-1` and ≤ 0 mean never).
    pub fn from_config(flag: Option<bool>, threshold_ms: Option<f64>) -> Self {
        match (flag, threshold_ms) {
            (Some(true), _) => Self::Always,
            (_, Some(ms)) if ms > 0.0 => Self::Below(ms),
            _ => Self::Never,
        }
    }
}

/// The connected runs of a series; see module docs.
pub fn line_runs(
    ts: &[f64],
    vs: &[f64],
    span: SpanNulls,
    insert_nulls_ms: Option<f64>,
) -> Vec<(usize, usize)> {
    let len = ts.len().min(vs.len());
    let mut runs = Vec::new();
    let mut run: Option<(usize, usize)> = None;
    let mut null_since_prev = false;
    for i in 0..len {
        let (Some(&t), Some(&v)) = (ts.get(i), vs.get(i)) else {
            break;
        };
        let wide_step = insert_nulls_ms.is_some_and(|limit| {
            i.checked_sub(1)
                .and_then(|p| ts.get(p))
                .is_some_and(|&prev_t| t - prev_t > limit)
        });
        if wide_step {
            null_since_prev = true;
        }
        if v.is_nan() {
            null_since_prev = true;
            continue;
        }
        run = match run {
            None => Some((i, i)),
            Some((start, end)) => {
                let prev_t = ts.get(end).copied().unwrap_or(f64::NAN);
                let connected = !null_since_prev
                    || match span {
                        SpanNulls::Never => false,
                        SpanNulls::Always => true,
                        SpanNulls::Below(ms) => t - prev_t < ms,
                    };
                if connected {
                    Some((start, i))
                } else {
                    runs.push((start, end));
                    Some((i, i))
                }
            }
        };
        null_since_prev = false;
    }
    runs.extend(run);
    runs
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

    const N: f64 = f64::NAN;

    #[test]
    fn nulls_break_by_default() {
        let ts = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0];
        let vs = [1.0, 2.0, N, 4.0, N, N];
        assert_eq!(
            line_runs(&ts, &vs, SpanNulls::Never, None),
            vec![(0, 1), (3, 3)]
        );
        assert_eq!(line_runs(&ts, &vs, SpanNulls::Always, None), vec![(0, 3)]);
        assert!(line_runs(&ts, &[N; 6], SpanNulls::Always, None).is_empty());
    }

    #[test]
    fn threshold_bridges_short_gaps_only() {
        let ts = [0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0];
        let vs = [1.0, N, 1.0, N, N, N, 1.0, 1.0];
        // 0 → 20 is 20 ms apart (< 25: bridged); 20 → 60 is 40 ms (broken).
        assert_eq!(
            line_runs(&ts, &vs, SpanNulls::Below(25.0), None),
            vec![(0, 2), (6, 7)]
        );
        // Grafana compares strictly: exactly the threshold breaks.
        assert_eq!(
            line_runs(&ts, &vs, SpanNulls::Below(20.0), None),
            vec![(0, 0), (2, 2), (6, 7)]
        );
    }

    #[test]
    fn wide_steps_count_as_nulls() {
        let ts = [0.0, 15.0, 30.0, 100.0, 115.0];
        let vs = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(
            line_runs(&ts, &vs, SpanNulls::Never, Some(30.0)),
            vec![(0, 2), (3, 4)]
        );
        assert_eq!(
            line_runs(&ts, &vs, SpanNulls::Always, Some(30.0)),
            vec![(0, 4)]
        );
        assert_eq!(line_runs(&ts, &vs, SpanNulls::Never, None), vec![(0, 4)]);
    }

    #[test]
    fn config_values() {
        assert_eq!(SpanNulls::from_config(Some(true), None), SpanNulls::Always);
        assert_eq!(SpanNulls::from_config(Some(false), None), SpanNulls::Never);
        assert_eq!(
            SpanNulls::from_config(None, Some(3600000.0)),
            SpanNulls::Below(3600000.0)
        );
        assert_eq!(SpanNulls::from_config(None, Some(-1.0)), SpanNulls::Never);
    }
}
