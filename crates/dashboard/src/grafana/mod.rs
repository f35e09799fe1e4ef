//! Grafana dashboard JSON ↔ the Signalboard model: `import_grafana` and `export_grafana`.
//!
//! Contract: import accepts the classic model, the same wrapped in `.dashboard` (API
//! response) or `.spec` (v1 resource), and legacy `rows[]` layouts; a v2 resource
//! (`elements` + `layout`) is rejected with a clear error. Import never panics and never drops
//! a panel. Export writes classic JSON (schemaVersion 39) that imports back to an equal model.

mod datasource;
mod field_config;
mod json;
mod legacy_graph;
mod legacy_rows;
mod legacy_singlestat;
mod legacy_table;
mod options;
mod panel;
mod variables;

use std::fmt;

use serde_json::Value;

use self::datasource::DatasourceContext;
use self::json::{array, get, nonempty, strings, text, uint, Obj};
use crate::datasource::DatasourceRef;
use crate::interpolate::{interpolate, MacroValues, VariableValues};
use crate::model::{Dashboard, DashboardLink, GraphTooltip, TimeRange};
use crate::report::ImportReport;

/// Grafana's JSON for a `thresholds` value (as in an override property) in this model.
pub fn thresholds_from_grafana(v: &Value) -> crate::field_config::Thresholds {
    field_config::read_thresholds(v)
}

/// Grafana's JSON for a `mappings` value (as in an override property) in this model.
pub fn mappings_from_grafana(v: &Value) -> Vec<crate::field_config::ValueMapping> {
    field_config::read_mappings(Some(v))
}

/// Schema version written by `export_grafana`.
pub const EXPORT_SCHEMA_VERSION: u64 = 39;

/// A successful import.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub dashboard: Dashboard,
    pub report: ImportReport,
}

/// Why a file was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// Not valid JSON; line and column are 1-based.
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    /// Valid JSON that is not a Grafana dashboard.
    NotADashboard(String),
    /// A Grafana v2 resource (`elements` + `layout`).
    V2NotSupported,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Json {
                line,
                column,
                message,
            } => write!(f, "JSON error at line {line} col {column}: {message}"),
            Self::NotADashboard(why) => write!(f, "not a Grafana dashboard: {why}"),
            Self::V2NotSupported => write!(
                f,
                "Grafana v2 dashboard resource (elements + layout) is not supported yet; \
                 export the dashboard as Classic JSON instead"
            ),
        }
    }
}

impl std::error::Error for ImportError {}

fn json_error(e: &serde_json::Error) -> ImportError {
    let full = e.to_string();
    // serde_json appends " at line L column C"; we report the position in our own words.
    let message = full
        .rsplit_once(" at line ")
        .map_or(full.as_str(), |(msg, _)| msg)
        .to_string();
    ImportError::Json {
        line: e.line(),
        column: e.column(),
        message,
    }
}

fn is_v2(v: &Value) -> bool {
    v.get("elements").is_some() && v.get("layout").is_some()
}

/// Finds the classic dashboard object and names the wrapper it came in.
fn unwrap(mut root: Value) -> Result<(Value, &'static str), ImportError> {
    if !root.is_object() {
        return Err(ImportError::NotADashboard(
            "the top level is not a JSON object".into(),
        ));
    }
    if is_v2(&root) {
        return Err(ImportError::V2NotSupported);
    }
    for (key, format) in [
        ("dashboard", "classic (.dashboard wrapper)"),
        ("spec", "classic (v1 resource .spec)"),
    ] {
        if let Some(inner) = root.get_mut(key).filter(|d| d.is_object()) {
            if is_v2(inner) {
                return Err(ImportError::V2NotSupported);
            }
            return Ok((inner.take(), format));
        }
    }
    let looks_like_dashboard = ["panels", "rows", "title", "templating", "schemaVersion"]
        .iter()
        .any(|k| root.get(k).is_some());
    if !looks_like_dashboard {
        return Err(ImportError::NotADashboard(
            "no panels, rows, title or templating found".into(),
        ));
    }
    Ok((root, "classic"))
}

