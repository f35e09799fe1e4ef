//! Alert rules over a store built step by step: Prometheus's pending → firing → resolved
//! timing, retention, templating, and the default rules on a simulated service.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;

use signalboard_exposition::{parse, Format};
use signalboard_golden::{
    default_rules, detect_job, expand, AlertRule, AlertState, Catalog, RuleEvaluator, RuleOptions,
};
use signalboard_store::{Labels, Store};

const MIN: i64 = 60_000;

fn gauge(store: &mut Store, t: i64, v: f64) {
    let labels = Labels::from_pairs([("__name__", "temp"), ("job", "x"), ("room", "a")]);
    store.append(&labels, t, v).unwrap();
}

fn rule(for_ms: i64) -> AlertRule {
    AlertRule {
        name: "Hot".into(),
        expr: "temp > 30".into(),
        for_ms,
        labels: vec![("severity".into(), "page".into())],
        annotations: vec![(
            "summary".into(),
            "{{ $labels.room }} is at {{ $value }}".into(),
        )],
    }
}

fn states(ev: &RuleEvaluator) -> Vec<AlertState> {
    ev.alerts().iter().map(|a| a.state).collect()
}

#[test]
fn pending_then_firing_after_for_then_resolved_then_dropped() {
    let mut store = Store::new();
    let mut ev = RuleEvaluator::new(vec![rule(MIN)]);
    let step = 15_000;
    // temp: 20 until 1m, 40 from 1m to 4m, 20 after.
    let value = |t: i64| {
        if (MIN..4 * MIN).contains(&t) {
            40.0
        } else {
            20.0
        }
    };
    let mut seen = Vec::new();
    for i in 0..=120 {
        let t = i * step;
        gauge(&mut store, t, value(t));
        assert!(ev.evaluate(&store, t).is_empty());
        seen.push((t, states(&ev)));
    }
    let at = |t: i64| seen.iter().find(|(s, _)| *s == t).unwrap().1.clone();
    assert_eq!(at(45_000), []);
    assert_eq!(at(MIN), [AlertState::Pending]);
    assert_eq!(at(MIN + 45_000), [AlertState::Pending]);
    assert_eq!(at(2 * MIN), [AlertState::Firing]);
    assert_eq!(at(4 * MIN - step), [AlertState::Firing]);
    assert_eq!(at(4 * MIN), [AlertState::Resolved]);
    // Kept for Prometheus's 15 minutes of resolved_retention, then dropped.
    assert_eq!(at(19 * MIN), [AlertState::Resolved]);
    assert_eq!(at(19 * MIN + step), []);
    // The alert's details.
    let mut ev = RuleEvaluator::new(vec![rule(MIN)]);
    for i in 0..=8 {
        ev.evaluate(&store, i * step);
    }
    let alert = &ev.alerts()[0];
    assert_eq!(alert.active_at_ms, MIN);
    assert_eq!(alert.fired_at_ms, Some(2 * MIN));
    assert_eq!(
        alert.labels,
        BTreeMap::from([
            ("alertname".to_string(), "Hot".to_string()),
            ("job".to_string(), "x".to_string()),
            ("room".to_string(), "a".to_string()),
            ("severity".to_string(), "page".to_string()),
        ])
    );
    assert_eq!(alert.annotations["summary"], "a is at 40");
    assert_eq!(ev.firing_count(), 1);
}

#[test]
fn pending_alerts_that_clear_are_dropped_and_for_zero_fires_at_once() {
    let mut store = Store::new();
    gauge(&mut store, 0, 40.0);
    gauge(&mut store, 15_000, 20.0);
    let mut slow = RuleEvaluator::new(vec![rule(MIN)]);
    slow.evaluate(&store, 0);
    assert_eq!(states(&slow), [AlertState::Pending]);
    slow.evaluate(&store, 15_000);
    assert_eq!(states(&slow), []);
    let mut instant = RuleEvaluator::new(vec![rule(0)]);
    instant.evaluate(&store, 0);
    assert_eq!(states(&instant), [AlertState::Firing]);
}

