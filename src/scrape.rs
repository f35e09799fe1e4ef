//! The scrape loops: one async loop per target (and per health probe), staggered over the
//! interval, never overlapping itself, stopped when the config generation changes.
//!
//! Like Prometheus: the sample time is the scrape start; `up`, `scrape_duration_seconds`,
//! `scrape_samples_scraped`, `scrape_series_added` are appended per scrape; a failed scrape
//! marks the target's series stale. Every failure ends up as the target's `error` string.
//! The UI hears about new data at most every 500 ms (`announce_new_data`), not once per scrape.

use leptos::prelude::*;
use signalboard_core::exposition::{self, Format, Limits, SampleLineCounter};
use signalboard_core::store::{ScrapedSample, TargetLabels};
use wasm_bindgen_futures::JsFuture;

use crate::engine::{now_ms, with_engine, Health, TargetKind, TargetStatus};
use crate::fetch;
use signalboard_core::config::Target;

/// Starts the loops for every target of the current generation.
pub fn start_all(data_version: RwSignal<u64>) {
    let Some((generation, targets)) = with_engine(|e| (e.generation, e.targets.clone())) else {
        return;
    };
    for status in targets {
        leptos::task::spawn_local(run_loop(generation, status, data_version));
    }
}

async fn run_loop(generation: u64, status: TargetStatus, data_version: RwSignal<u64>) {
    let interval = status.target.interval_ms.max(1_000);
    let mut via_proxy = false;
    // Stagger by a stable hash of the URL, like Prometheus spreads targets over the interval;
    // the first scrape comes almost at once so a freshly opened page fills quickly.
    let offset = (stable_hash(&status.target.url) % (interval as u64)) as i64;
    sleep_ms(offset % 500).await;
    loop {
        if with_engine(|e| e.generation) != Some(generation) {
            return;
        }
        match status.kind {
            TargetKind::Scrape => scrape_once(&status, &mut via_proxy).await,
            TargetKind::Probe => probe_once(&status).await,
        }
        announce_new_data(data_version);
        // Next slot on this target's phase; a slow scrape skips slots instead of overlapping.
        let now = now_ms() as i64;
        let next = now - (now - offset).rem_euclid(interval) + interval;
        sleep_ms((next - now).max(50)).await;
    }
}

/// Coalescing window of [`announce_new_data`].
const ANNOUNCE_MS: i64 = 500;

thread_local! {
    static ANNOUNCE_PENDING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Tells the UI that scrapes stored new data, at most once per [`ANNOUNCE_MS`] however many
/// targets finished: every announcement re-evaluates all the dashboard's panels in one task, so
/// one per scrape made the page sluggish with many targets at a short interval.
fn announce_new_data(data_version: RwSignal<u64>) {
    if ANNOUNCE_PENDING.with(|p| p.replace(true)) {
        return;
    }
    leptos::task::spawn_local(async move {
        sleep_ms(ANNOUNCE_MS).await;
        ANNOUNCE_PENDING.with(|p| p.set(false));
        // try_update: the signal may be gone if the app was unmounted.
        let _ = data_version.try_update(|v| *v += 1);
    });
}

fn stable_hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

/// Sleeps without blocking the page (a JS timer).
pub async fn sleep_ms(ms: i64) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                ms.clamp(0, i32::MAX as i64) as i32,
            );
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Outcome of one scrape, before it is written to the engine.
struct Scraped {
    samples: usize,
    series_added: usize,
}

async fn scrape_once(status: &TargetStatus, via_proxy: &mut bool) {
    let t = &status.target;
    let started = now_ms();
    let result = fetch_and_ingest(status, started as i64, via_proxy).await;
    let duration = (now_ms() - started) / 1000.0;
    let labels = status.labels();
    with_engine(|e| {
        let (up, samples, added, error) = match &result {
            Ok(s) => (1.0, s.samples, s.series_added, String::new()),
            Err(msg) => {
                e.store.mark_target_down(&labels, started as i64);
                (0.0, 0, 0, msg.clone())
            }
        };
        let base = labels.labels();
        let ts = started as i64;
        for (name, v) in [
            ("up", up),
            ("scrape_duration_seconds", duration),
            ("scrape_samples_scraped", samples as f64),
            ("scrape_series_added", added as f64),
        ] {
            let _ = e.store.append(&base.with("__name__", name), ts, v);
        }
        e.store.enforce_limits(ts);
        if let Some(s) = e.status_mut(&t.url, TargetKind::Scrape) {
            s.health = if result.is_ok() {
                Health::Up
            } else {
                Health::Down
            };
            s.error = error;
            s.last_scrape_ms = Some(started);
            s.duration_seconds = duration;
            s.samples = samples;
        }
    });
}

