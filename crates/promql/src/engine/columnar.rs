//! Whole-range (columnar) evaluation: for a range query, an expression built from range
//! functions over matrix selectors (`precompute` leaves), `sum|avg|count|min|max|group`
//! aggregations, `histogram_quantile` with a literal quantile, and arithmetic or comparison
//! operators between two such expressions (one-to-one) or with a number literal is evaluated
//! for all steps at once, one row per output series, instead of step by step. Aggregations
//! over a leaf consume its series one at a time without storing them.
//!
//! Contract: values, labels and `__name__` flags equal the step-by-step path's (same Kahan
//! order, NaN rules and bucket order). Shapes that could raise a per-step error there
//! (duplicate match signatures, colliding result labels) are not taken here: they fall back
//! to that path, which then reports the error. Rows are cached per node, so a node inside an
//! expression this path does not cover is still computed once and served per step.

use std::rc::Rc;

use promql_parser::parser::token::{
    T_AVG, T_COUNT, T_GROUP, T_LAND, T_LOR, T_LUNLESS, T_MAX, T_MIN, T_SUM,
};
use promql_parser::parser::{
    AggregateExpr, BinModifier, BinaryExpr, Call, Expr, LabelModifier, VectorMatchCardinality,
};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet, FxHasher};
use signalboard_store::Labels;
use std::hash::Hasher;

use super::aggregate::keeps;
use super::binary::{apply, is_comparison, result_labels, signature};
use super::histogram::{parse_go_float, sorted_bucket_quantile};
use super::labelcache::{site, SITE_WITHOUT_LE, SITE_WITHOUT_LE_AND_NAME};
use super::precompute::{leaf, Leaf, Row, RowBuf, Rows};
use super::{kahan, Evaluator, Sample};
use crate::{QueryError, RangeSeries};

/// Result of a node's columnar evaluation: its rows, or None when the shape is not covered.
type MaybeRows = Result<Option<Rc<Rows>>, QueryError>;

