//! HTTP GET from the browser with a timeout that really aborts the request, a body-size
//! guard that stops reading (and aborts) as soon as the limit is passed, and an optional
//! per-chunk check that can stop the download early (the scrape's `sample_limit`).
//!
//! Works in the page and in a dedicated worker (the scrape worker fetches from there).
//!
//! Contract: [`get`] never panics and classifies every failure into a [`FetchError`] whose
//! `Display` is the message shown to the user (targets page, panel errors). Dropping the
//! returned future aborts the request (how superseded panel queries are cancelled).

use std::fmt;

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, Headers, ReadableStreamDefaultReader, Request, RequestInit, Response,
};

/// Response header by which `signalboard-cli serve` identifies its scrape proxy.
pub const PROXY_HEADER: &str = "x-signalboard-proxy";

/// The URL that asks `signalboard-cli serve` (same origin as the app) to fetch `url`.
pub fn proxied(url: &str) -> String {
    format!(
        "proxy?url={}",
        String::from(js_sys::encode_uri_component(url))
    )
}

/// A fetched body with the response metadata scraping needs.
pub struct Fetched {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
    /// Set by `signalboard-cli serve` on its `/proxy` answers.
    pub from_signalboard_proxy: bool,
    /// The proxy's own answer (refused or could not reach the target), not the target's.
    pub proxy_error: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FetchError {
    /// fetch() rejected: the browser hides whether it was DNS, refused connection or CORS.
    Network {
        url: String,
        detail: String,
    },
    Timeout {
        url: String,
        timeout_ms: i64,
    },
    BodyTooLarge {
        url: String,
        limit: usize,
    },
    /// The caller's chunk check stopped the download.
    Rejected {
        url: String,
        reason: String,
    },
    /// Something in the browser API failed unexpectedly.
    Browser(String),
}

/// Looks at each body chunk as it arrives; `Err(reason)` stops the download.
pub type ChunkCheck<'a> = &'a mut dyn FnMut(&[u8]) -> Result<(), String>;

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Network { url, detail } => write!(
                f,
                "{url}: network error or CORS refusal ({detail}). If the target is up, it probably \
                 sends no Access-Control-Allow-Origin header: add CORS headers to the endpoint, host \
                 Signalboard on the same origin, or run `signalboard-cli serve` to forward scrapes"
            ),
            FetchError::Timeout { url, timeout_ms } => {
                write!(f, "{url}: timeout: no complete answer within {timeout_ms} ms")
            }
            FetchError::BodyTooLarge { url, limit } => {
                write!(f, "{url}: body_size_limit exceeded: response is larger than {limit} bytes")
            }
            FetchError::Rejected { url, reason } => write!(f, "{url}: {reason}"),
            FetchError::Browser(m) => write!(f, "browser error: {m}"),
        }
    }
}

fn js_msg(v: &JsValue) -> String {
    if let Some(e) = v.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    v.as_string().unwrap_or_else(|| format!("{v:?}"))
}

/// The global scope the request runs in: the page's window or a worker's global.
enum Scope {
    Window(web_sys::Window),
    Worker(web_sys::WorkerGlobalScope),
}

impl Scope {
    fn current() -> Result<Scope, FetchError> {
        let global = js_sys::global();
        if let Some(w) = global.dyn_ref::<web_sys::Window>() {
            return Ok(Scope::Window(w.clone()));
        }
        global
            .dyn_into::<web_sys::WorkerGlobalScope>()
            .map(Scope::Worker)
            .map_err(|_| FetchError::Browser("neither a window nor a worker".into()))
    }

    fn fetch(&self, request: &Request) -> js_sys::Promise {
        match self {
            Scope::Window(w) => w.fetch_with_request(request),
            Scope::Worker(w) => w.fetch_with_request(request),
        }
    }

    fn set_timeout(&self, f: &js_sys::Function, ms: i32) -> Result<i32, JsValue> {
        match self {
            Scope::Window(w) => w.set_timeout_with_callback_and_timeout_and_arguments_0(f, ms),
            Scope::Worker(w) => w.set_timeout_with_callback_and_timeout_and_arguments_0(f, ms),
        }
    }

    fn clear_timeout(&self, handle: i32) {
        match self {
            Scope::Window(w) => w.clear_timeout_with_handle(handle),
            Scope::Worker(w) => w.clear_timeout_with_handle(handle),
        }
    }
}

/// Aborts the controller when dropped-out-of-time: a JS timer we clear ourselves.
struct AbortTimer {
    handle: i32,
    _closure: Closure<dyn FnMut()>,
}

impl AbortTimer {
    fn start(controller: &AbortController, ms: i64) -> Result<AbortTimer, FetchError> {
        let c = controller.clone();
        let closure = Closure::<dyn FnMut()>::new(move || c.abort());
        let handle = Scope::current()?
            .set_timeout(
                closure.as_ref().unchecked_ref(),
                ms.clamp(1, i32::MAX as i64) as i32,
            )
            .map_err(|e| FetchError::Browser(js_msg(&e)))?;
        Ok(AbortTimer {
            handle,
            _closure: closure,
        })
    }
}

impl Drop for AbortTimer {
    fn drop(&mut self) {
        if let Ok(scope) = Scope::current() {
            scope.clear_timeout(self.handle);
        }
    }
}

