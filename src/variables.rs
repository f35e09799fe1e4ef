//! Template variables: options (query variables are evaluated against the in-browser store),
//! the user's selection (kept in the URL as Grafana does: `?var-NAME=value`), and the
//! dropdown bar above the panels.

use leptos::prelude::*;
use signalboard_core::dashboard::interval;
use signalboard_core::dashboard::{
    parse_custom_options, variable_options, Dashboard, Variable, VariableKind, VariableQuery,
    VariableValue, VariableValues,
};
use signalboard_core::promql::{self, EngineOptions, Value};

use crate::app::AppSignals;
use crate::engine::{now_ms, with_engine};
use crate::query::{resolve_source, Source};
use crate::remote_variable_options::{self, Request};
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

/// The dashboard's variable values, resolved once per change for every panel: each panel
/// reads them on every scrape, and resolving evaluates every query variable against the store
/// (10-20 ms per scrape across Node Exporter Full's panels when each resolved them itself).
#[derive(Clone, Copy)]
struct Resolved(Memo<VariableValues>);

/// Provides the app-wide [`current`] values; they follow the store (query variables' options
/// change as series appear) as well as the dashboard, the selection and the time range.
pub fn provide_resolved(signals: AppSignals) {
    provide_context(Resolved(Memo::new(move |_| {
        signals.data_version.track();
        resolve(&signals)
    })));
}

/// The values queries are interpolated with: saved defaults, then the user's selection.
/// Inside the app's reactive tree this reads the shared [`provide_resolved`] memo; elsewhere
/// (an event handler has no owner to find it through) it resolves them afresh.
pub fn current(signals: &AppSignals) -> VariableValues {
    match use_context::<Resolved>() {
        Some(Resolved(memo)) => memo.get(),
        None => resolve(signals),
    }
}

fn resolve(signals: &AppSignals) -> VariableValues {
    let Some(d) = signals.dashboard.get() else {
        return VariableValues::new();
    };
    let selected = signals.variables.get();
    signals.remote_version.track();
    let mut values = VariableValues::from_saved(&d.variables, ".*");
    for var in &d.variables {
        let opts = options(signals, var, &values);
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
        if let VariableKind::TextBox { default } = &var.kind {
            if v.values.iter().all(|x| x == ".*") {
                v.values = vec![default.clone()];
            }
        }
        resolve_auto_interval(signals, var, &mut v);
        values.set(&var.name, v);
    }
    values
}

const AUTO: &str = "auto";

/// An interval variable set to `auto` stands for range / `auto_count` (at least `auto_min`),
/// like Grafana's `$__auto_interval_NAME`.
fn resolve_auto_interval(signals: &AppSignals, var: &Variable, v: &mut VariableValue) {
    let VariableKind::Interval {
        auto: true,
        auto_count,
        auto_min,
        ..
    } = &var.kind
    else {
        return;
    };
    if v.values
        .iter()
        .any(|x| x == AUTO || x.starts_with("$__auto_interval"))
    {
        let (from, to) = signals.time_range.get().resolve(now_ms() as i64);
        let ms = interval::auto_interval_ms((to - from).max(1) as u64, *auto_count, auto_min);
        v.values = vec![interval::format_duration_ms(ms)];
    }
}

/// The values a repeat over `name` iterates: the selection, or every option for "All".
pub fn repeat_values(values: &VariableValues, name: &str) -> Vec<String> {
    match values.get(name) {
        Some(v) if v.is_all => v.all_options.clone(),
        Some(v) => v.values.clone(),
        None => Vec::new(),
    }
}

/// `values` with a repeat copy's bindings (`[(var, value)]`) as single values.
pub fn with_scope(mut values: VariableValues, scope: &[(String, String)]) -> VariableValues {
    for (name, value) in scope {
        let mut v = values.get(name).cloned().unwrap_or_default();
        v.values = vec![value.clone()];
        v.texts = vec![value.clone()];
        v.is_all = false;
        values.set(name, v);
    }
    values
}

