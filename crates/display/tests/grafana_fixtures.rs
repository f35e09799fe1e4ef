//! Conformance against the real Grafana dashboards in `../shared/fixtures/grafana/`:
//! every unit, colour, reducer id, threshold set, value mapping and legend template they
//! use must be understood by this crate. The fixtures must be present; a missing
//! directory fails the test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use serde_json::Value;
use signalboard_display::colors::{parse_color_in, Theme};
use signalboard_display::legend_format::expand_legend;
use signalboard_display::mappings::{
    apply_mappings, MappingResult, MappingValue, SpecialMatch, ValueMapping,
};
use signalboard_display::reducers::{legacy_value_name_to_calc, reduce, reducer_id};
use signalboard_display::thresholds::{active_step, Thresholds, ThresholdsMode};
use signalboard_display::units::{format_value, is_known_unit};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/fixtures/grafana"
);

/// Units Grafana itself formats as "number + unit text" (not in its catalogue).
const PLAIN_SUFFIX_UNITS: [&str; 1] = ["eps"];

fn dashboards() -> Vec<(String, Value)> {
    let dir = std::fs::read_dir(FIXTURES)
        .unwrap_or_else(|e| panic!("fixtures missing at {FIXTURES}: {e}"));
    let mut out: Vec<(String, Value)> = dir
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                serde_json::from_str(&text).unwrap(),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(
        out.len() >= 9,
        "expected the 9 fixture dashboards, found {}",
        out.len()
    );
    out
}

/// Calls `f` on every JSON object in `v` together with the key it sits under.
fn walk<'a>(v: &'a Value, key: &str, f: &mut impl FnMut(&str, &'a Value)) {
    f(key, v);
    match v {
        Value::Object(map) => map.iter().for_each(|(k, child)| walk(child, k, f)),
        Value::Array(items) => items.iter().for_each(|child| walk(child, key, f)),
        _ => {}
    }
}

#[test]
fn every_fixture_unit_is_formatted() {
    let mut seen = 0;
    for (name, d) in dashboards() {
        walk(&d, "", &mut |key, v| {
            let Value::Object(map) = v else { return };
            let unit = match (key, map.get("unit"), map.get("format")) {
                (_, Some(Value::String(u)), _) => u.clone(),
                // Legacy graph y-axes and singlestat panels.
                ("yaxes", _, Some(Value::String(f))) => f.clone(),
                (_, _, Some(Value::String(f)))
                    if map.get("type") == Some(&Value::String("singlestat".into())) =>
                {
                    f.clone()
                }
                _ => return,
            };
            seen += 1;
            let ok = is_known_unit(&unit) || PLAIN_SUFFIX_UNITS.contains(&unit.as_str());
            assert!(ok, "{name}: unit `{unit}` is not formatted");
            let text = format_value(1234.5, &unit, None).to_string();
            assert!(
                !text.is_empty() && !text.contains("NaN"),
                "{name}: `{unit}` gave `{text}`"
            );
        });
    }
    assert!(seen > 200, "only {seen} units found");
}

#[test]
fn every_fixture_colour_resolves() {
    let mut seen = 0;
    for (name, d) in dashboards() {
        walk(&d, "", &mut |key, v| {
            let Value::String(c) = v else { return };
            if key == "color" || key == "fixedColor" {
                seen += 1;
                assert!(
                    parse_color_in(c, Theme::Dark).is_some(),
                    "{name}: colour `{c}` does not resolve"
                );
            }
        });
    }
    assert!(seen > 500, "only {seen} colours found");
}

#[test]
fn every_fixture_reducer_is_known() {
    let mut seen = 0;
    let series = [Some(1.0), None, Some(3.0)];
    for (name, d) in dashboards() {
        walk(&d, "", &mut |key, v| match (key, v) {
            ("calcs", Value::Array(ids)) => {
                for id in ids.iter().filter_map(Value::as_str) {
                    seen += 1;
                    assert!(reducer_id(id).is_some(), "{name}: reducer `{id}`");
                    assert!(
                        reduce(&series, id).unwrap().is_some(),
                        "{name}: `{id}` gave null"
                    );
                }
            }
            ("valueName", Value::String(v)) => {
                seen += 1;
                assert!(
                    legacy_value_name_to_calc(v).is_some(),
                    "{name}: valueName `{v}`"
                );
            }
            _ => {}
        });
    }
    assert!(seen > 300, "only {seen} reducer ids found");
}

