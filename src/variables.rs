//! Template variables: options (query variables are evaluated against the in-browser store),
//! the user's selection (kept in the URL as Grafana does: `?var-NAME=value`), and the
//! dropdown bar above the panels.

use leptos::prelude::*;
use signalboard_core::dashboard::{
    parse_custom_options, Dashboard, Variable, VariableKind, VariableQuery, VariableValue, VariableValues,
};
use signalboard_core::promql::{self, EngineOptions, Value};

use crate::app::AppSignals;
use crate::engine::{now_ms, with_engine};
use crate::url_state;

const ALL: &str = "$__all";

/// Selections from the URL (`var-NAME`), for the variables the dashboard defines.
pub fn initial_values(d: &Dashboard) -> Vec<(String, Vec<String>)> {
    d.variables
        .iter()
        .filter_map(|v| {
            let vals = url_state::query_values(&format!("var-{}", v.name));
            (!vals.is_empty()).then(|| (v.name.clone(), vals))
        })
        .collect()
}

/// The values queries are interpolated with: saved defaults, then the user's selection.
pub fn current(signals: &AppSignals) -> VariableValues {
    let Some(d) = signals.dashboard.get() else {
        return VariableValues::new();
    };
    let selected = signals.variables.get();
    let mut values = VariableValues::from_saved(&d.variables, ".*");
    for var in &d.variables {
        let opts = options(var, &values);
        let mut v = values.get(&var.name).cloned().unwrap_or_default();
        v.all_options = opts.iter().map(|(_, val)| val.clone()).collect();
        if let Some((_, sel)) = selected.iter().find(|(n, _)| *n == var.name) {
            v.is_all = sel.iter().any(|s| s == ALL);
            v.values = sel.iter().filter(|s| *s != ALL).cloned().collect();
            v.texts = v.values.clone();
        } else if !v.is_all && v.values.iter().all(|x| x == ".*") {
            // A query variable never evaluated before: pick the first option like Grafana.
            if let Some((_, first)) = opts.first() {
                v.values = vec![first.clone()];
            } else if var.include_all {
                v.is_all = true;
            }
        }
        values.set(&var.name, v);
    }
    values
}

/// (text, value) options of a variable; query variables use the values resolved so far so
/// chained variables (`label_values(up{job="$job"}, instance)`) work in definition order.
pub fn options(var: &Variable, resolved: &VariableValues) -> Vec<(String, String)> {
    match &var.kind {
        VariableKind::Custom { query } => parse_custom_options(query),
        VariableKind::Constant { value } => vec![(value.clone(), value.clone())],
        VariableKind::Interval { intervals, .. } => intervals.iter().map(|i| (i.clone(), i.clone())).collect(),
        VariableKind::Query { query, .. } => {
            let mut vals = query_options(query, resolved);
            vals.sort();
            vals.dedup();
            let vals = filter_regex(vals, &var.regex);
            vals.into_iter().map(|v| (v.clone(), v)).collect()
        }
        _ => var.options.iter().map(|o| (o.clone(), o.clone())).collect(),
    }
}

/// Grafana's variable `regex` filter: only `/.../` with a literal or `.*` pattern is applied
/// without a regex engine in the bundle; anything else leaves the options unfiltered.
fn filter_regex(vals: Vec<String>, regex: &str) -> Vec<String> {
    let pat = regex.trim().trim_start_matches('/').trim_end_matches('/');
    if pat.is_empty() {
        return vals;
    }
    vals.into_iter().filter(|v| crate::panels::simple_regex_match(pat, v) || !is_simple(pat)).collect()
}

fn is_simple(p: &str) -> bool {
    !p.replace(".*", "").chars().any(|c| "[]()|+?^$\\{}.".contains(c))
}

fn query_options(q: &VariableQuery, resolved: &VariableValues) -> Vec<String> {
    let macros = signalboard_core::dashboard::MacroValues::plausible();
    let interp = |s: &str| signalboard_core::dashboard::interpolate(s, resolved, &macros);
    let (expr, label) = match q {
        VariableQuery::LabelValues { selector: Some(sel), label } => (interp(sel), Some(label.clone())),
        VariableQuery::LabelValues { selector: None, label } => (format!("{{{label}=~\".+\"}}"), Some(label.clone())),
        VariableQuery::Metrics { .. } => ("{__name__=~\".+\"}".to_string(), Some("__name__".to_string())),
        VariableQuery::QueryResult { expr } => (interp(expr), None),
        _ => return Vec::new(),
    };
    let t = now_ms() as i64;
    let result = with_engine(|e| promql::instant_query(&e.store, &expr, t, &EngineOptions::default()));
    let Some(Ok(Value::Vector(samples))) = result else {
        return Vec::new();
    };
    samples
        .iter()
        .filter_map(|s| match &label {
            Some(l) => s.labels.get(l).map(str::to_string),
            None => Some(format!("{} {}", s.labels.metric_name().unwrap_or(""), s.v)),
        })
        .collect()
}

#[component]
pub fn VariableBar() -> impl IntoView {
    let signals = expect_context::<AppSignals>();
    let vars = move || signals.dashboard.get().map(|d| d.variables.clone()).unwrap_or_default();
    move || {
        vars()
            .into_iter()
            .filter(|v| v.hide < 2 && !matches!(v.kind, VariableKind::Constant { .. }))
            .map(|v| view! { <VariableSelect var=v /> })
            .collect_view()
    }
}

#[component]
fn VariableSelect(var: Variable) -> impl IntoView {
    let signals = expect_context::<AppSignals>();
    let name = var.name.clone();
    let label = var.label.clone().filter(|l| !l.is_empty()).unwrap_or_else(|| var.name.clone());
    let multi = var.multi;
    let include_all = var.include_all;
    let v2 = var.clone();
    let opts = Memo::new(move |_| {
        signals.data_version.get();
        let resolved = current(&signals);
        let mut o = options(&v2, &resolved);
        if include_all {
            o.insert(0, ("All".into(), ALL.into()));
        }
        o
    });
    let n2 = name.clone();
    let selected = move || {
        let vals = current(&signals);
        let v: VariableValue = vals.get(&n2).cloned().unwrap_or_default();
        if v.is_all { vec![ALL.to_string()] } else { v.values }
    };
    let n3 = name.clone();
    let on_change = move |ev: leptos::ev::Event| {
        let Some(sel) = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlSelectElement>(t).ok()) else {
            return;
        };
        let opts = sel.selected_options();
        let values: Vec<String> = (0..opts.length())
            .filter_map(|i| opts.item(i))
            .filter_map(|o| o.get_attribute("value"))
            .collect();
        url_state::set_query_values(&format!("var-{n3}"), &values);
        let n = n3.clone();
        signals.variables.update(|vs| {
            vs.retain(|(k, _)| *k != n);
            vs.push((n, values));
        });
    };
    view! {
        <div class="variables">
            <label data-variable=name.clone()>{label}
                <select multiple=multi on:change=on_change>
                    {move || {
                        let sel = selected();
                        opts.get().into_iter().map(|(text, value)| {
                            let is_sel = sel.contains(&value);
                            view! { <option value=value selected=is_sel>{text}</option> }
                        }).collect_view()
                    }}
                </select>
            </label>
        </div>
    }
}
