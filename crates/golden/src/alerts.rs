//! Client-side alert rules with Prometheus's semantics.
//!
//! Contract: [`RuleEvaluator::evaluate`] runs every rule's PromQL at `now` over the store, like
//! Prometheus's rule manager does each evaluation interval. Each result element is one alert,
//! keyed by its labels (the element's labels without `__name__`, plus the rule's labels, plus
//! `alertname`). A new alert is *pending* (`active_at` = now); once it has been active for the
//! rule's `for` duration it is *firing* (`for` = 0 fires at once). An alert missing from the
//! result is dropped when pending, and *resolved* when firing; resolved alerts are kept for
//! `resolved_retention` (Prometheus's 15 min) and then dropped; one that comes back starts over
//! as pending. Labels and annotations are templated as plain text: see [`crate::template`].
//! A rule whose query fails keeps its alerts unchanged and reports the error.

use std::collections::BTreeMap;
use std::fmt;

use signalboard_promql::{instant_query, EngineOptions, Value};

use crate::template::expand;
use signalboard_store::Store;

/// Prometheus's default `resolved_retention`: how long resolved alerts are still shown.
pub const RESOLVED_RETENTION_MS: i64 = 15 * 60 * 1000;

/// One alerting rule.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertRule {
    /// The `alertname`.
    pub name: String,
    pub expr: String,
    /// How long a condition must hold before the alert fires, in milliseconds.
    pub for_ms: i64,
    pub labels: Vec<(String, String)>,
    pub annotations: Vec<(String, String)>,
}

/// An alert's state (an alert that is not in the list is inactive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AlertState {
    Pending,
    Firing,
    /// Was firing and no longer is; shown until the retention ends.
    Resolved,
}

impl fmt::Display for AlertState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AlertState::Pending => "pending",
            AlertState::Firing => "firing",
            AlertState::Resolved => "resolved",
        })
    }
}

/// One alert of a rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    pub rule: String,
    pub state: AlertState,
    /// Sorted labels including `alertname`.
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    /// The query value at the last evaluation that returned this alert.
    pub value: f64,
    pub active_at_ms: i64,
    pub fired_at_ms: Option<i64>,
    pub resolved_at_ms: Option<i64>,
}

/// A rule whose query failed at an evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleError {
    pub rule: String,
    pub message: String,
}

/// Evaluates rules over time, keeping each rule's alerts between evaluations.
#[derive(Debug, Clone)]
pub struct RuleEvaluator {
    rules: Vec<AlertRule>,
    /// Per rule: alerts by their label set.
    active: Vec<BTreeMap<Vec<(String, String)>, Alert>>,
    resolved_retention_ms: i64,
    engine: EngineOptions,
}

impl RuleEvaluator {
    pub fn new(rules: Vec<AlertRule>) -> Self {
        let active = rules.iter().map(|_| BTreeMap::new()).collect();
        RuleEvaluator {
            rules,
            active,
            resolved_retention_ms: RESOLVED_RETENTION_MS,
            engine: EngineOptions::default(),
        }
    }

    /// Sets how long resolved alerts are kept.
    pub fn with_resolved_retention(mut self, ms: i64) -> Self {
        self.resolved_retention_ms = ms;
        self
    }

    pub fn rules(&self) -> &[AlertRule] {
        &self.rules
    }

    /// Evaluates every rule at `now_ms`; returns the queries that failed.
    pub fn evaluate(&mut self, store: &Store, now_ms: i64) -> Vec<RuleError> {
        let mut errors = Vec::new();
        for (rule, active) in self.rules.iter().zip(self.active.iter_mut()) {
            match instant_query(store, &rule.expr, now_ms, &self.engine) {
                Ok(value) => {
                    let results = elements(value);
                    update(rule, active, results, now_ms, self.resolved_retention_ms);
                }
                Err(e) => errors.push(RuleError {
                    rule: rule.name.clone(),
                    message: e.to_string(),
                }),
            }
        }
        errors
    }

    /// Current alerts (pending, firing, resolved within the retention): firing first, then
    /// pending, then resolved; by rule and labels within a state.
    pub fn alerts(&self) -> Vec<Alert> {
        let mut all: Vec<Alert> = self
            .active
            .iter()
            .flat_map(|a| a.values().cloned())
            .collect();
        all.sort_by(|a, b| {
            let rank = |s: AlertState| match s {
                AlertState::Firing => 0,
                AlertState::Pending => 1,
                AlertState::Resolved => 2,
            };
            rank(a.state)
                .cmp(&rank(b.state))
                .then_with(|| a.labels.cmp(&b.labels))
        });
        all
    }

    /// How many alerts are firing (for a title or favicon badge).
    pub fn firing_count(&self) -> usize {
        self.active
            .iter()
            .flat_map(|a| a.values())
            .filter(|a| a.state == AlertState::Firing)
            .count()
    }
}

/// The (labels, value) pairs of a query result; a scalar is one element without labels.
fn elements(value: Value) -> Vec<(BTreeMap<String, String>, f64)> {
    match value {
        Value::Vector(samples) => samples
            .into_iter()
            .map(|s| {
                let labels = s
                    .labels
                    .iter()
                    .filter(|(k, _)| *k != "__name__")
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect();
                (labels, s.v)
            })
            .collect(),
        Value::Scalar { v, .. } => vec![(BTreeMap::new(), v)],
        Value::String { .. } | Value::Matrix(_) => Vec::new(),
    }
}

fn update(
    rule: &AlertRule,
    active: &mut BTreeMap<Vec<(String, String)>, Alert>,
    results: Vec<(BTreeMap<String, String>, f64)>,
    now_ms: i64,
    retention_ms: i64,
) {
    let mut seen = Vec::new();
    for (sample_labels, value) in results {
        let mut labels = sample_labels.clone();
        for (k, v) in &rule.labels {
            labels.insert(k.clone(), expand(v, &sample_labels, value));
        }
        labels.insert("alertname".into(), rule.name.clone());
        let annotations = rule
            .annotations
            .iter()
            .map(|(k, v)| (k.clone(), expand(v, &sample_labels, value)))
            .collect();
        let key: Vec<(String, String)> = labels.clone().into_iter().collect();
        seen.push(key.clone());
        match active.get_mut(&key) {
            Some(alert) if alert.state != AlertState::Resolved => {
                alert.value = value;
                alert.annotations = annotations;
            }
            _ => {
                active.insert(
                    key,
                    Alert {
                        rule: rule.name.clone(),
                        state: AlertState::Pending,
                        labels,
                        annotations,
                        value,
                        active_at_ms: now_ms,
                        fired_at_ms: None,
                        resolved_at_ms: None,
                    },
                );
            }
        }
    }
    active.retain(|key, alert| {
        if seen.contains(key) {
            return true;
        }
        match alert.state {
            AlertState::Pending => false,
            AlertState::Firing => {
                alert.state = AlertState::Resolved;
                alert.resolved_at_ms = Some(now_ms);
                true
            }
            AlertState::Resolved => alert
                .resolved_at_ms
                .is_some_and(|t| now_ms - t <= retention_ms),
        }
    });
    for alert in active.values_mut() {
        if alert.state == AlertState::Pending && now_ms - alert.active_at_ms >= rule.for_ms {
            alert.state = AlertState::Firing;
            alert.fired_at_ms = Some(now_ms);
        }
    }
}
