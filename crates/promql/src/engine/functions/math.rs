//! Element-wise math functions, clamps, `scalar`, `vector`, `time`, `timestamp`, sorting,
//! `absent`.
//!
//! Contract: element-wise functions drop `__name__`; `sort*` keep it; `timestamp` of a plain
//! selector reports the sample's own time (seconds).

use promql_parser::parser::Expr;
use signalboard_store::{Labels, METRIC_NAME};

use super::{arg, map_values, single};
use crate::engine::{Evaluator, Sample, Val};
use crate::QueryError;

impl Evaluator<'_> {
    pub(crate) fn eval_math_function(
        &self,
        name: &str,
        args: &[&Expr],
        t: i64,
    ) -> Result<Option<Val>, QueryError> {
        if let Some(f) = unary_fn(name) {
            let v = self.eval_vector(arg(args, 0)?, t)?;
            return Ok(Some(Val::Vector(map_values(v, f))));
        }
        let out = match name {
            "round" => {
                let v = self.eval_vector(arg(args, 0)?, t)?;
                let to = self.opt_scalar(args, 1, t)?.unwrap_or(1.0);
                let inv = 1.0 / to;
                Val::Vector(map_values(v, |x| (x * inv + 0.5).floor() / inv))
            }
            "clamp" => {
                let v = self.eval_vector(arg(args, 0)?, t)?;
                let (lo, hi) = (
                    self.eval_scalar(arg(args, 1)?, t)?,
                    self.eval_scalar(arg(args, 2)?, t)?,
                );
                if hi < lo {
                    return Ok(Some(Val::Vector(Vec::new())));
                }
                Val::Vector(map_values(v, |x| lo.max(hi.min(x))))
            }
            "clamp_min" => {
                let v = self.eval_vector(arg(args, 0)?, t)?;
                let lo = self.eval_scalar(arg(args, 1)?, t)?;
                Val::Vector(map_values(v, |x| lo.max(x)))
            }
            "clamp_max" => {
                let v = self.eval_vector(arg(args, 0)?, t)?;
                let hi = self.eval_scalar(arg(args, 1)?, t)?;
                Val::Vector(map_values(v, |x| hi.min(x)))
            }
            "time" => Val::Scalar(t as f64 / 1000.0),
            "start" => Val::Scalar(self.start_ms as f64 / 1000.0),
            "end" => Val::Scalar(self.end_ms as f64 / 1000.0),
            "range" => Val::Scalar((self.end_ms - self.start_ms) as f64 / 1000.0),
            "step" => Val::Scalar(self.step_ms as f64 / 1000.0),
            "pi" => Val::Scalar(std::f64::consts::PI),
            "vector" => single(Labels::empty(), self.eval_scalar(arg(args, 0)?, t)?),
            "scalar" => {
                let v = self.eval_vector(arg(args, 0)?, t)?;
                Val::Scalar(match v.as_slice() {
                    [only] => only.v,
                    _ => f64::NAN,
                })
            }
            "timestamp" => Val::Vector(self.timestamp(arg(args, 0)?, t)?),
            "absent" => {
                let v = self.eval_vector(arg(args, 0)?, t)?;
                if !v.is_empty() {
                    return Ok(Some(Val::Vector(Vec::new())));
                }
                single(absent_labels(arg(args, 0)?), 1.0)
            }
            _ => return Ok(None),
        };
        Ok(Some(out))
    }

    fn timestamp(&self, e: &Expr, t: i64) -> Result<Vec<Sample>, QueryError> {
        let inner = match e {
            Expr::Paren(p) => p.expr.as_ref(),
            other => other,
        };
        let Expr::VectorSelector(vs) = inner else {
            let v = self.eval_vector(e, t)?;
            return Ok(map_values(v, |_| t as f64 / 1000.0));
        };
        let r = self.reference_time(t, vs.offset.as_ref(), vs.at.as_ref());
        let sel = self.selected(vs);
        let out: Vec<Sample> = sel
            .series
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                self.sample_at(&sel, i, r).map(|(ts, _)| Sample {
                    labels: s.labels.clone(),
                    v: ts as f64 / 1000.0,
                    drop_name: true,
                })
            })
            .collect();
        self.charge(out.len())?;
        Ok(out)
    }
}

fn unary_fn(name: &str) -> Option<fn(f64) -> f64> {
    Some(match name {
        "abs" => f64::abs,
        "ceil" => f64::ceil,
        "floor" => f64::floor,
        "exp" => f64::exp,
        "sqrt" => f64::sqrt,
        "ln" => f64::ln,
        "log2" => f64::log2,
        "log10" => f64::log10,
        "sin" => f64::sin,
        "cos" => f64::cos,
        "tan" => f64::tan,
        "asin" => f64::asin,
        "acos" => f64::acos,
        "atan" => f64::atan,
        "sinh" => f64::sinh,
        "cosh" => f64::cosh,
        "tanh" => f64::tanh,
        "asinh" => f64::asinh,
        "acosh" => f64::acosh,
        "atanh" => f64::atanh,
        "deg" => |x| x * 180.0 / std::f64::consts::PI,
        "rad" => |x| x * std::f64::consts::PI / 180.0,
        "sgn" => |x: f64| {
            if x > 0.0 {
                1.0
            } else if x < 0.0 {
                -1.0
            } else {
                x
            }
        },
        _ => return None,
    })
}

/// Labels for `absent(...)`/`absent_over_time(...)`: the equality matchers of a plain
/// selector argument (names matched twice with `=` are dropped), never `__name__`.
pub(crate) fn absent_labels(e: &Expr) -> Labels {
    use promql_parser::label::MatchOp;
    let vs = match e {
        Expr::VectorSelector(vs) => vs,
        Expr::MatrixSelector(ms) => &ms.vs,
        _ => return Labels::empty(),
    };
    // Prometheus: the first `=` matcher of a name sets it; any later matcher of it unsets it.
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for m in &vs.matchers.matchers {
        if m.name == METRIC_NAME {
            continue;
        }
        let first = !seen.contains(&m.name.as_str());
        seen.push(&m.name);
        pairs.retain(|(n, _)| *n != m.name);
        if first && matches!(m.op, MatchOp::Equal) {
            pairs.push((m.name.clone(), m.value.clone()));
        }
    }
    Labels::from_pairs(pairs)
}
