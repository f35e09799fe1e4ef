//! The default alarms of DESIGN.md as alert rules built from the detected sources.
//!
//! Contract: [`default_rules`] returns, for one job, the rules whose source exists: 5xx ratio
//! above 1%, p95 latency above 2× its baseline, traffic spike (3× baseline) and drop (a third of
//! it) when traffic is non-trivial, and > 80% use of every ratio saturation source. The baseline
//! is the trailing median, `quantile_over_time(0.5, (EXPR)[WINDOW:STEP])`, over the configured
//! window (1h by default); rate windows are fixed (`1m` by default) since rules run outside
//! Grafana. Every rule carries `job` and `severity` labels and a `summary` annotation.

use crate::alerts::AlertRule;
use crate::dashboard::{ERROR_RATIO_ALARM, SATURATION_ALARM};
use crate::detect::{LatencySource, Sources};
use crate::query::{latency_quantile, request_rate, request_ratio, with_window};

/// Settings of the default rules.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleOptions {
    /// Rate window of the rule queries (PromQL duration).
    pub rate_window: String,
    /// Trailing window of the baselines (PromQL duration).
    pub baseline_window: String,
    /// Resolution of the baseline subquery (PromQL duration).
    pub baseline_step: String,
    /// `for` of every rule, in milliseconds.
    pub for_ms: i64,
    /// Requests per second below which traffic spikes/drops are not alarms.
    pub min_traffic_rps: f64,
    /// Baseline points (one per `baseline_step`) needed before a rule compares against the
    /// baseline: a young series' rate is underestimated by extrapolation, and a baseline of
    /// a few minutes is not a baseline.
    pub min_baseline_points: u32,
}

impl Default for RuleOptions {
    fn default() -> Self {
        RuleOptions {
            rate_window: "1m".into(),
            baseline_window: "1h".into(),
            baseline_step: "1m".into(),
            for_ms: 60_000,
            min_traffic_rps: 0.5,
            min_baseline_points: 10,
        }
    }
}

/// The default rules of one job.
pub fn default_rules(sources: &Sources, options: &RuleOptions) -> Vec<AlertRule> {
    let job = &sources.job;
    let w = |expr: String| with_window(&expr, &options.rate_window);
    let baseline = |expr: &str| {
        format!(
            "quantile_over_time(0.5, ({expr})[{}:{}])",
            options.baseline_window, options.baseline_step
        )
    };
    // Only once the baseline has enough history.
    let mature = |expr: &str| {
        format!(
            "count_over_time(({expr})[{}:{}]) >= {}",
            options.baseline_window, options.baseline_step, options.min_baseline_points
        )
    };
    let rule = |name: &str, expr: String, severity: &str, summary: String| AlertRule {
        name: name.to_string(),
        expr,
        for_ms: options.for_ms,
        labels: vec![
            ("job".into(), job.clone()),
            ("severity".into(), severity.into()),
        ],
        annotations: vec![("summary".into(), summary)],
    };
    let mut rules = Vec::new();
    if let Some(src) = &sources.errors {
        if let Some(status) = &src.status {
            let ratio = w(request_ratio(src, job, &status.server_errors()));
            rules.push(rule(
                "HighErrorRatio",
                format!("{ratio} > {ERROR_RATIO_ALARM}"),
                "critical",
                format!(
                    "{job}: {{{{ humanizePercentage $value }}}} of requests fail with 5xx (alarm \
                     above {}%)",
                    ERROR_RATIO_ALARM * 100.0
                ),
            ));
        }
    }
    if let Some(src) = &sources.latency {
        if !matches!(src, LatencySource::Mean { .. }) {
            let p95 = w(latency_quantile(src, job, 0.95, "", None));
            rules.push(rule(
                "LatencyAboveBaseline",
                format!("({p95}) > 2 * {} and {}", baseline(&p95), mature(&p95)),
                "warning",
                format!("{job}: p95 latency {{{{ $value | humanizeDuration }}}} is over twice its trailing median"),
            ));
        }
    }
    if let Some(src) = &sources.traffic {
        let rate = w(request_rate(src, job, None));
        let base = baseline(&rate);
        let min = options.min_traffic_rps;
        rules.push(rule(
            "TrafficSpike",
            format!(
                "({rate}) > 3 * {base} and ({rate}) > {min} and {}",
                mature(&rate)
            ),
            "warning",
            format!("{job}: {{{{ $value | humanize }}}} requests/s, over 3× the trailing median"),
        ));
        rules.push(rule(
            "TrafficDrop",
            format!(
                "({rate}) < {base} / 3 and {base} > {min} and {}",
                mature(&rate)
            ),
            "warning",
            format!("{job}: {{{{ $value | humanize }}}} requests/s, under a third of the trailing median"),
        ));
    }
    for src in sources.saturation.iter().filter(|s| s.ratio) {
        let mut r = rule(
            "Saturation",
            format!("{} > {SATURATION_ALARM}", w(src.expr.clone())),
            "warning",
            format!(
                "{job}: {} at {{{{ humanizePercentage $value }}}} (alarm above {}%)",
                src.title,
                SATURATION_ALARM * 100.0
            ),
        );
        r.labels.push(("resource".into(), src.title.clone()));
        rules.push(r);
    }
    rules
}
