//! Time series panel (and converted legacy `graph`): one canvas for the chart, an overlay
//! canvas for the crosshair (moving the mouse never repaints the chart, as in uPlot), an HTML
//! legend (click isolates a series, ctrl/cmd-click toggles it) and a tooltip listing every
//! series at the cursor. Drag horizontally to zoom the dashboard time range.
//!
//! Drawing follows uPlot: columnar data, decimated to ≤ 4 points per pixel column, one
//! `Path2d` per series.

use std::sync::Arc;

use leptos::prelude::*;
use signalboard_core::dashboard::{
    DrawStyle, FieldDefaults, GraphTooltip, LegendPlacement, Panel, PanelOptions, StackingMode,
};
use signalboard_core::display::display::ColorMode;
use signalboard_core::display::{colors, decimate, format_value};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, Path2d};

use super::field::{effective_config, to_display_thresholds};
use super::DataMemo;
use crate::app::AppSignals;
use crate::query::{PanelData, SeriesData};
use crate::time_range::TimeRange;
use crate::url_state;

mod axes;
mod legend;
mod tooltip;
pub use axes::Geometry;
use legend::{legend_items, Legend};
use tooltip::{Tooltip, TooltipAt, TooltipState};

/// A series as drawn: its data, colour and field config.
#[derive(Clone)]
pub struct Drawn<'a> {
    pub data: &'a SeriesData,
    pub color: String,
    pub cfg: FieldDefaults,
}

/// A series' line colour: the field's colour mode (fixed, shades, palette by index or by
/// name); thresholds-coloured fields draw in the classic palette like Grafana's default.
fn series_color(cfg: &FieldDefaults, index: usize, name: &str, theme: colors::Theme) -> String {
    let mode = cfg
        .color
        .as_ref()
        .map(|c| (c.mode.as_str().to_string(), c.fixed_color.clone()));
    let parsed = match &mode {
        Some((m, fixed)) => ColorMode::parse_for_series(m, fixed.as_deref(), index, name),
        None => ColorMode::PaletteClassic(index),
    };
    parsed
        .series_color(theme)
        .unwrap_or_else(|| colors::classic_palette_color(index, theme))
}

pub(super) fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok().flatten()?.dyn_into().ok()
}

/// Sizes the canvas backing store to its CSS size × devicePixelRatio; returns CSS (w, h).
pub(super) fn fit(canvas: &HtmlCanvasElement, ctx: &CanvasRenderingContext2d) -> (f64, f64) {
    let dpr = web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .unwrap_or(1.0)
        .max(1.0);
    let w = canvas.client_width().max(1) as f64;
    let h = canvas.client_height().max(1) as f64;
    let (bw, bh) = ((w * dpr).round() as u32, (h * dpr).round() as u32);
    if canvas.width() != bw || canvas.height() != bh {
        canvas.set_width(bw);
        canvas.set_height(bh);
    }
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    (w, h)
}

/// Draws the whole chart; returns the geometry the crosshair and zoom need.
pub fn draw_chart(
    canvas: &HtmlCanvasElement,
    data: &PanelData,
    series: &[Drawn],
    unit: &str,
) -> Option<Geometry> {
    let ctx = context(canvas)?;
    let (w, h) = fit(canvas, &ctx);
    ctx.clear_rect(0.0, 0.0, w, h);
    let stacking = series
        .first()
        .and_then(|s| s.cfg.custom.stacking.clone())
        .unwrap_or(StackingMode::None);
    let stacked = stack(series, &stacking);
    let cfg = series.first().map(|s| s.cfg.clone()).unwrap_or_default();
    let geo = Geometry::compute(&ctx, data, &stacked, &cfg, unit, w, h)?;
    geo.draw_axes(&ctx, unit);
    draw_thresholds(&ctx, &geo, &cfg);
    for (s, vs) in series.iter().zip(stacked.iter()) {
        draw_series(&ctx, &geo, s, vs);
    }
    Some(geo)
}

