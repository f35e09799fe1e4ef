//! Stat panel: one reduced value per series, laid out like Grafana's stat — the panel's
//! `VizRepeater` grid (`signalboard-display`'s `repeater_cells`) and per value
//! `BigValueLayout` (`stat_layout`: text mode, value and title font sizes that fit the cell's
//! width and height, the sparkline's share of the cell), from the body's measured size.
//! Coloured by thresholds (text or background); the title follows Grafana's rule
//! (`field::value_title`: none for a lone value). Values carry `data-value`, `data-color`
//! and `data-threshold-index`, cells `data-stat-name` (the series' display name) for
//! automation.

use std::cell::RefCell;
use std::sync::Arc;

use leptos::prelude::*;
use signalboard_core::dashboard::{
    GraphMode, Panel, PanelOptions, StatColorMode, StatOptions, StatTextMode,
};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::field::{
    color_attr, current_theme, display, effective_config, reduce, value_attr, value_title,
};
use super::size::element_size;
use super::timeseries::draw_sparkline;
use super::DataMemo;
use signalboard_core::display::big_value;
use signalboard_core::display::display::DisplayValue;
use signalboard_core::display::repeater::{repeater_cells, Cell as Rect, RepeaterOptions};
use signalboard_core::display::stat_layout::{
    approx_width_14px, stat_layout, LayoutKind, StatInput, TextMode,
};

/// The app's font stack (style/main.css), for measuring texts as they are drawn.
const FONT_STACK: &str = "Inter, \"Helvetica Neue\", Arial, sans-serif";

#[derive(Clone, PartialEq)]
struct Cell {
    /// The series' display name (`data-stat-name`).
    name: String,
    /// The title Grafana shows with the value, if any.
    title: Option<String>,
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
            title: cfg.display_name.clone(),
            shown: display(None, cfg, 0),
            ts: vec![],
            vs: vec![],
        }];
    }
    let count = data.series.len();
    data.series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let cfg = effective_config(panel, s);
            Cell {
                name: cfg.display_name.clone().unwrap_or_else(|| s.name.clone()),
                title: value_title(panel, count, &cfg, s),
                shown: display(reduce(s, calc), &cfg, i),
                ts: s.ts.clone(),
                vs: s.vs.clone(),
            }
        })
        .collect()
}

thread_local! {
    static MEASURE: RefCell<Option<CanvasRenderingContext2d>> = const { RefCell::new(None) };
}

/// Width of `text` at 14 px in the app's font (canvas `measureText`), the character-class
/// estimate when no canvas is available.
fn width_14px(text: &str, weight: u32) -> f64 {
    MEASURE.with(|m| {
        let mut slot = m.borrow_mut();
        if slot.is_none() {
            *slot = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.create_element("canvas").ok())
                .and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok())
                .and_then(|c| c.get_context("2d").ok().flatten())
                .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok());
        }
        match slot.as_ref() {
            Some(ctx) => {
                ctx.set_font(&format!("{weight} 14px {FONT_STACK}"));
                ctx.measure_text(text)
                    .map(|m| m.width())
                    .unwrap_or_else(|_| approx_width_14px(text, weight))
            }
            None => approx_width_14px(text, weight),
        }
    })
}

#[component]
pub fn StatBody(panel: Arc<Panel>, data: DataMemo) -> impl IntoView {
    let opts = stat_options(&panel);
    let p = panel.clone();
    let list = Memo::new(move |_| data.with(|(d, _)| cells(&p, d)));
    let grid = NodeRef::<leptos::html::Div>::new();
    let size = element_size(grid);
    view! {
        <div class="stat-grid" node_ref=grid>
            {move || {
                let (w, h) = size.get();
                let cells = list.get();
                if w <= 0.0 || h <= 0.0 {
                    return Vec::new();
                }
                let count = cells.len();
                let rects = repeater_cells(count, w, h, &RepeaterOptions::default());
                cells
                    .into_iter()
                    .zip(rects)
                    .map(|(c, r)| stat_cell(c, r, &opts, count).into_any())
                    .collect::<Vec<_>>()
            }}
        </div>
    }
}

fn stat_cell(c: Cell, rect: Rect, opts: &StatOptions, count: usize) -> impl IntoView {
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
    let has_sparkline = matches!(opts.graph_mode, GraphMode::Area)
        && c.vs.iter().filter(|v| v.is_finite()).count() > 1;
    let value_text = no_data_if_empty(c.shown.full_text());
    let layout = stat_layout(
        &StatInput {
            width: rect.width,
            height: rect.height,
            title: c.title.as_deref(),
            value_text: &value_text,
            text_mode: TextMode::parse(opts.text_mode.as_str()),
            count,
            has_sparkline,
            justify_center: opts.justify_mode == "center",
            ..StatInput::default()
        },
        width_14px,
    );
    let wide = matches!(
        layout.kind,
        LayoutKind::WideNoChart | LayoutKind::WideWithChart
    );
    let chart = has_sparkline && layout.chart_height > 0.0;
    let mut cell_style = format!(
        "left:{:.1}px;top:{:.1}px;width:{:.1}px;height:{:.1}px;padding:{}px;\
         flex-direction:{};justify-content:{};align-items:{}",
        rect.x,
        rect.y,
        rect.width,
        rect.height,
        layout.padding,
        if wide { "row" } else { "column" },
        match (wide, layout.justify_center, chart) {
            (true, true, _) => "center",
            (true, false, _) => "space-between",
            (false, _, true) => "flex-start",
            (false, _, false) => "center",
        },
        match (wide, layout.justify_center, chart) {
            (true, _, true) => "flex-start",
            (true, _, false) | (false, true, _) => "center",
            (false, false, _) => "flex-start",
        },
    );
    if let Some(bg) = big_value::stat_background(&c.shown.color, mode, theme).filter(|_| background)
    {
        cell_style.push_str(&format!(";background:{bg}"));
    }
    let value_style = format!(
        "color:{};font-size:{:.1}px",
        big_value::stat_text_color(&c.shown.color, mode, theme),
        layout.value_font_px
    );
    let title_style = format!("font-size:{:.1}px", layout.title_font_px);
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    if chart {
        let (ts, vs, color) = (c.ts.clone(), c.vs.clone(), c.shown.color.clone());
        Effect::new(move |_| {
            if let Some(el) = canvas.get() {
                draw_sparkline(&el, &ts, &vs, &color, background);
            }
        });
    }
    let canvas_style = format!(
        "width:{:.1}px;height:{:.1}px",
        layout.chart_width, layout.chart_height
    );
    let show_value = !matches!(opts.text_mode, StatTextMode::Name | StatTextMode::None);
    let threshold_index = c.shown.threshold_index.map(|i| i.to_string());
    let value = value_attr(&c.shown);
    let title = layout.title.filter(|t| !t.is_empty());
    view! {
        <div class="stat-cell" prop:style=cell_style data-stat-name=c.name.clone()>
            {chart.then(|| view! { <canvas node_ref=canvas prop:style=canvas_style></canvas> })}
            {title.map(|t| view! { <span class="stat-name" prop:style=title_style>{t}</span> })}
            {if show_value {
                view! {
                    <span class="stat-value" prop:style=value_style data-value=value
                        data-color=color_attr(&c.shown) data-threshold-index=threshold_index>
                        {layout.text}
                    </span>
                }.into_any()
            } else {
                view! { <span class="stat-value" prop:style=value_style>{layout.text}</span> }.into_any()
            }}
        </div>
    }
}
