//! Time series panel (and converted legacy `graph`): one canvas for the chart, the drag
//! selection as an element over it, the crosshair and the tooltip in one cursor element moved
//! by `transform` (hovering repaints no canvas, as in uPlot; `data-crosshair` marks a shown
//! crosshair), an HTML
//! legend (click isolates a series, ctrl/cmd-click toggles it) and a tooltip listing every
//! series at the cursor. Drag horizontally to zoom the dashboard time range.
//!
//! The chart is drawn by `signalboard-render` with plotters on a plotters-canvas backend
//! sized for devicePixelRatio (axes, ticks and labels in Grafana's maths, series decimated
//! to ≤ 4 points per device-pixel column, one path each) — the same code
//! `signalboard-cli render` draws golden SVGs with.

use std::sync::Arc;

use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::drawing::{DrawingArea, IntoDrawingArea};
use plotters_canvas::CanvasBackend;
use signalboard_core::dashboard::{
    FieldDefaults, GraphTooltip, LegendPlacement, Panel, PanelOptions,
};
use signalboard_core::display::{colors, format_value, Theme};
use signalboard_render::{draw_timeseries, ChartSeries, ChartSpec, Surface};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, Path2d};

use super::field::effective_config;
use super::{draw_queue, DataMemo};
use crate::app::AppSignals;
use crate::query::{PanelData, SeriesData};
use crate::time_range::TimeRange;
use crate::url_state;

mod legend;
mod tooltip;
use legend::{legend_items, Legend};
pub use signalboard_render::ChartGeometry as Geometry;
use tooltip::{Tooltip, TooltipAt, TooltipDom};

/// A series as drawn: its data, colour and field config.
#[derive(Clone)]
pub struct Drawn<'a> {
    pub data: &'a SeriesData,
    pub color: String,
    pub cfg: FieldDefaults,
}

/// A series' line colour in `theme` (the field's colour mode; thresholds-coloured fields
/// draw in the classic palette like Grafana's default).
fn series_color(cfg: &FieldDefaults, index: usize, name: &str, theme: Theme) -> String {
    signalboard_render::field::series_color(cfg, index, name, theme)
}

pub(super) fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok().flatten()?.dyn_into().ok()
}

fn device_pixel_ratio() -> f64 {
    web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .unwrap_or(1.0)
        .max(1.0)
}

/// Sizes the canvas backing store to its CSS size × devicePixelRatio; returns CSS (w, h)
/// with the context scaled to CSS pixels.
pub(super) fn fit(canvas: &HtmlCanvasElement, ctx: &CanvasRenderingContext2d) -> (f64, f64) {
    let (w, h, dpr) = fit_device(canvas);
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    (w, h)
}

/// Sizes the backing store to CSS size × devicePixelRatio; returns (CSS w, CSS h, ratio).
fn fit_device(canvas: &HtmlCanvasElement) -> (f64, f64, f64) {
    let dpr = device_pixel_ratio();
    let w = canvas.client_width().max(1) as f64;
    let h = canvas.client_height().max(1) as f64;
    let (bw, bh) = ((w * dpr).round() as u32, (h * dpr).round() as u32);
    if canvas.width() != bw || canvas.height() != bh {
        canvas.set_width(bw);
        canvas.set_height(bh);
    }
    (w, h, dpr)
}

/// Pins a chart canvas' CSS size to the box it fills (its parent) as it is drawn, as uPlot
/// sizes its canvas: when the box grows, the canvas keeps the picture at its drawn size
/// until the queued redraw instead of the browser stretching the old bitmap over the new box.
fn pin_to_parent(canvas: &HtmlCanvasElement) {
    let Some(parent) = canvas.parent_element() else {
        return;
    };
    let element: &web_sys::HtmlElement = canvas;
    let style = element.style();
    for (name, px) in [
        ("width", parent.client_width()),
        ("height", parent.client_height()),
    ] {
        let value = format!("{}px", px.max(1));
        if style.get_property_value(name).ok().as_deref() != Some(value.as_str()) {
            let _ = style.set_property(name, &value);
        }
    }
}

