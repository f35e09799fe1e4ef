//! Per-pixel-column min/max decimation (uPlot's / M4's), for drawing long series.
//!
//! Contract of [`decimate`]:
//! - Points are grouped by pixel column `floor(x_to_px(t))`; timestamps must be ascending
//!   (column boundaries are found by bisection, so `x_to_px` runs O(log n) times per column).
//! - Decimation only happens when there are at least `4 × width` points (uPlot's rule);
//!   below that the input is returned unchanged.
//! - Per column at most four points are kept — the first, the minimum, the maximum and
//!   the last value — in their original order, so the drawn envelope is exact at pixel
//!   resolution. Overall first and last points are always kept.
//! - NaN values are gaps: a column that contains a NaN keeps one NaN point (at the time
//!   of its first NaN), so the line breaks there; consecutive gap markers collapse to one.
//! - With all points inside `0..width` the output holds at most `4 × width` values plus
//!   at most one gap marker per column.

/// The indices (and extreme values) of what one column keeps.
struct Column {
    first: usize,
    last: usize,
    min: usize,
    max: usize,
    min_v: f64,
    max_v: f64,
    has_value: bool,
    gap: Option<usize>,
}

impl Column {
    fn new() -> Self {
        Self {
            first: 0,
            last: 0,
            min: 0,
            max: 0,
            min_v: f64::INFINITY,
            max_v: f64::NEG_INFINITY,
            has_value: false,
            gap: None,
        }
    }

    #[inline]
    fn add(&mut self, i: usize, v: f64) {
        if v.is_nan() {
            self.gap.get_or_insert(i);
            return;
        }
        if !self.has_value {
            self.has_value = true;
            self.first = i;
        }
        self.last = i;
        // Strict comparisons keep the earliest of equal extremes, as uPlot does.
        if v < self.min_v {
            self.min_v = v;
            self.min = i;
        }
        if v > self.max_v {
            self.max_v = v;
            self.max = i;
        }
    }

    /// Kept indices in time order; may contain duplicates (callers skip repeats).
    fn kept(&self) -> ([usize; 5], usize) {
        let mut out = [0usize; 5];
        let mut len = 0;
        let candidates = [
            self.has_value.then_some(self.first),
            self.has_value.then_some(self.min),
            self.has_value.then_some(self.max),
            self.has_value.then_some(self.last),
            self.gap,
        ];
        for i in candidates.into_iter().flatten() {
            if let Some(slot) = out.get_mut(len) {
                *slot = i;
                len += 1;
            }
        }
        if let Some(kept) = out.get_mut(..len) {
            kept.sort_unstable();
        }
        (out, len)
    }
}

/// Decimates `(ts, vs)` to at most four points per pixel column; see module docs.
/// `x_to_px` maps a timestamp to a (fractional) pixel position; `width` is the plot width.
pub fn decimate<F: Fn(f64) -> f64>(
    ts: &[f64],
    vs: &[f64],
    x_to_px: F,
    width: usize,
) -> (Vec<f64>, Vec<f64>) {
    let n = ts.len().min(vs.len());
    let (ts, vs) = (
        ts.get(..n).unwrap_or_default(),
        vs.get(..n).unwrap_or_default(),
    );
    if width == 0 || n < width.saturating_mul(4) {
        return (ts.to_vec(), vs.to_vec());
    }
    let mut out_t = Vec::with_capacity(width * 4 + 2);
    let mut out_v = Vec::with_capacity(width * 4 + 2);
    let column_of = |i: usize| ts.get(i).map(|t| x_to_px(*t).floor());
    let mut start = 0;
    while start < n {
        let px = column_of(start);
        let end = column_end(start, n, |i| column_of(i) == px);
        let column = scan(vs.get(start..end).unwrap_or_default(), start);
        emit(&column, ts, vs, &mut out_t, &mut out_v);
        start = end;
    }
    (out_t, out_v)
}

/// One column's kept points; `values` start at index `start`. Kept out of line on purpose:
/// a browser runs a wasm function's first call in baseline code to its end (no on-stack
/// replacement), so one call looping over 100,000 points never gets faster, while this
/// small function, called once per column, is optimised after the first few hundred calls
/// and later columns (and series) run the optimised code.
#[inline(never)]
fn scan(values: &[f64], start: usize) -> Column {
    let mut column = Column::new();
    for (k, v) in values.iter().enumerate() {
        column.add(start + k, *v);
    }
    column
}

/// The first index after `start` (up to `n`) not in `start`'s column. Galloping then
/// bisecting keeps `x_to_px` calls logarithmic per column; this relies on timestamps
/// (and so pixel columns) being non-decreasing.
fn column_end(start: usize, n: usize, same_column: impl Fn(usize) -> bool) -> usize {
    let mut inside = start;
    let mut step = 1;
    let mut outside = loop {
        let probe = inside.saturating_add(step);
        if probe >= n {
            break n;
        }
        if !same_column(probe) {
            break probe;
        }
        inside = probe;
        step *= 2;
    };
    while outside - inside > 1 {
        let mid = inside + (outside - inside) / 2;
        if same_column(mid) {
            inside = mid;
        } else {
            outside = mid;
        }
    }
    outside = outside.max(inside + 1);
    outside
}

