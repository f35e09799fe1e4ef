//! `sort`, `sort_desc`, `sort_by_label`, `sort_by_label_desc`.
//!
//! Contract: value sorts put NaN last in both directions; label sorts compare the listed
//! labels with natural ordering (digit runs compared as numbers), then the whole label set.
//! Sorting keeps `__name__`.

use std::cmp::Ordering;

use promql_parser::parser::Expr;

use super::arg;
use crate::engine::{Evaluator, Sample, Val};
use crate::QueryError;

impl Evaluator<'_> {
    pub(crate) fn eval_sort_function(
        &self,
        name: &str,
        args: &[&Expr],
        t: i64,
    ) -> Result<Option<Val>, QueryError> {
        let desc = name.ends_with("_desc");
        match name {
            "sort" | "sort_desc" => {
                let mut v = self.eval_vector(arg(args, 0)?, t)?;
                v.sort_by(|a, b| by_value(a.v, b.v, desc));
                Ok(Some(Val::Vector(v)))
            }
            "sort_by_label" | "sort_by_label_desc" => {
                let mut v = self.eval_vector(arg(args, 0)?, t)?;
                let names = (1..args.len())
                    .map(|i| self.string_arg(args, i, t))
                    .collect::<Result<Vec<_>, _>>()?;
                v.sort_by(|a, b| {
                    let o = by_labels(a, b, &names);
                    if desc {
                        o.reverse()
                    } else {
                        o
                    }
                });
                Ok(Some(Val::Vector(v)))
            }
            _ => Ok(None),
        }
    }
}

fn by_value(a: f64, b: f64, desc: bool) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ if desc => b.partial_cmp(&a).unwrap_or(Ordering::Equal),
        _ => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
    }
}

fn by_labels(a: &Sample, b: &Sample, names: &[String]) -> Ordering {
    for n in names {
        let o = natural_cmp(a.labels.get(n).unwrap_or(""), b.labels.get(n).unwrap_or(""));
        if o != Ordering::Equal {
            return o;
        }
    }
    a.labels.cmp(&b.labels)
}

/// Natural string order: runs of ASCII digits compare by numeric value.
pub(crate) fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a, b);
    loop {
        match (x.chars().next(), y.chars().next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let (nx, rx) = split_digits(x);
                let (ny, ry) = split_digits(y);
                let (tx, ty) = (nx.trim_start_matches('0'), ny.trim_start_matches('0'));
                let o = tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty));
                if o != Ordering::Equal {
                    return o;
                }
                (x, y) = (rx, ry);
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(&d);
                }
                (x, y) = (&x[c.len_utf8()..], &y[d.len_utf8()..]);
            }
        }
    }
}

fn split_digits(s: &str) -> (&str, &str) {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    s.split_at(end)
}
