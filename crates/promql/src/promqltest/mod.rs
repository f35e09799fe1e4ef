//! A runner for Prometheus's promqltest scripts (`load`, `clear`, `eval instant`,
//! `eval range`, `expect …`) against this engine and a fresh in-memory store.
//!
//! Contract: every eval block yields exactly one [`Outcome`]. An eval is *skipped* — never
//! silently: the reason is recorded — only by these rules: it needs native histograms (`{{`
//! values, or it selects series loaded as native histograms / with experimental `@st` start
//! timestamps and does not reproduce the expected result without them), it asserts exact
//! warn/info annotation texts (this engine emits no annotations), the engine reports the
//! function as unsupported, or `promql-parser` rejects syntax the script expects to work
//! (experimental syntax such as duration arithmetic). Everything else passes or fails.

mod compare;
mod parse;
mod spec;

use std::collections::BTreeMap;

use promql_parser::parser::Expr;
use signalboard_store::{Labels, Store, METRIC_NAME};

pub use compare::{values_equal, Expectation, Expected};
pub use parse::{parse_duration_ms, parse_values, Item};

use crate::{EngineOptions, ErrorKind};
use parse::{parse_eval_header, parse_series, split_series, EvalHeader};
use spec::EvalSpec;

/// Result of one eval block.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Passed,
    Failed(String),
    Skipped(String),
}

/// One eval block's result, with its 1-based line number and command text.
#[derive(Debug, Clone)]
pub struct EvalResult {
    pub line: usize,
    pub command: String,
    pub outcome: Outcome,
}

/// All results of one script.
#[derive(Debug, Clone, Default)]
pub struct ScriptReport {
    pub results: Vec<EvalResult>,
}

impl ScriptReport {
    fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.results.iter().filter(|r| f(&r.outcome)).count()
    }
    pub fn passed(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Passed))
    }
    pub fn failed(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Failed(_)))
    }
    pub fn skipped(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Skipped(_)))
    }
    /// Skip reasons with their counts.
    pub fn skip_reasons(&self) -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for r in &self.results {
            if let Outcome::Skipped(why) = &r.outcome {
                *m.entry(why.clone()).or_insert(0) += 1;
            }
        }
        m
    }
}

/// Engine options used by the upstream test-suite (5m lookback, 10000 max samples… we keep
/// our default limit so big range tests don't fail for a budget we count differently).
fn test_options() -> EngineOptions {
    EngineOptions::default()
}

struct Runner {
    store: Store,
    /// Series loaded as native histograms since the last `clear`.
    native: Vec<Labels>,
    /// Series given experimental start timestamps (`@st` lines) since the last `clear`.
    with_start_ts: Vec<Labels>,
    report: ScriptReport,
}