impl Evaluator<'_> {
    /// The whole-range rows of `expr`, when it has a covered shape and this is a range query.
    pub(crate) fn node_rows(&self, expr: &Expr) -> MaybeRows {
        match expr {
            Expr::Paren(p) => self.node_rows(&p.expr),
            Expr::Call(c) => self.call_rows(c),
            Expr::Aggregate(a) => self.aggregate_rows(a),
            Expr::Binary(b) => self.binary_rows(b),
            _ => Ok(None),
        }
    }

    /// Step `t`'s instant vector from `rows`, when `t` is a step of the query; charges the
    /// samples the step read.
    pub(crate) fn rows_at(
        &self,
        t: i64,
        rows: impl FnOnce(&Self) -> MaybeRows,
    ) -> Result<Option<Vec<Sample>>, QueryError> {
        let Some(k) = self.step_index(t) else {
            return Ok(None);
        };
        let Some(rows) = rows(self)? else {
            return Ok(None);
        };
        self.charge(rows.loaded.get(k).copied().unwrap_or(0))?;
        Ok(Some(rows.materialize(k)))
    }

    /// A whole range query straight from the rows of `expr`; None when `expr` is not covered
    /// or two result series would share a label set (the step path reports or merges those).
    pub(crate) fn range_matrix(&self, expr: &Expr) -> Result<Option<Vec<RangeSeries>>, QueryError> {
        let Some(rows) = self.node_rows(expr)? else {
            return Ok(None);
        };
        if rows.loaded.iter().any(|&n| n > self.max_samples) {
            return Err(QueryError::too_many_samples());
        }
        let mut out: Vec<RangeSeries> = Vec::new();
        let mut seen = HashSet::default();
        let mut total = 0usize;
        for (l, row) in rows.labels.iter().zip(rows.rows()) {
            let samples: Vec<(i64, f64)> = row
                .iter()
                .enumerate()
                .filter_map(|(k, v)| v.map(|v| (self.start_ms + k as i64 * self.step_ms, v)))
                .collect();
            if samples.is_empty() {
                continue;
            }
            total += samples.len();
            if total > self.max_samples {
                return Err(QueryError::too_many_samples());
            }
            let labels = if rows.drop_name {
                self.labels.without_name(l)
            } else {
                self.labels.canonical(l)
            };
            if !seen.insert(labels.ptr_id()) {
                return Ok(None);
            }
            out.push(RangeSeries { labels, samples });
        }
        out.sort_by(|a, b| a.labels.cmp(&b.labels));
        Ok(Some(out))
    }

    /// Rows of a node, computed once per query.
    fn cached<T>(
        &self,
        node: &T,
        f: impl FnOnce(&Self) -> Result<Option<Rows>, QueryError>,
    ) -> MaybeRows {
        if !self.is_range_query() {
            return Ok(None);
        }
        let key = site(node, 0);
        if let Some(hit) = self.node_rows_cache().get(&key) {
            return Ok(hit.clone());
        }
        let rows = f(self)?.map(Rc::new);
        self.node_rows_cache_mut().insert(key, rows.clone());
        Ok(rows)
    }

    pub(crate) fn call_rows(&self, call: &Call) -> MaybeRows {
        self.cached(call, |ev| {
            if call.func.name == "histogram_quantile" {
                return ev.histogram_quantile_rows(call);
            }
            Ok(leaf(call).map(|l| ev.leaf_rows(&l)))
        })
    }

    /// `sum|avg|count|min|max|group` without parameter, per group and step.
    pub(crate) fn aggregate_rows(&self, a: &AggregateExpr) -> MaybeRows {
        self.cached(a, |ev| {
            let op = a.op.id();
            if !matches!(op, T_SUM | T_AVG | T_COUNT | T_MIN | T_MAX | T_GROUP) || a.param.is_some()
            {
                return Ok(None);
            }
            let steps = ev.steps();
            let mut groups = KeptGrouping::new(a.modifier.as_ref());
            // Per group and step; `sum` keeps its state in columns, `avg` Prometheus's mean
            // state separately.
            let mut acc: Vec<Acc> = Vec::new();
            let mut sums = SumColumns::new(steps);
            let mut means: Vec<kahan::Mean> = Vec::new();
            let mut add = |l: &Labels, row: Row<'_>| {
                let g = groups.of(l, |key| ev.labels.intern(key));
                if op == T_SUM {
                    return sums.add(g, row);
                }
                let span = g * steps..(g + 1) * steps;
                if acc.len() < span.end {
                    acc.resize(span.end, Acc::default());
                }
                let slots = acc.get_mut(span.clone()).unwrap_or(&mut []);
                if op == T_AVG {
                    if means.len() < span.end {
                        means.resize(span.end, kahan::Mean::default());
                    }
                    let m = means.get_mut(span).unwrap_or(&mut []);
                    for ((slot, m), v) in slots.iter_mut().zip(m).zip(row.iter()) {
                        if let Some(v) = v {
                            slot.count += 1;
                            m.add(v);
                        }
                    }
                    return;
                }
                add_row(op, slots, row);
            };
            let (loaded, drop_name) = match ev.input(&a.expr)? {
                Some(Input::Leaf(l)) => (ev.stream_leaf(&l, &mut add), l.drop_name()),
                Some(Input::Rows(r)) => {
                    let mut buf = RowBuf::default();
                    r.labels
                        .iter()
                        .zip(r.rows())
                        .for_each(|(l, row)| add(l, buf.fill(row)));
                    (r.loaded.clone(), r.drop_name)
                }
                None => return Ok(None),
            };
            let values = if op == T_SUM {
                sums.values()
            } else {
                acc.iter()
                    .enumerate()
                    .map(|(i, g)| g.value(op, means.get(i)))
                    .collect()
            };
            Ok(Some(Rows {
                labels: groups.labels,
                drop_name,
                steps,
                values,
                loaded,
            }))
        })
    }

    /// The covered input of an aggregation: a leaf (streamed) or another node's rows.
    fn input<'e>(&self, e: &'e Expr) -> Result<Option<Input<'e>>, QueryError> {
        match e {
            Expr::Paren(p) => self.input(&p.expr),
            Expr::Call(c) if c.func.name != "histogram_quantile" => Ok(leaf(c).map(Input::Leaf)),
            other => Ok(self.node_rows(other)?.map(Input::Rows)),
        }
    }

    /// `histogram_quantile(q, v)` with a literal `q`, per bucket group and step.
    fn histogram_quantile_rows(&self, call: &Call) -> Result<Option<Rows>, QueryError> {
        let (Some(Expr::NumberLiteral(q)), Some(v)) = (
            call.args.args.first().map(|a| a.as_ref()),
            call.args.args.get(1),
        ) else {
            return Ok(None);
        };
        let Some(input) = self.node_rows(v)? else {
            return Ok(None);
        };
        let mut groups = Grouping::default();
        // Per group: its buckets as (upper bound, row), ordered by bound (stable).
        let mut members: Vec<Vec<(f64, usize)>> = Vec::new();
        for (i, l) in input.labels.iter().enumerate() {
            let Some(ub) = self
                .labels
                .number(l, |l| l.get("le").and_then(parse_go_float))
            else {
                continue;
            };
            let g = groups.of(l, |l| {
                if input.drop_name {
                    self.labels.map(SITE_WITHOUT_LE_AND_NAME, l, |l| {
                        l.without("le").without_metric_name()
                    })
                } else {
                    self.labels.map(SITE_WITHOUT_LE, l, |l| l.without("le"))
                }
            });
            if members.len() <= g {
                members.resize_with(g + 1, Vec::new);
            }
            if let Some(m) = members.get_mut(g) {
                m.push((ub, i));
            }
        }
        let steps = input.steps;
        let rows: Vec<&[Option<f64>]> = input.rows().collect();
        let mut values = Vec::with_capacity(members.len() * steps);
        let mut buckets: Vec<(f64, f64)> = Vec::new();
        for m in &mut members {
            m.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
            // Each step's buckets are a subsequence of the group's: sorted once for all steps
            // (unless NaN bounds leave no order).
            let sorted = m.windows(2).all(|w| matches!(w, [a, b] if a.0 <= b.0));
            for k in 0..steps {
                buckets.clear();
                for &(ub, i) in m.iter() {
                    if let Some(v) = rows.get(i).and_then(|r| r.get(k)).copied().flatten() {
                        buckets.push((ub, v));
                    }
                }
                values.push(
                    (!buckets.is_empty())
                        .then(|| sorted_bucket_quantile(q.val, &mut buckets, sorted)),
                );
            }
        }
        Ok(Some(Rows {
            labels: groups.labels,
            drop_name: true,
            steps,
            values,
            loaded: input.loaded.clone(),
        }))
    }

    /// Arithmetic and comparisons between two covered expressions (one-to-one, unique match
    /// signatures on both sides) or between one and a number literal.
    pub(crate) fn binary_rows(&self, b: &BinaryExpr) -> MaybeRows {
        self.cached(b, |ev| {
            let op = b.op.id();
            let default = BinModifier::default();
            let m = b.modifier.as_ref().unwrap_or(&default);
            if matches!(op, T_LAND | T_LOR | T_LUNLESS) {
                return Ok(None);
            }
            match (literal(&b.lhs), literal(&b.rhs)) {
                (None, Some(r)) => ev.scalar_rows(op, &b.lhs, r, false, m.return_bool),
                (Some(l), None) => ev.scalar_rows(op, &b.rhs, l, true, m.return_bool),
                (None, None) => ev.vector_rows(site(b, 0), op, b, m),
                (Some(_), Some(_)) => Ok(None),
            }
        })
    }

    /// `v op scalar` / `scalar op v` (Prometheus's `VectorscalarBinop`).
    fn scalar_rows(
        &self,
        op: u16,
        v: &Expr,
        scalar: f64,
        scalar_left: bool,
        return_bool: bool,
    ) -> Result<Option<Rows>, QueryError> {
        let Some(input) = self.node_rows(v)? else {
            return Ok(None);
        };
        let comparison = is_comparison(op);
        let values = input
            .values
            .iter()
            .map(|x| {
                let x = (*x)?;
                let (l, r) = if scalar_left {
                    (scalar, x)
                } else {
                    (x, scalar)
                };
                let (v, keep) = apply(op, l, r);
                match (comparison, return_bool) {
                    (true, true) => Some(f64::from(u8::from(keep))),
                    (true, false) => keep.then_some(x),
                    _ => Some(v),
                }
            })
            .collect();
        Ok(Some(Rows {
            labels: input.labels.clone(),
            drop_name: input.drop_name || !comparison || return_bool,
            steps: input.steps,
            values,
            loaded: input.loaded.clone(),
        }))
    }

    /// `lhs op rhs` between vectors, one-to-one.
    fn vector_rows(
        &self,
        site: usize,
        op: u16,
        b: &BinaryExpr,
        m: &BinModifier,
    ) -> Result<Option<Rows>, QueryError> {
        if !matches!(m.card, VectorMatchCardinality::OneToOne)
            || m.fill_values.lhs.is_some()
            || m.fill_values.rhs.is_some()
        {
            return Ok(None);
        }
        let (Some(lhs), Some(rhs)) = (self.node_rows(&b.lhs)?, self.node_rows(&b.rhs)?) else {
            return Ok(None);
        };
        let matching = m.matching.as_ref();
        let sig = |l: &Labels| {
            self.labels
                .map(site, l, |l| signature(l, matching))
                .ptr_id()
        };
        let mut right: HashMap<usize, usize> = HashMap::default();
        for (j, l) in rhs.labels.iter().enumerate() {
            if right.insert(sig(l), j).is_some() {
                return Ok(None);
            }
        }
        let mut left_sigs = HashSet::default();
        let (rhs_rows, steps) = (rhs.rows().collect::<Vec<_>>(), lhs.steps);
        let comparison = is_comparison(op);
        let mut out = Rows {
            labels: Vec::new(),
            drop_name: !comparison || m.return_bool || lhs.drop_name,
            steps,
            values: Vec::new(),
            loaded: lhs
                .loaded
                .iter()
                .zip(&rhs.loaded)
                .map(|(a, b)| a + b)
                .collect(),
        };
        for (l, row) in lhs.labels.iter().zip(lhs.rows()) {
            let s = sig(l);
            if !left_sigs.insert(s) {
                return Ok(None);
            }
            let Some((&j, r_row)) = right.get(&s).and_then(|j| Some((j, *rhs_rows.get(*j)?)))
            else {
                continue;
            };
            let Some(r_labels) = rhs.labels.get(j) else {
                continue;
            };
            out.labels.push(
                self.labels
                    .map2(site + 1, l, r_labels, |a, b| result_labels(a, b, m)),
            );
            out.values.extend(row.iter().zip(r_row).map(|(x, y)| {
                let (x, y) = ((*x)?, (*y)?);
                let (v, keep) = apply(op, x, y);
                if m.return_bool {
                    Some(f64::from(u8::from(keep)))
                } else {
                    keep.then_some(v)
                }
            }));
        }
        Ok(Some(out))
    }
}