/// Draws `canvas` with plotters-canvas in device pixels (the context untransformed).
pub(super) fn with_plotters<T>(
    canvas: &HtmlCanvasElement,
    draw: impl FnOnce(&DrawingArea<CanvasBackend, Shift>, Surface) -> T,
) -> Option<T> {
    let ctx = context(canvas)?;
    pin_to_parent(canvas);
    let (w, h, dpr) = fit_device(canvas);
    let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    ctx.clear_rect(
        0.0,
        0.0,
        f64::from(canvas.width()),
        f64::from(canvas.height()),
    );
    let area = CanvasBackend::with_canvas_object(canvas.clone())?.into_drawing_area();
    let out = draw(&area, Surface::canvas(w, h, dpr));
    let _ = area.present();
    Some(out)
}

/// Draws the whole chart through `signalboard-render` (the same code `signalboard-cli
/// render` uses); returns the geometry the crosshair and zoom need.
pub fn draw_chart(
    canvas: &HtmlCanvasElement,
    data: &PanelData,
    series: &[Drawn],
    defaults: &FieldDefaults,
    theme: Theme,
    transparent_panel: bool,
) -> Option<Geometry> {
    let chart: Vec<ChartSeries> = series
        .iter()
        .map(|s| ChartSeries {
            name: &s.data.name,
            ts: &s.data.ts,
            vs: &s.data.vs,
            color: s.color.clone(),
            cfg: s.cfg.clone(),
        })
        .collect();
    let spec = ChartSpec {
        series: &chart,
        defaults,
        start_ms: data.start_ms as f64,
        end_ms: data.end_ms as f64,
        theme,
        utc_offset_minutes: local_offset_minutes(),
        // The canvas is opaque (see `opaque_context`): the chart paints the panel colour. A
        // transparent panel (Grafana's `transparent: true`) shows the page through its chart.
        background: !transparent_panel,
    };
    DREW.set(true);
    if !transparent_panel {
        opaque_context(canvas)?;
    }
    with_plotters(canvas, |area, surface| {
        draw_timeseries(area, surface, &spec)
    })?
    .ok()
    .flatten()
}

/// Creates `canvas`'s 2D context without alpha (later `getContext("2d")` calls, plotters'
/// included, get this one). While hovering with the shared crosshair or tooltip every panel
/// changes each frame, so the compositor redraws the whole dashboard: an opaque canvas is
/// copied instead of blended, and what lies under it is not drawn at all.
fn opaque_context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"alpha".into(), &false.into()).ok()?;
    canvas
        .get_context_with_context_options("2d", &options)
        .ok()
        .flatten()?
        .dyn_into()
        .ok()
}

