//! Series names: Prometheus `legendFormat` templates and the default name Grafana gives
//! a series (its Prometheus data source's `getName`).
//!
//! Contract:
//! - [`expand_legend`] replaces each `{{ label }}` (spaces allowed) with the label's
//!   value, or with nothing when the series has no such label; other text is kept.
//! - [`default_series_name`] is `metric{a="b", c="d"}`: the `__name__` value, then the
//!   other labels as `name="value"` (Go `%q` quoting), sorted, joined by `, `; a metric
//!   with no other labels is just its name; no labels at all is `{}`.
//! - [`series_name`] combines them like Grafana's data source: an empty format gives the
//!   default name, a result of `{}` is replaced by the query expression. For `__auto` the
//!   data source leaves naming to the frontend, which looks at all series of the query:
//!   use [`auto_series_names`].
//! - [`auto_series_names`] is Grafana's frontend naming (`getFieldDisplayName`): the metric
//!   name (if any), then — when every series carries exactly the same single label — that
//!   label's value, otherwise all labels as `{a="b", c="d"}`, joined by a space; series
//!   without labels are named by the query expression. Assumption (not checked against a
//!   running Grafana): the data source passes `__name__` as the field name, not a label.

/// Expands `{{label}}` placeholders in `template` from `labels`.
pub fn expand_legend<K, V>(template: &str, labels: impl IntoIterator<Item = (K, V)>) -> String
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    let labels: Vec<(K, V)> = labels.into_iter().collect();
    let lookup = |name: &str| {
        labels
            .iter()
            .find(|(k, _)| k.as_ref() == name)
            .map(|(_, v)| v.as_ref().to_string())
            .unwrap_or_default()
    };
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let (before, after_open) = rest.split_at(open);
        out.push_str(before);
        let inner_start = after_open.get(2..).unwrap_or("");
        // `.+?` needs at least one character before the closing braces, and no newline.
        let close = inner_start
            .char_indices()
            .skip(1)
            .find(|(i, _)| inner_start.get(*i..).is_some_and(|s| s.starts_with("}}")))
            .map(|(i, _)| i)
            .filter(|i| !inner_start.get(..*i).unwrap_or("").contains('\n'));
        match close {
            Some(end) => {
                out.push_str(&lookup(inner_start.get(..end).unwrap_or("").trim()));
                rest = inner_start.get(end + 2..).unwrap_or("");
            }
            None => {
                out.push_str("{{");
                rest = inner_start;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Go's `%q` quoting of a label value.
fn go_quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Grafana's default series name: `metric{a="b", c="d"}`.
pub fn default_series_name<K, V>(labels: impl IntoIterator<Item = (K, V)>) -> String
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mut metric = None;
    let mut parts = Vec::new();
    for (k, v) in labels {
        if k.as_ref() == "__name__" {
            metric = Some(v.as_ref().to_string());
        } else {
            parts.push(format!("{}={}", k.as_ref(), go_quote(v.as_ref())));
        }
    }
    parts.sort();
    match (metric, parts.is_empty()) {
        (Some(name), true) => name,
        (None, true) => "{}".to_string(),
        (name, false) => format!("{}{{{}}}", name.unwrap_or_default(), parts.join(", ")),
    }
}

/// The legend name Grafana shows for a series of query `expr` with `legend_format`.
pub fn series_name<K, V>(
    legend_format: &str,
    labels: impl IntoIterator<Item = (K, V)>,
    expr: &str,
) -> String
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    let labels: Vec<(K, V)> = labels.into_iter().collect();
    let pairs: Vec<(&str, &str)> = labels
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .collect();
    let legend = if legend_format.is_empty() || legend_format == "__auto" {
        default_series_name(pairs.iter().copied())
    } else {
        expand_legend(legend_format, pairs.iter().copied())
    };
    if legend == "{}" {
        expr.to_string()
    } else {
        legend
    }
}

