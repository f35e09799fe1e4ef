//! The import compatibility report: what was rendered, what became a placeholder, which
//! queries parse, and every tolerance the importer applied.
//!
//! Contract: counts are keyed by the panel type *as written in the source* (`graph`,
//! `singlestat`, `alertlist`, …), rows excluded; every query of every panel (nested ones
//! included) has one `QueryCheck`. `render_text` is the CLI's output format.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::datasource::DatasourceRef;
use std::fmt::Write as _;

/// Rendered / placeholder counts for one source panel type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct TypeCount {
    pub rendered: usize,
    pub unsupported: usize,
}

/// Whether a query parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "reason", rename_all = "snake_case")]
pub enum QueryStatus {
    /// No validator was run.
    Unchecked,
    Parsed,
    Failed(String),
}

/// One panel query and its check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueryCheck {
    pub panel_id: u64,
    pub panel_title: String,
    pub ref_id: String,
    pub expr: String,
    /// The datasource the query runs on (the target's, else the panel's).
    pub datasource: DatasourceRef,
    #[serde(flatten)]
    pub status: QueryStatus,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ImportReport {
    /// Source format: `classic`, `classic (.dashboard wrapper)`, `classic (v1 resource .spec)`.
    pub source_format: String,
    pub schema_version: Option<u64>,
    pub panel_types: BTreeMap<String, TypeCount>,
    pub rows: usize,
    pub queries: Vec<QueryCheck>,
    pub warnings: Vec<String>,
}

impl ImportReport {
    pub fn count_panel(&mut self, source_type: &str, rendered: bool) {
        let entry = self.panel_types.entry(source_type.to_string()).or_default();
        if rendered {
            entry.rendered += 1;
        } else {
            entry.unsupported += 1;
        }
    }

    pub fn warn(&mut self, message: String) {
        self.warnings.push(message);
    }

    pub fn panels_rendered(&self) -> usize {
        self.panel_types.values().map(|c| c.rendered).sum()
    }

    pub fn panels_unsupported(&self) -> usize {
        self.panel_types.values().map(|c| c.unsupported).sum()
    }

    pub fn queries_parsed(&self) -> usize {
        self.queries
            .iter()
            .filter(|q| q.status == QueryStatus::Parsed)
            .count()
    }

    pub fn queries_failed(&self) -> usize {
        self.queries
            .iter()
            .filter(|q| matches!(q.status, QueryStatus::Failed(_)))
            .count()
    }

    /// Runs `validate` on every query expression and records the outcome; queries on a
    /// datasource that is not Prometheus-compatible fail without being parsed.
    pub fn check_queries(&mut self, validate: &dyn Fn(&str) -> Result<(), String>) {
        for query in &mut self.queries {
            if !query.datasource.is_prometheus_compatible() {
                let what = match &query.datasource {
                    DatasourceRef::Builtin { name } => name.clone(),
                    other => other.plugin().unwrap_or("unknown").to_string(),
                };
                query.status = QueryStatus::Failed(format!(
                    "datasource \"{what}\" is not Prometheus-compatible"
                ));
                continue;
            }
            query.status = match validate(&query.expr) {
                Ok(()) => QueryStatus::Parsed,
                Err(reason) => QueryStatus::Failed(reason),
            };
        }
    }

    /// Human-readable report: panel table, query summary, failures, warnings.
    pub fn render_text(&self, title: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "dashboard: {title}");
        let schema = self
            .schema_version
            .map_or("-".to_string(), |v| v.to_string());
        let _ = writeln!(
            out,
            "format: {}, schemaVersion {schema}",
            self.source_format
        );
        let _ = writeln!(out, "panels by type (rendered / placeholder):");
        for (kind, count) in &self.panel_types {
            let migrated = match kind.as_str() {
                "graph" => "  (migrated to timeseries)",
                "singlestat" => "  (migrated to stat/gauge)",
                _ => "",
            };
            let (rendered, unsupported) = (count.rendered, count.unsupported);
            let _ = writeln!(out, "  {kind:<14} {rendered:>4} / {unsupported}{migrated}");
        }
        let _ = writeln!(
            out,
            "panels: {} rendered, {} placeholders, {} rows",
            self.panels_rendered(),
            self.panels_unsupported(),
            self.rows
        );
        let unchecked = self.queries.len() - self.queries_parsed() - self.queries_failed();
        let _ = write!(
            out,
            "queries: {} parsed, {} failed",
            self.queries_parsed(),
            self.queries_failed()
        );
        if unchecked > 0 {
            let _ = write!(out, ", {unchecked} unchecked");
        }
        out.push('\n');
        for q in &self.queries {
            if let QueryStatus::Failed(reason) = &q.status {
                let _ = writeln!(
                    out,
                    "  FAILED panel {} \"{}\" {}: {reason}",
                    q.panel_id, q.panel_title, q.ref_id
                );
            }
        }
        let _ = writeln!(out, "warnings: {}", self.warnings.len());
        for w in &self.warnings {
            let _ = writeln!(out, "  {w}");
        }
        out
    }
}
