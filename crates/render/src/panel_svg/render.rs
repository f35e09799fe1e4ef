//! Whole-panel SVG documents (`signalboard-cli render`): the panel frame (background,
//! border, escaped title) and its body — time series and heatmaps drawn by the same
//! plotters code as the app's canvas, through plotters' SVG backend; the other kinds by
//! this module's SVG builders. Deterministic: no clock, no fonts, fixed UTC offset. The body
//! is inset 8 px except for stat and table, whose Grafana plugins draw unpadded
//! ([`super::no_padding`]). A time series, heatmap or table without samples shows Grafana's
//! no-data text in place of its body ([`super::no_data_message`]).

use plotters::backend::SVGBackend;
use plotters::drawing::IntoDrawingArea;
use signalboard_dashboard::{LegendDisplayMode, Panel, PanelKind, PanelOptions};
use signalboard_display::Theme;

use super::svg::{Align, Svg};
use super::{
    bargauge_svg, gauge_svg, no_data_message, no_padding, stat_svg, table_svg, text_svg, PanelBody,
    NO_DATA_FONT_PX,
};
use crate::error::RenderError;
use crate::field::{effective_config, series_color};
use crate::heatmap::{draw_heatmap, HeatmapSpec};
use crate::paint::{text_width, Surface};
use crate::series::{OwnedSeries, SeriesRef};
use crate::style::palette;
use crate::timeseries::{draw_timeseries, ChartSeries, ChartSpec};

const TITLE_H: f64 = 32.0;
const PAD: f64 = 8.0;
const LEGEND_H: f64 = 24.0;

/// Size, theme and time of a render.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RenderOptions {
    pub width: f64,
    pub height: f64,
    pub theme: Theme,
    pub start_ms: f64,
    pub end_ms: f64,
    pub utc_offset_minutes: i32,
}

/// `panel` with `series` as one SVG document; see module docs.
pub fn render_panel_svg(
    panel: &Panel,
    series: &[OwnedSeries],
    opts: &RenderOptions,
) -> Result<String, RenderError> {
    if !(opts.width >= 60.0
        && opts.height >= 60.0
        && opts.width <= 10_000.0
        && opts.height <= 10_000.0)
    {
        return Err(RenderError(format!(
            "size {}x{} out of range (60..10000 pixels each way)",
            opts.width, opts.height
        )));
    }
    let colors = palette(opts.theme);
    let mut doc = Svg::new();
    doc.rect(0.0, 0.0, opts.width, opts.height, colors.background, 2.0);
    doc.text(
        PAD,
        TITLE_H / 2.0,
        &panel.title,
        14.0,
        colors.text,
        Align::Start,
        500,
    );
    let refs: Vec<SeriesRef> = series.iter().map(OwnedSeries::as_ref).collect();
    // Grafana's stat and table plugins set `noPadding`: their body is the whole content box.
    let pad = if no_padding(&panel.kind) { 0.0 } else { PAD };
    let (bw, bh) = (opts.width - 2.0 * pad, opts.height - TITLE_H - pad);
    let body = PanelBody {
        panel,
        series: &refs,
        width: bw,
        height: bh,
        theme: opts.theme,
        utc_offset_minutes: opts.utc_offset_minutes,
    };
    if let Some(message) = no_data_message(panel, &refs) {
        doc.text(
            opts.width / 2.0,
            TITLE_H + bh / 2.0,
            &message,
            NO_DATA_FONT_PX,
            colors.text_secondary,
            Align::Middle,
            400,
        );
        return Ok(doc.document(opts.width, opts.height));
    }
    match &panel.kind {
        PanelKind::TimeSeries => timeseries(&mut doc, &body, opts)?,
        PanelKind::Heatmap => {
            let spec = HeatmapSpec {
                start_ms: opts.start_ms,
                end_ms: opts.end_ms,
                theme: opts.theme,
                utc_offset_minutes: opts.utc_offset_minutes,
                background: false,
            };
            let mut out = String::new();
            {
                let area =
                    SVGBackend::with_string(&mut out, (bw as u32, bh as u32)).into_drawing_area();
                draw_heatmap(&area, Surface::svg(bw, bh), panel, &refs, &spec)?;
                area.present()?;
            }
            doc.plotters_document(PAD, TITLE_H, &out);
        }
        PanelKind::Stat => doc.group(0.0, TITLE_H, &stat_svg(&body)),
        PanelKind::Gauge => doc.group(PAD, TITLE_H, &gauge_svg(&body)),
        PanelKind::BarGauge => doc.group(PAD, TITLE_H, &bargauge_svg(&body)),
        PanelKind::Table => doc.group(0.0, TITLE_H, &table_svg(&body)),
        PanelKind::Text => doc.group(PAD, TITLE_H, &text_svg(&body)),
        other => {
            return Err(RenderError(format!(
                "panel type {:?} is not rendered",
                other.grafana_type()
            )))
        }
    }
    Ok(doc.document(opts.width, opts.height))
}

fn timeseries(doc: &mut Svg, body: &PanelBody, opts: &RenderOptions) -> Result<(), RenderError> {
    let legend = match &body.panel.options {
        PanelOptions::TimeSeries(o) => {
            o.legend.show && o.legend.display_mode != LegendDisplayMode::Hidden
        }
        _ => true,
    } && !body.series.is_empty();
    let chart_h = body.height - if legend { LEGEND_H } else { 0.0 };
    let chart: Vec<ChartSeries> = body
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let cfg = effective_config(&body.panel.field_config, s.name, s.ref_id);
            ChartSeries {
                name: s.name,
                ts: s.ts,
                vs: s.vs,
                color: series_color(&cfg, i, s.name, opts.theme),
                cfg,
            }
        })
        .collect();
    let spec = ChartSpec {
        series: &chart,
        defaults: &body.panel.field_config.defaults,
        start_ms: opts.start_ms,
        end_ms: opts.end_ms,
        theme: opts.theme,
        utc_offset_minutes: opts.utc_offset_minutes,
        background: false,
    };
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, (body.width as u32, chart_h as u32))
            .into_drawing_area();
        draw_timeseries(&area, Surface::svg(body.width, chart_h), &spec)?;
        area.present()?;
    }
    doc.plotters_document(PAD, TITLE_H, &out);
    if legend {
        let mut items = Svg::new();
        let mut x = 0.0;
        let text = palette(opts.theme).text;
        for s in &chart {
            let name = s.cfg.display_name.as_deref().unwrap_or(s.name);
            items.rect(x, LEGEND_H / 2.0 - 2.0, 14.0, 4.0, &s.color, 1.0);
            items.text(
                x + 20.0,
                LEGEND_H / 2.0,
                name,
                12.0,
                text,
                Align::Start,
                400,
            );
            x += 20.0 + text_width(name, 12.0) + 16.0;
        }
        doc.group(PAD, TITLE_H + chart_h, &items);
    }
    Ok(())
}
