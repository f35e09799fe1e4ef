//! Aggregation operators (`sum`, `avg`, `count`, `group`, `min`, `max`, `stddev`, `stdvar`,
//! `quantile`, `topk`, `bottomk`, `limitk`, `limit_ratio`, `count_values`) with `by`/`without`.
//!
//! Contract: groups keep first-seen order; `by` keeps only the listed labels, `without`
//! removes the listed labels and `__name__`; `topk`/`bottomk`/`limitk` keep full input
//! labels. Per-group arithmetic follows Prometheus (`kahan` module).

use rustc_hash::FxHashMap as HashMap;

use promql_parser::parser::token::{
    T_AVG, T_BOTTOMK, T_COUNT, T_COUNT_VALUES, T_GROUP, T_LIMITK, T_LIMIT_RATIO, T_MAX, T_MIN,
    T_QUANTILE, T_STDDEV, T_STDVAR, T_SUM, T_TOPK,
};

use promql_parser::parser::{AggregateExpr, LabelModifier};
use signalboard_store::{Labels, METRIC_NAME};

use super::labelcache::site;
use super::{kahan, Evaluator, Sample, Val};
use crate::value::format_value;
use crate::QueryError;

impl Evaluator<'_> {
    pub(crate) fn eval_aggregate(&self, a: &AggregateExpr, t_ms: i64) -> Result<Val, QueryError> {
        let op = a.op.id();
        let param = match &a.param {
            Some(p) => Some(self.eval(p, t_ms)?),
            None => None,
        };
        let modifier = a.modifier.as_ref();
        if let Some(v) = self.rows_at(t_ms, |ev| ev.aggregate_rows(a))? {
            return Ok(Val::Vector(v));
        }
        let input = self.eval_vector(&a.expr, t_ms)?;
        if op == T_COUNT_VALUES {
            let Some(Val::Str(label)) = param else {
                return Err(QueryError::exec("count_values requires a string parameter"));
            };
            return count_values(input, &label, modifier).map(Val::Vector);
        }
        let scalar_param = match param {
            Some(Val::Scalar(v)) => Some(v),
            _ => None,
        };
        let groups = self.group(site(a, 0), &input, modifier);
        let out = match op {
            T_TOPK | T_BOTTOMK | T_LIMITK => {
                let k = scalar_param.unwrap_or(f64::NAN);
                select_k(op, k, input, groups)?
            }
            T_LIMIT_RATIO => limit_ratio(scalar_param.unwrap_or(f64::NAN), input, groups)?,
            _ => groups
                .into_iter()
                .filter_map(|g| {
                    let members = || g.members.iter().filter_map(|&i| input.get(i));
                    let drop_name = members().any(|s| s.drop_name);
                    reduce(op, members().map(|s| s.v), scalar_param).map(|v| Sample {
                        labels: g.labels,
                        v,
                        drop_name,
                    })
                })
                .collect(),
        };
        Ok(Val::Vector(out))
    }
}

struct Group {
    labels: Labels,
    members: Vec<usize>,
}

/// Output labels of a sample's group.
pub(super) fn group_labels(labels: &Labels, modifier: Option<&LabelModifier>) -> Labels {
    labels.filtered(|n| keeps(modifier, n))
}

/// Whether label `name` is part of the group labels under `modifier`.
pub(super) fn keeps(modifier: Option<&LabelModifier>, name: &str) -> bool {
    match modifier {
        Some(LabelModifier::Include(by)) => by.labels.iter().any(|l| l == name),
        Some(LabelModifier::Exclude(without)) => {
            name != METRIC_NAME && !without.labels.iter().any(|l| l == name)
        }
        None => false,
    }
}

impl Evaluator<'_> {
    /// Groups samples by their output labels (first-seen order), memoised per series.
    fn group(&self, site: usize, input: &[Sample], modifier: Option<&LabelModifier>) -> Vec<Group> {
        let mut index: HashMap<usize, usize> = HashMap::default();
        let mut groups: Vec<Group> = Vec::new();
        for (i, s) in input.iter().enumerate() {
            // Delayed name removal: a flagged `__name__` still partitions `by (__name__)` groups.
            let key = self
                .labels
                .map(site, &s.labels, |l| group_labels(l, modifier));
            let gi = *index.entry(key.ptr_id()).or_insert_with(|| {
                groups.push(Group {
                    labels: key,
                    members: Vec::new(),
                });
                groups.len() - 1
            });
            if let Some(g) = groups.get_mut(gi) {
                g.members.push(i);
            }
        }
        groups
    }
}

