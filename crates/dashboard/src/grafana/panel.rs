//! Grafana panels and targets ↔ `Panel` / `Target`.
//!
//! Contract: every panel object becomes a `Panel` — unknown types become
//! `PanelKind::Unsupported` with a warning, never dropped. Legacy `graph`/`singlestat` are
//! migrated. Missing `id`s are allocated after the largest one; missing `refId`s get the next
//! free letter; a panel without `gridPos` gets Grafana's default (0,0,6,3), or goes below the
//! others when that spot is taken. Collapsed rows keep their children nested; children found
//! in an expanded row are lifted after it. Library panels (`libraryPanel`) are inlined from
//! `__elements` (a warning when missing). Rows are normalised to x=0, w=24, h=1 (how
//! Grafana draws them, whatever their saved size). Top-level panels are sorted by (y, x).

use serde_json::{Map, Value};

use super::datasource::{self, DatasourceContext};
use super::json::{array, boolean, flag, get, nonempty, string, text, uint, Obj};
use super::{field_config, legacy_graph, legacy_singlestat, legacy_table, options};
use crate::datasource::DatasourceRef;
use crate::field_config::FieldConfig;
use crate::model::{GridPos, Panel, PanelKind, QueryFormat, Repeat, RepeatDirection, Target};
use crate::options::{PanelOptions, TextMode, TextOptions};
use crate::report::{ImportReport, QueryCheck, QueryStatus};

const DEFAULT_GRID: GridPos = GridPos {
    x: 0,
    y: 0,
    w: 6,
    h: 3,
};

/// Reads panel lists, allocating ids and recording the report.
pub(crate) struct PanelReader<'a> {
    pub ctx: &'a DatasourceContext,
    pub report: &'a mut ImportReport,
    next_id: u64,
    /// Library panel models from `__elements`, by uid.
    library: &'a Map<String, Value>,
}

impl<'a> PanelReader<'a> {
    pub(crate) fn new(
        ctx: &'a DatasourceContext,
        report: &'a mut ImportReport,
        panels: &[Value],
        library: &'a Map<String, Value>,
    ) -> Self {
        let next_id = max_id(panels).saturating_add(1);
        Self {
            ctx,
            report,
            next_id,
            library,
        }
    }

    /// A library panel reference (`libraryPanel: {uid, name}`) resolved from `__elements`:
    /// the library model with this placement's `id` and `gridPos`.
    fn resolve_library(&mut self, v: &Value) -> Option<Value> {
        let reference = get(v, "libraryPanel")?;
        let uid = nonempty(get(reference, "uid")).unwrap_or_default();
        let Some(Value::Object(model)) = self.library.get(&uid).and_then(|e| get(e, "model"))
        else {
            let name = nonempty(get(reference, "name")).unwrap_or(uid);
            let id = uint(get(v, "id")).map_or_else(|| "?".to_string(), |id| id.to_string());
            self.report.warn(format!(
                "panel {id}: library panel \"{name}\" is not in the file's __elements"
            ));
            return None;
        };
        let mut merged = model.clone();
        for key in ["id", "gridPos"] {
            if let Some(value) = v.get(key) {
                merged.insert(key.to_string(), value.clone());
            }
        }
        Some(Value::Object(merged))
    }

