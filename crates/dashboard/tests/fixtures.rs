//! Every Grafana fixture in ../shared/fixtures/grafana: golden summaries, round trip through
//! export, and "no panel dropped" counts checked against an independent walk of the JSON.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;

use serde_json::Value;
use signalboard_dashboard::{export_grafana, import_grafana, summarize, PanelKind};

const FIXTURES: [&str; 9] = [
    "autometrics-function-explorer",
    "autometrics-slo",
    "cloudnative-pg",
    "flask-webapp",
    "ingress-nginx-request-handling",
    "ingress-nginx",
    "node-exporter-full-old-legacy",
    "node-exporter-full",
    "thanos-query-legacy",
];

fn fixture_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/fixtures/grafana"
    ))
}

fn read_fixture(name: &str) -> String {
    let path = fixture_dir().join(format!("{name}.json"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("fixture {} missing: {e}", path.display()))
}

/// Non-row panels in the raw JSON (modern nesting and legacy rows), counted independently.
fn raw_panel_count(v: &Value) -> usize {
    let mut n = 0;
    for p in v["panels"].as_array().into_iter().flatten() {
        if p["type"] == "row" {
            n += p["panels"].as_array().map_or(0, Vec::len);
        } else {
            n += 1;
        }
    }
    for r in v["rows"].as_array().into_iter().flatten() {
        n += r["panels"].as_array().map_or(0, Vec::len);
    }
    n
}

#[test]
fn golden_summaries() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let golden_dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden"));
    let mut mismatched = Vec::new();
    for name in FIXTURES {
        let imported =
            import_grafana(&read_fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let summary = summarize(&imported.dashboard);
        let path = golden_dir.join(format!("{name}.txt"));
        if update {
            std::fs::write(&path, &summary).unwrap();
            continue;
        }
        let golden = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("golden {} missing: {e}", path.display()));
        if golden != summary {
            mismatched.push(name);
        }
    }
    assert!(
        mismatched.is_empty(),
        "summaries differ from golden files (UPDATE_GOLDEN=1 to regenerate): {mismatched:?}"
    );
}

#[test]
fn every_panel_is_kept_and_counted() {
    for name in FIXTURES {
        let text = read_fixture(name);
        let raw: Value = serde_json::from_str(&text).unwrap();
        let imported = import_grafana(&text).unwrap();
        let d = &imported.dashboard;
        let model_panels = d
            .all_panels()
            .iter()
            .filter(|p| p.kind != PanelKind::Row)
            .count();
        assert_eq!(
            model_panels,
            raw_panel_count(&raw),
            "{name}: panels in model vs JSON"
        );
        let r = &imported.report;
        assert_eq!(
            r.panels_rendered() + r.panels_unsupported(),
            model_panels,
            "{name}: report counts"
        );
        let exprs = d
            .all_panels()
            .iter()
            .flat_map(|p| p.targets.iter())
            .filter(|t| !t.expr.trim().is_empty())
            .count();
        assert_eq!(
            r.queries.len(),
            exprs,
            "{name}: one query check per expression"
        );
    }
}

#[test]
fn round_trip_export_import_is_equal() {
    for name in FIXTURES {
        let first = import_grafana(&read_fixture(name)).unwrap().dashboard;
        let exported = export_grafana(&first);
        let text = serde_json::to_string_pretty(&exported).unwrap();
        let second = import_grafana(&text)
            .unwrap_or_else(|e| panic!("{name}: re-import failed: {e}"))
            .dashboard;
        if first != second {
            // Narrow the failure down to the first differing panel for a useful message.
            for (a, b) in first.all_panels().iter().zip(second.all_panels().iter()) {
                assert_eq!(a, b, "{name}: panel {} differs after round trip", a.id);
            }
            assert_eq!(
                first.variables, second.variables,
                "{name}: variables differ"
            );
            assert_eq!(first, second, "{name}: dashboard differs after round trip");
        }
        // The export is classic JSON: modern panel types and gridPos, no legacy rows.
        assert!(exported.get("rows").is_none());
        assert_eq!(exported["schemaVersion"], 39);
    }
}

/// (source panel type, rendered, placeholders).
type TypeRow<'a> = (&'a str, usize, usize);

#[test]
fn fixture_panel_type_counts_match_reference_notes() {
    // Counts from ../shared/reference/grafana-model.md §8.1 (source types, rows excluded).
    let expected: [(&str, &[TypeRow<'static>]); 3] = [
        (
            "cloudnative-pg",
            &[
                ("alertlist", 1, 0),
                ("bargauge", 1, 0),
                ("gauge", 7, 0),
                ("heatmap", 1, 0),
                ("stat", 39, 0),
                ("table", 2, 0),
                ("text", 23, 0),
                ("timeseries", 29, 0),
            ],
        ),
        (
            "node-exporter-full-old-legacy",
            &[("graph", 160, 0), ("singlestat", 12, 0)],
        ),
        ("thanos-query-legacy", &[("graph", 18, 0)]),
    ];
    for (name, counts) in expected {
        let r = import_grafana(&read_fixture(name)).unwrap().report;
        let got: Vec<TypeRow> = r
            .panel_types
            .iter()
            .map(|(k, c)| (k.as_str(), c.rendered, c.unsupported))
            .collect();
        assert_eq!(got, counts.to_vec(), "{name}");
    }
}
