//! `histogram_quantile` over classic `_bucket` series (Prometheus's `BucketQuantile`).
//!
//! Contract: buckets are grouped by all labels except `le`; unparsable `le` values are
//! skipped; equal bounds are merged by adding counts; counts are forced monotonic (ignoring
//! float noise); a `+Inf` bucket is required (NaN otherwise). Output drops `__name__`.

use std::collections::HashMap;

use signalboard_store::Labels;

use super::Sample;

pub(crate) fn histogram_quantile(q: f64, input: Vec<Sample>) -> Vec<Sample> {
    let mut index: HashMap<Labels, usize> = HashMap::new();
    let mut groups: Vec<(Labels, Vec<(f64, f64)>)> = Vec::new();
    for s in input {
        let Some(ub) = s.labels.get("le").and_then(parse_go_float) else {
            continue;
        };
        let key = s.labels.without("le");
        let key = if s.drop_name {
            key.without_metric_name()
        } else {
            key
        };
        let i = *index.entry(key.clone()).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        if let Some(g) = groups.get_mut(i) {
            g.1.push((ub, s.v));
        }
    }
    groups
        .into_iter()
        .map(|(labels, buckets)| Sample {
            labels,
            v: bucket_quantile(q, buckets),
            drop_name: true,
        })
        .collect()
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

fn bucket_quantile(q: f64, mut b: Vec<(f64, f64)>) -> f64 {
    if q.is_nan() {
        return f64::NAN;
    }
    if q < 0.0 {
        return f64::NEG_INFINITY;
    }
    if q > 1.0 {
        return f64::INFINITY;
    }
    b.sort_by(|x, y| x.0.partial_cmp(&y.0).unwrap_or(std::cmp::Ordering::Equal));
    match b.last() {
        Some((ub, _)) if *ub == f64::INFINITY => {}
        _ => return f64::NAN,
    }
    let mut b = coalesce(b);
    ensure_monotonic(&mut b);
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

fn coalesce(b: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(b.len());
    for (ub, c) in b {
        match out.last_mut() {
            Some(last) if last.0 == ub => last.1 += c,
            _ => out.push((ub, c)),
        }
    }
    out
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
