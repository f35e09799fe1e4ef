//! The evaluator: walks a parsed expression at one evaluation time and returns an
//! intermediate value; range queries call it once per step.
//!
//! Contract: Prometheus 3.x semantics with delayed `__name__` removal — operations that drop
//! the metric name only flag the sample (`drop_name`), and `finish_vector` removes flagged
//! names at the very end, failing if two results then share a label set. Selected series are
//! resolved once per query and cached per selector node, with per-series cursors so steps
//! advance instead of searching. In range queries, range functions over plain matrix
//! selectors and the aggregations, `histogram_quantile` and operators above them are
//! evaluated for all steps at once (`precompute`, `columnar`) and served step by step.

mod aggregate;
mod binary;
mod columnar;
mod functions;
mod histogram;
pub(crate) use histogram::almost_equal;
mod kahan;
mod labelcache;
mod precompute;
mod selector;
mod windows;

use labelcache::LabelCache;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use promql_parser::parser::{Expr, SubqueryExpr};
use signalboard_store::{Labels, Store};

use selector::Selection;

use crate::QueryError;

/// Step of a subquery without an explicit step (Prometheus's default evaluation interval).
pub(crate) const DEFAULT_SUBQUERY_STEP_MS: i64 = 60_000;

/// One instant-vector element during evaluation.
#[derive(Debug, Clone)]
pub(crate) struct Sample {
    pub labels: Labels,
    pub v: f64,
    /// `__name__` is to be removed at the end of evaluation.
    pub drop_name: bool,
}

/// One range-vector element during evaluation (stale markers already removed).
#[derive(Debug, Clone)]
pub(crate) struct Series {
    pub labels: Labels,
    pub points: Vec<(i64, f64)>,
    pub drop_name: bool,
}

/// An intermediate value.
#[derive(Debug, Clone)]
pub(crate) enum Val {
    Scalar(f64),
    Str(String),
    Vector(Vec<Sample>),
    Matrix(Vec<Series>),
}

impl Val {
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Val::Scalar(_) => "scalar",
            Val::Str(_) => "string",
            Val::Vector(_) => "instant vector",
            Val::Matrix(_) => "range vector",
        }
    }
}

/// Evaluation state for one query.
pub(crate) struct Evaluator<'a> {
    pub store: &'a Store,
    pub lookback_ms: i64,
    pub max_samples: usize,
    /// Query range (equal for instant queries); `@ start()` / `@ end()` refer to these.
    pub start_ms: i64,
    pub end_ms: i64,
    pub step_ms: i64,
    cache: RefCell<HashMap<usize, Rc<Selection<'a>>>>,
    /// Planned store window per selector node (see `windows.rs`).
    windows: windows::Windows,
    loaded: Cell<usize>,
    /// Memoised/interned label transforms for this query.
    pub labels: LabelCache,
    /// Whole-range rows per expression node (None: shape not covered), see `columnar`.
    node_rows: RefCell<HashMap<usize, Option<Rc<precompute::Rows>>>>,
}

impl<'a> Evaluator<'a> {
    pub(crate) fn new(
        store: &'a Store,
        lookback_ms: i64,
        max_samples: usize,
        start_ms: i64,
        end_ms: i64,
        step_ms: i64,
    ) -> Self {
        Self {
            store,
            lookback_ms,
            max_samples,
            start_ms,
            end_ms,
            step_ms,
            cache: RefCell::new(HashMap::default()),
            windows: windows::Windows::default(),
            loaded: Cell::new(0),
            labels: LabelCache::default(),
            node_rows: RefCell::new(HashMap::default()),
        }
    }

    /// Reads from the store only the windows `expr` can look at (see `windows.rs`).
    pub(crate) fn with_windows_of(mut self, expr: &Expr) -> Self {
        self.windows = self.plan(expr);
        self
    }

    pub(crate) fn cache_ref(&self) -> std::cell::Ref<'_, HashMap<usize, Rc<Selection<'a>>>> {
        self.cache.borrow()
    }

