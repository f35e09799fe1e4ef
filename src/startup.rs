//! Boot sequence: layer the config sources (later wins: `config.json`, the copy saved in
//! localStorage, `?config=URL`, `?target=URL`...), start scraping, load the dashboard
//! (`?dashboard=URL`, the saved one, or the config's first), install `window.signalboard`.
//!
//! Every failure becomes a banner notice; a bad source is skipped and the previous
//! layers stay in use.

use std::sync::Arc;

use leptos::prelude::*;
use signalboard_core::config::Config;
use signalboard_core::dashboard;

use crate::app::{AppSignals, NoticeLevel};
use crate::engine::with_engine;
use crate::{
    automation, datasource_picker, fetch, generated_dashboard, library, refresh, scrape, storage,
    url_state,
};

pub fn boot(signals: AppSignals) {
    automation::install(signals);
    refresh::install(signals);
    crate::alerting::install(signals);
    leptos::task::spawn_local(async move {
        let (config, proxy) = load_config(signals).await;
        let dashboards = config.dashboards.clone();
        let choice = datasource_picker::initial_choice(signals, &config);
        with_engine(|e| {
            e.proxy_available = proxy;
            e.apply_config(config);
        });
        signals.datasource.set(choice);
        // History first, so the first scrapes append after it.
        if let Some(db) = crate::persistence::restore(signals).await {
            crate::persistence::start_saving(signals, db);
        }
        crate::ingest_client::start();
        scrape::start_limits();
        scrape::start_all(signals.data_version);
        load_dashboard(signals, &dashboards).await;
    });
}

async fn fetch_doc(url: &str) -> Result<fetch::Fetched, String> {
    let f = fetch::get(url, "application/json, */*;q=0.5", 15_000, 50 << 20)
        .await
        .map_err(|e| e.to_string())?;
    if !(200..300).contains(&f.status) {
        return Err(format!("{url}: HTTP {}", f.status));
    }
    Ok(f)
}

async fn fetch_text(url: &str) -> Result<String, String> {
    let f = fetch_doc(url).await?;
    String::from_utf8(f.body).map_err(|_| format!("{url}: not UTF-8 text"))
}

/// The layered config, and whether `signalboard-cli serve` hosts the page (it marks its
/// answers with a header, so no extra request is needed to find out).
async fn load_config(signals: AppSignals) -> (Config, bool) {
    let mut config = Config::default();
    let mut layer = |cfg: Result<Config, String>, source: &str| match cfg {
        Ok(c) => config.merge(c),
        Err(e) => signals.notify(
            NoticeLevel::Error,
            format!("config from {source} ignored: {e}"),
        ),
    };
    let mut proxy = false;
    match fetch_doc("config.json").await {
        Ok(f) => {
            proxy = f.from_signalboard_proxy;
            let text = String::from_utf8(f.body).map_err(|_| "not UTF-8 text".to_string());
            layer(
                text.and_then(|t| Config::from_json(&t).map_err(|e| e.to_string())),
                "config.json",
            )
        }
        Err(e) => signals.notify(NoticeLevel::Warn, format!("no config.json: {e}")),
    }
    if let Some(saved) = storage::load(storage::CONFIG_KEY) {
        layer(
            Config::from_json(&saved).map_err(|e| e.to_string()),
            "saved settings",
        );
    }
    for url in url_state::query_values("config") {
        let text = fetch_text(&url).await;
        layer(
            text.and_then(|t| Config::from_json(&t).map_err(|e| e.to_string())),
            &url,
        );
    }
    let targets = url_state::query_values("target");
    if !targets.is_empty() {
        // ?target= replaces configured scrape targets: the user asked for exactly these.
        config.scrape_configs.clear();
        config.probes.clear();
        for t in targets {
            if let Err(e) = config.add_target_url(&t) {
                signals.notify(NoticeLevel::Error, format!("?target={t} ignored: {e}"));
                config.scrape_configs.pop();
            }
        }
    }
    if config.scrape_configs.is_empty() && config.datasources.is_empty() {
        // Nothing to scrape or query (e.g. opened from a CDN): the in-page demo service.
        let _ = config.add_target_url(crate::demo_target::URL);
        if let Some(sc) = config.scrape_configs.last_mut() {
            sc.job_name = "in-page-demo".into();
            // It costs nothing to scrape: a short interval fills the panels quickly.
            sc.scrape_interval = Some("5s".into());
        }
        signals.notify(
            NoticeLevel::Info,
            "no targets configured: showing a simulated service running inside this page. \
             Add yours with ?target=URL or on the Targets page.",
        );
    }
    (config, proxy)
}

