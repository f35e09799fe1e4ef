//! Robustness: fixtures with values swapped for wrong types or keys removed never make import
//! panic, every panel is still accounted for, and whatever imports also round-trips through
//! export.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use serde_json::{json, Value};
use signalboard_dashboard::layout::{layout, toggle_row};
use signalboard_dashboard::{export_grafana, import_grafana, PanelKind};

/// xorshift64*: deterministic, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn count_nodes(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count_nodes).sum(),
        Value::Object(o) => o.values().map(count_nodes).sum(),
        _ => 0,
    }
}

/// Replaces the `target`-th node (pre-order) with `replacement`; returns true when done.
fn replace_nth(v: &mut Value, target: &mut usize, replacement: &Value) -> bool {
    if *target == 0 {
        *v = replacement.clone();
        return true;
    }
    *target -= 1;
    match v {
        Value::Array(a) => a.iter_mut().any(|c| replace_nth(c, target, replacement)),
        Value::Object(o) => o.values_mut().any(|c| replace_nth(c, target, replacement)),
        _ => false,
    }
}

/// Removes one key (chosen by `pick`) from the `target`-th node when it is an object.
fn remove_key_at(v: &mut Value, target: &mut usize, pick: usize) -> bool {
    if *target == 0 {
        if let Value::Object(o) = v {
            if let Some(key) = o.keys().nth(pick % o.len().max(1)).cloned() {
                o.remove(&key);
            }
        }
        return true;
    }
    *target -= 1;
    match v {
        Value::Array(a) => a.iter_mut().any(|c| remove_key_at(c, target, pick)),
        Value::Object(o) => o.values_mut().any(|c| remove_key_at(c, target, pick)),
        _ => false,
    }
}

fn replacements() -> Vec<Value> {
    vec![
        Value::Null,
        json!("x"),
        json!(""),
        json!("12"),
        json!(-1),
        json!(1e300),
        json!(0.5),
        json!(true),
        json!([]),
        json!({}),
        json!([1, "a", null]),
        json!({"type": "row", "panels": [{"type": "zzz"}]}),
    ]
}

fn check(name: &str, fixture: &str, iterations: usize, seed: u64) {
    let path = format!(
        "{}/../../../shared/fixtures/grafana/{fixture}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let original: Value = serde_json::from_str(&text).unwrap();
    let nodes = count_nodes(&original);
    // MUTATION_SEED explores other deterministic sequences (the default is fixed).
    let extra: u64 = std::env::var("MUTATION_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut rng = Rng(seed.wrapping_add(extra.wrapping_mul(1_000_003)).max(1));
    let options = replacements();
    for i in 0..iterations {
        let mut doc = original.clone();
        for _ in 0..4 {
            let mut target = 1 + rng.below(nodes - 1); // never the root
            if rng.below(3) == 0 {
                let pick = rng.below(64);
                remove_key_at(&mut doc, &mut target, pick);
            } else {
                let replacement = &options[rng.below(options.len())];
                replace_nth(&mut doc, &mut target, replacement);
            }
        }
        let Ok(imported) = import_grafana(&doc.to_string()) else {
            continue;
        };
        let d = &imported.dashboard;
        let r = &imported.report;
        let non_rows = d
            .all_panels()
            .iter()
            .filter(|p| p.kind != PanelKind::Row)
            .count();
        assert_eq!(
            r.panels_rendered() + r.panels_unsupported(),
            non_rows,
            "{name} iteration {i}"
        );
        // Layout with every repeat expanded and every row toggled must not panic either.
        let mut toggled = d.clone();
        let ids: Vec<u64> = d
            .panels
            .iter()
            .filter(|p| p.kind == PanelKind::Row)
            .map(|p| p.id)
            .collect();
        for id in ids {
            assert!(toggle_row(&mut toggled, id));
        }
        let three = |_: &str| vec!["a".to_string(), "b".to_string(), "c".to_string()];
        assert!(layout(&toggled, &three).len() >= toggled.panels.len());
        let again = import_grafana(&export_grafana(d).to_string())
            .unwrap_or_else(|e| panic!("{name} iteration {i}: {e}"));
        assert_eq!(&again.dashboard, d, "{name} iteration {i}: round trip");
    }
}

#[test]
fn mutated_small_fixtures() {
    for (fixture, seed) in [
        ("autometrics-function-explorer", 1),
        ("autometrics-slo", 2),
        ("flask-webapp", 3),
        ("ingress-nginx-request-handling", 4),
        ("ingress-nginx", 5),
        ("thanos-query-legacy", 6),
    ] {
        check(fixture, fixture, 80, seed);
    }
}

#[test]
fn mutated_large_fixtures() {
    for (fixture, seed) in [
        ("cloudnative-pg", 7),
        ("node-exporter-full", 8),
        ("node-exporter-full-old-legacy", 9),
    ] {
        check(fixture, fixture, 6, seed);
    }
}
