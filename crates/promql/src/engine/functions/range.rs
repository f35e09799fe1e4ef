//! Functions over range vectors: `rate`/`increase`/`delta` (extrapolated), `irate`/`idelta`,
//! `deriv`/`predict_linear`, `changes`/`resets`, every `*_over_time`, `absent_over_time`,
//! `double_exponential_smoothing`.
//!
//! Contract: one output element per input series that has enough samples (series without
//! enough samples are absent). All drop `__name__` except `last_over_time`/`first_over_time`.

use promql_parser::parser::Expr;

use super::arg;
use crate::engine::{kahan, Evaluator, RangeWindow, Sample, Val};
use crate::QueryError;

type Points = [(i64, f64)];

impl Evaluator<'_> {
    pub(crate) fn eval_range_function(
        &self,
        name: &str,
        args: &[&Expr],
        t: i64,
    ) -> Result<Option<Val>, QueryError> {
        let (matrix_arg, param): (usize, Option<f64>) = match name {
            "quantile_over_time" => (1, Some(self.eval_scalar(arg(args, 0)?, t)?)),
            "predict_linear" => (0, Some(self.eval_scalar(arg(args, 1)?, t)?)),
            "double_exponential_smoothing" | "holt_winters" => (0, None),
            _ if is_range_function(name) => (0, None),
            _ => return Ok(None),
        };
        let keep_name = matches!(name, "last_over_time" | "first_over_time");
        let window = self.eval_range_arg(arg(args, matrix_arg)?, t)?;
        if name == "absent_over_time" {
            return Ok(Some(if window.series.is_empty() {
                super::single(super::math::absent_labels(arg(args, 0)?), 1.0)
            } else {
                Val::Vector(Vec::new())
            }));
        }
        if name == "double_exponential_smoothing" || name == "holt_winters" {
            let sf = self.eval_scalar(arg(args, 1)?, t)?;
            let tf = self.eval_scalar(arg(args, 2)?, t)?;
            if sf <= 0.0 || sf >= 1.0 {
                return Err(QueryError::exec(format!(
                    "invalid smoothing factor. Expected: 0 < sf < 1, got: {sf}"
                )));
            }
            if tf <= 0.0 || tf >= 1.0 {
                return Err(QueryError::exec(format!(
                    "invalid trend factor. Expected: 0 < tf < 1, got: {tf}"
                )));
            }
            return Ok(Some(Val::Vector(apply(window, true, |p| {
                smoothing(p, sf, tf)
            }))));
        }
        let w = (window.start_ms, window.end_ms, window.range_ms);
        let out = apply(window, !keep_name, |p| range_value(name, p, w, param, t));
        Ok(Some(Val::Vector(out)))
    }
}

pub(crate) fn is_range_function(name: &str) -> bool {
    matches!(
        name,
        "rate"
            | "increase"
            | "delta"
            | "irate"
            | "idelta"
            | "deriv"
            | "changes"
            | "resets"
            | "avg_over_time"
            | "sum_over_time"
            | "count_over_time"
            | "min_over_time"
            | "max_over_time"
            | "last_over_time"
            | "first_over_time"
            | "stddev_over_time"
            | "stdvar_over_time"
            | "present_over_time"
            | "absent_over_time"
            | "mad_over_time"
            | "ts_of_min_over_time"
            | "ts_of_max_over_time"
            | "ts_of_last_over_time"
            | "ts_of_first_over_time"
    )
}

fn apply(window: RangeWindow, drop_name: bool, f: impl Fn(&Points) -> Option<f64>) -> Vec<Sample> {
    window
        .series
        .into_iter()
        .filter_map(|s| {
            f(&s.points).map(|v| Sample {
                labels: s.labels,
                v,
                drop_name: drop_name || s.drop_name,
            })
        })
        .collect()
}

