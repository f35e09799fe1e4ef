//! Client-side alerting over the in-browser store: the default golden-signal rules of every
//! job the scrapes revealed (`signalboard-golden`: error ratio > 1%, p95 > 2× its trailing
//! median, traffic spike/drop, saturation > 80%), evaluated with Prometheus's states
//! (pending → firing → resolved). The result shows in alert list panels, in the page title
//! (`(2) Signalboard`), as a badge on the favicon and, when the user turned them on, as
//! browser notifications of newly firing alerts.
//!
//! Contract: [`install`] evaluates after scrapes at most every [`EVERY_MS`]; rules are rebuilt
//! only when the detected sources change (a rebuild starts the alert states afresh). Rule
//! query errors are kept for the alert list, never panics.

use std::collections::BTreeSet;

use crate::app::AppSignals;
use crate::engine::{now_ms, with_engine};
use leptos::prelude::*;
use signalboard_core::config::{parse_duration, AlertingRule};
use signalboard_core::golden::{
    default_rules, detect, Alert, AlertRule, AlertState, Catalog, RuleError, RuleEvaluator,
    RuleOptions, Sources,
};

/// Evaluation period: rules use 1m windows, so more often only costs CPU.
pub const EVERY_MS: f64 = 5_000.0;

/// Everything alerting keeps between evaluations (lives in the engine).
#[derive(Default)]
pub struct Alerting {
    /// What the scrapes revealed, per job (fed by the scrape loop).
    pub catalog: Catalog,
    sources: Vec<Sources>,
    /// The config's own rules the evaluator was built with.
    user_rules: Vec<AlertingRule>,
    evaluator: Option<RuleEvaluator>,
    last_eval_ms: f64,
    pub alerts: Vec<Alert>,
    pub errors: Vec<RuleError>,
    /// How long the last evaluation took (shown in alert lists: rules cost main-thread time).
    pub eval_duration_ms: f64,
    /// Alerts already notified (label sets), so each firing alert is announced once.
    notified: BTreeSet<String>,
}

impl Alerting {
    pub fn firing(&self) -> usize {
        self.alerts
            .iter()
            .filter(|a| a.state == AlertState::Firing)
            .count()
    }

    pub fn rule_count(&self) -> usize {
        self.evaluator.as_ref().map_or(0, |e| e.rules().len())
    }
}

pub fn install(signals: AppSignals) {
    Effect::new(move |_| {
        signals.data_version.track();
        let now = now_ms();
        let due = with_engine(|e| now - e.alerting.last_eval_ms >= EVERY_MS).unwrap_or(false);
        if !due {
            return;
        }
        let newly_firing = with_engine(|e| evaluate(e, now)).unwrap_or_default();
        signals.alerts_version.update(|v| *v += 1);
        show_count();
        notify(&newly_firing);
    });
}

/// One evaluation; returns alerts that started firing since the last one.
fn evaluate(e: &mut crate::engine::Engine, now: f64) -> Vec<Alert> {
    let a = &mut e.alerting;
    a.last_eval_ms = now;
    let sources = detect(&a.catalog);
    let user = &e.config.alerting_rules;
    if a.evaluator.is_none() || sources != a.sources || *user != a.user_rules {
        let options = RuleOptions::default();
        let rules = sources
            .iter()
            .flat_map(|s| default_rules(s, &options))
            .chain(user.iter().map(user_rule))
            .collect();
        a.evaluator = Some(RuleEvaluator::new(rules));
        a.sources = sources;
        a.user_rules = user.clone();
    }
    let Some(evaluator) = a.evaluator.as_mut() else {
        return Vec::new();
    };
    a.errors = evaluator.evaluate(&e.store, now as i64);
    a.alerts = evaluator.alerts();
    a.eval_duration_ms = now_ms() - now;
    let mut fresh = Vec::new();
    for alert in a.alerts.iter().filter(|x| x.state == AlertState::Firing) {
        let key = format!("{:?}", alert.labels);
        if a.notified.insert(key) {
            fresh.push(alert.clone());
        }
    }
    fresh
}