/// The value of a number literal (through parentheses).
fn literal(e: &Expr) -> Option<f64> {
    match e {
        Expr::NumberLiteral(n) => Some(n.val),
        Expr::Paren(p) => literal(&p.expr),
        _ => None,
    }
}

/// An aggregation's input.
enum Input<'e> {
    Leaf(Leaf<'e>),
    Rows(Rc<Rows>),
}

/// Output groups in first-seen order, found by the interned identity of their labels.
#[derive(Default)]
struct Grouping {
    labels: Vec<Labels>,
    index: HashMap<usize, usize>,
}

impl Grouping {
    /// The group of a series whose group labels are `key(labels)`.
    fn of(&mut self, labels: &Labels, key: impl FnOnce(&Labels) -> Labels) -> usize {
        let key = key(labels);
        *self.index.entry(key.ptr_id()).or_insert_with(|| {
            self.labels.push(key);
            self.labels.len() - 1
        })
    }
}

/// Groups of an aggregation, found from the label pairs each series keeps (`by`/`without`)
/// by hashing and comparing those pairs in place: only a new group builds its label set, so
/// grouping a series allocates nothing.
struct KeptGrouping<'m> {
    modifier: Option<&'m LabelModifier>,
    labels: Vec<Labels>,
    /// Hash of the kept pairs → the groups with that hash (more than one on a collision).
    by_hash: HashMap<u64, Vec<usize>>,
}

