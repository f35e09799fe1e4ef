//! The dashboard-wide datasource: the in-browser engine (scraping from this page) or one of
//! the configured Prometheus API datasources. Chosen in the top bar, kept in `?datasource=`.
//! Panels and variables that name a configured datasource themselves keep theirs.

use leptos::prelude::*;
use signalboard_core::config::Config;

use crate::app::{AppSignals, NoticeLevel};
use crate::engine::with_engine;
use crate::url_state;

const PARAM: &str = "datasource";

/// The choice at startup: `?datasource=NAME` when configured; otherwise the first datasource
/// when the config scrapes nothing itself (then the server is the only source there is).
pub fn initial_choice(signals: AppSignals, config: &Config) -> Option<String> {
    if let Some(name) = url_state::query_values(PARAM).into_iter().next() {
        if let Some(ds) = config.datasource(&name) {
            return Some(ds.name);
        }
        signals.notify(
            NoticeLevel::Error,
            format!("?datasource={name} ignored: no such datasource in the config"),
        );
    }
    if config.scrape_configs.is_empty() {
        return config.datasources.first().map(|d| d.name.clone());
    }
    None
}

#[component]
pub fn DatasourcePicker() -> impl IntoView {
    let signals = expect_context::<AppSignals>();
    let names = move || {
        signals.datasource.track();
        with_engine(|e| {
            e.config
                .datasources
                .iter()
                .map(|d| d.name.clone())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    };
    let on_change = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let choice = (!value.is_empty()).then_some(value);
        url_state::set_query_values(PARAM, choice.as_slice());
        signals.datasource.set(choice);
    };
    view! {
        <Show when=move || !names().is_empty()>
            <label class="datasource-picker" title="Where the dashboard's queries run">
                <span class="hint">"Source"</span>
                <select data-datasource-picker="" on:change=on_change>
                    <option value="" selected=move || signals.datasource.get().is_none()>
                        "this browser (scraped here)"
                    </option>
                    {move || {
                        let current = signals.datasource.get();
                        names()
                            .into_iter()
                            .map(|n| {
                                let selected = current.as_deref() == Some(n.as_str());
                                view! { <option value=n.clone() selected=selected>{n.clone()}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
        </Show>
    }
}
