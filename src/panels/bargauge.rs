//! Bar gauge panel: one bar per series in Grafana's repeater (stacked rows when horizontal,
//! columns when vertical; `auto` is vertical in a box wider than tall), each laid out by
//! Grafana 11's `BarGauge` (`signalboard_display::bar_gauge::bar_gauge_layout`: the name on
//! the left, above or below, the value column and its fitted font), filled to
//! `value_percent` of the field's range in the basic (35 % fill, 2 px edge) or gradient
//! (threshold colours along the bar) look over the unfilled track, or as the SVG renderer's
//! LCD cells (`lcd_bar`). Bars are `item_spacing` apart within Grafana 11's sizing
//! (`bar_cells`: `sizing: manual` min/max sizes); the body scrolls when they overflow. A bar's name
//! follows Grafana's title rule (`field::value_title`: none for a lone bar); without series
//! one "No data" bar.

use std::sync::Arc;

use leptos::prelude::*;
use signalboard_core::dashboard::{
    BarGaugeDisplayMode, BarGaugeOptions, FieldDefaults, Panel, PanelOptions,
};
use signalboard_core::display::bar_gauge::{
    alignment_widths_14px, bar_gauge_layout, basic_bar_colors, threshold_gradient, value_percent,
    BarGaugeInput, TitlePlacement,
};
use signalboard_core::display::display::DisplayValue;
use signalboard_render::field::{display_thresholds, field_range_of};
use signalboard_render::panel_svg::{
    bar_cells, bars_overflow, lcd_bar, name_placement, no_values_display, value_right_padding,
    LCD_SPACING,
};

use super::field::{
    color_attr, current_theme, display, effective_config, reduce, value_attr, value_title,
};
use super::size::element_size;
use super::DataMemo;

fn options(panel: &Panel) -> BarGaugeOptions {
    match &panel.options {
        PanelOptions::BarGauge(o) => o.clone(),
        _ => BarGaugeOptions::default(),
    }
}

/// One bar's value: its name (if shown), display and field config.
struct Bar {
    name: Option<String>,
    shown: DisplayValue,
    cfg: FieldDefaults,
}

