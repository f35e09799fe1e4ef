//! Comparing engine results with a promqltest block's expected lines.
//!
//! Contract: values match with Prometheus's `almost.Equal` (epsilon 1e-6, NaN equals NaN,
//! a staleness marker only equals a staleness marker); label sets must match exactly, with no
//! extras and none missing; order matters only when asked.

use signalboard_store::{is_stale_marker, Labels};

use super::parse::Item;
use crate::Value;

/// One expected series: labels and either one instant value or per-step items.
#[derive(Debug, Clone)]
pub struct Expected {
    pub labels: Labels,
    pub items: Vec<Item>,
}

/// What the block expects.
#[derive(Debug, Clone, Default)]
pub struct Expectation {
    pub series: Vec<Expected>,
    pub scalar: Option<f64>,
    pub string: Option<String>,
    pub ordered: bool,
    /// `expect range vector from A to B step S` for instant queries returning a matrix.
    pub range_vector: Option<(i64, i64, i64)>,
}

pub fn values_equal(a: f64, b: f64) -> bool {
    if is_stale_marker(a) || is_stale_marker(b) {
        return is_stale_marker(a) && is_stale_marker(b);
    }
    if a.is_nan() && b.is_nan() {
        return true;
    }
    crate::engine::almost_equal(a, b, 1e-6)
}

/// Checks an instant query result.
pub fn check_instant(exp: &Expectation, got: &Value) -> Result<(), String> {
    match got {
        Value::Scalar { v, .. } => match exp.scalar {
            Some(e) if values_equal(e, *v) => Ok(()),
            Some(e) => Err(format!("expected scalar {e}, got {v}")),
            None => Err(format!("expected a vector, got scalar {v}")),
        },
        Value::String { v, .. } => match &exp.string {
            Some(e) if e == v => Ok(()),
            other => Err(format!("expected {other:?}, got string {v:?}")),
        },
        Value::Vector(samples) => {
            if let Some(s) = exp.scalar {
                return Err(format!("expected scalar {s}, got a vector"));
            }
            let got: Vec<(Labels, f64)> = samples.iter().map(|s| (s.labels.clone(), s.v)).collect();
            check_vector(exp, &got)
        }
        Value::Matrix(series) => {
            let Some((from, _to, step)) = exp.range_vector else {
                return Err("unexpected range vector result".into());
            };
            let got: Vec<(Labels, Vec<(i64, f64)>)> = series
                .iter()
                .map(|s| (s.labels.clone(), s.samples.clone()))
                .collect();
            check_matrix(&exp.series, &got, from, step)
        }
    }
}

fn check_vector(exp: &Expectation, got: &[(Labels, f64)]) -> Result<(), String> {
    if got.len() != exp.series.len() {
        return Err(format!(
            "expected {} samples, got {}: {}",
            exp.series.len(),
            got.len(),
            show(got)
        ));
    }
    for (i, e) in exp.series.iter().enumerate() {
        let want = match e.items.as_slice() {
            [Item::Value(v)] => *v,
            _ => {
                return Err(format!(
                    "expected line for {} must have exactly one value",
                    e.labels
                ))
            }
        };
        let found = if exp.ordered {
            got.get(i).filter(|(l, _)| *l == e.labels)
        } else {
            got.iter().find(|(l, _)| *l == e.labels)
        };
        match found {
            None => {
                return Err(format!(
                    "missing or misplaced {} in {}",
                    e.labels,
                    show(got)
                ))
            }
            Some((_, v)) if !values_equal(want, *v) => {
                return Err(format!("{}: expected {want}, got {v}", e.labels));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Checks a matrix against expected per-step items starting at `from` every `step`.
pub fn check_matrix(
    exp: &[Expected],
    got: &[(Labels, Vec<(i64, f64)>)],
    from: i64,
    step: i64,
) -> Result<(), String> {
    if got.len() != exp.len() {
        let names: Vec<String> = got.iter().map(|(l, _)| l.to_string()).collect();
        return Err(format!(
            "expected {} series, got {}: {}",
            exp.len(),
            got.len(),
            names.join(", ")
        ));
    }
    for e in exp {
        let Some((_, points)) = got.iter().find(|(l, _)| *l == e.labels) else {
            return Err(format!("missing series {}", e.labels));
        };
        let want: Vec<(i64, f64)> = e
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, it)| match it {
                Item::Value(v) => Some((from + step * i as i64, *v)),
                Item::Omitted => None,
            })
            .collect();
        let same = want.len() == points.len()
            && want
                .iter()
                .zip(points)
                .all(|(a, b)| a.0 == b.0 && values_equal(a.1, b.1));
        if !same {
            return Err(format!(
                "{}: expected {:?}, got {:?}",
                e.labels, want, points
            ));
        }
    }
    Ok(())
}

fn show(got: &[(Labels, f64)]) -> String {
    let parts: Vec<String> = got
        .iter()
        .take(6)
        .map(|(l, v)| format!("{l} {v}"))
        .collect();
    format!(
        "[{}{}]",
        parts.join(", "),
        if got.len() > 6 { ", …" } else { "" }
    )
}
