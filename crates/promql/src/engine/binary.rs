//! Binary operators: arithmetic, comparisons (filtering or `bool`), set operators and vector
//! matching with `on`/`ignoring`/`group_left`/`group_right`.
//!
//! Contract: Prometheus's `VectorBinop`/`VectorscalarBinop` semantics, including its
//! many-to-many and duplicate-match errors. Arithmetic and `bool` comparisons flag
//! `__name__` for removal; filtering comparisons keep the left-hand (vector) value.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use promql_parser::label::Labels as ParserLabels;
use promql_parser::parser::token::{
    T_ADD, T_ATAN2, T_DIV, T_EQLC, T_GTE, T_GTR, T_LAND, T_LOR, T_LSS, T_LTE, T_LUNLESS, T_MOD,
    T_MUL, T_NEQ, T_POW, T_SUB,
};
use promql_parser::parser::{BinModifier, BinaryExpr, LabelModifier, VectorMatchCardinality};
use signalboard_store::{Labels, METRIC_NAME};

use super::labelcache::site;
use super::{Evaluator, Sample, Val};
use crate::QueryError;

type TokenId = u16;

impl Evaluator<'_> {
    pub(crate) fn eval_binary(&self, b: &BinaryExpr, t_ms: i64) -> Result<Val, QueryError> {
        if let Some(v) = self.rows_at(t_ms, |ev| ev.binary_rows(b))? {
            return Ok(Val::Vector(v));
        }
        let op = b.op.id();
        let lhs = self.eval(&b.lhs, t_ms)?;
        let rhs = self.eval(&b.rhs, t_ms)?;
        let return_bool = b.modifier.as_ref().is_some_and(|m| m.return_bool);
        match (lhs, rhs) {
            (Val::Scalar(l), Val::Scalar(r)) => {
                let (v, keep) = apply(op, l, r);
                Ok(Val::Scalar(if is_comparison(op) { f64::from(u8::from(keep)) } else { v }))
            }
            (Val::Vector(l), Val::Scalar(r)) => Ok(Val::Vector(vector_scalar(op, l, r, false, return_bool))),
            (Val::Scalar(l), Val::Vector(r)) => Ok(Val::Vector(vector_scalar(op, r, l, true, return_bool))),
            (Val::Vector(l), Val::Vector(r)) => {
                let default = BinModifier::default();
                let m = b.modifier.as_ref().unwrap_or(&default);
                match op {
                    T_LAND => Ok(Val::Vector(self.set_and(site(b, 0), l, r, m.matching.as_ref(), false))),
                    T_LUNLESS => Ok(Val::Vector(self.set_and(site(b, 0), l, r, m.matching.as_ref(), true))),
                    T_LOR => Ok(Val::Vector(self.set_or(site(b, 0), l, r, m.matching.as_ref()))),
                    _ => self.vector_vector(site(b, 0), op, l, r, m).map(Val::Vector),
                }
            }
            (l, r) => Err(QueryError::exec(format!(
                "binary expression must contain only scalar and instant vector types, got {} and {}",
                l.type_name(),
                r.type_name()
            ))),
        }
    }
}

pub(super) fn is_comparison(op: TokenId) -> bool {
    matches!(op, T_EQLC | T_NEQ | T_GTR | T_LSS | T_GTE | T_LTE)
}

/// `(value, keep)`: arithmetic always keeps; comparisons keep when the condition holds.
pub(super) fn apply(op: TokenId, l: f64, r: f64) -> (f64, bool) {
    match op {
        T_ADD => (l + r, true),
        T_SUB => (l - r, true),
        T_MUL => (l * r, true),
        T_DIV => (l / r, true),
        T_POW => (l.powf(r), true),
        T_MOD => (l % r, true),
        T_ATAN2 => (l.atan2(r), true),
        T_EQLC => (l, l == r),
        T_NEQ => (l, l != r),
        T_GTR => (l, l > r),
        T_LSS => (l, l < r),
        T_GTE => (l, l >= r),
        T_LTE => (l, l <= r),
        _ => (f64::NAN, false),
    }
}

