//! Panel queries: interpolate a panel's targets (variables, Grafana macros), pick the step the
//! way Grafana does (`$__interval` from the time range and the panel's width / maxDataPoints),
//! evaluate them with the in-browser PromQL engine and return columnar series.
//!
//! Contract: never panics; each failing target becomes an error string prefixed by its refId
//! (`A: parse error at char 23: ...`) while the other targets still show.

use signalboard_core::dashboard::{
    interpolate, interval, MacroValues, Panel, QueryFormat, VariableValues,
};
use signalboard_core::display::legend_format;
use signalboard_core::promql::{self, EngineOptions, Value};
use signalboard_core::store::Labels;

use crate::engine::with_engine;

/// One series ready to draw: timestamps (Unix ms) and values side by side.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesData {
    pub name: String,
    pub ref_id: String,
    pub labels: Vec<(String, String)>,
    pub ts: Vec<f64>,
    pub vs: Vec<f64>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PanelData {
    pub series: Vec<SeriesData>,
    pub errors: Vec<String>,
    /// Table-format results (instant vectors), one row per series.
    pub instant: bool,
    pub start_ms: i64,
    pub end_ms: i64,
}

/// The scrape interval used for `$__rate_interval` (Grafana's datasource "scrape interval").
fn scrape_interval_ms() -> u64 {
    with_engine(|e| e.targets.iter().map(|t| t.target.interval_ms).min())
        .flatten()
        .map(|v| v.max(1_000) as u64)
        .unwrap_or(15_000)
}

pub fn run_panel(
    panel: &Panel,
    vars: &VariableValues,
    range: (i64, i64),
    width_px: u32,
) -> PanelData {
    let (start, end) = range;
    let range_ms = (end - start).max(1) as u64;
    let max_points = panel.max_data_points.unwrap_or(width_px.max(100) as u64);
    let min_interval = panel
        .interval
        .as_deref()
        .and_then(interval::parse_duration_ms);
    let interval_ms = interval::calculate_interval(range_ms, max_points, min_interval).max(1_000);
    let macros = MacroValues::new(start, end, interval_ms, scrape_interval_ms());
    let mut data = PanelData {
        start_ms: start,
        end_ms: end,
        ..Default::default()
    };
    for target in panel
        .targets
        .iter()
        .filter(|t| !t.hide && !t.expr.trim().is_empty())
    {
        let expr = interpolate(&target.expr, vars, &macros);
        let target_min = interval::parse_duration_ms(&target.interval).or(min_interval);
        let step = interval::calculate_interval(range_ms, max_points, target_min).max(1_000) as i64;
        let step = step * target.interval_factor.max(1) as i64;
        let instant = target.instant && !target.range || target.format == QueryFormat::Table;
        let result = with_engine(|e| {
            let opts = EngineOptions::default();
            if instant {
                promql::instant_query(&e.store, &expr, end, &opts)
            } else {
                // Step-aligned like Prometheus/Grafana so points don't shimmer between refreshes.
                let aligned_start = start - start.rem_euclid(step);
                promql::range_query(&e.store, &expr, aligned_start, end, step, &opts)
            }
        });
        match result {
            None => data
                .errors
                .push(format!("{}: engine busy, try again", target.ref_id)),
            Some(Err(e)) => data.errors.push(format!("{}: {e}", target.ref_id)),
            Some(Ok(v)) => {
                data.instant |= instant;
                append_value(&mut data, v, &target.ref_id, &target.legend_format, &expr);
            }
        }
    }
    data
}

fn append_value(data: &mut PanelData, value: Value, ref_id: &str, legend: &str, expr: &str) {
    match value {
        Value::Matrix(series) => {
            for s in series {
                let (ts, vs) = s.samples.iter().map(|(t, v)| (*t as f64, *v)).unzip();
                data.series
                    .push(series_data(&s.labels, ref_id, legend, expr, ts, vs));
            }
        }
        Value::Vector(samples) => {
            for s in samples {
                data.series.push(series_data(
                    &s.labels,
                    ref_id,
                    legend,
                    expr,
                    vec![s.t_ms as f64],
                    vec![s.v],
                ));
            }
        }
        Value::Scalar { t_ms, v } => {
            data.series.push(SeriesData {
                name: if legend.is_empty() {
                    "scalar".into()
                } else {
                    legend.to_string()
                },
                ref_id: ref_id.to_string(),
                labels: Vec::new(),
                ts: vec![t_ms as f64],
                vs: vec![v],
            });
        }
        Value::String { .. } => {}
    }
}

fn series_data(
    labels: &Labels,
    ref_id: &str,
    legend: &str,
    expr: &str,
    ts: Vec<f64>,
    vs: Vec<f64>,
) -> SeriesData {
    let pairs: Vec<(String, String)> = labels
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let name = legend_format::series_name(
        legend,
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        expr,
    );
    SeriesData {
        name,
        ref_id: ref_id.to_string(),
        labels: pairs,
        ts,
        vs,
    }
}
