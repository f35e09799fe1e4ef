//! The bar gauge panel as SVG: one bar per value (stacked rows when horizontal, columns
//! when vertical; `auto` is vertical in a box wider than tall), laid out by Grafana 11's
//! `BarGauge` (`bar_gauge_layout`: the name left, above or below, the value column and its
//! font), filled to Grafana's `value_percent`, in the `basic` (translucent fill, solid
//! edge), `gradient` (threshold colours along the bar) or `lcd` (cells) look over the
//! unfilled track.

use signalboard_dashboard::{
    BarGaugeDisplayMode, BarGaugeOptions, FieldDefaults, Orientation, PanelOptions,
    BAR_GAUGE_MAX_VIZ_HEIGHT, BAR_GAUGE_MIN_VIZ_HEIGHT, BAR_GAUGE_MIN_VIZ_WIDTH,
};
use signalboard_display::bar_gauge::{
    alignment_widths_14px, bar_gauge_layout, basic_bar_colors, lcd_cells, value_percent,
    BarGaugeInput, LcdGeometry, LcdLayout, TitlePlacement,
};
use signalboard_display::repeater::{self, repeater_cells, Cell, RepeaterOptions};
use signalboard_display::thresholds::active_color;
use signalboard_display::Theme;

use super::svg::{Align, Svg};
use super::{reduce_all, PanelBody};
use crate::field::{display_thresholds, field_range_of};
use crate::style::palette;

/// Gap between bars: Grafana's `getItemSpacing` (2 px for `lcd`, else 10 px). The LCD
/// cells are spaced by the same 2 px.
pub fn item_spacing(opts: &BarGaugeOptions) -> f64 {
    if opts.display_mode == BarGaugeDisplayMode::Lcd {
        LCD_SPACING
    } else {
        10.0
    }
}

/// The gap after each LCD cell.
pub const LCD_SPACING: f64 = 2.0;
/// Grafana's `lcdCellWidth`.
pub const LCD_CELL_WIDTH: f64 = 12.0;

/// Whether the bars stand vertically (`auto`: in a box wider than tall) and one repeater cell
/// per bar, as Grafana 11's bar gauge lays out `count` values in `width` × `height`: bars
/// `item_spacing` apart, rows between `minVizHeight` and `maxVizHeight` tall and columns at
/// least `minVizWidth` wide — the panel's own with `sizing: manual`, else Grafana's defaults
/// (16, 300, 8) (`calcBarSize`). Cells past the box make the panel scroll.
pub fn bar_cells(
    opts: &BarGaugeOptions,
    count: usize,
    width: f64,
    height: f64,
) -> (bool, Vec<Cell>) {
    let vertical = match opts.orientation {
        Orientation::Vertical => true,
        Orientation::Auto => width > height,
        _ => false,
    };
    let orientation = if vertical {
        repeater::Orientation::Vertical
    } else {
        repeater::Orientation::Horizontal
    };
    let manual = |own: f64, default: f64| if opts.manual_sizing { own } else { default };
    let options = RepeaterOptions {
        orientation,
        auto_grid: false,
        spacing: item_spacing(opts),
        min_width: manual(opts.min_viz_width, BAR_GAUGE_MIN_VIZ_WIDTH),
        min_height: manual(opts.min_viz_height, BAR_GAUGE_MIN_VIZ_HEIGHT),
        max_height: manual(opts.max_viz_height, BAR_GAUGE_MAX_VIZ_HEIGHT),
    };
    (vertical, repeater_cells(count, width, height, &options))
}

/// Whether horizontal bars overflow the panel's `height` (it scrolls): Grafana's
/// `isOverflow`, which gives the value 15 px more right padding for the scroll bar.
pub fn bars_overflow(vertical: bool, cells: &[Cell], height: f64) -> bool {
    !vertical && cells.last().is_some_and(|c| c.y + c.height > height + 0.5)
}

