//! The dashboard page: title, variable dropdowns and the 24-column grid of panels laid out
//! from Grafana's `gridPos` (row height 30 px, like Grafana). Collapsed rows show their
//! header only; expanded rows' panels are already in the flat panel list.

use leptos::prelude::*;
use signalboard_core::dashboard::{export_grafana, Dashboard, Panel, PanelKind};

use crate::app::AppSignals;
use crate::panels::PanelView;
use crate::variables::VariableBar;

#[component]
pub fn DashboardView() -> impl IntoView {
    let signals = expect_context::<AppSignals>();
    move || match signals.dashboard.get() {
        None => view! {
            <div class="panel-message" data-state="nodata">
                "No dashboard loaded yet. Import a Grafana dashboard JSON on the Import page, \
                 or set `dashboards` in config.json."
            </div>
        }
        .into_any(),
        Some(d) => {
            let panels: Vec<Panel> = layout_panels(&d.panels);
            let d2 = d.clone();
            view! {
                <div class="dashboard-title" data-dashboard-title=d.title.clone()>
                    {d.title.clone()}
                    " "
                    <button class="small" data-testid="export" title="Download as Grafana dashboard JSON"
                        on:click=move |_| export(&d2)>"Export JSON"</button>
                </div>
                <VariableBar />
                <div class="grid">
                    {panels.into_iter().map(panel_cell).collect_view()}
                </div>
            }
            .into_any()
        }
    }
}

/// Panels in display order (by y then x), collapsed rows keep their children hidden.
fn layout_panels(panels: &[Panel]) -> Vec<Panel> {
    let mut out: Vec<Panel> = panels.to_vec();
    out.sort_by_key(|p| (p.grid.y, p.grid.x));
    out
}

fn panel_cell(p: Panel) -> impl IntoView {
    let style = format!(
        "grid-column: {} / span {}; grid-row: {} / span {};",
        p.grid.x.min(23) + 1,
        p.grid.w.clamp(1, 24),
        p.grid.y + 1,
        p.grid.h.max(1)
    );
    if p.kind == PanelKind::Row {
        let (title, attr) = (p.title.clone(), p.title.clone());
        return view! {
            <div class="row-header" style=style data-panel-id=p.id data-panel-type="row" data-panel-title=attr>
                {title}
            </div>
        }
        .into_any();
    }
    view! { <div style=style class="panel-cell"><PanelView panel=p /></div> }.into_any()
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
