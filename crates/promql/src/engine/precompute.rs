//! Series-major evaluation of `f(selector[range])` for all steps of a range query at once.
//!
//! Contract: evaluating a node at time `t` depends only on `t` (and the query's start/end for
//! `@ start()`/`@ end()`), so a range function over a plain matrix selector can be computed
//! for every step of the query in one pass per series — walking each series' samples once,
//! while they are hot in cache — and then served step by step. Results are identical to the
//! step-by-step path; only the loop order differs.

use std::borrow::Cow;

use promql_parser::parser::{Call, Expr, MatrixSelector};
use signalboard_store::{Labels, STALE_NAN_BITS};

use super::functions::{is_range_function, range_value, Extrapolator};
use super::selector::advance;
use super::{duration_ms, Evaluator, Sample};

/// Whole-range values of one expression node: one row per output series, one slot per
/// query step.
pub(crate) struct Rows {
    pub(crate) labels: Vec<Labels>,
    pub(crate) drop_name: bool,
    pub(crate) steps: usize,
    /// Row-major: `values[row * steps + step]`; None where the series has no value.
    pub(crate) values: Vec<Option<f64>>,
    /// Samples read per step by the selectors below this node (charged when served).
    pub(crate) loaded: Vec<usize>,
}

impl Rows {
    /// The instant vector of step `k`.
    pub(crate) fn materialize(&self, k: usize) -> Vec<Sample> {
        self.labels
            .iter()
            .zip(self.rows())
            .filter_map(|(l, row)| {
                row.get(k).copied().flatten().map(|v| Sample {
                    labels: l.clone(),
                    v,
                    drop_name: self.drop_name,
                })
            })
            .collect()
    }

    /// The rows, in label order of `labels`.
    pub(crate) fn rows(&self) -> std::slice::ChunksExact<'_, Option<f64>> {
        self.values.chunks_exact(self.steps.max(1))
    }
}

/// A range function over a plain matrix selector with constant parameters, whose rows can be
/// computed series by series.
pub(crate) struct Leaf<'e> {
    name: &'static str,
    ms: &'e MatrixSelector,
    param: Option<f64>,
}

impl Leaf<'_> {
    /// Whether the function keeps `__name__`.
    pub(crate) fn drop_name(&self) -> bool {
        !matches!(self.name, "last_over_time" | "first_over_time")
    }
}

/// `call` as a [`Leaf`], when it is one.
pub(crate) fn leaf(call: &Call) -> Option<Leaf<'_>> {
    let name = call.func.name;
    let matrix_arg = match name {
        "quantile_over_time" => 1,
        "absent_over_time" | "double_exponential_smoothing" | "holt_winters" => return None,
        n if is_range_function(n) || n == "predict_linear" => 0,
        _ => return None,
    };
    let Some(Expr::MatrixSelector(ms)) = call.args.args.get(matrix_arg).map(|a| a.as_ref()) else {
        return None;
    };
    let mut param = None;
    for (i, a) in call.args.args.iter().enumerate() {
        match a.as_ref() {
            _ if i == matrix_arg => {}
            Expr::NumberLiteral(n) => param = Some(n.val),
            _ => return None,
        }
    }
    Some(Leaf { name, ms, param })
}

