//! Series-major evaluation of `f(selector[range])` for all steps of a range query at once.
//!
//! Contract: evaluating a node at time `t` depends only on `t` (and the query's start/end for
//! `@ start()`/`@ end()`), so a range function over a plain matrix selector can be computed
//! for every step of the query in one pass per series — walking each series' samples once,
//! while they are hot in cache — and then served step by step. Results are identical to the
//! step-by-step path; only the loop order differs.

use std::borrow::Cow;
use std::rc::Rc;

use promql_parser::parser::{Call, Expr, MatrixSelector};
use signalboard_store::{is_stale_marker, Labels};

use super::functions::{extrapolate, is_range_function, range_value};
use super::selector::advance;
use super::{duration_ms, Evaluator, Sample};
use crate::{QueryError, RangeSeries};
use rustc_hash::FxHashSet as HashSet;

/// Per-series results of one function node for every query step.
pub(crate) struct Rows {
    labels: Vec<Labels>,
    drop_name: bool,
    /// Step-major: `values[step * series_count + series]`; None where there is no output.
    /// (Filled series by series, whose writes stay in cache; read step by step, sequentially.)
    values: Vec<Option<f64>>,
    /// Samples read per step (charged against the sample budget when served).
    loaded: Vec<usize>,
}

impl Rows {
    /// The instant vector of step `k`.
    pub(crate) fn materialize(&self, k: usize) -> Vec<Sample> {
        self.present(k)
            .filter_map(|(i, v)| {
                self.labels.get(i).map(|l| Sample {
                    labels: l.clone(),
                    v,
                    drop_name: self.drop_name,
                })
            })
            .collect()
    }

    /// `(series index, value)` of the series with a value at step `k`.
    pub(crate) fn present(&self, k: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let n = self.labels.len();
        let step = self.values.get(k * n..(k + 1) * n).unwrap_or(&[]);
        step.iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (i, v)))
    }

    pub(crate) fn labels(&self) -> &[Labels] {
        &self.labels
    }

    pub(crate) fn drop_name(&self) -> bool {
        self.drop_name
    }
}

impl Evaluator<'_> {
    /// Index of `t` among the range query's steps, if it is one and there are several.
    fn step_index(&self, t: i64) -> Option<usize> {
        if self.step_ms <= 0 || self.end_ms <= self.start_ms || t < self.start_ms || t > self.end_ms
        {
            return None;
        }
        let off = t - self.start_ms;
        (off % self.step_ms == 0).then(|| (off / self.step_ms) as usize)
    }

    /// Series-major rows of `call` and the step index of `t`, when `call` is a range function
    /// over a plain matrix selector with constant parameters and `t` is a query step.
    pub(crate) fn rows_for(
        &self,
        call: &Call,
        t: i64,
    ) -> Result<Option<(Rc<Rows>, usize)>, QueryError> {
        let Some(k) = self.step_index(t) else {
            return Ok(None);
        };
        let name = call.func.name;
        let matrix_arg = match name {
            "quantile_over_time" => 1,
            "absent_over_time" | "double_exponential_smoothing" | "holt_winters" => {
                return Ok(None)
            }
            n if is_range_function(n) || n == "predict_linear" => 0,
            _ => return Ok(None),
        };
        let Some(Expr::MatrixSelector(ms)) = call.args.args.get(matrix_arg).map(|a| a.as_ref())
        else {
            return Ok(None);
        };
        let mut param = None;
        for (i, a) in call.args.args.iter().enumerate() {
            match a.as_ref() {
                _ if i == matrix_arg => {}
                Expr::NumberLiteral(n) => param = Some(n.val),
                _ => return Ok(None),
            }
        }
        let drop_name = !matches!(name, "last_over_time" | "first_over_time");
        let key = ms as *const MatrixSelector as usize;
        let cached = self.rows_cache().get(&key).cloned();
        let rows = match cached {
            Some(r) => r,
            None => {
                let r = Rc::new(self.compute_rows(name, ms, param, drop_name));
                self.rows_cache_mut().insert(key, r.clone());
                r
            }
        };
        self.charge(rows.loaded.get(k).copied().unwrap_or(0))?;
        Ok(Some((rows, k)))
    }

    /// A whole range query whose expression is a precomputable call, straight from its rows
    /// (series by series, no per-step vectors). None when `call` does not qualify.
    pub(crate) fn rows_matrix(&self, call: &Call) -> Result<Option<Vec<RangeSeries>>, QueryError> {
        let Some((rows, _)) = self.rows_for(call, self.start_ms)? else {
            return Ok(None);
        };
        if rows.loaded.iter().any(|&n| n > self.max_samples) {
            return Err(QueryError::too_many_samples());
        }
        let n = rows.labels.len();
        let mut out: Vec<RangeSeries> = Vec::new();
        let mut seen = HashSet::default();
        let mut total = 0usize;
        for (i, l) in rows.labels.iter().enumerate() {
            let samples: Vec<(i64, f64)> = rows
                .values
                .iter()
                .skip(i)
                .step_by(n.max(1))
                .enumerate()
                .filter_map(|(k, v)| v.map(|v| (self.start_ms + k as i64 * self.step_ms, v)))
                .collect();
            if samples.is_empty() {
                continue;
            }
            total += samples.len();
            if total > self.max_samples {
                return Err(QueryError::too_many_samples());
            }
            let labels = if rows.drop_name {
                self.labels.without_name(l)
            } else {
                self.labels.canonical(l)
            };
            if !seen.insert(labels.ptr_id()) {
                return Err(QueryError::exec(
                    "vector cannot contain metrics with the same labelset",
                ));
            }
            out.push(RangeSeries { labels, samples });
        }
        out.sort_by(|a, b| a.labels.cmp(&b.labels));
        Ok(Some(out))
    }

    fn compute_rows(
        &self,
        name: &str,
        ms: &MatrixSelector,
        param: Option<f64>,
        drop_name: bool,
    ) -> Rows {
        let sel = self.selected(&ms.vs);
        let steps = ((self.end_ms - self.start_ms) / self.step_ms + 1) as usize;
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
        let stride = sel.series.len();
        let mut values = vec![None; steps * stride];
        for (column, s) in sel.series.iter().enumerate() {
            {
                // Only the span the query's windows cover (edges are monotonic in the step).
                let (first, last) = (
                    edges.first().map_or(0, |e| e.1),
                    edges.last().map_or(0, |e| e.2),
                );
                let lo = s.timestamps.partition_point(|&t| t <= first.min(last));
                let hi = s
                    .timestamps
                    .partition_point(|&t| t <= last.max(first))
                    .max(lo);
                let clean = Clean::of(
                    s.timestamps.get(lo..hi).unwrap_or(&[]),
                    s.values.get(lo..hi).unwrap_or(&[]),
                );
                let out = Out {
                    values: &mut values,
                    column,
                    stride,
                };
                series_row(name, &clean, &edges, range, param, &mut loaded, out);
            }
        }
        Rows {
            labels: sel.series.iter().map(|s| s.labels.clone()).collect(),
            drop_name,
            values,
            loaded,
        }
    }
}