pub(crate) fn range_value(
    name: &str,
    p: &Points,
    (start, end, range): (i64, i64, i64),
    param: Option<f64>,
    t: i64,
) -> Option<f64> {
    let vals = || p.iter().map(|(_, v)| *v);
    let first = p.first()?;
    let last = p.last()?;
    Some(match name {
        "rate" => extrapolated_rate(p, start, end, range, true, true)?,
        "increase" => extrapolated_rate(p, start, end, range, true, false)?,
        "delta" => extrapolated_rate(p, start, end, range, false, false)?,
        "irate" => instant_value(p, true)?,
        "idelta" => instant_value(p, false)?,
        "deriv" => {
            if p.len() < 2 {
                return None;
            }
            linear_regression(p, first.0).0
        }
        "predict_linear" => {
            if p.len() < 2 {
                return None;
            }
            let (slope, intercept) = linear_regression(p, t);
            slope * param.unwrap_or(0.0) + intercept
        }
        "changes" => p
            .windows(2)
            .filter(|w| matches!(w, [a, b] if a.1 != b.1 && !(a.1.is_nan() && b.1.is_nan())))
            .count() as f64,
        "resets" => p
            .windows(2)
            .filter(|w| matches!(w, [a, b] if b.1 < a.1))
            .count() as f64,
        "avg_over_time" => kahan::mean(vals()),
        "sum_over_time" => kahan::sum(vals()),
        "count_over_time" => p.len() as f64,
        "min_over_time" => vals().fold(first.1, |b, v| if v < b || b.is_nan() { v } else { b }),
        "max_over_time" => vals().fold(first.1, |b, v| if v > b || b.is_nan() { v } else { b }),
        "last_over_time" => last.1,
        "first_over_time" => first.1,
        "ts_of_last_over_time" => last.0 as f64 / 1000.0,
        "ts_of_first_over_time" => first.0 as f64 / 1000.0,
        "ts_of_min_over_time" => ts_of_extreme(p, |v, b| v <= b)?,
        "ts_of_max_over_time" => ts_of_extreme(p, |v, b| v >= b)?,
        "stddev_over_time" => kahan::variance(vals()).sqrt(),
        "stdvar_over_time" => kahan::variance(vals()),
        "present_over_time" => 1.0,
        "quantile_over_time" => kahan::quantile(param.unwrap_or(f64::NAN), vals().collect()),
        "mad_over_time" if vals().any(f64::is_nan) => f64::NAN,
        "mad_over_time" => {
            let median = kahan::quantile(0.5, vals().collect());
            kahan::quantile(0.5, vals().map(|v| (v - median).abs()).collect())
        }
        _ => return None,
    })
}

/// Timestamp (seconds) of the last sample that is the min/max (`better(v, best)`), NaN-aware.
fn ts_of_extreme(p: &Points, better: impl Fn(f64, f64) -> bool) -> Option<f64> {
    let (mut best_t, mut best) = *p.first()?;
    for &(t, v) in p.iter().skip(1) {
        if better(v, best) || best.is_nan() {
            best_t = t;
            best = v;
        }
    }
    Some(best_t as f64 / 1000.0)
}

/// Prometheus's `extrapolatedRate` (see promql-semantics.md §2).
fn extrapolated_rate(
    p: &Points,
    start: i64,
    end: i64,
    range: i64,
    counter: bool,
    is_rate: bool,
) -> Option<f64> {
    if p.len() < 2 {
        return None;
    }
    let (t0, v0) = *p.first()?;
    let (tn, vn) = *p.last()?;
    let mut result = vn - v0;
    if counter {
        for w in p.windows(2) {
            if let [a, b] = w {
                if b.1 < a.1 {
                    result += a.1;
                }
            }
        }
    }
    Some(extrapolate(
        (t0, v0),
        tn,
        p.len(),
        result,
        (start, end, range),
        counter,
        is_rate,
    ))
}

/// The extrapolation half of `extrapolatedRate`: `result` (last - first, reset-adjusted for
/// counters) scaled from the sampled interval `[t0, tn]` of `n` samples to the window.
pub(crate) fn extrapolate(
    (t0, v0): (i64, f64),
    tn: i64,
    n: usize,
    result: f64,
    (start, end, range): (i64, i64, i64),
    counter: bool,
    is_rate: bool,
) -> f64 {
    let mut to_start = (t0 - start) as f64 / 1000.0;
    let mut to_end = (end - tn) as f64 / 1000.0;
    let sampled = (tn - t0) as f64 / 1000.0;
    let avg = sampled / (n - 1) as f64;
    let threshold = avg * 1.1;
    if to_start >= threshold {
        to_start = avg / 2.0;
    }
    if counter && result > 0.0 && v0 >= 0.0 {
        let to_zero = sampled * (v0 / result);
        if to_zero < to_start {
            to_start = to_zero;
        }
    }
    if to_end >= threshold {
        to_end = avg / 2.0;
    }
    let mut factor = (sampled + to_start + to_end) / sampled;
    if is_rate {
        factor /= range as f64 / 1000.0;
    }
    result * factor
}

/// [`extrapolate`] for many windows of one range function: the extrapolation factor depends
/// only on the window's shape (first/last sample offsets, sample count), which repeats from
/// window to window on regular scrapes, so it is computed once per shape ([`Factor`], which
/// callers may also keep for windows they know to have the same shape). Results are
/// bit-identical to [`extrapolate`]; the counter zero-clamp is checked with a margin that
/// rounding cannot cross, and undecided cases take the full computation.
pub(crate) struct Extrapolator {
    range: i64,
    counter: bool,
    is_rate: bool,
    /// `(t0 - start, end - tn, tn - t0, n)` of the cached factor.
    shape: Option<(i64, i64, i64, usize)>,
    learned: Factor,
}

