//! Panel options, typed per panel kind (Grafana `options`).
//!
//! Contract: one variant per rendered kind, with the settings our renderers use; unknown
//! string settings are kept (`string_enum!` `Other`). Unsupported panels keep Grafana's
//! `options` verbatim in `Raw` so export gives them back unchanged.

use serde::{Deserialize, Serialize};

use crate::model::PanelKind;
use crate::string_enum::string_enum;

/// The options of one panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PanelOptions {
    None,
    TimeSeries(TimeSeriesOptions),
    Stat(StatOptions),
    Gauge(GaugeOptions),
    BarGauge(BarGaugeOptions),
    Table(TableOptions),
    Text(TextOptions),
    Heatmap(HeatmapOptions),
    /// Options of a panel type we do not render, verbatim.
    Raw(serde_json::Value),
}

impl PanelOptions {
    /// Grafana's defaults for `kind`.
    pub fn default_for(kind: &PanelKind) -> Self {
        match kind {
            PanelKind::TimeSeries => Self::TimeSeries(TimeSeriesOptions::default()),
            PanelKind::Stat => Self::Stat(StatOptions::default()),
            PanelKind::Gauge => Self::Gauge(GaugeOptions::default()),
            PanelKind::BarGauge => Self::BarGauge(BarGaugeOptions::default()),
            PanelKind::Table => Self::Table(TableOptions::default()),
            PanelKind::Text => Self::Text(TextOptions::default()),
            PanelKind::Heatmap => Self::Heatmap(HeatmapOptions::default()),
            PanelKind::Row => Self::None,
            PanelKind::AlertList | PanelKind::Unsupported { .. } => {
                Self::Raw(serde_json::Value::Object(Default::default()))
            }
        }
    }
}

/// How single-value panels reduce a series to one number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReduceOptions {
    /// Grafana reducer ids: `lastNotNull`, `last`, `mean`, `max`, `min`, `sum`, …
    pub calcs: Vec<String>,
    /// Field name filter (empty = numeric fields).
    pub fields: String,
    /// `true` = show every row instead of reducing.
    pub values: bool,
    pub limit: Option<u64>,
}

impl Default for ReduceOptions {
    fn default() -> Self {
        Self {
            calcs: vec!["lastNotNull".to_string()],
            fields: String::new(),
            values: false,
            limit: None,
        }
    }
}

string_enum!(
    /// Stat colouring.
    StatColorMode {
        Value => "value", Background => "background", BackgroundSolid => "background_solid",
        None => "none",
    }
);
string_enum!(
    /// Stat sparkline.
    GraphMode { Area => "area", None => "none" }
);
string_enum!(
    /// What a stat shows.
    StatTextMode {
        Auto => "auto", Value => "value", ValueAndName => "value_and_name", Name => "name",
        None => "none",
    }
);
string_enum!(
    /// Layout direction of stat, gauge and bar gauge.
    Orientation { Auto => "auto", Horizontal => "horizontal", Vertical => "vertical" }
);

/// `stat` options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatOptions {
    pub reduce: ReduceOptions,
    pub color_mode: StatColorMode,
    pub graph_mode: GraphMode,
    pub text_mode: StatTextMode,
    pub orientation: Orientation,
    /// `auto` or `center`.
    pub justify_mode: String,
    pub show_percent_change: bool,
}

impl Default for StatOptions {
    fn default() -> Self {
        Self {
            reduce: ReduceOptions::default(),
            color_mode: StatColorMode::Value,
            graph_mode: GraphMode::Area,
            text_mode: StatTextMode::Auto,
            orientation: Orientation::Auto,
            justify_mode: "auto".to_string(),
            show_percent_change: false,
        }
    }
}

/// `gauge` options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GaugeOptions {
    pub reduce: ReduceOptions,
    pub orientation: Orientation,
    pub show_threshold_markers: bool,
    pub show_threshold_labels: bool,
}

impl Default for GaugeOptions {
    fn default() -> Self {
        Self {
            reduce: ReduceOptions::default(),
            orientation: Orientation::Auto,
            show_threshold_markers: true,
            show_threshold_labels: false,
        }
    }
}

string_enum!(
    /// Bar gauge look.
    BarGaugeDisplayMode { Gradient => "gradient", Basic => "basic", Lcd => "lcd" }
);

/// `bargauge` options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BarGaugeOptions {
    pub reduce: ReduceOptions,
    pub display_mode: BarGaugeDisplayMode,
    pub orientation: Orientation,
    pub show_unfilled: bool,
    /// `color`, `text`, `hidden`.
    pub value_mode: String,
    /// `auto`, `top`, `left`.
    pub name_placement: String,
    /// `sizing: manual` (Grafana 10.2+): the `min_viz_*` / `max_viz_height` below apply;
    /// otherwise Grafana's defaults (8, 16, 300) do.
    #[serde(default)]
    pub manual_sizing: bool,
    /// Smallest column width (vertical bars), smallest and largest row height (horizontal).
    #[serde(default = "default_min_viz_width")]
    pub min_viz_width: f64,
    #[serde(default = "default_min_viz_height")]
    pub min_viz_height: f64,
    #[serde(default = "default_max_viz_height")]
    pub max_viz_height: f64,
}

