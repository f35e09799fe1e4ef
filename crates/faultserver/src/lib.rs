//! The fault-injection test server: one process playing misbehaving scrape targets for the
//! hardening end-to-end test (`tests/e2e/faults.test.cjs`).
//!
//! Contract: [`Faults::bind`] opens one listener per [`FAULTS`] entry on 127.0.0.1 (separate
//! ports, like separate hosts, so the browser's per-host connection limit never couples the
//! targets) plus the control listener, and picks a closed port for "connection refused". Every
//! listener serves every path below; `GET /config.json?demo=HOST:PORT&interval=1s` returns a
//! Signalboard config scraping each fault target on its own port next to the healthy demo
//! service (`&jobs=a,b` keeps only those fault jobs). Every response carries `Access-Control-Allow-Origin: *` except `/nocors/metrics`.
//! Huge bodies are streamed, never held in memory.
//!
//! | path                  | behaviour                                                       |
//! |-----------------------|-----------------------------------------------------------------|
//! | `/good/metrics`       | a small valid exposition (scrape counter, gauges)               |
//! | `/slow/metrics`       | the good body after [`SLOW_MS`]                                 |
//! | `/hang/metrics`       | headers and the first lines, then nothing, forever              |
//! | `/status/{code}`      | that HTTP status with a short text body                         |
//! | `/html/metrics`       | an HTML page (`text/html`)                                      |
//! | `/garbage/metrics`    | binary garbage with invalid UTF-8                               |
//! | `/parse-error/metrics`| valid UTF-8, invalid exposition at line 3                       |
//! | `/big/metrics`        | [`BIG_BYTES`] of valid exposition (comment filler), chunked     |
//! | `/bomb/metrics`       | [`BOMB_SERIES`] distinct series (cardinality bomb), chunked     |
//! | `/nocors/metrics`     | the good body without CORS headers                              |
//! | `/flap/metrics`       | good for [`FLAP_EVERY`] scrapes, HTTP 503 for as many, repeat   |
//! | `/hostile/metrics`    | label values carrying script / HTML payloads                    |