/// Imports Grafana dashboard JSON. Queries are listed in the report unchecked.
pub fn import_grafana(json_text: &str) -> Result<Imported, ImportError> {
    let root: Value = serde_json::from_str(json_text).map_err(|e| json_error(&e))?;
    let (mut dash_value, source_format) = unwrap(root)?;
    // Legacy rows are moved out and converted; their panels are not copied.
    let rows = match dash_value.get_mut("rows").map(Value::take) {
        Some(Value::Array(rows)) => rows,
        _ => Vec::new(),
    };
    let dash = &dash_value;
    let mut report = ImportReport {
        source_format: source_format.to_string(),
        schema_version: uint(get(dash, "schemaVersion")),
        ..ImportReport::default()
    };
    let ctx = DatasourceContext::from_dashboard(dash);
    if !rows.is_empty() {
        report
            .source_format
            .push_str(" (legacy rows[] converted to gridPos)");
    }
    let upgraded: Vec<Value>;
    let panel_json: &[Value] = if rows.is_empty() {
        array(dash.get("panels"))
    } else {
        let mut modern = array(dash.get("panels")).to_vec();
        modern.extend(legacy_rows::upgrade_rows(rows));
        upgraded = modern;
        &upgraded
    };
    let no_library = serde_json::Map::new();
    let library = match get(dash, "__elements") {
        Some(Value::Object(elements)) => elements,
        _ => &no_library,
    };
    let panels =
        panel::PanelReader::new(&ctx, &mut report, panel_json, library).read_list(panel_json);
    let variables = variables::read_all(dash, &ctx, &mut report);
    let time = get(dash, "time");
    let mut dashboard = Dashboard {
        uid: text(get(dash, "uid")),
        title: text(get(dash, "title")),
        description: text(get(dash, "description")),
        tags: strings(get(dash, "tags")),
        time: TimeRange {
            from: time
                .and_then(|t| nonempty(get(t, "from")))
                .unwrap_or_else(|| "now-6h".into()),
            to: time
                .and_then(|t| nonempty(get(t, "to")))
                .unwrap_or_else(|| "now".into()),
        },
        refresh: get(dash, "refresh")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(String::from),
        graph_tooltip: match uint(get(dash, "graphTooltip")) {
            Some(1) => GraphTooltip::SharedCrosshair,
            Some(2) => GraphTooltip::SharedTooltip,
            _ => GraphTooltip::Default,
        },
        style: text(get(dash, "style")),
        timezone: text(get(dash, "timezone")),
        variables,
        panels,
        links: array(dash.get("links")).iter().map(read_link).collect(),
    };
    datasource::unify_input_plugins(&mut dashboard, &ctx);
    Ok(Imported { dashboard, report })
}

/// Imports and checks every query with `validate` after interpolating variables with their
/// saved values (or `placeholder` when never evaluated) and macros with plausible values.
pub fn import_grafana_checked(
    json_text: &str,
    placeholder: &str,
    validate: &dyn Fn(&str) -> Result<(), String>,
) -> Result<Imported, ImportError> {
    let mut imported = import_grafana(json_text)?;
    let values = VariableValues::from_saved(&imported.dashboard.variables, placeholder);
    let macros = MacroValues::plausible();
    imported
        .report
        .check_queries(&|expr| validate(&interpolate(expr, &values, &macros)));
    Ok(imported)
}

fn read_link(v: &Value) -> DashboardLink {
    let flag = |k: &str| json::flag(get(v, k));
    DashboardLink {
        title: text(get(v, "title")),
        kind: nonempty(get(v, "type")).unwrap_or_else(|| "link".into()),
        url: text(get(v, "url")),
        tags: strings(get(v, "tags")),
        as_dropdown: flag("asDropdown"),
        include_vars: flag("includeVars"),
        keep_time: flag("keepTime"),
        target_blank: flag("targetBlank"),
    }
}

fn write_link(l: &DashboardLink) -> Value {
    Obj::new()
        .set("title", l.title.as_str())
        .set("type", l.kind.as_str())
        .set("url", l.url.as_str())
        .set("tags", l.tags.clone())
        .set("asDropdown", l.as_dropdown)
        .set("includeVars", l.include_vars)
        .set("keepTime", l.keep_time)
        .set("targetBlank", l.target_blank)
        .build()
}

/// Every datasource reference in the dashboard (for `__inputs`).
fn datasource_refs(d: &Dashboard) -> Vec<&DatasourceRef> {
    let mut refs: Vec<&DatasourceRef> = d.variables.iter().map(|v| &v.datasource).collect();
    for p in d.all_panels() {
        refs.push(&p.datasource);
        refs.extend(p.targets.iter().map(|t| &t.datasource));
    }
    refs
}

/// Classic Grafana JSON for `dashboard`.
pub fn export_grafana(dashboard: &Dashboard) -> Value {
    let d = dashboard;
    let annotation = serde_json::json!({
        "builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"}, "enable": true,
        "hide": true, "iconColor": "rgba(0, 211, 255, 1)", "name": "Annotations & Alerts", "type": "dashboard"
    });
    let inputs = datasource::inputs_for(&datasource_refs(d));
    Obj::new()
        .opt("__inputs", (!inputs.is_empty()).then_some(inputs))
        .set("uid", d.uid.as_str())
        .set("title", d.title.as_str())
        .set("description", d.description.as_str())
        .set("tags", d.tags.clone())
        .set(
            "time",
            Obj::new()
                .set("from", d.time.from.as_str())
                .set("to", d.time.to.as_str())
                .build(),
        )
        .set(
            "refresh",
            d.refresh.as_deref().map_or(Value::Bool(false), Value::from),
        )
        .set(
            "graphTooltip",
            match d.graph_tooltip {
                GraphTooltip::Default => 0,
                GraphTooltip::SharedCrosshair => 1,
                GraphTooltip::SharedTooltip => 2,
            },
        )
        .opt("style", Some(d.style.as_str()).filter(|s| !s.is_empty()))
        .set("timezone", d.timezone.as_str())
        .set("schemaVersion", EXPORT_SCHEMA_VERSION)
        .set("editable", true)
        .set(
            "annotations",
            Obj::new().set("list", vec![annotation]).build(),
        )
        .set(
            "templating",
            Obj::new()
                .set(
                    "list",
                    d.variables.iter().map(variables::write).collect::<Vec<_>>(),
                )
                .build(),
        )
        .set(
            "panels",
            d.panels.iter().map(panel::write).collect::<Vec<_>>(),
        )
        .set("links", d.links.iter().map(write_link).collect::<Vec<_>>())
        .build()
}