impl<'m> KeptGrouping<'m> {
    fn new(modifier: Option<&'m LabelModifier>) -> Self {
        Self {
            modifier,
            labels: Vec::new(),
            by_hash: HashMap::default(),
        }
    }

    /// The group of a series with `labels`; a new group's label set is `finish(kept pairs)`.
    fn of(&mut self, labels: &Labels, finish: impl FnOnce(Labels) -> Labels) -> usize {
        let modifier = self.modifier;
        let kept = || labels.iter().filter(move |(n, _)| keeps(modifier, n));
        let mut h = FxHasher::default();
        for (n, v) in kept() {
            h.write(n.as_bytes());
            h.write_u8(0xff);
            h.write(v.as_bytes());
            h.write_u8(0xfe);
        }
        let same_hash = self.by_hash.entry(h.finish()).or_default();
        let found = same_hash
            .iter()
            .copied()
            .find(|&g| self.labels.get(g).is_some_and(|l| l.iter().eq(kept())));
        if let Some(g) = found {
            return g;
        }
        let g = self.labels.len();
        same_hash.push(g);
        self.labels
            .push(finish(labels.filtered(|n| keeps(modifier, n))));
        g
    }
}

/// Adds one input row to its group's per-step state (`sum` and `avg` aside). One loop per
/// operator, so the operator is not re-dispatched per step.
fn add_row(op: u16, slots: &mut [Acc], row: Row<'_>) {
    let pairs = slots.iter_mut().zip(row.iter());
    match op {
        T_COUNT | T_GROUP => pairs.for_each(|(slot, v)| slot.count += u32::from(v.is_some())),
        _ => pairs.for_each(|(slot, v)| {
            if let Some(v) = v {
                slot.add(op, v);
            }
        }),
    }
}

