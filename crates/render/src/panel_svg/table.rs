//! The table panel as SVG: the first frame of [`crate::table::table_model`] (Grafana's
//! frames after the panel's transformations), one column per shown field, cells coloured by
//! Grafana's `getCellColors` for the field's cell type (`color-text`, `color-background` …;
//! a gradient background is drawn in its value colour). Every text is escaped.

use super::svg::{Align, Svg};
use super::PanelBody;
use crate::paint::text_width;
use crate::style::palette;
use crate::table::{table_model, CellAlign};

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
    let model = table_model(
        body.panel,
        body.series,
        body.theme,
        body.utc_offset_minutes,
        0,
    );
    let col_w = body.width / model.columns.len().max(1) as f64;
    let x_of = |c: usize, align: CellAlign| {
        let left = c as f64 * col_w;
        match align {
            CellAlign::Left => (left + PAD, Align::Start),
            CellAlign::Center => (left + col_w / 2.0, Align::Middle),
            CellAlign::Right => (left + col_w - PAD, Align::End),
        }
    };
    let mut svg = Svg::new();
    for (c, col) in model.columns.iter().enumerate() {
        let (x, anchor) = x_of(c, col.align);
        svg.text(
            x,
            ROW_H / 2.0,
            &fit(&col.header, col_w - 2.0 * PAD),
            FONT_PX,
            colors.text,
            anchor,
            500,
        );
    }
    svg.rect(0.0, ROW_H - 1.0, body.width, 1.0, colors.border, 0.0);
    for r in 0..model.rows() {
        let y = ROW_H * (r as f64 + 1.0);
        if y + ROW_H > body.height {
            break;
        }
        let row = model.row_colors.get(r).cloned().flatten();
        for (c, col) in model.columns.iter().enumerate() {
            let Some(cell) = col.cells.get(r) else {
                continue;
            };
            let cell_colors = row.as_ref().unwrap_or(&cell.colors);
            if let Some(bg) = &cell_colors.background {
                // SVG has no CSS gradients: a gradient cell is filled with its value colour.
                let paint = match (bg.strip_prefix("linear-gradient("), &cell.color) {
                    (Some(_), Some(color)) => color.clone(),
                    _ => bg.clone(),
                };
                svg.rect(c as f64 * col_w, y, col_w, ROW_H, &paint, 0.0);
            }
            let text_color = cell_colors
                .text
                .clone()
                .unwrap_or_else(|| colors.text.to_string());
            let (x, anchor) = x_of(c, col.align);
            svg.text(
                x,
                y + ROW_H / 2.0,
                &fit(&cell.text, col_w - 2.0 * PAD),
                FONT_PX,
                &text_color,
                anchor,
                400,
            );
        }
        svg.rect(0.0, y + ROW_H - 1.0, body.width, 1.0, colors.border, 0.0);
    }
    svg
}
