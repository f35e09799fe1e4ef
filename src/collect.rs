//! One scrape from request to encoded batch: fetch (direct, or through `signalboard-cli
//! serve`'s proxy), classify the answer, parse, and number the series (`store::SeriesNumbering`).
//! Runs in the scrape worker (`scrape_worker.rs`), or on the page when no worker could start;
//! either way the page only appends the batch (`scrape.rs`).
//!
//! Contract: [`collect`] never panics; a failed scrape yields its message (network / CORS,
//! HTTP status, timeout, HTML, UTF-8, `LINE:COL` parse error, `sample_limit`, `body_size_limit`)
//! *and* a batch whose `gone` lists the previous scrape's series (staleness markers). The
//! per-target state (series numbering, sticky proxy use) lives in this thread's
//! [`Collectors`], keyed by [`ScrapeRequest::key`] (the target's labels and URL).

use std::cell::RefCell;
use std::collections::HashMap;

use signalboard_core::exposition::{self, Format, Limits, SampleLineCounter};
use signalboard_core::store::{encode_batch, Batch, SeriesNumbering};

use crate::fetch;

/// What one scrape needs to know (the fields of `config::Target` that matter for fetching,
/// plus the page's knowledge: is the proxy there, the demo target's body).
#[derive(Debug, Clone, PartialEq)]
pub struct ScrapeRequest {
    /// Identifies the target's numbering: labels and URL.
    pub key: String,
    pub url: String,
    pub timeout_ms: i64,
    pub body_size_limit: usize,
    pub sample_limit: usize,
    pub proxy_available: bool,
    /// The in-page demo target's exposition (no fetch).
    pub demo_body: Option<String>,
    /// Batch ids the page no longer has a series for (see `store::SeriesNumbering::forget`).
    pub forget: Vec<u32>,
}

/// A scrape's outcome: the encoded batch (also for failures: staleness) and the failure.
pub struct Collected {
    pub batch: Vec<u8>,
    pub error: Option<String>,
}

#[derive(Default)]
struct TargetCollector {
    numbering: SeriesNumbering,
    via_proxy: bool,
}

/// This thread's per-target collectors.
#[derive(Default)]
struct Collectors(HashMap<String, TargetCollector>);

thread_local! {
    static COLLECTORS: RefCell<Collectors> = RefCell::new(Collectors::default());
}

fn with_collector<R>(key: &str, f: impl FnOnce(&mut TargetCollector) -> R) -> R {
    COLLECTORS.with(|c| {
        let mut c = c.borrow_mut();
        f(c.0.entry(key.to_string()).or_default())
    })
}

/// Scrapes once (see the module docs).
pub async fn collect(req: &ScrapeRequest) -> Collected {
    let mut via_proxy = with_collector(&req.key, |c| {
        c.numbering.forget(&req.forget);
        c.via_proxy
    });
    let fetched = match &req.demo_body {
        Some(body) => Ok(fetch::Fetched {
            status: 200,
            content_type: "text/plain; version=0.0.4".into(),
            body: body.clone().into_bytes(),
            from_signalboard_proxy: false,
            proxy_error: false,
        }),
        None => fetch_target(req, &mut via_proxy).await,
    };
    let checked = fetched.and_then(|f| check_answer(req, f));
    with_collector(&req.key, |c| {
        c.via_proxy = via_proxy;
        let (batch, error) = match checked.and_then(|body| c.number(req, &body)) {
            Ok(batch) => (batch, None),
            Err(e) => (
                Batch {
                    gone: c.numbering.target_down(),
                    ..Batch::default()
                },
                Some(e),
            ),
        };
        Collected {
            batch: encode_batch(&batch),
            error,
        }
    })
}

/// A body that answered the scrape: the text and its format.
struct Answer {
    text: String,
    format: Format,
}

impl TargetCollector {
    /// Parses within the request's `sample_limit` and numbers the series.
    fn number(&mut self, req: &ScrapeRequest, answer: &Answer) -> Result<Batch, String> {
        let url = &req.url;
        let mut limits = Limits::default();
        if req.sample_limit > 0 {
            // One more than allowed so "exceeded" is detected rather than truncated.
            limits.max_samples = req.sample_limit.saturating_add(1);
        }
        let parsed = exposition::parse_with(&answer.text, answer.format, &limits)
            .map_err(|e| format!("{url}: parse error at {e}"))?;
        let count = parsed.sample_count();
        if req.sample_limit > 0 && count > req.sample_limit {
            return Err(format!(
                "{url}: sample_limit exceeded: {count} samples > limit {}",
                req.sample_limit
            ));
        }
        Ok(self.numbering.collect(&parsed))
    }
}

