//! The captured client-library fixtures (tests/fixtures/NAME/scrape{1,2}.prom, two scrapes
//! 15 s of traffic apart, made by `scripts/capture-client-fixtures.sh --golden`): for each, the
//! detected sources match the golden `summary.txt` (regenerate with `UPDATE_GOLDEN=1`), and the
//! generated dashboard imports with signalboard-dashboard and every panel query returns data
//! (non-empty, all finite) over a store holding the two scrapes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};

use signalboard_dashboard::{import_grafana, interpolate, MacroValues, VariableValues};
use signalboard_exposition::{self as exposition, Exposition, Format};
use signalboard_golden::{detect_job, golden_dashboard, Catalog, DashboardOptions};
use signalboard_promql::{instant_query, EngineOptions, Value};
use signalboard_store::{Store, TargetLabels};

const T1: i64 = 1_795_300_000_000;
const T2: i64 = T1 + 15_000;

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn parse(text: &str) -> Exposition<'_> {
    exposition::parse(text, Format::sniff(text)).unwrap()
}

struct Loaded {
    name: String,
    store: Store,
    catalog: Catalog,
}

fn load(dir: &Path) -> Loaded {
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    let target = TargetLabels {
        job: name.clone(),
        instance: "127.0.0.1:9000".into(),
        extra: Vec::new(),
        honor_labels: false,
    };
    let mut store = Store::new();
    let mut catalog = Catalog::new();
    for (file, t) in [("scrape1.prom", T1), ("scrape2.prom", T2)] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let exp = parse(&text);
        store.ingest_scrape(&target, t, &exp);
        catalog.add_exposition(&name, &exp);
    }
    Loaded {
        name,
        store,
        catalog,
    }
}

#[test]
fn every_library_fixture_is_there() {
    let names: Vec<String> = fixtures()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().to_string())
        .collect();
    for expected in [
        "go-client_golang",
        "java-micrometer",
        "node-prom-client",
        "node_exporter",
        "python-fastapi-instrumentator",
        "python-opentelemetry",
        "python-prometheus_client",
        "rust-prometheus-client",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "missing fixture {expected}"
        );
    }
}

