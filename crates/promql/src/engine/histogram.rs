//! `histogram_quantile` over classic `_bucket` series (Prometheus's `BucketQuantile`).
//!
//! Contract: buckets are grouped by all labels except `le`; unparsable `le` values are
//! skipped; equal bounds are merged by adding counts; counts are forced monotonic (ignoring
//! float noise); a `+Inf` bucket is required (NaN otherwise). Output drops `__name__`.

use rustc_hash::FxHashMap as HashMap;

use signalboard_store::Labels;

use super::labelcache::{LabelCache, SITE_WITHOUT_LE, SITE_WITHOUT_LE_AND_NAME};
use super::Sample;

pub(crate) fn histogram_quantile(cache: &LabelCache, q: f64, input: Vec<Sample>) -> Vec<Sample> {
    group_buckets(cache, input)
        .into_iter()
        .map(|(labels, mut buckets)| Sample {
            labels,
            v: bucket_quantile(q, &mut buckets),
            drop_name: true,
        })
        .collect()
}

/// `histogram_quantiles(v, "label", q1, q2, …)`: one output series per quantile, the quantile
/// written into `label` (formatted like an OpenMetrics float: `0.5`, `1.0`).
pub(crate) fn histogram_quantiles(
    cache: &LabelCache,
    label: &str,
    qs: &[f64],
    input: Vec<Sample>,
) -> Vec<Sample> {
    let groups = group_buckets(cache, input);
    let mut out = Vec::with_capacity(groups.len() * qs.len());
    for &q in qs {
        for (labels, buckets) in &groups {
            let labels = labels.with(label, &crate::value::format_openmetrics_float(q));
            out.push(Sample {
                labels,
                v: bucket_quantile(q, &mut buckets.clone()),
                drop_name: true,
            });
        }
    }
    out
}

/// `histogram_fraction(lower, upper, v)` over classic buckets.
pub(crate) fn histogram_fraction(
    cache: &LabelCache,
    lower: f64,
    upper: f64,
    input: Vec<Sample>,
) -> Vec<Sample> {
    group_buckets(cache, input)
        .into_iter()
        .map(|(labels, buckets)| Sample {
            labels,
            v: bucket_fraction(lower, upper, buckets),
            drop_name: true,
        })
        .collect()
}

/// Buckets grouped by all labels except `le` (first-seen order); bad `le` values are skipped.
fn group_buckets(cache: &LabelCache, input: Vec<Sample>) -> Vec<(Labels, Vec<(f64, f64)>)> {
    let mut index: HashMap<usize, usize> = HashMap::default();
    let mut groups: Vec<(Labels, Vec<(f64, f64)>)> = Vec::new();
    for s in input {
        let Some(ub) = cache.number(&s.labels, |l| l.get("le").and_then(parse_go_float)) else {
            continue;
        };
        let key = if s.drop_name {
            cache.map(SITE_WITHOUT_LE_AND_NAME, &s.labels, |l| {
                l.without("le").without_metric_name()
            })
        } else {
            cache.map(SITE_WITHOUT_LE, &s.labels, |l| l.without("le"))
        };
        let i = *index.entry(key.ptr_id()).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        if let Some(g) = groups.get_mut(i) {
            g.1.push((ub, s.v));
        }
    }
    groups
}

/// Sorts (unless `sorted`: bounds already ascending), merges and makes monotonic buckets in
/// place; false when there is no `+Inf` bucket.
fn normalise(b: &mut Vec<(f64, f64)>, sorted: bool) -> bool {
    if !sorted {
        b.sort_by(|x, y| x.0.partial_cmp(&y.0).unwrap_or(std::cmp::Ordering::Equal));
    }
    match b.last() {
        Some((ub, _)) if *ub == f64::INFINITY => {}
        _ => return false,
    }
    coalesce(b);
    ensure_monotonic(b);
    true
}

