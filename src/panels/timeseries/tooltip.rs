//! The time series tooltip (HTML over the chart): every visible series' value at the sample
//! nearest the cursor time, in the panel's unit, next to the cursor (on its left when the
//! cursor is in the right half). With the dashboard's shared tooltip (`graphTooltip: 2`)
//! every time series panel shows it for the time hovered in any of them.

use std::sync::Arc;

use leptos::prelude::*;
use signalboard_core::dashboard::Panel;
use signalboard_core::display::colors::Theme;

use super::super::field::effective_config;
use super::super::DataMemo;
use super::{fmt, series_color, Geometry};

/// One tooltip line: series name, formatted value, colour.
pub type TooltipRow = (String, String, String);

/// Where the tooltip is (CSS px in the chart area) and what it lists.
#[derive(Clone, Debug, PartialEq)]
pub struct TooltipAt {
    x: f64,
    y: f64,
    /// Shown left of `x` (the cursor is in the plot's right half).
    left_of_cursor: bool,
    /// The chart area's width, for placing it left of the cursor.
    width: f64,
    rows: Vec<TooltipRow>,
}

impl TooltipAt {
    pub fn new(x: f64, y: f64, geo: &Geometry, rows: Vec<TooltipRow>) -> Self {
        Self {
            x,
            y,
            left_of_cursor: x > geo.left + geo.plot_w / 2.0,
            width: geo.left + geo.plot_w,
            rows,
        }
    }

    fn position_style(&self) -> String {
        if self.left_of_cursor {
            let right = (self.width - self.x + 12.0).max(0.0);
            format!("right:{right}px;top:{}px", self.y + 12.0)
        } else {
            format!("left:{}px;top:{}px", self.x + 12.0, self.y + 12.0)
        }
    }
}

pub type TooltipState = Option<TooltipAt>;

/// The visible series' values nearest time `t`.
pub fn rows_at(
    panel: &Arc<Panel>,
    data: DataMemo,
    hidden: &[usize],
    unit: &str,
    t: f64,
    theme: Theme,
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
                    series_color(&cfg, i, &s.name, theme),
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
            .filter(|at| !at.rows.is_empty())
            .map(|at| {
                let style = at.position_style();
                view! {
                    <div class="tooltip" data-tooltip="" prop:style=style>
                        {at.rows.into_iter().map(|(name, value, color)| view! {
                            <div><span class="swatch" prop:style=format!("background:{color}")></span>{name}": "<b>{value}</b></div>
                        }).collect_view()}
                    </div>
                }
            })
    }
}
