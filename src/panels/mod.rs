//! Panels: one file per panel kind. [`PanelView`] is the frame every panel shares — header,
//! error icon, and the automation attributes (`data-panel-id`, `data-panel-type`,
//! `data-panel-title`, `data-state`) — and runs the panel's queries whenever new data
//! arrives, the time range or the variables change.

use std::sync::Arc;

use leptos::prelude::*;
use signalboard_core::dashboard::{Panel, PanelKind};

use crate::app::AppSignals;
use crate::engine::now_ms;
use crate::query::{run_panel, PanelData};
use crate::variables;

mod bargauge;
mod field;
mod gauge;
mod stat;
mod table;
pub mod text;
pub mod timeseries;

pub use field::grafana_regex_match;
pub use timeseries::bench_draw;

/// `data-state` of a panel root.
fn state_of(kind: &PanelKind, data: &PanelData, loaded: bool) -> &'static str {
    match kind {
        PanelKind::Unsupported { .. } | PanelKind::Heatmap => "unsupported",
        PanelKind::Text => "ok",
        _ if !data.errors.is_empty() && data.series.is_empty() => "error",
        _ if !loaded => "loading",
        _ if data.series.iter().all(|s| s.vs.is_empty()) => "nodata",
        _ => "ok",
    }
}

#[component]
pub fn PanelView(panel: Panel) -> impl IntoView {
    let signals = expect_context::<AppSignals>();
    let panel = Arc::new(panel);
    let needs_data = !matches!(
        panel.kind,
        PanelKind::Text | PanelKind::Heatmap | PanelKind::Unsupported { .. }
    );
    let width_px = panel.grid.w.clamp(1, 24) * 60;
    let p = panel.clone();
    let data = Memo::new(move |_| {
        let version = signals.data_version.get();
        let range = signals.time_range.get().resolve(now_ms() as i64);
        let vars = variables::current(&signals);
        if !needs_data || version == 0 {
            return (Arc::new(PanelData::default()), version > 0);
        }
        (Arc::new(run_panel(&p, &vars, range, width_px)), true)
    });
    let kind = panel.kind.clone();
    let state = move || data.with(|(d, loaded)| state_of(&kind, d, *loaded));
    let errors = move || data.with(|(d, _)| d.errors.join("\n"));
    let title = panel.title.clone();
    let body = panel_body(panel.clone(), data);
    view! {
        <div class="panel" data-panel-id=panel.id data-panel-type=panel.kind.grafana_type().to_string()
            data-panel-title=title.clone() data-state=state>
            <div class="panel-header">
                <Show when=move || !errors().is_empty()>
                    <span class="panel-error-icon" title=errors>"⚠"</span>
                </Show>
                <span class="panel-title" title=panel.description.clone()>{title.clone()}</span>
            </div>
            <div class="panel-body">
                {body}
                <Show when=move || data.with(|(d, _)| !d.errors.is_empty() && d.series.is_empty())>
                    <div class="panel-message error" data-panel-error="">{errors}</div>
                </Show>
            </div>
        </div>
    }
}

type DataMemo = Memo<(Arc<PanelData>, bool)>;

fn panel_body(panel: Arc<Panel>, data: DataMemo) -> AnyView {
    match &panel.kind {
        PanelKind::Stat => view! { <stat::StatBody panel=panel data=data /> }.into_any(),
        PanelKind::Gauge => view! { <gauge::GaugeBody panel=panel data=data /> }.into_any(),
        PanelKind::BarGauge => {
            view! { <bargauge::BarGaugeBody panel=panel data=data /> }.into_any()
        }
        PanelKind::TimeSeries => {
            view! { <timeseries::TimeSeriesBody panel=panel data=data /> }.into_any()
        }
        PanelKind::Table => view! { <table::TableBody panel=panel data=data /> }.into_any(),
        PanelKind::Text => view! { <text::TextBody panel=panel /> }.into_any(),
        PanelKind::Unsupported { grafana_type } => {
            let msg = format!("Panel type \"{grafana_type}\" is not supported yet");
            view! { <div class="panel-message" data-unsupported=grafana_type.clone()>{msg}</div> }
                .into_any()
        }
        other => {
            let msg = format!(
                "Panel type \"{}\" is not supported yet",
                other.grafana_type()
            );
            view! { <div class="panel-message">{msg}</div> }.into_any()
        }
    }
}
