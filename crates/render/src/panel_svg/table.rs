//! The table panel as SVG: one row per series (its last non-null value), one column per
//! label (sorted by name) plus `Value`, the value cell coloured by Grafana's
//! `getCellColors` for the field's cell type (`color-text`, `color-background` …). Label
//! values are escaped text.

use signalboard_display::table_cell::{cell_colors, CellColorMode};

use super::svg::{Align, Svg};
use super::PanelBody;
use crate::field::{effective_config, field_display};
use crate::paint::text_width;
use crate::style::palette;

const FONT_PX: f64 = 14.0;
const ROW_H: f64 = 36.0;
const PAD: f64 = 8.0;

/// Shortens `text` with an ellipsis to fit `width` pixels.
fn fit(text: &str, width: f64) -> String {
    if text_width(text, FONT_PX) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if text_width(&format!("{out}{c}…"), FONT_PX) > width {
            break;
        }
        out.push(c);
    }
    format!("{out}…")
}

/// The table panel body; see module docs.
pub fn table_svg(body: &PanelBody) -> Svg {
    let colors = palette(body.theme);
    let mut columns: Vec<&str> = Vec::new();
    for s in body.series {
        for (k, _) in s.labels {
            if !columns.contains(&k.as_str()) {
                columns.push(k);
            }
        }
    }
    columns.sort_unstable();
    let headers: Vec<&str> = columns.iter().copied().chain(["Value"]).collect();
    let col_w = body.width / headers.len().max(1) as f64;
    let mut svg = Svg::new();
    for (c, h) in headers.iter().enumerate() {
        let x = c as f64 * col_w;
        svg.text(
            x + PAD,
            ROW_H / 2.0,
            &fit(h, col_w - 2.0 * PAD),
            FONT_PX,
            colors.text,
            Align::Start,
            500,
        );
    }
    svg.rect(0.0, ROW_H - 1.0, body.width, 1.0, colors.border, 0.0);
    for (r, s) in body.series.iter().enumerate() {
        let y = ROW_H * (r as f64 + 1.0);
        if y + ROW_H > body.height {
            break;
        }
        for (c, key) in columns.iter().enumerate() {
            let value = s
                .labels
                .iter()
                .find(|(k, _)| k == key)
                .map_or("", |(_, v)| v.as_str());
            svg.text(
                c as f64 * col_w + PAD,
                y + ROW_H / 2.0,
                &fit(value, col_w - 2.0 * PAD),
                FONT_PX,
                colors.text,
                Align::Start,
                400,
            );
        }
        let cfg = effective_config(&body.panel.field_config, s.name, s.ref_id);
        let last = s.vs.iter().rev().find(|v| !v.is_nan()).copied();
        let shown = signalboard_display::display_value(last, &field_display(&cfg, r, body.theme));
        let mode = CellColorMode::parse(cfg.custom.cell_type.as_deref().unwrap_or("auto"), None);
        let cell = cell_colors(&shown.color, mode, body.theme);
        let x = columns.len() as f64 * col_w;
        if let Some(bg) = &cell.background {
            let paint = bg
                .strip_prefix("linear-gradient(")
                .map_or(bg.clone(), |_| shown.color.clone());
            svg.rect(x, y, col_w, ROW_H, &paint, 0.0);
        }
        let text_color = cell.text.unwrap_or_else(|| colors.text.to_string());
        svg.text(
            x + PAD,
            y + ROW_H / 2.0,
            &fit(&shown.full_text(), col_w - 2.0 * PAD),
            FONT_PX,
            &text_color,
            Align::Start,
            400,
        );
        svg.rect(0.0, y + ROW_H - 1.0, body.width, 1.0, colors.border, 0.0);
    }
    svg
}