fn emit(column: &Column, ts: &[f64], vs: &[f64], out_t: &mut Vec<f64>, out_v: &mut Vec<f64>) {
    let (kept, len) = column.kept();
    let mut previous = None;
    for &i in kept.get(..len).unwrap_or_default() {
        if previous == Some(i) {
            continue;
        }
        previous = Some(i);
        let (Some(t), Some(v)) = (ts.get(i), vs.get(i)) else {
            continue;
        };
        // Two gap markers in a row draw nothing more than one.
        if v.is_nan() && out_v.last().is_some_and(|last| last.is_nan()) {
            continue;
        }
        out_t.push(*t);
        out_v.push(*v);
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

    /// A deterministic pseudo-random walk with some NaN gaps.
    fn walk(n: usize, gaps: bool) -> (Vec<f64>, Vec<f64>) {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut v = 0.0;
        let mut ts = Vec::with_capacity(n);
        let mut vs = Vec::with_capacity(n);
        for i in 0..n {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            v += (state % 2001) as f64 / 1000.0 - 1.0;
            ts.push(i as f64 * 10.0);
            let is_gap = gaps && (i % 997 == 500 || (i / 3000) % 7 == 3 && i % 3000 < 40);
            vs.push(if is_gap { f64::NAN } else { v });
        }
        (ts, vs)
    }

    fn px_of(ts: &[f64], width: usize) -> impl Fn(f64) -> f64 {
        let (t0, t1) = (ts[0], ts[ts.len() - 1]);
        move |t| (t - t0) / (t1 - t0) * (width as f64 - 1e-9)
    }

    #[test]
    fn small_inputs_are_untouched() {
        let (ts, vs) = walk(399, false);
        let (ot, ov) = decimate(&ts, &vs, px_of(&ts, 100), 100);
        assert_eq!(ot, ts);
        assert_eq!(ov.len(), vs.len());
    }

    #[test]
    fn per_column_extremes_first_and_last_are_kept() {
        let width = 300;
        let (ts, vs) = walk(100_000, true);
        let px = px_of(&ts, width);
        let (ot, ov) = decimate(&ts, &vs, &px, width);
        let values = ov.iter().filter(|v| !v.is_nan()).count();
        assert!(values <= 4 * width, "{values} values for {width} px");
        assert!(
            ot.windows(2).all(|w| w[0] <= w[1]),
            "output must stay in time order"
        );
        assert_eq!(ot[0], ts[0]);
        assert_eq!(*ot.last().unwrap(), *ts.last().unwrap());
        for col in 0..width {
            let in_col = |t: &f64| px(*t).floor() as usize == col;
            let input: Vec<f64> = ts
                .iter()
                .zip(&vs)
                .filter(|(t, _)| in_col(t))
                .map(|(_, v)| *v)
                .collect();
            let output: Vec<f64> = ot
                .iter()
                .zip(&ov)
                .filter(|(t, _)| in_col(t))
                .map(|(_, v)| *v)
                .collect();
            let finite = |xs: &[f64]| {
                xs.iter()
                    .copied()
                    .filter(|v| !v.is_nan())
                    .collect::<Vec<_>>()
            };
            let (fi, fo) = (finite(&input), finite(&output));
            let min = |xs: &[f64]| xs.iter().copied().fold(f64::INFINITY, f64::min);
            let max = |xs: &[f64]| xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            assert_eq!(min(&fi), min(&fo), "column {col} min");
            assert_eq!(max(&fi), max(&fo), "column {col} max");
            assert_eq!(fi.first(), fo.first(), "column {col} first");
            assert_eq!(fi.last(), fo.last(), "column {col} last");
            if input.iter().any(|v| v.is_nan()) {
                // The column keeps a gap marker, unless the marker of the column before
                // already covers it (the gap runs across the column boundary).
                let first_out = ot.iter().position(in_col);
                let continued =
                    first_out.is_some_and(|i| i > 0 && ov[i - 1].is_nan()) && input[0].is_nan();
                assert!(
                    output.iter().any(|v| v.is_nan()) || continued,
                    "column {col} lost its gap"
                );
            }
        }
    }

    #[test]
    fn gaps_survive_and_collapse() {
        let n = 4000;
        let ts: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let vs: Vec<f64> = (0..n)
            .map(|i| {
                if (1000..2000).contains(&i) {
                    f64::NAN
                } else {
                    i as f64
                }
            })
            .collect();
        let (ot, ov) = decimate(&ts, &vs, |t| t / 10.0, 400);
        let nan_count = ov.iter().filter(|v| v.is_nan()).count();
        assert_eq!(nan_count, 1, "one gap run gives one marker");
        let gap_at = ov.iter().position(|v| v.is_nan()).unwrap();
        assert!(ov[gap_at - 1] < 1000.0 && ov[gap_at + 1] >= 2000.0);
        assert_eq!(ot.len(), ov.len());
    }
}