impl Evaluator<'_> {
    /// Index of `t` among the range query's steps, if it is one and there are several.
    pub(crate) fn step_index(&self, t: i64) -> Option<usize> {
        if !self.is_range_query() || t < self.start_ms || t > self.end_ms {
            return None;
        }
        let off = t - self.start_ms;
        (off % self.step_ms == 0).then(|| (off / self.step_ms) as usize)
    }

    /// Whether this is a range query with more than one step.
    pub(crate) fn is_range_query(&self) -> bool {
        self.step_ms > 0 && self.end_ms > self.start_ms
    }

    /// Number of steps of the range query.
    pub(crate) fn steps(&self) -> usize {
        ((self.end_ms - self.start_ms) / self.step_ms.max(1) + 1) as usize
    }

    /// The rows of a leaf, stored.
    pub(crate) fn leaf_rows(&self, leaf: &Leaf<'_>) -> Rows {
        let steps = self.steps();
        let mut labels = Vec::new();
        let mut values = Vec::new();
        let loaded = self.stream_leaf(leaf, |l, row| {
            labels.push(l.clone());
            values.extend_from_slice(row);
        });
        Rows {
            labels,
            drop_name: leaf.drop_name(),
            steps,
            values,
            loaded,
        }
    }

    /// Computes a leaf's rows one series at a time (in label order), handing each to `sink`
    /// while it is hot in cache; returns the samples read per step.
    pub(crate) fn stream_leaf(
        &self,
        leaf: &Leaf<'_>,
        mut sink: impl FnMut(&Labels, &[Option<f64>]),
    ) -> Vec<usize> {
        let ms = leaf.ms;
        let sel = self.selected(&ms.vs);
        let steps = self.steps();
        let range = duration_ms(&ms.range);
        // Window edges per step (the same for every series).
        let edges: Vec<(i64, i64, i64)> = (0..steps)
            .map(|k| {
                let t = self.start_ms + k as i64 * self.step_ms;
                let r = self.reference_time(t, ms.vs.offset.as_ref(), ms.vs.at.as_ref());
                (t, r.saturating_sub(range), r)
            })
            .collect();
        let mut loaded = vec![0usize; steps];
        let mut row = vec![None; steps];
        // Only the span the query's windows cover (edges are monotonic in the step).
        let (first, last) = (
            edges.first().map_or(0, |e| e.1),
            edges.last().map_or(0, |e| e.2),
        );
        for s in &sel.series {
            let lo = seek(&s.timestamps, first.min(last));
            let hi = seek(&s.timestamps, last.max(first)).max(lo);
            let clean = Clean::of(
                s.timestamps.get(lo..hi).unwrap_or(&[]),
                s.values.get(lo..hi).unwrap_or(&[]),
            );
            series_row(leaf, &clean, &edges, range, &mut loaded, &mut row);
            sink(s.labels, &row);
        }
        loaded
    }
}

/// First index with `ts[i] > bound` (`ts` sorted), like `partition_point(|t| t <= bound)`,
/// but starting from the position regular scrapes put `bound` at: a series not in cache costs
/// a few cache lines instead of a binary search's dozen misses.
fn seek(ts: &[i64], bound: i64) -> usize {
    let (Some(&first), Some(&last)) = (ts.first(), ts.last()) else {
        return 0;
    };
    if bound < first {
        return 0;
    }
    if bound >= last {
        return ts.len();
    }
    // first <= bound < last, so there are at least two samples and last > first.
    let end = ts.len() - 1;
    let span = (i128::from(last) - i128::from(first)) as f64;
    let guess = ((i128::from(bound) - i128::from(first)) as f64 / span * end as f64) as usize;
    let mut i = guess.min(end);
    if ts.get(i).is_some_and(|&t| t <= bound) {
        for _ in 0..8 {
            i += 1;
            if ts.get(i).is_none_or(|&t| t > bound) {
                return i;
            }
        }
        i + ts.get(i..).unwrap_or(&[]).partition_point(|&t| t <= bound)
    } else {
        for _ in 0..8 {
            if i == 0 || ts.get(i - 1).is_some_and(|&t| t <= bound) {
                return i;
            }
            i -= 1;
        }
        ts.get(..i).unwrap_or(&[]).partition_point(|&t| t <= bound)
    }
}

/// A series' samples without staleness markers (borrowed when it has none).
struct Clean<'s> {
    ts: Cow<'s, [i64]>,
    vs: Cow<'s, [f64]>,
}

impl<'s> Clean<'s> {
    fn of(ts: &'s [i64], vs: &'s [f64]) -> Self {
        // Compared inline: a call per sample costs more than the scan itself.
        if !vs.iter().any(|v| v.to_bits() == STALE_NAN_BITS) {
            return Clean {
                ts: Cow::Borrowed(ts),
                vs: Cow::Borrowed(vs),
            };
        }
        let (t, v): (Vec<i64>, Vec<f64>) = ts
            .iter()
            .zip(vs)
            .filter(|(_, v)| v.to_bits() != STALE_NAN_BITS)
            .map(|(t, v)| (*t, *v))
            .unzip();
        Clean {
            ts: Cow::Owned(t),
            vs: Cow::Owned(v),
        }
    }
}

