//! The time series tooltip (HTML over the chart): every visible series' value (not hidden by
//! the legend nor by `custom.hideFrom.tooltip`) at the sample
//! nearest the cursor time, in the panel's unit, next to the cursor (on its left when the
//! cursor is in the right half). With the dashboard's shared tooltip (`graphTooltip: 2`)
//! every time series panel whose chart lies wholly in the viewport shows it for the time
//! hovered in any of them (as Grafana's TooltipPlugin2 does).
//!
//! Hovering must stay within a frame with 20 panels each showing one, so the tooltip is one
//! element per panel updated in place ([`TooltipDom::show`]): its row nodes are reused and a
//! text, colour or position is written only when it differs from the last one shown (kept
//! on the Rust side: nothing in the DOM or its layout is read while hovering). A hidden
//! tooltip carries the `hidden` attribute; a shown one `data-tooltip` (rows: `data-row`).
//! Like Grafana's, it starts with the hovered sample's time (`data-tooltip-time`, local
//! `YYYY-MM-DD HH:MM:SS`), a node whose text is written only when that time changes.

use std::sync::Arc;

use leptos::html::Div;
use leptos::prelude::*;
use signalboard_core::dashboard::Panel;
use signalboard_core::display::colors::Theme;
use wasm_bindgen::JsCast;

use super::super::field::effective_config;
use super::super::DataMemo;
use super::{fmt, series_color, Geometry};

/// One tooltip line: series name, formatted value, colour.
pub type TooltipRow = (String, String, String);

/// The tooltip's lines and the time of the hovered sample (the first listed series').
#[derive(Clone, Debug, PartialEq, Default)]
pub struct TooltipRows {
    time_ms: Option<f64>,
    rows: Vec<TooltipRow>,
}

/// Where the tooltip is (CSS px in the chart area; `x` is the cursor's) and what it lists.
#[derive(Clone, Debug, PartialEq)]
pub struct TooltipAt {
    x: f64,
    y: f64,
    /// Shown left of `x` (the cursor is in the plot's right half).
    left_of_cursor: bool,
    /// The chart area's width, for placing it left of the cursor.
    width: f64,
    rows: Vec<TooltipRow>,
    /// The header: the hovered sample's local date and time.
    time: String,
}

impl TooltipAt {
    pub fn new(x: f64, y: f64, geo: &Geometry, rows: TooltipRows) -> Self {
        Self {
            x,
            y,
            left_of_cursor: x > geo.left + geo.plot_w / 2.0,
            width: geo.left + geo.plot_w,
            rows: rows.rows,
            time: rows.time_ms.map(date_time).unwrap_or_default(),
        }
    }

    /// Its `transform` (the element sits at the top left of the cursor element, which is
    /// at `x`): only `y` or the side change it, not a move along the time axis. Left of the
    /// cursor it is shifted by its own width (`-100%`), its right edge kept within the plot.
    fn transform(&self) -> String {
        let top = self.y + 12.0;
        if self.left_of_cursor {
            let right = (self.x - 12.0).min(self.width) - self.x;
            format!("translate(calc({right}px - 100%), {top}px)")
        } else {
            format!("translate(12px, {top}px)")
        }
    }
}

/// Local `YYYY-MM-DD HH:MM:SS` of a Unix ms timestamp (Grafana's tooltip header format).
fn date_time(ms: f64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds()
    )
}

/// What the tooltip needs of each series' field config: `None` when hidden from the tooltip
/// (`custom.hideFrom.tooltip`), else its colour and decimals. Worked out once per data or
/// theme change ([`SeriesStyles::new`]), not per mousemove: with a shared tooltip every
/// panel lists its series on each move.
pub type SeriesStyles = Memo<Vec<Option<(String, Option<u32>)>>>;

/// The [`SeriesStyles`] of `panel`'s series in `data`.
pub fn series_styles(panel: Arc<Panel>, data: DataMemo, theme: RwSignal<Theme>) -> SeriesStyles {
    Memo::new(move |_| {
        let theme = theme.get();
        data.with(|(d, _)| {
            d.series
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let cfg = effective_config(&panel, s);
                    (!cfg.custom.hide_from.is_some_and(|h| h.tooltip))
                        .then(|| (series_color(&cfg, i, &s.name, theme), cfg.decimals))
                })
                .collect()
        })
    })
}

/// The visible series' values nearest time `t`, and the time of the first one's sample.
pub fn rows_at(
    styles: SeriesStyles,
    data: DataMemo,
    hidden: &[usize],
    unit: &str,
    t: f64,
) -> TooltipRows {
    styles.with_untracked(|styles| {
        data.with_untracked(|(d, _)| {
            let mut time_ms = None;
            let rows = d
                .series
                .iter()
                .enumerate()
                .filter(|(i, _)| !hidden.contains(i))
                .filter_map(|(i, s)| {
                    let (color, decimals) = styles.get(i)?.as_ref()?;
                    let idx = nearest(&s.ts, t)?;
                    let v = *s.vs.get(idx)?;
                    time_ms = time_ms.or_else(|| s.ts.get(idx).copied());
                    Some((s.name.clone(), fmt(v, unit, *decimals), color.clone()))
                })
                .collect();
            TooltipRows { time_ms, rows }
        })
    })
}