/// Stacked values per series (the series' own values when not stacking).
fn stack(series: &[Drawn], mode: &StackingMode) -> Vec<Vec<f64>> {
    if matches!(mode, StackingMode::None) || series.len() < 2 {
        return series.iter().map(|s| s.data.vs.clone()).collect();
    }
    let mut acc: Vec<f64> = Vec::new();
    let mut out = Vec::with_capacity(series.len());
    for s in series {
        if acc.len() < s.data.vs.len() {
            acc.resize(s.data.vs.len(), 0.0);
        }
        let row: Vec<f64> = s
            .data
            .vs
            .iter()
            .zip(acc.iter_mut())
            .map(|(v, a)| {
                if v.is_finite() {
                    *a += v;
                }
                *a
            })
            .collect();
        out.push(row);
    }
    if matches!(mode, StackingMode::Percent) {
        let totals = acc;
        for row in &mut out {
            for (v, t) in row.iter_mut().zip(totals.iter()) {
                *v = if *t != 0.0 { *v / t } else { 0.0 };
            }
        }
    }
    out
}

fn draw_series(ctx: &CanvasRenderingContext2d, geo: &Geometry, s: &Drawn, vs: &[f64]) {
    let width = geo.plot_w.max(1.0) as usize;
    let (ts, vs) = decimate(&s.data.ts, vs, |t| geo.x(t), width);
    let style = s.cfg.custom.draw_style.clone().unwrap_or(DrawStyle::Line);
    let line_width = s.cfg.custom.line_width.unwrap_or(1.0).clamp(0.5, 10.0);
    let span_nulls = s.cfg.custom.span_nulls.unwrap_or(false);
    ctx.set_stroke_style_str(&s.color);
    ctx.set_fill_style_str(&s.color);
    ctx.set_line_width(line_width);
    match style {
        DrawStyle::Bars => {
            let bar_w = (geo.plot_w / (ts.len().max(1) as f64) * 0.8).clamp(1.0, 40.0);
            for (t, v) in ts.iter().zip(vs.iter()).filter(|(_, v)| v.is_finite()) {
                let (x, y, y0) = (
                    geo.x(*t),
                    geo.y(*v),
                    geo.y(0.0_f64.clamp(geo.y_min, geo.y_max)),
                );
                ctx.fill_rect(x - bar_w / 2.0, y.min(y0), bar_w, (y0 - y).abs().max(1.0));
            }
        }
        DrawStyle::Points => {
            for (t, v) in ts.iter().zip(vs.iter()).filter(|(_, v)| v.is_finite()) {
                ctx.fill_rect(geo.x(*t) - 1.5, geo.y(*v) - 1.5, 3.0, 3.0);
            }
        }
        _ => draw_line(ctx, geo, &ts, &vs, span_nulls, s),
    }
}

fn draw_line(
    ctx: &CanvasRenderingContext2d,
    geo: &Geometry,
    ts: &[f64],
    vs: &[f64],
    span_nulls: bool,
    s: &Drawn,
) {
    let Ok(path) = Path2d::new() else { return };
    let mut pen_down = false;
    let mut segments: Vec<(f64, f64)> = Vec::new(); // (first x, last x) per run, for area fill
    for (t, v) in ts.iter().zip(vs.iter()) {
        if !v.is_finite() {
            if !span_nulls {
                pen_down = false;
            }
            continue;
        }
        let (x, y) = (geo.x(*t), geo.y(*v));
        if pen_down {
            path.line_to(x, y);
            if let Some(seg) = segments.last_mut() {
                seg.1 = x;
            }
        } else {
            path.move_to(x, y);
            segments.push((x, x));
            pen_down = true;
        }
    }
    ctx.stroke_with_path(&path);
    let fill = s.cfg.custom.fill_opacity.unwrap_or(0.0).clamp(0.0, 100.0);
    if fill > 0.0 && segments.len() == 1 {
        if let (Ok(area), Some((x0, x1))) = (Path2d::new_with_other(&path), segments.first()) {
            let base = geo.y(0.0_f64.clamp(geo.y_min, geo.y_max));
            area.line_to(*x1, base);
            area.line_to(*x0, base);
            area.close_path();
            ctx.set_global_alpha(fill / 100.0);
            ctx.fill_with_path_2d(&area);
            ctx.set_global_alpha(1.0);
        }
    }
}

