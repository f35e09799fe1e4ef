//! The dashboard page: title, variable dropdowns and the 24-column grid of panels laid out
//! from Grafana's `gridPos` (row height 30 px, like Grafana) by `dashboard::layout`: repeats
//! expanded for the selected variable values, panels packed upward, collapsed rows showing
//! their header only (a click toggles them). `?viewPanel=KEY` shows one panel full-screen.

use std::sync::Arc;

use leptos::prelude::*;
use signalboard_core::dashboard::layout::{layout, toggle_row, PlacedPanel};
use signalboard_core::dashboard::{export_grafana, Dashboard, PanelKind};

use crate::app::AppSignals;
use crate::panels::PanelView;
use crate::url_state;
use crate::variables::{self, VariableBar};

#[component]
pub fn DashboardView() -> impl IntoView {
    let signals = expect_context::<AppSignals>();
    let esc = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && signals.view_panel.get_untracked().is_some() {
            view_panel(signals, None);
        }
    });
    on_cleanup(move || esc.remove());
    move || match signals.dashboard.get() {
        None if signals.generating.get() => view! {
            <div class="panel-message" data-state="loading">
                "Building the golden-signals dashboard from the targets' first scrapes…"
            </div>
        }
        .into_any(),
        None => view! {
            <div class="panel-message" data-state="nodata">
                "No dashboard loaded yet. Import a Grafana dashboard JSON on the Import page, \
                 or set `dashboards` in config.json."
            </div>
        }
        .into_any(),
        Some(d) => {
            let d2 = d.clone();
            let generated = crate::generated_dashboard::is_generated(&d.uid);
            view! {
                <div class="dashboard-title" data-dashboard-title=d.title.clone()>
                    {d.title.clone()}
                    " "
                    <button class="small" data-testid="export" title="Download as Grafana dashboard JSON"
                        on:click=move |_| export(&d2)>"Export JSON"</button>
                    {generated.then(|| view! {
                        " "
                        <button class="small" data-testid="regenerate"
                            title="Detect the golden signals again from the latest scrapes"
                            on:click=move |_| crate::generated_dashboard::show_now(signals)>"Regenerate"</button>
                        " "
                        <button class="small" data-testid="save-generated" title="Keep it in the Dashboards library"
                            on:click=move |_| save_generated(signals)>"Save to library"</button>
                    })}
                    {move || history_hint(signals)}
                </div>
                <VariableBar />
                <Grid dashboard=d />
            }
            .into_any()
        }
    }
}

/// "This browser holds data since HH:MM:SS" once for the dashboard when its time range starts
/// before the in-browser store's first scrape (each such panel shows a ◷ with the same words).
fn history_hint(signals: AppSignals) -> Option<impl IntoView> {
    signals.data_version.track();
    if signals.datasource.get().is_some() {
        return None; // a Prometheus API datasource holds its own history
    }
    let since = crate::engine::with_engine(|e| e.history_start_ms).flatten()?;
    let (from, _) = signals
        .time_range
        .get()
        .resolve(crate::engine::now_ms() as i64);
    (from < since).then(|| {
        view! {
            <span class="history-hint" data-history-since=since>
                {format!(
                    "◷ This browser holds data since {}: earlier parts of the time range are empty",
                    crate::panels::clock(since)
                )}
            </span>
        }
    })
}

/// Keeps the generated dashboard (as exported Grafana JSON) in the library.
fn save_generated(signals: AppSignals) {
    let Some(d) = signals.dashboard.get_untracked() else {
        return;
    };
    let json = serde_json::to_string(&export_grafana(&d)).unwrap_or_default();
    let title = format!("{} ({})", d.title, crate::panels::clock_now());
    let uid = format!("golden-{}", crate::engine::now_ms() as i64);
    match crate::library::save(&uid, &title, &json, crate::engine::now_ms()) {
        Ok(_) => signals.notify(
            crate::app::NoticeLevel::Info,
            format!("saved as \"{title}\""),
        ),
        Err(e) => signals.notify(crate::app::NoticeLevel::Error, e),
    }
}

/// Shows panel `key` full-screen (`None` = back to the grid), kept in `?viewPanel=`.
pub fn view_panel(signals: AppSignals, key: Option<String>) {
    url_state::set_query_values("viewPanel", key.as_slice());
    signals.view_panel.set(key);
}