/// Classifies the answer: proxy failure, HTTP status, HTML, UTF-8.
fn check_answer(req: &ScrapeRequest, fetched: fetch::Fetched) -> Result<Answer, String> {
    let url = &req.url;
    if fetched.proxy_error {
        // The proxy refused the target or could not reach it: its answer says why.
        let why = String::from_utf8_lossy(&fetched.body);
        let why: String = why.trim().chars().take(300).collect();
        let how = match fetched.status {
            403 => "HTTP 403 from signalboard-cli serve",
            _ => "network error, via signalboard-cli serve",
        };
        return Err(format!("{why} ({how})"));
    }
    if !(200..300).contains(&fetched.status) {
        return Err(format!("{url}: HTTP {}", fetched.status));
    }
    if is_html(&fetched.content_type) {
        return Err(format!(
            "{url}: answered an HTML page (content-type {}), not metrics: check the URL and metrics_path",
            fetched.content_type
        ));
    }
    let text = String::from_utf8(fetched.body).map_err(|e| {
        format!(
            "{url}: body is not UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    let format = Format::from_content_type(&fetched.content_type);
    Ok(Answer { text, format })
}

/// A login page, proxy error page or web UI: no exposition format is HTML.
fn is_html(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("text/html")
        || essence.eq_ignore_ascii_case("application/xhtml+xml")
}

/// Fetches a target directly; when that fails at the network level (most often: no CORS
/// headers) and `signalboard-cli serve` hosts the page, through its proxy — and from then on
/// always through it (`via_proxy` is sticky), so the browser does not log a refusal per scrape.
pub async fn fetch_target(
    req: &ScrapeRequest,
    via_proxy: &mut bool,
) -> Result<fetch::Fetched, String> {
    // Prometheus's preferences in a header short enough to be CORS-safelisted: no preflight,
    // so endpoints that only answer GET with CORS headers work.
    let get = |url: String| async move {
        let mut samples = SampleLineCounter::new();
        let mut check = |chunk: &[u8]| match samples.feed(chunk) {
            n if req.sample_limit > 0 && n > req.sample_limit => Err(format!(
                "sample_limit exceeded: more than {} samples (stopped reading)",
                req.sample_limit
            )),
            _ => Ok(()),
        };
        fetch::get_checked(
            &url,
            &[("Accept", exposition::BROWSER_ACCEPT_HEADER)],
            req.timeout_ms,
            req.body_size_limit,
            &mut check,
        )
        .await
    };
    if !*via_proxy {
        match get(req.url.clone()).await {
            Err(fetch::FetchError::Network { .. }) if req.proxy_available => {
                *via_proxy = true;
            }
            other => return other.map_err(|e| e.to_string()),
        }
    }
    get(fetch::proxied(&req.url))
        .await
        .map_err(|e| format!("{e} (via signalboard-cli serve)"))
}

/// The messages between the page and the scrape worker (plain JS objects; the batch travels
/// as a transferred `ArrayBuffer`).
pub mod message {
    use js_sys::{Array, Object, Reflect, Uint32Array, Uint8Array};
    use wasm_bindgen::{JsCast, JsValue};

    use super::{Collected, ScrapeRequest};

    fn set(obj: &Object, key: &str, value: &JsValue) {
        let _ = Reflect::set(obj, &JsValue::from_str(key), value);
    }

    fn get(obj: &JsValue, key: &str) -> JsValue {
        Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    fn num(obj: &JsValue, key: &str) -> f64 {
        get(obj, key).as_f64().unwrap_or(0.0)
    }

    /// The worker's first message: it listens now.
    pub fn ready() -> JsValue {
        let o = Object::new();
        set(&o, "ready", &JsValue::TRUE);
        o.into()
    }

    pub fn is_ready(v: &JsValue) -> bool {
        get(v, "ready").is_truthy()
    }

    pub fn request_to_js(id: u32, r: &ScrapeRequest) -> JsValue {
        let o = Object::new();
        set(&o, "id", &id.into());
        set(&o, "key", &r.key.as_str().into());
        set(&o, "url", &r.url.as_str().into());
        set(&o, "timeoutMs", &(r.timeout_ms as f64).into());
        set(&o, "bodyLimit", &(r.body_size_limit as f64).into());
        set(&o, "sampleLimit", &(r.sample_limit as f64).into());
        set(&o, "proxy", &r.proxy_available.into());
        if let Some(b) = &r.demo_body {
            set(&o, "demoBody", &b.as_str().into());
        }
        set(&o, "forget", &Uint32Array::from(r.forget.as_slice()).into());
        o.into()
    }

    pub fn request_from_js(v: &JsValue) -> Option<(u32, ScrapeRequest)> {
        let id = get(v, "id").as_f64()? as u32;
        let forget = get(v, "forget")
            .dyn_into::<Uint32Array>()
            .map(|a| a.to_vec())
            .unwrap_or_default();
        Some((
            id,
            ScrapeRequest {
                key: get(v, "key").as_string()?,
                url: get(v, "url").as_string()?,
                timeout_ms: num(v, "timeoutMs") as i64,
                body_size_limit: num(v, "bodyLimit") as usize,
                sample_limit: num(v, "sampleLimit") as usize,
                proxy_available: get(v, "proxy").is_truthy(),
                demo_body: get(v, "demoBody").as_string(),
                forget,
            },
        ))
    }

    /// The answer and the list of buffers to transfer with it.
    pub fn collected_to_js(id: u32, c: &Collected) -> (JsValue, Array) {
        let o = Object::new();
        set(&o, "id", &id.into());
        if let Some(e) = &c.error {
            set(&o, "error", &e.as_str().into());
        }
        let bytes = Uint8Array::from(c.batch.as_slice());
        set(&o, "batch", &bytes);
        (o.into(), Array::of1(&bytes.buffer()))
    }

    pub fn collected_from_js(v: &JsValue) -> Option<(u32, Collected)> {
        let id = get(v, "id").as_f64()? as u32;
        let batch = get(v, "batch").dyn_into::<Uint8Array>().ok()?.to_vec();
        Some((
            id,
            Collected {
                batch,
                error: get(v, "error").as_string(),
            },
        ))
    }
}
