//! Heatmap panel for Prometheus histogram buckets (`format: heatmap`): drawn by
//! `signalboard-render`'s heatmap (the same code as `signalboard-cli render`) with
//! plotters on one canvas sized for devicePixelRatio — one row per bucket, cells coloured
//! from the panel's scheme, local-time x axis. Cells carry no DOM; `data-heatmap-rows` and
//! `data-heatmap-cells` count what was drawn.

use std::sync::Arc;

use leptos::prelude::*;
use signalboard_core::dashboard::Panel;
use signalboard_core::display::Theme;
use signalboard_render::heatmap::{draw_heatmap, HeatmapDrawn, HeatmapSpec};
use web_sys::HtmlCanvasElement;

use super::field::current_theme;
use super::timeseries::{local_offset_minutes, with_plotters};
use super::{series_refs, DataMemo};
use crate::query::PanelData;

fn draw(canvas: &HtmlCanvasElement, panel: &Panel, data: &PanelData, theme: Theme) -> HeatmapDrawn {
    let spec = HeatmapSpec {
        start_ms: data.start_ms as f64,
        end_ms: data.end_ms as f64,
        theme,
        utc_offset_minutes: local_offset_minutes(),
        background: false,
    };
    let series = series_refs(data);
    with_plotters(canvas, |area, surface| {
        draw_heatmap(area, surface, panel, &series, &spec)
    })
    .and_then(Result::ok)
    .unwrap_or_default()
}

#[component]
pub fn HeatmapBody(panel: Arc<Panel>, data: DataMemo) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let drawn = RwSignal::new(HeatmapDrawn::default());
    let redraw = {
        let panel = panel.clone();
        move || {
            if let Some(c) = canvas.get_untracked() {
                let d = data.with_untracked(|(d, _)| d.clone());
                drawn.set(draw(&c, &panel, &d, current_theme()));
            }
        }
    };
    Effect::new(move |_| {
        let (d, _) = data.get();
        if let Some(c) = canvas.get() {
            drawn.set(draw(&c, &panel, &d, current_theme()));
        }
    });
    // The canvas is pinned to its drawn size (`with_plotters`): follow the window's size.
    let resize = window_event_listener(leptos::ev::resize, move |_| redraw());
    on_cleanup(move || resize.remove());
    view! {
        <div class="heatmap" data-heatmap-rows=move || drawn.get().rows.to_string()
            data-heatmap-cells=move || drawn.get().cells.to_string()>
            <canvas class="chart" node_ref=canvas></canvas>
        </div>
    }
}