/// The browser's UTC offset in minutes (east positive), so axis labels read local time.
pub(super) fn local_offset_minutes() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
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
    // The chart area: takes the mouse events; its position maps them to chart px.
    let area = NodeRef::<leptos::html::Div>::new();
    let selection = NodeRef::<leptos::html::Div>::new();
    let cursor = Cursor::new();
    let hidden = RwSignal::new(Vec::<usize>::new());
    let tooltip = TooltipDom::new();
    // The latest hover position not yet drawn: mousemoves are coalesced to one crosshair and
    // tooltip update per animation frame (Some = a frame is scheduled).
    let pending = StoredValue::new(None::<(f64, f64)>);
    let geometry = StoredValue::new_local(None::<Geometry>);
    let drag_from = StoredValue::new(None::<f64>);
    // The chart area's viewport position, read on the first move after entering (or after a
    // scroll, resize or redraw) and reused: `offsetX` or a rect read per move forces a
    // layout each time, and with 20 panels updating their DOM that was most of a hover frame.
    let origin = StoredValue::new(None::<(f64, f64)>);
    let panel_id = panel.id;
    let theme = signals.theme;
    let styles = tooltip::series_styles(panel.clone(), data, theme);
    let opts = options(&panel);
    let unit = panel.field_config.defaults.unit.clone().unwrap_or_default();
    // Whether the chart area lies wholly in the viewport: like Grafana's (TooltipPlugin2's
    // `plotVisible`), a shared tooltip shows only in such panels, the crosshair in all.
    let whole = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(el) = area.get() {
            super::lazy::observe_whole(&el, whole);
        }
    });
    // Grafana's graphTooltip 1 (shared crosshair) and 2 (shared tooltip): the other panels
    // show a crosshair (and with 2 their tooltip, when wholly in view) at the same time, on
    // their overlay and in the tooltip's DOM: no chart repaint.
    let graph_tooltip = signals
        .dashboard
        .with_untracked(|d| d.as_ref().map(|d| d.graph_tooltip))
        .unwrap_or_default();
    let shared = graph_tooltip != GraphTooltip::Default;
    if shared {
        let u = unit.clone();
        let with_tooltip = graph_tooltip == GraphTooltip::SharedTooltip;
        Effect::new(move |_| {
            let at = signals.crosshair.get();
            let shown = match at {
                Some((t, from)) if from != panel_id => Some(t),
                Some(_) => return,
                None => None,
            };
            // Borrowed, not cloned: this runs in every panel on every move.
            geometry.with_value(|geo| {
                let Some(geo) = geo else { return };
                let x = cursor.move_to(geo, shown.map_or(f64::NEG_INFINITY, |t| geo.x(t)));
                if with_tooltip {
                    let rows = shown
                        .filter(|_| x >= geo.left && x <= geo.left + geo.plot_w)
                        .filter(|_| whole.get_untracked())
                        .map(|t| {
                            hidden.with_untracked(|h| tooltip::rows_at(styles, data, h, &u, t))
                        });
                    tooltip.show(
                        rows.map(|rows| TooltipAt::new(x, geo.top, geo, rows))
                            .as_ref(),
                    );
                }
            });
        });
    }

    let p = panel.clone();
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
            let geo = draw_chart(
                &canvas,
                d,
                &drawn,
                &p.field_config.defaults,
                theme.get_untracked(),
                p.transparent,
            );
            if let Some(geo) = &geo {
                cursor.fit(geo);
            }
            geometry.set_value(geo);
        });
        origin.set_value(None);
    };
    // Redraws wait for the draw queue's next frame (see `draw_queue`): a refresh of many
    // panels spreads over frames.
    let redraw: std::rc::Rc<dyn Fn()> = std::rc::Rc::new(redraw);
    let key = draw_queue::new_key();
    let queued = redraw.clone();
    Effect::new(move |_| {
        data.track();
        hidden.track();
        chart.track();
        theme.track();
        draw_queue::schedule(key, queued.clone());
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| {
        draw_queue::schedule(key, redraw.clone())
    });
    on_cleanup(move || {
        resize.remove();
        draw_queue::cancel(key);
    });

    let legend = legend_items(panel.clone(), data, opts.legend.calcs.clone());
    let legend_right = opts.legend.placement == LegendPlacement::Right;

    let u2 = unit.clone();
    let hover = move |x: f64, y: f64| {
        let Some(t) = geometry.with_value(|geo| {
            let geo = geo.as_ref()?;
            let t = geo.t_at(x);
            let rows = hidden.with_untracked(|h| tooltip::rows_at(styles, data, h, &u2, t));
            if let Some(from) = drag_from.get_value() {
                show_selection(selection, geo, Some((from, x)));
            }
            let x = cursor.move_to(geo, x);
            tooltip.show(Some(&TooltipAt::new(x, y, geo, rows)));
            Some(t)
        }) else {
            return;
        };
        if shared {
            signals.crosshair.set(Some((t, panel_id)));
        }
    };
    // Viewport (client) coordinates to the chart area's CSS px.
    let local = move |(cx, cy): (f64, f64)| {
        let (left, top) = origin.get_value().unwrap_or_else(|| {
            let o = area.get_untracked().map_or((0.0, 0.0), |el| {
                let r = el.get_bounding_client_rect();
                (r.left(), r.top())
            });
            origin.set_value(Some(o));
            o
        });
        (cx - left, cy - top)
    };
    let client = |ev: &leptos::ev::MouseEvent| (f64::from(ev.client_x()), f64::from(ev.client_y()));
    let at_of = move |ev: &leptos::ev::MouseEvent| local(client(ev));
    let forget_origin = move || origin.set_value(None);
    let scroll = window_event_listener_untyped("scroll", move |_| forget_origin());
    let resize_origin = window_event_listener(leptos::ev::resize, move |_| forget_origin());
    on_cleanup(move || {
        scroll.remove();
        resize_origin.remove();
    });
    // The move keeps client coordinates; the frame callback converts them: a rect read there
    // (after entering, scrolling or a redraw) uses the layout the frame needs anyway, where
    // in the event handler it would force one more.
    let on_move = move |ev: leptos::ev::MouseEvent| {
        let at = client(&ev);
        let scheduled = pending.get_value().is_some();
        pending.set_value(Some(at));
        if scheduled {
            return;
        }
        let hover = hover.clone();
        let frame = Closure::once_into_js(move || {
            // Gone (panel disposed) or cancelled by mouseleave: nothing to draw.
            if let Some(Some(at)) = pending.try_update_value(Option::take) {
                let (x, y) = local(at);
                hover(x, y);
            }
        });
        if let Some(w) = web_sys::window() {
            let _ = w.request_animation_frame(frame.unchecked_ref());
        }
    };
    let on_leave = move |_| {
        forget_origin();
        pending.set_value(None);
        tooltip.show(None);
        drag_from.set_value(None);
        if shared {
            signals.crosshair.set(None);
        }
        geometry.with_value(|geo| {
            if let Some(geo) = geo {
                cursor.move_to(geo, f64::NEG_INFINITY);
                show_selection(selection, geo, None);
            }
        });
    };
    let on_down = move |ev: leptos::ev::MouseEvent| drag_from.set_value(Some(at_of(&ev).0));
    let on_up = move |ev: leptos::ev::MouseEvent| {
        let (Some(from), Some(geo)) = (drag_from.get_value(), geometry.get_value()) else {
            return;
        };
        drag_from.set_value(None);
        show_selection(selection, &geo, None);
        let to = at_of(&ev).0;
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
                <div class="chart-area" node_ref=area on:mousemove=on_move on:mouseleave=on_leave
                    on:mousedown=on_down on:mouseup=on_up>
                    <canvas class="chart" node_ref=chart></canvas>
    <div class="selection" hidden=true node_ref=selection></div>
                    <div class="cursor" node_ref=cursor.node>
                        <div class="crosshair" node_ref=cursor.crosshair></div>
                        <Tooltip dom=tooltip />
                    </div>
                </div>
                <Legend items=legend hidden=hidden options=legend_options />
            </div>
        }
}