fn draw_thresholds(ctx: &CanvasRenderingContext2d, geo: &Geometry, cfg: &FieldDefaults) {
    let style = cfg.custom.thresholds_style.as_deref().unwrap_or("off");
    if style == "off" || cfg.thresholds.is_none() {
        return;
    }
    let t = to_display_thresholds(cfg);
    for (i, step) in t
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.value.is_finite())
    {
        let y = geo.y(step.value);
        let color = colors::resolve_color(&step.color);
        if style.contains("area") {
            let next = t
                .steps
                .get(i + 1)
                .map(|n| geo.y(n.value))
                .unwrap_or(geo.top);
            ctx.set_fill_style_str(&color);
            ctx.set_global_alpha(0.15);
            ctx.fill_rect(geo.left, next.min(y), geo.plot_w, (y - next).abs());
            ctx.set_global_alpha(1.0);
        }
        if style.contains("line") || style.contains("dashed") {
            ctx.set_stroke_style_str(&color);
            ctx.set_line_width(1.0);
            if style.contains("dashed") {
                let dash = js_sys::Array::of2(&4.0.into(), &4.0.into());
                let _ = ctx.set_line_dash(&dash);
            }
            ctx.begin_path();
            ctx.move_to(geo.left, y);
            ctx.line_to(geo.left + geo.plot_w, y);
            ctx.stroke();
            let _ = ctx.set_line_dash(&js_sys::Array::new());
        }
    }
}

/// The stat panel's area sparkline.
pub fn draw_sparkline(
    canvas: &HtmlCanvasElement,
    ts: &[f64],
    vs: &[f64],
    color: &str,
    on_background: bool,
) {
    let Some(ctx) = context(canvas) else { return };
    let (w, h) = fit(canvas, &ctx);
    ctx.clear_rect(0.0, 0.0, w, h);
    let finite = || vs.iter().copied().filter(|v| v.is_finite());
    let (lo, hi) = (
        finite().fold(f64::INFINITY, f64::min),
        finite().fold(f64::NEG_INFINITY, f64::max),
    );
    let (t0, t1) = (
        ts.first().copied().unwrap_or(0.0),
        ts.last().copied().unwrap_or(1.0),
    );
    if !lo.is_finite() || t1 <= t0 {
        return;
    }
    let span = if hi > lo { hi - lo } else { 1.0 };
    let x = |t: f64| (t - t0) / (t1 - t0) * w;
    let y = |v: f64| h - (v - lo) / span * h * 0.9;
    let Ok(path) = Path2d::new() else { return };
    let mut started = false;
    for (t, v) in ts.iter().zip(vs.iter()).filter(|(_, v)| v.is_finite()) {
        if started {
            path.line_to(x(*t), y(*v));
        } else {
            path.move_to(x(*t), y(*v));
            started = true;
        }
    }
    let stroke = if on_background {
        "rgba(255,255,255,0.6)"
    } else {
        color
    };
    ctx.set_stroke_style_str(stroke);
    ctx.stroke_with_path(&path);
    path.line_to(w, h);
    path.line_to(0.0, h);
    ctx.set_fill_style_str(stroke);
    ctx.set_global_alpha(0.2);
    ctx.fill_with_path_2d(&path);
    ctx.set_global_alpha(1.0);
}

fn options(panel: &Panel) -> signalboard_core::dashboard::TimeSeriesOptions {
    match &panel.options {
        PanelOptions::TimeSeries(o) => o.clone(),
        _ => Default::default(),
    }
}