/// Fraction of observations in `(lower, upper]`, interpolating linearly inside finite
/// buckets; an infinite-width bucket contributes nothing when a bound falls inside it.
fn bucket_fraction(lower: f64, upper: f64, mut b: Vec<(f64, f64)>) -> f64 {
    if !normalise(&mut b, false) {
        return f64::NAN;
    }
    let total = b.last().map(|x| x.1).unwrap_or(f64::NAN);
    if total == 0.0 || lower.is_nan() || upper.is_nan() {
        return f64::NAN;
    }
    if lower >= upper {
        return 0.0;
    }
    let rank_at = |x: f64| -> f64 {
        let mut prev_count = 0.0;
        for (i, &(ub, count)) in b.iter().enumerate() {
            let lb = match i.checked_sub(1).and_then(|j| b.get(j)) {
                Some(p) => p.0,
                None if ub > 0.0 => 0.0,
                None => f64::NEG_INFINITY,
            };
            if x <= lb {
                return prev_count;
            }
            if x < ub {
                let n = count - prev_count;
                return if lb == f64::NEG_INFINITY {
                    count
                } else if ub == f64::INFINITY {
                    prev_count
                } else {
                    prev_count + n * (x - lb) / (ub - lb)
                };
            }
            prev_count = count;
        }
        total
    };
    (rank_at(upper).min(total) - rank_at(lower).min(total)) / total
}

/// Go's `strconv.ParseFloat` for bucket bounds (accepts `+Inf`, `inf`, `1e3`, …).
pub(crate) fn parse_go_float(s: &str) -> Option<f64> {
    let t = s.trim_start_matches('+');
    match t.to_ascii_lowercase().as_str() {
        "inf" | "infinity" => {
            return Some(if s.starts_with('-') {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            })
        }
        "-inf" | "-infinity" => return Some(f64::NEG_INFINITY),
        "nan" => return Some(f64::NAN),
        _ => {}
    }
    s.parse::<f64>().ok()
}

/// Prometheus's `bucketQuantile` over `(upper bound, cumulative count)` pairs in any order
/// (`b` is normalised in place).
pub(super) fn bucket_quantile(q: f64, b: &mut Vec<(f64, f64)>) -> f64 {
    sorted_bucket_quantile(q, b, false)
}

/// [`bucket_quantile`]; `sorted` says the bounds are already ascending (no sort needed).
pub(super) fn sorted_bucket_quantile(q: f64, b: &mut Vec<(f64, f64)>, sorted: bool) -> f64 {
    if q.is_nan() {
        return f64::NAN;
    }
    if q < 0.0 {
        return f64::NEG_INFINITY;
    }
    if q > 1.0 {
        return f64::INFINITY;
    }
    if !normalise(b, sorted) {
        return f64::NAN;
    }
    if b.len() < 2 {
        return f64::NAN;
    }
    let total = b.last().map(|x| x.1).unwrap_or(f64::NAN);
    if total == 0.0 {
        return f64::NAN;
    }
    let rank = q * total;
    let n = b.len();
    let idx = b
        .get(..n - 1)
        .unwrap_or(&[])
        .iter()
        .position(|x| x.1 >= rank)
        .unwrap_or(n - 1);
    let bound = |i: usize| b.get(i).map(|x| x.0).unwrap_or(f64::NAN);
    let count = |i: usize| b.get(i).map(|x| x.1).unwrap_or(f64::NAN);
    if idx == n - 1 {
        return bound(n - 2);
    }
    if idx == 0 && bound(0) <= 0.0 {
        return bound(0);
    }
    let (lower, prev) = if idx > 0 {
        (bound(idx - 1), count(idx - 1))
    } else {
        (0.0, 0.0)
    };
    let in_bucket = count(idx) - prev;
    lower + (bound(idx) - lower) * ((rank - prev) / in_bucket)
}

/// Merges buckets with equal bounds (sorted input), adding their counts in order.
fn coalesce(b: &mut Vec<(f64, f64)>) {
    b.dedup_by(|cur, kept| {
        let same = cur.0 == kept.0;
        if same {
            kept.1 += cur.1;
        }
        same
    });
}

fn ensure_monotonic(b: &mut [(f64, f64)]) {
    let Some(first) = b.first() else { return };
    let mut prev = first.1;
    for x in b.iter_mut().skip(1) {
        let cur = x.1;
        if cur == prev {
            continue;
        }
        if almost_equal(prev, cur, 1e-12) || cur < prev {
            x.1 = prev;
            continue;
        }
        prev = cur;
    }
}

/// Prometheus's `almost.Equal`.
pub(crate) fn almost_equal(a: f64, b: f64, eps: f64) -> bool {
    const MIN_NORMAL: f64 = f64::MIN_POSITIVE;
    if a == b {
        return true;
    }
    let diff = (a - b).abs();
    if a == 0.0 || b == 0.0 || a.abs() + b.abs() < MIN_NORMAL {
        return diff < eps * MIN_NORMAL;
    }
    diff / (a.abs() + b.abs()).min(f64::MAX) < eps
}