/// What [`extrapolate`] derives from a window's shape alone (no zero clamp).
#[derive(Clone, Copy, Default)]
pub(crate) struct Factor {
    to_start: f64,
    sampled: f64,
    factor: f64,
}

impl Factor {
    /// The fields' bits, for comparing factors exactly.
    pub(crate) fn bits(&self) -> [u64; 3] {
        [
            self.to_start.to_bits(),
            self.sampled.to_bits(),
            self.factor.to_bits(),
        ]
    }
}

impl Extrapolator {
    pub(crate) fn new(range: i64, counter: bool, is_rate: bool) -> Self {
        Self {
            range,
            counter,
            is_rate,
            shape: None,
            learned: Factor::default(),
        }
    }

    /// Whether this extrapolates a counter (`rate`/`increase`).
    pub(crate) fn counter(&self) -> bool {
        self.counter
    }

    /// The [`Factor`] of the window `(start, end)` whose samples are `n`, from `t0` to `tn`.
    #[inline(always)]
    pub(crate) fn factor(
        &mut self,
        t0: i64,
        tn: i64,
        n: usize,
        (start, end): (i64, i64),
    ) -> Factor {
        // Wrapping like `extrapolate`'s own differences in release builds (extreme `@` times).
        let shape = (
            t0.wrapping_sub(start),
            end.wrapping_sub(tn),
            tn.wrapping_sub(t0),
            n,
        );
        if self.shape != Some(shape) {
            self.learn(shape);
        }
        self.learned
    }

    /// `extrapolate(...)` given the window's [`Factor`] `f` (from [`Extrapolator::factor`] for
    /// the same `t0`, `tn`, `n` and window).
    #[inline(always)]
    pub(crate) fn apply(
        &self,
        f: Factor,
        (t0, v0): (i64, f64),
        tn: i64,
        n: usize,
        result: f64,
        (start, end): (i64, i64),
    ) -> f64 {
        self.apply_lazy(f, v0, || ((t0, tn), (start, end)), n, result)
    }

    /// [`Extrapolator::apply`] taking the window's first and last timestamps and its
    /// `(start, end)` from `times`, called only when the zero clamp needs the full
    /// computation.
    #[inline(always)]
    pub(crate) fn apply_lazy(
        &self,
        f: Factor,
        v0: f64,
        times: impl FnOnce() -> ((i64, i64), (i64, i64)),
        n: usize,
        result: f64,
    ) -> f64 {
        if self.counter && result > 0.0 && v0 >= 0.0 {
            // No clamp when `sampled * (v0 / result)` is surely >= to_start: a factor-2 margin
            // over a normal bound survives every rounding of either side.
            let bound = 2.0 * f.to_start * result;
            if !(bound.is_normal() && v0 * f.sampled > bound) {
                let ((t0, tn), (start, end)) = times();
                let window = (start, end, self.range);
                return extrapolate((t0, v0), tn, n, result, window, true, self.is_rate);
            }
        }
        result * f.factor
    }

    /// [`Extrapolator::apply_lazy`] for a run of windows of the same shape (factor `f`):
    /// `out[k]` from window `k`'s first and last values `firsts[k]` and `lasts[k]`, in one
    /// branch-free pass the compiler vectorises. Returns false, leaving `out` unspecified,
    /// when some window needs the zero clamp's full computation.
    #[inline(never)]
    pub(crate) fn apply_run(
        &self,
        f: Factor,
        firsts: &[f64],
        lasts: &[f64],
        out: &mut [f64],
    ) -> bool {
        let mut full = false;
        for ((o, &v0), &vn) in out.iter_mut().zip(firsts).zip(lasts) {
            let result = vn - v0;
            // `apply_lazy`'s test with `&` for `&&` and `is_normal` as a range (NaN fails both).
            let bound = 2.0 * f.to_start * result;
            let normal = (bound.abs() >= f64::MIN_POSITIVE) & (bound.abs() < f64::INFINITY);
            let sure = normal & (v0 * f.sampled > bound);
            full |= (result > 0.0) & (v0 >= 0.0) & !sure;
            *o = result * f.factor;
        }
        !(self.counter && full)
    }

