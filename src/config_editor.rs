//! The config editor (Targets page): the active config as JSON, editable. "Apply" validates
//! it (`Config::from_json`: errors name the field), then scrapes with it and keeps it in the
//! browser; an invalid config is refused and the previous one stays in use. "Reset" forgets
//! the saved copy (the next load uses config.json again).

use leptos::prelude::*;
use signalboard_core::config::Config;

use crate::app::{AppSignals, NoticeLevel};
use crate::engine::with_engine;
use crate::{scrape, storage};

fn current_json() -> String {
    with_engine(|e| serde_json::to_string_pretty(&e.config).unwrap_or_default()).unwrap_or_default()
}

/// Validates and applies `text`; returns the error to show, if any.
pub fn apply(signals: AppSignals, text: &str) -> Result<(), String> {
    let config = Config::from_json(text).map_err(|e| format!("config not applied: {e}"))?;
    let saved = serde_json::to_string(&config).map_err(|e| e.to_string())?;
    with_engine(|e| e.apply_config(config)).ok_or("engine busy, try again")?;
    storage::save(storage::CONFIG_KEY, &saved);
    scrape::start_all(signals.data_version);
    Ok(())
}

#[component]
pub fn ConfigEditor() -> impl IntoView {
    let signals = expect_context::<AppSignals>();
    let text = RwSignal::new(current_json());
    let error = RwSignal::new(String::new());
    let on_apply = move |_| match apply(signals, &text.get_untracked()) {
        Ok(()) => {
            error.set(String::new());
            text.set(current_json());
            signals.notify(
                NoticeLevel::Info,
                "config applied and saved in this browser",
            );
        }
        Err(e) => error.set(e),
    };
    let on_reset = move |_| {
        storage::remove(storage::CONFIG_KEY);
        signals.notify(
            NoticeLevel::Info,
            "saved config forgotten: reload to use config.json",
        );
    };
    view! {
        <details class="config-editor">
            <summary>"Edit config (JSON, shaped like prometheus.yml)"</summary>
            <textarea data-testid="config-json" prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <div>
                <button data-testid="config-apply" on:click=on_apply>"Apply"</button>
                " "
                <button data-testid="config-reset" on:click=on_reset>"Reset to config.json"</button>
            </div>
            <Show when=move || !error.get().is_empty()>
                <div class="panel-message error" data-config-error="">{move || error.get()}</div>
            </Show>
        </details>
    }
}
