//! Panels: one file per panel kind. [`PanelView`] is the frame every panel shares — header,
//! error icon, and the automation attributes (`data-panel-id`, `data-panel-type`,
//! `data-panel-title`, `data-state`) — and runs the panel's queries whenever new data
//! arrives (a scrape for in-browser queries, the refresh interval for API datasources), the
//! time range, the variables or the datasource change. A superseded API request is cancelled;
//! in-browser queries run one panel per task, so a refresh never blocks the page for long.
//! Panels away from the viewport are neither queried nor drawn (`lazy.rs`); a panel root
//! carries `data-drawn="true"` once it has drawn its data. Until its first data a panel draws
//! nothing and shows a loading bar (`data-loading`), as Grafana does.

use std::sync::Arc;

use leptos::prelude::*;
use signalboard_core::dashboard::{interpolate, MacroValues, Panel, PanelKind};

use crate::app::AppSignals;
use crate::query::{plan_panel, run_browser_plan, run_plan, PanelData};
use crate::time_range::refresh_now;
use crate::variables;

mod alertlist;
mod bargauge;
mod draw_queue;
mod field;
mod gauge;
mod heatmap;
mod lazy;
mod size;
mod stat;
mod table;
pub mod text;
pub mod timeseries;

pub use field::grafana_regex_match;
pub use lazy::{log_data_versions, report as draw_log};
pub use timeseries::{bench_draw, warm_up_when_idle};

/// `data-state` of a panel root.
fn state_of(kind: &PanelKind, data: &PanelData, loaded: bool) -> &'static str {
    match kind {
        PanelKind::Unsupported { .. } => "unsupported",
        PanelKind::Text | PanelKind::AlertList => "ok",
        _ if !data.errors.is_empty() && data.series.is_empty() => "error",
        _ if !loaded => "loading",
        _ if data.series.iter().all(|s| s.vs.is_empty()) => "nodata",
        _ => "ok",
    }
}

/// One panel. `scope` holds a repeat copy's variable bindings; `view_key` is what
/// `?viewPanel=` names to show this panel full-screen (`None` = it is full-screen already).
#[component]
pub fn PanelView(
    panel: Panel,
    #[prop(optional)] scope: Vec<(String, String)>,
    #[prop(optional)] view_key: Option<String>,
) -> impl IntoView {
    let signals = expect_context::<AppSignals>();
    let panel = Arc::new(panel);
    let scope = Arc::new(scope);
    let needs_data = !matches!(
        panel.kind,
        PanelKind::Text | PanelKind::AlertList | PanelKind::Unsupported { .. }
    );
    let width_px = panel.grid.w.clamp(1, 24) * 60;
    let current = RwSignal::new((Arc::new(PanelData::default()), false));
    let visible = RwSignal::new(false);
    let drawn = RwSignal::new(false);
    let root = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = root.get() {
            lazy::observe(&el, visible);
        }
    });
    if needs_data {
        let sink = Sink {
            out: current,
            drawn,
            panel_id: panel.id,
        };
        run_queries(
            signals,
            panel.clone(),
            scope.clone(),
            width_px,
            visible,
            sink,
        );
    } else {
        Effect::new(move |_| {
            if visible.get() {
                drawn.set(true);
            }
        });
    }
    let data: DataMemo = Memo::new(move |_| current.get());
    let kind = panel.kind.clone();
    let state = Memo::new(move |_| data.with(|(d, loaded)| state_of(&kind, d, *loaded)));
    let errors = move || data.with(|(d, _)| d.errors.join("\n"));
    let title = panel.title.clone();
    let shown_title = {
        let (title, scope) = (title.clone(), scope.clone());
        move || {
            let vars = variables::with_scope(variables::current(&signals), &scope);
            interpolate(&title, &vars, &MacroValues::plausible())
        }
    };
    let body = panel_body(panel.clone(), data);
    // Grafana's no-data view replaces a chart's or table's body; the body stays mounted
    // (hidden) so it keeps its size and state for the next data.
    let no_data_text = {
        let panel = panel.clone();
        Memo::new(move |_| {
            data.with(|(d, loaded)| {
                loaded
                    .then(|| {
                        signalboard_render::panel_svg::no_data_message(&panel, &series_refs(d))
                    })
                    .flatten()
            })
        })
    };
    let padding = if signalboard_render::panel_svg::no_padding(&panel.kind) {
        "panel-body no-padding"
    } else {
        "panel-body"
    };
    // Grafana draws nothing until a panel's first data (`skipFirstRender`): a stat showing
    // "No data" in its base colour for that moment would say "broken" on a healthy dashboard.
    let first_load = move || state.get() == "loading";
    let body_class = move || {
        if first_load() {
            format!("{padding} first-load")
        } else if no_data_text.with(Option::is_some) {
            format!("{padding} no-data")
        } else {
            padding.to_string()
        }
    };
    let no_data = move || {
        no_data_text
            .get()
            .map(|text| view! { <div class="panel-message no-data" data-no-data="">{text}</div> })
    };
    let view_button = view_key.map(|key| {
        view! {
            <button class="panel-view-button" data-testid="view-panel" title="View full-screen (Esc returns)"
                on:click=move |_| crate::dashboard_view::view_panel(signals, Some(key.clone()))>"⤢"</button>
        }
    });
    view! {
        <div class=if panel.transparent { "panel transparent" } else { "panel" } node_ref=root data-panel-id=panel.id data-panel-type=panel.kind.grafana_type().to_string()
            data-panel-title=title.clone() data-state=state data-drawn=move || drawn.get().to_string()>
            <Show when=first_load>
                <div class="panel-loading-bar" data-loading=""></div>
            </Show>
            <div class="panel-header">
                <Show when=move || !errors().is_empty()>
                    <span class="panel-error-icon" title=errors>"⚠"</span>
                </Show>
                <span class="panel-title" title=panel.description.clone()>{shown_title}</span>
                <span class="spacer"></span>
                {move || data.with(|(d, _)| d.history_start_ms).map(|since| {
                    let msg = format!(
                        "This browser holds data since {}: the time range starts earlier, so the \
                         panel shows only part of it. Keep the page open, or use a Prometheus \
                         datasource for history.",
                        clock(since)
                    );
                    // A glyph, not text: every panel of a dashboard opened in a fresh
                    // browser has it, and text crowded small panels' titles to one letter
                    // (the dashboard says it once in words, see `dashboard_view`).
                    view! { <span class="panel-partial" data-partial-range=since title=msg.clone()
                        aria-label=msg>"◷"</span> }
                })}
                {view_button}
            </div>
            <div class=body_class>
                {body}
                {no_data}
                <Show when=move || data.with(|(d, _)| !d.errors.is_empty() && d.series.is_empty())>
                    <div class="panel-message error" data-panel-error="">{errors}</div>
                </Show>
            </div>
        </div>
    }
}