/// (text, value) options of a variable; query variables use the values resolved so far so
/// chained variables (`label_values(up{job="$job"}, instance)`) work in definition order.
pub fn options(
    signals: &AppSignals,
    var: &Variable,
    resolved: &VariableValues,
) -> Vec<(String, String)> {
    match &var.kind {
        VariableKind::Custom { query } => parse_custom_options(query),
        VariableKind::Constant { value } => vec![(value.clone(), value.clone())],
        VariableKind::Interval {
            intervals, auto, ..
        } => auto
            .then(|| (AUTO.to_string(), AUTO.to_string()))
            .into_iter()
            .chain(intervals.iter().map(|i| (i.clone(), i.clone())))
            .collect(),
        VariableKind::Query { query, .. } => {
            // Grafana's regex filter (capture groups, named text/value groups), sort and dedup.
            let mut raw = query_options(signals, var, query, resolved);
            if let VariableQuery::Metrics { regex } = query {
                if !regex.is_empty() {
                    raw.retain(|name| crate::panels::grafana_regex_match(regex, name));
                }
            }
            variable_options(&raw, &var.regex, var.sort)
                .unwrap_or_default()
                .into_iter()
                .map(|o| (o.text, o.value))
                .collect()
        }
        // "default" follows the dashboard-wide source picker.
        VariableKind::Datasource { .. } => std::iter::once("default".to_string())
            .chain(
                with_engine(|e| {
                    e.config
                        .datasources
                        .iter()
                        .map(|d| d.name.clone())
                        .collect()
                })
                .unwrap_or_else(Vec::new),
            )
            .map(|n| (n.clone(), n))
            .collect(),
        _ => var.options.iter().map(|o| (o.clone(), o.clone())).collect(),
    }
}

fn query_options(
    signals: &AppSignals,
    var: &Variable,
    q: &VariableQuery,
    resolved: &VariableValues,
) -> Vec<String> {
    let macros = signalboard_core::dashboard::MacroValues::plausible();
    let interp = |s: &str| signalboard_core::dashboard::interpolate(s, resolved, &macros);
    let choice = signals.datasource.get();
    if let Source::Api(ds) = resolve_source(&var.datasource, resolved, choice.as_deref()) {
        let req = match q {
            VariableQuery::LabelValues { selector, label } => Request::LabelValues {
                label: label.clone(),
                selector: selector.as_deref().map(interp),
            },
            VariableQuery::Metrics { .. } => Request::LabelValues {
                label: "__name__".into(),
                selector: None,
            },
            VariableQuery::QueryResult { expr } => Request::QueryResult { expr: interp(expr) },
            _ => return Vec::new(),
        };
        return remote_variable_options::get(*signals, ds, req);
    }
    let (expr, label) = match q {
        VariableQuery::LabelValues {
            selector: Some(sel),
            label,
        } => (interp(sel), Some(label.clone())),
        VariableQuery::LabelValues {
            selector: None,
            label,
        } => (format!("{{{label}=~\".+\"}}"), Some(label.clone())),
        VariableQuery::Metrics { .. } => (
            "{__name__=~\".+\"}".to_string(),
            Some("__name__".to_string()),
        ),
        VariableQuery::QueryResult { expr } => (interp(expr), None),
        _ => return Vec::new(),
    };
    let t = now_ms() as i64;
    let Ok(ast) = crate::query::parsed(&expr) else {
        return Vec::new();
    };
    let result =
        with_engine(|e| promql::instant_query_ast(&e.store, &ast, t, &EngineOptions::default()));
    let Some(Ok(value)) = result else {
        return Vec::new();
    };
    match (&label, &value) {
        (Some(l), Value::Vector(samples)) => samples
            .iter()
            .filter_map(|s| s.labels.get(l).map(str::to_string))
            .collect(),
        (None, v) => remote_variable_options::query_result_options(v),
        _ => Vec::new(),
    }
}