#[test]
fn a_resolved_alert_that_comes_back_starts_over_as_pending() {
    let mut store = Store::new();
    for (t, v) in [(0, 40.0), (15_000, 20.0), (30_000, 40.0)] {
        gauge(&mut store, t, v);
    }
    let mut ev = RuleEvaluator::new(vec![rule(0)]);
    ev.evaluate(&store, 0);
    ev.evaluate(&store, 15_000);
    assert_eq!(states(&ev), [AlertState::Resolved]);
    let mut slow = RuleEvaluator::new(vec![rule(MIN)]);
    slow.evaluate(&store, 0);
    assert_eq!(states(&slow), [AlertState::Pending]);
    ev.evaluate(&store, 30_000);
    assert_eq!(states(&ev), [AlertState::Firing]);
    assert_eq!(ev.alerts()[0].active_at_ms, 30_000);
}

#[test]
fn query_errors_are_reported_and_keep_the_alerts() {
    let store = Store::new();
    let mut ev = RuleEvaluator::new(vec![AlertRule {
        expr: "temp >".into(),
        ..rule(0)
    }]);
    let errors = ev.evaluate(&store, 0);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].rule, "Hot");
}

#[test]
fn templates_expand_value_labels_and_percentages_as_plain_text() {
    let labels = BTreeMap::from([("job".to_string(), "api".to_string())]);
    assert_eq!(
        expand(
            "{{$labels.job}}: {{ $value }} ({{ humanizePercentage $value }}) {{ .Other }}",
            &labels,
            0.0123
        ),
        "api: 0.0123 (1.23%) {{ .Other }}"
    );
    assert_eq!(
        expand("{{ $labels.missing }}|{{ open", &labels, 1.0),
        "|{{ open"
    );
}

/// A service scraped every 15 s: `rps` requests/s of which `errors` share fail with 500,
/// latencies all in the `latency` bucket.
struct Service {
    store: Store,
    t: i64,
    ok: f64,
    failed: f64,
    buckets: [f64; 3],
}

const LE: [&str; 3] = ["0.1", "1", "+Inf"];

impl Service {
    fn new() -> Self {
        Service {
            store: Store::new(),
            t: 0,
            ok: 0.0,
            failed: 0.0,
            buckets: [0.0; 3],
        }
    }

    fn scrape(&mut self, rps: f64, errors: f64, latency_bucket: usize) {
        let n = rps * 15.0;
        self.failed += n * errors;
        self.ok += n * (1.0 - errors);
        for (i, b) in self.buckets.iter_mut().enumerate() {
            if i >= latency_bucket {
                *b += n;
            }
        }
        let mut text = String::from("# TYPE http_requests_total counter\n");
        text.push_str(&format!(
            "http_requests_total{{endpoint=\"/a\",status=\"200\"}} {}\n",
            self.ok
        ));
        text.push_str(&format!(
            "http_requests_total{{endpoint=\"/a\",status=\"500\"}} {}\n",
            self.failed
        ));
        text.push_str("# TYPE http_request_duration_seconds histogram\n");
        for (le, v) in LE.iter().zip(self.buckets) {
            text.push_str(&format!(
                "http_request_duration_seconds_bucket{{le=\"{le}\"}} {v}\n"
            ));
        }
        text.push_str(&format!(
            "http_request_duration_seconds_count {}\n",
            self.buckets[2]
        ));
        text.push_str("http_request_duration_seconds_sum 1\n");
        let exp = parse(&text, Format::Prometheus).unwrap();
        let target = signalboard_store::TargetLabels {
            job: "api".into(),
            instance: "i".into(),
            extra: Vec::new(),
            honor_labels: false,
        };
        self.store.ingest_scrape(&target, self.t, &exp);
        self.t += 15_000;
    }

    fn exposition_catalog() -> Catalog {
        let text = "# TYPE http_requests_total counter\n\
            http_requests_total{endpoint=\"/a\",status=\"200\"} 1\n\
            # TYPE http_request_duration_seconds histogram\n\
            http_request_duration_seconds_bucket{le=\"+Inf\"} 1\n\
            http_request_duration_seconds_count 1\nhttp_request_duration_seconds_sum 1\n";
        Catalog::from_exposition("api", &parse(text, Format::Prometheus).unwrap())
    }
}