use std::collections::HashMap;
use std::convert::Infallible;
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use bytes::Bytes;
use futures_util::stream::{self, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpListener;

/// Delay of `/slow/metrics`: longer than any scrape timeout the fault config sets.
pub const SLOW_MS: u64 = 3_000;
/// Size of `/big/metrics`.
pub const BIG_BYTES: usize = 200 << 20;
/// Series in `/bomb/metrics`.
pub const BOMB_SERIES: usize = 1_000_000;
/// `/flap/metrics` switches between good and HTTP 503 every this many scrapes.
pub const FLAP_EVERY: u64 = 3;
/// Payloads of `/hostile/metrics`: each would set `window.__pwned` if it ever ran.
pub const HOSTILE_VALUES: [&str; 6] = [
    "<script>window.__pwned='label-script'</script>",
    "<img src=x onerror=\"window.__pwned='label-img'\">",
    "javascript:window.__pwned='label-js'",
    "<svg onload=\"window.__pwned='label-svg'\"><script>window.__pwned='svg'</script></svg>",
    "\"><iframe srcdoc=\"<script>parent.__pwned='label-iframe'</script>\">",
    "{{constructor.constructor('window.__pwned=1')()}}",
];

const CHUNK: usize = 64 << 10;
const TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// One fault target: its job name, metrics path and extra scrape-config fields.
pub struct Fault {
    pub job: &'static str,
    pub path: &'static str,
    pub scrape: fn() -> Value,
}

/// The fault targets the config lists, each on its own port ("refused" on a closed one).
pub const FAULTS: [Fault; 14] = [
    fault("good", "/good/metrics", || json!({})),
    fault("refused", "/metrics", || json!({})),
    fault(
        "slow",
        "/slow/metrics",
        || json!({"scrape_timeout": "800ms"}),
    ),
    fault(
        "hang",
        "/hang/metrics",
        || json!({"scrape_timeout": "800ms"}),
    ),
    fault("http500", "/status/500", || json!({})),
    fault("http503", "/status/503", || json!({})),
    fault("html", "/html/metrics", || json!({})),
    fault("garbage", "/garbage/metrics", || json!({})),
    fault("parse_error", "/parse-error/metrics", || json!({})),
    fault("big", "/big/metrics", || json!({"body_size_limit": "8MB"})),
    fault("bomb", "/bomb/metrics", || json!({"sample_limit": 10_000})),
    fault("nocors", "/nocors/metrics", || json!({})),
    fault("flap", "/flap/metrics", || json!({})),
    fault("hostile", "/hostile/metrics", || json!({})),
];

const fn fault(job: &'static str, path: &'static str, scrape: fn() -> Value) -> Fault {
    Fault { job, path, scrape }
}

struct Shared {
    /// Port of each [`FAULTS`] entry, same order.
    ports: Vec<u16>,
    flap_scrapes: AtomicU64,
    good_scrapes: AtomicU64,
}

/// The bound listeners, ready to serve.
pub struct Faults {
    control: TcpListener,
    targets: Vec<TcpListener>,
    shared: Arc<Shared>,
}

impl Faults {
    /// Binds the control listener on `listen` and one listener per fault target.
    pub async fn bind(listen: &str) -> io::Result<Faults> {
        let control = TcpListener::bind(listen).await?;
        let mut targets = Vec::new();
        let mut ports = Vec::new();
        for f in &FAULTS {
            if f.job == "refused" {
                ports.push(closed_port().await?);
                continue;
            }
            let l = TcpListener::bind("127.0.0.1:0").await?;
            ports.push(l.local_addr()?.port());
            targets.push(l);
        }
        let shared = Arc::new(Shared {
            ports,
            flap_scrapes: AtomicU64::new(0),
            good_scrapes: AtomicU64::new(0),
        });
        Ok(Faults {
            control,
            targets,
            shared,
        })
    }

    /// The control address (`127.0.0.1:PORT`).
    pub fn control_addr(&self) -> io::Result<String> {
        Ok(self.control.local_addr()?.to_string())
    }

    /// Serves every listener until one fails.
    pub async fn serve(self) -> io::Result<()> {
        let app = router(self.shared);
        let mut tasks = Vec::new();
        for l in self.targets {
            let app = app.clone();
            tasks.push(tokio::spawn(async move { axum::serve(l, app).await }));
        }
        let control = async move { axum::serve(self.control, app).await };
        tokio::select! {
            r = control => r,
            r = async {
                for t in tasks {
                    t.await.map_err(io::Error::other)??;
                }
                Ok(())
            } => r,
        }
    }
}

/// A port nothing listens on (bound, then released).
async fn closed_port() -> io::Result<u16> {
    let l = TcpListener::bind("127.0.0.1:0").await?;
    l.local_addr().map(|a| a.port())
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/config.json", get(config))
        .route("/good/metrics", get(good))
        .route("/slow/metrics", get(slow))
        .route("/hang/metrics", get(hang))
        .route("/status/{code}", get(status))
        .route("/html/metrics", get(html))
        .route("/garbage/metrics", get(garbage))
        .route("/parse-error/metrics", get(parse_error))
        .route("/big/metrics", get(big))
        .route("/bomb/metrics", get(bomb))
        .route("/flap/metrics", get(flap))
        .route("/hostile/metrics", get(hostile))
        .layer(middleware::from_fn(cors))
        // Added after the layer: not decorated.
        .route("/nocors/metrics", get(nocors))
        .with_state(shared)
}

async fn cors(request: Request, next: Next) -> Response {
    if request.method() == Method::OPTIONS {
        let mut r = StatusCode::NO_CONTENT.into_response();
        r.headers_mut().insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        r.headers_mut().insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("*"),
        );
        return r;
    }
    let mut response = next.run(request).await;
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

/// The Signalboard config: the demo service (if given) and every fault target.
async fn config(
    State(shared): State<Arc<Shared>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let interval = q.get("interval").map_or("1s", String::as_str);
    let mut jobs: Vec<Value> = Vec::new();
    if let Some(demo) = q.get("demo") {
        jobs.push(json!({"job_name": "demo", "static_configs": [{"targets": [demo]}]}));
    }
    let wanted = |job: &str| {
        q.get("jobs")
            .is_none_or(|jobs| jobs.split(',').any(|j| j == job))
    };
    for (f, port) in FAULTS
        .iter()
        .zip(&shared.ports)
        .filter(|(f, _)| wanted(f.job))
    {
        let mut job = json!({
            "job_name": f.job,
            "metrics_path": f.path,
            "static_configs": [{"targets": [format!("127.0.0.1:{port}")]}],
        });
        if let (Value::Object(job), Value::Object(extra)) = (&mut job, (f.scrape)()) {
            job.extend(extra);
        }
        jobs.push(job);
    }
    let body = json!({
        "global": {"scrape_interval": interval, "scrape_timeout": interval},
        "scrape_configs": jobs,
    });
    (
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn text(body: impl Into<Body>) -> Response {
    ([(header::CONTENT_TYPE, TEXT)], body.into()).into_response()
}

fn good_body(scrapes: u64) -> String {
    format!(
        "# HELP faultserver_scrapes_total Scrapes of this good target.\n\
         # TYPE faultserver_scrapes_total counter\n\
         faultserver_scrapes_total {scrapes}\n\
         # TYPE faultserver_temperature gauge\n\
         faultserver_temperature{{room=\"lab\"}} 21.5\n"
    )
}

async fn good(State(shared): State<Arc<Shared>>) -> Response {
    text(good_body(
        shared.good_scrapes.fetch_add(1, Ordering::Relaxed) + 1,
    ))
}

/// The good body, without counting the scrape (the counter is `/good/metrics`'s own).
async fn nocors() -> Response {
    text(good_body(1))
}

async fn slow() -> Response {
    tokio::time::sleep(Duration::from_millis(SLOW_MS)).await;
    text(good_body(1))
}

async fn hang() -> Response {
    let first = stream::once(async { Ok::<_, Infallible>(Bytes::from(good_body(1))) });
    text(Body::from_stream(first.chain(stream::pending())))
}

async fn status(Path(code): Path<u16>) -> Response {
    let code = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        code,
        [(header::CONTENT_TYPE, TEXT)],
        format!("fault: {code}\n"),
    )
        .into_response()
}

async fn html() -> Response {
    let page = "<!doctype html>\n<html><head><title>Login</title></head>\
                <body><form action=/login><input name=user></form></body></html>\n";
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
}

async fn garbage() -> Response {
    // Deterministic bytes (xorshift) starting with an invalid UTF-8 sequence.
    let mut x: u32 = 0x9e37_79b9;
    let mut body = vec![0xff, 0xfe, 0x00, 0xc3, 0x28];
    body.extend((0..4096).map(|_| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        x.to_le_bytes()[0]
    }));
    text(body)
}

async fn parse_error() -> Response {
    text("# TYPE ok_metric gauge\nok_metric 1\nbroken_metric{le=\"1\" 2\n")
}

/// A chunked body of `count` chunks, chunk `i` made by `chunk(i)` when it is sent.
fn chunked(count: usize, chunk: impl Fn(usize) -> Bytes + Send + 'static) -> Response {
    let chunks = stream::iter(0..count).map(move |i| Ok::<_, Infallible>(chunk(i)));
    text(Body::from_stream(chunks))
}

async fn big() -> Response {
    let line = format!("# filler {}\n", "x".repeat(53));
    let block = Bytes::from(line.repeat(CHUNK / line.len()));
    let head = Bytes::from("# TYPE big_metric gauge\nbig_metric 1\n");
    chunked(1 + BIG_BYTES / block.len(), move |i| {
        if i == 0 {
            head.clone()
        } else {
            block.clone()
        }
    })
}

async fn bomb() -> Response {
    const PER_CHUNK: usize = 2_000;
    chunked(BOMB_SERIES.div_ceil(PER_CHUNK), move |i| {
        let first = i * PER_CHUNK;
        let lines = (first..(first + PER_CHUNK).min(BOMB_SERIES))
            .map(|n| format!("bomb_series{{series=\"{n:07}\"}} 1\n"));
        Bytes::from(lines.collect::<String>())
    })
}

async fn flap(State(shared): State<Arc<Shared>>) -> Response {
    let n = shared.flap_scrapes.fetch_add(1, Ordering::Relaxed);
    if (n / FLAP_EVERY).is_multiple_of(2) {
        text(good_body(n + 1))
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "flapping: down\n").into_response()
    }
}

/// Exposition label-value escaping (backslash, double quote, newline).
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

async fn hostile() -> Response {
    let mut body = String::from("# HELP hostile_metric <b>bold</b> <script>window.__pwned='help'</script>\n# TYPE hostile_metric gauge\n");
    for (i, v) in HOSTILE_VALUES.iter().enumerate() {
        body.push_str(&format!(
            "hostile_metric{{payload=\"{}\"}} {i}\n",
            escape(v)
        ));
    }
    text(body)
}
