//! Importing a Grafana dashboard: file picker, drag and drop, or pasted JSON. A bad file
//! never replaces the dashboard being shown; the user sees why (banner), and the import
//! report's warnings (e.g. unsupported panel types) are listed.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::app::{AppSignals, NoticeLevel};
use crate::startup::show_dashboard;

async fn read_file(file: web_sys::File) -> Result<String, String> {
    let text = JsFuture::from(file.text())
        .await
        .map_err(|_| format!("{}: could not be read", file.name()))?;
    text.as_string()
        .ok_or_else(|| format!("{}: not text", file.name()))
}

fn import_text(signals: AppSignals, text: &str) {
    if show_dashboard(signals, text, true) {
        signals.notify(NoticeLevel::Info, "dashboard imported");
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_hash("#/");
        }
    }
}

fn import_files(signals: AppSignals, files: Option<web_sys::FileList>) {
    let Some(file) = files.and_then(|f| f.get(0)) else {
        return;
    };
    leptos::task::spawn_local(async move {
        match read_file(file).await {
            Ok(text) => import_text(signals, &text),
            Err(e) => signals.notify(NoticeLevel::Error, e),
        }
    });
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let signals = expect_context::<AppSignals>();
    let pasted = RwSignal::new(String::new());
    let over = RwSignal::new(false);
    let on_file = move |ev: leptos::ev::Event| {
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        import_files(signals, input.and_then(|i| i.files()));
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        over.set(false);
        import_files(signals, ev.data_transfer().and_then(|d| d.files()));
    };
    view! {
        <div class="import">
            <h2>"Import a Grafana dashboard"</h2>
            <p class="hint">"Classic dashboard JSON (as exported by Grafana or downloaded from grafana.com), \
                an API response with .dashboard, or a v1 resource with .spec."</p>
            <div class=move || if over.get() { "dropzone over" } else { "dropzone" }
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); over.set(true); }
                on:dragleave=move |_| over.set(false)
                on:drop=on_drop>
                "Drop a dashboard JSON file here, or "
                <input type="file" accept=".json,application/json" data-testid="import-file" on:change=on_file />
            </div>
            <textarea data-testid="import-json" placeholder="…or paste the JSON here"
                prop:value=move || pasted.get()
                on:input=move |ev| pasted.set(event_target_value(&ev))></textarea>
            <p><button data-testid="import-button" on:click=move |_| import_text(signals, &pasted.get_untracked())>"Import"</button></p>
        </div>
    }
}
