//! The dashboard page: title, variable dropdowns and the 24-column grid of panels laid out
//! from Grafana's `gridPos` (row height 30 px, like Grafana). Collapsed rows show their
//! header only; expanded rows' panels are already in the flat panel list.

use leptos::prelude::*;
use signalboard_core::dashboard::{Panel, PanelKind};

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
            view! {
                <div class="dashboard-title" data-dashboard-title=d.title.clone()>{d.title.clone()}</div>
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
