//! Variable and macro interpolation in queries, titles and text, following Grafana's
//! Prometheus datasource.
//!
//! Contract: `$var`, `${var}`, `${var:format}` and `[[var]]` are replaced; unknown names are
//! left as written. Without a format, a variable that is neither multi-value nor include-all
//! is inserted as is (only `'` escaped); otherwise values are regex-escaped for use inside a
//! PromQL string (`\\.`) and several values become `(a|b)`. "All" uses `allValue` verbatim
//! (itself interpolated) or the alternation of every option; with no options known it is `.*`
//! (a deviation: Grafana would produce `()`). Built-ins: `$__interval`, `$__interval_ms`,
//! `$__rate_interval`, `$__range`, `$__range_s`, `$__range_ms`, `$__from`, `$__to` and
//! interval variables' `$__auto_interval_<name>`.

use std::collections::BTreeMap;

use crate::interval::{format_duration_ms, rate_interval_ms};
use crate::variables::{Variable, VariableKind};

/// The values of one variable at interpolation time.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VariableValue {
    pub values: Vec<String>,
    pub texts: Vec<String>,
    pub multi: bool,
    pub include_all: bool,
    /// "All" is selected.
    pub is_all: bool,
    pub all_value: Option<String>,
    /// Every option, used for "All" when there is no `all_value`.
    pub all_options: Vec<String>,
}

impl VariableValue {
    /// A plain single value.
    pub fn single(value: &str) -> Self {
        Self {
            values: vec![value.to_string()],
            ..Self::default()
        }
    }

    /// Several selected values of a multi-value variable.
    pub fn multi(values: &[&str]) -> Self {
        Self {
            values: values.iter().map(|v| v.to_string()).collect(),
            multi: true,
            ..Self::default()
        }
    }
}

/// Values of all variables by name.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VariableValues {
    vars: BTreeMap<String, VariableValue>,
}

impl VariableValues {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn set(&mut self, name: &str, value: VariableValue) {
        self.vars.insert(name.to_string(), value);
    }

    pub fn get(&self, name: &str) -> Option<&VariableValue> {
        self.vars.get(name)
    }

    /// Values from the dashboard as saved: the current selection, else the first option, else
    /// `placeholder` (for query variables never evaluated).
    pub fn from_saved(variables: &[Variable], placeholder: &str) -> Self {
        let mut out = Self::new();
        for var in variables {
            out.set(&var.name, saved_value(var, placeholder));
        }
        out
    }
}

fn saved_value(var: &Variable, placeholder: &str) -> VariableValue {
    let mut value = VariableValue {
        multi: var.multi,
        include_all: var.include_all,
        all_value: var.all_value.clone(),
        all_options: var.options.clone(),
        ..VariableValue::default()
    };
    let fallback = match &var.kind {
        VariableKind::Constant { value } => Some(value.clone()),
        VariableKind::TextBox { default } => Some(default.clone()),
        _ => var.options.first().cloned(),
    };
    if var.is_all_selected() {
        value.is_all = true;
    } else if !var.current.is_empty() {
        value.values = var.current.clone();
        value.texts = var.current_text.clone();
    } else {
        value.values = vec![fallback.unwrap_or_else(|| placeholder.to_string())];
    }
    value
}

/// Values of the built-in macros for one query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MacroValues {
    pub interval_ms: u64,
    pub rate_interval_ms: u64,
    pub range_ms: u64,
    pub from_ms: i64,
    pub to_ms: i64,
}

impl MacroValues {
    /// Macros for a range `[from_ms, to_ms]` queried every `interval_ms` from targets scraped
    /// every `scrape_interval_ms`.
    pub fn new(from_ms: i64, to_ms: i64, interval_ms: u64, scrape_interval_ms: u64) -> Self {
        Self {
            interval_ms,
            rate_interval_ms: rate_interval_ms(interval_ms, scrape_interval_ms),
            range_ms: to_ms.saturating_sub(from_ms).max(0) as u64,
            from_ms,
            to_ms,
        }
    }

    /// Plausible values for checking queries offline: the last 6 h, 20 s step, 15 s scrapes.
    pub fn plausible() -> Self {
        Self::new(0, 6 * 3_600_000, 20_000, 15_000)
    }

    fn lookup(&self, name: &str) -> Option<String> {
        let text = match name {
            "__interval" => format_duration_ms(self.interval_ms),
            "__interval_ms" => self.interval_ms.to_string(),
            "__rate_interval" => format_duration_ms(self.rate_interval_ms),
            "__rate_interval_ms" => self.rate_interval_ms.to_string(),
            "__range" => format!("{}s", self.range_seconds()),
            "__range_s" => self.range_seconds().to_string(),
            "__range_ms" => self.range_ms.to_string(),
            "__from" => self.from_ms.to_string(),
            "__to" => self.to_ms.to_string(),
            other if other.starts_with("__auto_interval_") => format_duration_ms(self.interval_ms),
            _ => return None,
        };
        Some(text)
    }

    fn range_seconds(&self) -> u64 {
        self.range_ms.saturating_add(500) / 1000
    }
}

/// Replaces variables and macros in `text`.
pub fn interpolate(text: &str, vars: &VariableValues, macros: &MacroValues) -> String {
    interpolate_depth(text, vars, macros, 0)
}

/// One `$…` reference found in the text.
struct Reference<'a> {
    name: &'a str,
    format: Option<&'a str>,
    /// Bytes consumed from the reference start.
    len: usize,
}