/// Fetches a target directly; when that fails at the network level (most often: no CORS
/// headers) and `signalboard-cli serve` hosts the page, through its proxy — and from then on
/// always through it (`via_proxy` is sticky), so the browser does not log a refusal per scrape.
/// One fetch of a target's exposition text (for the lint view), through the proxy when the
/// page is served by `signalboard-cli serve` and the direct request fails.
pub async fn fetch_exposition_text(t: &Target) -> Result<(String, String), String> {
    let mut via_proxy = false;
    let f = fetch_target(t, &mut via_proxy).await?;
    if !(200..300).contains(&f.status) {
        return Err(format!("{}: HTTP {}", t.url, f.status));
    }
    let text = String::from_utf8(f.body).map_err(|_| format!("{}: body is not UTF-8", t.url))?;
    Ok((text, f.content_type))
}

async fn fetch_target(t: &Target, via_proxy: &mut bool) -> Result<fetch::Fetched, String> {
    if t.url == crate::demo_target::URL {
        return Ok(fetch::Fetched {
            status: 200,
            content_type: "text/plain; version=0.0.4".into(),
            body: crate::demo_target::scrape().into_bytes(),
            from_signalboard_proxy: false,
        });
    }
    // Prometheus's preferences in a header short enough to be CORS-safelisted: no preflight,
    // so endpoints that only answer GET with CORS headers work.
    let get = |url: String| async move {
        let mut samples = SampleLineCounter::new();
        let mut check = |chunk: &[u8]| match samples.feed(chunk) {
            n if t.sample_limit > 0 && n > t.sample_limit => Err(format!(
                "sample_limit exceeded: more than {} samples (stopped reading)",
                t.sample_limit
            )),
            _ => Ok(()),
        };
        fetch::get_checked(
            &url,
            &[("Accept", exposition::BROWSER_ACCEPT_HEADER)],
            t.timeout_ms,
            t.body_size_limit,
            &mut check,
        )
        .await
    };
    if !*via_proxy {
        match get(t.url.clone()).await {
            Err(fetch::FetchError::Network { .. })
                if with_engine(|e| e.proxy_available) == Some(true) =>
            {
                *via_proxy = true;
            }
            other => return other.map_err(|e| e.to_string()),
        }
    }
    get(fetch::proxied(&t.url))
        .await
        .map_err(|e| format!("{e} (via signalboard-cli serve)"))
}

async fn fetch_and_ingest(
    status: &TargetStatus,
    scrape_ms: i64,
    via_proxy: &mut bool,
) -> Result<Scraped, String> {
    let t = &status.target;
    let fetched = fetch_target(t, via_proxy).await?;
    if fetched.from_signalboard_proxy && fetched.status == 502 {
        // The proxy could not reach the target: its answer says why (refused, timed out, …).
        let why = String::from_utf8_lossy(&fetched.body);
        let why: String = why.trim().chars().take(300).collect();
        return Err(format!("{why} (network error, via signalboard-cli serve)"));
    }
    if !(200..300).contains(&fetched.status) {
        return Err(format!("{}: HTTP {}", t.url, fetched.status));
    }
    if is_html(&fetched.content_type) {
        return Err(format!(
            "{}: answered an HTML page (content-type {}), not metrics: check the URL and metrics_path",
            t.url, fetched.content_type
        ));
    }
    let text = String::from_utf8(fetched.body).map_err(|e| {
        format!(
            "{}: body is not UTF-8 (invalid byte at offset {})",
            t.url,
            e.utf8_error().valid_up_to()
        )
    })?;
    let format = Format::from_content_type(&fetched.content_type);
    let mut limits = Limits::default();
    if t.sample_limit > 0 {
        // One more than allowed so "exceeded" is detected rather than truncated.
        limits.max_samples = t.sample_limit.saturating_add(1);
    }
    let parsed = exposition::parse_with(&text, format, &limits)
        .map_err(|e| format!("{}: parse error at {e}", t.url))?;
    let count = parsed.sample_count();
    if t.sample_limit > 0 && count > t.sample_limit {
        return Err(format!(
            "{}: sample_limit exceeded: {count} samples > limit {}",
            t.url, t.sample_limit
        ));
    }
    let label_sets: Vec<Vec<(&str, &str)>> = parsed
        .families
        .iter()
        .flat_map(|f| f.samples.iter())
        .map(|s| {
            s.labels
                .iter()
                .map(|(k, v)| (k.as_ref(), v.as_ref()))
                .collect()
        })
        .collect();
    let samples = parsed
        .families
        .iter()
        .flat_map(|f| f.samples.iter())
        .zip(label_sets.iter())
        .map(|(s, labels)| ScrapedSample {
            name: s.name.as_ref(),
            labels: labels.as_slice(),
            value: s.value,
            timestamp_ms: s.timestamp_ms,
        });
    let labels = status.labels();
    let report = with_engine(|e| {
        e.history_start_ms.get_or_insert(scrape_ms);
        e.alerting.catalog.add_exposition(&t.job, &parsed);
        e.store.ingest_samples(&labels, scrape_ms, samples)
    })
    .ok_or_else(|| "engine busy".to_string())?;
    Ok(Scraped {
        samples: report.samples,
        series_added: report.series_added,
    })
}