/// Index of the sample closest in time to `t` (binary search; ts is sorted).
fn nearest(ts: &[f64], t: f64) -> Option<usize> {
    if ts.is_empty() {
        return None;
    }
    let i = ts.partition_point(|x| *x < t);
    let prev = i.checked_sub(1);
    match (prev, ts.get(i)) {
        (Some(p), Some(next)) => {
            let pv = ts.get(p).copied().unwrap_or(f64::NEG_INFINITY);
            Some(if (t - pv).abs() <= (next - t).abs() {
                p
            } else {
                i
            })
        }
        (Some(p), None) => Some(p),
        (None, Some(_)) => Some(i),
        (None, None) => None,
    }
}

/// The DOM nodes of one shown row; texts are written into their text nodes (`data`), which
/// the browser re-lays out without replacing a node as `textContent` would.
struct RowNodes {
    row: web_sys::Element,
    swatch: web_sys::HtmlElement,
    name: web_sys::Text,
    value: web_sys::Text,
}

/// What the tooltip element shows now, so an update writes only the differences.
#[derive(Default)]
struct Shown {
    visible: bool,
    transform: String,
    /// The header's text node (created on first show, kept first) and its text.
    time: Option<(web_sys::Text, String)>,
    rows: Vec<(RowNodes, TooltipRow)>,
}

/// A panel's tooltip element and what it shows; see module docs.
#[derive(Clone, Copy)]
pub struct TooltipDom {
    node: NodeRef<Div>,
    shown: StoredValue<Shown, LocalStorage>,
}

impl TooltipDom {
    pub fn new() -> Self {
        Self {
            node: NodeRef::new(),
            shown: StoredValue::new_local(Shown::default()),
        }
    }

    /// Shows `at` (hides the tooltip for `None` or no rows), writing only what changed.
    pub fn show(&self, at: Option<&TooltipAt>) {
        let Some(el) = self.node.get_untracked() else {
            return;
        };
        let el: &web_sys::HtmlElement = &el;
        let _ = self.shown.try_update_value(|shown| match at {
            Some(at) if !at.rows.is_empty() => update(el, shown, at),
            _ => {
                if shown.visible {
                    shown.visible = false;
                    el.set_hidden(true);
                    let _ = el.remove_attribute("data-tooltip");
                }
            }
        });
    }
}

fn update(el: &web_sys::HtmlElement, shown: &mut Shown, at: &TooltipAt) {
    let transform = at.transform();
    if shown.transform != transform {
        let _ = el.style().set_property("transform", &transform);
        shown.transform = transform;
    }
    match &mut shown.time {
        Some((node, text)) => {
            if *text != at.time {
                node.set_data(&at.time);
                text.clone_from(&at.time);
            }
        }
        None => shown.time = new_header(el, &at.time).map(|node| (node, at.time.clone())),
    }
    for (i, row) in at.rows.iter().enumerate() {
        match shown.rows.get_mut(i) {
            Some((nodes, old)) => {
                if old.0 != row.0 {
                    nodes.name.set_data(&format!("{}: ", row.0));
                }
                if old.1 != row.1 {
                    nodes.value.set_data(&row.1);
                }
                if old.2 != row.2 {
                    let _ = nodes.swatch.style().set_property("background", &row.2);
                }
                if old != row {
                    *old = row.clone();
                }
            }
            None => {
                if let Some(nodes) = new_row(el, row) {
                    shown.rows.push((nodes, row.clone()));
                }
            }
        }
    }
    for (nodes, _) in shown.rows.drain(at.rows.len().min(shown.rows.len())..) {
        nodes.row.remove();
    }
    if !shown.visible {
        shown.visible = true;
        let _ = el.set_attribute("data-tooltip", "");
        el.set_hidden(false);
    }
}

/// Appends the time header (`<div class=tooltip-time data-tooltip-time>`); rows follow it.
/// Returns its text node.
fn new_header(el: &web_sys::HtmlElement, time: &str) -> Option<web_sys::Text> {
    let doc = el.owner_document()?;
    let node = doc.create_element("div").ok()?;
    node.set_class_name("tooltip-time");
    let _ = node.set_attribute("data-tooltip-time", "");
    let text = doc.create_text_node(time);
    node.append_child(&text).ok()?;
    el.append_child(&node).ok()?;
    Some(text)
}

/// Appends a row (`<div data-row><span class=swatch></span><span>name: </span><b>value</b>`).
fn new_row(el: &web_sys::HtmlElement, (name, value, color): &TooltipRow) -> Option<RowNodes> {
    let doc = el.owner_document()?;
    let row = doc.create_element("div").ok()?;
    let _ = row.set_attribute("data-row", "");
    let swatch: web_sys::HtmlElement = doc.create_element("span").ok()?.dyn_into().ok()?;
    swatch.set_class_name("swatch");
    let _ = swatch.style().set_property("background", color);
    let name_node = doc.create_element("span").ok()?;
    let name_text = doc.create_text_node(&format!("{name}: "));
    name_node.append_child(&name_text).ok()?;
    let value_node = doc.create_element("b").ok()?;
    let value_text = doc.create_text_node(value);
    value_node.append_child(&value_text).ok()?;
    for child in [&swatch as &web_sys::Element, &name_node, &value_node] {
        row.append_child(child).ok()?;
    }
    el.append_child(&row).ok()?;
    Some(RowNodes {
        row,
        swatch,
        name: name_text,
        value: value_text,
    })
}

/// The (initially hidden) tooltip element of `dom`.
#[component]
pub fn Tooltip(dom: TooltipDom) -> impl IntoView {
    view! { <div class="tooltip" hidden=true node_ref=dom.node></div> }
}