fn thresholds_from_json(t: &Value) -> Thresholds {
    let mode = match t.get("mode").and_then(Value::as_str) {
        Some("percentage") => ThresholdsMode::Percentage,
        _ => ThresholdsMode::Absolute,
    };
    let steps: Vec<(Option<f64>, String)> = t["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s.get("value").and_then(Value::as_f64),
                s["color"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let borrowed: Vec<(Option<f64>, &str)> = steps.iter().map(|(v, c)| (*v, c.as_str())).collect();
    Thresholds::from_json_steps(mode, &borrowed)
}

#[test]
fn every_fixture_threshold_set_selects_steps_in_order() {
    let mut seen = 0;
    for (name, d) in dashboards() {
        walk(&d, "", &mut |key, v| {
            if key != "thresholds" || !v.get("steps").is_some_and(Value::is_array) {
                return;
            }
            seen += 1;
            let t = thresholds_from_json(v);
            assert_eq!(
                active_step(f64::NEG_INFINITY, &t, 0.0, 100.0).unwrap().0,
                0,
                "{name}"
            );
            // Just at each step's value, that step (or a later one with the same value) is active.
            for (i, step) in t.steps.iter().enumerate().skip(1) {
                let probe = match t.mode {
                    ThresholdsMode::Absolute => step.value,
                    ThresholdsMode::Percentage => step.value / 100.0,
                };
                let (active, _) = active_step(probe, &t, 0.0, 1.0).unwrap();
                assert!(
                    active >= i,
                    "{name}: step {i} ({}) not active at its value",
                    step.value
                );
            }
        });
    }
    assert!(seen > 200, "only {seen} threshold sets found");
}

fn mapping_from_json(m: &Value) -> Vec<ValueMapping> {
    let options = &m["options"];
    let result = |r: &Value| MappingResult {
        text: r.get("text").and_then(Value::as_str).map(str::to_string),
        color: r.get("color").and_then(Value::as_str).map(str::to_string),
        index: r.get("index").and_then(Value::as_i64),
    };
    match m["type"].as_str().unwrap() {
        "value" => vec![ValueMapping::Value(
            options
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, r)| (k.clone(), result(r)))
                .collect(),
        )],
        "range" => vec![ValueMapping::Range {
            from: options.get("from").and_then(Value::as_f64),
            to: options.get("to").and_then(Value::as_f64),
            result: result(&options["result"]),
        }],
        "special" => vec![ValueMapping::Special {
            matches: SpecialMatch::parse(options["match"].as_str().unwrap()).unwrap(),
            result: result(&options["result"]),
        }],
        "regex" => vec![ValueMapping::Regex {
            pattern: options["pattern"].as_str().unwrap().to_string(),
            result: result(&options["result"]),
        }],
        other => panic!("unknown mapping type {other}"),
    }
}

#[test]
fn every_fixture_mapping_applies() {
    let mut seen = 0;
    for (name, d) in dashboards() {
        walk(&d, "", &mut |key, v| {
            let (true, Value::Array(list)) = (key == "mappings", v) else {
                return;
            };
            for m in list
                .iter()
                .filter(|m| m.get("type").is_some_and(Value::is_string))
            {
                seen += 1;
                let mappings = mapping_from_json(m);
                let probe = match m["type"].as_str().unwrap() {
                    "value" => {
                        let key = m["options"]
                            .as_object()
                            .unwrap()
                            .keys()
                            .next()
                            .unwrap()
                            .clone();
                        let n: f64 = key.parse().unwrap_or(f64::NAN);
                        if n.is_nan() {
                            MappingValue::Text(Box::leak(key.into_boxed_str()))
                        } else {
                            MappingValue::Number(n)
                        }
                    }
                    "range" => {
                        let from = m["options"]["from"].as_f64();
                        let to = m["options"]["to"].as_f64();
                        MappingValue::Number(match (from, to) {
                            (Some(f), Some(t)) => f + (t - f) / 2.0,
                            (Some(f), None) => f,
                            (None, Some(t)) => t,
                            (None, None) => 0.0,
                        })
                    }
                    _ => match m["options"]["match"].as_str().unwrap() {
                        "null" | "null+nan" => MappingValue::Null,
                        "nan" => MappingValue::Number(f64::NAN),
                        "true" => MappingValue::Bool(true),
                        "false" => MappingValue::Bool(false),
                        _ => MappingValue::Text(""),
                    },
                };
                assert!(
                    apply_mappings(&mappings, probe).is_some(),
                    "{name}: mapping {m} does not match {probe:?}"
                );
            }
        });
    }
    assert!(seen > 50, "only {seen} mappings found");
}

#[test]
fn every_fixture_legend_template_expands() {
    let mut seen = 0;
    for (name, d) in dashboards() {
        walk(&d, "", &mut |key, v| {
            let (true, Value::String(template)) = (key == "legendFormat", v) else {
                return;
            };
            seen += 1;
            // Give every placeholder a value: the expansion must leave no braces behind.
            let names: Vec<String> = template
                .split("{{")
                .skip(1)
                .filter_map(|part| part.split_once("}}").map(|(n, _)| n.trim().to_string()))
                .collect();
            let labels: Vec<(String, String)> = names
                .iter()
                .map(|n| (n.clone(), format!("<{n}>")))
                .collect();
            let expanded = expand_legend(
                template,
                labels.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            );
            assert!(
                !expanded.contains("{{"),
                "{name}: `{template}` → `{expanded}`"
            );
            for n in &names {
                assert!(
                    expanded.contains(&format!("<{n}>")),
                    "{name}: `{template}` lost `{n}`"
                );
            }
        });
    }
    assert!(seen > 800, "only {seen} legend formats found");
}

#[test]
fn every_fixture_regexp_override_compiles_and_matches_like_js() {
    use signalboard_display::minire::{grafana_pattern_matches, Regex};
    let mut seen = 0;
    for (name, d) in dashboards() {
        walk(&d, "", &mut |key, v| {
            if key != "matcher" || v.get("id").and_then(Value::as_str) != Some("byRegexp") {
                return;
            }
            let pattern = v["options"].as_str().unwrap();
            seen += 1;
            assert!(
                Regex::from_grafana(pattern).is_ok(),
                "{name}: `{pattern}` does not compile"
            );
        });
    }
    assert!(seen >= 40, "only {seen} byRegexp overrides found");
    // Node exporter's patterns against series names like the ones they target.
    assert!(grafana_pattern_matches("/.*out.*/", "eth0 out"));
    assert!(grafana_pattern_matches("/sda.*/", "nvme0n1 sda1"));
    assert!(grafana_pattern_matches(
        "/.*Hardware Corrupted - *./",
        "Hardware Corrupted - Amount of RAM"
    ));
    assert!(!grafana_pattern_matches("/.*Write.*/", "Reads completed"));
}