    pub(crate) fn cache_mut(&self) -> std::cell::RefMut<'_, HashMap<usize, Rc<Selection<'a>>>> {
        self.cache.borrow_mut()
    }

    pub(crate) fn node_rows_cache(
        &self,
    ) -> std::cell::Ref<'_, HashMap<usize, Option<Rc<precompute::Rows>>>> {
        self.node_rows.borrow()
    }

    pub(crate) fn node_rows_cache_mut(
        &self,
    ) -> std::cell::RefMut<'_, HashMap<usize, Option<Rc<precompute::Rows>>>> {
        self.node_rows.borrow_mut()
    }

    /// Starts the sample budget of a new top-level step.
    pub(crate) fn reset_budget(&self) {
        self.loaded.set(0);
    }

    /// Counts `n` loaded samples against `max_samples`.
    pub(crate) fn charge(&self, n: usize) -> Result<(), QueryError> {
        let total = self.loaded.get().saturating_add(n);
        self.loaded.set(total);
        if total > self.max_samples {
            return Err(QueryError::too_many_samples());
        }
        Ok(())
    }

    /// Evaluates `expr` at time `t_ms`.
    pub(crate) fn eval(&self, expr: &Expr, t_ms: i64) -> Result<Val, QueryError> {
        match expr {
            Expr::NumberLiteral(n) => Ok(Val::Scalar(n.val)),
            Expr::StringLiteral(s) => Ok(Val::Str(s.val.clone())),
            Expr::Paren(p) => self.eval(&p.expr, t_ms),
            Expr::Unary(u) => negate(self.eval(&u.expr, t_ms)?),
            Expr::VectorSelector(vs) => Ok(Val::Vector(self.eval_vector_selector(vs, t_ms)?)),
            Expr::MatrixSelector(ms) => {
                Ok(Val::Matrix(self.eval_matrix_selector(ms, t_ms)?.series))
            }
            Expr::Subquery(sq) => Ok(Val::Matrix(self.eval_subquery(sq, t_ms)?.series)),
            Expr::Binary(b) => self.eval_binary(b, t_ms),
            Expr::Aggregate(a) => self.eval_aggregate(a, t_ms),
            Expr::Call(c) => self.eval_call(c, t_ms),
            Expr::Extension(_) => Err(QueryError::unsupported("extension expressions")),
        }
    }

    /// Evaluates and requires an instant vector.
    pub(crate) fn eval_vector(&self, expr: &Expr, t_ms: i64) -> Result<Vec<Sample>, QueryError> {
        match self.eval(expr, t_ms)? {
            Val::Vector(v) => Ok(v),
            other => Err(QueryError::exec(format!(
                "expected instant vector, got {}",
                other.type_name()
            ))),
        }
    }

    /// Evaluates and requires a scalar.
    pub(crate) fn eval_scalar(&self, expr: &Expr, t_ms: i64) -> Result<f64, QueryError> {
        match self.eval(expr, t_ms)? {
            Val::Scalar(v) => Ok(v),
            other => Err(QueryError::exec(format!(
                "expected scalar, got {}",
                other.type_name()
            ))),
        }
    }

    /// `expr[range:step] offset o @ t`: the inner expression at absolute multiples of `step`
    /// inside `(ref - range, ref]`.
    pub(crate) fn eval_subquery(
        &self,
        sq: &SubqueryExpr,
        t_ms: i64,
    ) -> Result<RangeWindow, QueryError> {
        let ref_t = self.reference_time(t_ms, sq.offset.as_ref(), sq.at.as_ref());
        let range = duration_ms(&sq.range);
        let step = sq
            .step
            .as_ref()
            .map(duration_ms)
            .filter(|s| *s > 0)
            .unwrap_or(DEFAULT_SUBQUERY_STEP_MS);
        let window_start = ref_t.saturating_sub(range);
        // Each sub-step evaluates the inner expression: bound their number like samples.
        if (range / step) as usize > self.max_samples {
            return Err(QueryError::too_many_samples());
        }
        let mut ts = window_start.div_euclid(step).saturating_mul(step);
        if ts <= window_start {
            ts = ts.saturating_add(step);
        }
        let mut by_labels: HashMap<usize, usize> = HashMap::default();
        let mut series: Vec<Series> = Vec::new();
        while ts <= ref_t {
            let points = match self.eval(&sq.expr, ts)? {
                Val::Vector(v) => v,
                Val::Scalar(v) => vec![Sample {
                    labels: Labels::empty(),
                    v,
                    drop_name: false,
                }],
                other => {
                    return Err(QueryError::exec(format!(
                        "subquery over {} is not allowed",
                        other.type_name()
                    )))
                }
            };
            self.charge(points.len())?;
            for s in points {
                let labels = self.labels.canonical(&s.labels);
                let idx = *by_labels.entry(labels.ptr_id()).or_insert_with(|| {
                    series.push(Series {
                        labels,
                        points: Vec::new(),
                        drop_name: s.drop_name,
                    });
                    series.len() - 1
                });
                if let Some(target) = series.get_mut(idx) {
                    target.points.push((ts, s.v));
                }
            }
            match ts.checked_add(step) {
                Some(next) => ts = next,
                None => break,
            }
        }
        series.sort_by(|a, b| a.labels.cmp(&b.labels));
        Ok(RangeWindow {
            series,
            start_ms: window_start,
            end_ms: ref_t,
            range_ms: range,
        })
    }
}

