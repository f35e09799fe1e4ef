//! The scrape loops: one async loop per target (and per health probe), staggered over the
//! interval, never overlapping itself, stopped when the config generation changes.
//!
//! Like Prometheus: the sample time is the scrape start; `up`, `scrape_duration_seconds`,
//! `scrape_samples_scraped`, `scrape_series_added` are appended per scrape; a failed scrape
//! marks the target's series stale. Every failure ends up as the target's `error` string.
//! The UI hears about new data at most every 500 ms (`announce_new_data`), not once per scrape.
//! Retention and the memory bound are applied every 2 s in slices (`start_limits`), not per
//! scrape: measuring a 100,000-series store takes tens of milliseconds.

use leptos::prelude::*;
use signalboard_core::store::{BatchReader, LimitsPart, TargetLabels};
use wasm_bindgen_futures::JsFuture;

use crate::collect::ScrapeRequest;
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
    // Stagger by a stable hash of the URL, like Prometheus spreads targets over the interval;
    // the first scrape comes almost at once so a freshly opened page fills quickly.
    let offset = (stable_hash(&status.target.url) % (interval as u64)) as i64;
    sleep_ms(offset % 500).await;
    loop {
        if with_engine(|e| e.generation) != Some(generation) {
            return;
        }
        match status.kind {
            TargetKind::Scrape => scrape_once(&status, scheduled_time(&status, offset)).await,
            TargetKind::Probe => probe_once(&status).await,
        }
        announce_new_data(data_version);
        // Next slot on this target's phase; a slow scrape skips slots instead of overlapping.
        let now = now_ms() as i64;
        let next = now - (now - offset).rem_euclid(interval) + interval;
        sleep_ms((next - now).max(50)).await;
    }
}

/// The sample time of a scrape starting now: its slot on the target's schedule
/// (`offset + k * interval`, like Prometheus's scrape loop), so timestamps are evenly spaced
/// and compress to almost nothing; the actual time if that slot is not after the target's
/// last `up` sample (the first scrape after a reload within the same interval).
fn scheduled_time(status: &TargetStatus, offset: i64) -> i64 {
    let interval = status.target.interval_ms.max(1_000);
    let now = now_ms() as i64;
    let slot = now - (now - offset).rem_euclid(interval);
    let up = status.labels().labels().with("__name__", "up");
    let last =
        with_engine(|e| e.store.lookup(&up).and_then(|r| e.store.last_timestamp(r))).flatten();
    match last {
        Some(last) if slot <= last => now.max(last + 1),
        _ => slot,
    }
}

/// How often retention and the memory bound are applied.
const LIMITS_EVERY_MS: i64 = 2_000;
/// Series visited per task of a limits pass.
const SERIES_PER_LIMITS_SLICE: usize = 10_000;

/// Applies retention and the memory bound every [`LIMITS_EVERY_MS`], for as long as the page
/// lives (call once).
pub fn start_limits() {
    leptos::task::spawn_local(async {
        loop {
            sleep_ms(LIMITS_EVERY_MS).await;
            limits_pass().await;
        }
    });
}

