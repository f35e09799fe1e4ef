//! Table panel: one row per series (instant value, or the last value of a range result), one
//! column per label plus `Value`; click a header to sort; value cells coloured by thresholds
//! when the field's cell type asks for it. Label values are text nodes, never HTML.

use std::sync::Arc;

use leptos::prelude::*;
use signalboard_core::dashboard::Panel;

use super::field::{color_attr, display, effective_config};
use super::DataMemo;

#[derive(Clone, Debug, PartialEq)]
struct Table {
    columns: Vec<String>,
    rows: Vec<(Vec<String>, Option<f64>, String, String)>,
}

fn build(panel: &Panel, d: &crate::query::PanelData) -> Table {
    let mut columns: Vec<String> = Vec::new();
    for s in &d.series {
        for (k, _) in &s.labels {
            if !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    columns.sort();
    let rows = d
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let cells = columns
                .iter()
                .map(|c| {
                    s.labels
                        .iter()
                        .find(|(k, _)| k == c)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default()
                })
                .collect();
            let v = s.vs.iter().rev().find(|v| !v.is_nan()).copied();
            let cfg = effective_config(panel, s);
            let shown = display(v, &cfg, i);
            (cells, v, shown.full_text(), color_attr(&shown))
        })
        .collect();
    Table { columns, rows }
}

#[component]
pub fn TableBody(panel: Arc<Panel>, data: DataMemo) -> impl IntoView {
    let sort = RwSignal::new(None::<(usize, bool)>);
    let colored = panel
        .field_config
        .defaults
        .custom
        .cell_type
        .as_deref()
        .is_some_and(|c| c.contains("color"));
    let table = Memo::new(move |_| data.with(|(d, _)| build(&panel, d)));
    move || {
        let mut t = table.get();
        if let Some((col, desc)) = sort.get() {
            t.rows.sort_by(|a, b| {
                let ord = if col == t.columns.len() {
                    a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal)
                } else {
                    a.0.get(col).cmp(&b.0.get(col))
                };
                if desc {
                    ord.reverse()
                } else {
                    ord
                }
            });
        }
        let n = t.columns.len();
        let header = t
            .columns
            .iter()
            .cloned()
            .chain(["Value".to_string()])
            .enumerate()
            .map(move |(i, c)| {
                view! {
                    <th on:click=move |_| sort.update(|s| *s = match *s {
                        Some((col, desc)) if col == i => Some((i, !desc)),
                        _ => Some((i, false)),
                    })>{c}</th>
                }
            });
        let body = t.rows.into_iter().map(move |(cells, v, text, color)| {
            let style = if colored { format!("background:{color}") } else { String::new() };
            view! {
                <tr>
                    {cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}
                    <td prop:style=style data-value=v.map(|v| v.to_string()).unwrap_or_default() data-color=color>{text}</td>
                </tr>
            }
        });
        let _ = n;
        view! {
            <div class="table-scroll">
                <table class="data"><thead><tr>{header.collect_view()}</tr></thead><tbody>{body.collect_view()}</tbody></table>
            </div>
        }
    }
}
