//! Auto-refresh: the dashboard's `"refresh": "30s"`, or what the user picks in the top bar
//! (kept in `?refresh=`, as Grafana does; "Off" stops it). It bumps
//! [`AppSignals::refresh_tick`], on which panels fed by a Prometheus API datasource re-query.
//! In-browser panels follow the scrapes instead (`data_version`): they are live anyway.

use leptos::prelude::*;
use signalboard_core::dashboard::interval::parse_duration_ms;

use crate::app::AppSignals;
use crate::url_state;

/// Grafana's own floor for auto-refresh.
const MIN_MS: u64 = 1_000;
const CHOICES: &[&str] = &["5s", "10s", "30s", "1m", "5m", "15m", "1h"];
const OFF: &str = "off";

/// The interval in effect: the user's pick, else the dashboard's; `None` = off.
fn effective(signals: AppSignals) -> Option<String> {
    let picked = signals.refresh.get();
    let chosen = picked.or_else(|| signals.dashboard.with(|d| d.as_ref()?.refresh.clone()))?;
    (chosen != OFF && !chosen.is_empty()).then_some(chosen)
}

pub fn install(signals: AppSignals) {
    if let Some(r) = url_state::query_values("refresh").into_iter().next() {
        signals.refresh.set(Some(r));
    }
    let handle: StoredValue<Option<IntervalHandle>> = StoredValue::new(None);
    Effect::new(move |_| {
        let every = effective(signals).as_deref().and_then(parse_duration_ms);
        if let Some(h) = handle.get_value() {
            h.clear();
        }
        let h = every.and_then(|ms| {
            set_interval_with_handle(
                move || signals.refresh_tick.update(|t| *t += 1),
                std::time::Duration::from_millis(ms.max(MIN_MS)),
            )
            .ok()
        });
        handle.set_value(h);
    });
}

/// The auto-refresh dropdown in the top bar.
#[component]
pub fn RefreshPicker() -> impl IntoView {
    let signals = expect_context::<AppSignals>();
    let on_change = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        url_state::set_query_values("refresh", std::slice::from_ref(&v));
        signals.refresh.set(Some(v));
    };
    let current = move || effective(signals).unwrap_or_else(|| OFF.to_string());
    view! {
        <label class="hint">"Refresh "
            <select data-testid="refresh" on:change=on_change prop:value=current>
                <option value=OFF>"Off"</option>
                {move || {
                    let cur = current();
                    let mut choices: Vec<String> = CHOICES.iter().map(|c| c.to_string()).collect();
                    // The dashboard's own interval, even when not one of ours.
                    if cur != OFF && !choices.contains(&cur) {
                        choices.push(cur.clone());
                    }
                    choices
                        .into_iter()
                        .map(|c| {
                            let selected = c == cur;
                            view! { <option value=c.clone() selected=selected>{c.clone()}</option> }
                        })
                        .collect_view()
                }}
            </select>
        </label>
    }
}
