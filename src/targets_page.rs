//! The targets page, like Prometheus's `/targets`: one row per scrape target and health
//! probe with health, last scrape, duration, samples and the classified error (or warning:
//! a health check that checks nothing), and a lint button per scrape target. Rows carry
//! `data-target`, `data-health`, `data-error` and `data-warning` for automation. Above the
//! table: where scrapes are parsed (`data-ingest-mode`: `worker`, `main-thread` with the
//! reason, `starting`) and, once the memory bound evicted data, a banner saying how much
//! (`data-memory-evicted`: samples evicted so far).

use leptos::prelude::*;

use crate::app::AppSignals;
use crate::engine::{now_ms, with_engine, TargetKind, TargetStatus};
use crate::ingest_client::Mode;
use crate::lint_view::{LintButton, LintResults};

#[component]
pub fn TargetsPage() -> impl IntoView {
    let signals = expect_context::<AppSignals>();
    let lint_results: LintResults = RwSignal::new(Vec::new());
    let rows = move || {
        signals.data_version.track();
        with_engine(|e| e.targets.clone()).unwrap_or_default()
    };
    let stats = move || {
        signals.data_version.track();
        with_engine(|e| e.store_stats)
            .flatten()
            .map(|s| {
                format!(
                    "{} series, {} samples, ~{} KiB in memory",
                    s.series,
                    s.samples,
                    s.bytes / 1024
                )
            })
            .unwrap_or_default()
    };
    let ingest = move || {
        signals.data_version.track();
        let (mode, text) = match crate::ingest_client::mode() {
            Mode::Worker => ("worker", "Scrapes are fetched and parsed in a Web Worker.".to_string()),
            Mode::Starting => ("starting", "Starting the scrape worker…".to_string()),
            Mode::MainThread(why) => (
                "main-thread",
                format!("Scrapes are parsed on the page's main thread (big targets may make it stutter): {why}."),
            ),
        };
        view! { <p class="hint" data-ingest-mode=mode>{text}</p> }
    };
    let eviction = move || {
        signals.data_version.track();
        let (evicted, at, limit) = with_engine(|e| {
            (
                e.evicted_by_memory,
                e.last_eviction_ms,
                e.config.storage.memory_limit.clone(),
            )
        })?;
        (evicted > 0).then(|| {
            let when = at
                .map(|ms| format!(" (last {:.0}s ago)", ((now_ms() - ms as f64) / 1000.0).max(0.0)))
                .unwrap_or_default();
            view! {
                <p class="warn-text" data-memory-evicted=evicted.to_string()>
                    {format!(
                        "⚠ Memory bound reached: the oldest {evicted} samples were evicted{when} to stay \
                         under storage.memory_limit = {limit}. Raise it in the config to keep more history."
                    )}
                </p>
            }
        })
    };
    view! {
        <div class="targets">
            <h2>"Targets"</h2>
            <p class="hint">{stats}</p>
            {ingest}
            {eviction}
            <crate::config_editor::ConfigEditor />
            <table>
                <thead><tr>
                    <th>"Endpoint"</th><th>"Kind"</th><th>"Job"</th><th>"State"</th>
                    <th>"Last scrape"</th><th>"Duration"</th><th>"Samples"</th><th>"Error"</th>
                </tr></thead>
                <tbody>{move || rows().into_iter().map(|t| target_row(t, lint_results)).collect_view()}</tbody>
            </table>
        </div>
    }
}

fn target_row(t: TargetStatus, lint_results: LintResults) -> impl IntoView {
    let health = t.health.as_str();
    let ago = t
        .last_scrape_ms
        .map(|ms| format!("{:.1}s ago", ((now_ms() - ms) / 1000.0).max(0.0)))
        .unwrap_or_else(|| "never".into());
    let kind = if t.kind == TargetKind::Probe {
        "probe"
    } else {
        "scrape"
    };
    let lint = (t.kind == TargetKind::Scrape)
        .then(|| view! { <LintButton target=t.target.clone() results=lint_results /> });
    let warning = (!t.warning.is_empty())
        .then(|| view! { <div class="warn-text">{format!("⚠ {}", t.warning)}</div> });
    view! {
        <tr data-target=t.target.url.clone() data-health=health data-error=t.error.clone() data-kind=kind
            data-warning=t.warning.clone()>
            <td>{t.target.url.clone()}</td>
            <td>{kind}</td>
            <td>{t.target.job.clone()}</td>
            <td class=format!("health-{health}")>{health.to_uppercase()}</td>
            <td>{ago}</td>
            <td>{format!("{:.3}s", t.duration_seconds)}</td>
            <td>{t.samples}</td>
            <td><span class="error-text">{t.error.clone()}</span>{warning}{lint}</td>
        </tr>
    }
}
