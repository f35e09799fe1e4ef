//! Stat panel: one reduced value per series in a grid, coloured by thresholds (text or
//! background), with an optional area sparkline. Values carry `data-value`, `data-color`
//! and `data-threshold-index` for automation.

use std::sync::Arc;

use leptos::prelude::*;
use signalboard_core::dashboard::{
    GraphMode, Panel, PanelOptions, StatColorMode, StatOptions, StatTextMode,
};

use super::field::{color_attr, current_theme, display, effective_config, reduce, value_attr};
use super::timeseries::draw_sparkline;
use super::DataMemo;
use signalboard_core::display::big_value;
use signalboard_core::display::display::DisplayValue;

#[derive(Clone, PartialEq)]
struct Cell {
    name: String,
    shown: DisplayValue,
    ts: Vec<f64>,
    vs: Vec<f64>,
}

fn stat_options(panel: &Panel) -> StatOptions {
    match &panel.options {
        PanelOptions::Stat(o) => o.clone(),
        _ => StatOptions::default(),
    }
}

/// Grafana shows "No data" where a value has no text (and no `noValue` is configured).
fn no_data_if_empty(text: String) -> String {
    if text.trim().is_empty() {
        "No data".into()
    } else {
        text
    }
}

fn cells(panel: &Panel, data: &crate::query::PanelData) -> Vec<Cell> {
    let opts = stat_options(panel);
    let calc = opts
        .reduce
        .calcs
        .first()
        .map(String::as_str)
        .unwrap_or("lastNotNull");
    if data.series.is_empty() {
        let cfg = &panel.field_config.defaults;
        return vec![Cell {
            name: String::new(),
            shown: display(None, cfg, 0),
            ts: vec![],
            vs: vec![],
        }];
    }
    data.series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let cfg = effective_config(panel, s);
            let name = cfg.display_name.clone().unwrap_or_else(|| s.name.clone());
            Cell {
                name,
                shown: display(reduce(s, calc), &cfg, i),
                ts: s.ts.clone(),
                vs: s.vs.clone(),
            }
        })
        .collect()
}

#[component]
pub fn StatBody(panel: Arc<Panel>, data: DataMemo) -> impl IntoView {
    let opts = stat_options(&panel);
    let p = panel.clone();
    let list = Memo::new(move |_| data.with(|(d, _)| cells(&p, d)));
    view! {
        <div class="stat-grid">
            {move || {
                let cells = list.get();
                let multi = cells.len() > 1;
                cells.into_iter().map(|c| stat_cell(c, &opts, multi)).collect_view()
            }}
        </div>
    }
}

fn stat_cell(c: Cell, opts: &StatOptions, multi: bool) -> impl IntoView {
    let background = matches!(
        opts.color_mode,
        StatColorMode::Background | StatColorMode::BackgroundSolid
    );
    // Grafana's big-value colours in the current theme: gradient or solid background, text
    // readable on it, the theme's text colour for `none`.
    let (mode, theme) = (
        big_value::StatColorMode::parse(opts.color_mode.as_str()),
        current_theme(),
    );
    let cell_style = big_value::stat_background(&c.shown.color, mode, theme)
        .filter(|_| background)
        .map(|bg| format!("background:{bg}"))
        .unwrap_or_default();
    let value_style = format!(
        "color:{}",
        big_value::stat_text_color(&c.shown.color, mode, theme)
    );
    let show_name = match opts.text_mode {
        StatTextMode::ValueAndName | StatTextMode::Name => true,
        StatTextMode::Auto => multi,
        _ => false,
    };
    let show_value = !matches!(opts.text_mode, StatTextMode::Name | StatTextMode::None);
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    if matches!(opts.graph_mode, GraphMode::Area) && c.vs.len() > 1 {
        let (ts, vs, color) = (c.ts.clone(), c.vs.clone(), c.shown.color.clone());
        Effect::new(move |_| {
            if let Some(el) = canvas.get() {
                draw_sparkline(&el, &ts, &vs, &color, background);
            }
        });
    }
    let threshold_index = c.shown.threshold_index.map(|i| i.to_string());
    let value = value_attr(&c.shown);
    view! {
        <div class="stat-cell" prop:style=cell_style data-stat-name=c.name.clone()>
            <canvas node_ref=canvas></canvas>
            {show_value.then(|| view! {
                <span class="stat-value" prop:style=value_style data-value=value
                    data-color=color_attr(&c.shown) data-threshold-index=threshold_index>
                    {no_data_if_empty(c.shown.full_text())}
                </span>
            })}
            {show_name.then(|| view! { <span class="stat-name">{c.name.clone()}</span> })}
        </div>
    }
}
