//! Panel queries: interpolate a panel's targets (variables, Grafana macros), pick the step the
//! way Grafana does (`$__interval` from the time range and the panel's width / maxDataPoints),
//! choose where each query runs — the in-browser engine or a configured Prometheus API
//! datasource ([`Source`]) — run them and return columnar series.
//!
//! Contract: never panics; each failing target becomes an error string prefixed by its refId
//! (`A: parse error at char 23: ...`) while the other targets still show. Both sources go
//! through the same planning and the same result conversion, so a dashboard looks the same
//! whichever one feeds it.

use std::rc::Rc;

use signalboard_core::config::ApiDatasource;
use signalboard_core::dashboard::{
    interpolate, interval, DatasourceRef, MacroValues, Panel, QueryFormat, Target, VariableValues,
};
use signalboard_core::display::legend_format;
use signalboard_core::promql::{self, EngineOptions, Value};
use signalboard_core::store::Labels;

use crate::engine::with_engine;
use crate::prom_api;

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
    /// Set when in-browser queries ask for time before the page collected anything: the
    /// Unix ms from which the browser holds data (the panel says so).
    pub history_start_ms: Option<i64>,
    pub start_ms: i64,
    pub end_ms: i64,
}

/// Where a query runs.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// The in-browser engine over the scraped store.
    Browser,
    /// A Prometheus-compatible HTTP API.
    Api(Rc<ApiDatasource>),
}

/// The datasource a reference selects: a configured datasource whose uid or name it names
/// (directly or through a `datasource` variable), else the dashboard-wide `choice` (a
/// configured datasource's name, or `None` for the browser).
pub fn resolve_source(r: &DatasourceRef, vars: &VariableValues, choice: Option<&str>) -> Source {
    let api = |key: &str| with_engine(|e| e.config.datasource(key)).flatten();
    if let Some(ds) = r.resolve(vars).as_deref().and_then(api) {
        return Source::Api(Rc::new(ds));
    }
    match choice.and_then(api) {
        Some(ds) => Source::Api(Rc::new(ds)),
        None => Source::Browser,
    }
}

/// One target, interpolated, with its step and source.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedQuery {
    pub ref_id: String,
    pub legend: String,
    pub expr: String,
    pub instant: bool,
    /// Step-aligned start (range queries), end, step in ms.
    pub start_ms: i64,
    pub end_ms: i64,
    pub step_ms: i64,
    pub source: Source,
}

/// A panel's queries for one refresh.
#[derive(Clone, Debug, PartialEq)]
pub struct PanelPlan {
    pub queries: Vec<PlannedQuery>,
    pub start_ms: i64,
    pub end_ms: i64,
}

impl PanelPlan {
    pub fn uses_browser(&self) -> bool {
        self.queries.iter().any(|q| q.source == Source::Browser)
    }

    pub fn uses_api(&self) -> bool {
        self.queries.iter().any(|q| q.source != Source::Browser)
    }
}

/// The scrape interval used for `$__rate_interval` (Grafana's datasource "scrape interval").
fn scrape_interval_ms(source: &Source) -> u64 {
    let ms = match source {
        Source::Api(ds) => Some(ds.scrape_interval_ms),
        Source::Browser => {
            with_engine(|e| e.targets.iter().map(|t| t.target.interval_ms).min()).flatten()
        }
    };
    ms.map(|v| v.max(1_000) as u64).unwrap_or(15_000)
}

/// Plans a panel's visible targets over `range` for a panel `width_px` wide.
pub fn plan_panel(
    panel: &Panel,
    vars: &VariableValues,
    range: (i64, i64),
    width_px: u32,
    choice: Option<&str>,
) -> PanelPlan {
    let (start, end) = range;
    let range_ms = (end - start).max(1) as u64;
    let max_points = panel.max_data_points.unwrap_or(width_px.max(100) as u64);
    let min_interval = panel
        .interval
        .as_deref()
        .and_then(interval::parse_duration_ms);
    let interval_ms = interval::calculate_interval(range_ms, max_points, min_interval).max(1_000);
    let queries = panel
        .targets
        .iter()
        .filter(|t| !t.hide && !t.expr.trim().is_empty())
        .map(|target| {
            let ds_ref = match target.datasource {
                DatasourceRef::Default => &panel.datasource,
                ref own => own,
            };
            let source = resolve_source(ds_ref, vars, choice);
            let macros = MacroValues::new(start, end, interval_ms, scrape_interval_ms(&source));
            let step = target_step(target, range_ms, max_points, min_interval);
            PlannedQuery {
                ref_id: target.ref_id.clone(),
                legend: target.legend_format.clone(),
                expr: interpolate(&target.expr, vars, &macros),
                instant: target.instant && !target.range || target.format == QueryFormat::Table,
                // Step-aligned like Prometheus/Grafana so points don't shimmer between refreshes.
                start_ms: start - start.rem_euclid(step),
                end_ms: end,
                step_ms: step,
                source,
            }
        })
        .collect();
    PanelPlan {
        queries,
        start_ms: start,
        end_ms: end,
    }
}

