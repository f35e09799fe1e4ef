//! Series-major evaluation of `f(selector[range])` for all steps of a range query at once.
//!
//! Contract: evaluating a node at time `t` depends only on `t` (and the query's start/end for
//! `@ start()`/`@ end()`), so a range function over a plain matrix selector can be computed
//! for every step of the query in one pass per series — walking each series' samples once,
//! while they are hot in cache — and then served step by step. Results are identical to the
//! step-by-step path; only the loop order differs.

use promql_parser::parser::{Call, Expr, MatrixSelector};
use signalboard_store::{Labels, Stale, WindowBuf};

use super::functions::{is_range_function, range_value, Extrapolator, Factor};
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

/// One series' values for every step, as two columns rather than `Option<f64>`s: `values[k]`
/// is step `k`'s value where `present[k]`, unspecified elsewhere. Plain `f64` columns let a
/// row without gaps be summed by a branch-free loop the compiler vectorises.
#[derive(Clone, Copy)]
pub(crate) struct Row<'r> {
    pub(crate) values: &'r [f64],
    pub(crate) present: &'r [bool],
}

impl Row<'_> {
    /// The values per step, None where absent.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Option<f64>> + '_ {
        self.values
            .iter()
            .zip(self.present)
            .map(|(&v, &p)| p.then_some(v))
    }

    /// Whether every step has a value (a branch-free pass: rows are usually dense).
    pub(crate) fn is_dense(&self) -> bool {
        self.present.iter().fold(true, |all, &p| all & p)
    }
}

/// The columns of a [`Row`], reused from row to row.
#[derive(Default)]
pub(crate) struct RowBuf {
    values: Vec<f64>,
    present: Vec<bool>,
}

impl RowBuf {
    /// A row of `steps` absent values.
    pub(crate) fn new(steps: usize) -> Self {
        Self {
            values: vec![0.0; steps],
            present: vec![false; steps],
        }
    }

    pub(crate) fn view(&self) -> Row<'_> {
        Row {
            values: &self.values,
            present: &self.present,
        }
    }

    /// Overwrites the row with `row` (same length or shorter).
    pub(crate) fn fill(&mut self, row: &[Option<f64>]) -> Row<'_> {
        self.values.resize(row.len(), 0.0);
        self.present.resize(row.len(), false);
        for ((v, p), x) in self.values.iter_mut().zip(&mut self.present).zip(row) {
            (*v, *p) = (x.unwrap_or(0.0), x.is_some());
        }
        self.view()
    }

    /// Both columns, slot by slot.
    fn slots(&mut self) -> impl Iterator<Item = (&mut f64, &mut bool)> {
        self.values.iter_mut().zip(self.present.iter_mut())
    }
}