/// Grafana's frontend names for the series of one query (`legendFormat: __auto`);
/// see module docs. Each series is its label set, `__name__` included if present.
pub fn auto_series_names<K, V>(series: &[Vec<(K, V)>], expr: &str) -> Vec<String>
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    let single = single_label_name(series);
    series
        .iter()
        .map(|labels| {
            let metric = labels
                .iter()
                .find(|(k, _)| k.as_ref() == "__name__")
                .map(|(_, v)| v.as_ref().to_string());
            let others: Vec<(&str, &str)> = labels
                .iter()
                .filter(|(k, _)| k.as_ref() != "__name__")
                .map(|(k, v)| (k.as_ref(), v.as_ref()))
                .collect();
            if others.is_empty() && metric.is_none() {
                return expr.to_string();
            }
            let mut parts: Vec<String> = metric.into_iter().collect();
            match &single {
                Some(name) => parts.extend(
                    others
                        .iter()
                        .filter(|(k, _)| k == name)
                        .map(|(_, v)| (*v).to_string()),
                ),
                None if !others.is_empty() => parts.push(format_labels(&others)),
                None => {}
            }
            parts.join(" ")
        })
        .collect()
}

/// The one label name every series uses, if all labels of all series share that name.
fn single_label_name<K: AsRef<str>, V>(series: &[Vec<(K, V)>]) -> Option<String> {
    let mut single: Option<&str> = None;
    for (k, _) in series.iter().flatten() {
        let k = k.as_ref();
        if k == "__name__" {
            continue;
        }
        match single {
            None => single = Some(k),
            Some(s) if s != k => return None,
            Some(_) => {}
        }
    }
    single.map(str::to_string)
}

/// Grafana's `formatLabels`: `{a="b", c="d"}` with sorted keys, values unescaped.
fn format_labels(labels: &[(&str, &str)]) -> String {
    let mut sorted = labels.to_vec();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let inner: Vec<String> = sorted.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
    format!("{{{}}}", inner.join(", "))
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

    const LABELS: [(&str, &str); 4] = [
        ("__name__", "http_requests_total"),
        ("method", "GET"),
        ("code", "200"),
        ("instance", "localhost:9090"),
    ];

    #[test]
    fn templates_expand() {
        assert_eq!(expand_legend("{{method}} {{code}}", LABELS), "GET 200");
        assert_eq!(expand_legend("{{ method }}-{{  code}}", LABELS), "GET-200");
        assert_eq!(expand_legend("p95 {{missing}}!", LABELS), "p95 !");
        assert_eq!(expand_legend("literal", LABELS), "literal");
        assert_eq!(
            expand_legend("{{}} and {{ unclosed", LABELS),
            "{{}} and {{ unclosed"
        );
        assert_eq!(expand_legend("{{__name__}}", LABELS), "http_requests_total");
    }

    #[test]
    fn default_names() {
        assert_eq!(
            default_series_name(LABELS),
            r#"http_requests_total{code="200", instance="localhost:9090", method="GET"}"#
        );
        assert_eq!(default_series_name([("__name__", "up")]), "up");
        assert_eq!(
            default_series_name([("job", "a\"b\\c\n")]),
            r#"{job="a\"b\\c\n"}"#
        );
        assert_eq!(default_series_name(Vec::<(&str, &str)>::new()), "{}");
    }

    #[test]
    fn series_names_like_grafana() {
        assert_eq!(series_name("{{method}}", LABELS, "x"), "GET");
        assert_eq!(
            series_name("", [("__name__", "up"), ("job", "a")], "up"),
            r#"up{job="a"}"#
        );
        assert_eq!(
            series_name("", Vec::<(&str, &str)>::new(), "sum(rate(x[5m]))"),
            "sum(rate(x[5m]))"
        );
        assert_eq!(
            series_name("__auto", Vec::<(&str, &str)>::new(), "vector(1)"),
            "vector(1)"
        );
        assert_eq!(series_name("__auto", [("job", "a")], "q"), r#"{job="a"}"#);
    }

    #[test]
    fn auto_names_like_grafana_frontend() {
        let by_job = vec![vec![("job", "api")], vec![("job", "db")]];
        assert_eq!(
            auto_series_names(&by_job, "sum by (job) (x)"),
            ["api", "db"]
        );
        let up = vec![
            vec![("__name__", "up"), ("job", "api"), ("instance", "a:1")],
            vec![("__name__", "up"), ("job", "db"), ("instance", "b:1")],
        ];
        assert_eq!(
            auto_series_names(&up, "up"),
            [
                r#"up {instance="a:1", job="api"}"#,
                r#"up {instance="b:1", job="db"}"#
            ]
        );
        let bare: Vec<Vec<(&str, &str)>> = vec![vec![]];
        assert_eq!(auto_series_names(&bare, "vector(1)"), ["vector(1)"]);
        let named_only = vec![vec![("__name__", "up")]];
        assert_eq!(auto_series_names(&named_only, "up"), ["up"]);
    }
}
