//! Stat, gauge, bar gauge, table and text panels as SVG, from the same
//! `signalboard-display` geometry and colours the app's DOM panels use (Grafana's
//! `BigValueLayout`, flot-gauge layout, `BarGauge`, `getCellColors`, sanitised markup).
//! Every dashboard-provided string goes through [`svg::escape`]; element and attribute
//! names are fixed, so dashboard JSON cannot add markup to the SVG.
//!
//! With the `svg` feature, [`render::render_panel_svg`] renders any panel kind to a whole SVG
//! document (time series and heatmaps through plotters' SVG backend).

mod bargauge;
mod gauge;
#[cfg(feature = "svg")]
pub mod render;
mod stat;
pub mod svg;
mod table;
mod text;

use signalboard_dashboard::Panel;
use signalboard_display::display::DisplayValue;
use signalboard_display::{reducers, Theme};

pub use bargauge::{
    bar_cells, bargauge_svg, bars_overflow, item_spacing, lcd_bar, name_placement,
    value_right_padding, LCD_CELL_WIDTH, LCD_SPACING,
};
pub use gauge::{gauge_drawings, gauge_svg, GaugeDrawing, GaugeText};
pub use stat::stat_svg;
pub use table::table_svg;
pub use text::text_svg;

use crate::field::{effective_config, field_display, value_title};
use crate::series::SeriesRef;

/// Panel kinds whose Grafana plugin sets `noPadding` (`setNoPadding()` in the stat and
/// table modules): their body fills the panel's content box, with no 8 px inset.
pub fn no_padding(kind: &signalboard_dashboard::PanelKind) -> bool {
    matches!(
        kind,
        signalboard_dashboard::PanelKind::Stat | signalboard_dashboard::PanelKind::Table
    )
}

/// Grafana's `PanelDataErrorView` text, for the panel kinds whose plugin shows it instead of
/// their body when the query results hold no sample (every frame empty): time series,
/// heatmap and table. It is the field default `noValue`, else `No data`, drawn centred in
/// the secondary text colour at [`NO_DATA_FONT_PX`]. Stat, gauge and bar gauge show their
/// own `No data` value instead; text and alert lists need no data.
pub fn no_data_message(panel: &Panel, series: &[SeriesRef<'_>]) -> Option<String> {
    use signalboard_dashboard::PanelKind;
    let shows_message = matches!(
        panel.kind,
        PanelKind::TimeSeries | PanelKind::Heatmap | PanelKind::Table
    );
    (shows_message && series.iter().all(|s| s.vs.is_empty()))
        .then(|| crate::field::no_value_text(panel))
}

/// The no-data message's font size (CSS px): Grafana's `theme.typography.size.lg`.
pub const NO_DATA_FONT_PX: f64 = 18.0;

/// One panel body to draw: the panel, its series, the body box and theme.
#[derive(Debug, Clone, Copy)]
pub struct PanelBody<'a> {
    pub panel: &'a Panel,
    pub series: &'a [SeriesRef<'a>],
    pub width: f64,
    pub height: f64,
    pub theme: Theme,
    /// Minutes east of UTC for times shown as text (table time fields).
    pub utc_offset_minutes: i32,
}

/// One reduced value of a single-value panel (stat, gauge, bar gauge).
#[derive(Debug, Clone)]
pub(crate) struct Reduced<'a> {
    pub name: String,
    pub shown: DisplayValue,
    pub cfg: signalboard_dashboard::FieldDefaults,
    pub series: Option<SeriesRef<'a>>,
}

/// The two colours of a `linear-gradient(120deg, a, b)` CSS background.
pub(crate) fn gradient_stops(css: &str) -> Option<(String, String)> {
    let inner = css
        .strip_prefix("linear-gradient(120deg, ")?
        .strip_suffix(')')?;
    let split = inner.find("), ")? + 1;
    let (a, b) = inner.split_at(split);
    Some((a.to_string(), b.trim_start_matches(", ").to_string()))
}

