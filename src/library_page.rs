//! The Dashboards page: the library of imported dashboards (open, rename, delete) and the
//! dashboards the config names (open).

use leptos::prelude::*;

use crate::app::{AppSignals, NoticeLevel};
use crate::engine::with_engine;
use crate::library::{self, Entry};
use crate::startup;

#[component]
pub fn LibraryPage() -> impl IntoView {
    let signals = expect_context::<AppSignals>();
    // Bumped after every change so the list re-reads storage.
    let version = RwSignal::new(0u64);
    let entries = move || {
        version.track();
        library::list()
    };
    let configured = with_engine(|e| e.config.dashboards.clone()).unwrap_or_default();
    view! {
        <div class="library">
            <h2>"Dashboards"</h2>
            <Show when=move || entries().is_empty()>
                <p class="hint">"No imported dashboards yet: use the Import page."</p>
            </Show>
            <table class="library-table">
                <tbody>
                    <For each=entries key=|e| (e.uid.clone(), e.title.clone(), e.saved_ms.to_bits()) let:entry>
                        <LibraryRow entry=entry signals=signals version=version />
                    </For>
                </tbody>
            </table>
            {(!configured.is_empty()).then(|| view! {
                <h3>"From the config"</h3>
                <ul>
                    {configured.into_iter().map(|url| {
                        let (u, attr) = (url.clone(), url.clone());
                        view! {
                            <li data-configured-dashboard=attr>
                                <button class="small" on:click=move |_| startup::open_url(signals, u.clone())>"Open"</button>
                                " " {url}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
        </div>
    }
}

#[component]
fn LibraryRow(entry: Entry, signals: AppSignals, version: RwSignal<u64>) -> impl IntoView {
    let name = RwSignal::new(entry.title.clone());
    let confirming = RwSignal::new(false);
    let uid = StoredValue::new(entry.uid.clone());
    let report = move |r: Result<(), String>| match r {
        Ok(()) => version.update(|v| *v += 1),
        Err(e) => signals.notify(NoticeLevel::Error, e),
    };
    let open = move |_| startup::open_from_library(signals, &uid.get_value());
    let rename = move |_| report(library::rename(&uid.get_value(), &name.get_untracked()));
    let delete = move |_| {
        if confirming.get_untracked() {
            report(library::delete(&uid.get_value()));
        } else {
            confirming.set(true);
        }
    };
    let saved = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(entry.saved_ms))
        .to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED);
    view! {
        <tr data-library-uid=entry.uid.clone() data-library-title=entry.title.clone()>
            <td><button class="link" data-testid="library-open" on:click=open>{entry.title.clone()}</button></td>
            <td><input data-testid="library-name" prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev)) /></td>
            <td><button class="small" data-testid="library-rename" on:click=rename>"Rename"</button></td>
            <td><button class="small" data-testid="library-delete" on:click=delete>
                {move || if confirming.get() { "Really delete?" } else { "Delete" }}
            </button></td>
            <td class="hint">{String::from(saved)}</td>
        </tr>
    }
}