/// A config rule in the evaluator's terms (the duration was validated with the config).
fn user_rule(r: &AlertingRule) -> AlertRule {
    AlertRule {
        name: r.alert.clone(),
        expr: r.expr.clone(),
        for_ms: r
            .for_
            .as_deref()
            .and_then(|d| parse_duration(d).ok())
            .unwrap_or(0),
        labels: r
            .labels
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        annotations: r
            .annotations
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    }
}

/// `(N) Signalboard` in the title and a red badge on the favicon while alerts fire.
fn show_count() {
    let firing = with_engine(|e| e.alerting.firing()).unwrap_or(0);
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let base = "Signalboard";
    doc.set_title(&if firing > 0 {
        format!("({firing}) {base}")
    } else {
        base.to_string()
    });
    if let Ok(Some(link)) = doc.query_selector("link[rel=icon]") {
        let href = if firing > 0 {
            badge_icon(firing)
        } else {
            "favicon.svg".to_string()
        };
        let _ = link.set_attribute("href", &href);
    }
}

/// The favicon with a red count badge, as an SVG data URL (digits only: nothing injectable).
fn badge_icon(firing: usize) -> String {
    let n = if firing > 9 {
        "9+".to_string()
    } else {
        firing.to_string()
    };
    let svg = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'>\
         <rect width='32' height='32' rx='6' fill='%23181b1f'/>\
         <path d='M4 24 L11 14 L17 19 L27 7' stroke='%2373bf69' stroke-width='3' fill='none'/>\
         <circle cx='22' cy='22' r='10' fill='%23f2495c'/>\
         <text x='22' y='27' font-size='13' text-anchor='middle' fill='white' \
         font-family='sans-serif' font-weight='bold'>{n}</text></svg>"
    );
    format!("data:image/svg+xml,{}", svg.replace(' ', "%20"))
}

const NOTIFY_KEY: &str = "signalboard.notifications";

/// Whether the user turned browser notifications on (kept in localStorage).
pub fn notifications_on() -> bool {
    crate::storage::load(NOTIFY_KEY).as_deref() == Some("on")
}

/// Turns notifications on (asking the browser's permission) or off.
pub fn set_notifications(on: bool) {
    crate::storage::save(NOTIFY_KEY, if on { "on" } else { "off" });
    if on && web_sys::Notification::permission() == web_sys::NotificationPermission::Default {
        let _ = web_sys::Notification::request_permission();
    }
}

fn notify(alerts: &[Alert]) {
    if alerts.is_empty()
        || !notifications_on()
        || web_sys::Notification::permission() != web_sys::NotificationPermission::Granted
    {
        return;
    }
    for a in alerts {
        let opts = web_sys::NotificationOptions::new();
        let summary = a
            .annotations
            .get("summary")
            .cloned()
            .unwrap_or_else(|| format!("value {}", a.value));
        opts.set_body(&summary);
        let title = format!("Firing: {}", a.rule);
        // The browser shows it; there is nothing to keep.
        let _ = web_sys::Notification::new_with_options(&title, &opts);
    }
}

fn badge_class(firing: usize) -> &'static str {
    if firing > 0 {
        "alert-badge firing"
    } else {
        "alert-badge"
    }
}

/// Top-bar badge: how many alerts fire, and the browser-notification switch.
#[component]
pub fn AlertBadge() -> impl IntoView {
    let signals = expect_context::<AppSignals>();
    let firing = move || {
        signals.alerts_version.track();
        with_engine(|e| e.alerting.firing()).unwrap_or(0)
    };
    let notify_on = RwSignal::new(notifications_on());
    view! {
        <span class=move || badge_class(firing())
            data-firing=move || firing().to_string() title="Firing alerts of the client-side rules">
            {move || format!("{} firing", firing())}
        </span>
        <label class="hint" title="Browser notifications when an alert starts firing">
            <input type="checkbox" data-testid="notifications" prop:checked=move || notify_on.get()
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    set_notifications(on);
                    notify_on.set(on);
                } />
            " notify"
        </label>
    }
}