/// Writes `v` to one slot of a [`RowBuf`].
#[inline(always)]
fn put((value, present): (&mut f64, &mut bool), v: Option<f64>) {
    (*value, *present) = (v.unwrap_or(0.0), v.is_some());
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
            values.extend(row.iter());
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
    /// while it is hot in cache; returns the samples read per step. Each series is decoded
    /// from the store into the same two buffers, only over the span the query's windows cover
    /// and without staleness markers (range functions never see them), so nothing is
    /// allocated per series and the selection is never held in memory as a whole.
    pub(crate) fn stream_leaf(
        &self,
        leaf: &Leaf<'_>,
        mut sink: impl FnMut(&Labels, Row<'_>),
    ) -> Vec<usize> {
        let ms = leaf.ms;
        let steps = self.steps();
        let range = duration_ms(&ms.range);
        let mut scan = Scan {
            edges: (0..steps)
                .map(|k| {
                    let t = self.start_ms + k as i64 * self.step_ms;
                    let r = self.reference_time(t, ms.vs.offset.as_ref(), ms.vs.at.as_ref());
                    (t, r.saturating_sub(range), r)
                })
                .collect(),
            range,
            resets: Vec::new(),
            window: Vec::new(),
            plan_ts: Vec::new(),
            plan: Vec::new(),
            uniform: None,
            plan_uses: 0,
        };
        let mut loaded = vec![0usize; steps];
        let mut row = RowBuf::new(steps);
        // The span `(first, last]` all windows lie in (edges are monotonic in the step).
        let (first, last) = (
            scan.edges.first().map_or(0, |e| e.1),
            scan.edges.last().map_or(0, |e| e.2),
        );
        let span = first
            .min(last)
            .checked_add(1)
            .map(|mint| (mint, last.max(first)));
        // Stays empty when there is no span (the same for every series).
        let mut buf = WindowBuf::default();
        for (r, labels) in self.matching_series(&ms.vs) {
            if let Some(span) = span {
                self.store.read_window_into(r, span, Stale::Drop, &mut buf);
            }
            let samples = (buf.timestamps(), buf.values());
            series_row(leaf, &mut scan, samples, &mut loaded, &mut row);
            sink(labels, row.view());
        }
        scan.flush_plan_uses(&mut loaded);
        loaded
    }
}

/// What a leaf's series share: the per-step window edges `(t, start, end)` (the same for
/// every series) and scratch buffers reused from series to series.
struct Scan {
    edges: Vec<(i64, i64, i64)>,
    range: i64,
    /// Indices `j` with `vs[j] < vs[j - 1]` (counter resets) of the current series.
    resets: Vec<usize>,
    /// The current window as `(t, v)` pairs, for the generic range functions.
    window: Vec<(i64, f64)>,
    /// The timestamps `plan` was computed for: series scraped together (one target's) have
    /// the same timestamps, hence the same window edges and extrapolation factors per step.
    plan_ts: Vec<i64>,
    /// Per step of `rate_row`: the window's sample indices `[lo, hi)` and its factor.
    plan: Vec<PlannedStep>,
    /// The plan's leading steps when their windows have the same width and factor and each
    /// starts one sample after the previous one (scrapes aligned with the steps).
    uniform: Option<Uniform>,
    /// Series that reused `plan` since its samples per step were last added to `loaded`.
    plan_uses: usize,
}

/// Adds `*uses` times the samples per step of `plan` to `loaded` and resets `*uses`.
fn flush_plan_uses(plan: &[PlannedStep], uses: &mut usize, loaded: &mut [usize]) {
    let uses = std::mem::take(uses);
    if uses > 0 {
        for (n, p) in loaded.iter_mut().zip(plan) {
            *n += uses * (p.hi - p.lo);
        }
    }
}

/// A plan whose steps `k < steps` are `[lo + k, lo + k + width)` with `factor`.
#[derive(Clone, Copy)]
struct Uniform {
    lo: usize,
    width: usize,
    factor: Factor,
    steps: usize,
}

impl Scan {
    /// Adds the samples per step of the series that reused the plan to `loaded`.
    fn flush_plan_uses(&mut self, loaded: &mut [usize]) {
        flush_plan_uses(&self.plan, &mut self.plan_uses, loaded);
    }

    /// The [`Uniform`] shape of the plan's leading steps, if at least two have one (the last
    /// steps' windows often differ: the data ends before the query does).
    fn uniform_shape(&self) -> Option<Uniform> {
        let first = self.plan.first()?;
        let width = first.hi - first.lo;
        let steps = self
            .plan
            .iter()
            .enumerate()
            .take_while(|(k, p)| {
                p.lo == first.lo + k
                    && p.hi - p.lo == width
                    && p.factor.bits() == first.factor.bits()
            })
            .count();
        (width >= 2 && steps >= 2).then_some(Uniform {
            lo: first.lo,
            width,
            factor: first.factor,
            steps,
        })
    }
}

/// One step's window in `plan_ts`: `[lo, hi)` and, when it holds two samples or more, the
/// extrapolation factor of its shape.
#[derive(Clone, Copy)]
struct PlannedStep {
    lo: usize,
    hi: usize,
    factor: Factor,
}

/// One series' values for every step into `row`: `rate`/`increase`/`delta` by
/// [`rate_row`], everything else by the generic per-window function.
fn series_row(
    leaf: &Leaf<'_>,
    scan: &mut Scan,
    (ts, vs): (&[i64], &[f64]),
    loaded: &mut [usize],
    row: &mut RowBuf,
) {
    let name = leaf.name;
    if matches!(name, "rate" | "increase" | "delta") {
        let kind = RateKind {
            counter: name != "delta",
            is_rate: name == "rate",
        };
        return rate_row(kind, scan, (ts, vs), loaded, row);
    }
    let (mut lo, mut hi) = (0usize, 0usize);
    let range = scan.range;
    for ((&(t, start, end), n), slot) in scan.edges.iter().zip(loaded.iter_mut()).zip(row.slots()) {
        lo = advance(ts, lo, start);
        hi = advance(ts, hi, end).max(lo);
        *n += hi - lo;
        let v = if hi == lo {
            None
        } else {
            let buf = &mut scan.window;
            buf.clear();
            let (wt, wv) = (ts.get(lo..hi).unwrap_or(&[]), vs.get(lo..hi).unwrap_or(&[]));
            buf.extend(wt.iter().copied().zip(wv.iter().copied()));
            range_value(name, buf, (start, end, range), leaf.param, t)
        };
        put(slot, v);
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
/// walked, never searched, and counter resets are indexed once. The edges and factors depend
/// on the timestamps only, so a series with the previous one's timestamps reuses them.
fn rate_row(
    kind: RateKind,
    scan: &mut Scan,
    (ts, vs): (&[i64], &[f64]),
    loaded: &mut [usize],
    row: &mut RowBuf,
) {
    scan.resets.clear();
    // Most series have no reset: one branch-free pass finds out.
    let dropped = vs
        .iter()
        .zip(vs.iter().skip(1))
        .fold(false, |any, (a, b)| any | (b < a));
    if kind.counter && dropped {
        let drops = vs
            .windows(2)
            .enumerate()
            .filter(|(_, w)| w.get(1) < w.first());
        scan.resets.extend(drops.map(|(j, _)| j + 1));
    }
    let resets = &scan.resets;
    let mut rc = 0usize;
    let mut ex = Extrapolator::new(scan.range, kind.counter, kind.is_rate);
    let window_edges = scan.edges.iter().map(|&(_, start, end)| (start, end));
    if scan.plan.len() == scan.edges.len() && scan.plan_ts.as_slice() == ts {
        scan.plan_uses += 1;
        if !kind.counter || resets.is_empty() {
            let done = match scan.uniform {
                Some(u) => uniform_rates(ts, vs, &u, &scan.edges, &ex, row),
                None => 0,
            };
            // No resets to add: a step is its two edge values and the planned factor.
            let rest = window_edges.zip(row.slots()).zip(&scan.plan).skip(done);
            for ((window, slot), p) in rest {
                put(slot, planned_rate(ts, vs, p, window, &ex));
            }
            return;
        }
        for ((window, slot), p) in window_edges.zip(row.slots()).zip(&scan.plan) {
            let (lo, hi) = (p.lo, p.hi);
            let v = if hi - lo < 2 {
                None
            } else {
                window_rate(ts, vs, resets, &mut rc, (lo, hi), window, &ex, p.factor)
            };
            put(slot, v);
        }
        return;
    }
    flush_plan_uses(&scan.plan, &mut scan.plan_uses, loaded);
    scan.plan.clear();
    let (mut lo, mut hi) = (0usize, 0usize);
    for ((window @ (start, end), n), slot) in window_edges.zip(loaded).zip(row.slots()) {
        while ts.get(lo).is_some_and(|&t| t <= start) {
            lo += 1;
        }
        hi = hi.max(lo);
        while ts.get(hi).is_some_and(|&t| t <= end) {
            hi += 1;
        }
        *n += hi - lo;
        let mut factor = Factor::default();
        let v = if hi - lo < 2 {
            None
        } else {
            let (t0, tn) = (ts.get(lo).copied(), ts.get(hi - 1).copied());
            if let (Some(t0), Some(tn)) = (t0, tn) {
                factor = ex.factor(t0, tn, hi - lo, window);
            }
            window_rate(ts, vs, resets, &mut rc, (lo, hi), window, &ex, factor)
        };
        put(slot, v);
        scan.plan.push(PlannedStep { lo, hi, factor });
    }
    scan.plan_ts.clear();
    scan.plan_ts.extend_from_slice(ts);
    scan.uniform = scan.uniform_shape();
}

/// The first `u.steps` slots of `row` for a series without counter resets whose plan starts
/// with `u`: per step, the two edge values and the shared factor, straight from two offset
/// runs of `vs` (no per-step plan entry or bounds check), in one vectorised pass unless a
/// window needs the zero clamp's full computation. Returns the slots written.
fn uniform_rates(
    ts: &[i64],
    vs: &[f64],
    u: &Uniform,
    edges: &[(i64, i64, i64)],
    ex: &Extrapolator,
    row: &mut RowBuf,
) -> usize {
    let steps = u.steps;
    let (Some(firsts), Some(lasts), Some(values), Some(present), Some(edges)) = (
        vs.get(u.lo..u.lo + steps),
        vs.get(u.lo + u.width - 1..u.lo + u.width - 1 + steps),
        row.values.get_mut(..steps),
        row.present.get_mut(..steps),
        edges.get(..steps),
    ) else {
        return 0;
    };
    present.fill(true);
    if ex.apply_run(u.factor, firsts, lasts, values) {
        return steps;
    }
    let t = |i: usize| ts.get(i).copied().unwrap_or_default();
    let all = values.iter_mut().zip(firsts).zip(lasts).zip(edges);
    for (k, (((slot, &v0), &vn), &(_, start, end))) in all.enumerate() {
        let lo = u.lo + k;
        let times = || ((t(lo), t(lo + u.width - 1)), (start, end));
        *slot = ex.apply_lazy(u.factor, v0, times, u.width, vn - v0);
    }
    steps
}

/// [`window_rate`] of a planned step of a series without counter resets: None for fewer
/// than two samples.
#[inline(always)]
fn planned_rate(
    ts: &[i64],
    vs: &[f64],
    p: &PlannedStep,
    window: (i64, i64),
    ex: &Extrapolator,
) -> Option<f64> {
    let edge = vs.get(p.lo..p.hi)?;
    let (&v0, &vn) = (edge.first()?, edge.last()?);
    if edge.len() < 2 {
        return None;
    }
    // The timestamps are only read when the zero clamp needs the full computation.
    let t = |i: usize| ts.get(i).copied().unwrap_or_default();
    Some(ex.apply_lazy(
        p.factor,
        v0,
        || ((t(p.lo), t(p.hi - 1)), window),
        edge.len(),
        vn - v0,
    ))
}

/// `extrapolatedRate` over the window `[lo, hi)` (at least two samples) whose shape has
/// `factor`, adding counter resets from the index in the same order as the per-window loop
/// does.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn window_rate(
    ts: &[i64],
    vs: &[f64],
    resets: &[usize],
    rc: &mut usize,
    (lo, hi): (usize, usize),
    window: (i64, i64),
    ex: &Extrapolator,
    factor: Factor,
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
    Some(ex.apply(factor, (t0, v0), tn, hi - lo, result, window))
}