#[component]
pub fn VariableBar() -> impl IntoView {
    let signals = expect_context::<AppSignals>();
    let vars = move || {
        signals
            .dashboard
            .get()
            .map(|d| d.variables.clone())
            .unwrap_or_default()
    };
    view! {
        <div class="variables-bar">
            {move || {
                vars()
                    .into_iter()
                    .filter(|v| v.hide < 2 && !matches!(v.kind, VariableKind::Constant { .. }))
                    .map(|v| view! { <VariableSelect var=v /> })
                    .collect_view()
            }}
        </div>
    }
}

#[component]
fn VariableSelect(var: Variable) -> impl IntoView {
    let signals = expect_context::<AppSignals>();
    let name = var.name.clone();
    let label = var
        .label
        .clone()
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| var.name.clone());
    let multi = var.multi;
    let include_all = var.include_all;
    let is_textbox = matches!(var.kind, VariableKind::TextBox { .. });
    let v2 = var.clone();
    let opts = Memo::new(move |_| {
        signals.data_version.get();
        let resolved = current(&signals);
        let mut o = options(&signals, &v2, &resolved);
        if include_all {
            o.insert(0, ("All".into(), ALL.into()));
        }
        o
    });
    // Copy handles, so the closures below are Copy and can be used in nested views.
    let key = StoredValue::new(name.clone());
    let selected = move || {
        let vals = current(&signals);
        let v: VariableValue = key.with_value(|k| vals.get(k).cloned()).unwrap_or_default();
        if v.is_all {
            vec![ALL.to_string()]
        } else {
            v.values
        }
    };
    let commit = move |values: Vec<String>| {
        let n = key.get_value();
        url_state::set_query_values(&format!("var-{n}"), &values);
        signals.variables.update(|vs| {
            vs.retain(|(k, _)| *k != n);
            vs.push((n, values));
        });
    };
    let on_single = move |ev: leptos::ev::Event| commit(vec![event_target_value(&ev)]);
    // Multi-value: checkboxes in a <details> popover (no script needed to open/close it).
    let toggle = move |value: String| {
        let mut sel = selected();
        if value == ALL {
            sel = vec![ALL.to_string()];
        } else if let Some(pos) = sel.iter().position(|v| *v == value) {
            sel.remove(pos);
        } else {
            sel.retain(|v| v != ALL);
            sel.push(value);
        }
        if sel.is_empty() && include_all {
            sel.push(ALL.to_string());
        }
        commit(sel);
    };
    let summary = move || {
        let sel = selected();
        let texts: Vec<String> = opts
            .get()
            .into_iter()
            .filter(|(_, v)| sel.contains(v))
            .map(|(t, _)| t)
            .collect();
        if texts.is_empty() {
            "None".to_string()
        } else {
            texts.join(" + ")
        }
    };
    view! {
        <div class="variables" data-variable=name.clone()>
            <span class="hint">{label}</span>
            {if is_textbox {
                let value = move || selected().into_iter().next().unwrap_or_default();
                view! {
                    <input type="text" prop:value=value
                        on:change=move |ev| commit(vec![event_target_value(&ev)]) />
                }.into_any()
            } else if multi {
                view! {
                    <details>
                        <summary>{summary}</summary>
                        <div class="options">
                            {move || {
                                let sel = selected();
                                opts.get().into_iter().map(|(text, value)| {
                                    let checked = sel.contains(&value);
                                    let v = value.clone();
                                    view! {
                                        <label><input type="checkbox" prop:checked=checked
                                            on:change=move |_| toggle(v.clone()) />{text}</label>
                                    }
                                }).collect_view()
                            }}
                        </div>
                    </details>
                }.into_any()
            } else {
                view! {
                    <select on:change=on_single>
                        {move || {
                            let sel = selected();
                            opts.get().into_iter().map(|(text, value)| {
                                let is_sel = sel.contains(&value);
                                view! { <option value=value selected=is_sel>{text}</option> }
                            }).collect_view()
                        }}
                    </select>
                }.into_any()
            }}
        </div>
    }
}