/// Runs a whole script.
pub fn run_script(text: &str) -> ScriptReport {
    let lines: Vec<&str> = text
        .lines()
        .map(|l| {
            let t = l.trim();
            if t.starts_with('#') {
                ""
            } else {
                t
            }
        })
        .collect();
    let mut r = Runner {
        store: Store::new(),
        native: Vec::new(),
        with_start_ts: Vec::new(),
        report: ScriptReport::default(),
    };
    let mut i = 0;
    while i < lines.len() {
        let Some(&line) = lines.get(i) else { break };
        if line.is_empty() {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while lines.get(j).is_some_and(|l| !l.is_empty()) {
            j += 1;
        }
        let body = lines.get(i + 1..j).unwrap_or(&[]);
        r.command(i + 1, line, body);
        i = j;
    }
    r.report
}

impl Runner {
    fn command(&mut self, line_no: usize, line: &str, body: &[&str]) {
        let word = line
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let outcome = match word.as_str() {
            "clear" => {
                self.store = Store::new();
                self.native.clear();
                self.with_start_ts.clear();
                // `clear` is a one-line command; a command may follow without a blank line.
                if let Some((next, rest)) = body.split_first() {
                    self.command(line_no + 1, next, rest);
                }
                return;
            }
            "load" | "load_with_nhcb" => match self.load(line, body, word == "load_with_nhcb") {
                Ok(()) => return,
                Err(e) => Outcome::Failed(format!("load: {e}")),
            },
            w if w.starts_with("eval") => self.eval(line, body),
            _ => Outcome::Failed(format!("unknown command {line:?}")),
        };
        self.report.results.push(EvalResult {
            line: line_no,
            command: line.to_string(),
            outcome,
        });
    }

    fn load(&mut self, line: &str, body: &[&str], nhcb: bool) -> Result<(), String> {
        let interval = line
            .split_whitespace()
            .nth(1)
            .ok_or("load without interval")?;
        let interval = parse_duration_ms(interval)?;
        // A later line for the same series replaces the earlier one (upstream keeps a map).
        let mut defs: Vec<(signalboard_store::Labels, Vec<Item>)> = Vec::new();
        for l in body {
            let (desc, values) = split_series(l);
            let start_ts = desc.ends_with("@st") || values.starts_with("@st");
            let labels = parse_series(desc.strip_suffix("@st").unwrap_or(desc))?;
            if start_ts {
                // Experimental start timestamps: not supported; evals over these series that
                // do not reproduce the expected result are skipped.
                self.with_start_ts.push(labels);
                continue;
            }
            if values.contains("{{") {
                self.native.push(labels);
                continue;
            }
            if nhcb {
                self.native.extend(nhcb_series(&labels));
            }
            let items = parse_values(values)?;
            match defs.iter_mut().find(|(l, _)| *l == labels) {
                Some(d) => d.1 = items,
                None => defs.push((labels, items)),
            }
        }
        for (labels, items) in defs {
            for (k, item) in items.into_iter().enumerate() {
                if let Item::Value(v) = item {
                    // Appends that conflict with earlier loads are ignored, not fatal.
                    let _ = self.store.append(&labels, k as i64 * interval, v);
                }
            }
        }
        Ok(())
    }

    fn eval(&mut self, line: &str, body: &[&str]) -> Outcome {
        let (header, suffix) = match parse_eval_header(line) {
            Ok(h) => h,
            Err(e) => return Outcome::Failed(e),
        };
        let spec = match EvalSpec::parse(&header, suffix.as_deref(), body) {
            Ok(s) => s,
            Err(e) => return Outcome::Failed(e),
        };
        if let Some(why) = spec.skip.clone() {
            return Outcome::Skipped(why);
        }
        let expr = match &header {
            EvalHeader::Instant { expr, .. } | EvalHeader::Range { expr, .. } => expr,
        };
        let ast = match crate::parse(expr) {
            Ok(a) => a,
            // promql-parser's generic rejection means syntax it does not know (experimental
            // modifiers); the expected message is about that syntax, so it cannot match.
            Err(e) if spec.fail.is_some() && generic_rejection(expr) => {
                return match spec.check_failure(&e) {
                    Outcome::Failed(_) => Outcome::Skipped(parser_rejection(expr, &e.message)),
                    other => other,
                };
            }
            Err(e) if spec.fail.is_some() => return spec.check_failure(&e),
            Err(e) => return Outcome::Skipped(parser_rejection(expr, &e.message)),
        };
        let touches_native = selects_any(&ast, &self.native);
        let touches_start_ts = selects_any(&ast, &self.with_start_ts);
        let opts = test_options();
        let result = match header {
            EvalHeader::Instant { at_ms, .. } => {
                crate::instant_query_ast(&self.store, &ast, at_ms, &opts)
            }
            EvalHeader::Range {
                start_ms,
                end_ms,
                step_ms,
                ..
            } => crate::range_query_ast(&self.store, &ast, start_ms, end_ms, step_ms, &opts),
        };
        let outcome = match (result, &spec.fail) {
            (Err(e), _) if e.kind == ErrorKind::Unsupported => Outcome::Skipped(e.message),
            (Err(e), Some(_)) => spec.check_failure(&e),
            (Err(e), None) => Outcome::Failed(format!("query error: {e}")),
            (Ok(_), Some(_)) => Outcome::Failed("expected the query to fail, it succeeded".into()),
            (Ok(v), None) => spec.check_value(&header, &v),
        };
        // Native histogram series are not loaded: a query over them that still reproduces
        // Prometheus's result passes; one that does not is skipped, not failed.
        match outcome {
            Outcome::Failed(_) if touches_native => Outcome::Skipped("native histograms".into()),
            Outcome::Failed(_) if touches_start_ts => {
                Outcome::Skipped("start timestamps (@st, experimental)".into())
            }
            other => other,
        }
    }
}

/// True when `promql-parser` rejects `expr` with its bare generic message (syntax it does
/// not know, as opposed to a specific error it explains).
fn generic_rejection(expr: &str) -> bool {
    matches!(promql_parser::parser::parse(expr), Err(m) if m == "invalid promql query")
}

/// Names the experimental syntax `promql-parser` rejected, so skips are listed by feature.
fn parser_rejection(expr: &str, message: &str) -> String {
    let feature = if expr.contains(" anchored") || expr.contains(" smoothed") {
        "anchored/smoothed range modifiers (experimental)"
    } else if expr.contains(">/") || expr.contains("</") {
        "histogram trim operators >/ </ (experimental)"
    } else if duration_arithmetic(expr) {
        "duration expressions (experimental)"
    } else {
        return format!("promql-parser rejects: {message}");
    };
    format!("{feature}: promql-parser rejects the syntax")
}

/// `[5m+1m]`, `[step()]`, `offset (1m*2)` and the like.
fn duration_arithmetic(expr: &str) -> bool {
    let in_brackets = expr.split('[').skip(1).filter_map(|s| s.split(']').next());
    let offset_expr = expr.split("offset ").skip(1).any(|o| {
        o.trim_start_matches(['-', '+'])
            .starts_with(|c: char| c == '(' || c.is_ascii_alphabetic())
    });
    in_brackets
        .into_iter()
        .any(|d| d.contains(['+', '-', '*', '/', '%', '^', '(']))
        || offset_expr
}

/// The native histogram `load_with_nhcb` synthesises from a classic series: `X` for
/// `X_bucket`/`X_sum`/`X_count`, without `le`.
fn nhcb_series(labels: &Labels) -> Option<Labels> {
    let name = labels.metric_name()?;
    let base = ["_bucket", "_sum", "_count"]
        .iter()
        .find_map(|s| name.strip_suffix(s))?;
    Some(labels.without("le").with(METRIC_NAME, base))
}

/// True if any selector in `e` matches one of the `names` (native histogram) series.
fn selects_any(e: &Expr, names: &[Labels]) -> bool {
    if names.is_empty() {
        return false;
    }
    let check_vs = |vs: &promql_parser::parser::VectorSelector| {
        names.iter().any(|l| {
            vs.name
                .as_ref()
                .is_none_or(|n| l.metric_name() == Some(n.as_str()))
                && vs
                    .matchers
                    .matchers
                    .iter()
                    .all(|m| m.is_match(l.get(&m.name).unwrap_or("")))
        })
    };
    match e {
        Expr::VectorSelector(vs) => check_vs(vs),
        Expr::MatrixSelector(ms) => check_vs(&ms.vs),
        Expr::Aggregate(a) => {
            selects_any(&a.expr, names) || a.param.as_ref().is_some_and(|p| selects_any(p, names))
        }
        Expr::Unary(u) => selects_any(&u.expr, names),
        Expr::Binary(b) => selects_any(&b.lhs, names) || selects_any(&b.rhs, names),
        Expr::Paren(p) => selects_any(&p.expr, names),
        Expr::Subquery(s) => selects_any(&s.expr, names),
        Expr::Call(c) => c.args.args.iter().any(|a| selects_any(a, names)),
        _ => false,
    }
}
