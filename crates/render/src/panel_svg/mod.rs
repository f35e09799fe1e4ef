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

pub use bargauge::bargauge_svg;
pub use gauge::gauge_svg;
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

/// Each series reduced with the panel's first calc, displayed through its field config
/// (one "No data" value when there are no series); `name` is the value's title, empty when
/// Grafana shows none ([`value_title`]).
pub(crate) fn reduce_all<'a>(body: &PanelBody<'a>, calcs: &[String]) -> Vec<Reduced<'a>> {
    let calc = calcs.first().map_or("lastNotNull", String::as_str);
    if body.series.is_empty() {
        let cfg = body.panel.field_config.defaults.clone();
        let mut shown =
            signalboard_display::display_value(None, &field_display(&cfg, 0, body.theme));
        if shown.full_text().trim().is_empty() {
            shown.text = "No data".into();
        }
        return vec![Reduced {
            name: String::new(),
            shown,
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
    use signalboard_dashboard::PanelKind;

    #[test]
    fn stat_and_table_are_unpadded_like_grafana() {
        assert!(super::no_padding(&PanelKind::Stat));
        assert!(super::no_padding(&PanelKind::Table));
        assert!(!super::no_padding(&PanelKind::Gauge));
        assert!(!super::no_padding(&PanelKind::TimeSeries));
    }
}