type DataMemo = Memo<(Arc<PanelData>, bool)>;

/// Borrowed views of a panel's series, the input of the shared renderers (heatmap, table).
fn series_refs(data: &PanelData) -> Vec<signalboard_render::series::SeriesRef<'_>> {
    data.series
        .iter()
        .map(|s| signalboard_render::series::SeriesRef {
            name: &s.name,
            ref_id: &s.ref_id,
            labels: &s.labels,
            ts: &s.ts,
            vs: &s.vs,
        })
        .collect()
}

/// The local wall-clock time now, `HH:MM:SS`.
pub fn clock_now() -> String {
    clock(crate::engine::now_ms() as i64)
}

/// Local wall-clock time `HH:MM:SS` of a Unix ms timestamp.
pub fn clock(ms: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!(
        "{:02}:{:02}:{:02}",
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds()
    )
}

/// Where a panel's query results go: its data, and the draw log once it has drawn them.
#[derive(Clone, Copy)]
struct Sink {
    out: RwSignal<(Arc<PanelData>, bool)>,
    drawn: RwSignal<bool>,
    panel_id: u64,
}

impl Sink {
    fn set(self, data: PanelData, version: u64) {
        if self.out.try_set((Arc::new(data), true)).is_none() {
            lazy::log_drawn(self.panel_id, version, self.drawn);
        }
    }
}

/// Re-runs the panel's queries into `sink` whenever their inputs change while the panel is
/// `visible`. In-browser queries run synchronously on each scrape; API queries run in a task
/// that a newer run aborts (dropping it cancels its requests), and the previous data stays
/// until the answer arrives.
fn run_queries(
    signals: AppSignals,
    panel: Arc<Panel>,
    scope: Arc<Vec<(String, String)>>,
    width_px: u32,
    visible: RwSignal<bool>,
    sink: Sink,
) {
    let out = sink.out;
    let task: StoredValue<Option<futures::future::AbortHandle>> = StoredValue::new(None);
    let abort = move || {
        if let Some(h) = task.get_value() {
            h.abort();
        }
    };
    Effect::new(move |_| {
        if !visible.get() {
            return; // queried when it scrolls into view
        }
        let tr = signals.time_range.get();
        let now = refresh_now(
            signals.refresh_tick.get_untracked(),
            signals.data_version.get_untracked(),
            &tr,
        );
        let range = tr.resolve(now);
        let vars = variables::with_scope(variables::current(&signals), &scope);
        let choice = signals.datasource.get();
        let plan = plan_panel(&panel, &vars, range, width_px, choice.as_deref());
        abort();
        if !plan.uses_api() {
            if signals.data_version.get() == 0 {
                out.set((Arc::new(PanelData::default()), false));
                return;
            }
            // Each panel evaluates and redraws in its own task (a timer turn): new data makes
            // many short tasks instead of one long one, so the page stays responsive.
            let version = signals.data_version.get_untracked();
            let (job, handle) = futures::future::abortable(async move {
                crate::scrape::sleep_ms(0).await;
                sink.set(run_browser_plan(&plan), version);
            });
            task.set_value(Some(handle));
            leptos::task::spawn_local(async move {
                let _ = job.await;
            });
            return;
        }
        signals.refresh_tick.track();
        if plan.uses_browser() {
            signals.data_version.track();
        }
        let version = signals.data_version.get_untracked();
        let (job, handle) = futures::future::abortable(async move {
            sink.set(run_plan(&plan).await, version);
        });
        task.set_value(Some(handle));
        leptos::task::spawn_local(async move {
            let _ = job.await;
        });
    });
    on_cleanup(abort);
}

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
        PanelKind::AlertList => view! { <alertlist::AlertListBody panel=panel /> }.into_any(),
        PanelKind::Heatmap => view! { <heatmap::HeatmapBody panel=panel data=data /> }.into_any(),
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
