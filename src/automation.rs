//! `window.signalboard`: the in-page automation surface (DESIGN.md "Automation surface").
//! Keep it small and stable: `version`, `config()`, `targets()`, `query(expr, t?)`,
//! `queryRange(expr, start, end, step)` (Promises of Prometheus API JSON), `memory()`
//! (`{wasmBytes, storeBytes, series, samples, droppedSamples, evictedByMemory}`: wasm linear
//! memory and the store's own estimate, for memory-bound tests), `drawLog()` (`{dataVersion, dataAt, panels:
//! [{id, version, drawnAt}]}`: when the latest scrape's data arrived and when each panel last
//! drew, in `performance.now()` ms, for the refresh benchmark) and `bench.draw(series, points,
//! width, height)`.

use js_sys::{Function, Object, Promise, Reflect, JSON};
use serde_json::json;
use wasm_bindgen::prelude::*;

use crate::app::AppSignals;
use crate::engine::{now_ms, with_engine};
use signalboard_core::promql::{self, EngineOptions};

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

fn to_js(v: &serde_json::Value) -> JsValue {
    JSON::parse(&v.to_string()).unwrap_or(JsValue::NULL)
}

/// A JS function that lives as long as the page.
fn func<F: Fn(JsValue, JsValue, JsValue, JsValue) -> JsValue + 'static>(f: F) -> Function {
    let c = Closure::<dyn Fn(JsValue, JsValue, JsValue, JsValue) -> JsValue>::new(f);
    let f: Function = c.as_ref().clone().into();
    c.forget();
    f
}

fn seconds_arg(v: &JsValue, default_s: f64) -> f64 {
    v.as_f64()
        .or_else(|| v.as_string().and_then(|s| s.parse().ok()))
        .unwrap_or(default_s)
}

fn api_result(r: Option<Result<promql::Value, promql::QueryError>>) -> serde_json::Value {
    match r {
        Some(Ok(v)) => json!({"status": "success", "data": v.to_prometheus_json()}),
        Some(Err(e)) => json!({"status": "error", "errorType": "bad_data", "error": e.to_string()}),
        None => json!({"status": "error", "errorType": "internal", "error": "engine busy"}),
    }
}

/// Wasm linear memory (it only grows) and the store's statistics.
fn memory_report() -> serde_json::Value {
    let wasm_bytes = wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .ok()
        .and_then(|m| m.buffer().dyn_into::<js_sys::ArrayBuffer>().ok())
        .map_or(0, |b| b.byte_length());
    let stats = with_engine(|e| e.store.stats());
    let evicted = with_engine(|e| e.evicted_by_memory);
    json!({
        "wasmBytes": wasm_bytes,
        "storeBytes": stats.as_ref().map(|s| s.bytes),
        "series": stats.as_ref().map(|s| s.series),
        "samples": stats.as_ref().map(|s| s.samples),
        "droppedSamples": stats.as_ref().map(|s| s.dropped_samples),
        "evictedByMemory": evicted,
    })
}

pub fn install(signals: AppSignals) {
    let Some(window) = web_sys::window() else {
        return;
    };
    crate::panels::log_data_versions(signals.data_version);
    let sb = Object::new();
    set(
        &sb,
        "version",
        &JsValue::from_str(env!("CARGO_PKG_VERSION")),
    );
    set(
        &sb,
        "config",
        &func(|_, _, _, _| {
            let cfg = with_engine(|e| serde_json::to_value(&e.config).unwrap_or_default())
                .unwrap_or_default();
            to_js(&cfg)
        }),
    );
    set(
        &sb,
        "targets",
        &func(|_, _, _, _| {
            let list = with_engine(|e| {
            e.targets
                .iter()
                .map(|t| json!({
                    "job": t.target.job, "url": t.target.url, "health": t.health.as_str(),
                    "error": t.error, "lastScrape": t.last_scrape_ms,
                    "durationSeconds": t.duration_seconds, "samples": t.samples,
                    "kind": if t.kind == crate::engine::TargetKind::Probe { "probe" } else { "scrape" },
                }))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
            to_js(&serde_json::Value::Array(list))
        }),
    );
    set(
        &sb,
        "query",
        &func(|expr, t, _, _| {
            let expr = expr.as_string().unwrap_or_default();
            let t_ms = (seconds_arg(&t, now_ms() / 1000.0) * 1000.0).round() as i64;
            let r = with_engine(|e| {
                promql::instant_query(&e.store, &expr, t_ms, &EngineOptions::default())
            });
            Promise::resolve(&to_js(&api_result(r))).into()
        }),
    );
    set(
        &sb,
        "queryRange",
        &func(|expr, start, end, step| {
            let expr = expr.as_string().unwrap_or_default();
            let now = now_ms() / 1000.0;
            let (s, e, st) = (
                seconds_arg(&start, now - 300.0),
                seconds_arg(&end, now),
                seconds_arg(&step, 15.0),
            );
            let r = with_engine(|eng| {
                promql::range_query(
                    &eng.store,
                    &expr,
                    (s * 1000.0).round() as i64,
                    (e * 1000.0).round() as i64,
                    (st * 1000.0).round().max(1.0) as i64,
                    &EngineOptions::default(),
                )
            });
            Promise::resolve(&to_js(&api_result(r))).into()
        }),
    );
    set(&sb, "memory", &func(|_, _, _, _| to_js(&memory_report())));
    set(
        &sb,
        "drawLog",
        &func(|_, _, _, _| to_js(&crate::panels::draw_log())),
    );
    let bench = Object::new();
    set(
        &bench,
        "draw",
        &func(|series, points, width, height| {
            let ms = crate::panels::bench_draw(
                series.as_f64().unwrap_or(10.0) as usize,
                points.as_f64().unwrap_or(10_000.0) as usize,
                width.as_f64().unwrap_or(800.0) as u32,
                height.as_f64().unwrap_or(300.0) as u32,
            );
            match ms {
                Ok(ms) => Promise::resolve(&JsValue::from_f64(ms)).into(),
                Err(e) => Promise::reject(&JsValue::from_str(&e)).into(),
            }
        }),
    );
    set(&sb, "bench", &bench);
    set(&window, "signalboard", &sb);
}