/// Right padding of a horizontal bar's value: 10 px, 25 px when the bars overflow.
pub fn value_right_padding(overflow: bool) -> f64 {
    if overflow {
        25.0
    } else {
        10.0
    }
}

/// The LCD cells of a bar `length` px long (Grafana's `renderRetroBars`): `lcdCellWidth`
/// 12, [`LCD_SPACING`] after each cell, each cell coloured by the field's thresholds at the
/// value where it starts, lit up to the value. Shared by the SVG and the app.
pub fn lcd_bar(
    numeric: f64,
    cfg: &FieldDefaults,
    (min, max): (f64, f64),
    length: f64,
    theme: Theme,
) -> LcdLayout {
    let thresholds = display_thresholds(cfg);
    lcd_cells(
        numeric.is_finite().then_some(numeric),
        (min, max),
        &LcdGeometry {
            size_px: length,
            cell_width_px: LCD_CELL_WIDTH,
            spacing_px: LCD_SPACING,
        },
        theme,
        |v| active_color(v, &thresholds, min, max),
    )
}

/// `namePlacement` as [`bar_gauge_layout`] takes it (unknown values are `auto`).
pub fn name_placement(opts: &BarGaugeOptions) -> &'static str {
    match opts.name_placement.as_str() {
        "top" => "top",
        "left" => "left",
        "hidden" => "hidden",
        _ => "auto",
    }
}

