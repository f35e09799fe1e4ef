//! Metric lint: the seed material's naming and labelling pitfalls, found in expositions.
//!
//! Contract: [`lint`] takes one or more snapshots of the same target in time order (the last
//! one is checked for naming and types, all of them for label cardinality, consecutive pairs
//! for counters that go down) and returns findings sorted by series then rule. Every finding
//! names the series and says how to fix it; `Display` prints one line
//! `WARN series: problem; fix`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::{self, Write as _};

use signalboard_exposition::{Exposition, Family, MetricType, Sample};

use crate::names::{
    has_token, is_duration_metric, is_request_metric, tokens, ENDPOINT_LABELS, METHOD_LABELS,
    STATUS_LABELS,
};

/// Lint settings.
#[derive(Debug, Clone, PartialEq)]
pub struct LintOptions {
    /// Latency objective in seconds that request-duration histograms need a bucket near.
    pub slo_seconds: f64,
    /// Distinct values of one label in one family above which cardinality "explodes".
    pub max_label_values: usize,
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions {
            slo_seconds: 0.5,
            max_label_values: 100,
        }
    }
}

/// Which pitfall a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LintRule {
    CounterSuffix,
    UnitSuffix,
    HttpLabels,
    Cardinality,
    GaugeNamedLikeCounter,
    CounterDecreased,
    SummaryQuantiles,
    SloBucket,
}

impl LintRule {
    /// A short stable id (`counter-suffix`, …).
    pub fn id(self) -> &'static str {
        match self {
            LintRule::CounterSuffix => "counter-suffix",
            LintRule::UnitSuffix => "unit-suffix",
            LintRule::HttpLabels => "http-labels",
            LintRule::Cardinality => "cardinality",
            LintRule::GaugeNamedLikeCounter => "gauge-total",
            LintRule::CounterDecreased => "counter-decreased",
            LintRule::SummaryQuantiles => "summary-quantiles",
            LintRule::SloBucket => "slo-bucket",
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: LintRule,
    /// The metric or series concerned.
    pub series: String,
    pub problem: String,
    pub fix: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WARN {}: {}; {}", self.series, self.problem, self.fix)
    }
}

/// Lints snapshots of one target, oldest first.
pub fn lint(snapshots: &[Exposition], options: &LintOptions) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(last) = snapshots.last() {
        for family in &last.families {
            counter_suffix(family, &mut out);
            unit_suffix(family, &mut out);
            http_labels(family, &mut out);
            gauge_total(family, &mut out);
            summary_quantiles(family, &mut out);
            slo_bucket(family, options.slo_seconds, &mut out);
        }
    }
    cardinality(snapshots, options.max_label_values, &mut out);
    for pair in snapshots.windows(2) {
        if let [before, after] = pair {
            counter_decreases(before, after, &mut out);
        }
    }
    out.sort_by(|a, b| a.series.cmp(&b.series).then(a.rule.cmp(&b.rule)));
    out
}

fn finding(rule: LintRule, series: &str, problem: String, fix: String) -> Finding {
    Finding {
        rule,
        series: series.to_string(),
        problem,
        fix,
    }
}

fn counter_suffix(f: &Family, out: &mut Vec<Finding>) {
    if f.kind != MetricType::Counter || f.name.ends_with("_total") {
        return;
    }
    let plain = f
        .samples
        .iter()
        .any(|s| s.name == f.name && !s.name.ends_with("_total"));
    if plain {
        out.push(finding(
            LintRule::CounterSuffix,
            &f.name,
            "counter without _total suffix".into(),
            format!("rename to {}_total", f.name),
        ));
    }
}

/// Where a unit suffix goes: before `_total` of a counter.
fn with_unit(name: &str, unit: &str) -> String {
    match name.strip_suffix("_total") {
        Some(base) => format!("{base}_{unit}_total"),
        None => format!("{name}_{unit}"),
    }
}