/// One pass over the store, [`SERIES_PER_LIMITS_SLICE`] series per task (`Store::limits_part`);
/// only evicting for the memory bound is done in one go.
async fn limits_pass() {
    let now = now_ms() as i64;
    let mut parts = LimitsPart::default();
    let mut start = 0;
    loop {
        let Some(n) = with_engine(|e| {
            parts += e
                .store
                .limits_part(start..start + SERIES_PER_LIMITS_SLICE, now);
            e.store.series_count()
        }) else {
            return;
        };
        start += SERIES_PER_LIMITS_SLICE;
        if start >= n {
            break;
        }
        sleep_ms(0).await;
    }
    with_engine(|e| e.finish_limits(parts, now));
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

async fn scrape_once(status: &TargetStatus, scrape_ms: i64) {
    let t = &status.target;
    let started = now_ms();
    let labels = status.labels();
    let request = scrape_request(status, &labels);
    let collected = crate::ingest_client::collect(&request).await;
    let applied = apply_batch(&request.key, &labels, &t.job, scrape_ms, &collected.batch).await;
    let result = match (collected.error, applied) {
        (Some(e), _) | (None, Err(e)) => Err(e),
        (None, Ok(s)) => Ok(s),
    };
    let duration = (now_ms() - started) / 1000.0;
    with_engine(|e| {
        let (up, samples, added, error) = match &result {
            Ok(s) => (1.0, s.samples, s.series_added, String::new()),
            Err(msg) => (0.0, 0, 0, msg.clone()),
        };
        let base = labels.labels();
        for (name, v) in [
            ("up", up),
            ("scrape_duration_seconds", duration),
            ("scrape_samples_scraped", samples as f64),
            ("scrape_series_added", added as f64),
        ] {
            let _ = e.store.append(&base.with("__name__", name), scrape_ms, v);
        }
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

thread_local! {
    /// Per target key: batch ids whose series the store dropped (sent with the next request).
    static FORGET: std::cell::RefCell<std::collections::HashMap<String, Vec<u32>>> =
        Default::default();
}

/// The worker's view of one scrape of `status`'s target.
fn scrape_request(status: &TargetStatus, labels: &TargetLabels) -> ScrapeRequest {
    let t = &status.target;
    let key = format!("{labels:?}\u{0}{}", t.url);
    let forget = FORGET.with(|f| f.borrow_mut().remove(&key).unwrap_or_default());
    ScrapeRequest {
        key,
        url: t.url.clone(),
        timeout_ms: t.timeout_ms,
        body_size_limit: t.body_size_limit,
        sample_limit: t.sample_limit,
        proxy_available: with_engine(|e| e.proxy_available).unwrap_or(false),
        demo_body: (t.url == crate::demo_target::URL).then(crate::demo_target::scrape),
        forget,
    }
}

/// Main-thread time one piece of a batch may take before the page gets a turn.
const SLICE_MS: f64 = 8.0;
/// Samples appended between two clock checks.
const SAMPLES_PER_CHECK: usize = 2048;
/// New series defined between two clock checks.
const SERIES_PER_CHECK: usize = 128;

/// Writes a batch to the store and the golden catalog in pieces of at most about
/// [`SLICE_MS`], yielding to the page in between; staleness markers last.
async fn apply_batch(
    key: &str,
    labels: &TargetLabels,
    job: &str,
    scrape_ms: i64,
    bytes: &[u8],
) -> Result<Scraped, String> {
    let (head, mut pos) = BatchReader::open(bytes).map_err(|e| e.to_string())?;
    with_engine(|e| {
        if !head.ids.is_empty() {
            e.history_start_ms.get_or_insert(scrape_ms);
        }
        for f in &head.families {
            e.alerting
                .catalog
                .add_family(job, &f.name, f.kind, &f.help, f.max_value);
        }
    });
    let mut defined = 0;
    while defined < head.new_series {
        let slice_end = now_ms() + SLICE_MS;
        let step = with_engine(|e| -> Result<(), String> {
            let mut reader = BatchReader::at(bytes, pos);
            while defined < head.new_series {
                let s = reader.next_series().map_err(|e| e.to_string())?;
                e.store.define_batch_series(labels, &s);
                if let Some(f) = head.families.get(s.family as usize) {
                    let series_labels = s.labels.iter().copied();
                    e.alerting
                        .catalog
                        .add_series(job, &f.name, s.name, series_labels);
                }
                defined += 1;
                if defined % SERIES_PER_CHECK == 0 && now_ms() > slice_end {
                    break;
                }
            }
            pos = reader.position();
            Ok(())
        });
        step.ok_or_else(|| "engine busy".to_string())??;
        sleep_ms(0).await;
    }
    let n = head.ids.len();
    let mut done = 0;
    let mut unknown = Vec::new();
    while done < n {
        let slice_end = now_ms() + SLICE_MS;
        with_engine(|e| {
            while done < n {
                let end = (done + SAMPLES_PER_CHECK).min(n);
                let (ids, values, ts) = (
                    head.ids.get(done..end).unwrap_or_default(),
                    head.values.get(done..end).unwrap_or_default(),
                    head.timestamps.get(done..end).unwrap_or_default(),
                );
                let a = e.store.append_batch(labels, scrape_ms, ids, values, ts);
                unknown.extend(a.unknown);
                done = end;
                if now_ms() > slice_end {
                    break;
                }
            }
        })
        .ok_or_else(|| "engine busy".to_string())?;
        if done < n {
            sleep_ms(0).await;
        }
    }
    with_engine(|e| e.store.mark_batch_gone(labels, &head.gone, scrape_ms));
    if !unknown.is_empty() {
        FORGET.with(|f| {
            f.borrow_mut()
                .entry(key.to_string())
                .or_default()
                .extend(unknown)
        });
    }
    Ok(Scraped {
        samples: head.samples,
        series_added: head.series_added,
    })
}

/// One fetch of a target's exposition text (for the lint view), through the proxy when the
/// page is served by `signalboard-cli serve` and the direct request fails.
pub async fn fetch_exposition_text(t: &Target) -> Result<(String, String), String> {
    let f = if t.url == crate::demo_target::URL {
        crate::fetch::Fetched {
            status: 200,
            content_type: "text/plain; version=0.0.4".into(),
            body: crate::demo_target::scrape().into_bytes(),
            from_signalboard_proxy: false,
            proxy_error: false,
        }
    } else {
        let request = ScrapeRequest {
            key: String::new(),
            url: t.url.clone(),
            timeout_ms: t.timeout_ms,
            body_size_limit: t.body_size_limit,
            sample_limit: t.sample_limit,
            proxy_available: with_engine(|e| e.proxy_available).unwrap_or(false),
            demo_body: None,
            forget: Vec::new(),
        };
        crate::collect::fetch_target(&request, &mut false).await?
    };
    if !(200..300).contains(&f.status) {
        return Err(format!("{}: HTTP {}", t.url, f.status));
    }
    let text = String::from_utf8(f.body).map_err(|_| format!("{}: body is not UTF-8", t.url))?;
    Ok((text, f.content_type))
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