/// `namePlacement` as the layout reads it.
#[component]
pub fn BarGaugeBody(panel: Arc<Panel>, data: DataMemo) -> impl IntoView {
    let opts = options(&panel);
    let calc = opts
        .reduce
        .calcs
        .first()
        .cloned()
        .unwrap_or_else(|| "lastNotNull".into());
    let body = NodeRef::<leptos::html::Div>::new();
    let size = element_size(body);
    let bars = move || {
        let (w, h) = size.get();
        if w <= 0.0 || h <= 0.0 {
            return Vec::new();
        }
        let theme = current_theme();
        let (bars, columns) = data.with(|(d, _)| {
            let columns: Vec<Vec<f64>> = d.series.iter().map(|s| s.vs.clone()).collect();
            if d.series.is_empty() {
                // Grafana's one "No data" value (its null text, if any), an empty bar.
                let cfg = panel.field_config.defaults.clone();
                let shown = no_values_display(&cfg, theme);
                return (
                    vec![Bar {
                        name: None,
                        shown,
                        cfg,
                    }],
                    columns,
                );
            }
            let count = d.series.len();
            let bars = d
                .series
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let cfg = effective_config(&panel, s);
                    let shown = display(reduce(s, &calc), &cfg, i);
                    let name = value_title(&panel, count, &cfg, s);
                    Bar { name, shown, cfg }
                })
                .collect::<Vec<_>>();
            (bars, columns)
        });
        let columns: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
        let texts: Vec<String> = bars.iter().map(|b| b.shown.full_text()).collect();
        let (title_w14, value_w14) = alignment_widths_14px(
            bars.iter()
                .zip(&texts)
                .map(|(b, t)| (b.name.as_deref().unwrap_or(""), t.as_str())),
        );
        let (vertical, cells) = bar_cells(&opts, bars.len(), w, h);
        let overflow = bars_overflow(vertical, &cells, h);
        bars.into_iter()
            .zip(cells)
            .map(|(bar, cell)| {
                let (min, max) = field_range_of(&bar.cfg, &columns);
                let text = bar.shown.full_text();
                let layout = bar_gauge_layout(&BarGaugeInput {
                    width: cell.width,
                    height: cell.height,
                    vertical,
                    title_width_14px: bar.name.as_ref().and(title_w14),
                    value_width_14px: value_w14,
                    name_placement: name_placement(&opts),
                    value_hidden: opts.value_mode == "hidden",
                });
                let percent = value_percent(bar.shown.numeric, min, max).max(0.0);
                let color = bar.shown.color.clone();
                let (length, thickness) = if vertical {
                    (layout.max_bar_height, layout.max_bar_width)
                } else {
                    (layout.max_bar_width, layout.max_bar_height)
                };
                // Grafana draws at least a 1 px bar.
                let filled = (percent * length).max(1.0);
                let (w_css, h_css) = if vertical {
                    (thickness, filled)
                } else {
                    (filled, thickness)
                };
                let mut bar_style = format!("width:{w_css}px;height:{h_css}px;");
                let mut lcd = None;
                match opts.display_mode {
                    BarGaugeDisplayMode::Basic => {
                        let (fill, edge, _) = basic_bar_colors(&color, theme);
                        let side = if vertical { "top" } else { "right" };
                        bar_style.push_str(&format!("background:{fill};border-{side}:2px solid {edge};"));
                    }
                    BarGaugeDisplayMode::Lcd => {
                        // The SVG renderer's cells; lit ones in Grafana's radial gradient.
                        let cells = lcd_bar(bar.shown.numeric, &bar.cfg, (min, max), length, theme);
                        let size = cells.cell_size;
                        let (cw, ch, margin) = if vertical {
                            (thickness, size, "margin-top")
                        } else {
                            (size, thickness, "margin-right")
                        };
                        lcd = Some(
                            cells
                                .cells
                                .into_iter()
                                .map(|c| {
                                    let paint = match &c.shade {
                                        Some(shade) => format!(
                                            "background-image:radial-gradient({} 10%, {shade})",
                                            c.background
                                        ),
                                        None => format!("background-color:{}", c.background),
                                    };
                                    let style = format!(
                                        "width:{cw}px;height:{ch}px;{margin}:{LCD_SPACING}px;{paint}"
                                    );
                                    view! { <div class="lcd-cell" prop:style=style></div> }
                                })
                                .collect::<Vec<_>>(),
                        );
                    }
                    _ => {
                        let thresholds = display_thresholds(&bar.cfg);
                        let bg = threshold_gradient(
                            &thresholds,
                            bar.shown.numeric,
                            min,
                            max,
                            length,
                            vertical,
                            theme,
                        );
                        bar_style.push_str(&format!("background:{bg};"));
                    }
                }
                let value_color = if opts.value_mode == "text" {
                    "var(--text)".to_string()
                } else {
                    color.clone()
                };
                let value_style = format!(
                    "width:{}px;height:{}px;font-size:{}px;color:{value_color};padding-right:{}px",
                    layout.value_width,
                    layout.value_height,
                    layout.value_font_px,
                    if vertical { 0.0 } else { value_right_padding(overflow) }
                );
                let empty_style = if vertical {
                    format!("width:{}px", layout.value_width)
                } else {
                    format!("height:{}px", layout.value_height)
                };
                let title = bar.name.filter(|_| layout.title != TitlePlacement::Hidden).map(|name| {
                    let style = match layout.title {
                        TitlePlacement::Left => format!(
                            "font-size:{}px;width:{}px",
                            layout.title_font_px, layout.title_width
                        ),
                        _ => format!(
                            "font-size:{}px;height:{}px",
                            layout.title_font_px, layout.title_height
                        ),
                    };
                    let tip = name.clone();
                    view! { <div class="bar-name" title=tip prop:style=style>{name}</div> }
                });
                let cell_class = match layout.title {
                    TitlePlacement::Left => "bar-cell name-left",
                    TitlePlacement::Below => "bar-cell name-below",
                    _ => "bar-cell",
                };
                let cell_style = format!(
                    "left:{}px;top:{}px;width:{}px;height:{}px",
                    cell.x, cell.y, cell.width, cell.height
                );
                let idx = bar.shown.threshold_index.map(|i| i.to_string());
                let value = (opts.value_mode != "hidden").then(|| {
                    view! {
                        <div class="bar-value" prop:style=value_style data-value=value_attr(&bar.shown)
                            data-color=color_attr(&bar.shown) data-threshold-index=idx>{text}</div>
                    }
                });
                let wrap = if vertical { "bar-wrap vertical" } else { "bar-wrap" };
                // Grafana's LCD bar has no unfilled track: its cells, then the value.
                let bar = match lcd {
                    Some(cells) => cells.into_any(),
                    None => {
                        let empty = opts.show_unfilled.then(
                            || view! { <div class="bar-empty" prop:style=empty_style></div> },
                        );
                        view! { <div class="bar-fill" prop:style=bar_style></div> {empty} }
                            .into_any()
                    }
                };
                view! {
                    <div class=cell_class prop:style=cell_style>
                        {title}
                        <div class=wrap>
                            {bar}
                            {value}
                        </div>
                    </div>
                }
            })
            .collect::<Vec<_>>()
    };
    view! { <div class="bargauge-body" node_ref=body>{bars}</div> }
}
