//! Function calls: argument evaluation and dispatch to the function families.
//!
//! Contract: each function follows Prometheus's `promql/functions.go`; functions we do not
//! implement (native-histogram and some experimental ones) fail with
//! `ErrorKind::Unsupported` so callers can tell "not supported" from "wrong".

mod labels;
mod math;
mod range;
pub(crate) use range::{is_range_function, range_value, Extrapolator, Factor};
mod sort;
mod time;

use promql_parser::parser::{Call, Expr};
use signalboard_store::Labels;

use super::{Evaluator, RangeWindow, Sample, Val};
use crate::QueryError;

impl Evaluator<'_> {
    pub(crate) fn eval_call(&self, call: &Call, t_ms: i64) -> Result<Val, QueryError> {
        if let Some(v) = self.rows_at(t_ms, |ev| ev.call_rows(call))? {
            return Ok(Val::Vector(v));
        }
        let name = call.func.name;
        let args: Vec<&Expr> = call.args.args.iter().map(|a| a.as_ref()).collect();
        if let Some(v) = self.eval_range_function(name, &args, t_ms)? {
            return Ok(v);
        }
        if let Some(v) = self.eval_math_function(name, &args, t_ms)? {
            return Ok(v);
        }
        if let Some(v) = self.eval_time_function(name, &args, t_ms)? {
            return Ok(v);
        }
        if let Some(v) = self.eval_label_function(name, &args, t_ms)? {
            return Ok(v);
        }
        if let Some(v) = self.eval_sort_function(name, &args, t_ms)? {
            return Ok(v);
        }
        match name {
            "histogram_quantile" => {
                let q = self.eval_scalar(arg(&args, 0)?, t_ms)?;
                let v = self.eval_vector(arg(&args, 1)?, t_ms)?;
                Ok(Val::Vector(super::histogram::histogram_quantile(
                    &self.labels,
                    q,
                    v,
                )))
            }
            "histogram_quantiles" => {
                let v = self.eval_vector(arg(&args, 0)?, t_ms)?;
                let label = self.string_arg(&args, 1, t_ms)?;
                let qs = (2..args.len())
                    .map(|i| self.eval_scalar(arg(&args, i)?, t_ms))
                    .collect::<Result<Vec<f64>, _>>()?;
                Ok(Val::Vector(super::histogram::histogram_quantiles(
                    &self.labels,
                    &label,
                    &qs,
                    v,
                )))
            }
            "histogram_fraction" => {
                let lower = self.eval_scalar(arg(&args, 0)?, t_ms)?;
                let upper = self.eval_scalar(arg(&args, 1)?, t_ms)?;
                let v = self.eval_vector(arg(&args, 2)?, t_ms)?;
                Ok(Val::Vector(super::histogram::histogram_fraction(
                    &self.labels,
                    lower,
                    upper,
                    v,
                )))
            }
            "min_of" | "max_of" => {
                let a = self.eval_scalar(arg(&args, 0)?, t_ms)?;
                let b = self.eval_scalar(arg(&args, 1)?, t_ms)?;
                Ok(Val::Scalar(if a.is_nan() || b.is_nan() {
                    f64::NAN
                } else if name == "min_of" {
                    a.min(b)
                } else {
                    a.max(b)
                }))
            }
            _ => Err(QueryError::unsupported(&format!("function {name}()"))),
        }
    }

    /// Evaluates a range-vector argument (matrix selector or subquery) with its window.
    pub(crate) fn eval_range_arg(&self, e: &Expr, t_ms: i64) -> Result<RangeWindow, QueryError> {
        match e {
            Expr::MatrixSelector(ms) => self.eval_matrix_selector(ms, t_ms),
            Expr::Subquery(sq) => self.eval_subquery(sq, t_ms),
            Expr::Paren(p) => self.eval_range_arg(&p.expr, t_ms),
            other => Err(QueryError::exec(format!(
                "expected range vector argument, got {other}"
            ))),
        }
    }

    /// Evaluates an optional scalar argument.
    pub(crate) fn opt_scalar(
        &self,
        args: &[&Expr],
        i: usize,
        t_ms: i64,
    ) -> Result<Option<f64>, QueryError> {
        match args.get(i) {
            Some(e) => self.eval_scalar(e, t_ms).map(Some),
            None => Ok(None),
        }
    }

    pub(crate) fn string_arg(
        &self,
        args: &[&Expr],
        i: usize,
        t_ms: i64,
    ) -> Result<String, QueryError> {
        match self.eval(arg(args, i)?, t_ms)? {
            Val::Str(s) => Ok(s),
            other => Err(QueryError::exec(format!(
                "expected string, got {}",
                other.type_name()
            ))),
        }
    }
}

pub(crate) fn arg<'e>(args: &[&'e Expr], i: usize) -> Result<&'e Expr, QueryError> {
    args.get(i)
        .copied()
        .ok_or_else(|| QueryError::exec(format!("missing argument {}", i + 1)))
}

/// Maps every sample's value, flagging `__name__` for removal.
pub(crate) fn map_values(v: Vec<Sample>, f: impl Fn(f64) -> f64) -> Vec<Sample> {
    v.into_iter()
        .map(|s| Sample {
            labels: s.labels,
            v: f(s.v),
            drop_name: true,
        })
        .collect()
}

/// A one-element vector with the given labels.
pub(crate) fn single(labels: Labels, v: f64) -> Val {
    Val::Vector(vec![Sample {
        labels,
        v,
        drop_name: false,
    }])
}
