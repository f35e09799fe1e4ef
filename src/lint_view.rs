//! The lint view of the targets page: one fresh fetch of a target's exposition, checked by
//! `signalboard-golden`'s metric lint (the seed material's pitfalls: counters without
//! `_total`, missing unit suffixes, HTTP counters without method/endpoint/status labels,
//! exploding label cardinality, …), each finding with its fix. On demand only: lint of a big
//! exposition costs more than a scrape.

use leptos::prelude::*;
use signalboard_core::config::Target;
use signalboard_core::exposition::{self, Format};
use signalboard_core::golden::{lint, LintOptions};

use crate::scrape::fetch_exposition_text;

/// Findings (`series: problem; fix`) of one target, or why it could not be linted.
async fn lint_target(t: Target) -> Result<Vec<String>, String> {
    let (text, content_type) = fetch_exposition_text(&t).await?;
    let parsed = exposition::parse(&text, Format::from_content_type(&content_type))
        .map_err(|e| format!("{}: parse error at {e}", t.url))?;
    Ok(lint(&[parsed], &LintOptions::default())
        .iter()
        .map(|f| format!("{}: {}; {}", f.series, f.problem, f.fix))
        .collect())
}

/// Lint results by target URL, kept by the targets page (its rows are rebuilt on every scrape).
pub type LintResults = RwSignal<Vec<(String, Result<Vec<String>, String>)>>;

/// A "Lint" button that lists the target's findings under it.
#[component]
pub fn LintButton(target: Target, results: LintResults) -> impl IntoView {
    let busy = RwSignal::new(false);
    let url = target.url.clone();
    let run = move |_| {
        let t = target.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let url = t.url.clone();
            let r = lint_target(t).await;
            results.try_update(|all| {
                all.retain(|(u, _)| *u != url);
                all.push((url, r));
            });
            busy.try_set(false);
        });
    };
    let mine = {
        let url = url.clone();
        move || results.with(|all| all.iter().find(|(u, _)| *u == url).map(|(_, r)| r.clone()))
    };
    view! {
        <button class="small" data-testid="lint" disabled=move || busy.get() on:click=run>"Lint"</button>
        {move || mine().map(|r| match r {
            Ok(findings) if findings.is_empty() => view! {
                <div class="lint" data-lint=url.clone() data-findings="0">"No findings: the metrics follow the conventions."</div>
            }.into_any(),
            Ok(findings) => {
                let count = findings.len().to_string();
                view! {
                    <div class="lint" data-lint=url.clone() data-findings=count>
                        <ul>{findings.into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}</ul>
                    </div>
                }.into_any()
            }
            Err(e) => view! { <div class="lint error-text" data-lint=url.clone()>{e}</div> }.into_any(),
        })}
    }
}