fn reduce(op: u16, vals: impl Iterator<Item = f64>, param: Option<f64>) -> Option<f64> {
    let vals: Vec<f64> = vals.collect();
    let first = *vals.first()?;
    Some(match op {
        T_SUM => kahan::sum(vals),
        T_AVG => kahan::mean(vals),
        T_COUNT => vals.len() as f64,
        T_GROUP => 1.0,
        T_MIN => vals
            .iter()
            .fold(first, |b, &v| if v < b || b.is_nan() { v } else { b }),
        T_MAX => vals
            .iter()
            .fold(first, |b, &v| if v > b || b.is_nan() { v } else { b }),
        T_STDVAR => spread(&vals, false),
        T_STDDEV => spread(&vals, true),
        T_QUANTILE => kahan::quantile(param.unwrap_or(f64::NAN), vals),
        _ => return None,
    })
}

fn spread(vals: &[f64], sqrt: bool) -> f64 {
    let var = kahan::variance(vals.iter().copied());
    if sqrt {
        var.sqrt()
    } else {
        var
    }
}

/// `topk`/`bottomk` (ordered by value, NaN last) and `limitk` (first k) per group.
fn select_k(
    op: u16,
    k: f64,
    input: Vec<Sample>,
    groups: Vec<Group>,
) -> Result<Vec<Sample>, QueryError> {
    if k.is_nan() {
        return Err(QueryError::exec("Parameter value is NaN"));
    }
    if k < 1.0 {
        return Ok(Vec::new());
    }
    let k = if k >= input.len() as f64 {
        input.len()
    } else {
        k as usize
    };
    let mut out = Vec::new();
    for g in groups {
        let mut members: Vec<&Sample> = g.members.iter().filter_map(|&i| input.get(i)).collect();
        if op != T_LIMITK {
            let desc = op == T_TOPK;
            members.sort_by(|a, b| by_value(a.v, b.v, desc));
        }
        out.extend(members.into_iter().take(k).cloned());
    }
    Ok(out)
}

/// `limit_ratio(r, v)`: keeps a deterministic pseudo-random share of the series, chosen by
/// the position of the label hash in [0, 1) exactly like Prometheus (`r < 0` keeps the
/// complement of `1 + r`).
fn limit_ratio(r: f64, input: Vec<Sample>, groups: Vec<Group>) -> Result<Vec<Sample>, QueryError> {
    if r.is_nan() {
        return Err(QueryError::exec("Ratio value is NaN"));
    }
    let r = r.clamp(-1.0, 1.0);
    let mut out = Vec::new();
    for g in groups {
        for s in g.members.iter().filter_map(|&i| input.get(i)) {
            let offset = labels_hash(&s.labels) as f64 / u64::MAX as f64;
            if (r >= 0.0 && offset < r) || (r < 0.0 && offset >= 1.0 + r) {
                out.push(s.clone());
            }
        }
    }
    Ok(out)
}

/// Prometheus's `labels.Hash()`: XXH64 of `name 0xff value 0xff …` in label order.
fn labels_hash(labels: &Labels) -> u64 {
    let mut buf: Vec<u8> = Vec::new();
    for (n, v) in labels.iter() {
        buf.extend_from_slice(n.as_bytes());
        buf.push(0xff);
        buf.extend_from_slice(v.as_bytes());
        buf.push(0xff);
    }
    xxhash_rust::xxh64::xxh64(&buf, 0)
}

/// Sort order for topk (desc) / bottomk (asc) with NaN always last.
fn by_value(a: f64, b: f64, desc: bool) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Equal,
        (true, false) => Greater,
        (false, true) => Less,
        _ if desc => b.partial_cmp(&a).unwrap_or(Equal),
        _ => a.partial_cmp(&b).unwrap_or(Equal),
    }
}

fn count_values(
    input: Vec<Sample>,
    label: &str,
    modifier: Option<&LabelModifier>,
) -> Result<Vec<Sample>, QueryError> {
    if !is_valid_label_name(label) {
        return Err(QueryError::exec(format!("invalid label name {label:?}")));
    }
    let mut index: HashMap<Labels, usize> = HashMap::default();
    let mut out: Vec<Sample> = Vec::new();
    for s in input {
        let base = if s.drop_name {
            s.labels.without_metric_name()
        } else {
            s.labels
        };
        let mut key = group_labels(&base, modifier);
        key = key.with(label, &format_value(s.v));
        let i = *index.entry(key.clone()).or_insert_with(|| {
            out.push(Sample {
                labels: key,
                v: 0.0,
                drop_name: false,
            });
            out.len() - 1
        });
        if let Some(o) = out.get_mut(i) {
            o.v += 1.0;
        }
    }
    Ok(out)
}

pub(crate) fn is_valid_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