fn target_step(target: &Target, range_ms: u64, max_points: u64, min: Option<u64>) -> i64 {
    let target_min = interval::parse_duration_ms(&target.interval).or(min);
    let step = interval::calculate_interval(range_ms, max_points, target_min).max(1_000) as i64;
    step * target.interval_factor.max(1) as i64
}

/// How many parsed expressions [`PARSED`] keeps: several dashboards' worth.
const PARSED_MAX: usize = 2_000;

thread_local! {
    /// The in-browser queries' parsed PromQL by text: a panel (and a variable's options)
    /// runs the same expressions on every scrape, and parsing them (regex matchers compiled
    /// anew each time) cost more CPU than evaluating them (a Node Exporter Full refresh: 30
    /// of 51 ms in `range_query`).
    static PARSED: std::cell::RefCell<promql::ParseCache> =
        std::cell::RefCell::new(promql::ParseCache::new(PARSED_MAX));
}

/// `expr` parsed, from [`PARSED`] when it was parsed before.
pub fn parsed(expr: &str) -> Result<Rc<promql::Expr>, String> {
    PARSED
        .with_borrow_mut(|cache| cache.parse(expr))
        .map_err(|e| e.to_string())
}

/// Runs a query in the browser's engine.
fn run_in_browser(q: &PlannedQuery) -> Result<Value, String> {
    let ast = parsed(&q.expr)?;
    let result = with_engine(|e| {
        let opts = EngineOptions::default();
        if q.instant {
            promql::instant_query_ast(&e.store, &ast, q.end_ms, &opts)
        } else {
            promql::range_query_ast(&e.store, &ast, q.start_ms, q.end_ms, q.step_ms, &opts)
        }
    });
    match result {
        None => Err("engine busy, try again".into()),
        Some(r) => r.map_err(|e| e.to_string()),
    }
}

async fn run_query(q: &PlannedQuery) -> Result<Value, String> {
    match &q.source {
        Source::Browser => run_in_browser(q),
        Source::Api(ds) if q.instant => prom_api::query(ds, &q.expr, q.end_ms).await,
        Source::Api(ds) => {
            prom_api::query_range(ds, &q.expr, q.start_ms, q.end_ms, q.step_ms).await
        }
    }
}

/// Runs a plan whose queries all run in the browser (no waiting).
pub fn run_browser_plan(plan: &PanelPlan) -> PanelData {
    let results = plan.queries.iter().map(run_in_browser).collect();
    collect(plan, results)
}

/// Runs a plan; API queries run concurrently.
pub async fn run_plan(plan: &PanelPlan) -> PanelData {
    let results = futures::future::join_all(plan.queries.iter().map(run_query)).await;
    collect(plan, results)
}

fn collect(plan: &PanelPlan, results: Vec<Result<Value, String>>) -> PanelData {
    let history_start_ms = if plan.uses_browser() {
        with_engine(|e| e.history_start_ms)
            .flatten()
            .filter(|since| plan.start_ms < *since)
    } else {
        None
    };
    let mut data = PanelData {
        start_ms: plan.start_ms,
        end_ms: plan.end_ms,
        history_start_ms,
        ..Default::default()
    };
    for (q, result) in plan.queries.iter().zip(results) {
        match result {
            Err(e) => data.errors.push(format!("{}: {e}", q.ref_id)),
            Ok(v) => {
                data.instant |= q.instant;
                append_value(&mut data, v, &q.ref_id, &q.legend, &q.expr);
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