fn unit_suffix(f: &Family, out: &mut Vec<Finding>) {
    if matches!(f.kind, MetricType::Info | MetricType::StateSet) {
        return;
    }
    let words = tokens(&f.name);
    let has = |w: &str| words.iter().any(|t| t == w);
    if has("milliseconds") || has("ms") || has("microseconds") || has("us") {
        out.push(finding(
            LintRule::UnitSuffix,
            &f.name,
            "duration not in the base unit".into(),
            "use seconds (rename to …_seconds and divide the values)".into(),
        ));
        return;
    }
    let duration_words = ["duration", "latency", "elapsed", "delay", "time", "uptime"];
    if duration_words.iter().any(|w| has(w)) && !has("seconds") && !has("timestamp") {
        out.push(finding(
            LintRule::UnitSuffix,
            &f.name,
            "duration without a unit suffix".into(),
            format!("rename to {} (in seconds)", with_unit(&f.name, "seconds")),
        ));
        return;
    }
    let sized = has("payload")
        || has("body")
        || (has("size")
            && [
                "request", "response", "message", "file", "heap", "disk", "memory",
            ]
            .iter()
            .any(|w| has(w)));
    if sized && !has("bytes") {
        out.push(finding(
            LintRule::UnitSuffix,
            &f.name,
            "size without a unit suffix".into(),
            format!("rename to {} (in bytes)", with_unit(&f.name, "bytes")),
        ));
    }
}

fn label_names<'a>(f: &'a Family) -> BTreeSet<&'a str> {
    f.samples
        .iter()
        .flat_map(|s| s.labels.iter().map(|(k, _)| k.as_ref()))
        .collect()
}

fn http_labels(f: &Family, out: &mut Vec<Finding>) {
    if f.kind != MetricType::Counter
        || !has_token(&f.name, &["http"])
        || !is_request_metric(&f.name)
    {
        return;
    }
    let labels = label_names(f);
    let missing: Vec<&str> = [
        ("method", METHOD_LABELS),
        ("endpoint", ENDPOINT_LABELS),
        ("status", STATUS_LABELS),
    ]
    .iter()
    .filter(|(_, aliases)| !aliases.iter().any(|a| labels.contains(a)))
    .map(|(name, _)| *name)
    .collect();
    if !missing.is_empty() {
        out.push(finding(
            LintRule::HttpLabels,
            &f.name,
            format!("HTTP request counter without {} label", missing.join("/")),
            format!(
                "add {} (method, route template as endpoint, status code) so traffic and errors \
                 break down",
                missing.join(", ")
            ),
        ));
    }
}

fn gauge_total(f: &Family, out: &mut Vec<Finding>) {
    if f.kind == MetricType::Gauge && f.name.ends_with("_total") {
        out.push(finding(
            LintRule::GaugeNamedLikeCounter,
            &f.name,
            "gauge named like a counter (_total)".into(),
            format!(
                "rename to {} or make it a counter if it only ever goes up",
                f.name.trim_end_matches("_total")
            ),
        ));
    }
}

fn summary_quantiles(f: &Family, out: &mut Vec<Finding>) {
    let quantiles = f.samples.iter().any(|s| s.label("quantile").is_some());
    if f.kind == MetricType::Summary
        && quantiles
        && is_request_metric(&f.name)
        && is_duration_metric(&f.name)
    {
        out.push(finding(
            LintRule::SummaryQuantiles,
            &f.name,
            "summary quantiles cannot be aggregated across instances or endpoints".into(),
            "use a histogram (with a bucket at the SLO) and histogram_quantile()".into(),
        ));
    }
}