/// A login page, proxy error page or web UI: no exposition format is HTML.
fn is_html(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("text/html")
        || essence.eq_ignore_ascii_case("application/xhtml+xml")
}

/// A health probe, recorded like the blackbox exporter would.
async fn probe_once(status: &TargetStatus) {
    let t = &status.target;
    let started = now_ms();
    let result = fetch::get(
        &t.url,
        "application/json, */*;q=0.5",
        t.timeout_ms,
        t.body_size_limit,
    )
    .await;
    let duration = (now_ms() - started) / 1000.0;
    let ts = started as i64;
    let target = TargetLabels {
        job: t.job.clone(),
        instance: t.url.clone(),
        extra: Vec::new(),
        honor_labels: false,
    };
    let base = target.labels();
    let (success, code, checks, error) = match &result {
        Ok(f) => {
            let ok = (200..300).contains(&f.status);
            let checks = health_checks(&f.body);
            let failing: Vec<String> = checks
                .iter()
                .filter(|(_, ok)| !ok)
                .map(|(c, _)| c.clone())
                .collect();
            let error = if ok {
                String::new()
            } else if failing.is_empty() {
                format!("{}: HTTP {}", t.url, f.status)
            } else {
                format!(
                    "{}: HTTP {}; failing checks: {}",
                    t.url,
                    f.status,
                    failing.join(", ")
                )
            };
            (ok, f.status as f64, checks, error)
        }
        Err(e) => (false, 0.0, Vec::new(), e.to_string()),
    };
    with_engine(|e| {
        for (name, v) in [
            ("probe_success", if success { 1.0 } else { 0.0 }),
            ("probe_duration_seconds", duration),
            ("probe_http_status_code", code),
        ] {
            let _ = e.store.append(&base.with("__name__", name), ts, v);
        }
        for (check, ok) in &checks {
            let l = base.with("__name__", "probe_check_ok").with("check", check);
            let _ = e.store.append(&l, ts, if *ok { 1.0 } else { 0.0 });
        }
        if let Some(s) = e.status_mut(&t.url, TargetKind::Probe) {
            s.health = if success { Health::Up } else { Health::Down };
            s.error = error;
            s.warning = if success && checks.is_empty() {
                THEATER.to_string()
            } else {
                String::new()
            };
            s.last_scrape_ms = Some(started);
            s.duration_seconds = duration;
            s.samples = 3 + checks.len();
        }
    });
}

/// What a health endpoint that answers 200 without reporting any dependency gets flagged with.
pub const THEATER: &str = "health check that checks nothing: it answers 2xx without any \
    dependency checks, so it stays green while the database or a downstream service is down; \
    report each dependency in the body, e.g. {\"status\": \"ok\", \"checks\": {\"database\": \"ok\"}}";

/// `{"status": ..., "checks": {"database": "ok", ...}}` → per-check pass/fail.
fn health_checks(body: &[u8]) -> Vec<(String, bool)> {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Vec::new();
    };
    let Some(checks) = v.get("checks").and_then(|c| c.as_object()) else {
        return Vec::new();
    };
    checks
        .iter()
        .map(|(name, val)| {
            let ok = match val {
                serde_json::Value::Bool(b) => *b,
                serde_json::Value::String(s) => {
                    matches!(
                        s.to_ascii_lowercase().as_str(),
                        "ok" | "healthy" | "up" | "pass"
                    )
                }
                serde_json::Value::Object(o) => {
                    o.get("status").and_then(|s| s.as_str()).is_some_and(|s| {
                        matches!(
                            s.to_ascii_lowercase().as_str(),
                            "ok" | "healthy" | "up" | "pass"
                        )
                    })
                }
                _ => false,
            };
            (name.clone(), ok)
        })
        .collect()
}