fn vector_scalar(
    op: TokenId,
    vec: Vec<Sample>,
    scalar: f64,
    scalar_left: bool,
    return_bool: bool,
) -> Vec<Sample> {
    let comparison = is_comparison(op);
    vec.into_iter()
        .filter_map(|mut s| {
            let (l, r) = if scalar_left {
                (scalar, s.v)
            } else {
                (s.v, scalar)
            };
            let (v, keep) = apply(op, l, r);
            if comparison {
                if return_bool {
                    s.v = f64::from(u8::from(keep));
                    s.drop_name = true;
                    return Some(s);
                }
                // A filter keeps the vector's own value, whichever side the scalar is on.
                return keep.then_some(s);
            }
            s.v = v;
            s.drop_name = true;
            Some(s)
        })
        .collect()
}

/// Matching signature: the `on` labels, or all labels but the ignored ones and `__name__`.
pub(super) fn signature(labels: &Labels, matching: Option<&LabelModifier>) -> Labels {
    match matching {
        Some(LabelModifier::Include(on)) => labels.filtered(|n| on.labels.iter().any(|l| l == n)),
        Some(LabelModifier::Exclude(ign)) => {
            labels.filtered(|n| n != METRIC_NAME && !ign.labels.iter().any(|l| l == n))
        }
        None => labels.without_metric_name(),
    }
}

impl Evaluator<'_> {
    fn sig(&self, site: usize, labels: &Labels, matching: Option<&LabelModifier>) -> Labels {
        self.labels.map(site, labels, |l| signature(l, matching))
    }

    fn set_and(
        &self,
        site: usize,
        lhs: Vec<Sample>,
        rhs: Vec<Sample>,
        matching: Option<&LabelModifier>,
        unless: bool,
    ) -> Vec<Sample> {
        let right: HashSet<usize> = rhs
            .iter()
            .map(|s| self.sig(site, &s.labels, matching).ptr_id())
            .collect();
        lhs.into_iter()
            .filter(|s| right.contains(&self.sig(site, &s.labels, matching).ptr_id()) != unless)
            .collect()
    }

    fn set_or(
        &self,
        site: usize,
        lhs: Vec<Sample>,
        rhs: Vec<Sample>,
        matching: Option<&LabelModifier>,
    ) -> Vec<Sample> {
        let left: HashSet<usize> = lhs
            .iter()
            .map(|s| self.sig(site, &s.labels, matching).ptr_id())
            .collect();
        let mut out = lhs;
        out.extend(
            rhs.into_iter()
                .filter(|s| !left.contains(&self.sig(site, &s.labels, matching).ptr_id())),
        );
        out
    }

    fn vector_vector(
        &self,
        site: usize,
        op: TokenId,
        lhs: Vec<Sample>,
        rhs: Vec<Sample>,
        m: &BinModifier,
    ) -> Result<Vec<Sample>, QueryError> {
        let matching = m.matching.as_ref();
        let one_to_many = matches!(m.card, VectorMatchCardinality::OneToMany(_));
        let (many, one) = if one_to_many { (rhs, lhs) } else { (lhs, rhs) };
        let mut one_by_sig: HashMap<usize, (Labels, Sample)> =
            HashMap::with_capacity_and_hasher(one.len(), Default::default());
        for s in one {
            let sig = self.sig(site, &s.labels, matching);
            if let Some((_, dup)) = one_by_sig.get(&sig.ptr_id()) {
                let side = if one_to_many { "left" } else { "right" };
                return Err(QueryError::exec(format!(
                    "found duplicate series for the match group {sig} on the {side} hand-side of the operation: [{}, {}];many-to-many matching not allowed: matching labels must be unique on one side",
                    s.labels, dup.labels
                )));
            }
            one_by_sig.insert(sig.ptr_id(), (sig, s));
        }
        let comparison = is_comparison(op);
        let mut matched: HashMap<usize, HashSet<usize>> = HashMap::default();
        let mut out = Vec::new();
        for ms in many {
            let sig_labels = self.sig(site, &ms.labels, matching);
            let sig = sig_labels.ptr_id();
            let Some((_, os)) = one_by_sig.get(&sig) else {
                // Experimental `fill_right(v)`/`fill(v)`: a missing "one" side counts as `v`.
                if let Some(f) = m.fill_values.rhs {
                    let (l, r) = if one_to_many { (f, ms.v) } else { (ms.v, f) };
                    let labels = self.labels.map2(site + 2, &ms.labels, &sig_labels, |a, b| {
                        result_labels(a, b, m)
                    });
                    out.extend(filled(op, l, r, labels, m.return_bool, ms.drop_name));
                }
                continue;
            };
            let (l, r) = if one_to_many {
                (os.v, ms.v)
            } else {
                (ms.v, os.v)
            };
            let (mut v, keep) = apply(op, l, r);
            let labels = self.labels.map2(site + 1, &ms.labels, &os.labels, |a, b| {
                result_labels(a, b, m)
            });
            // Matching errors are raised even for pairs a comparison then filters away.
            let inserted = matched.entry(sig).or_default();
            if matches!(m.card, VectorMatchCardinality::OneToOne) {
                if !inserted.is_empty() {
                    return Err(QueryError::exec(
                        "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)",
                    ));
                }
            } else if inserted.contains(&labels.ptr_id()) {
                return Err(QueryError::exec(
                    "multiple matches for labels: grouping labels must ensure unique matches",
                ));
            }
            inserted.insert(labels.ptr_id());
            if m.return_bool {
                v = f64::from(u8::from(keep));
            } else if !keep {
                continue;
            }
            let drop_name = !comparison || m.return_bool || ms.drop_name;
            out.push(Sample {
                labels,
                v,
                drop_name,
            });
        }
        // Experimental `fill_left(v)`/`fill(v)`: a "one" side match group without any "many"
        // side partner pairs with `v`; the result carries the match group's labels.
        if let Some(f) = m.fill_values.lhs {
            for (sig, (sig_labels, os)) in &one_by_sig {
                if matched.contains_key(sig) {
                    continue;
                }
                let (l, r) = if one_to_many { (os.v, f) } else { (f, os.v) };
                out.extend(filled(op, l, r, sig_labels.clone(), m.return_bool, false));
            }
        }
        Ok(out)
    }
}