#[component]
pub fn TimeSeriesBody(panel: Arc<Panel>, data: DataMemo) -> impl IntoView {
    let signals = expect_context::<AppSignals>();
    let chart = NodeRef::<leptos::html::Canvas>::new();
    let overlay = NodeRef::<leptos::html::Canvas>::new();
    let hidden = RwSignal::new(Vec::<usize>::new());
    let tooltip = RwSignal::new(TooltipState::None);
    let geometry = StoredValue::new_local(None::<Geometry>);
    let drag_from = StoredValue::new(None::<f64>);
    let panel_id = panel.id;
    let theme = signals.theme;
    let opts = options(&panel);
    let unit = panel.field_config.defaults.unit.clone().unwrap_or_default();
    // Grafana's graphTooltip 1 (shared crosshair) and 2 (shared tooltip): the other panels
    // show a crosshair (and with 2 their tooltip) at the same time, on their overlay and in
    // the tooltip's DOM: no chart repaint.
    let graph_tooltip = signals
        .dashboard
        .with_untracked(|d| d.as_ref().map(|d| d.graph_tooltip))
        .unwrap_or_default();
    let shared = graph_tooltip != GraphTooltip::Default;
    if shared {
        let (p, u) = (panel.clone(), unit.clone());
        let with_tooltip = graph_tooltip == GraphTooltip::SharedTooltip;
        Effect::new(move |_| {
            let at = signals.crosshair.get();
            let (Some(ov), Some(geo)) = (overlay.get_untracked(), geometry.get_value()) else {
                return;
            };
            let shown = match at {
                Some((t, from)) if from != panel_id => Some(t),
                Some(_) => return,
                None => None,
            };
            let x = shown.map_or(f64::NEG_INFINITY, |t| geo.x(t));
            draw_crosshair(&ov, &geo, x, theme.get_untracked());
            if with_tooltip {
                let rows = shown
                    .filter(|_| x >= geo.left && x <= geo.left + geo.plot_w)
                    .map(|t| {
                        tooltip::rows_at(
                            &p,
                            data,
                            &hidden.get_untracked(),
                            &u,
                            t,
                            theme.get_untracked(),
                        )
                    });
                tooltip.set(rows.map(|rows| TooltipAt::new(x, geo.top, &geo, rows)));
            }
        });
    }

    let p = panel.clone();
    let u = unit.clone();
    let redraw = move || {
        let Some(canvas) = chart.get_untracked() else {
            return;
        };
        let hid = hidden.get_untracked();
        data.with_untracked(|(d, _)| {
            let drawn: Vec<Drawn> = d
                .series
                .iter()
                .enumerate()
                .filter(|(i, _)| !hid.contains(i))
                .map(|(i, s)| {
                    let cfg = effective_config(&p, s);
                    Drawn {
                        data: s,
                        color: series_color(&cfg, i, &s.name, theme.get_untracked()),
                        cfg,
                    }
                })
                .collect();
            geometry.set_value(draw_chart(&canvas, d, &drawn, &u));
        });
    };
    let redraw2 = redraw.clone();
    Effect::new(move |_| {
        data.track();
        hidden.track();
        chart.track();
        theme.track();
        redraw2();
    });
    let redraw3 = redraw.clone();
    let resize = window_event_listener(leptos::ev::resize, move |_| redraw3());
    on_cleanup(move || resize.remove());

    let legend = legend_items(panel.clone(), data, opts.legend.calcs.clone());
    let legend_right = opts.legend.placement == LegendPlacement::Right;

    let u2 = unit.clone();
    let on_move = move |ev: leptos::ev::MouseEvent| {
        let (Some(ov), Some(geo)) = (overlay.get_untracked(), geometry.get_value()) else {
            return;
        };
        let x = ev.offset_x() as f64;
        let y = ev.offset_y() as f64;
        let t = geo.t_at(x);
        let rows = tooltip::rows_at(
            &panel,
            data,
            &hidden.get_untracked(),
            &u2,
            t,
            theme.get_untracked(),
        );
        draw_crosshair(&ov, &geo, x, theme.get_untracked());
        if let Some(from) = drag_from.get_value() {
            draw_selection(&ov, &geo, from, x);
        }
        tooltip.set(Some(TooltipAt::new(x, y, &geo, rows)));
        if shared {
            signals.crosshair.set(Some((t, panel_id)));
        }
    };
    let on_leave = move |_| {
        tooltip.set(None);
        drag_from.set_value(None);
        if shared {
            signals.crosshair.set(None);
        }
        if let Some(ov) = overlay.get_untracked() {
            if let Some(ctx) = context(&ov) {
                ctx.clear_rect(0.0, 0.0, ov.width() as f64, ov.height() as f64);
            }
        }
    };
    let on_down = move |ev: leptos::ev::MouseEvent| drag_from.set_value(Some(ev.offset_x() as f64));
    let on_up = move |ev: leptos::ev::MouseEvent| {
        let (Some(from), Some(geo)) = (drag_from.get_value(), geometry.get_value()) else {
            return;
        };
        drag_from.set_value(None);
        let to = ev.offset_x() as f64;
        if (to - from).abs() < 5.0 {
            return;
        }
        let (a, b) = (geo.t_at(from.min(to)) as i64, geo.t_at(from.max(to)) as i64);
        let range = TimeRange {
            from: a.to_string(),
            to: b.to_string(),
        };
        url_state::set_query_values("from", std::slice::from_ref(&range.from));
        url_state::set_query_values("to", std::slice::from_ref(&range.to));
        signals.time_range.set(range);
    };
    let legend_options = opts.legend.clone();
    view! {
        <div class=if legend_right { "chart-wrap legend-right" } else { "chart-wrap" }>
            <div class="chart-area">
                <canvas class="chart" node_ref=chart></canvas>
                <canvas class="chart" node_ref=overlay prop:style="position:absolute;left:0;top:0"
                    on:mousemove=on_move on:mouseleave=on_leave on:mousedown=on_down on:mouseup=on_up></canvas>
                <Tooltip state=tooltip />
            </div>
            <Legend items=legend hidden=hidden options=legend_options />
        </div>
    }
}

