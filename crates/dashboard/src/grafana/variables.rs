//! Grafana `templating.list[]` ↔ `Variable`.
//!
//! Contract: `query` may be a string or `{query, refId, qryType}`; `current.value`/`text` may be
//! strings or arrays; custom and interval variables without saved options get them from
//! their query. Unknown variable types are kept as `Other` with a warning.

use serde_json::Value;

use super::datasource::{self, DatasourceContext};
use super::json::{array, flag, get, nonempty, string, strings, uint, Obj};
use crate::report::ImportReport;
use crate::variables::{parse_custom_options, parse_variable_query, Variable, VariableKind};

pub(crate) fn read_all(
    root: &Value,
    ctx: &DatasourceContext,
    report: &mut ImportReport,
) -> Vec<Variable> {
    let list = root.get("templating").and_then(|t| t.get("list"));
    array(list)
        .iter()
        .filter(|v| v.is_object())
        .filter_map(|v| read(v, ctx, report))
        .collect()
}

/// The query text of a variable (string form or `{query: …}` object form).
fn query_text(v: &Value) -> String {
    match get(v, "query") {
        Some(Value::Object(_)) => get(v, "query")
            .and_then(|q| string(get(q, "query")))
            .unwrap_or_default(),
        other => string(other).unwrap_or_default(),
    }
}

fn read(v: &Value, ctx: &DatasourceContext, report: &mut ImportReport) -> Option<Variable> {
    let Some(name) = nonempty(get(v, "name")) else {
        report.warn("variable without a name ignored".to_string());
        return None;
    };
    let query = query_text(v);
    let grafana_type = nonempty(get(v, "type")).unwrap_or_else(|| "query".into());
    let kind = match grafana_type.as_str() {
        "query" => VariableKind::Query {
            query: parse_variable_query(&query),
            definition: query.clone(),
        },
        "custom" => VariableKind::Custom {
            query: query.clone(),
        },
        "constant" => VariableKind::Constant {
            value: query.clone(),
        },
        "textbox" => VariableKind::TextBox {
            default: query.clone(),
        },
        "interval" => VariableKind::Interval {
            intervals: query
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            auto: flag(get(v, "auto")),
            auto_count: uint(get(v, "auto_count")).map_or(30, |n| n.min(100_000) as u32),
            auto_min: nonempty(get(v, "auto_min")).unwrap_or_else(|| "10s".into()),
        },
        "datasource" => VariableKind::Datasource {
            plugin: if query.is_empty() {
                "prometheus".into()
            } else {
                query.clone()
            },
        },
        "adhoc" => VariableKind::AdHoc,
        other => {
            report.warn(format!(
                "variable {name}: unsupported type \"{other}\" kept but not evaluated"
            ));
            VariableKind::Other {
                grafana_type: other.to_string(),
            }
        }
    };
    let current = get(v, "current");
    let mut var = Variable::new(&name, kind);
    var.label = nonempty(get(v, "label"));
    var.description = nonempty(get(v, "description"));
    var.hide = uint(get(v, "hide")).map_or(0, |h| h.min(2) as u8);
    var.multi = flag(get(v, "multi"));
    var.include_all = flag(get(v, "includeAll"));
    var.all_value = nonempty(get(v, "allValue"));
    var.current = strings(current.and_then(|c| get(c, "value")));
    // Texts without values mean nothing selected.
    var.current_text = if var.current.is_empty() {
        Vec::new()
    } else {
        strings(current.and_then(|c| get(c, "text")))
    };
    var.options = array(v.get("options"))
        .iter()
        .filter_map(|o| string(get(o, "value")))
        .collect();
    if var.options.is_empty() {
        var.options = derived_options(&var.kind);
    }
    var.regex = string(get(v, "regex")).unwrap_or_default();
    var.sort = uint(get(v, "sort")).map_or(0, |s| s.min(8) as u8);
    var.refresh = uint(get(v, "refresh")).map_or(1, |r| r.min(2) as u8);
    var.datasource = ctx.read(v.get("datasource"));
    Some(var)
}

fn derived_options(kind: &VariableKind) -> Vec<String> {
    match kind {
        VariableKind::Custom { query } => parse_custom_options(query)
            .into_iter()
            .map(|(_, value)| value)
            .collect(),
        VariableKind::Interval { intervals, .. } => intervals.clone(),
        VariableKind::Constant { value } => vec![value.clone()],
        _ => Vec::new(),
    }
}

fn one_or_many(values: &[String], multi: bool) -> Value {
    match values {
        [one] if !multi => Value::from(one.as_str()),
        many => Value::from(many.to_vec()),
    }
}

pub(crate) fn write(var: &Variable) -> Value {
    let (grafana_type, query) = match &var.kind {
        VariableKind::Query { definition, .. } => (
            "query",
            Obj::new()
                .set("query", definition.as_str())
                .set("refId", "PrometheusVariableQueryEditor-VariableQuery")
                .build(),
        ),
        VariableKind::Custom { query } => ("custom", query.as_str().into()),
        VariableKind::Constant { value } => ("constant", value.as_str().into()),
        VariableKind::TextBox { default } => ("textbox", default.as_str().into()),
        VariableKind::Interval { intervals, .. } => ("interval", intervals.join(",").into()),
        VariableKind::Datasource { plugin } => ("datasource", plugin.as_str().into()),
        VariableKind::AdHoc => ("adhoc", Value::from("")),
        VariableKind::Other { grafana_type } => (grafana_type.as_str(), Value::from("")),
    };
    let current = if var.current.is_empty() {
        Obj::new().build()
    } else {
        Obj::new()
            .set("text", one_or_many(&var.current_text, var.multi))
            .set("value", one_or_many(&var.current, var.multi))
            .build()
    };
    let options: Vec<Value> = var
        .options
        .iter()
        .map(|o| {
            Obj::new()
                .set("text", o.as_str())
                .set("value", o.as_str())
                .set("selected", var.current.contains(o))
                .build()
        })
        .collect();
    let ds = datasource::write(&var.datasource);
    let mut obj = Obj::new()
        .set("type", grafana_type)
        .set("name", var.name.as_str())
        .opt("label", var.label.as_deref())
        .opt("description", var.description.as_deref())
        .set("hide", var.hide)
        .set("multi", var.multi)
        .set("includeAll", var.include_all)
        .set(
            "allValue",
            var.all_value.as_deref().map_or(Value::Null, Value::from),
        )
        .set("current", current)
        .set("options", options)
        .set("query", query)
        .set("regex", var.regex.as_str())
        .set("sort", var.sort)
        .set("refresh", var.refresh)
        .opt("datasource", (!ds.is_null()).then_some(ds));
    if let VariableKind::Query { definition, .. } = &var.kind {
        obj = obj.set("definition", definition.as_str());
    }
    if let VariableKind::Interval {
        auto,
        auto_count,
        auto_min,
        ..
    } = &var.kind
    {
        obj = obj
            .set("auto", *auto)
            .set("auto_count", *auto_count)
            .set("auto_min", auto_min.as_str());
    }
    obj.build()
}