#[test]
fn detected_sources_match_the_golden_summaries() {
    let mut failures = Vec::new();
    for dir in fixtures() {
        let loaded = load(&dir);
        let summary = detect_job(&loaded.catalog, &loaded.name).summary();
        let golden = dir.join("summary.txt");
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&golden, &summary).unwrap();
        }
        let expected = std::fs::read_to_string(&golden).unwrap_or_default();
        if summary != expected {
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- got\n{summary}",
                loaded.name
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_generated_panel_query_returns_finite_data() {
    let macros = MacroValues::new(T2 - 15 * 60_000, T2, 15_000, 15_000);
    let mut failures = Vec::new();
    for dir in fixtures() {
        let loaded = load(&dir);
        let sources = detect_job(&loaded.catalog, &loaded.name);
        let json = golden_dashboard(&[sources], &DashboardOptions::default()).to_string();
        let imported = import_grafana(&json).unwrap();
        let mut queried = 0;
        for panel in imported.dashboard.all_panels() {
            for target in &panel.targets {
                let expr = interpolate(&target.expr, &VariableValues::new(), &macros);
                queried += 1;
                let what = format!("{} / {:?} / {expr}", loaded.name, panel.title);
                match instant_query(&loaded.store, &expr, T2, &EngineOptions::default()) {
                    Ok(Value::Vector(v)) if v.is_empty() => {
                        failures.push(format!("{what}: no data"))
                    }
                    Ok(Value::Vector(v)) if v.iter().any(|s| !s.v.is_finite()) => {
                        failures.push(format!("{what}: not finite {v:?}"))
                    }
                    Ok(Value::Vector(_)) => {}
                    Ok(other) => failures.push(format!("{what}: not a vector: {other:?}")),
                    Err(e) => failures.push(format!("{what}: {e}")),
                }
            }
        }
        assert!(queried >= 3, "{}: only {queried} queries", loaded.name);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn lint_findings_of_the_fixtures_match_the_golden_files() {
    let mut failures = Vec::new();
    for dir in fixtures() {
        let texts: Vec<String> = ["scrape1.prom", "scrape2.prom"]
            .iter()
            .map(|f| std::fs::read_to_string(dir.join(f)).unwrap())
            .collect();
        let snapshots: Vec<Exposition> = texts.iter().map(|t| parse(t)).collect();
        let findings = signalboard_golden::lint(&snapshots, &Default::default());
        let text: String = findings.iter().map(|f| format!("{f}\n")).collect();
        let golden = dir.join("lint.txt");
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&golden, &text).unwrap();
        }
        let expected = std::fs::read_to_string(&golden).unwrap_or_default();
        if text != expected {
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- got\n{text}",
                dir.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn default_rules_of_every_fixture_evaluate_without_errors() {
    for dir in fixtures() {
        let loaded = load(&dir);
        let sources = detect_job(&loaded.catalog, &loaded.name);
        let rules = signalboard_golden::default_rules(&sources, &Default::default());
        let mut evaluator = signalboard_golden::RuleEvaluator::new(rules);
        let errors = evaluator.evaluate(&loaded.store, T2);
        assert!(errors.is_empty(), "{}: {errors:?}", loaded.name);
        assert!(!evaluator.rules().is_empty(), "{}: no rules", loaded.name);
    }
}

/// One grid line: its `y` and each panel's `(x, w, h)`.
type GridLine = (u64, Vec<(u64, u64, u64)>);

/// Every line of the generated grid is full: panels side by side share one height, cover the
/// 24 columns without overlap or hole, and the next line starts below the tallest.
fn assert_lines_fill_the_grid(name: &str, dash: &serde_json::Value) {
    let mut lines: Vec<GridLine> = Vec::new();
    for p in dash["panels"].as_array().unwrap() {
        let g = &p["gridPos"];
        let (x, y, w, h) = (
            g["x"].as_u64().unwrap(),
            g["y"].as_u64().unwrap(),
            g["w"].as_u64().unwrap(),
            g["h"].as_u64().unwrap(),
        );
        match lines.last_mut() {
            Some((ly, cells)) if *ly == y => cells.push((x, w, h)),
            _ => lines.push((y, vec![(x, w, h)])),
        }
    }
    for (i, (y, cells)) in lines.iter().enumerate() {
        let mut x = 0;
        for &(cx, w, h) in cells {
            assert_eq!(cx, x, "{name}: line y={y} has a hole or overlap: {cells:?}");
            assert_eq!(h, cells[0].2, "{name}: line y={y} mixes heights: {cells:?}");
            x += w;
        }
        assert_eq!(
            x, 24,
            "{name}: line y={y} does not fill 24 columns: {cells:?}"
        );
        if let Some((next_y, _)) = lines.get(i + 1) {
            assert_eq!(*next_y, y + cells[0].2, "{name}: gap after line y={y}");
        }
    }
}

#[test]
fn generated_lines_fill_the_grid() {
    let mut both = Catalog::new();
    for dir in fixtures() {
        let loaded = load(&dir);
        let sources = detect_job(&loaded.catalog, &loaded.name);
        let options = DashboardOptions {
            alert_list: true,
            ..DashboardOptions::default()
        };
        assert_lines_fill_the_grid(&loaded.name, &golden_dashboard(&[sources], &options));
        let text = std::fs::read_to_string(dir.join("scrape2.prom")).unwrap();
        both.add_exposition(&loaded.name, &parse(&text));
    }
    let all = signalboard_golden::detect(&both);
    assert!(all.len() >= 2, "{} jobs", all.len());
    assert_lines_fill_the_grid(
        "all jobs",
        &golden_dashboard(&all, &DashboardOptions::default()),
    );
}
