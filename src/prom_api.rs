//! The "Prometheus API" datasource: the same panels, fed by a Prometheus-compatible server
//! (Prometheus, Thanos, Mimir, Cortex, VictoriaMetrics) instead of the in-browser store.
//!
//! Contract:
//! - every request is a GET to `{base}/api/v1/...` with the datasource's headers (credentials
//!   stay in headers, never in URLs) and its timeout; failures come back as one message naming
//!   the datasource (`prometheus: HTTP 400 bad_data: parse error at char 5: ...`);
//! - identical requests in flight at the same time (several panels, one query) are sent once;
//! - dropping the future of a request that no one else awaits aborts it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use futures::future::{FutureExt, LocalBoxFuture, Shared, WeakShared};
use serde_json::Value as Json;
use signalboard_core::config::{percent_encode, ApiDatasource};
use signalboard_core::promql::{InstantSample, RangeSeries, Value};
use signalboard_core::store::Labels;

use crate::fetch::{self, FetchError};

/// Largest answer accepted (a runaway query must not eat the tab's memory).
const BODY_LIMIT: usize = 64 << 20;

type Answer = Result<Rc<Json>, String>;
type InFlight = Shared<LocalBoxFuture<'static, Answer>>;

thread_local! {
    /// Weak, so that when every waiting panel has gone the request itself is dropped (and so
    /// aborted) instead of being kept alive by this table.
    static IN_FLIGHT: RefCell<HashMap<String, WeakShared<LocalBoxFuture<'static, Answer>>>> =
        RefCell::new(HashMap::new());
}

/// Requests sent to servers so far (for tests and the targets page).
pub fn requests_sent() -> u64 {
    SENT.with(|c| *c.borrow())
}

thread_local! {
    static SENT: RefCell<u64> = const { RefCell::new(0) };
}

/// `/api/v1/query_range`: a matrix, steps in ms.
pub async fn query_range(
    ds: &ApiDatasource,
    expr: &str,
    start_ms: i64,
    end_ms: i64,
    step_ms: i64,
) -> Result<Value, String> {
    let path = format!(
        "query_range?query={}&start={}&end={}&step={}",
        percent_encode(expr),
        seconds(start_ms),
        seconds(end_ms),
        seconds(step_ms.max(1))
    );
    let data = api_get(ds, &path).await?;
    parse_value(&data).map_err(|m| format!("{}: {m}", ds.name))
}

/// `/api/v1/query`: an instant query at `t_ms`.
pub async fn query(ds: &ApiDatasource, expr: &str, t_ms: i64) -> Result<Value, String> {
    let path = format!(
        "query?query={}&time={}",
        percent_encode(expr),
        seconds(t_ms)
    );
    let data = api_get(ds, &path).await?;
    parse_value(&data).map_err(|m| format!("{}: {m}", ds.name))
}

/// `/api/v1/label/<name>/values`, optionally restricted by a series selector.
pub async fn label_values(
    ds: &ApiDatasource,
    label: &str,
    selector: Option<&str>,
    range: (i64, i64),
) -> Result<Vec<String>, String> {
    let mut path = format!(
        "label/{}/values?start={}&end={}",
        percent_encode(label),
        seconds(range.0),
        seconds(range.1)
    );
    if let Some(sel) = selector {
        path.push_str("&match[]=");
        path.push_str(&percent_encode(sel));
    }
    let data = api_get(ds, &path).await?;
    string_list(&data).map_err(|m| format!("{}: {m}", ds.name))
}

/// Prometheus takes float seconds; ms precision is all we have.
fn seconds(ms: i64) -> String {
    (ms as f64 / 1000.0).to_string()
}

/// GETs `{base}/api/v1/{path}` (deduplicated while in flight) and returns the `data` member.
async fn api_get(ds: &ApiDatasource, path: &str) -> Result<Rc<Json>, String> {
    let url = format!("{}/api/v1/{path}", ds.base_url);
    // Same URL with other credentials is another request.
    let key = format!("{url}\u{0}{:?}", ds.headers);
    let existing: Option<InFlight> =
        IN_FLIGHT.with(|m| m.borrow().get(&key).and_then(WeakShared::upgrade));
    let shared = match existing {
        Some(f) => f,
        None => {
            let fut = send(ds.clone(), url).boxed_local().shared();
            if let Some(weak) = fut.downgrade() {
                IN_FLIGHT.with(|m| {
                    let mut m = m.borrow_mut();
                    // Requests abandoned by all their panels leave dead entries behind.
                    m.retain(|_, w| w.upgrade().is_some());
                    m.insert(key.clone(), weak);
                });
            }
            fut
        }
    };
    let answer = shared.clone().await;
    IN_FLIGHT.with(|m| {
        let mut m = m.borrow_mut();
        // Only forget it if it is still this request (a newer one may have replaced it).
        let same = m
            .get(&key)
            .and_then(WeakShared::upgrade)
            .is_none_or(|f| f.ptr_eq(&shared));
        if same {
            m.remove(&key);
        }
    });
    answer
}

