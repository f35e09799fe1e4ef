//! Bar gauge panel: one bar per series, horizontal (default) or vertical, basic / gradient /
//! lcd looks, filled to the reduced value on the min..max scale in the threshold colour.
//! A bar's name follows Grafana's title rule (`field::value_title`: none for a lone bar).

use std::sync::Arc;

use leptos::prelude::*;
use signalboard_core::dashboard::{
    BarGaugeDisplayMode, BarGaugeOptions, Orientation, Panel, PanelOptions,
};

use super::field::{
    color_attr, current_theme, display, effective_config, reduce, value_attr, value_title,
};
use super::gauge::scale;
use super::DataMemo;
use signalboard_render::panel_svg::no_values_display;

fn options(panel: &Panel) -> BarGaugeOptions {
    match &panel.options {
        PanelOptions::BarGauge(o) => o.clone(),
        _ => BarGaugeOptions::default(),
    }
}

#[component]
pub fn BarGaugeBody(panel: Arc<Panel>, data: DataMemo) -> impl IntoView {
    let opts = options(&panel);
    let calc = opts
        .reduce
        .calcs
        .first()
        .cloned()
        .unwrap_or_else(|| "lastNotNull".into());
    let vertical = matches!(opts.orientation, Orientation::Vertical);
    let mode = opts.display_mode.clone();
    let wrap_style = if vertical {
        "flex-direction:row;align-items:flex-end"
    } else {
        ""
    };
    move || {
        let p = panel.clone();
        let mode = mode.clone();
        let bars = data.with(|(d, _)| {
            if d.series.is_empty() {
                // Grafana's one "No data" value (its null text, if any), an empty bar.
                let cfg = &p.field_config.defaults;
                return vec![(None, no_values_display(cfg, current_theme()), 0.0)];
            }
            let count = d.series.len();
            d.series
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let cfg = effective_config(&p, s);
                    let value = reduce(s, &calc);
                    let (min, max) = scale(&cfg);
                    let frac = value
                        .map(|v| ((v - min) / (max - min)).clamp(0.0, 1.0))
                        .unwrap_or(0.0);
                    let name = value_title(&p, count, &cfg, s);
                    (name, display(value, &cfg, i), frac)
                })
                .collect::<Vec<_>>()
        });
        let rows = bars.into_iter().map(|(name, shown, frac)| {
            let fill = match mode {
                BarGaugeDisplayMode::Gradient => format!("linear-gradient(90deg, {}33, {})", shown.color, shown.color),
                BarGaugeDisplayMode::Lcd => format!(
                    "repeating-linear-gradient(90deg, {} 0 6px, transparent 6px 8px)", shown.color
                ),
                _ => shown.color.clone(),
            };
            let style = format!("width:{:.2}%;background:{fill}", frac * 100.0);
            let idx = shown.threshold_index.map(|i| i.to_string());
            view! {
                <div class="bar-row">
                    {name.map(|name| { let text = name.clone(); view! { <span class="bar-name" title=name>{text}</span> } })}
                    <div class="bar-track"><div class="bar-fill" prop:style=style></div></div>
                    <span class="bar-value" prop:style=format!("color:{}", shown.color)
                        data-value=value_attr(&shown)
                        data-color=color_attr(&shown) data-threshold-index=idx>{shown.full_text()}</span>
                </div>
            }
        });
        view! { <div class="bargauge-wrap" prop:style=wrap_style>{rows.collect_view()}</div> }
    }
}