/// A range vector with the window it was selected from (rate needs the bounds).
pub(crate) struct RangeWindow {
    pub series: Vec<Series>,
    /// Exclusive left edge.
    pub start_ms: i64,
    /// Inclusive right edge.
    pub end_ms: i64,
    pub range_ms: i64,
}

pub(crate) fn duration_ms(d: &std::time::Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

fn negate(v: Val) -> Result<Val, QueryError> {
    match v {
        Val::Scalar(x) => Ok(Val::Scalar(-x)),
        Val::Vector(mut samples) => {
            for s in &mut samples {
                s.v = -s.v;
                s.drop_name = true;
            }
            Ok(Val::Vector(samples))
        }
        other => Err(QueryError::exec(format!(
            "unary expression only allowed on expressions of type scalar or instant vector, got {}",
            other.type_name()
        ))),
    }
}

impl Evaluator<'_> {
    /// Applies delayed name removal and rejects duplicate label sets; labels come out
    /// interned (equal label sets share one `ptr_id`).
    pub(crate) fn finish_vector(
        &self,
        samples: Vec<Sample>,
    ) -> Result<Vec<(Labels, f64)>, QueryError> {
        let mut seen = HashSet::with_capacity_and_hasher(samples.len(), Default::default());
        let mut out = Vec::with_capacity(samples.len());
        for s in samples {
            let labels = if s.drop_name {
                self.labels.without_name(&s.labels)
            } else {
                self.labels.canonical(&s.labels)
            };
            if !seen.insert(labels.ptr_id()) {
                return Err(QueryError::exec(
                    "vector cannot contain metrics with the same labelset",
                ));
            }
            out.push((labels, s.v));
        }
        Ok(out)
    }

    /// Applies delayed name removal to a range vector result.
    pub(crate) fn finish_matrix(
        &self,
        series: Vec<Series>,
    ) -> Result<Vec<LabeledPoints>, QueryError> {
        let mut seen = HashSet::with_capacity_and_hasher(series.len(), Default::default());
        let mut out = Vec::with_capacity(series.len());
        for s in series {
            let labels = if s.drop_name {
                self.labels.without_name(&s.labels)
            } else {
                self.labels.canonical(&s.labels)
            };
            if !seen.insert(labels.ptr_id()) {
                return Err(QueryError::exec(
                    "vector cannot contain metrics with the same labelset",
                ));
            }
            out.push((labels, s.points));
        }
        Ok(out)
    }
}

/// A series' final labels and points.
pub(crate) type LabeledPoints = (Labels, Vec<(i64, f64)>);
