//! Template variables: the model and the parser for Prometheus variable queries.
//!
//! Contract: `parse_variable_query` never fails — text that is none of Grafana's functions
//! (`label_names`, `label_values`, `metrics`, `query_result`) is a series query, as in
//! Grafana. Evaluation of the queries is done by the app/engine, not here.

use serde::{Deserialize, Serialize};

use crate::datasource::DatasourceRef;

/// One template variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variable {
    pub name: String,
    pub label: Option<String>,
    pub description: Option<String>,
    pub kind: VariableKind,
    /// 0 = shown, 1 = label hidden, 2 = variable hidden.
    pub hide: u8,
    pub multi: bool,
    pub include_all: bool,
    /// Value used for "All" instead of the alternation of every option (e.g. `.*`).
    pub all_value: Option<String>,
    /// Selected values (several when `multi`); `$__all` when All is selected.
    pub current: Vec<String>,
    /// Display texts of the selected values.
    pub current_text: Vec<String>,
    /// Known options (saved ones, or parsed from a custom/interval list).
    pub options: Vec<String>,
    /// Filter/extract regex in Grafana's `/…/flags` form; empty = none.
    pub regex: String,
    /// Grafana sort mode 0–7.
    pub sort: u8,
    /// 0 = never, 1 = on dashboard load, 2 = on time range change.
    pub refresh: u8,
    pub datasource: DatasourceRef,
}

impl Variable {
    /// A shown, single-value variable of `kind` with nothing selected.
    pub fn new(name: &str, kind: VariableKind) -> Self {
        Self {
            name: name.to_string(),
            label: None,
            description: None,
            kind,
            hide: 0,
            multi: false,
            include_all: false,
            all_value: None,
            current: Vec::new(),
            current_text: Vec::new(),
            options: Vec::new(),
            regex: String::new(),
            sort: 0,
            refresh: 1,
            datasource: DatasourceRef::Default,
        }
    }

    /// Whether the current selection is "All".
    pub fn is_all_selected(&self) -> bool {
        self.current.iter().any(|v| v == ALL_VALUE)
    }
}

/// Whether `text` references variable `name` (`$name`, `${name…}` or `[[name…]]`).
pub fn references_variable(text: &str, name: &str) -> bool {
    let word_end = |rest: &str| !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
    text.match_indices('$').any(|(i, _)| {
        let rest = text.get(i + 1..).unwrap_or("");
        let braced = rest
            .strip_prefix('{')
            .and_then(|r| r.strip_prefix(name))
            .is_some_and(|r| r.starts_with(['}', ':', '.']));
        braced || rest.strip_prefix(name).is_some_and(word_end)
    }) || text.match_indices("[[").any(|(i, _)| {
        let rest = text.get(i + 2..).unwrap_or("");
        rest.strip_prefix(name)
            .is_some_and(|r| r.starts_with("]]") || r.starts_with(':'))
    })
}

/// The text of a variable that may reference other variables (query, regex, all value).
fn variable_inputs(var: &Variable) -> String {
    let query = match &var.kind {
        VariableKind::Query { definition, .. } => definition.as_str(),
        VariableKind::Custom { query } => query.as_str(),
        _ => "",
    };
    format!(
        "{query}\n{}\n{}",
        var.regex,
        var.all_value.as_deref().unwrap_or("")
    )
}

/// Variables to re-evaluate, in dashboard order, after `changed` got a new value: every
/// variable whose query (or regex) uses it, directly or through another variable.
pub fn dependents(variables: &[Variable], changed: &str) -> Vec<String> {
    let mut affected: Vec<String> = vec![changed.to_string()];
    let mut out = Vec::new();
    // Dashboard order is evaluation order; one pass per level of chaining is enough.
    for _ in 0..variables.len() {
        let mut grew = false;
        for var in variables {
            if out.contains(&var.name) || var.name == changed {
                continue;
            }
            let inputs = variable_inputs(var);
            if affected.iter().any(|a| references_variable(&inputs, a)) {
                out.push(var.name.clone());
                affected.push(var.name.clone());
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    variables
        .iter()
        .filter(|v| out.contains(&v.name))
        .map(|v| v.name.clone())
        .collect()
}

/// Grafana's marker value for the "All" option.
pub const ALL_VALUE: &str = "$__all";

/// The type of a variable and its type-specific settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum VariableKind {
    /// Values from a query against the datasource.
    Query {
        definition: String,
        query: VariableQuery,
    },
    /// Comma-separated list (`a, b, c` or `text : value`).
    Custom {
        query: String,
    },
    Constant {
        value: String,
    },
    TextBox {
        default: String,
    },
    /// A list of intervals, optionally with an `auto` option computed from the time range.
    Interval {
        intervals: Vec<String>,
        auto: bool,
        auto_count: u32,
        auto_min: String,
    },
    /// Selects a datasource of a plugin type (`prometheus`).
    Datasource {
        plugin: String,
    },
    AdHoc,
    /// A type we do not interpret.
    Other {
        grafana_type: String,
    },
}

/// A parsed Prometheus variable query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum VariableQuery {
    /// `label_names()` or `label_names(selector)`.
    LabelNames { selector: Option<String> },
    /// `label_values(label)` or `label_values(selector, label)`.
    LabelValues {
        selector: Option<String>,
        label: String,
    },
    /// `metrics(regex)`: metric names matching the regex.
    Metrics { regex: String },
    /// `query_result(expr)`: one line per result series (`name{labels} value ts`).
    QueryResult { expr: String },
    /// Any other text: a series selector whose matching series are listed.
    Series { selector: String },
}

/// Parses a Prometheus variable query as Grafana's classic variable editor does.
pub fn parse_variable_query(text: &str) -> VariableQuery {
    let text = text.trim();
    if let Some(args) = call_args(text, "label_values") {
        return match split_last_arg(args) {
            Some((selector, label)) => VariableQuery::LabelValues {
                selector: Some(selector.to_string()).filter(|s| !s.is_empty()),
                label: label.to_string(),
            },
            None => VariableQuery::LabelValues {
                selector: None,
                label: args.trim().to_string(),
            },
        };
    }
    if let Some(args) = call_args(text, "label_names") {
        let args = args.trim();
        return VariableQuery::LabelNames {
            selector: Some(args.to_string()).filter(|s| !s.is_empty()),
        };
    }
    if let Some(args) = call_args(text, "metrics") {
        return VariableQuery::Metrics {
            regex: args.trim().to_string(),
        };
    }
    if let Some(args) = call_args(text, "query_result") {
        return VariableQuery::QueryResult {
            expr: args.trim().to_string(),
        };
    }
    VariableQuery::Series {
        selector: text.to_string(),
    }
}

/// `name( … )` → the text between the outer parentheses.
fn call_args<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let rest = text.strip_prefix(name)?.trim_start();
    rest.strip_prefix('(')?.strip_suffix(')')
}