fn fmt(v: f64, unit: &str, decimals: Option<u32>) -> String {
    let f = format_value(v, unit, decimals);
    format!("{}{}{}", f.prefix, f.text, f.suffix)
}

/// The cursor: one zero-sized element (`.cursor`) moved by `transform` to
/// the hovered x, holding the crosshair and the tooltip; moving it repaints nothing. One
/// composited layer per panel for both: with 20 panels each crosshair and tooltip in its own
/// layer made 40 layers, and every hover frame's layerize and commit grow with their count.
#[derive(Clone, Copy)]
struct Cursor {
    node: NodeRef<leptos::html::Div>,
    crosshair: NodeRef<leptos::html::Div>,
    /// The x (CSS px) its transform places it at, so a move writes only a new one.
    at: StoredValue<f64>,
    /// Whether the crosshair is shown (`data-crosshair`; transparent otherwise, see the
    /// stylesheet), so a move writes the attribute only when that changes.
    shown: StoredValue<bool>,
}

impl Cursor {
    fn new() -> Self {
        Self {
            node: NodeRef::new(),
            crosshair: NodeRef::new(),
            at: StoredValue::new(f64::NAN),
            shown: StoredValue::new(false),
        }
    }

    /// Gives the crosshair the plot's vertical extent; on each redraw, so that hovering
    /// writes only the cursor's transform.
    fn fit(&self, geo: &Geometry) {
        let Some(el) = self.crosshair.get_untracked() else {
            return;
        };
        let style = web_sys::HtmlElement::style(&el);
        let _ = style.set_property("top", &format!("{}px", geo.top));
        let _ = style.set_property("height", &format!("{}px", geo.plot_h));
    }

    /// Moves the cursor to `x` (CSS px, rounded; returned) and shows the crosshair there, or
    /// makes it transparent when `x` is outside the plot (the cursor stays for the tooltip).
    fn move_to(&self, geo: &Geometry, x: f64) -> f64 {
        let x = x.round();
        if x.is_finite() && self.at.get_value() != x {
            if let Some(el) = self.node.get_untracked() {
                let style = web_sys::HtmlElement::style(&el);
                let _ = style.set_property("transform", &format!("translateX({x}px)"));
                self.at.set_value(x);
            }
        }
        let Some(el) = self.crosshair.get_untracked() else {
            return x;
        };
        let inside = x >= geo.left && x <= geo.left + geo.plot_w;
        if inside != self.shown.get_value() {
            self.shown.set_value(inside);
            let _ = if inside {
                el.set_attribute("data-crosshair", "")
            } else {
                el.remove_attribute("data-crosshair")
            };
        }
        x
    }
}

