//! The zero-config dashboard: when the user names targets (`?target=`) or configures none
//! of the dashboards, Signalboard waits for the first scrapes, detects the golden-signal
//! sources of every job (`signalboard-golden`) and shows the generated Grafana dashboard —
//! an ordinary dashboard that can be exported, saved to the library and edited elsewhere.
//!
//! Contract: generation happens once the scrape targets have each been tried (or after
//! [`WAIT_MS`]); with nothing scraped the user sees why instead of an empty page.

use leptos::prelude::Set;
use serde_json::{json, Value};
use signalboard_core::golden::{detect, golden_dashboard, DashboardOptions};

use crate::app::{AppSignals, NoticeLevel};
use crate::engine::{now_ms, with_engine};
use crate::startup::show_dashboard;

/// Longest wait for every target's first scrape.
const WAIT_MS: f64 = 15_000.0;

/// The uid the generated dashboard carries (the "Regenerate" button looks for it).
pub fn is_generated(uid: &str) -> bool {
    uid == DashboardOptions::default().uid
}

/// The generated dashboard's JSON for what has been scraped so far, if anything.
pub fn generate() -> Option<String> {
    let sources = with_engine(|e| detect(&e.alerting.catalog))?;
    if sources.is_empty() {
        return None;
    }
    let options = DashboardOptions {
        alert_list: true,
        ..DashboardOptions::default()
    };
    let mut dashboard = golden_dashboard(&sources, &options);
    add_availability_row(&mut dashboard);
    serde_json::to_string(&dashboard).ok()
}

/// The "Availability" row: scrape targets up, health probes up, their per-dependency checks
/// (from the probed JSON bodies) and probe latency. Shown once there is something to show.
fn add_availability_row(dashboard: &mut Value) {
    let has_probes = with_engine(|e| !e.config.probes.is_empty()).unwrap_or(false);
    let Some(panels) = dashboard.get_mut("panels").and_then(Value::as_array_mut) else {
        return;
    };
    let bottom = panels
        .iter()
        .filter_map(|p| {
            let g = p.get("gridPos")?;
            Some(g.get("y")?.as_u64()? + g.get("h")?.as_u64()?)
        })
        .max()
        .unwrap_or(0);
    let mut id = panels
        .iter()
        .filter_map(|p| p.get("id")?.as_u64())
        .max()
        .unwrap_or(0);
    let mut next_id = || {
        id += 1;
        id
    };
    let y = bottom;
    panels.push(
        json!({"type": "row", "id": next_id(), "title": "Availability", "collapsed": false,
        "gridPos": {"x": 0, "y": y, "w": 24, "h": 1}, "panels": []}),
    );
    // Alone, the targets stat spans the row; with probes the three stats share it.
    let width = if has_probes { 8 } else { 24 };
    panels.push(up_down_stat(
        next_id(),
        "Targets up",
        "up",
        "{{job}} {{instance}}",
        (0, y + 1, width),
    ));
    if has_probes {
        panels.push(up_down_stat(
            next_id(),
            "Health probes",
            "probe_success",
            "{{job}}",
            (8, y + 1, 8),
        ));
        panels.push(up_down_stat(
            next_id(),
            "Dependency checks",
            "probe_check_ok",
            "{{job}}: {{check}}",
            (16, y + 1, 8),
        ));
        panels.push(json!({"type": "timeseries", "id": next_id(), "title": "Health probe latency",
            "gridPos": {"x": 0, "y": y + 5, "w": 24, "h": 7},
            "fieldConfig": {"defaults": {"unit": "s"}, "overrides": []},
            "targets": [{"refId": "A", "expr": "probe_duration_seconds", "legendFormat": "{{job}}"}]}));
    }
}

/// A stat showing 1/0 series as green UP / red DOWN.
fn up_down_stat(
    id: u64,
    title: &str,
    expr: &str,
    legend: &str,
    (x, y, w): (u64, u64, u64),
) -> Value {
    json!({"type": "stat", "id": id, "title": title, "gridPos": {"x": x, "y": y, "w": w, "h": 4},
        "options": {"colorMode": "background", "graphMode": "none", "textMode": "value_and_name",
            "reduceOptions": {"calcs": ["lastNotNull"]}},
        "fieldConfig": {"defaults": {
            "thresholds": {"mode": "absolute", "steps": [{"color": "red", "value": null}, {"color": "green", "value": 1}]},
            "mappings": [{"type": "value", "options": {"0": {"text": "DOWN"}, "1": {"text": "UP"}}}]},
            "overrides": []},
        "targets": [{"refId": "A", "expr": expr, "legendFormat": legend}]})
}

/// Shows the generated dashboard now (the "Regenerate" button).
pub fn show_now(signals: AppSignals) {
    match generate() {
        Some(json) => {
            show_dashboard(signals, &json, false);
        }
        None => signals.notify(
            NoticeLevel::Warn,
            "no metrics scraped yet: the golden-signals dashboard is built from the targets' \
             first scrapes (see the Targets page)",
        ),
    }
}

/// Waits for the first scrapes, then shows the generated dashboard.
pub async fn show_when_scraped(signals: AppSignals) {
    signals.generating.set(true);
    let started = now_ms();
    loop {
        let tried_all = with_engine(|e| {
            e.targets
                .iter()
                .filter(|t| t.kind == crate::engine::TargetKind::Scrape)
                .all(|t| t.last_scrape_ms.is_some())
        })
        .unwrap_or(false);
        if tried_all || now_ms() - started > WAIT_MS {
            break;
        }
        crate::scrape::sleep_ms(250).await;
    }
    show_now(signals);
    signals.generating.set(false);
}
