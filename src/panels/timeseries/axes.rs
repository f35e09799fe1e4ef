//! Chart geometry (plot area, value ↔ pixel mapping) and the axes: grid lines, y labels in
//! the field's unit, x labels in local time. Label widths are measured once per draw with the
//! canvas' own `measureText` (no DOM reflow).

use signalboard_core::dashboard::FieldDefaults;
use signalboard_core::display::{format_value, ticks};
use web_sys::CanvasRenderingContext2d;

use crate::query::PanelData;

const FONT: &str = "11px Inter, Helvetica, Arial, sans-serif";
const AXIS_COLOR: &str = "#8e8e9e";
const GRID_COLOR: &str = "rgba(204,204,220,0.09)";

/// Where the plot is and how values map to it (CSS pixels).
#[derive(Clone, Debug)]
pub struct Geometry {
    pub left: f64,
    pub top: f64,
    pub plot_w: f64,
    pub plot_h: f64,
    pub t_min: f64,
    pub t_max: f64,
    pub y_min: f64,
    pub y_max: f64,
    y_ticks: Vec<f64>,
    x_ticks: Vec<(f64, String)>,
}

impl Geometry {
    pub fn x(&self, t: f64) -> f64 {
        self.left + (t - self.t_min) / (self.t_max - self.t_min) * self.plot_w
    }

    pub fn y(&self, v: f64) -> f64 {
        self.top + self.plot_h - (v - self.y_min) / (self.y_max - self.y_min) * self.plot_h
    }

    /// Time at pixel `x`.
    pub fn t_at(&self, x: f64) -> f64 {
        self.t_min + (x - self.left) / self.plot_w.max(1.0) * (self.t_max - self.t_min)
    }

    pub fn compute(
        ctx: &CanvasRenderingContext2d,
        data: &PanelData,
        values: &[Vec<f64>],
        cfg: &FieldDefaults,
        unit: &str,
        w: f64,
        h: f64,
    ) -> Option<Geometry> {
        let (t_min, t_max) = (data.start_ms as f64, data.end_ms as f64);
        if t_max <= t_min || w < 20.0 || h < 20.0 {
            return None;
        }
        let (y_min, y_max) = y_range(values, cfg);
        let plot_h_guess = (h - 24.0).max(10.0);
        let y_ticks = ticks::numeric_ticks(y_min, y_max, plot_h_guess, 30.0).values;
        let (y_min, y_max) = (
            y_ticks.first().copied().unwrap_or(y_min).min(y_min),
            y_ticks.last().copied().unwrap_or(y_max).max(y_max),
        );
        ctx.set_font(FONT);
        let label_w = y_ticks
            .iter()
            .map(|v| {
                ctx.measure_text(&label(*v, unit, cfg))
                    .map(|m| m.width())
                    .unwrap_or(30.0)
            })
            .fold(0.0, f64::max);
        let left = (label_w + 10.0).ceil();
        let plot_w = (w - left - 8.0).max(10.0);
        let x_ticks = ticks::time_ticks(t_min, t_max, plot_w, 90.0, local_offset_minutes())
            .ticks
            .into_iter()
            .map(|t| (t.ms, t.label))
            .collect();
        Some(Geometry {
            left,
            top: 6.0,
            plot_w,
            plot_h: plot_h_guess - 6.0,
            t_min,
            t_max,
            y_min,
            y_max,
            y_ticks,
            x_ticks,
        })
    }

    pub fn draw_axes(&self, ctx: &CanvasRenderingContext2d, unit: &str) {
        ctx.set_font(FONT);
        ctx.set_line_width(1.0);
        ctx.set_stroke_style_str(GRID_COLOR);
        ctx.set_fill_style_str(AXIS_COLOR);
        ctx.set_text_align("right");
        ctx.set_text_baseline("middle");
        let cfg = FieldDefaults::default();
        for v in &self.y_ticks {
            let y = self.y(*v).round() + 0.5;
            ctx.begin_path();
            ctx.move_to(self.left, y);
            ctx.line_to(self.left + self.plot_w, y);
            ctx.stroke();
            let _ = ctx.fill_text(&label(*v, unit, &cfg), self.left - 6.0, y);
        }
        ctx.set_text_align("center");
        ctx.set_text_baseline("top");
        for (t, text) in &self.x_ticks {
            let x = self.x(*t).round() + 0.5;
            ctx.begin_path();
            ctx.move_to(x, self.top);
            ctx.line_to(x, self.top + self.plot_h);
            ctx.stroke();
            let _ = ctx.fill_text(text, x, self.top + self.plot_h + 5.0);
        }
    }
}

fn label(v: f64, unit: &str, cfg: &FieldDefaults) -> String {
    let f = format_value(v, unit, cfg.decimals);
    format!("{}{}{}", f.prefix, f.text, f.suffix)
}

/// Auto range over the finite values, widened by the field's min/max and soft limits.
fn y_range(values: &[Vec<f64>], cfg: &FieldDefaults) -> (f64, f64) {
    let finite = values.iter().flatten().copied().filter(|v| v.is_finite());
    let (mut lo, mut hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    if let Some(m) = cfg.custom.axis_soft_min {
        lo = lo.min(m);
    }
    if let Some(m) = cfg.custom.axis_soft_max {
        hi = hi.max(m);
    }
    if let Some(m) = cfg.min {
        lo = m;
    }
    if let Some(m) = cfg.max {
        hi = m;
    }
    if hi <= lo {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        (lo - pad, hi + pad)
    } else {
        (lo, hi)
    }
}

/// The browser's UTC offset in minutes (east positive), so axis labels read local time.
fn local_offset_minutes() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}