/// The bar gauge panel body; see module docs.
pub fn bargauge_svg(body: &PanelBody) -> Svg {
    let opts = match &body.panel.options {
        PanelOptions::BarGauge(o) => o.clone(),
        _ => BarGaugeOptions::default(),
    };
    let values = reduce_all(body, &opts.reduce.calcs);
    let (vertical, cells) = bar_cells(&opts, values.len(), body.width, body.height);
    let overflow = bars_overflow(vertical, &cells, body.height);
    let colors = palette(body.theme);
    let columns: Vec<&[f64]> = body.series.iter().map(|s| s.vs).collect();
    let texts: Vec<String> = values.iter().map(|v| v.shown.full_text()).collect();
    let (title_w14, value_w14) = alignment_widths_14px(
        values
            .iter()
            .zip(&texts)
            .map(|(v, t)| (v.name.as_str(), t.as_str())),
    );
    let mut svg = Svg::new();
    for (i, (value, cell)) in values.iter().zip(&cells).enumerate() {
        let (min, max) = field_range_of(&value.cfg, &columns);
        let percent = value_percent(value.shown.numeric, min, max).clamp(0.0, 1.0);
        let text = value.shown.full_text();
        let layout = bar_gauge_layout(&BarGaugeInput {
            width: cell.width,
            height: cell.height,
            vertical,
            title_width_14px: title_w14.filter(|_| !value.name.is_empty()),
            value_width_14px: value_w14,
            name_placement: name_placement(&opts),
            value_hidden: opts.value_mode == "hidden",
        });
        match layout.title {
            TitlePlacement::Left => svg.text(
                cell.x + layout.title_width - 10.0,
                cell.y + cell.height / 2.0,
                &value.name,
                layout.title_font_px,
                colors.text,
                Align::End,
                400,
            ),
            TitlePlacement::Above if layout.title_height > 0.0 => svg.text(
                cell.x,
                cell.y + layout.title_height / 2.0,
                &value.name,
                layout.title_font_px,
                colors.text,
                Align::Start,
                400,
            ),
            TitlePlacement::Below => svg.text(
                cell.x + cell.width / 2.0,
                cell.y + cell.height - layout.title_height / 2.0,
                &value.name,
                layout.title_font_px,
                colors.text,
                Align::Middle,
                400,
            ),
            _ => {}
        }
        // The bar's box: horizontal bars start after a left name and under one above;
        // vertical ones stand on the name, under the value line.
        let (bx, by, bw, bh) = if vertical {
            (
                cell.x,
                cell.y + layout.value_height,
                layout.max_bar_width,
                layout.max_bar_height,
            )
        } else {
            (
                cell.x + layout.title_width,
                cell.y + layout.title_height,
                layout.max_bar_width,
                layout.max_bar_height,
            )
        };
        let (bw, bh) = (bw.max(1.0), bh.max(1.0));
        let size = if vertical { bh } else { bw };
        let color = value.shown.color.clone();
        let thresholds = display_thresholds(&value.cfg);
        let mut lcd_end = None;
        match opts.display_mode {
            BarGaugeDisplayMode::Lcd => {
                let lcd = lcd_bar(
                    value.shown.numeric,
                    &value.cfg,
                    (min, max),
                    size,
                    body.theme,
                );
                for (k, c) in lcd.cells.iter().enumerate() {
                    let offset = k as f64 * (lcd.cell_size + LCD_SPACING);
                    if vertical {
                        svg.rect(
                            bx,
                            by + bh - offset - lcd.cell_size,
                            bw,
                            lcd.cell_size,
                            &c.background,
                            2.0,
                        );
                    } else {
                        svg.rect(bx + offset, by, lcd.cell_size, bh, &c.background, 2.0);
                    }
                }
                // Grafana's value follows the cells, which may end short of the bar's box.
                lcd_end = Some(lcd.cells.len() as f64 * (lcd.cell_size + LCD_SPACING));
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
        if opts.value_mode != "hidden" {
            let value_color = if opts.value_mode == "text" {
                colors.text.to_string()
            } else {
                color.clone()
            };
            if vertical {
                svg.text(
                    bx + bw / 2.0,
                    cell.y + layout.value_height / 2.0,
                    &text,
                    layout.value_font_px,
                    &value_color,
                    Align::Middle,
                    500,
                );
            } else {
                svg.text(
                    bx + lcd_end.unwrap_or(bw) + layout.value_width - value_right_padding(overflow),
                    by + bh / 2.0,
                    &text,
                    layout.value_font_px,
                    &value_color,
                    Align::End,
                    500,
                );
            }
        }
    }
    svg
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn sizing_spacing_and_overflow_follow_grafana_11() {
        let auto = BarGaugeOptions {
            orientation: Orientation::Horizontal,
            ..BarGaugeOptions::default()
        };
        // sizing auto still caps rows at Grafana's default maxVizHeight 300, 10 px apart.
        let (vertical, cells) = bar_cells(&auto, 2, 400.0, 900.0);
        assert!(!vertical);
        assert_eq!((cells[0].height, cells[1].y), (300.0, 310.0));
        assert!(!bars_overflow(vertical, &cells, 900.0));
        // sizing manual: the panel's minVizHeight wins; rows past the body scroll, and the
        // value then gets the 15 px extra right padding.
        let manual = BarGaugeOptions {
            manual_sizing: true,
            min_viz_height: 80.0,
            ..auto.clone()
        };
        let (vertical, cells) = bar_cells(&manual, 3, 400.0, 200.0);
        assert_eq!(cells[2].y, 2.0 * 90.0);
        assert!(bars_overflow(vertical, &cells, 200.0));
        assert_eq!(value_right_padding(true), 25.0);
        // lcd: bars and cells 2 px apart; columns keep minVizWidth (manual) side by side.
        let lcd = BarGaugeOptions {
            display_mode: BarGaugeDisplayMode::Lcd,
            orientation: Orientation::Vertical,
            manual_sizing: true,
            min_viz_width: 150.0,
            ..BarGaugeOptions::default()
        };
        let (vertical, cells) = bar_cells(&lcd, 4, 400.0, 200.0);
        assert!(vertical);
        assert_eq!((cells[1].x, cells[1].width), (152.0, 150.0));
        assert!(
            !bars_overflow(vertical, &cells, 200.0),
            "only rows overflow downwards"
        );
    }
}