/// One result of a pair with a filled-in side: arithmetic drops the name, a filtering
/// comparison keeps the left value when it holds, `bool` gives 0/1.
fn filled(
    op: TokenId,
    l: f64,
    r: f64,
    labels: Labels,
    return_bool: bool,
    drop_name: bool,
) -> Option<Sample> {
    let (v, keep) = apply(op, l, r);
    if return_bool {
        return Some(Sample {
            labels,
            v: f64::from(u8::from(keep)),
            drop_name: true,
        });
    }
    let drop_name = drop_name || !is_comparison(op);
    keep.then_some(Sample {
        labels,
        v,
        drop_name,
    })
}

/// Prometheus's `resultMetric`: labels of the "many" side, trimmed for one-to-one `on`/
/// `ignoring`, plus the `group_x(...)` labels copied from the "one" side.
pub(super) fn result_labels(many: &Labels, one: &Labels, m: &BinModifier) -> Labels {
    let mut labels = many.clone();
    if matches!(m.card, VectorMatchCardinality::OneToOne) {
        match m.matching.as_ref() {
            Some(LabelModifier::Include(on)) => labels = labels.filtered(|n| contains(on, n)),
            Some(LabelModifier::Exclude(ign)) => labels = labels.filtered(|n| !contains(ign, n)),
            None => {}
        }
    }
    if let Some(include) = m.card.labels() {
        for name in &include.labels {
            labels = labels.with(name, one.get(name).unwrap_or(""));
        }
    }
    labels
}

fn contains(ls: &ParserLabels, name: &str) -> bool {
    ls.labels.iter().any(|l| l == name)
}