/// Runs `phases` of (minutes, rps, error share, latency bucket), evaluating the default rules
/// after every scrape; returns (minute, alertname, state) transitions.
fn run_default_rules(phases: &[(i64, f64, f64, usize)]) -> Vec<(f64, String, AlertState)> {
    let sources = detect_job(&Service::exposition_catalog(), "api");
    let rules = default_rules(&sources, &RuleOptions::default());
    let mut ev = RuleEvaluator::new(rules);
    let mut svc = Service::new();
    let mut last: BTreeMap<String, AlertState> = BTreeMap::new();
    let mut transitions = Vec::new();
    for &(minutes, rps, errors, bucket) in phases {
        for _ in 0..minutes * 4 {
            svc.scrape(rps, errors, bucket);
            let now = svc.t - 15_000;
            assert_eq!(ev.evaluate(&svc.store, now), []);
            let current: BTreeMap<String, AlertState> = ev
                .alerts()
                .iter()
                .map(|a| (a.rule.clone(), a.state))
                .collect();
            for (name, state) in &current {
                if last.get(name) != Some(state) {
                    transitions.push((now as f64 / 60_000.0, name.clone(), *state));
                }
            }
            last = current;
        }
    }
    transitions
}

#[test]
fn default_error_rule_fires_one_minute_after_the_ratio_passes_one_percent() {
    let t = run_default_rules(&[(20, 10.0, 0.0, 0), (3, 10.0, 0.05, 0), (2, 10.0, 0.0, 0)]);
    let errors: Vec<_> = t.iter().filter(|(_, n, _)| n == "HighErrorRatio").collect();
    assert_eq!(errors.len(), 3, "{t:?}");
    assert_eq!(errors[0].2, AlertState::Pending);
    assert_eq!(errors[1].2, AlertState::Firing);
    assert_eq!(errors[1].0 - errors[0].0, 1.0);
    assert_eq!(errors[2].2, AlertState::Resolved);
    // Errors start at minute 20; the 1m rate window sees them at the first scrape.
    assert_eq!(errors[0].0, 20.0);
    // Nothing else fired: traffic and latency were steady.
    assert!(t.iter().all(|(_, n, _)| n == "HighErrorRatio"), "{t:?}");
}

#[test]
fn default_latency_and_traffic_rules_fire_against_their_baselines() {
    let t = run_default_rules(&[(30, 10.0, 0.0, 0), (5, 10.0, 0.0, 1)]);
    assert!(
        t.iter()
            .any(|(_, n, s)| n == "LatencyAboveBaseline" && *s == AlertState::Firing),
        "{t:?}"
    );
    let t = run_default_rules(&[(30, 10.0, 0.0, 0), (5, 50.0, 0.0, 0)]);
    assert!(
        t.iter()
            .any(|(_, n, s)| n == "TrafficSpike" && *s == AlertState::Firing),
        "{t:?}"
    );
    let t = run_default_rules(&[(30, 10.0, 0.0, 0), (5, 1.0, 0.0, 0)]);
    assert!(
        t.iter()
            .any(|(_, n, s)| n == "TrafficDrop" && *s == AlertState::Firing),
        "{t:?}"
    );
    // Quiet traffic (below the 0.5 req/s floor) dropping further is no alarm.
    let t = run_default_rules(&[(30, 0.3, 0.0, 0), (5, 0.01, 0.0, 0)]);
    assert!(t.iter().all(|(_, n, _)| n != "TrafficDrop"), "{t:?}");
}

#[test]
fn baseline_rules_wait_for_a_mature_baseline() {
    // Traffic jumps tenfold 3 minutes after the first scrape: with under 10 minutes of
    // baseline there is nothing to compare against (a page just opened, a young series).
    let t = run_default_rules(&[(3, 1.0, 0.0, 0), (4, 10.0, 0.0, 0)]);
    assert!(t.iter().all(|(_, n, _)| n != "TrafficSpike"), "{t:?}");
    // The same jump after 15 minutes of history is an alarm.
    let t = run_default_rules(&[(15, 1.0, 0.0, 0), (4, 10.0, 0.0, 0)]);
    assert!(t.iter().any(|(_, n, _)| n == "TrafficSpike"), "{t:?}");
}