/// Loads the dashboard to show first.
async fn load_dashboard(signals: AppSignals, configured: &[String]) {
    let from_url = url_state::query_values("dashboard").into_iter().next();
    let text = if let Some(url) = from_url {
        if let Err(e) = signalboard_core::config::check_http_url(&absolute(&url)) {
            signals.notify(NoticeLevel::Error, format!("?dashboard ignored: {e}"));
            None
        } else {
            report(signals, fetch_text(&url).await, &url)
        }
    } else if let Some(entry) = library_entry_from_url(signals) {
        Some(entry.json)
    } else if !url_state::query_values("target").is_empty() {
        // The user named targets and no dashboard: the golden signals of those targets.
        None
    } else if let Some(saved) = storage::load(storage::DASHBOARD_KEY) {
        Some(saved)
    } else if let Some(first) = configured.first() {
        report(signals, fetch_text(first).await, first)
    } else {
        None
    };
    match text {
        Some(text) => {
            show_dashboard(signals, &text, false);
        }
        None if signals.dashboard.get_untracked().is_none() => {
            generated_dashboard::show_when_scraped(signals).await;
        }
        None => {}
    }
}

/// `?d=UID`: a dashboard of the library.
fn library_entry_from_url(signals: AppSignals) -> Option<library::Entry> {
    let uid = url_state::query_values("d").into_iter().next()?;
    let entry = library::get(&uid);
    if entry.is_none() {
        signals.notify(
            NoticeLevel::Error,
            format!("?d={uid}: no such dashboard in this browser's library"),
        );
    }
    entry
}

/// Opens a library dashboard (from the Dashboards page) and goes to it.
pub fn open_from_library(signals: AppSignals, uid: &str) {
    let Some(entry) = library::get(uid) else {
        signals.notify(
            NoticeLevel::Error,
            format!("no dashboard {uid} in the library"),
        );
        return;
    };
    if show_dashboard(signals, &entry.json, false) {
        storage::save(storage::DASHBOARD_KEY, &entry.json);
        url_state::set_query_values("dashboard", &[]);
        url_state::set_query_values("d", &[entry.uid]);
        go_to_dashboard();
    }
}

/// Opens a dashboard by URL (a configured one) and goes to it.
pub fn open_url(signals: AppSignals, url: String) {
    leptos::task::spawn_local(async move {
        if let Some(text) = report(signals, fetch_text(&url).await, &url) {
            if show_dashboard(signals, &text, false) {
                url_state::set_query_values("d", &[]);
                url_state::set_query_values("dashboard", &[url]);
                go_to_dashboard();
            }
        }
    });
}

fn go_to_dashboard() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash("#/");
    }
}

fn report(signals: AppSignals, r: Result<String, String>, what: &str) -> Option<String> {
    r.map_err(|e| {
        signals.notify(
            NoticeLevel::Error,
            format!("dashboard {what} not loaded: {e}"),
        )
    })
    .ok()
}

/// Relative URLs resolve against the page, so they are checked as the absolute URL they become.
fn absolute(url: &str) -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .and_then(|base| web_sys::Url::new_with_base(url, &base).ok())
        .map(|u| u.href())
        .unwrap_or_else(|| url.to_string())
}

/// Imports Grafana JSON and shows it; on error the current dashboard stays and the user sees
/// why. Returns whether it was shown. `save` keeps it in the library (and `?d=` names it).
pub fn show_dashboard(signals: AppSignals, text: &str, save: bool) -> bool {
    match dashboard::import_grafana(text) {
        Ok(imported) => {
            for w in &imported.report.warnings {
                signals.notify(NoticeLevel::Warn, w.clone());
            }
            signals
                .time_range
                .set(crate::time_range::TimeRange::from_dashboard(
                    &imported.dashboard,
                ));
            crate::remote_variable_options::clear();
            signals
                .variables
                .set(crate::variables::initial_values(&imported.dashboard));
            if save {
                storage::save(storage::DASHBOARD_KEY, text);
                let d = &imported.dashboard;
                match library::save(&d.uid, &d.title, text, crate::engine::now_ms()) {
                    Ok(uid) => {
                        url_state::set_query_values("dashboard", &[]);
                        url_state::set_query_values("d", &[uid]);
                    }
                    Err(e) => signals.notify(NoticeLevel::Warn, e),
                }
            }
            signals.view_panel.set(None);
            signals.dashboard.set(Some(Arc::new(imported.dashboard)));
            true
        }
        Err(e) => {
            signals.notify(NoticeLevel::Error, format!("dashboard not imported: {e}"));
            false
        }
    }
}
