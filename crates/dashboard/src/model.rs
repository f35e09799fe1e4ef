//! The Signalboard dashboard spec: what a dashboard is, independent of Grafana's JSON.
//!
//! Contract: plain data (no behaviour beyond small helpers), serialisable with serde for
//! persistence. Panel appearance lives in `field_config` and `options`; variables in
//! `variables`. Grafana JSON is mapped to and from this model by the `grafana` module only.
//! Every Grafana panel maps to a `Panel` — unknown types become `PanelKind::Unsupported`.

use serde::{Deserialize, Serialize};

use crate::datasource::DatasourceRef;
use crate::field_config::FieldConfig;
use crate::options::PanelOptions;
use crate::string_enum::string_enum;
use crate::variables::Variable;

/// A whole dashboard.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Dashboard {
    /// Stable key (Grafana `uid`); empty when the source had none.
    pub uid: String,
    pub title: String,
    pub description: String,
    pub tags: Vec<String>,
    pub time: TimeRange,
    /// Auto-refresh interval such as `"30s"`; `None` = off.
    pub refresh: Option<String>,
    pub graph_tooltip: GraphTooltip,
    /// Grafana `style`: `"dark"`, `"light"` or empty — the theme a viewer who has not chosen
    /// one starts with.
    #[serde(default)]
    pub style: String,
    /// `"browser"`, `"utc"` or empty.
    pub timezone: String,
    pub variables: Vec<Variable>,
    /// Top-level panels in (y, x) order; collapsed rows hold their children in `Panel::panels`.
    pub panels: Vec<Panel>,
    pub links: Vec<DashboardLink>,
}

impl Dashboard {
    /// Every panel, including those nested in collapsed rows, in document order.
    pub fn all_panels(&self) -> Vec<&Panel> {
        let mut out = Vec::new();
        for panel in &self.panels {
            out.push(panel);
            out.extend(panel.panels.iter());
        }
        out
    }
}

/// Time range as Grafana writes it: relative (`now-6h`), absolute ISO or epoch-ms strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeRange {
    pub from: String,
    pub to: String,
}

impl Default for TimeRange {
    fn default() -> Self {
        Self {
            from: "now-6h".to_string(),
            to: "now".to_string(),
        }
    }
}

/// Grafana `graphTooltip`: 0, 1, 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum GraphTooltip {
    #[default]
    Default,
    SharedCrosshair,
    SharedTooltip,
}

/// A dashboard-level link (`type: link` with a URL or `type: dashboards` by tags).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DashboardLink {
    pub title: String,
    /// `"link"` or `"dashboards"`.
    pub kind: String,
    pub url: String,
    pub tags: Vec<String>,
    pub as_dropdown: bool,
    pub include_vars: bool,
    pub keep_time: bool,
    pub target_blank: bool,
}

/// One panel (or row).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Panel {
    pub id: u64,
    pub kind: PanelKind,
    pub title: String,
    pub description: String,
    pub grid: GridPos,
    pub datasource: DatasourceRef,
    pub targets: Vec<Target>,
    pub field_config: FieldConfig,
    pub options: PanelOptions,
    /// Grafana data transformations (organize, merge, …), kept verbatim for the table renderer.
    pub transformations: Vec<serde_json::Value>,
    pub repeat: Option<Repeat>,
    pub max_data_points: Option<u64>,
    /// Minimum query interval (Grafana "Min interval"), e.g. `"1m"`.
    pub interval: Option<String>,
    /// Panel-relative time override (`timeFrom`, e.g. `"1h"`).
    pub time_from: Option<String>,
    pub time_shift: Option<String>,
    pub transparent: bool,
    /// Rows only: whether the row is collapsed.
    pub collapsed: bool,
    /// Rows only: the children of a collapsed row (absolute `y` kept).
    pub panels: Vec<Panel>,
}

impl Panel {
    /// An empty panel of `kind` at `grid`; the importer fills the rest.
    pub fn new(id: u64, kind: PanelKind, grid: GridPos) -> Self {
        Self {
            id,
            options: PanelOptions::default_for(&kind),
            kind,
            title: String::new(),
            description: String::new(),
            grid,
            datasource: DatasourceRef::Default,
            targets: Vec::new(),
            field_config: FieldConfig::default(),
            transformations: Vec::new(),
            repeat: None,
            max_data_points: None,
            interval: None,
            time_from: None,
            time_shift: None,
            transparent: false,
            collapsed: false,
            panels: Vec::new(),
        }
    }
}

/// What a panel draws. Legacy `graph` is `TimeSeries`, legacy `singlestat` is `Stat` or `Gauge`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PanelKind {
    TimeSeries,
    Stat,
    Gauge,
    BarGauge,
    Table,
    Text,
    Heatmap,
    /// Grafana's `alertlist`: the alerts of Signalboard's client-side rules.
    AlertList,
    Row,
    /// A Grafana type we do not render; shown as a named placeholder.
    Unsupported {
        grafana_type: String,
    },
}

impl PanelKind {
    /// Maps a modern Grafana panel `type` (legacy types are converted before this).
    pub fn from_grafana(panel_type: &str) -> Self {
        match panel_type {
            "timeseries" => Self::TimeSeries,
            "stat" => Self::Stat,
            "gauge" => Self::Gauge,
            "bargauge" => Self::BarGauge,
            "table" => Self::Table,
            "text" => Self::Text,
            "heatmap" => Self::Heatmap,
            "alertlist" => Self::AlertList,
            "row" => Self::Row,
            other => Self::Unsupported {
                grafana_type: other.to_string(),
            },
        }
    }

    /// The modern Grafana panel `type` for this kind.
    pub fn grafana_type(&self) -> &str {
        match self {
            Self::TimeSeries => "timeseries",
            Self::Stat => "stat",
            Self::Gauge => "gauge",
            Self::BarGauge => "bargauge",
            Self::Table => "table",
            Self::Text => "text",
            Self::Heatmap => "heatmap",
            Self::AlertList => "alertlist",
            Self::Row => "row",
            Self::Unsupported { grafana_type } => grafana_type,
        }
    }

    /// Whether Signalboard draws this kind (rows count as rendered layout).
    pub fn is_rendered(&self) -> bool {
        !matches!(self, Self::Unsupported { .. })
    }
}

/// Position on the 24-column grid; `h` in grid rows (30 px + 8 px margin each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct GridPos {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

/// Repeat a panel or row per value of a multi-value variable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repeat {
    pub variable: String,
    pub direction: RepeatDirection,
    pub max_per_row: Option<u32>,
}

/// `h` = side by side, `v` = stacked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum RepeatDirection {
    #[default]
    Horizontal,
    Vertical,
}

string_enum!(
    /// Prometheus query result shaping (`format`).
    QueryFormat { TimeSeries => "time_series", Table => "table", Heatmap => "heatmap" }
);

/// One PromQL query of a panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// `"A"`, `"B"`, …; generated when the source had none.
    pub ref_id: String,
    pub expr: String,
    /// `{{label}}` template; `"__auto"` = automatic; empty = the label set.
    pub legend_format: String,
    pub instant: bool,
    pub range: bool,
    pub format: QueryFormat,
    /// Minimum step (`"1m"`); empty = none.
    pub interval: String,
    /// Legacy resolution divisor (1 = full resolution).
    pub interval_factor: u32,
    pub hide: bool,
    pub datasource: DatasourceRef,
}