    /// Reads a top-level `panels[]` array.
    pub(crate) fn read_list(&mut self, list: &[Value]) -> Vec<Panel> {
        let mut out = Vec::new();
        let mut ungridded = Vec::new();
        for v in list.iter().filter(|v| v.is_object()) {
            let (mut panel, has_grid) = self.read(v);
            let children: Vec<(Panel, bool)> = if panel.kind == PanelKind::Row {
                array(v.get("panels"))
                    .iter()
                    .filter(|c| c.is_object())
                    .map(|c| self.read(c))
                    .collect()
            } else {
                Vec::new()
            };
            if !has_grid {
                ungridded.push(out.len());
            }
            if panel.collapsed {
                // Children without a gridPos go right under their row.
                let below_row = panel.grid.y.saturating_add(1);
                panel.panels = children
                    .into_iter()
                    .map(|(mut p, has_grid)| {
                        if !has_grid {
                            p.grid.y = below_row;
                        }
                        p
                    })
                    .collect();
                panel.panels.sort_by_key(|p| (p.grid.y, p.grid.x));
                out.push(panel);
            } else {
                if !children.is_empty() {
                    self.report.warn(format!(
                        "row {}: expanded row had nested panels; shown after the row",
                        panel.id
                    ));
                }
                out.push(panel);
                for (child, child_has_grid) in children {
                    if !child_has_grid {
                        ungridded.push(out.len());
                    }
                    out.push(child);
                }
            }
        }
        for index in ungridded {
            place_ungridded(&mut out, index, self.report);
        }
        out.sort_by_key(|p| (p.grid.y, p.grid.x));
        out
    }

    fn allocate_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id = self.next_id.saturating_add(1);
        id
    }

    /// One panel; the flag says whether it had a `gridPos`.
    fn read(&mut self, v: &Value) -> (Panel, bool) {
        let resolved = self.resolve_library(v);
        let v = resolved.as_ref().unwrap_or(v);
        let id = uint(get(v, "id")).unwrap_or_else(|| self.allocate_id());
        let source_type = nonempty(get(v, "type")).unwrap_or_else(|| "(missing type)".to_string());
        let (kind, field_config, options) = self.kind_and_config(id, &source_type, v);
        let grid = read_grid(get(v, "gridPos"));
        let mut panel = Panel::new(id, kind, grid.unwrap_or(DEFAULT_GRID));
        panel.title = text(get(v, "title"));
        panel.description = text(get(v, "description"));
        panel.field_config = field_config;
        panel.options = options;
        panel.repeat = nonempty(get(v, "repeat")).map(|variable| Repeat {
            variable: variable.trim_start_matches('$').to_string(),
            direction: if string(get(v, "repeatDirection")).as_deref() == Some("v") {
                RepeatDirection::Vertical
            } else {
                RepeatDirection::Horizontal
            },
            max_per_row: uint(get(v, "maxPerRow")).map(|m| m.min(u64::from(u32::MAX)) as u32),
        });
        if panel.kind == PanelKind::Row {
            // Grafana always draws a row as a full-width bar one grid unit high.
            panel.grid = GridPos {
                x: 0,
                w: 24,
                h: 1,
                ..panel.grid
            };
            self.report.rows += 1;
            panel.collapsed = flag(get(v, "collapsed"));
            return (panel, grid.is_some());
        }
        self.report
            .count_panel(&source_type, panel.kind.is_rendered());
        panel.datasource = self.ctx.read(v.get("datasource"));
        panel.targets = self.read_targets(&panel, v);
        panel.transformations = array(v.get("transformations")).to_vec();
        panel.max_data_points = uint(get(v, "maxDataPoints"));
        panel.interval = nonempty(get(v, "interval"));
        panel.time_from = nonempty(get(v, "timeFrom"));
        panel.time_shift = nonempty(get(v, "timeShift"));
        panel.transparent = flag(get(v, "transparent"));
        (panel, grid.is_some())
    }

    fn kind_and_config(
        &mut self,
        id: u64,
        source_type: &str,
        v: &Value,
    ) -> (PanelKind, FieldConfig, PanelOptions) {
        match source_type {
            "graph" => {
                let mode = get(v, "xaxis").and_then(|x| string(get(x, "mode")));
                if let Some(mode) = mode.filter(|m| m != "time") {
                    self.report.warn(format!(
                        "panel {id}: graph with x-axis mode \"{mode}\" drawn as a time series"
                    ));
                }
                let (fc, opts) = legacy_graph::convert(v);
                (PanelKind::TimeSeries, fc, PanelOptions::TimeSeries(opts))
            }
            "singlestat" | "grafana-singlestat-panel" => legacy_singlestat::convert(v),
            "table-old" | "table" if source_type == "table-old" || legacy_table::is_legacy(v) => {
                if nonempty(get(v, "transform"))
                    .is_some_and(|t| t != "timeseries_to_columns" && t != "table")
                {
                    self.report.warn(format!(
                        "panel {id}: old table transform not applied; shown as a plain table"
                    ));
                }
                let (fc, opts) = legacy_table::convert(v);
                (PanelKind::Table, fc, PanelOptions::Table(opts))
            }
            other => {
                let kind = PanelKind::from_grafana(other);
                if let PanelKind::Unsupported { grafana_type } = &kind {
                    self.report.warn(format!(
                        "panel {id}: unknown type \"{grafana_type}\" shown as placeholder"
                    ));
                }
                let mut opts = options::read(&kind, get(v, "options"));
                legacy_text_content(&mut opts, v);
                let has_options = get(v, "options")
                    .and_then(|o| get(o, "calculate"))
                    .is_some();
                if let (PanelKind::Heatmap, false, Some(legacy)) =
                    (&kind, has_options, options::read_legacy_heatmap(v))
                {
                    opts = PanelOptions::Heatmap(legacy);
                }
                (kind, field_config::read(get(v, "fieldConfig")), opts)
            }
        }
    }

    fn read_targets(&mut self, panel: &Panel, v: &Value) -> Vec<Target> {
        let mut targets: Vec<Target> = Vec::new();
        for t in array(v.get("targets")).iter().filter(|t| t.is_object()) {
            let ref_id = nonempty(get(t, "refId")).unwrap_or_else(|| next_ref_id(&targets));
            let instant = flag(get(t, "instant"));
            let target = Target {
                ref_id,
                expr: text(get(t, "expr")),
                legend_format: text(get(t, "legendFormat")),
                instant,
                range: boolean(get(t, "range")).unwrap_or(!instant),
                format: QueryFormat::parse(
                    &nonempty(get(t, "format")).unwrap_or_else(|| "time_series".into()),
                ),
                interval: text(get(t, "interval")),
                interval_factor: uint(get(t, "intervalFactor"))
                    .map_or(1, |f| f.clamp(1, 1000) as u32),
                hide: flag(get(t, "hide")),
                datasource: self.ctx.read(t.get("datasource")),
            };
            if !target.expr.trim().is_empty() {
                self.report.queries.push(QueryCheck {
                    panel_id: panel.id,
                    panel_title: panel.title.clone(),
                    ref_id: target.ref_id.clone(),
                    expr: target.expr.clone(),
                    datasource: if target.datasource == DatasourceRef::Default {
                        panel.datasource.clone()
                    } else {
                        target.datasource.clone()
                    },
                    status: QueryStatus::Unchecked,
                });
            }
            targets.push(target);
        }
        targets
    }
}