/// Aborts the request when the future owning it is dropped before it finished.
struct AbortOnDrop(AbortController);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// GET `url` with the given `Accept` header. `body_limit` 0 = unlimited.
pub async fn get(
    url: &str,
    accept: &str,
    timeout_ms: i64,
    body_limit: usize,
) -> Result<Fetched, FetchError> {
    get_with_headers(url, &[("Accept", accept)], timeout_ms, body_limit).await
}

/// GET `url` with request headers (`Accept`, `Authorization`, …). `body_limit` 0 = unlimited.
pub async fn get_with_headers(
    url: &str,
    request_headers: &[(&str, &str)],
    timeout_ms: i64,
    body_limit: usize,
) -> Result<Fetched, FetchError> {
    get_checked(
        url,
        request_headers,
        timeout_ms,
        body_limit,
        &mut |_| Ok(()),
    )
    .await
}

/// [`get_with_headers`] passing every body chunk to `check` as it arrives.
pub async fn get_checked(
    url: &str,
    request_headers: &[(&str, &str)],
    timeout_ms: i64,
    body_limit: usize,
    check: ChunkCheck<'_>,
) -> Result<Fetched, FetchError> {
    let browser = |e: JsValue| FetchError::Browser(js_msg(&e));
    let controller = AbortController::new().map_err(browser)?;
    let guard = AbortOnDrop(controller.clone());
    let timer = AbortTimer::start(&controller, timeout_ms)?;
    let timed_out = || FetchError::Timeout {
        url: url.to_string(),
        timeout_ms,
    };

    let headers = Headers::new().map_err(browser)?;
    for (name, value) in request_headers {
        headers.set(name, value).map_err(browser)?;
    }
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_headers(&headers);
    init.set_signal(Some(&controller.signal()));
    init.set_cache(web_sys::RequestCache::NoStore);
    let request = Request::new_with_str_and_init(url, &init).map_err(browser)?;
    let scope = Scope::current()?;

    let resp = match JsFuture::from(scope.fetch(&request)).await {
        Ok(r) => r,
        Err(e) if controller.signal().aborted() => {
            let _ = e;
            return Err(timed_out());
        }
        Err(e) => {
            return Err(FetchError::Network {
                url: url.to_string(),
                detail: js_msg(&e),
            })
        }
    };
    let resp: Response = resp.dyn_into().map_err(browser)?;
    let status = resp.status();
    let content_type = resp
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .unwrap_or_default();
    let proxy_mark = resp.headers().get(PROXY_HEADER).ok().flatten();
    let from_signalboard_proxy = proxy_mark.is_some();
    let proxy_error = proxy_mark.as_deref() == Some("error");

    if body_limit > 0 {
        let declared = resp
            .headers()
            .get("content-length")
            .ok()
            .flatten()
            .and_then(|v| v.trim().parse::<usize>().ok());
        if declared.is_some_and(|n| n > body_limit) {
            controller.abort();
            return Err(FetchError::BodyTooLarge {
                url: url.to_string(),
                limit: body_limit,
            });
        }
    }
    let body = match read_body(&resp, body_limit, check).await {
        Ok(b) => b,
        Err(BodyError::TooLarge) => {
            controller.abort();
            return Err(FetchError::BodyTooLarge {
                url: url.to_string(),
                limit: body_limit,
            });
        }
        Err(BodyError::Rejected(reason)) => {
            controller.abort();
            return Err(FetchError::Rejected {
                url: url.to_string(),
                reason,
            });
        }
        Err(BodyError::Js(_)) if controller.signal().aborted() => return Err(timed_out()),
        Err(BodyError::Js(e)) => {
            return Err(FetchError::Network {
                url: url.to_string(),
                detail: js_msg(&e),
            })
        }
    };
    drop(timer);
    // Aborting a finished request is a no-op, so the guard may simply go out of scope.
    drop(guard);
    Ok(Fetched {
        status,
        content_type,
        body,
        from_signalboard_proxy,
        proxy_error,
    })
}

enum BodyError {
    TooLarge,
    Rejected(String),
    Js(JsValue),
}

/// Reads the body chunk by chunk so an oversized or rejected answer is cut off early.
async fn read_body(
    resp: &Response,
    limit: usize,
    check: ChunkCheck<'_>,
) -> Result<Vec<u8>, BodyError> {
    let Some(stream) = resp.body() else {
        return Ok(Vec::new());
    };
    let reader: ReadableStreamDefaultReader = stream
        .get_reader()
        .dyn_into()
        .map_err(|o: js_sys::Object| BodyError::Js(o.into()))?;
    let mut out = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(BodyError::Js)?;
        let done = Reflect::get(&chunk, &JsValue::from_str("done"))
            .map_err(BodyError::Js)?
            .as_bool()
            .unwrap_or(true);
        if done {
            break;
        }
        let value = Reflect::get(&chunk, &JsValue::from_str("value")).map_err(BodyError::Js)?;
        let bytes: Uint8Array = value.dyn_into().map_err(BodyError::Js)?;
        let len = bytes.length() as usize;
        if limit > 0 && out.len() + len > limit {
            let _ = reader.cancel();
            return Err(BodyError::TooLarge);
        }
        let start = out.len();
        out.resize(start + len, 0);
        if let Some(dst) = out.get_mut(start..) {
            bytes.copy_to(dst);
            if let Err(reason) = check(dst) {
                let _ = reader.cancel();
                return Err(BodyError::Rejected(reason));
            }
        }
    }
    Ok(out)
}
