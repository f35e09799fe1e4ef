//! The zero-config dashboard: when the user names targets (`?target=`) or configures none
//! of the dashboards, Signalboard waits for the first scrapes, detects the golden-signal
//! sources of every job (`signalboard-golden`) and shows the generated Grafana dashboard —
//! an ordinary dashboard that can be exported, saved to the library and edited elsewhere.
//!
//! Contract: generation happens once the scrape targets have each been tried (or after
//! [`WAIT_MS`]); with nothing scraped the user sees why instead of an empty page.

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
    serde_json::to_string(&golden_dashboard(&sources, &options)).ok()
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
}
