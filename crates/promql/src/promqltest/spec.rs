//! The body of one eval block: expected results and expected failures (`expect …` lines,
//! result lines, deprecated `eval_fail`/`expected_fail_*` forms), and checking an outcome
//! against them.
//!
//! Contract: warn/info expectations with a message make the block skipped (this engine emits
//! no annotations); without one they are not checked; `expect fail msg:` must match exactly.

use regex::Regex;

use super::compare::{self, Expectation, Expected};
use super::parse::{
    parse_duration_ms, parse_number, parse_series, parse_values, split_series, EvalHeader,
};
use super::Outcome;
use crate::{ErrorKind, QueryError, Value};

/// How an expected failure is to be matched.
#[derive(Debug, Clone)]
pub(super) enum FailMatch {
    Any,
    Msg(String),
    Regex(String),
}

/// The parsed body of an eval block.
pub(super) struct EvalSpec {
    pub(super) exp: Expectation,
    pub(super) fail: Option<FailMatch>,
    pub(super) skip: Option<String>,
}

impl EvalSpec {
    pub(super) fn parse(
        header: &EvalHeader,
        suffix: Option<&str>,
        body: &[&str],
    ) -> Result<Self, String> {
        let mut spec = EvalSpec {
            exp: Expectation::default(),
            fail: None,
            skip: None,
        };
        match suffix {
            Some("fail") => spec.fail = Some(FailMatch::Any),
            Some("ordered") => spec.exp.ordered = true,
            _ => {}
        }
        for l in body {
            if l.contains("{{") {
                spec.skip = Some("native histograms".into());
                continue;
            }
            if let Some(rest) = l.strip_prefix("expected_fail_message") {
                spec.fail = Some(FailMatch::Msg(rest.trim().to_string()));
            } else if let Some(rest) = l.strip_prefix("expected_fail_regexp") {
                spec.fail = Some(FailMatch::Regex(rest.trim().to_string()));
            } else if let Some(rest) = l.strip_prefix("expect ") {
                spec.expectation(rest.trim())?;
            } else {
                spec.result_line(header, l)?;
            }
        }
        Ok(spec)
    }

    fn expectation(&mut self, e: &str) -> Result<(), String> {
        if let Some(rest) = e.strip_prefix("range vector") {
            let w: Vec<&str> = rest.split_whitespace().collect();
            if let ["from", a, "to", b, "step", s] = w.as_slice() {
                self.exp.range_vector = Some((
                    parse_duration_ms(a)?,
                    parse_duration_ms(b)?,
                    parse_duration_ms(s)?,
                ));
                return Ok(());
            }
            return Err(format!("bad expect line {e:?}"));
        }
        if let Some(rest) = e.strip_prefix("string") {
            let s = rest.trim();
            self.exp.string = Some(
                s.get(1..s.len().saturating_sub(1))
                    .unwrap_or("")
                    .to_string(),
            );
            return Ok(());
        }
        let (kind, arg) = match e.split_once(char::is_whitespace) {
            Some((k, a)) => (k, Some(a.trim())),
            None => (e, None),
        };
        match (kind, arg) {
            ("ordered", _) => self.exp.ordered = true,
            ("fail", None) => self.fail = Some(FailMatch::Any),
            ("fail", Some(a)) => {
                self.fail = Some(match a.split_once(':') {
                    Some(("msg", m)) => FailMatch::Msg(m.trim().to_string()),
                    Some(("regex", r)) => FailMatch::Regex(r.trim().to_string()),
                    _ => FailMatch::Any,
                })
            }
            // This engine emits no annotations: exact texts cannot be checked.
            ("warn" | "info", Some(_)) => {
                self.skip = Some("asserts warn/info annotation text".into())
            }
            // Presence/absence of annotations is not checked; values still are.
            ("warn" | "info" | "no_warn" | "no_info", _) => {}
            _ => return Err(format!("unknown expectation {e:?}")),
        }
        Ok(())
    }

    fn result_line(&mut self, header: &EvalHeader, l: &str) -> Result<(), String> {
        if matches!(header, EvalHeader::Instant { .. }) {
            if let Some(v) = parse_number(l) {
                self.exp.scalar = Some(v);
                return Ok(());
            }
        }
        let (desc, values) = split_series(l);
        let labels = parse_series(desc)?;
        let items = parse_values(values)?;
        self.exp.series.push(Expected { labels, items });
        Ok(())
    }

    pub(super) fn check_failure(&self, e: &QueryError) -> Outcome {
        if e.kind == ErrorKind::Unsupported {
            return Outcome::Skipped(e.message.clone());
        }
        let msg = e.message.as_str();
        match &self.fail {
            Some(FailMatch::Msg(m)) if m != msg => {
                Outcome::Failed(format!("expected error {m:?}, got {msg:?}"))
            }
            Some(FailMatch::Regex(r)) => match Regex::new(r) {
                Ok(re) if re.is_match(msg) => Outcome::Passed,
                _ => Outcome::Failed(format!("expected error matching {r:?}, got {msg:?}")),
            },
            _ => Outcome::Passed,
        }
    }

    pub(super) fn check_value(&self, header: &EvalHeader, v: &Value) -> Outcome {
        let checked = match (header, v) {
            (EvalHeader::Instant { .. }, _) => compare::check_instant(&self.exp, v),
            (
                EvalHeader::Range {
                    start_ms, step_ms, ..
                },
                Value::Matrix(series),
            ) => {
                let got: Vec<_> = series
                    .iter()
                    .map(|s| (s.labels.clone(), s.samples.clone()))
                    .collect();
                compare::check_matrix(&self.exp.series, &got, *start_ms, *step_ms)
            }
            (EvalHeader::Range { .. }, _) => Err("range query did not return a matrix".into()),
        };
        match checked {
            Ok(()) => Outcome::Passed,
            Err(e) => Outcome::Failed(e),
        }
    }
}