/// Shows the drag selection between two x (CSS px) over the plot's height, or hides it.
fn show_selection(node: NodeRef<leptos::html::Div>, geo: &Geometry, span: Option<(f64, f64)>) {
    let Some(el) = node.get_untracked() else {
        return;
    };
    let Some((from, to)) = span else {
        el.set_hidden(true);
        return;
    };
    let style = web_sys::HtmlElement::style(&el);
    for (name, px) in [
        ("left", from.min(to)),
        ("width", (to - from).abs()),
        ("top", geo.top),
        ("height", geo.plot_h),
    ] {
        let _ = style.set_property(name, &format!("{px}px"));
    }
    el.set_hidden(false);
}

/// `window.signalboard.bench.draw`: ms from data to pixels for one panel (decimation and
/// path building included), on synthetic random-walk data. The first call on a page is the
/// first chart drawn after the start-up [`warm_up`].
pub fn bench_draw(series: usize, points: usize, width: u32, height: u32) -> Result<f64, String> {
    let perf = web_sys::window()
        .and_then(|w| w.performance())
        .ok_or("no performance")?;
    with_offscreen_chart(series, points, width, height, |canvas, data, drawn| {
        let start = perf.now();
        draw_default_chart(canvas, data, drawn);
        perf.now() - start
    })
}

/// Draws one small chart off screen, once per page and only if no chart was drawn yet, when
/// the browser is idle after start-up (a timeout where `requestIdleCallback` is missing).
/// Browsers compile a wasm function on its first call, on the main thread: the first chart
/// a page drew spent more time compiling the drawing code (layout, decimation, plotters,
/// labels) than drawing. After this, the first real chart finds that code compiled.
pub fn warm_up_when_idle() {
    let Some(w) = web_sys::window() else { return };
    let run = Closure::once_into_js(|| {
        if !DREW.get() {
            let _ = with_offscreen_chart(3, 1_000, 200, 100, draw_default_chart);
        }
    });
    let f: &js_sys::Function = run.unchecked_ref();
    if w.request_idle_callback(f).is_err() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(f, 200);
    }
}

thread_local! {
    /// Whether a chart was drawn on this page (the warm-up is then needless).
    static DREW: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The off-screen charts (bench, warm-up) draw as a plain panel with default field config.
fn draw_default_chart(
    canvas: &HtmlCanvasElement,
    data: &PanelData,
    drawn: &[Drawn],
) -> Option<Geometry> {
    draw_chart(
        canvas,
        data,
        drawn,
        &FieldDefaults::default(),
        Theme::Dark,
        false,
    )
}

/// Runs `draw` on a `width × height` canvas outside the viewport with `series` random walks
/// of `points` samples each, then removes the canvas.
fn with_offscreen_chart<T>(
    series: usize,
    points: usize,
    width: u32,
    height: u32,
    draw: impl FnOnce(&HtmlCanvasElement, &PanelData, &[Drawn]) -> T,
) -> Result<T, String> {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let body = doc.body().ok_or("no body")?;
    let canvas: HtmlCanvasElement = doc
        .create_element("canvas")
        .map_err(|_| "canvas")?
        .dyn_into()
        .map_err(|_| "canvas")?;
    // The canvas fills a box of the asked size, as a panel's canvas fills its chart area:
    // drawing pins a canvas' CSS size to its parent's, and a canvas put in the body itself
    // was drawn as large as the whole page (1400 x 1936 px instead of 800 x 300).
    let holder: web_sys::HtmlElement = doc
        .create_element("div")
        .map_err(|_| "div")?
        .dyn_into()
        .map_err(|_| "div")?;
    // CSSOM, not a style attribute: the app's CSP forbids inline style attributes.
    let style = holder.style();
    for (name, value) in [
        ("width", format!("{width}px")),
        ("height", format!("{height}px")),
        ("position", "absolute".to_string()),
        ("left", "-10000px".to_string()),
    ] {
        style
            .set_property(name, &value)
            .map_err(|_| "holder style")?;
    }
    holder.append_child(&canvas).map_err(|_| "append")?;
    body.append_child(&holder).map_err(|_| "append")?;
    let data = random_walks(series, points);
    let drawn: Vec<Drawn> = data
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| Drawn {
            data: s,
            color: colors::classic_palette_color(i, Theme::Dark),
            cfg: FieldDefaults::default(),
        })
        .collect();
    let out = draw(&canvas, &data, &drawn);
    let _ = body.remove_child(&holder);
    Ok(out)
}

/// `series` (at most 1,000) random walks of `points` samples 1 s apart.
fn random_walks(series: usize, points: usize) -> PanelData {
    let t0 = 1_700_000_000_000.0;
    let mut seed = 0x2545F4914F6CDD1Du64;
    PanelData {
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
    }
}