/// Splits `selector, label` at the last comma outside braces, parentheses and quotes.
fn split_last_arg(args: &str) -> Option<(&str, &str)> {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut last_comma = None;
    for (i, c) in args.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            '{' | '(' | '[' => depth += 1,
            '}' | ')' | ']' => depth -= 1,
            ',' if depth == 0 => last_comma = Some(i),
            _ => {}
        }
    }
    let i = last_comma?;
    let (selector, label) = (args.get(..i)?, args.get(i + 1..)?);
    Some((selector.trim(), label.trim()))
}

/// Splits a custom variable's `a, b\,c, text : value` list into (text, value) pairs.
pub fn parse_custom_options(query: &str) -> Vec<(String, String)> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut chars = query.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&',') => {
                current.push(',');
                chars.next();
            }
            ',' => items.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    items.push(current);
    items
        .into_iter()
        .map(|item| item.trim().to_string())
        .filter(|item| !item.is_empty())
        .map(|item| match item.split_once(" : ") {
            Some((text, value)) => (text.trim().to_string(), value.trim().to_string()),
            None => (item.clone(), item),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]
    use super::*;

    #[test]
    fn label_values_with_selector_containing_commas() {
        let q = parse_variable_query(
            r#"label_values(node_uname_info{job="$job", nodename="a,b"}, instance)"#,
        );
        assert_eq!(
            q,
            VariableQuery::LabelValues {
                selector: Some(r#"node_uname_info{job="$job", nodename="a,b"}"#.to_string()),
                label: "instance".to_string()
            }
        );
    }

    #[test]
    fn label_values_label_only_and_trailing_space() {
        let q = parse_variable_query("label_values(job) ");
        assert_eq!(
            q,
            VariableQuery::LabelValues {
                selector: None,
                label: "job".to_string()
            }
        );
    }

    #[test]
    fn metrics_query_result_label_names_and_series() {
        assert_eq!(
            parse_variable_query("metrics(node_.*)"),
            VariableQuery::Metrics {
                regex: "node_.*".into()
            }
        );
        assert_eq!(
            parse_variable_query("query_result(topk(5, up))"),
            VariableQuery::QueryResult {
                expr: "topk(5, up)".into()
            }
        );
        assert_eq!(
            parse_variable_query("label_names()"),
            VariableQuery::LabelNames { selector: None }
        );
        assert_eq!(
            parse_variable_query(r#"cnpg_collector_up{namespace=~"$namespace"}"#),
            VariableQuery::Series {
                selector: r#"cnpg_collector_up{namespace=~"$namespace"}"#.into()
            }
        );
    }

    #[test]
    fn references_need_a_whole_name() {
        assert!(references_variable("up{job=\"$job\"}", "job"));
        assert!(references_variable("${job:regex}", "job"));
        assert!(references_variable("[[job]]", "job"));
        assert!(!references_variable("$jobs", "job"));
        assert!(!references_variable("${jobs}", "job"));
        assert!(!references_variable("job", "job"));
    }

    #[test]
    fn dependents_follow_chains_in_dashboard_order() {
        let q = |name: &str, query: &str| {
            Variable::new(
                name,
                VariableKind::Query {
                    definition: query.into(),
                    query: parse_variable_query(query),
                },
            )
        };
        let vars = vec![
            q("job", "label_values(node_uname_info, job)"),
            q(
                "nodename",
                "label_values(node_uname_info{job=\"$job\"}, nodename)",
            ),
            q(
                "node",
                "label_values(node_uname_info{job=\"$job\", nodename=\"$nodename\"}, instance)",
            ),
            q("other", "label_values(up, instance)"),
        ];
        assert_eq!(
            dependents(&vars, "job"),
            vec!["nodename".to_string(), "node".to_string()]
        );
        assert_eq!(dependents(&vars, "nodename"), vec!["node".to_string()]);
        assert!(dependents(&vars, "node").is_empty());
    }

    #[test]
    fn custom_options_split_on_unescaped_commas() {
        let opts = parse_custom_options(r"a, b\,c , Prod : prod");
        assert_eq!(
            opts,
            vec![
                ("a".to_string(), "a".to_string()),
                ("b,c".to_string(), "b,c".to_string()),
                ("Prod".to_string(), "prod".to_string())
            ]
        );
    }
}
