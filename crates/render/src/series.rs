//! Query results as the drawing code reads them: borrowed views for the app (no copies of
//! long columns) and the owned fixed-result file `signalboard-cli render --data` reads.
//!
//! `DATA.json` format: `{"start_ms": N, "end_ms": N, "series": [{"refId": "A",
//! "labels": {"__name__": "up", "job": "x"}, "name": "optional display name",
//! "timestamps": [ms, …], "values": [number or null, …]}]}`; a series without `name` is
//! named from its query's `legendFormat` like Grafana.

use std::collections::BTreeMap;

use serde::Deserialize;
use signalboard_dashboard::Panel;
use signalboard_display::legend_format::series_name;

/// One series, borrowed.
#[derive(Debug, Clone, Copy)]
pub struct SeriesRef<'a> {
    pub name: &'a str,
    pub ref_id: &'a str,
    pub labels: &'a [(String, String)],
    pub ts: &'a [f64],
    pub vs: &'a [f64],
}

/// A fixed query result (the `--data` file).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct QueryResult {
    pub start_ms: i64,
    pub end_ms: i64,
    pub series: Vec<FileSeries>,
}

/// One series of a [`QueryResult`] as written in the file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileSeries {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default = "default_ref_id")]
    pub ref_id: String,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    pub timestamps: Vec<f64>,
    pub values: Vec<Option<f64>>,
}

fn default_ref_id() -> String {
    "A".into()
}

/// A [`FileSeries`] resolved for drawing: named, labels as pairs, nulls as NaN.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnedSeries {
    pub name: String,
    pub ref_id: String,
    pub labels: Vec<(String, String)>,
    pub ts: Vec<f64>,
    pub vs: Vec<f64>,
}

impl OwnedSeries {
    pub fn as_ref(&self) -> SeriesRef<'_> {
        SeriesRef {
            name: &self.name,
            ref_id: &self.ref_id,
            labels: &self.labels,
            ts: &self.ts,
            vs: &self.vs,
        }
    }
}

impl QueryResult {
    /// Parses the file; errors name the JSON position.
    pub fn parse(text: &str) -> Result<Self, String> {
        let result: Self = serde_json::from_str(text).map_err(|e| {
            format!(
                "data: JSON error at line {} col {}: {e}",
                e.line(),
                e.column()
            )
        })?;
        if let Some(bad) = result
            .series
            .iter()
            .position(|s| s.timestamps.len() != s.values.len())
        {
            return Err(format!(
                "data: series {bad} has a different number of timestamps and values"
            ));
        }
        Ok(result)
    }

    /// The series named as `panel` names them (its targets' `legendFormat`).
    pub fn resolve(&self, panel: &Panel) -> Vec<OwnedSeries> {
        self.series
            .iter()
            .map(|s| {
                let target = panel.targets.iter().find(|t| t.ref_id == s.ref_id);
                let name = s.name.clone().unwrap_or_else(|| {
                    series_name(
                        target.map_or("", |t| t.legend_format.as_str()),
                        s.labels.iter(),
                        target.map_or("", |t| t.expr.as_str()),
                    )
                });
                OwnedSeries {
                    name,
                    ref_id: s.ref_id.clone(),
                    labels: s
                        .labels
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                    ts: s.timestamps.clone(),
                    vs: s.values.iter().map(|v| v.unwrap_or(f64::NAN)).collect(),
                }
            })
            .collect()
    }
}