/// One series' values for every step into `row`: `rate`/`increase`/`delta` by
/// [`rate_row`], everything else by the generic per-window function.
fn series_row(
    leaf: &Leaf<'_>,
    c: &Clean<'_>,
    edges: &[(i64, i64, i64)],
    range: i64,
    loaded: &mut [usize],
    row: &mut [Option<f64>],
) {
    let (ts, vs) = (c.ts.as_ref(), c.vs.as_ref());
    let name = leaf.name;
    if matches!(name, "rate" | "increase" | "delta") {
        let kind = RateKind {
            counter: name != "delta",
            is_rate: name == "rate",
        };
        return rate_row(ts, vs, kind, edges, range, loaded, row);
    }
    let (mut lo, mut hi) = (0usize, 0usize);
    let mut buf: Vec<(i64, f64)> = Vec::new();
    for ((&(t, start, end), n), slot) in edges.iter().zip(loaded.iter_mut()).zip(row) {
        lo = advance(ts, lo, start);
        hi = advance(ts, hi, end).max(lo);
        *n += hi - lo;
        *slot = if hi == lo {
            None
        } else {
            buf.clear();
            let (wt, wv) = (ts.get(lo..hi).unwrap_or(&[]), vs.get(lo..hi).unwrap_or(&[]));
            buf.extend(wt.iter().copied().zip(wv.iter().copied()));
            range_value(name, &buf, (start, end, range), leaf.param, t)
        };
    }
}

/// Which of `rate`/`increase`/`delta`.
#[derive(Clone, Copy)]
struct RateKind {
    counter: bool,
    is_rate: bool,
}

/// `rate`/`increase`/`delta` of one series for every step, O(1) per step: window edges only
/// move forward (steps increase; `@` and `offset` shift them uniformly), so both ends are
/// walked, never searched, and counter resets are indexed once.
fn rate_row(
    ts: &[i64],
    vs: &[f64],
    kind: RateKind,
    edges: &[(i64, i64, i64)],
    range: i64,
    loaded: &mut [usize],
    row: &mut [Option<f64>],
) {
    let resets: Vec<usize> = if kind.counter {
        (1..vs.len())
            .filter(|&j| matches!((vs.get(j), vs.get(j - 1)), (Some(b), Some(a)) if b < a))
            .collect()
    } else {
        Vec::new()
    };
    let (mut lo, mut hi, mut rc) = (0usize, 0usize, 0usize);
    let mut ex = Extrapolator::new(range, kind.counter, kind.is_rate);
    for ((&(_, start, end), n), slot) in edges.iter().zip(loaded.iter_mut()).zip(row) {
        while ts.get(lo).is_some_and(|&t| t <= start) {
            lo += 1;
        }
        hi = hi.max(lo);
        while ts.get(hi).is_some_and(|&t| t <= end) {
            hi += 1;
        }
        *n += hi - lo;
        *slot = if hi - lo < 2 {
            None
        } else {
            fast_rate(ts, vs, &resets, &mut rc, (lo, hi), (start, end), &mut ex)
        };
    }
}

/// `extrapolatedRate` over the window `[lo, hi)` (at least two samples), adding counter
/// resets from the index in the same order as the per-window loop does.
#[inline(always)]
fn fast_rate(
    ts: &[i64],
    vs: &[f64],
    resets: &[usize],
    rc: &mut usize,
    (lo, hi): (usize, usize),
    window: (i64, i64),
    ex: &mut Extrapolator,
) -> Option<f64> {
    let (t0, v0) = (*ts.get(lo)?, *vs.get(lo)?);
    let (tn, vn) = (*ts.get(hi - 1)?, *vs.get(hi - 1)?);
    let mut result = vn - v0;
    if ex.counter() && !resets.is_empty() {
        // Resets at index j count when lo < j < hi; the cursor only moves forward.
        while resets.get(*rc).is_some_and(|&j| j <= lo) {
            *rc += 1;
        }
        for &j in resets
            .get(*rc..)
            .unwrap_or(&[])
            .iter()
            .take_while(|&&j| j < hi)
        {
            result += *vs.get(j - 1)?;
        }
    }
    Some(ex.value((t0, v0), tn, hi - lo, result, window))
}

#[cfg(test)]
mod tests {
    use super::seek;

    #[test]
    fn seek_equals_partition_point() {
        let regular: Vec<i64> = (0..500).map(|i| i * 15_000).collect();
        let irregular: Vec<i64> = (0..500).map(|i| i * i * 7 + (i % 3)).collect();
        let dup = [5i64, 5, 5, 9, 9, 12];
        for ts in [&regular[..], &irregular[..], &dup[..], &[3][..], &[][..]] {
            let hi = ts.last().copied().unwrap_or(0) + 20_000;
            for bound in (-20_000..hi).step_by(997).chain(ts.iter().copied()) {
                let want = ts.partition_point(|&t| t <= bound);
                assert_eq!(seek(ts, bound), want, "bound {bound}");
            }
        }
    }
}
