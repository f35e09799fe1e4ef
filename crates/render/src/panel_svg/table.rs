//! The table panel as SVG: the first frame of [`crate::table::table_model`] (Grafana's
//! frames after the panel's transformations), one column per shown field, laid out like
//! Grafana 10–11's table (column widths by [`crate::table::TableModel::column_widths`],
//! a 28 px header, rows of the `cellHeight` pitch, 6 px cell padding, rows in the
//! `options.sortBy` order, rows that do not fit left out, 1 px borders between cells and
//! rows), cells coloured by Grafana's
//! `getCellColors` for the field's cell type (`color-text`, `color-background` …; a
//! gradient background is a horizontal SVG gradient between the CSS gradient's two colours,
//! over the whole row for `applyToRow`). With `options.footer` a footer row as tall as the
//! header sits at the bottom of the body under a 1 px border (Grafana keeps
//! `FOOTER_HEIGHT` free for it), its texts in medium weight, aligned like their column; a
//! row count has `Count` on the left and the number on the right. A frame without rows
//! shows its header and the no-rows text centred below (`TableModel::empty_text`). Every
//! text is escaped.

use super::svg::{Align, Svg};
use super::{gradient_stops, PanelBody};
use crate::paint::text_width;
use crate::style::palette;
use crate::table::{
    table_model, CellAlign, FooterCell, CELL_PADDING, FONT_PX, FOOTER_HEIGHT, HEADER_HEIGHT,
};

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

/// The SVG paint of a CSS background: a gradient becomes `url(#id)` of a new SVG gradient.
fn paint(svg: &mut Svg, css: &str, id: String) -> String {
    match gradient_stops(css) {
        Some((a, b)) => {
            svg.linear_gradient(&id, &[(0.0, a), (1.0, b)], false);
            format!("url(#{id})")
        }
        None => css.to_string(),
    }
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
    let widths = model.column_widths(body.width);
    let lefts: Vec<f64> = widths
        .iter()
        .scan(0.0, |x, w| {
            let left = *x;
            *x += w;
            Some(left)
        })
        .collect();
    let columns = || {
        model
            .columns
            .iter()
            .zip(lefts.iter().zip(&widths))
            .map(|(c, (l, w))| (c, *l, *w))
    };
    let x_of = |left: f64, width: f64, align: CellAlign| match align {
        CellAlign::Left => (left + CELL_PADDING, Align::Start),
        CellAlign::Center => (left + width / 2.0, Align::Middle),
        CellAlign::Right => (left + width - CELL_PADDING, Align::End),
    };
    let table_w = widths.iter().sum::<f64>();
    let mut svg = Svg::new();
    let mut y = 0.0;
    if model.show_header {
        for (col, left, width) in columns() {
            let (x, anchor) = x_of(left, width, col.align);
            svg.text(
                x,
                HEADER_HEIGHT / 2.0,
                &fit(&col.header, width - 2.0 * CELL_PADDING),
                FONT_PX,
                colors.text,
                anchor,
                500,
            );
        }
        svg.rect(0.0, HEADER_HEIGHT - 1.0, table_w, 1.0, colors.border, 0.0);
        y = HEADER_HEIGHT;
    }
    let row_h = model.row_height;
    let rows_bottom = match model.footer {
        Some(_) => body.height - FOOTER_HEIGHT,
        None => body.height,
    };
    if let Some(text) = model.empty_text(body.panel) {
        svg.text(
            body.width / 2.0,
            (y + rows_bottom) / 2.0,
            &text,
            FONT_PX,
            colors.text,
            Align::Middle,
            400,
        );
    }
    let order = model.sorted_rows(&model.initial_sort);
    for (shown, &r) in order.iter().enumerate() {
        if y + row_h > rows_bottom {
            break;
        }
        let row = model.row_colors.get(r).cloned().flatten();
        if let Some(bg) = row.as_ref().and_then(|c| c.background.as_deref()) {
            let fill = paint(&mut svg, bg, format!("table-row-{shown}"));
            svg.rect(0.0, y, table_w, row_h - 1.0, &fill, 0.0);
        }
        for (c, (col, left, width)) in columns().enumerate() {
            let Some(cell) = col.cells.get(r) else {
                continue;
            };
            if row.is_none() {
                if let Some(bg) = &cell.colors.background {
                    let fill = paint(&mut svg, bg, format!("table-cell-{shown}-{c}"));
                    svg.rect(left, y, width, row_h - 1.0, &fill, 0.0);
                }
            }
            // Cells are separated by a 1 px right border (not after the last).
            if c + 1 < model.columns.len() {
                svg.rect(left + width - 1.0, y, 1.0, row_h - 1.0, colors.border, 0.0);
            }
            let text_color = row
                .as_ref()
                .unwrap_or(&cell.colors)
                .text
                .clone()
                .unwrap_or_else(|| colors.text.to_string());
            let (x, anchor) = x_of(left, width, col.align);
            svg.text(
                x,
                y + row_h / 2.0,
                &fit(&cell.text, width - 2.0 * CELL_PADDING),
                FONT_PX,
                &text_color,
                anchor,
                400,
            );
        }
        // Grafana draws no border under the last row.
        if shown + 1 < order.len() {
            svg.rect(0.0, y + row_h - 1.0, table_w, 1.0, colors.border, 0.0);
        }
        y += row_h;
    }
    if let Some(footer) = &model.footer {
        let top = body.height - HEADER_HEIGHT;
        svg.rect(0.0, top - 1.0, table_w, 1.0, colors.border, 0.0);
        let mid = top + HEADER_HEIGHT / 2.0;
        let inner = |w: f64| w - 2.0 * CELL_PADDING;
        for (cell, (col, left, width)) in footer.iter().zip(columns()) {
            match cell {
                FooterCell::Empty => {}
                FooterCell::Text(text) => {
                    let (x, anchor) = x_of(left, width, col.align);
                    let text = fit(text, inner(width));
                    svg.text(x, mid, &text, FONT_PX, colors.text, anchor, 500);
                }
                FooterCell::Count(n) => {
                    let (l, r) = (left + CELL_PADDING, left + width - CELL_PADDING);
                    svg.text(l, mid, "Count", FONT_PX, colors.text, Align::Start, 500);
                    svg.text(r, mid, n, FONT_PX, colors.text, Align::End, 500);
                }
            }
        }
    }
    svg
}