/// A series' samples without staleness markers (borrowed when it has none).
struct Clean<'s> {
    ts: Cow<'s, [i64]>,
    vs: Cow<'s, [f64]>,
}

impl<'s> Clean<'s> {
    fn of(ts: &'s [i64], vs: &'s [f64]) -> Self {
        if !vs.iter().any(|v| is_stale_marker(*v)) {
            return Clean {
                ts: Cow::Borrowed(ts),
                vs: Cow::Borrowed(vs),
            };
        }
        let (t, v): (Vec<i64>, Vec<f64>) = ts
            .iter()
            .zip(vs)
            .filter(|(_, v)| !is_stale_marker(**v))
            .map(|(t, v)| (*t, *v))
            .unzip();
        Clean {
            ts: Cow::Owned(t),
            vs: Cow::Owned(v),
        }
    }
}

/// One series' values for every step; `rate`/`increase`/`delta` use an O(1)-per-step path
/// (counter resets indexed once), everything else the generic per-window function.
fn series_row(
    name: &str,
    c: &Clean<'_>,
    edges: &[(i64, i64, i64)],
    range: i64,
    param: Option<f64>,
    loaded: &mut [usize],
    out: Out<'_>,
) {
    let (ts, vs) = (c.ts.as_ref(), c.vs.as_ref());
    let fast = matches!(name, "rate" | "increase" | "delta");
    let counter = name != "delta";
    let resets: Vec<usize> = if fast && counter {
        (1..vs.len())
            .filter(|&j| matches!((vs.get(j), vs.get(j - 1)), (Some(b), Some(a)) if b < a))
            .collect()
    } else {
        Vec::new()
    };
    let (mut lo, mut hi, mut rc) = (0usize, 0usize, 0usize);
    let mut buf: Vec<(i64, f64)> = Vec::new();
    for (k, (&(t, start, end), n)) in edges.iter().zip(loaded.iter_mut()).enumerate() {
        lo = advance(ts, lo, start);
        hi = advance(ts, hi, end).max(lo);
        *n += hi - lo;
        let v = if hi == lo {
            None
        } else if fast {
            fast_rate(
                ts,
                vs,
                &resets,
                &mut rc,
                (lo, hi),
                (start, end, range),
                counter,
                name == "rate",
            )
        } else {
            buf.clear();
            let (wt, wv) = (ts.get(lo..hi).unwrap_or(&[]), vs.get(lo..hi).unwrap_or(&[]));
            buf.extend(wt.iter().copied().zip(wv.iter().copied()));
            range_value(name, &buf, (start, end, range), param, t)
        };
        if let Some(slot) = out.values.get_mut(k * out.stride + out.column) {
            *slot = v;
        }
    }
}

/// Where a series' results go in the step-major table.
struct Out<'v> {
    values: &'v mut [Option<f64>],
    column: usize,
    stride: usize,
}

/// `extrapolatedRate` over the window `[lo, hi)`, adding counter resets from the index in the
/// same order as the per-window loop does.
#[allow(clippy::too_many_arguments)]
fn fast_rate(
    ts: &[i64],
    vs: &[f64],
    resets: &[usize],
    rc: &mut usize,
    (lo, hi): (usize, usize),
    window: (i64, i64, i64),
    counter: bool,
    is_rate: bool,
) -> Option<f64> {
    if hi - lo < 2 {
        return None;
    }
    let (t0, v0) = (*ts.get(lo)?, *vs.get(lo)?);
    let (tn, vn) = (*ts.get(hi - 1)?, *vs.get(hi - 1)?);
    let mut result = vn - v0;
    if counter {
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
    Some(extrapolate(
        (t0, v0),
        tn,
        hi - lo,
        result,
        window,
        counter,
        is_rate,
    ))
}