fn fmt(v: f64, unit: &str, decimals: Option<u32>) -> String {
    let f = format_value(v, unit, decimals);
    format!("{}{}{}", f.prefix, f.text, f.suffix)
}

fn draw_crosshair(ov: &HtmlCanvasElement, geo: &Geometry, x: f64, theme: colors::Theme) {
    let Some(ctx) = context(ov) else { return };
    let (w, h) = fit(ov, &ctx);
    ctx.clear_rect(0.0, 0.0, w, h);
    if x < geo.left || x > geo.left + geo.plot_w {
        return;
    }
    ctx.set_stroke_style_str(match theme {
        colors::Theme::Dark => "rgba(204,204,220,0.5)",
        colors::Theme::Light => "rgba(36,41,46,0.5)",
    });
    ctx.set_line_width(1.0);
    ctx.begin_path();
    ctx.move_to(x.round() + 0.5, geo.top);
    ctx.line_to(x.round() + 0.5, geo.top + geo.plot_h);
    ctx.stroke();
}

fn draw_selection(ov: &HtmlCanvasElement, geo: &Geometry, from: f64, to: f64) {
    let Some(ctx) = context(ov) else { return };
    ctx.set_fill_style_str("rgba(110,159,255,0.2)");
    ctx.fill_rect(from.min(to), geo.top, (to - from).abs(), geo.plot_h);
}

/// `window.signalboard.bench.draw`: ms from data to pixels for one panel, cold (decimation
/// and path building included), on synthetic random-walk data.
pub fn bench_draw(series: usize, points: usize, width: u32, height: u32) -> Result<f64, String> {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let body = doc.body().ok_or("no body")?;
    let canvas: HtmlCanvasElement = doc
        .create_element("canvas")
        .map_err(|_| "canvas")?
        .dyn_into()
        .map_err(|_| "canvas")?;
    let _ = canvas.set_attribute(
        "style",
        &format!("width:{width}px;height:{height}px;position:absolute;left:-10000px"),
    );
    body.append_child(&canvas).map_err(|_| "append")?;
    let t0 = 1_700_000_000_000.0;
    let mut seed = 0x2545F4914F6CDD1Du64;
    let data = PanelData {
        series: (0..series.min(1_000))
            .map(|i| {
                let mut v = 0.0;
                let ts: Vec<f64> = (0..points).map(|j| t0 + j as f64 * 1000.0).collect();
                let vs: Vec<f64> = (0..points)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        v += (seed % 2001) as f64 / 1000.0 - 1.0;
                        v
                    })
                    .collect();
                SeriesData {
                    name: format!("s{i}"),
                    ref_id: "A".into(),
                    labels: vec![],
                    ts,
                    vs,
                }
            })
            .collect(),
        errors: vec![],
        instant: false,
        history_start_ms: None,
        start_ms: t0 as i64,
        end_ms: (t0 + points as f64 * 1000.0) as i64,
    };
    let perf = web_sys::window()
        .and_then(|w| w.performance())
        .ok_or("no performance")?;
    let start = perf.now();
    let drawn: Vec<Drawn> = data
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| Drawn {
            data: s,
            color: colors::classic_palette_color(i, colors::Theme::Dark),
            cfg: FieldDefaults::default(),
        })
        .collect();
    draw_chart(&canvas, &data, &drawn, "");
    let ms = perf.now() - start;
    let _ = body.remove_child(&canvas);
    Ok(ms)
}
