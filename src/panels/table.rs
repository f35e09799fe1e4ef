//! Table panel: the frame `signalboard_render::table` builds (Grafana's Prometheus frames
//! after the panel's transformations: Time, label and value fields, hidden and renamed
//! columns, reduced or merged rows), one column per shown field; cells coloured by the
//! field's `custom.cellOptions` (an `applyToRow` field colours its row). Laid out like
//! Grafana 10–11's table: column widths from the measured body width by
//! `TableModel::column_widths` (a `<colgroup>` under `table-layout: fixed`; wider than the
//! panel scrolls), the `cellHeight` row pitch, rows first in `options.sortBy` order; click a
//! header to sort (ascending → descending → unsorted, an arrow shows it); a picker chooses
//! the frame when several are left. `options.footer` adds Grafana's footer row
//! (`TableModel::footer`) at the bottom of the body, kept in view while rows scroll. A frame
//! without rows keeps its header over Grafana's no-rows text. Texts are text nodes, never
//! HTML.

use std::sync::Arc;

use leptos::prelude::*;
use signalboard_core::dashboard::Panel;
use signalboard_render::table::{next_sort, table_model, CellAlign, FooterCell, TableModel};

use super::field::current_theme;
use super::size::element_size;
use super::timeseries::local_offset_minutes;
use super::{series_refs, DataMemo};

fn build(panel: &Panel, d: &crate::query::PanelData, frame: usize) -> TableModel {
    let refs = series_refs(d);
    table_model(panel, &refs, current_theme(), local_offset_minutes(), frame)
}

/// CSS of a cell: alignment plus its (or its row's) colours. Set as the `style` property
/// (CSSOM), never the attribute: a strict Content-Security-Policy blocks style attributes.
fn cell_style(
    align: CellAlign,
    colors: &signalboard_core::display::table_cell::CellColors,
) -> String {
    let mut style = match align {
        CellAlign::Left => String::new(),
        CellAlign::Center => "text-align:center;".to_string(),
        CellAlign::Right => "text-align:right;".to_string(),
    };
    if let Some(bg) = &colors.background {
        style.push_str(&format!("background:{bg};"));
    }
    if let Some(text) = &colors.text {
        style.push_str(&format!("color:{text};"));
    }
    style
}

/// The `<col>` elements of the column widths (CSS px).
fn col_views(widths: &[f64]) -> impl IntoView {
    widths
        .iter()
        .map(|w| view! { <col prop:style=format!("width:{w}px")/> })
        .collect_view()
}

#[component]
pub fn TableBody(panel: Arc<Panel>, data: DataMemo) -> impl IntoView {
    // `None`: the panel's own `options.sortBy`; `Some`: the user's header clicks.
    let sort = RwSignal::new(None::<Vec<(usize, bool)>>);
    let frame = RwSignal::new(0usize);
    let scroll = NodeRef::<leptos::html::Div>::new();
    let size = element_size(scroll);
    let shown_panel = panel.clone();
    let table = Memo::new(move |_| {
        let f = frame.get();
        data.with(|(d, _)| build(&panel, d, f))
    });
    let table_view = move || {
        let t = table.get();
        let current = sort.get().unwrap_or_else(|| t.initial_sort.clone());
        let order = t.sorted_rows(&current);
        let width = size.get().0;
        // Until the body is measured the columns share 100%.
        let widths = (width > 0.0).then(|| t.column_widths(width));
        let (table_style, cols) = match &widths {
            Some(widths) => (
                format!(
                    "width:{}px;--row-h:{}px",
                    widths.iter().sum::<f64>(),
                    t.row_height
                ),
                Some(col_views(widths)),
            ),
            None => (format!("--row-h:{}px", t.row_height), None),
        };
        let header = t.columns.iter().enumerate().map(|(i, c)| {
            let style = cell_style(c.align, &Default::default());
            let arrow = current.iter().find(|(col, _)| *col == i).map(|(_, desc)| {
                view! { <span class="sort-arrow">{if *desc { "\u{2193}" } else { "\u{2191}" }}</span> }
            });
            let sorted = current.clone();
            view! {
                <th prop:style=style on:click=move |_| sort.set(Some(next_sort(&sorted, i)))>
                    {c.header.clone()}{arrow}
                </th>
            }
        });
        let head = t
            .show_header
            .then(|| view! { <thead><tr>{header.collect_view()}</tr></thead> });
        let rows = order.into_iter().map(|r| {
            let row = t.row_colors.get(r).cloned().flatten();
            let row_colored = row.is_some();
            let cells = t.columns.iter().map(move |c| {
                let cell = c.cells.get(r).cloned();
                let text = cell.as_ref().map(|x| x.text.clone()).unwrap_or_default();
                // A coloured row paints the `<tr>` once, so a gradient spans the whole row.
                let colors = cell
                    .as_ref()
                    .filter(|_| !row_colored)
                    .map(|x| x.colors.clone())
                    .unwrap_or_default();
                let value = cell
                    .as_ref()
                    .filter(|x| !x.value.is_nan())
                    .map(|x| x.value.to_string())
                    .unwrap_or_default();
                let color = cell.and_then(|x| x.color).unwrap_or_default();
                view! { <td prop:style=cell_style(c.align, &colors) data-value=value data-color=color>{text}</td> }
            });
            let row_style = row
                .map(|colors| cell_style(CellAlign::Left, &colors))
                .unwrap_or_default();
            view! { <tr prop:style=row_style>{cells.collect_view()}</tr> }
        });
        // Grafana's footer sits at the bottom of the table's box, under any rows.
        let footer = t.footer.as_ref().map(|cells| {
            let tds = cells.iter().zip(&t.columns).map(|(cell, c)| {
                let style = cell_style(c.align, &Default::default());
                match cell {
                    FooterCell::Empty => view! { <td></td> }.into_any(),
                    FooterCell::Text(text) => {
                        view! { <td prop:style=style>{text.clone()}</td> }.into_any()
                    }
                    FooterCell::Count(n) => view! {
                        <td><span class="footer-count"><span>"Count"</span><span>{n.clone()}</span></span></td>
                    }
                    .into_any(),
                }
            });
            view! {
                <table class="data table-footer" data-table-footer="" prop:style=table_style.clone()>
                    <colgroup>{widths.as_deref().map(col_views)}</colgroup>
                    <tbody><tr>{tds.collect_view()}</tr></tbody>
                </table>
            }
        });
        // Grafana keeps the header of a frame without rows and says so below it.
        let empty = t.empty_text(&shown_panel).map(|text| {
            view! { <div class="table-empty" data-no-data="">{text}</div> }
        });
        view! {
            <div class="table-box">
                <table class="data" prop:style=table_style.clone()>
                    <colgroup>{cols}</colgroup>
                    {head}
                    <tbody>{rows.collect_view()}</tbody>
                </table>
                {empty}
                {footer}
            </div>
        }
    };
    let frames = Memo::new(move |_| table.with(|t| t.frame_count));
    let picker = move || {
        let count = frames.get();
        (count > 1).then(|| {
            let options = (0..count).map(|i| {
                view! { <option value=i.to_string() selected=move || frame.get() == i>{format!("Frame {}", i + 1)}</option> }
            });
            view! {
                <select class="table-frame" data-table-frame on:change=move |ev| {
                    if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                        sort.set(None);
                        frame.set(i);
                    }
                }>{options.collect_view()}</select>
            }
        })
    };
    view! {
        <div class="table-scroll" node_ref=scroll>{table_view}</div>
        {picker}
    }
}
