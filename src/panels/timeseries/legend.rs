//! The time series legend (HTML, not canvas): one entry per series with its colour swatch,
//! display name and the legend calcs (`options.legend.calcs`, Grafana reducer ids) formatted
//! in the field's unit. Click isolates a series (clicking the isolated one again shows all),
//! ctrl/cmd-click toggles one; the hidden set is shared with the chart, which redraws when it
//! changes. `showLegend: false` renders nothing.

use std::sync::Arc;

use leptos::prelude::*;
use signalboard_core::dashboard::Panel;

use super::super::field::{effective_config, reduce};
use super::super::DataMemo;
use super::{fmt, series_color};

/// Legend entry: name, colour, and the legend calcs' formatted values.
#[derive(Clone, PartialEq)]
pub struct LegendItem {
    pub index: usize,
    pub name: String,
    pub color: String,
    pub calcs: Vec<String>,
}

/// The legend entries of the panel's current data.
pub fn legend_items(
    panel: Arc<Panel>,
    data: DataMemo,
    calcs: Vec<String>,
) -> Memo<Vec<LegendItem>> {
    Memo::new(move |_| {
        data.with(|(d, _)| {
            d.series
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let cfg = effective_config(&panel, s);
                    let unit = cfg.unit.clone().unwrap_or_default();
                    let calcs = calcs
                        .iter()
                        .map(|c| {
                            let v = reduce(s, c)
                                .map(|v| fmt(v, &unit, cfg.decimals))
                                .unwrap_or_else(|| "-".into());
                            format!("{c}: {v}")
                        })
                        .collect();
                    LegendItem {
                        index: i,
                        name: cfg.display_name.clone().unwrap_or_else(|| s.name.clone()),
                        color: series_color(&cfg, i, &s.name),
                        calcs,
                    }
                })
                .collect::<Vec<_>>()
        })
    })
}

/// Grafana's legend click: isolate `index`, or with `toggle` (ctrl/cmd) flip it alone.
fn click(hidden: &mut Vec<usize>, index: usize, count: usize, toggle: bool) {
    if toggle {
        if let Some(pos) = hidden.iter().position(|x| *x == index) {
            hidden.remove(pos);
        } else {
            hidden.push(index);
        }
    } else if hidden.len() == count.saturating_sub(1) && !hidden.contains(&index) {
        hidden.clear(); // clicking the isolated series again shows all
    } else {
        *hidden = (0..count).filter(|i| *i != index).collect();
    }
}

#[component]
pub fn Legend(
    items: Memo<Vec<LegendItem>>,
    hidden: RwSignal<Vec<usize>>,
    show: bool,
) -> impl IntoView {
    let on_click = move |index: usize, ev: leptos::ev::MouseEvent| {
        let count = items.with_untracked(|l| l.len());
        hidden.update(|h| click(h, index, count, ev.ctrl_key() || ev.meta_key()));
    };
    view! {
        <Show when=move || show>
            <div class="legend">
                {move || items.get().into_iter().map(|item| {
                    let i = item.index;
                    let class = move || if hidden.get().contains(&i) { "item hidden" } else { "item" };
                    view! {
                        <span class=class data-legend=item.name.clone() on:click=move |ev| on_click(i, ev)>
                            <span class="swatch" prop:style=format!("background:{}", item.color)></span>
                            {item.name.clone()}
                            {item.calcs.iter().map(|c| view! { <span class="hint">" "{c.clone()}</span> }).collect_view()}
                        </span>
                    }
                }).collect_view()}
            </div>
        </Show>
    }
}
