//! Grafana's `alertlist` panel: the alerts of the client-side rules (firing first, then
//! pending, then recently resolved), each with its labels, value and summary. Rule query
//! errors are listed too: a rule that cannot run is not a silent "all clear".

use std::sync::Arc;

use leptos::prelude::*;
use signalboard_core::dashboard::{Panel, PanelOptions};
use signalboard_core::golden::{Alert, AlertState};

use crate::app::AppSignals;
use crate::engine::{now_ms, with_engine};

const DEFAULT_MAX_ITEMS: usize = 20;

fn max_items(panel: &Panel) -> usize {
    match &panel.options {
        PanelOptions::Raw(o) => o
            .get("maxItems")
            .and_then(serde_json::Value::as_u64)
            .map_or(DEFAULT_MAX_ITEMS, |n| n.clamp(1, 1000) as usize),
        _ => DEFAULT_MAX_ITEMS,
    }
}

fn state_class(s: AlertState) -> &'static str {
    match s {
        AlertState::Firing => "alert firing",
        AlertState::Pending => "alert pending",
        AlertState::Resolved => "alert resolved",
    }
}

/// "3m 20s" since `t_ms`.
fn age(t_ms: i64) -> String {
    let s = ((now_ms() as i64 - t_ms) / 1000).max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m {}s", s / 60, s % 60),
        _ => format!("{}h {}m", s / 3600, (s % 3600) / 60),
    }
}

fn alert_row(a: Alert) -> impl IntoView {
    let labels: Vec<String> = a
        .labels
        .iter()
        .filter(|(k, _)| *k != "alertname")
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let summary = a.annotations.get("summary").cloned().unwrap_or_default();
    let since = match a.state {
        AlertState::Resolved => a.resolved_at_ms.unwrap_or(a.active_at_ms),
        AlertState::Firing => a.fired_at_ms.unwrap_or(a.active_at_ms),
        AlertState::Pending => a.active_at_ms,
    };
    view! {
        <li class=state_class(a.state) data-alert=a.rule.clone() data-alert-state=a.state.to_string()>
            <span class="alert-state">{a.state.to_string()}</span>
            <span class="alert-name">{a.rule.clone()}</span>
            <span class="hint">{format!(" for {}", age(since))}</span>
            <div class="alert-labels hint">{labels.join(", ")}</div>
            <div class="alert-summary">{summary}</div>
        </li>
    }
}

#[component]
pub fn AlertListBody(panel: Arc<Panel>) -> impl IntoView {
    let signals = expect_context::<AppSignals>();
    let limit = max_items(&panel);
    let snapshot = move || {
        signals.alerts_version.track();
        with_engine(|e| {
            let mut alerts = e.alerting.alerts.clone();
            alerts.sort_by_key(|a| (a.state, a.rule.clone()));
            let errors: Vec<String> = e
                .alerting
                .errors
                .iter()
                .map(|r| format!("{}: {}", r.rule, r.message))
                .collect();
            (
                alerts,
                errors,
                e.alerting.rule_count(),
                e.alerting.eval_duration_ms,
            )
        })
        .unwrap_or_default()
    };
    view! {
        <div class="alertlist">
            {move || {
                let (alerts, errors, rules, took) = snapshot();
                let shown = alerts.len().min(limit);
                let header = if alerts.is_empty() {
                    format!("All clear: {rules} rules, no alert pending or firing")
                } else {
                    format!("{} of {} alerts ({rules} rules)", shown, alerts.len())
                };
                view! {
                    <div class="hint" data-alert-rules=rules.to_string() data-eval-ms=format!("{took:.1}")
                        title=format!("last evaluation took {took:.1} ms")>{header}</div>
                    <ul>{alerts.into_iter().take(limit).map(alert_row).collect_view()}</ul>
                    {(!errors.is_empty()).then(|| view! {
                        <div class="panel-message error">{errors.join("\n")}</div>
                    })}
                }
            }}
        </div>
    }
}
