//! Numeric helpers shared by aggregations and `*_over_time`: Kahan–Neumaier sums, means with
//! overflow fallback, Welford variance and Prometheus's `quantile`.
//!
//! Contract: results equal Prometheus's (`util/kahansum`, `funcAvgOverTime`,
//! `funcStddevOverTime`, `quantile`) bit for bit where the algorithms allow.

/// One Kahan–Neumaier step: returns the new `(sum, compensation)`.
#[inline(always)]
pub(crate) fn kahan_inc(inc: f64, sum: f64, c: f64) -> (f64, f64) {
    let t = sum + inc;
    let c = if t.is_infinite() {
        0.0
    } else if sum.abs() >= inc.abs() {
        c + ((sum - t) + inc)
    } else {
        c + ((inc - t) + sum)
    };
    (t, c)
}

/// [`kahan_inc`] of `incs[k]` into `(sums[k], comps[k])` for every `k` (of the shortest
/// slice): the same arithmetic with selects instead of branches, so the loop vectorises (not
/// inlined: as a function of its own the compiler knows the three slices do not overlap).
#[inline(never)]
pub(crate) fn add_columns(sums: &mut [f64], comps: &mut [f64], incs: &[f64]) {
    let n = sums.len().min(comps.len()).min(incs.len());
    let (Some(sums), Some(comps), Some(incs)) =
        (sums.get_mut(..n), comps.get_mut(..n), incs.get(..n))
    else {
        return;
    };
    for ((s, c), &inc) in sums.iter_mut().zip(comps.iter_mut()).zip(incs) {
        let t = *s + inc;
        let big = (*s - t) + inc;
        let small = (inc - t) + *s;
        let d = if s.abs() >= inc.abs() { big } else { small };
        *c = if t.is_infinite() { 0.0 } else { *c + d };
        *s = t;
    }
}

/// Compensated sum.
pub(crate) fn sum(values: impl IntoIterator<Item = f64>) -> f64 {
    let (mut s, mut c) = (0.0, 0.0);
    for v in values {
        (s, c) = kahan_inc(v, s, c);
    }
    if s.is_infinite() {
        s
    } else {
        s + c
    }
}

/// Compensated mean that switches to an incremental mean when the sum overflows.
pub(crate) fn mean(values: impl IntoIterator<Item = f64>) -> f64 {
    let mut m = Mean::default();
    for f in values {
        m.add(f);
    }
    m.value()
}

/// Streaming form of [`mean`] (Prometheus's `avg`/`avg_over_time` state machine).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Mean {
    sum: f64,
    c: f64,
    mean: f64,
    count: f64,
    incremental: bool,
}

impl Mean {
    pub(crate) fn add(&mut self, f: f64) {
        self.count += 1.0;
        let count = self.count;
        if !self.incremental {
            let (ns, nc) = kahan_inc(f, self.sum, self.c);
            if count == 1.0 || !ns.is_infinite() {
                (self.sum, self.c) = (ns, nc);
                return;
            }
            self.incremental = true;
            self.mean = self.sum / (count - 1.0);
            self.c /= count - 1.0;
        }
        if self.mean.is_infinite() {
            if f.is_infinite() && (self.mean > 0.0) == (f > 0.0) {
                return;
            }
            if !f.is_infinite() && !f.is_nan() {
                return;
            }
        }
        let corrected = self.mean + self.c;
        (self.mean, self.c) = kahan_inc(f / count - corrected / count, self.mean, self.c);
    }

    pub(crate) fn value(&self) -> f64 {
        if self.incremental {
            self.mean + self.c
        } else {
            self.sum / self.count + self.c / self.count
        }
    }
}

/// Population variance (Welford with compensated mean and M2).
pub(crate) fn variance(values: impl IntoIterator<Item = f64>) -> f64 {
    let (mut count, mut mean, mut c_mean, mut aux, mut c_aux) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for f in values {
        count += 1.0;
        let delta = f - (mean + c_mean);
        (mean, c_mean) = kahan_inc(delta / count, mean, c_mean);
        (aux, c_aux) = kahan_inc(delta * (f - (mean + c_mean)), aux, c_aux);
    }
    (aux + c_aux) / count
}

/// Prometheus's `quantile(q, values)`; NaN sorts first.
pub(crate) fn quantile(q: f64, mut values: Vec<f64>) -> f64 {
    if values.is_empty() || q.is_nan() {
        return f64::NAN;
    }
    if q < 0.0 {
        return f64::NEG_INFINITY;
    }
    if q > 1.0 {
        return f64::INFINITY;
    }
    values.sort_by(|a, b| match (a.is_nan(), b.is_nan()) {
        (true, true) => std::cmp::Ordering::Equal,
        (true, false) => std::cmp::Ordering::Less,
        (false, true) => std::cmp::Ordering::Greater,
        _ => a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal),
    });
    let n = values.len() as f64;
    let rank = q * (n - 1.0);
    let lo = rank.floor().max(0.0);
    let hi = (lo + 1.0).min(n - 1.0);
    let w = rank - rank.floor();
    let at = |i: f64| values.get(i as usize).copied().unwrap_or(f64::NAN);
    at(lo) * (1.0 - w) + at(hi) * w
}