fn interpolate_depth(text: &str, vars: &VariableValues, macros: &MacroValues, depth: u8) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(['$', '[']) {
        let (before, at) = rest.split_at(pos);
        out.push_str(before);
        let reference = parse_reference(at);
        let replaced = reference
            .as_ref()
            .and_then(|r| resolve(r, vars, macros, depth));
        match (reference, replaced) {
            (Some(r), Some(value)) => {
                out.push_str(&value);
                rest = at.get(r.len..).unwrap_or("");
            }
            _ => {
                // Not a known reference: keep the character and continue after it.
                let mut chars = at.chars();
                if let Some(c) = chars.next() {
                    out.push(c);
                }
                rest = chars.as_str();
            }
        }
    }
    out.push_str(rest);
    out
}

fn word_len(text: &str) -> usize {
    text.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len())
}

/// Parses `$name`, `${name}`, `${name:format}`, `${name.path:format}` or `[[name:format]]`.
fn parse_reference(text: &str) -> Option<Reference<'_>> {
    if let Some(body) = text.strip_prefix("${") {
        let end = body.find('}')?;
        let inner = body.get(..end)?;
        let (name_part, format) = match inner.split_once(':') {
            Some((n, f)) => (n, Some(f)),
            None => (inner, None),
        };
        let name = name_part.split('.').next().unwrap_or(name_part);
        (word_len(name) == name.len() && !name.is_empty()).then_some(Reference {
            name,
            format,
            len: end + 3,
        })
    } else if let Some(body) = text.strip_prefix("[[") {
        let end = body.find("]]")?;
        let inner = body.get(..end)?;
        let (name, format) = match inner.split_once(':') {
            Some((n, f)) => (n, Some(f)),
            None => (inner, None),
        };
        (word_len(name) == name.len() && !name.is_empty()).then_some(Reference {
            name,
            format,
            len: end + 4,
        })
    } else {
        let body = text.strip_prefix('$')?;
        let len = word_len(body);
        let name = body.get(..len)?;
        (!name.is_empty()).then_some(Reference {
            name,
            format: None,
            len: len + 1,
        })
    }
}

fn resolve(
    r: &Reference<'_>,
    vars: &VariableValues,
    macros: &MacroValues,
    depth: u8,
) -> Option<String> {
    if let Some(value) = vars.get(r.name) {
        return Some(format_variable(value, r.format, vars, macros, depth));
    }
    macros.lookup(r.name)
}

fn format_variable(
    var: &VariableValue,
    format: Option<&str>,
    vars: &VariableValues,
    macros: &MacroValues,
    depth: u8,
) -> String {
    let mut values = var.values.clone();
    if var.is_all && format == Some("text") {
        return "All".to_string();
    }
    if var.is_all {
        match &var.all_value {
            Some(all) if !matches!(format, Some("text" | "percentencode")) => {
                return if depth < 4 {
                    interpolate_depth(all, vars, macros, depth + 1)
                } else {
                    all.clone()
                };
            }
            _ if var.all_options.is_empty() => return ".*".to_string(),
            _ => values = var.all_options.clone(),
        }
    }
    // Interval variables with `auto` select `$__auto_interval_<name>`, a macro; other values
    // are inserted verbatim, as in Grafana.
    for value in &mut values {
        if let Some(auto) = value.strip_prefix('$').and_then(|name| macros.lookup(name)) {
            *value = auto;
        }
    }
    apply_format(&values, var, format)
}

fn apply_format(values: &[String], var: &VariableValue, format: Option<&str>) -> String {
    let alternation = |escaped: Vec<String>| match escaped.as_slice() {
        [one] => one.clone(),
        many => format!("({})", many.join("|")),
    };
    match format {
        None | Some("") => {
            if !var.multi && !var.include_all {
                values
                    .iter()
                    .map(|v| prometheus_regular_escape(v))
                    .collect::<Vec<_>>()
                    .join(",")
            } else {
                alternation(values.iter().map(|v| prometheus_regex_escape(v)).collect())
            }
        }
        Some("regex") => alternation(values.iter().map(|v| regex_escape(v)).collect()),
        Some("pipe") => values.join("|"),
        Some("csv" | "raw") => values.join(","),
        Some("glob") if values.len() > 1 => format!("{{{}}}", values.join(",")),
        Some("json") => match values {
            [one] => serde_json::Value::String(one.clone()).to_string(),
            many => serde_json::Value::from(many.to_vec()).to_string(),
        },
        Some("doublequote") => values
            .iter()
            .map(|v| format!("\"{}\"", v.replace('"', "\\\"")))
            .collect::<Vec<_>>()
            .join(","),
        Some("singlequote") => values
            .iter()
            .map(|v| format!("'{}'", v.replace('\'', "\\'")))
            .collect::<Vec<_>>()
            .join(","),
        Some("text") => {
            if var.texts.is_empty() {
                values.join(" + ")
            } else {
                var.texts.join(" + ")
            }
        }
        Some(_) => values.join(","),
    }
}

/// Escaping for a single value inside a PromQL string (Grafana `prometheusRegularEscape`).
fn prometheus_regular_escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('\'', "\\\\'")
}

/// Regex-escaping inside a PromQL string: the backslash itself must be escaped for the string
/// literal, so `.` becomes `\\.` (Grafana `prometheusSpecialRegexEscape`).
fn prometheus_regex_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\\\\\"),
            '$' | '^' | '*' | '{' | '}' | '[' | ']' | '\'' | '+' | '?' | '.' | '(' | ')' | '|' => {
                out.push_str("\\\\");
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Plain regex escaping (`${var:regex}`).
fn regex_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if "\\^$*+?.()|[]{}/".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