/// Largest panel id anywhere (rows' children included).
fn max_id(panels: &[Value]) -> u64 {
    panels
        .iter()
        .map(|p| {
            uint(get(p, "id"))
                .unwrap_or(0)
                .max(max_id(array(p.get("panels"))))
        })
        .max()
        .unwrap_or(0)
}

/// First of `A`…`Z`, then `A1`, `A2`, … not used by `targets`.
fn next_ref_id(targets: &[Target]) -> String {
    let used = |id: &str| targets.iter().any(|t| t.ref_id == id);
    ('A'..='Z')
        .map(String::from)
        .chain((1u32..).map(|n| format!("A{n}")))
        .find(|id| !used(id))
        .unwrap_or_else(|| "A".to_string())
}

fn read_grid(v: Option<&Value>) -> Option<GridPos> {
    let v = v?;
    let field = |key: &str| uint(get(v, key)).map(|n| n.min(100_000) as u32);
    let w = field("w").unwrap_or(DEFAULT_GRID.w).clamp(1, 24);
    let x = field("x").unwrap_or(0).min(24 - w);
    Some(GridPos {
        x,
        y: field("y").unwrap_or(0),
        w,
        h: field("h").unwrap_or(DEFAULT_GRID.h).max(1),
    })
}

fn overlaps(a: &GridPos, b: &GridPos) -> bool {
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/// Grafana's default spot (0,0,6,3; rows 0,0,24,1) when free, else below everything.
fn place_ungridded(panels: &mut [Panel], index: usize, report: &mut ImportReport) {
    let taken = |g: &GridPos, panels: &[Panel]| {
        panels
            .iter()
            .enumerate()
            .any(|(i, p)| i != index && overlaps(g, &p.grid))
    };
    let is_row = panels.get(index).is_some_and(|p| p.kind == PanelKind::Row);
    let mut grid = if is_row {
        GridPos {
            x: 0,
            y: 0,
            w: 24,
            h: 1,
        }
    } else {
        DEFAULT_GRID
    };
    if taken(&grid, panels) {
        grid.y = panels
            .iter()
            .map(|p| p.grid.y + p.grid.h)
            .max()
            .unwrap_or(0);
    }
    if let Some(panel) = panels.get_mut(index) {
        panel.grid = grid;
        report.warn(format!(
            "panel {}: no gridPos, placed at x={} y={} w={} h={}",
            panel.id, grid.x, grid.y, grid.w, grid.h
        ));
    }
}

/// Text panels before Grafana 7.1 kept `content`/`mode` on the panel itself.
fn legacy_text_content(opts: &mut PanelOptions, v: &Value) {
    if let PanelOptions::Text(text_opts) = opts {
        if text_opts.content.is_empty() {
            if let Some(content) = nonempty(get(v, "content")) {
                *text_opts = TextOptions {
                    mode: TextMode::parse(
                        &nonempty(get(v, "mode")).unwrap_or_else(|| "markdown".into()),
                    ),
                    content,
                };
            }
        }
    }
}

pub(crate) fn write(p: &Panel) -> Value {
    let grid = Obj::new()
        .set("x", p.grid.x)
        .set("y", p.grid.y)
        .set("w", p.grid.w)
        .set("h", p.grid.h)
        .build();
    let mut obj = Obj::new()
        .set("id", p.id)
        .set("type", p.kind.grafana_type())
        .set("title", p.title.as_str())
        .set("description", p.description.as_str())
        .set("gridPos", grid);
    if let Some(r) = &p.repeat {
        obj = obj
            .set("repeat", r.variable.as_str())
            .set(
                "repeatDirection",
                if r.direction == RepeatDirection::Vertical {
                    "v"
                } else {
                    "h"
                },
            )
            .opt("maxPerRow", r.max_per_row);
    }
    if p.kind == PanelKind::Row {
        return obj
            .set("collapsed", p.collapsed)
            .set("panels", p.panels.iter().map(write).collect::<Vec<_>>())
            .build();
    }
    let ds = datasource::write(&p.datasource);
    obj.opt("datasource", (!ds.is_null()).then_some(ds))
        .set(
            "targets",
            p.targets.iter().map(write_target).collect::<Vec<_>>(),
        )
        .set("fieldConfig", field_config::write(&p.field_config))
        .set("options", options::write(&p.options))
        .set("transformations", p.transformations.clone())
        .opt("maxDataPoints", p.max_data_points)
        .opt("interval", p.interval.as_deref())
        .opt("timeFrom", p.time_from.as_deref())
        .opt("timeShift", p.time_shift.as_deref())
        .set("transparent", p.transparent)
        .build()
}

fn write_target(t: &Target) -> Value {
    let ds = datasource::write(&t.datasource);
    Obj::new()
        .set("refId", t.ref_id.as_str())
        .set("expr", t.expr.as_str())
        .set("legendFormat", t.legend_format.as_str())
        .set("instant", t.instant)
        .set("range", t.range)
        .set("format", t.format.as_str())
        .set("interval", t.interval.as_str())
        .opt(
            "intervalFactor",
            (t.interval_factor != 1).then_some(t.interval_factor),
        )
        .opt("hide", t.hide.then_some(true))
        .opt("datasource", (!ds.is_null()).then_some(ds))
        .set("editorMode", "code")
        .build()
}