    /// The factor of `shape` without the zero clamp, exactly as [`extrapolate`] computes it.
    fn learn(&mut self, shape: (i64, i64, i64, usize)) {
        let (to_start_ms, to_end_ms, sampled_ms, n) = shape;
        let mut to_start = to_start_ms as f64 / 1000.0;
        let mut to_end = to_end_ms as f64 / 1000.0;
        let sampled = sampled_ms as f64 / 1000.0;
        let avg = sampled / (n - 1) as f64;
        let threshold = avg * 1.1;
        if to_start >= threshold {
            to_start = avg / 2.0;
        }
        if to_end >= threshold {
            to_end = avg / 2.0;
        }
        let mut factor = (sampled + to_start + to_end) / sampled;
        if self.is_rate {
            factor /= self.range as f64 / 1000.0;
        }
        self.shape = Some(shape);
        self.learned = Factor {
            to_start,
            sampled,
            factor,
        };
    }
}

/// `irate` / `idelta`: the last two samples only.
fn instant_value(p: &Points, is_rate: bool) -> Option<f64> {
    let n = p.len();
    if n < 2 {
        return None;
    }
    let (ta, va) = *p.get(n - 2)?;
    let (tb, vb) = *p.get(n - 1)?;
    let dt = tb - ta;
    if dt == 0 {
        return None;
    }
    if !is_rate {
        return Some(vb - va);
    }
    let inc = if vb < va { vb } else { vb - va };
    Some(inc / (dt as f64 / 1000.0))
}

/// Least-squares fit; returns `(slope per second, intercept at intercept_t)`.
fn linear_regression(p: &Points, intercept_t: i64) -> (f64, f64) {
    let init_y = p.first().map(|x| x.1).unwrap_or(f64::NAN);
    let const_y = p.iter().all(|(_, v)| *v == init_y);
    if const_y {
        return if init_y.is_infinite() {
            (f64::NAN, f64::NAN)
        } else {
            (0.0, init_y)
        };
    }
    let n = p.len() as f64;
    let (mut sx, mut cx, mut sy, mut cy, mut sxy, mut cxy, mut sx2, mut cx2) =
        (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for &(t, v) in p {
        let x = (t - intercept_t) as f64 / 1e3;
        (sx, cx) = kahan::kahan_inc(x, sx, cx);
        (sy, cy) = kahan::kahan_inc(v, sy, cy);
        (sxy, cxy) = kahan::kahan_inc(x * v, sxy, cxy);
        (sx2, cx2) = kahan::kahan_inc(x * x, sx2, cx2);
    }
    let (sx, sy, sxy, sx2) = (sx + cx, sy + cy, sxy + cxy, sx2 + cx2);
    let cov = sxy - sx * sy / n;
    let var = sx2 - sx * sx / n;
    let slope = cov / var;
    (slope, sy / n - slope * sx / n)
}

/// `double_exponential_smoothing` (formerly `holt_winters`).
fn smoothing(p: &Points, sf: f64, tf: f64) -> Option<f64> {
    if p.len() < 2 {
        return None;
    }
    let mut s0 = 0.0;
    let mut s1 = p.first()?.1;
    let mut b = p.get(1)?.1 - s1;
    for (i, &(_, v)) in p.iter().enumerate().skip(1) {
        let x = sf * v;
        if i > 1 {
            b = tf * (s1 - s0) + (1.0 - tf) * b;
        }
        let y = (1.0 - sf) * (s1 + b);
        s0 = s1;
        s1 = x + y;
    }
    Some(s1)
}

#[cfg(test)]
mod tests {
    use super::{extrapolate, Extrapolator};

    /// The cached-factor path equals the direct computation bit for bit, including windows
    /// at the edge of the counter zero clamp and irregular shapes.
    #[test]
    fn extrapolator_equals_extrapolate() {
        let range = 300_000;
        for (counter, is_rate) in [(true, true), (true, false), (false, false)] {
            let mut ex = Extrapolator::new(range, counter, is_rate);
            for i in 0..20_000i64 {
                let start = i * 15_000 + (i % 3) * 7;
                let end = start + range;
                let t0 = start + 1 + (i % 5) * 4_000;
                let tn = end - (i % 4) * 3_000;
                let n = 2 + (i % 21) as usize;
                let v0 = match i % 6 {
                    0 => 0.0,
                    1 => 1e-310,
                    2 => -1.0,
                    _ => (i % 97) as f64 * 0.37,
                };
                let result = match i % 7 {
                    0 => 0.0,
                    1 => f64::NAN,
                    2 => 1e300,
                    _ => v0 * ((i % 13) as f64 * 0.11) + 1e-9,
                };
                let want = extrapolate(
                    (t0, v0),
                    tn,
                    n,
                    result,
                    (start, end, range),
                    counter,
                    is_rate,
                );
                let f = ex.factor(t0, tn, n, (start, end));
                let got = ex.apply(f, (t0, v0), tn, n, result, (start, end));
                assert!(
                    want.to_bits() == got.to_bits() || (want.is_nan() && got.is_nan()),
                    "window {i}: {got} vs {want}"
                );
            }
        }
    }
}