/// `?viewPanel=` key of a placed panel: its id, plus the copy number for repeat copies.
fn view_key(p: &PlacedPanel) -> String {
    if p.repeat_index == 0 {
        p.panel.id.to_string()
    } else {
        format!("{}-{}", p.panel.id, p.repeat_index)
    }
}

#[component]
fn Grid(dashboard: Arc<Dashboard>) -> impl IntoView {
    let signals = expect_context::<AppSignals>();
    let placed = Memo::new(move |_| {
        let values = variables::current(&signals);
        layout(&dashboard, &|name| variables::repeat_values(&values, name))
    });
    move || {
        let items = placed.get();
        match signals.view_panel.get() {
            Some(key) => match items.into_iter().find(|p| view_key(p) == key) {
                Some(p) => full_screen(signals, p).into_any(),
                None => {
                    // A stale ?viewPanel= (panel gone): show the dashboard.
                    view_panel(signals, None);
                    ().into_any()
                }
            },
            None => view! {
                <div class="grid">{items.into_iter().map(|p| panel_cell(signals, p)).collect_view()}</div>
            }
            .into_any(),
        }
    }
}

fn full_screen(signals: AppSignals, p: PlacedPanel) -> impl IntoView {
    let key = view_key(&p);
    let mut panel = p.panel;
    panel.grid.w = 24;
    view! {
        <div class="panel-fullscreen" data-view-panel=key>
            <button class="small" data-testid="back-to-dashboard" on:click=move |_| view_panel(signals, None)>
                "← Back to dashboard"
            </button>
            <div class="panel-cell"><PanelView panel=panel scope=p.scope /></div>
        </div>
    }
}

fn panel_cell(signals: AppSignals, p: PlacedPanel) -> impl IntoView {
    let g = p.grid;
    let style = format!(
        "grid-column: {} / span {}; grid-row: {} / span {};",
        g.x.min(23) + 1,
        g.w.clamp(1, 24),
        g.y + 1,
        g.h.max(1)
    );
    let key = view_key(&p);
    let panel = p.panel;
    if panel.kind == PanelKind::Row {
        let (id, collapsed) = (panel.id, panel.collapsed);
        let title = crate::variables::with_scope(variables::current(&signals), &p.scope);
        let title = signalboard_core::dashboard::interpolate(
            &panel.title,
            &title,
            &signalboard_core::dashboard::MacroValues::plausible(),
        );
        let hidden = panel.panels.len();
        return view! {
            <div class="row-header" prop:style=style data-panel-id=id data-panel-type="row"
                data-panel-title=panel.title.clone() data-collapsed=collapsed.to_string()
                role="button" tabindex="0" title="Click to collapse or expand"
                on:click=move |_| toggle(signals, id)>
                <span class="row-caret">{if collapsed { "▸" } else { "▾" }}</span>
                {title}
                {(collapsed && hidden > 0).then(|| view! {
                    <span class="hint">{format!(" ({hidden} panels)")}</span>
                })}
            </div>
        }
        .into_any();
    }
    view! {
        <div prop:style=style class="panel-cell">
            <PanelView panel=panel scope=p.scope view_key=key />
        </div>
    }
    .into_any()
}

/// Collapses or expands a row of the shown dashboard (not saved: like Grafana's view state).
fn toggle(signals: AppSignals, row_id: u64) {
    signals.dashboard.update(|d| {
        if let Some(current) = d {
            let mut next = (**current).clone();
            if toggle_row(&mut next, row_id) {
                *current = Arc::new(next);
            }
        }
    });
}

/// Downloads the dashboard as classic Grafana JSON (what Grafana itself imports).
fn export(d: &Dashboard) {
    let json = serde_json::to_string_pretty(&export_grafana(d)).unwrap_or_default();
    let stem = if d.uid.trim().is_empty() {
        "dashboard"
    } else {
        d.uid.as_str()
    };
    let name = format!("{stem}.json");
    let _ = download(&name, &json);
}

fn download(file_name: &str, text: &str) -> Option<()> {
    let doc = web_sys::window()?.document()?;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let a = doc.create_element("a").ok()?;
    a.set_attribute("href", &url).ok()?;
    a.set_attribute("download", file_name).ok()?;
    let a: web_sys::HtmlElement = wasm_bindgen::JsCast::dyn_into(a).ok()?;
    a.click();
    web_sys::Url::revoke_object_url(&url).ok()
}
