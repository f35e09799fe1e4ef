//! The time series tooltip (HTML over the chart): every visible series' value at the sample
//! nearest the cursor time, in the panel's unit, next to the cursor.

use std::sync::Arc;

use leptos::prelude::*;
use signalboard_core::dashboard::Panel;

use super::super::field::effective_config;
use super::super::DataMemo;
use super::{fmt, series_color};

/// One tooltip line: series name, formatted value, colour.
pub type TooltipRow = (String, String, String);

/// Where the tooltip is (CSS px in the chart area) and what it lists.
pub type TooltipState = Option<(f64, f64, Vec<TooltipRow>)>;

/// The visible series' values nearest time `t`.
pub fn rows_at(
    panel: &Arc<Panel>,
    data: DataMemo,
    hidden: &[usize],
    unit: &str,
    t: f64,
) -> Vec<TooltipRow> {
    data.with_untracked(|(d, _)| {
        d.series
            .iter()
            .enumerate()
            .filter(|(i, _)| !hidden.contains(i))
            .filter_map(|(i, s)| {
                let idx = nearest(&s.ts, t)?;
                let v = *s.vs.get(idx)?;
                let cfg = effective_config(panel, s);
                Some((
                    s.name.clone(),
                    fmt(v, unit, cfg.decimals),
                    series_color(&cfg, i, &s.name),
                ))
            })
            .collect()
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

#[component]
pub fn Tooltip(state: RwSignal<TooltipState>) -> impl IntoView {
    move || {
        state
            .get()
            .filter(|(_, _, rows)| !rows.is_empty())
            .map(|(x, y, rows)| {
                view! {
                    <div class="tooltip" prop:style=format!("left:{}px;top:{}px", x + 12.0, y + 12.0)>
                        {rows.into_iter().map(|(name, value, color)| view! {
                            <div><span class="swatch" prop:style=format!("background:{color}")></span>{name}": "<b>{value}</b></div>
                        }).collect_view()}
                    </div>
                }
            })
    }
}