async fn send(ds: ApiDatasource, url: String) -> Answer {
    SENT.with(|c| *c.borrow_mut() += 1);
    let mut headers: Vec<(&str, &str)> = vec![("Accept", "application/json")];
    headers.extend(ds.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let fetched = fetch::get_with_headers(&url, &headers, ds.timeout_ms, BODY_LIMIT)
        .await
        .map_err(|e| fetch_error(&ds, e))?;
    let body: Json = match serde_json::from_slice(&fetched.body) {
        Ok(j) => j,
        Err(_) if !(200..300).contains(&fetched.status) => {
            let text = String::from_utf8_lossy(&fetched.body);
            let snippet: String = text.trim().chars().take(200).collect();
            return Err(format!("{}: HTTP {} {snippet}", ds.name, fetched.status));
        }
        Err(e) => return Err(format!("{}: answer is not JSON: {e}", ds.name)),
    };
    api_data(&body, fetched.status).map_err(|m| format!("{}: {m}", ds.name))
}

fn fetch_error(ds: &ApiDatasource, e: FetchError) -> String {
    match e {
        FetchError::Network { detail, .. } => format!(
            "{}: network error or CORS refusal ({detail}). Check that {} is reachable; \
             Prometheus sends CORS headers for --web.cors.origin (default '.*'), other servers \
             may need a proxy, or host Signalboard on the same origin",
            ds.name, ds.base_url
        ),
        FetchError::Timeout { timeout_ms, .. } => {
            format!("{}: timeout: no answer within {timeout_ms} ms", ds.name)
        }
        FetchError::BodyTooLarge { limit, .. } => {
            format!("{}: answer larger than {limit} bytes", ds.name)
        }
        FetchError::Rejected { reason, .. } => format!("{}: {reason}", ds.name),
        FetchError::Browser(m) => format!("{}: browser error: {m}", ds.name),
    }
}

/// The `data` member of a Prometheus API envelope, or its error as a message.
fn api_data(body: &Json, status: u16) -> Answer {
    match body.get("status").and_then(Json::as_str) {
        Some("success") => Ok(Rc::new(body.get("data").cloned().unwrap_or(Json::Null))),
        Some("error") => {
            let kind = body
                .get("errorType")
                .and_then(Json::as_str)
                .unwrap_or("error");
            let msg = body.get("error").and_then(Json::as_str).unwrap_or("");
            Err(format!("HTTP {status} {kind}: {msg}"))
        }
        _ => Err(format!("HTTP {status}: not a Prometheus API answer")),
    }
}

/// `data` of `/api/v1/query[_range]` → a query result.
pub fn parse_value(data: &Json) -> Result<Value, String> {
    let result = data.get("result").unwrap_or(&Json::Null);
    match data.get("resultType").and_then(Json::as_str) {
        Some("matrix") => {
            let series = array(result)?
                .iter()
                .map(|s| {
                    let samples = array(s.get("values").unwrap_or(&Json::Null))?
                        .iter()
                        .map(point)
                        .collect::<Result<Vec<_>, _>>()?;
                    Ok(RangeSeries {
                        labels: labels(s)?,
                        samples,
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            Ok(Value::Matrix(series))
        }
        Some("vector") => {
            let samples = array(result)?
                .iter()
                .map(|s| {
                    let (t_ms, v) = point(s.get("value").unwrap_or(&Json::Null))?;
                    Ok(InstantSample {
                        labels: labels(s)?,
                        t_ms,
                        v,
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            Ok(Value::Vector(samples))
        }
        Some("scalar") => {
            let (t_ms, v) = point(result)?;
            Ok(Value::Scalar { t_ms, v })
        }
        Some("string") => {
            let (t_ms, _) = point(result).unwrap_or((0, 0.0));
            let v = result
                .get(1)
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_string();
            Ok(Value::String { t_ms, v })
        }
        other => Err(format!("unexpected resultType {other:?}")),
    }
}

fn array(v: &Json) -> Result<&Vec<Json>, String> {
    v.as_array()
        .ok_or_else(|| "malformed answer: expected an array".to_string())
}

fn labels(series: &Json) -> Result<Labels, String> {
    let metric = series
        .get("metric")
        .and_then(Json::as_object)
        .ok_or("malformed answer: series without \"metric\"")?;
    Ok(Labels::from_pairs(metric.iter().map(|(k, v)| {
        (k.as_str(), v.as_str().unwrap_or_default())
    })))
}

/// `[1700000000.123, "1.5"]` → (ms, value). Values are strings: "NaN", "+Inf", "-Inf", numbers.
fn point(p: &Json) -> Result<(i64, f64), String> {
    let bad = || format!("malformed sample {p}");
    let t = p.get(0).and_then(Json::as_f64).ok_or_else(bad)?;
    let v = p.get(1).and_then(Json::as_str).ok_or_else(bad)?;
    let v = match v {
        "+Inf" | "Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        "NaN" => f64::NAN,
        other => other.parse::<f64>().map_err(|_| bad())?,
    };
    Ok(((t * 1000.0).round() as i64, v))
}

fn string_list(data: &Json) -> Result<Vec<String>, String> {
    Ok(array(data)?
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn matrix_and_vector_answers_parse() {
        let m: Json = serde_json::from_str(
            r#"{"resultType":"matrix","result":[{"metric":{"__name__":"up","job":"a"},
            "values":[[1700000000,"1"],[1700000015.5,"NaN"],[1700000030,"+Inf"]]}]}"#,
        )
        .unwrap();
        let Value::Matrix(s) = parse_value(&m).unwrap() else {
            panic!("not a matrix")
        };
        assert_eq!(s[0].labels.get("job"), Some("a"));
        assert_eq!(s[0].samples[0], (1_700_000_000_000, 1.0));
        assert_eq!(s[0].samples[1].0, 1_700_000_015_500);
        assert!(s[0].samples[1].1.is_nan());
        assert_eq!(s[0].samples[2].1, f64::INFINITY);
        let v: Json = serde_json::from_str(
            r#"{"resultType":"vector","result":[{"metric":{},"value":[1.5,"-2e-3"]}]}"#,
        )
        .unwrap();
        let Value::Vector(s) = parse_value(&v).unwrap() else {
            panic!("not a vector")
        };
        assert_eq!((s[0].t_ms, s[0].v), (1500, -0.002));
        let sc: Json = serde_json::from_str(r#"{"resultType":"scalar","result":[2,"3"]}"#).unwrap();
        assert_eq!(
            parse_value(&sc).unwrap(),
            Value::Scalar { t_ms: 2000, v: 3.0 }
        );
    }

    #[test]
    fn malformed_answers_are_errors_not_panics() {
        for bad in [
            r#"{"resultType":"matrix","result":{}}"#,
            r#"{"resultType":"vector","result":[{"value":[1,"1"]}]}"#,
            r#"{"resultType":"vector","result":[{"metric":{},"value":[1,"x"]}]}"#,
            r#"{"resultType":"matrix","result":[{"metric":{},"values":[[1]]}]}"#,
            r#"{"resultType":"histogram"}"#,
            r#"null"#,
        ] {
            let j: Json = serde_json::from_str(bad).unwrap();
            assert!(parse_value(&j).is_err(), "{bad}");
        }
    }

    #[test]
    fn error_envelopes_become_messages() {
        let e: Json = serde_json::from_str(
            r#"{"status":"error","errorType":"bad_data","error":"parse error at char 5"}"#,
        )
        .unwrap();
        assert_eq!(
            api_data(&e, 400).unwrap_err(),
            "HTTP 400 bad_data: parse error at char 5"
        );
        let ok: Json = serde_json::from_str(r#"{"status":"success","data":["a","b"]}"#).unwrap();
        assert_eq!(
            string_list(&api_data(&ok, 200).unwrap()).unwrap(),
            ["a", "b"]
        );
        assert!(api_data(&Json::Null, 502).is_err());
    }

    #[test]
    fn times_are_float_seconds() {
        assert_eq!(seconds(1_700_000_000_000), "1700000000");
        assert_eq!(seconds(1_700_000_000_123), "1700000000.123");
        assert_eq!(seconds(1_500), "1.5");
    }
}