/// The one value a stat, gauge or bar gauge shows without any series (Grafana's
/// `createNoValuesFieldDisplay`): null through the panel defaults' display (so `noValue`
/// and a null mapping apply, coloured like null), else the text `No data`.
pub fn no_values_display(
    defaults: &signalboard_dashboard::FieldDefaults,
    theme: Theme,
) -> DisplayValue {
    let mut shown = signalboard_display::display_value(None, &field_display(defaults, 0, theme));
    if shown.full_text().trim().is_empty() {
        shown.text = "No data".into();
    }
    shown
}

/// Each series reduced with the panel's first calc, displayed through its field config
/// (one "No data" value when there are no series); `name` is the value's title, empty when
/// Grafana shows none ([`value_title`]).
pub(crate) fn reduce_all<'a>(body: &PanelBody<'a>, calcs: &[String]) -> Vec<Reduced<'a>> {
    let calc = calcs.first().map_or("lastNotNull", String::as_str);
    if body.series.is_empty() {
        let cfg = body.panel.field_config.defaults.clone();
        return vec![Reduced {
            name: String::new(),
            shown: no_values_display(&cfg, body.theme),
            cfg,
            series: None,
        }];
    }
    body.series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let cfg = effective_config(&body.panel.field_config, s.name, s.ref_id);
            let value = reducers::reduce_f64(s.vs, calc).ok().flatten();
            let shown =
                signalboard_display::display_value(value, &field_display(&cfg, i, body.theme));
            Reduced {
                name: value_title(
                    body.series.len(),
                    &body.panel.field_config.defaults,
                    &cfg,
                    s.name,
                )
                .unwrap_or_default(),
                shown,
                cfg,
                series: Some(*s),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use signalboard_dashboard::{GridPos, Panel, PanelKind};

    use crate::series::SeriesRef;

    #[test]
    fn single_value_panels_without_series_show_no_data_or_their_null_text() {
        use signalboard_dashboard::FieldDefaults;
        use signalboard_display::Theme;
        let mut defaults = FieldDefaults::default();
        assert_eq!(
            super::no_values_display(&defaults, Theme::Dark).full_text(),
            "No data"
        );
        defaults.no_value = Some("N/A".into());
        assert_eq!(
            super::no_values_display(&defaults, Theme::Dark).full_text(),
            "N/A"
        );
    }

    #[test]
    fn no_data_message_for_charts_and_tables_without_samples() {
        let mut panel = Panel::new(1, PanelKind::TimeSeries, GridPos::default());
        let labels = Vec::new();
        let empty = SeriesRef {
            name: "up",
            ref_id: "A",
            labels: &labels,
            ts: &[],
            vs: &[],
        };
        let one = SeriesRef {
            ts: &[1.0],
            vs: &[f64::NAN],
            ..empty
        };
        assert_eq!(
            super::no_data_message(&panel, &[]).as_deref(),
            Some("No data")
        );
        assert_eq!(
            super::no_data_message(&panel, &[empty]).as_deref(),
            Some("No data"),
            "a series without samples is an empty frame"
        );
        assert_eq!(
            super::no_data_message(&panel, &[empty, one]),
            None,
            "one sample, even null, is drawn"
        );
        panel.field_config.defaults.no_value = Some("Nothing yet".into());
        assert_eq!(
            super::no_data_message(&panel, &[]).as_deref(),
            Some("Nothing yet"),
            "noValue replaces the text"
        );
        for kind in [PanelKind::Heatmap, PanelKind::Table] {
            panel.kind = kind;
            assert!(super::no_data_message(&panel, &[]).is_some());
        }
        for kind in [
            PanelKind::Stat,
            PanelKind::Gauge,
            PanelKind::BarGauge,
            PanelKind::Text,
        ] {
            panel.kind = kind;
            assert_eq!(
                super::no_data_message(&panel, &[]),
                None,
                "shows its own value"
            );
        }
    }

    #[test]
    fn stat_and_table_are_unpadded_like_grafana() {
        assert!(super::no_padding(&PanelKind::Stat));
        assert!(super::no_padding(&PanelKind::Table));
        assert!(!super::no_padding(&PanelKind::Gauge));
        assert!(!super::no_padding(&PanelKind::TimeSeries));
    }
}
