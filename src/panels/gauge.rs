//! Gauge panel: Grafana's gauge layout (`signalboard_render::panel_svg::gauge_drawings`, the
//! same drawing as `signalboard-cli render`): the repeater grid of gauges in the measured
//! body, each a flot-gauge arc with the value arc in the value's colour, the threshold
//! marker ring, the value text sized to the arc and the name under it by Grafana's title
//! rule (none for a lone value). Without series, one "No data" gauge. SVG built as DOM
//! (texts are text nodes), so it needs no canvas.

use std::sync::Arc;

use leptos::prelude::*;
use signalboard_core::dashboard::Panel;
use signalboard_render::panel_svg::{gauge_drawings, PanelBody};

use super::field::{color_attr, current_theme, value_attr};
use super::size::element_size;
use super::{series_refs, DataMemo};

#[component]
pub fn GaugeBody(panel: Arc<Panel>, data: DataMemo) -> impl IntoView {
    let body = NodeRef::<leptos::html::Div>::new();
    let size = element_size(body);
    let gauges = move || {
        let (w, h) = size.get();
        if w <= 0.0 || h <= 0.0 {
            return None;
        }
        let theme = current_theme();
        let drawings = data.with(|(d, _)| {
            let refs = series_refs(d);
            gauge_drawings(&PanelBody {
                panel: &panel,
                series: &refs,
                width: w,
                height: h,
                theme,
                utc_offset_minutes: 0,
            })
        });
        let items = drawings.into_iter().map(|g| {
            let rings = g
                .rings
                .into_iter()
                .map(|(d, fill)| view! { <path d=d fill=fill /> })
                .collect_view();
            let v = g.value;
            let idx = g.shown.threshold_index.map(|i| i.to_string());
            let title = g.title.map(|t| {
                view! {
                    <text class="gauge-name" x=t.x y=t.y dy="0.35em" text-anchor="middle"
                        font-size=t.font_px>{t.text}</text>
                }
            });
            view! {
                {rings}
                <text class="gauge-value" x=v.x y=v.y dy="0.35em" text-anchor="middle"
                    font-size=v.font_px font-weight="500" fill=v.color
                    data-value=value_attr(&g.shown) data-color=color_attr(&g.shown)
                    data-threshold-index=idx>{v.text}</text>
                {title}
            }
        });
        let view_box = format!("0 0 {w} {h}");
        Some(view! {
            <svg class="gauge" viewBox=view_box width=w height=h>{items.collect_view()}</svg>
        })
    };
    view! { <div class="gauge-body" node_ref=body>{gauges}</div> }
}
