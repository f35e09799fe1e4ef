//! Variable and macro interpolation as Grafana's Prometheus datasource does it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use signalboard_dashboard::*;

fn macros() -> MacroValues {
    // 6 h range, 20 s interval, 15 s scrapes → rate interval 60 s.
    MacroValues::new(1_000_000, 1_000_000 + 6 * 3_600_000, 20_000, 15_000)
}

fn vars() -> VariableValues {
    let mut v = VariableValues::new();
    v.set("job", VariableValue::single("node"));
    v.set(
        "inst",
        VariableValue::multi(&["a.example:9100", "b.example:9100"]),
    );
    v.set("one", VariableValue::multi(&["x.y"]));
    v.set("q", VariableValue::single("it's"));
    v
}

fn run(text: &str) -> String {
    interpolate(text, &vars(), &macros())
}

#[test]
fn simple_forms() {
    assert_eq!(run(r#"up{job="$job"}"#), r#"up{job="node"}"#);
    assert_eq!(run(r#"up{job="${job}"}"#), r#"up{job="node"}"#);
    assert_eq!(run(r#"up{job="[[job]]"}"#), r#"up{job="node"}"#);
    assert_eq!(run("${job}_total"), "node_total");
    // `$job_total` names another (unknown) variable and is left alone, like Grafana.
    assert_eq!(run("$job_total"), "$job_total");
}

#[test]
fn single_value_escapes_quotes_only() {
    assert_eq!(run("$q"), r"it\\'s");
}

#[test]
fn multi_value_becomes_escaped_alternation() {
    assert_eq!(
        run(r#"up{instance=~"$inst"}"#),
        r#"up{instance=~"(a\\.example:9100|b\\.example:9100)"}"#
    );
    // one selected value of a multi variable: escaped, no parentheses
    assert_eq!(run("$one"), r"x\\.y");
}

#[test]
fn explicit_formats() {
    assert_eq!(run("${inst:regex}"), r"(a\.example:9100|b\.example:9100)");
    assert_eq!(run("${inst:pipe}"), "a.example:9100|b.example:9100");
    assert_eq!(run("${inst:csv}"), "a.example:9100,b.example:9100");
    assert_eq!(run("${inst:raw}"), "a.example:9100,b.example:9100");
    assert_eq!(run("${inst:glob}"), "{a.example:9100,b.example:9100}");
    assert_eq!(
        run("${inst:json}"),
        r#"["a.example:9100","b.example:9100"]"#
    );
    assert_eq!(
        run("${inst:doublequote}"),
        r#""a.example:9100","b.example:9100""#
    );
    assert_eq!(run("${job:singlequote}"), "'node'");
    assert_eq!(run("[[one:regex]]"), r"x\.y");
}

#[test]
fn all_with_custom_all_value_and_with_options() {
    let mut v = VariableValues::new();
    v.set(
        "ns",
        VariableValue {
            is_all: true,
            include_all: true,
            all_value: Some(".*".into()),
            ..VariableValue::default()
        },
    );
    v.set(
        "pods",
        VariableValue {
            is_all: true,
            include_all: true,
            all_options: vec!["p-1".into(), "p.2".into()],
            ..VariableValue::default()
        },
    );
    v.set("cluster", VariableValue::single("pg"));
    v.set(
        "inst",
        VariableValue {
            is_all: true,
            include_all: true,
            all_value: Some("$cluster-([1-9][0-9]*)".into()),
            ..VariableValue::default()
        },
    );
    v.set(
        "none",
        VariableValue {
            is_all: true,
            include_all: true,
            ..VariableValue::default()
        },
    );
    let m = macros();
    assert_eq!(
        interpolate(r#"{namespace=~"$ns"}"#, &v, &m),
        r#"{namespace=~".*"}"#
    );
    assert_eq!(
        interpolate(r#"{pod=~"$pods"}"#, &v, &m),
        r#"{pod=~"(p-1|p\\.2)"}"#
    );
    // a custom all value is used verbatim and may itself contain variables
    assert_eq!(
        interpolate(r#"{pod=~"$inst"}"#, &v, &m),
        r#"{pod=~"pg-([1-9][0-9]*)"}"#
    );
    assert_eq!(interpolate("$none", &v, &m), ".*");
    assert_eq!(interpolate("${ns:text}", &v, &m), "All");
}

#[test]
fn macros_are_replaced() {
    assert_eq!(run("rate(x[$__rate_interval])"), "rate(x[1m])");
    assert_eq!(run("rate(x[$__interval])"), "rate(x[20s])");
    assert_eq!(run("$__interval_ms"), "20000");
    assert_eq!(run("increase(x[$__range])"), "increase(x[21600s])");
    assert_eq!(run("$__range_s $__range_ms"), "21600 21600000");
    assert_eq!(run("${__rate_interval}"), "1m");
    assert_eq!(run("$__from $__to"), "1000000 22600000");
    assert_eq!(run("$__auto_interval_interval"), "20s");
    assert_eq!(run("$__unknown"), "$__unknown");
    let mut v = VariableValues::new();
    v.set("iv", VariableValue::single("$__auto_interval_iv"));
    v.set("literal", VariableValue::single("cost$job"));
    assert_eq!(
        interpolate("[$iv] $literal", &v, &macros()),
        "[20s] cost$job"
    );
}

#[test]
fn rate_interval_uses_the_scrape_interval() {
    let m = MacroValues::new(0, 3_600_000, 120_000, 15_000);
    assert_eq!(
        interpolate("$__rate_interval", &VariableValues::new(), &m),
        "135s"
    );
    let m = MacroValues::new(0, 3_600_000, 1_000, 5_000);
    assert_eq!(
        interpolate("$__rate_interval", &VariableValues::new(), &m),
        "20s"
    );
}

#[test]
fn two_variables_joined_and_literal_dollars() {
    let mut v = vars();
    v.set("port", VariableValue::single("9100"));
    assert_eq!(
        interpolate(r#"{instance=~"$job:$port"}"#, &v, &macros()),
        r#"{instance=~"node:9100"}"#
    );
    assert_eq!(
        run("cost in $ and [x] and ${ and [[ ]]"),
        "cost in $ and [x] and ${ and [[ ]]"
    );
    assert_eq!(run("ünïcode $job ✓"), "ünïcode node ✓");
}

#[test]
fn values_from_saved_dashboard() {
    let text = r#"{"title": "t", "templating": {"list": [
        {"name": "job", "type": "query", "query": "label_values(up, job)", "current": {"text": "all", "value": "$__all"},
         "includeAll": true, "allValue": ".+"},
        {"name": "iv", "type": "interval", "query": "5m,10m", "current": {}},
        {"name": "fn", "type": "query", "query": "label_values(f)", "multi": true, "current": {}}]}}"#;
    let d = import_grafana(text).unwrap().dashboard;
    let v = VariableValues::from_saved(&d.variables, "ph");
    let m = MacroValues::plausible();
    assert_eq!(
        interpolate(r#"up{job=~"$job"}[$iv]"#, &v, &m),
        r#"up{job=~".+"}[5m]"#
    );
    assert_eq!(interpolate("$fn", &v, &m), "ph");
}

#[test]
fn crate_root_exports_the_variable_helpers() {
    // The app uses these through `signalboard_core::dashboard::*`.
    assert_eq!(auto_interval_ms(3_600_000, 300, "10s"), 10_000);
    assert!(references_variable("$job", "job"));
    assert!(dependents(&[], "job").is_empty());
    assert_eq!(prometheus_step_ms(1_000, 0, 3_600_000, 1), 1_000);
}