fn slo_bucket(f: &Family, slo_seconds: f64, out: &mut Vec<Finding>) {
    if f.kind != MetricType::Histogram
        || !is_request_metric(&f.name)
        || !is_duration_metric(&f.name)
    {
        return;
    }
    let scale = if has_token(&f.name, &["milliseconds", "ms"]) {
        1000.0
    } else {
        1.0
    };
    let slo = slo_seconds * scale;
    let bounds: BTreeSet<u64> = f
        .samples
        .iter()
        .filter_map(|s| s.label("le")?.parse::<f64>().ok())
        .filter(|b| b.is_finite())
        .map(f64::to_bits)
        .collect();
    let bounds: Vec<f64> = bounds.into_iter().map(f64::from_bits).collect();
    if bounds.is_empty() || bounds.iter().any(|b| (b - slo).abs() <= 0.1 * slo) {
        return;
    }
    let below = bounds
        .iter()
        .copied()
        .filter(|b| *b < slo)
        .fold(None, |m: Option<f64>, b| Some(m.map_or(b, |m| m.max(b))));
    let above = bounds
        .iter()
        .copied()
        .filter(|b| *b > slo)
        .fold(None, |m: Option<f64>, b| Some(m.map_or(b, |m| m.min(b))));
    let show = |b: Option<f64>| b.map_or("none".to_string(), |b| b.to_string());
    out.push(finding(
        LintRule::SloBucket,
        &f.name,
        format!(
            "no bucket boundary near the {slo_seconds}s SLO (nearest: {} and {})",
            show(below),
            show(above)
        ),
        format!("add a bucket le=\"{slo}\" so the share of requests within the SLO is exact"),
    ));
}

fn cardinality(snapshots: &[Exposition], max_values: usize, out: &mut Vec<Finding>) {
    let mut values: HashMap<(&str, &str), HashSet<&str>> = HashMap::new();
    for exp in snapshots {
        for f in &exp.families {
            for s in &f.samples {
                for (k, v) in &s.labels {
                    if k != "le" && k != "quantile" {
                        values.entry((&f.name, k)).or_default().insert(v);
                    }
                }
            }
        }
    }
    let exploding: BTreeMap<(&str, &str), HashSet<&str>> = values
        .into_iter()
        .filter(|(_, vals)| vals.len() > max_values)
        .collect();
    for ((family, label), vals) in exploding {
        let mut examples: Vec<&str> = vals.iter().copied().collect();
        examples.sort_unstable();
        examples.truncate(3);
        out.push(finding(
            LintRule::Cardinality,
            family,
            format!(
                "label {label} has {} distinct values (e.g. {}): every value is a series",
                vals.len(),
                examples.join(", ")
            ),
            format!(
                "drop {label} or bound it (route templates, status classes); put per-user \
                     or per-request detail in logs or exemplars"
            ),
        ));
    }
}

/// `name{a="1",b="2"}` with labels sorted by name (Debug-escaped values), for messages.
fn series_display(s: &Sample) -> String {
    let mut labels: Vec<&(_, _)> = s.labels.iter().collect();
    labels.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut text = format!("{}{{", s.name);
    for (i, (k, v)) in labels.into_iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        let _ = write!(text, "{k}={v:?}");
    }
    text.push('}');
    text
}

/// A cheap identity of a series: name and sorted labels joined by 0xff bytes (never in UTF-8).
fn series_id(s: &Sample) -> Vec<u8> {
    let mut labels: Vec<&(_, _)> = s.labels.iter().collect();
    labels.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut id = Vec::with_capacity(64);
    id.extend_from_slice(s.name.as_bytes());
    for (k, v) in labels {
        id.push(0xff);
        id.extend_from_slice(k.as_bytes());
        id.push(0xff);
        id.extend_from_slice(v.as_bytes());
    }
    id
}

fn counter_samples<'e, 'a>(exp: &'e Exposition<'a>) -> impl Iterator<Item = &'e Sample<'a>> {
    exp.families
        .iter()
        .filter(|f| f.kind == MetricType::Counter)
        .flat_map(|f| f.samples.iter())
        .filter(|s| !s.name.ends_with("_created"))
}

fn counter_decreases(before: &Exposition, after: &Exposition, out: &mut Vec<Finding>) {
    let old: HashMap<Vec<u8>, f64> = counter_samples(before)
        .map(|s| (series_id(s), s.value))
        .collect();
    for s in counter_samples(after) {
        let Some(old) = old.get(&series_id(s)).copied() else {
            continue;
        };
        if s.value < old {
            out.push(finding(
                LintRule::CounterDecreased,
                &series_display(s),
                format!("counter went down from {old} to {}", s.value),
                "a counter only goes up: use a gauge for current values (unless the process \
                 restarted)"
                    .into(),
            ));
        }
    }
}