/// `sum`'s state per group and step, in columns: a row with a value at every step (the usual
/// case) is added by [`kahan::add_columns`], a branch-free loop over plain `f64`s; a row with
/// gaps step by step. Both take the same Kahan steps in the same order.
struct SumColumns {
    steps: usize,
    /// Per group: its sums for every step, then their compensations (one allocation, as
    /// several growing side by side cost page faults at every query).
    cols: Vec<f64>,
    /// Values added per group and step by rows with gaps (empty until such a row comes).
    count: Vec<u32>,
    /// Rows without gaps added per group (each counts at every step).
    dense: Vec<u32>,
}

impl SumColumns {
    fn new(steps: usize) -> Self {
        Self {
            steps,
            cols: Vec::new(),
            count: Vec::new(),
            dense: Vec::new(),
        }
    }

    /// Adds `row` (one value slot per step) to group `g`.
    fn add(&mut self, g: usize, row: Row<'_>) {
        let steps = self.steps;
        let block = g * 2 * steps..(g + 1) * 2 * steps;
        if self.cols.len() < block.end {
            self.cols.resize(block.end, 0.0);
            self.dense.resize(g + 1, 0);
        }
        let (Some(cols), Some(dense)) = (self.cols.get_mut(block), self.dense.get_mut(g)) else {
            return;
        };
        let (sum, comp) = cols.split_at_mut(steps);
        if row.is_dense() {
            *dense += 1;
            return kahan::add_columns(sum, comp, row.values);
        }
        let span = g * steps..(g + 1) * steps;
        if self.count.len() < span.end {
            self.count.resize(span.end, 0);
        }
        let count = self.count.get_mut(span).unwrap_or(&mut []);
        let slots = sum.iter_mut().zip(comp).zip(count).zip(row.iter());
        for (((s, c), n), v) in slots {
            if let Some(v) = v {
                *n += 1;
                (*s, *c) = kahan::kahan_inc(v, *s, *c);
            }
        }
    }

    /// The sums, group after group, None where nothing was added.
    fn values(&self) -> Vec<Option<f64>> {
        let steps = self.steps.max(1);
        let mut out = Vec::with_capacity(self.dense.len() * steps);
        let blocks = self.cols.chunks_exact(2 * steps).zip(&self.dense);
        for (g, (block, &dense)) in blocks.enumerate() {
            let (sum, comp) = block.split_at(steps);
            let count = self.count.get(g * steps..(g + 1) * steps);
            let n = |k: usize| count.and_then(|c| c.get(k)).copied().unwrap_or(0);
            out.extend(sum.iter().zip(comp).enumerate().map(|(k, (&s, &c))| {
                (n(k) + dense > 0).then(|| if s.is_infinite() { s } else { s + c })
            }));
        }
        out
    }
}

/// Running state of one group at one step for `min`, `max`, `count` and `group` (`avg` adds
/// a [`kahan::Mean`]; `sum` has [`SumColumns`]).
#[derive(Clone, Copy, Default)]
struct Acc {
    count: u32,
    /// The best value so far for `min`/`max`.
    best: f64,
}

impl Acc {
    #[inline(always)]
    fn add(&mut self, op: u16, v: f64) {
        self.count += 1;
        let best = self.best;
        let better = (op == T_MIN && (v < best || best.is_nan()))
            || (op == T_MAX && (v > best || best.is_nan()));
        if self.count == 1 || better {
            self.best = v;
        }
    }

    fn value(&self, op: u16, mean: Option<&kahan::Mean>) -> Option<f64> {
        (self.count > 0).then(|| match op {
            T_AVG => mean.map_or(f64::NAN, kahan::Mean::value),
            T_COUNT => f64::from(self.count),
            T_GROUP => 1.0,
            _ => self.best,
        })
    }
}
