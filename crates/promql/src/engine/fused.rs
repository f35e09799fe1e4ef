//! Fused aggregation: `sum|avg|count|min|max|group (…) (f(m[r]))` evaluated straight from the
//! series-major rows of `precompute`, without building per-step sample vectors.
//!
//! Contract: results equal the generic aggregation path (same Kahan sums, streaming mean and
//! NaN rules); only the output order within a step may differ (groups in first-seen series
//! order). The group of each series is computed once per query and cached per node.

use std::rc::Rc;

use promql_parser::parser::token::{T_AVG, T_COUNT, T_GROUP, T_MAX, T_MIN, T_SUM};
use promql_parser::parser::{AggregateExpr, Expr, LabelModifier};
use rustc_hash::FxHashMap as HashMap;
use signalboard_store::Labels;

use super::aggregate::group_labels;
use super::labelcache::site;
use super::{kahan, Evaluator, Sample};
use crate::QueryError;

/// Which output group each precomputed series belongs to (computed once per query).
pub(crate) struct GroupPlan {
    labels: Vec<Labels>,
    of_series: Vec<usize>,
}

/// Running state of one group in a fused aggregation.
#[derive(Clone, Copy, Default)]
struct Acc {
    count: usize,
    sum: f64,
    comp: f64,
    best: f64,
    mean: kahan::Mean,
}

impl Evaluator<'_> {
    /// `sum|count|min|max|group (…) (f(m[r]))` straight from series-major rows: no per-step
    /// samples, and the group of each series is worked out once per query.
    pub(super) fn fused_aggregate(
        &self,
        a: &AggregateExpr,
        op: u16,
        t: i64,
    ) -> Result<Option<Vec<Sample>>, QueryError> {
        if !matches!(op, T_SUM | T_AVG | T_COUNT | T_MIN | T_MAX | T_GROUP) {
            return Ok(None);
        }
        let Expr::Call(call) = a.expr.as_ref() else {
            return Ok(None);
        };
        let Some((rows, k)) = self.rows_for(call, t)? else {
            return Ok(None);
        };
        let key = site(a, 0);
        let cached = self.plans.borrow().get(&key).cloned();
        let plan = match cached {
            Some(p) => p,
            None => {
                let p = Rc::new(self.group_plan(key, rows.labels(), a.modifier.as_ref()));
                self.plans.borrow_mut().insert(key, p.clone());
                p
            }
        };
        let mut acc = vec![Acc::default(); plan.labels.len()];
        for (i, v) in rows.present(k) {
            let Some(g) = plan.of_series.get(i).and_then(|&g| acc.get_mut(g)) else {
                continue;
            };
            g.count += 1;
            let better = (op == T_MIN && (v < g.best || g.best.is_nan()))
                || (op == T_MAX && (v > g.best || g.best.is_nan()));
            if g.count == 1 || better {
                g.best = v;
            }
            (g.sum, g.comp) = kahan::kahan_inc(v, g.sum, g.comp);
            if op == T_AVG {
                g.mean.add(v);
            }
        }
        let out = plan
            .labels
            .iter()
            .zip(&acc)
            .filter(|(_, g)| g.count > 0)
            .map(|(l, g)| {
                let v = match op {
                    T_SUM if g.sum.is_infinite() => g.sum,
                    T_SUM => g.sum + g.comp,
                    T_AVG => g.mean.value(),
                    T_COUNT => g.count as f64,
                    T_GROUP => 1.0,
                    _ => g.best,
                };
                Sample {
                    labels: l.clone(),
                    v,
                    drop_name: rows.drop_name(),
                }
            })
            .collect();
        Ok(Some(out))
    }

    fn group_plan(
        &self,
        site: usize,
        labels: &[Labels],
        modifier: Option<&LabelModifier>,
    ) -> GroupPlan {
        let mut index: HashMap<usize, usize> = HashMap::default();
        let mut plan = GroupPlan {
            labels: Vec::new(),
            of_series: Vec::with_capacity(labels.len()),
        };
        for l in labels {
            let key = self.labels.map(site, l, |l| group_labels(l, modifier));
            let g = *index.entry(key.ptr_id()).or_insert_with(|| {
                plan.labels.push(key);
                plan.labels.len() - 1
            });
            plan.of_series.push(g);
        }
        plan
    }
}
