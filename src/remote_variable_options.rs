//! Options of query variables whose datasource is a Prometheus API: fetched asynchronously
//! (`/api/v1/label/<name>/values` with `match[]`, `/api/v1/query` for `query_result`) and
//! cached per (datasource, query) for the page's life with this dashboard, as Grafana
//! refreshes variables on dashboard load.
//!
//! Contract: [`get`] never blocks: it answers from the cache (empty while the first answer is
//! on its way) and starts at most one request per key; when an answer arrives,
//! `AppSignals::remote_version` is bumped so panels and dropdowns re-read. A failed request
//! leaves the options empty and shows the error as a notice.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::*;
use signalboard_core::config::ApiDatasource;
use signalboard_core::promql::Value;

use crate::app::{AppSignals, NoticeLevel};
use crate::engine::now_ms;
use crate::prom_api;

/// What to ask the server.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Request {
    LabelValues {
        label: String,
        selector: Option<String>,
    },
    /// `query_result(expr)`: one option per series, `name{labels} value`.
    QueryResult { expr: String },
}

enum Entry {
    Pending,
    Ready(Vec<String>),
}

thread_local! {
    static CACHE: RefCell<HashMap<(String, Request), Entry>> = RefCell::new(HashMap::new());
}

/// Forgets everything (a new dashboard was loaded).
pub fn clear() {
    CACHE.with(|c| c.borrow_mut().clear());
}

/// The cached options, starting the request when there are none yet.
pub fn get(signals: AppSignals, ds: Rc<ApiDatasource>, req: Request) -> Vec<String> {
    let key = (ds.name.clone(), req.clone());
    let cached = CACHE.with(|c| match c.borrow().get(&key) {
        Some(Entry::Ready(v)) => Some(Some(v.clone())),
        Some(Entry::Pending) => Some(None),
        None => None,
    });
    match cached {
        Some(v) => v.unwrap_or_default(),
        None => {
            CACHE.with(|c| c.borrow_mut().insert(key.clone(), Entry::Pending));
            leptos::task::spawn_local(fetch(signals, ds, req, key));
            Vec::new()
        }
    }
}

async fn fetch(signals: AppSignals, ds: Rc<ApiDatasource>, req: Request, key: (String, Request)) {
    let range = signals.time_range.get_untracked().resolve(now_ms() as i64);
    let result = match &req {
        Request::LabelValues { label, selector } => {
            prom_api::label_values(&ds, label, selector.as_deref(), range).await
        }
        Request::QueryResult { expr } => prom_api::query(&ds, expr, range.1)
            .await
            .map(|v| query_result_options(&v)),
    };
    let options = result.unwrap_or_else(|e| {
        signals.notify(NoticeLevel::Error, format!("variable options: {e}"));
        Vec::new()
    });
    CACHE.with(|c| c.borrow_mut().insert(key, Entry::Ready(options)));
    signals.remote_version.try_update(|v| *v += 1);
}

/// Grafana's `query_result` option text: `name{labels} value timestamp` (ms).
pub fn query_result_options(v: &Value) -> Vec<String> {
    match v {
        Value::Vector(samples) => samples
            .iter()
            .map(|s| format!("{} {} {}", s.labels, s.v, s.t_ms))
            .collect(),
        Value::Scalar { v, t_ms } => vec![format!("scalar {v} {t_ms}")],
        _ => Vec::new(),
    }
}
