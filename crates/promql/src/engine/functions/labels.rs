//! `label_replace` and `label_join`.
//!
//! Contract: as Prometheus — the regex is fully anchored, `$1`/`${name}` expand captures, an
//! empty result removes the label, writing `__name__` cancels the delayed name removal.

use promql_parser::parser::Expr;
use regex::Regex;

use super::arg;
use crate::engine::aggregate::is_valid_label_name;
use crate::engine::{Evaluator, Val};
use crate::QueryError;

impl Evaluator<'_> {
    pub(crate) fn eval_label_function(
        &self,
        name: &str,
        args: &[&Expr],
        t: i64,
    ) -> Result<Option<Val>, QueryError> {
        match name {
            "label_replace" => self.label_replace(args, t).map(Some),
            "label_join" => self.label_join(args, t).map(Some),
            _ => Ok(None),
        }
    }

    fn label_replace(&self, args: &[&Expr], t: i64) -> Result<Val, QueryError> {
        let dst = self.string_arg(args, 1, t)?;
        let repl = self.string_arg(args, 2, t)?;
        let src = self.string_arg(args, 3, t)?;
        let re_src = self.string_arg(args, 4, t)?;
        let re = Regex::new(&format!("^(?s:{re_src})$")).map_err(|e| {
            QueryError::exec(format!(
                "invalid regular expression in label_replace(): {re_src}: {e}"
            ))
        })?;
        if !is_valid_label_name(&dst) {
            return Err(QueryError::exec(format!(
                "invalid destination label name in label_replace(): {dst}"
            )));
        }
        let mut v = self.eval_vector(arg(args, 0)?, t)?;
        for s in &mut v {
            let value = s.labels.get(&src).unwrap_or("");
            if let Some(caps) = re.captures(value) {
                let mut out = String::new();
                caps.expand(&repl, &mut out);
                s.labels = s.labels.with(&dst, &out);
                if dst == signalboard_store::METRIC_NAME {
                    s.drop_name = false;
                }
            }
        }
        Ok(Val::Vector(v))
    }

    fn label_join(&self, args: &[&Expr], t: i64) -> Result<Val, QueryError> {
        let dst = self.string_arg(args, 1, t)?;
        let sep = self.string_arg(args, 2, t)?;
        let srcs: Vec<String> = (3..args.len())
            .map(|i| self.string_arg(args, i, t))
            .collect::<Result<_, _>>()?;
        if !is_valid_label_name(&dst) {
            return Err(QueryError::exec(format!(
                "invalid destination label name in label_join(): {dst}"
            )));
        }
        let mut v = self.eval_vector(arg(args, 0)?, t)?;
        for s in &mut v {
            let joined: Vec<&str> = srcs.iter().map(|n| s.labels.get(n).unwrap_or("")).collect();
            let joined = joined.join(&sep);
            s.labels = s.labels.with(&dst, &joined);
            if dst == signalboard_store::METRIC_NAME {
                s.drop_name = false;
            }
        }
        Ok(Val::Vector(v))
    }
}