/// Grafana 11's bar gauge `defaultOptions`: `minVizWidth` 8, `minVizHeight` 16,
/// `maxVizHeight` 300.
pub const BAR_GAUGE_MIN_VIZ_WIDTH: f64 = 8.0;
pub const BAR_GAUGE_MIN_VIZ_HEIGHT: f64 = 16.0;
pub const BAR_GAUGE_MAX_VIZ_HEIGHT: f64 = 300.0;

fn default_min_viz_width() -> f64 {
    BAR_GAUGE_MIN_VIZ_WIDTH
}
fn default_min_viz_height() -> f64 {
    BAR_GAUGE_MIN_VIZ_HEIGHT
}
fn default_max_viz_height() -> f64 {
    BAR_GAUGE_MAX_VIZ_HEIGHT
}

impl Default for BarGaugeOptions {
    fn default() -> Self {
        Self {
            reduce: ReduceOptions::default(),
            display_mode: BarGaugeDisplayMode::Gradient,
            orientation: Orientation::Auto,
            show_unfilled: true,
            value_mode: "color".to_string(),
            name_placement: "auto".to_string(),
            manual_sizing: false,
            min_viz_width: BAR_GAUGE_MIN_VIZ_WIDTH,
            min_viz_height: BAR_GAUGE_MIN_VIZ_HEIGHT,
            max_viz_height: BAR_GAUGE_MAX_VIZ_HEIGHT,
        }
    }
}

string_enum!(
    /// Legend layout.
    LegendDisplayMode { List => "list", Table => "table", Hidden => "hidden" }
);
string_enum!(
    /// Legend position.
    LegendPlacement { Bottom => "bottom", Right => "right" }
);
string_enum!(
    /// Tooltip: one series, all series, or none.
    TooltipMode { Single => "single", Multi => "multi", None => "none" }
);

/// Time series legend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegendOptions {
    pub show: bool,
    pub display_mode: LegendDisplayMode,
    pub placement: LegendPlacement,
    /// Reducers shown per series (`mean`, `max`, `lastNotNull`, …).
    pub calcs: Vec<String>,
    pub sort_by: Option<String>,
    pub sort_desc: bool,
}

impl Default for LegendOptions {
    fn default() -> Self {
        Self {
            show: true,
            display_mode: LegendDisplayMode::List,
            placement: LegendPlacement::Bottom,
            calcs: Vec::new(),
            sort_by: None,
            sort_desc: false,
        }
    }
}

/// Time series tooltip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TooltipOptions {
    pub mode: TooltipMode,
    /// `none`, `asc`, `desc`.
    pub sort: String,
}

impl Default for TooltipOptions {
    fn default() -> Self {
        Self {
            mode: TooltipMode::Single,
            sort: "none".to_string(),
        }
    }
}

/// `timeseries` options (line style lives in `FieldConfig.defaults.custom`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TimeSeriesOptions {
    pub legend: LegendOptions,
    pub tooltip: TooltipOptions,
}

/// `table` options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableOptions {
    pub show_header: bool,
    /// `sm`, `md`, `lg`.
    pub cell_height: Option<String>,
    pub footer_show: bool,
    /// Reducer ids; Grafana uses the first.
    pub footer_reducers: Vec<String>,
    /// `footer.fields`: the field names reduced (empty: every numeric field).
    #[serde(default)]
    pub footer_fields: Vec<String>,
    /// `footer.countRows` (with the `count` reducer: the row count alone).
    #[serde(default)]
    pub footer_count_rows: bool,
    /// Column name and descending flag.
    pub sort_by: Vec<(String, bool)>,
}

impl Default for TableOptions {
    fn default() -> Self {
        Self {
            show_header: true,
            cell_height: None,
            footer_show: false,
            footer_reducers: Vec::new(),
            footer_fields: Vec::new(),
            footer_count_rows: false,
            sort_by: Vec::new(),
        }
    }
}

string_enum!(
    /// Text panel content type.
    TextMode { Markdown => "markdown", Html => "html", Code => "code" }
);

/// `text` options. Content may contain `$variables`; HTML must be sanitised before display.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TextOptions {
    pub mode: TextMode,
    pub content: String,
}

/// `heatmap` options (Grafana ≥ 9 heatmap).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeatmapOptions {
    /// `false` = data is already bucketed (`format: heatmap`).
    pub calculate: bool,
    /// `scheme` or `opacity`.
    pub color_mode: String,
    /// Colour scheme name (`Oranges`, `Warm`, …).
    pub color_scheme: String,
    /// `exponential` or `linear`.
    pub color_scale: String,
    pub color_exponent: Option<f64>,
    pub y_axis_unit: Option<String>,
    pub cell_gap: Option<f64>,
    /// `auto`, `always`, `never`.
    pub show_value: String,
}

impl Default for HeatmapOptions {
    fn default() -> Self {
        Self {
            calculate: false,
            color_mode: "scheme".to_string(),
            color_scheme: "Oranges".to_string(),
            color_scale: "exponential".to_string(),
            color_exponent: None,
            y_axis_unit: None,
            cell_gap: None,
            show_value: "auto".to_string(),
        }
    }
}
