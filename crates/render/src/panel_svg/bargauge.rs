//! The bar gauge panel as SVG: one bar per value (stacked rows when horizontal, columns
//! when vertical), filled to Grafana's `value_percent`, in the `basic` (translucent fill,
//! solid edge), `gradient` (threshold colours along the bar) or `lcd` (cells) look, with
//! the name above and the value at the end.

use signalboard_dashboard::{BarGaugeDisplayMode, BarGaugeOptions, Orientation, PanelOptions};
use signalboard_display::bar_gauge::{basic_bar_colors, lcd_cells, value_percent, LcdGeometry};
use signalboard_display::range::field_range;
use signalboard_display::repeater::{self, repeater_cells, RepeaterOptions};
use signalboard_display::thresholds::active_color;

use super::svg::{Align, Svg};
use super::{reduce_all, PanelBody};
use crate::field::display_thresholds;
use crate::style::palette;

const NAME_PX: f64 = 14.0;
const VALUE_PX: f64 = 20.0;

/// The bar gauge panel body; see module docs.
pub fn bargauge_svg(body: &PanelBody) -> Svg {
    let opts = match &body.panel.options {
        PanelOptions::BarGauge(o) => o.clone(),
        _ => BarGaugeOptions::default(),
    };
    let vertical = opts.orientation == Orientation::Vertical;
    let values = reduce_all(body, &opts.reduce.calcs);
    let cells = repeater_cells(
        values.len(),
        body.width,
        body.height,
        &RepeaterOptions {
            orientation: if vertical {
                repeater::Orientation::Vertical
            } else {
                repeater::Orientation::Horizontal
            },
            auto_grid: false,
            ..RepeaterOptions::default()
        },
    );
    let colors = palette(body.theme);
    let columns: Vec<&[f64]> = body.series.iter().map(|s| s.vs).collect();
    let mut svg = Svg::new();
    for (i, (value, cell)) in values.iter().zip(&cells).enumerate() {
        let (min, max) = field_range(
            value.cfg.unit.as_deref().unwrap_or(""),
            value.cfg.min,
            value.cfg.max,
            &columns,
        );
        let percent = value_percent(value.shown.numeric, min, max).clamp(0.0, 1.0);
        let text = value.shown.full_text();
        let name_h = if value.name.is_empty() {
            0.0
        } else {
            NAME_PX * 1.4
        };
        if name_h > 0.0 {
            svg.text(
                cell.x,
                cell.y + name_h / 2.0,
                &value.name,
                NAME_PX,
                colors.text,
                Align::Start,
                400,
            );
        }
        let value_w = if vertical {
            0.0
        } else {
            super::super::paint::text_width(&text, VALUE_PX) + 10.0
        };
        let (bx, by) = (cell.x, cell.y + name_h);
        let (bw, bh) = (
            (cell.width - value_w).max(1.0),
            (cell.height - name_h - if vertical { VALUE_PX * 1.4 } else { 0.0 }).max(1.0),
        );
        let size = if vertical { bh } else { bw };
        let color = value.shown.color.clone();
        let thresholds = display_thresholds(&value.cfg);
        match opts.display_mode {
            BarGaugeDisplayMode::Lcd => {
                let layout = lcd_cells(
                    value
                        .shown
                        .numeric
                        .is_finite()
                        .then_some(value.shown.numeric),
                    (min, max),
                    &LcdGeometry {
                        size_px: size,
                        cell_width_px: 12.0,
                        spacing_px: 2.0,
                    },
                    body.theme,
                    |v| active_color(v, &thresholds, min, max),
                );
                for (k, c) in layout.cells.iter().enumerate() {
                    let offset = k as f64 * (layout.cell_size + 2.0);
                    if vertical {
                        svg.rect(
                            bx,
                            by + bh - offset - layout.cell_size,
                            bw,
                            layout.cell_size,
                            &c.background,
                            2.0,
                        );
                    } else {
                        svg.rect(bx + offset, by, layout.cell_size, bh, &c.background, 2.0);
                    }
                }
            }
            ref mode => {
                let (fill, edge, empty) = basic_bar_colors(&color, body.theme);
                if opts.show_unfilled {
                    svg.rect(bx, by, bw, bh, &empty, 2.0);
                }
                let filled = size * percent;
                let paint = if *mode == BarGaugeDisplayMode::Basic {
                    fill
                } else {
                    let id = format!("bar-{i}");
                    let stops: Vec<(f64, String)> = thresholds
                        .steps
                        .iter()
                        .filter(|s| s.value <= value.shown.numeric)
                        .map(|s| {
                            let at = if s.value.is_finite() {
                                ((s.value - min) / (max - min) / percent.max(1e-9)).clamp(0.0, 1.0)
                            } else {
                                0.0
                            };
                            (
                                at,
                                signalboard_display::colors::resolve_color_in(&s.color, body.theme),
                            )
                        })
                        .collect();
                    svg.linear_gradient(&id, &stops, vertical);
                    format!("url(#{id})")
                };
                if vertical {
                    svg.rect(bx, by + bh - filled, bw, filled, &paint, 2.0);
                } else {
                    svg.rect(bx, by, filled, bh, &paint, 2.0);
                    if *mode == BarGaugeDisplayMode::Basic {
                        svg.rect(bx + filled - 2.0, by, 2.0, bh, &edge, 0.0);
                    }
                }
            }
        }
        if vertical {
            svg.text(
                bx + bw / 2.0,
                by + bh + VALUE_PX * 0.7,
                &text,
                VALUE_PX,
                &color,
                Align::Middle,
                500,
            );
        } else {
            svg.text(
                cell.x + cell.width,
                by + bh / 2.0,
                &text,
                VALUE_PX,
                &color,
                Align::End,
                500,
            );
        }
    }
    svg
}
