//! PromQL evaluation over the in-memory store, with Prometheus 3.x semantics.
//!
//! Contract: `instant_query` / `range_query` parse with `promql-parser`, evaluate with the
//! engine in [`engine`] and return a [`Value`] (or a [`QueryError`] value, never a panic).
//! Lookback and range windows are left-open, staleness markers are honoured, `__name__` is
//! removed late (Prometheus's delayed name removal). [`promqltest`] runs Prometheus's own
//! test scripts against this engine.

pub mod benchdata;
mod engine;
mod error;
mod parse_cache;
mod parse_error;
pub mod promqltest;
mod value;

use rustc_hash::FxHashMap as HashMap;

use promql_parser::parser;
use promql_parser::parser::value::ValueType;
use signalboard_store::{Labels, Store};

pub use error::{ErrorKind, QueryError};
pub use parse_cache::ParseCache;
/// The parsed expression [`parse`] returns and the `*_ast` queries take.
pub use promql_parser::parser::Expr;
pub use value::{
    format_go_g, format_openmetrics_float, format_value, InstantSample, RangeSeries, Value,
};

use engine::{Evaluator, Val};

/// Engine limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineOptions {
    /// Instant-selector lookback (Prometheus default: 5 minutes).
    pub lookback_ms: i64,
    /// A query step that would load more samples than this fails with a clear error.
    pub max_samples: usize,
}

impl Default for EngineOptions {
    fn default() -> Self {
        Self {
            lookback_ms: 5 * 60 * 1000,
            max_samples: 50_000_000,
        }
    }
}

/// Maximum number of steps of a range query (Prometheus's API limit).
pub const MAX_RANGE_POINTS: i64 = 11_000;

/// Parses a PromQL expression into the `promql-parser` AST.
pub fn parse(expr: &str) -> Result<Expr, QueryError> {
    parser::parse(expr).map_err(|m| QueryError::parse(parse_error::describe(expr, m)))
}

/// Evaluates `expr` at `time_ms`.
pub fn instant_query(
    store: &Store,
    expr: &str,
    time_ms: i64,
    opts: &EngineOptions,
) -> Result<Value, QueryError> {
    let ast = parse(expr)?;
    instant_query_ast(store, &ast, time_ms, opts)
}

/// Like [`instant_query`] over an already parsed expression.
pub fn instant_query_ast(
    store: &Store,
    ast: &Expr,
    time_ms: i64,
    opts: &EngineOptions,
) -> Result<Value, QueryError> {
    let ev = Evaluator::new(
        store,
        opts.lookback_ms,
        opts.max_samples,
        time_ms,
        time_ms,
        0,
    )
    .with_windows_of(ast);
    Ok(match ev.eval(ast, time_ms)? {
        Val::Scalar(v) => Value::Scalar { t_ms: time_ms, v },
        Val::Str(v) => Value::String { t_ms: time_ms, v },
        Val::Vector(samples) => Value::Vector(
            ev.finish_vector(samples)?
                .into_iter()
                .map(|(labels, v)| InstantSample {
                    labels,
                    t_ms: time_ms,
                    v,
                })
                .collect(),
        ),
        Val::Matrix(series) => Value::Matrix(
            ev.finish_matrix(series)?
                .into_iter()
                .map(|(labels, samples)| RangeSeries { labels, samples })
                .collect(),
        ),
    })
}

/// Evaluates `expr` at `start_ms, start_ms + step_ms, … <= end_ms`; always a matrix.
pub fn range_query(
    store: &Store,
    expr: &str,
    start_ms: i64,
    end_ms: i64,
    step_ms: i64,
    opts: &EngineOptions,
) -> Result<Value, QueryError> {
    let ast = parse(expr)?;
    range_query_ast(store, &ast, start_ms, end_ms, step_ms, opts)
}

/// Like [`range_query`] over an already parsed expression.
pub fn range_query_ast(
    store: &Store,
    ast: &Expr,
    start_ms: i64,
    end_ms: i64,
    step_ms: i64,
    opts: &EngineOptions,
) -> Result<Value, QueryError> {
    check_range(ast, start_ms, end_ms, step_ms)?;
    let ev = Evaluator::new(
        store,
        opts.lookback_ms,
        opts.max_samples,
        start_ms,
        end_ms,
        step_ms,
    )
    .with_windows_of(ast);
    if let Some(matrix) = ev.range_matrix(ast)? {
        return Ok(Value::Matrix(matrix));
    }
    let mut index: HashMap<usize, usize> = HashMap::default();
    let mut out: Vec<RangeSeries> = Vec::new();
    let mut points = 0usize;
    let mut t = start_ms;
    while t <= end_ms {
        ev.reset_budget();
        let step_samples = match ev.eval(ast, t)? {
            Val::Scalar(v) => vec![(ev.labels.intern(Labels::empty()), v)],
            Val::Vector(samples) => ev.finish_vector(samples)?,
            other => {
                return Err(QueryError::exec(format!(
                "invalid expression type \"{}\" for range query, must be Scalar or instant Vector",
                other.type_name()
            )))
            }
        };
        points += step_samples.len();
        if points > opts.max_samples {
            return Err(QueryError::too_many_samples());
        }
        for (labels, v) in step_samples {
            let i = *index.entry(labels.ptr_id()).or_insert_with(|| {
                out.push(RangeSeries {
                    labels,
                    samples: Vec::new(),
                });
                out.len() - 1
            });
            if let Some(s) = out.get_mut(i) {
                s.samples.push((t, v));
            }
        }
        t += step_ms;
    }
    out.sort_by(|a, b| a.labels.cmp(&b.labels));
    Ok(Value::Matrix(out))
}

fn check_range(ast: &Expr, start_ms: i64, end_ms: i64, step_ms: i64) -> Result<(), QueryError> {
    if step_ms <= 0 {
        return Err(QueryError::bad_request(
            "zero or negative query resolution step widths are not accepted. Try a positive integer",
        ));
    }
    if end_ms < start_ms {
        return Err(QueryError::bad_request(
            "end timestamp must not be before start time",
        ));
    }
    if (end_ms - start_ms) / step_ms > MAX_RANGE_POINTS {
        return Err(QueryError::bad_request(
            "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)",
        ));
    }
    match ast.value_type() {
        ValueType::Scalar | ValueType::Vector => Ok(()),
        other => Err(QueryError::exec(format!(
            "invalid expression type \"{other}\" for range query, must be Scalar or instant Vector"
        ))),
    }
}
