//! One focused test per import tolerance rule (each fails if the rule is broken).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use serde_json::{json, Value};
use signalboard_dashboard::*;

fn import(v: Value) -> Imported {
    import_grafana(&v.to_string()).unwrap()
}

/// Imports one panel and returns it.
fn one_panel(panel: Value) -> Panel {
    import(json!({"title": "t", "panels": [panel]}))
        .dashboard
        .panels
        .into_iter()
        .next()
        .unwrap()
}

fn steps(p: &Panel) -> Vec<(Option<f64>, String)> {
    p.field_config
        .defaults
        .thresholds
        .as_ref()
        .unwrap()
        .steps
        .iter()
        .map(|s| (s.value, s.color.clone()))
        .collect()
}

#[test]
fn threshold_base_step_null_missing_or_numeric_and_sorted() {
    let p = one_panel(
        json!({"type": "stat", "gridPos": {"x":0,"y":0,"w":4,"h":4}, "fieldConfig": {"defaults": {
        "thresholds": {"mode": "absolute", "steps": [
            {"color": "green"}, {"color": "red", "value": "90"}, {"color": "orange", "value": 70}]}}}}),
    );
    assert_eq!(
        steps(&p),
        vec![
            (None, "green".into()),
            (Some(70.0), "orange".into()),
            (Some(90.0), "red".into())
        ]
    );
    let p = one_panel(json!({"type": "stat", "fieldConfig": {"defaults": {
        "thresholds": {"mode": "percentage", "steps": [{"color": "blue", "value": null}, {"color": "red", "value": 80}]}}}}));
    assert_eq!(
        steps(&p),
        vec![(None, "blue".into()), (Some(80.0), "red".into())]
    );
    assert_eq!(
        p.field_config.defaults.thresholds.unwrap().mode,
        ThresholdsMode::Percentage
    );
    // A numeric first step is still the base (Grafana treats it as −∞).
    let p = one_panel(json!({"type": "gauge", "fieldConfig": {"defaults": {
        "thresholds": {"steps": [{"color": "green", "value": 5}, {"color": "red", "value": 80}]}}}}));
    assert_eq!(steps(&p)[0], (None, "green".into()));
}

#[test]
fn legacy_singlestat_threshold_string_and_colors() {
    let p = one_panel(
        json!({"type": "singlestat", "span": 2, "thresholds": "85, 95",
        "colors": ["#0a0", "#fa0", "#f00"], "format": "percent", "valueName": "avg", "colorBackground": true,
        "sparkline": {"show": true}, "targets": [{"expr": "up"}]}),
    );
    assert_eq!(p.kind, PanelKind::Stat);
    assert_eq!(
        steps(&p),
        vec![
            (None, "#0a0".into()),
            (Some(85.0), "#fa0".into()),
            (Some(95.0), "#f00".into())
        ]
    );
    assert_eq!(p.field_config.defaults.unit.as_deref(), Some("percent"));
    let PanelOptions::Stat(o) = &p.options else {
        panic!("stat options expected")
    };
    assert_eq!(o.reduce.calcs, vec!["mean".to_string()]);
    assert_eq!(o.color_mode, StatColorMode::Background);
    assert_eq!(o.graph_mode, GraphMode::Area);
}

#[test]
fn legacy_singlestat_gauge_and_value_range_maps() {
    let p = one_panel(
        json!({"type": "singlestat", "gauge": {"show": true, "minValue": "0", "maxValue": 100,
        "thresholdMarkers": true}, "thresholds": "50", "valueName": "current",
        "valueMaps": [{"op": "=", "value": "null", "text": "N/A"}, {"op": "=", "value": "1", "text": "UP"}],
        "rangeMaps": [{"from": "0", "to": "10", "text": "low"}]}),
    );
    assert_eq!(p.kind, PanelKind::Gauge);
    let d = &p.field_config.defaults;
    assert_eq!((d.min, d.max), (Some(0.0), Some(100.0)));
    let PanelOptions::Gauge(o) = &p.options else {
        panic!("gauge options expected")
    };
    assert_eq!(o.reduce.calcs, vec!["lastNotNull".to_string()]);
    assert!(o.show_threshold_markers);
    assert_eq!(d.mappings.len(), 3);
    assert!(
        matches!(&d.mappings[0], ValueMapping::Special { matches: SpecialMatch::Null, result } if result.text.as_deref() == Some("N/A"))
    );
    assert!(matches!(&d.mappings[1], ValueMapping::Value { entries } if entries[0].0 == "1"));
    assert!(
        matches!(&d.mappings[2], ValueMapping::Range { from: Some(f), to: Some(t), .. } if *f == 0.0 && *t == 10.0)
    );
}

#[test]
fn string_min_max_decimals() {
    let p = one_panel(
        json!({"type": "gauge", "fieldConfig": {"defaults": {"min": "0", "max": " 100 ", "decimals": "2"}}}),
    );
    let d = &p.field_config.defaults;
    assert_eq!(
        (d.min, d.max, d.decimals),
        (Some(0.0), Some(100.0), Some(2))
    );
    let p = one_panel(
        json!({"type": "graph", "yaxes": [{"format": "bytes", "min": "0", "max": null}, {"format": "short"}]}),
    );
    let d = &p.field_config.defaults;
    assert_eq!(
        (d.unit.as_deref(), d.min, d.max),
        (Some("bytes"), Some(0.0), None)
    );
}

#[test]
fn targets_without_ref_id_get_free_letters() {
    let p = one_panel(
        json!({"type": "timeseries", "targets": [{"expr": "a"}, {"expr": "b", "refId": "A"}, {"expr": "c"}]}),
    );
    let ids: Vec<_> = p.targets.iter().map(|t| t.ref_id.as_str()).collect();
    assert_eq!(ids, vec!["A", "A", "B"]);
    let p = one_panel(
        json!({"type": "timeseries", "targets": [{"expr": "a", "refId": "A"}, {"expr": "b"}]}),
    );
    assert_eq!(p.targets[1].ref_id, "B");
}

#[test]
fn target_defaults_and_flags() {
    let p = one_panel(json!({"type": "table", "targets": [
        {"expr": "x", "instant": true, "format": "table", "interval": "1m", "intervalFactor": 2, "hide": true},
        {"expr": "y"}]}));
    let (a, b) = (&p.targets[0], &p.targets[1]);
    assert!(a.instant && !a.range && a.hide);
    assert_eq!(
        (a.format.clone(), a.interval.as_str(), a.interval_factor),
        (QueryFormat::Table, "1m", 2)
    );
    assert!(!b.instant && b.range);
    assert_eq!(b.format, QueryFormat::TimeSeries);
}

#[test]
fn panel_without_grid_pos_gets_default_or_goes_below() {
    let imported = import(json!({"panels": [
        {"id": 1, "type": "stat"},
        {"id": 2, "type": "stat", "gridPos": {"x": 6, "y": 0, "w": 6, "h": 3}}]}));
    let p = imported
        .dashboard
        .panels
        .iter()
        .find(|p| p.id == 1)
        .unwrap();
    assert_eq!(
        p.grid,
        GridPos {
            x: 0,
            y: 0,
            w: 6,
            h: 3
        }
    );
    assert!(imported
        .report
        .warnings
        .iter()
        .any(|w| w == "panel 1: no gridPos, placed at x=0 y=0 w=6 h=3"));
    let imported = import(json!({"panels": [
        {"id": 1, "type": "stat"},
        {"id": 2, "type": "stat", "gridPos": {"x": 0, "y": 0, "w": 24, "h": 5}}]}));
    let p = imported
        .dashboard
        .panels
        .iter()
        .find(|p| p.id == 1)
        .unwrap();
    assert_eq!(
        p.grid,
        GridPos {
            x: 0,
            y: 5,
            w: 6,
            h: 3
        }
    );
}

#[test]
fn grid_values_are_clamped_to_the_24_columns() {
    let p = one_panel(json!({"type": "stat", "gridPos": {"x": 20, "y": "2", "w": 30, "h": 0}}));
    assert_eq!(
        p.grid,
        GridPos {
            x: 0,
            y: 2,
            w: 24,
            h: 1
        }
    );
}

#[test]
fn datasource_forms_normalise() {
    let d = import(json!({
    "__inputs": [{"name": "DS_LOCAL", "type": "datasource", "pluginId": "prometheus"}],
    "__requires": [{"type": "grafana", "id": "grafana", "version": "4.2.0"}],
    "templating": {"list": [{"name": "ds", "type": "datasource", "query": "prometheus"}]},
    "panels": [
        {"id": 1, "type": "stat", "datasource": "${DS_LOCAL}"},
        {"id": 2, "type": "stat", "datasource": "$ds"},
        {"id": 3, "type": "stat", "datasource": {"type": "prometheus", "uid": "${ds}"}},
        {"id": 4, "type": "stat", "datasource": "Prometheus"},
        {"id": 5, "type": "stat", "datasource": {"type": "prometheus", "uid": "abc123"}},
        {"id": 6, "type": "stat", "datasource": null},
        {"id": 7, "type": "stat", "datasource": "-- Grafana --"},
        {"id": 8, "type": "stat", "datasource": "${DS_OTHER}"},
        {"id": 9, "type": "stat", "datasource": "default"}
    ]}))
    .dashboard;
    let ds = |id: u64| {
        d.panels
            .iter()
            .find(|p| p.id == id)
            .unwrap()
            .datasource
            .clone()
    };
    assert_eq!(
        ds(1),
        DatasourceRef::Input {
            name: "DS_LOCAL".into(),
            plugin: Some("prometheus".into())
        }
    );
    assert_eq!(
        ds(2),
        DatasourceRef::Variable {
            name: "ds".into(),
            plugin: None
        }
    );
    assert_eq!(
        ds(3),
        DatasourceRef::Variable {
            name: "ds".into(),
            plugin: Some("prometheus".into())
        }
    );
    assert_eq!(
        ds(4),
        DatasourceRef::Named {
            uid: "Prometheus".into(),
            plugin: None
        }
    );
    assert_eq!(ds(4).lookup_key(), Some("Prometheus"));
    assert_eq!(
        ds(5),
        DatasourceRef::Named {
            uid: "abc123".into(),
            plugin: Some("prometheus".into())
        }
    );
    assert_eq!(ds(6), DatasourceRef::Default);
    assert_eq!(
        ds(7),
        DatasourceRef::Builtin {
            name: "-- Grafana --".into()
        }
    );
    assert!(!ds(7).is_prometheus_compatible());
    assert_eq!(
        ds(8),
        DatasourceRef::Input {
            name: "DS_OTHER".into(),
            plugin: None
        }
    );
    assert_eq!(ds(9), DatasourceRef::Default);
}

#[test]
fn wrappers_are_unwrapped() {
    let classic = json!({"title": "inner", "panels": [{"id": 1, "type": "stat"}]});
    let api = import(json!({"meta": {"slug": "x"}, "dashboard": classic.clone()}));
    assert_eq!(api.dashboard.title, "inner");
    assert_eq!(api.report.source_format, "classic (.dashboard wrapper)");
    let v1 = import(
        json!({"apiVersion": "dashboard.grafana.app/v1beta1", "kind": "Dashboard", "metadata": {}, "spec": classic}),
    );
    assert_eq!(v1.dashboard.title, "inner");
    assert_eq!(v1.report.source_format, "classic (v1 resource .spec)");
}

#[test]
fn v2_resource_is_rejected_clearly() {
    for v in [
        json!({"kind": "Dashboard", "spec": {"title": "x", "elements": {}, "layout": {"kind": "GridLayout"}}}),
        json!({"elements": {}, "layout": {}}),
    ] {
        let err = import_grafana(&v.to_string()).unwrap_err();
        assert_eq!(err, ImportError::V2NotSupported);
        assert!(err.to_string().contains("not supported yet"));
    }
}

#[test]
fn json_errors_name_line_and_column() {
    let err = import_grafana("{\n  \"title\": \"x\",\n  \"panels\": [,]\n}").unwrap_err();
    assert_eq!(
        err.to_string(),
        "JSON error at line 3 col 14: expected value"
    );
    let err = import_grafana("{\"title\": ").unwrap_err();
    assert!(matches!(err, ImportError::Json { line: 1, .. }), "{err:?}");
}

#[test]
fn non_dashboards_are_rejected() {
    assert!(matches!(
        import_grafana("[1, 2]"),
        Err(ImportError::NotADashboard(_))
    ));
    assert!(matches!(
        import_grafana("{\"foo\": 1}"),
        Err(ImportError::NotADashboard(_))
    ));
    assert!(matches!(
        import_grafana("42"),
        Err(ImportError::NotADashboard(_))
    ));
}

#[test]
fn unknown_types_become_named_placeholders() {
    let imported = import(json!({"panels": [
        {"id": 12, "type": "foo", "gridPos": {"x": 0, "y": 0, "w": 6, "h": 3}, "options": {"a": 1}},
        {"id": 13, "gridPos": {"x": 6, "y": 0, "w": 6, "h": 3}}]}));
    let p = &imported.dashboard.panels[0];
    assert_eq!(
        p.kind,
        PanelKind::Unsupported {
            grafana_type: "foo".into()
        }
    );
    assert_eq!(p.options, PanelOptions::Raw(json!({"a": 1})));
    assert!(imported
        .report
        .warnings
        .contains(&"panel 12: unknown type \"foo\" shown as placeholder".to_string()));
    assert_eq!(
        imported.report.panel_types["foo"],
        TypeCount {
            rendered: 0,
            unsupported: 1
        }
    );
    assert!(matches!(
        imported.dashboard.panels[1].kind,
        PanelKind::Unsupported { .. }
    ));
}

#[test]
fn rows_collapsed_nest_expanded_lift_and_are_normalised() {
    let d = import(json!({"panels": [
        {"id": 1, "type": "row", "collapsed": true, "gridPos": {"x": 0, "y": 0, "w": 24, "h": 1}, "panels": [
            {"id": 2, "type": "stat", "gridPos": {"x": 0, "y": 1, "w": 6, "h": 3}}],
         "targets": [{"expr": "stray"}]},
        {"id": 3, "type": "row", "collapsed": false, "gridPos": {"x": 3, "y": 1, "w": 12, "h": 9}, "panels": [
            {"id": 4, "type": "stat", "gridPos": {"x": 0, "y": 2, "w": 6, "h": 3}}]}]}));
    let r = &d.report;
    let ids: Vec<u64> = d.dashboard.panels.iter().map(|p| p.id).collect();
    assert_eq!(ids, vec![1, 3, 4]);
    assert_eq!(d.dashboard.panels[0].panels.len(), 1);
    assert_eq!(
        d.dashboard.panels[1].grid,
        GridPos {
            x: 0,
            y: 1,
            w: 24,
            h: 1
        }
    );
    assert!(
        d.dashboard.panels[0].targets.is_empty(),
        "stray row targets ignored"
    );
    assert_eq!((r.rows, r.panels_rendered(), r.queries.len()), (2, 2, 0));
}

#[test]
fn missing_ids_allocated_after_the_largest() {
    let d = import(
        json!({"panels": [{"type": "stat"}, {"id": 40, "type": "row", "collapsed": true,
        "panels": [{"id": 41, "type": "stat"}]}, {"type": "text"}]}),
    )
    .dashboard;
    let mut ids: Vec<u64> = d.all_panels().iter().map(|p| p.id).collect();
    ids.sort_unstable();
    assert_eq!(ids, vec![40, 41, 42, 43]);
}

#[test]
fn legacy_graph_migrates_style_legend_tooltip_and_overrides() {
    let p = one_panel(
        json!({"type": "graph", "id": 5, "fill": 3, "linewidth": 2, "stack": true, "percentage": true,
        "nullPointMode": "connected", "steppedLine": true,
        "legend": {"show": true, "alignAsTable": true, "rightSide": true, "values": true, "avg": true, "max": true, "current": false},
        "tooltip": {"shared": true, "sort": 2},
        "aliasColors": {"errors": "#C4162A"},
        "seriesOverrides": [{"alias": "/read.*/", "transform": "negative-Y", "fill": 0}, {"alias": "total", "yaxis": 2, "stack": false}],
        "yaxes": [{"format": "bytes", "logBase": 2}, {"format": "percent"}],
        "xaxis": {"mode": "time"}}),
    );
    assert_eq!(p.kind, PanelKind::TimeSeries);
    let c = &p.field_config.defaults.custom;
    assert_eq!(c.fill_opacity, Some(30.0));
    assert_eq!(c.line_width, Some(2.0));
    assert_eq!(c.stacking, Some(StackingMode::Percent));
    assert_eq!(c.span_nulls, Some(true));
    assert_eq!(c.line_interpolation.as_deref(), Some("stepAfter"));
    assert_eq!(c.log_base, Some(2.0));
    let PanelOptions::TimeSeries(o) = &p.options else {
        panic!("timeseries options expected")
    };
    assert_eq!(o.legend.display_mode, LegendDisplayMode::Table);
    assert_eq!(o.legend.placement, LegendPlacement::Right);
    assert_eq!(o.legend.calcs, vec!["max".to_string(), "mean".to_string()]);
    assert_eq!(
        (o.tooltip.mode.clone(), o.tooltip.sort.as_str()),
        (TooltipMode::Multi, "desc")
    );
    let o = &p.field_config.overrides;
    assert_eq!(o.len(), 3);
    assert_eq!(o[0].matcher, FieldMatcher::ByName("errors".into()));
    assert_eq!(
        o[0].properties[0].value,
        json!({"mode": "fixed", "fixedColor": "#C4162A"})
    );
    assert_eq!(o[1].matcher, FieldMatcher::ByRegexp("read.*".into()));
    let ids: Vec<&str> = o[1].properties.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, vec!["custom.transform", "custom.fillOpacity"]);
    let ids: Vec<&str> = o[2].properties.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, vec!["custom.axisPlacement", "unit", "custom.stacking"]);
}

#[test]
fn legacy_graph_non_time_axis_warns() {
    let imported =
        import(json!({"panels": [{"id": 9, "type": "graph", "xaxis": {"mode": "series"}}]}));
    assert!(imported
        .report
        .warnings
        .iter()
        .any(|w| w.starts_with("panel 9: graph with x-axis mode \"series\"")));
}

#[test]
fn value_mappings_current_and_flat_forms() {
    let p = one_panel(
        json!({"type": "stat", "fieldConfig": {"defaults": {"mappings": [
        {"type": "value", "options": {"1": {"text": "UP", "color": "green", "index": 1}, "0": {"text": "DOWN", "index": 0}}},
        {"type": "range", "options": {"from": "0", "to": null, "result": {"text": "pos"}}},
        {"type": "regex", "options": {"pattern": "^a", "result": {"text": "A"}}},
        {"type": "special", "options": {"match": "nan", "result": {"text": "NaN!"}}},
        {"id": 0, "type": 1, "value": "null", "text": "none"},
        {"id": 1, "type": 2, "from": "5", "to": "9", "text": "mid"},
        {"type": "bogus"}]}}}),
    );
    let m = &p.field_config.defaults.mappings;
    assert_eq!(m.len(), 6);
    let ValueMapping::Value { entries } = &m[0] else {
        panic!("value mapping expected")
    };
    assert_eq!(
        entries.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
        vec!["0", "1"]
    );
    assert_eq!(entries[1].1.color.as_deref(), Some("green"));
    assert!(matches!(&m[1], ValueMapping::Range { from: Some(f), to: None, .. } if *f == 0.0));
    assert!(matches!(&m[2], ValueMapping::Regex { pattern, .. } if pattern == "^a"));
    assert!(matches!(
        &m[3],
        ValueMapping::Special {
            matches: SpecialMatch::NaN,
            ..
        }
    ));
    assert!(matches!(
        &m[4],
        ValueMapping::Special {
            matches: SpecialMatch::Null,
            ..
        }
    ));
    assert!(
        matches!(&m[5], ValueMapping::Range { from: Some(f), to: Some(t), .. } if *f == 5.0 && *t == 9.0)
    );
}

#[test]
fn override_matchers() {
    let p = one_panel(
        json!({"type": "timeseries", "fieldConfig": {"defaults": {}, "overrides": [
        {"matcher": {"id": "byName", "options": "cpu"}, "properties": [{"id": "unit", "value": "percent"}]},
        {"matcher": {"id": "byRegexp", "options": "/.*read.*/"}, "properties": []},
        {"matcher": {"id": "byFrameRefID", "options": "B"}, "properties": []},
        {"matcher": {"id": "byType", "options": "number"}, "properties": []},
        {"matcher": {"id": "byValue", "options": {"reducer": "max", "op": "gte", "value": 1}}, "properties": []}]}}),
    );
    let m: Vec<_> = p
        .field_config
        .overrides
        .iter()
        .map(|o| o.matcher.clone())
        .collect();
    assert_eq!(m[0], FieldMatcher::ByName("cpu".into()));
    assert_eq!(m[1], FieldMatcher::ByRegexp("/.*read.*/".into()));
    assert_eq!(m[2], FieldMatcher::ByFrameRefId("B".into()));
    assert_eq!(m[3], FieldMatcher::ByType("number".into()));
    assert!(matches!(&m[4], FieldMatcher::Other { id, .. } if id == "byValue"));
    assert_eq!(
        p.field_config.overrides[0].properties[0],
        OverrideProperty {
            id: "unit".into(),
            value: json!("percent")
        }
    );
}

#[test]
fn dashboard_level_fields() {
    let d = import(
        json!({"uid": "u1", "title": "T", "tags": ["a", "b"], "refresh": false, "graphTooltip": 1,
        "time": {"from": "now-24h", "to": "now"}, "timezone": "utc", "style": "light",
        "links": [{"title": "docs", "type": "link", "url": "https://x", "targetBlank": true}]}),
    )
    .dashboard;
    assert_eq!(
        (d.uid.as_str(), d.title.as_str(), d.refresh.clone()),
        ("u1", "T", None)
    );
    assert_eq!(d.graph_tooltip, GraphTooltip::SharedCrosshair);
    assert_eq!(d.style, "light", "Grafana's theme for the dashboard");
    assert_eq!(
        d.time,
        TimeRange {
            from: "now-24h".into(),
            to: "now".into()
        }
    );
    assert_eq!(d.tags, vec!["a".to_string(), "b".to_string()]);
    assert!(d.links[0].target_blank);
    let d = import(json!({"title": "T", "refresh": "30s"})).dashboard;
    assert_eq!(
        (d.refresh.as_deref(), d.time.from.as_str()),
        (Some("30s"), "now-6h")
    );
}

#[test]
fn variables_in_all_their_shapes() {
    let d = import(json!({"title": "v", "templating": {"list": [
        {"name": "job", "type": "query", "query": {"query": "label_values(up, job)", "refId": "X"}, "multi": true,
         "includeAll": true, "allValue": ".*", "current": {"text": ["a", "b"], "value": ["a", "b"]}},
        {"name": "env", "type": "custom", "query": "prod, dev", "current": {"text": "dev", "value": "dev"}},
        {"name": "interval", "type": "interval", "query": "1m,5m", "auto": true, "auto_count": 300, "auto_min": "10s"},
        {"name": "c", "type": "constant", "query": "42"},
        {"name": "tb", "type": "textbox", "query": "hello"},
        {"name": "odd", "type": "somethingnew"}]}}));
    let v = &d.dashboard.variables;
    assert_eq!(v.len(), 6);
    assert!(
        matches!(&v[0].kind, VariableKind::Query { query: VariableQuery::LabelValues { label, .. }, .. } if label == "job")
    );
    assert_eq!(
        (v[0].multi, v[0].include_all, v[0].all_value.as_deref()),
        (true, true, Some(".*"))
    );
    assert_eq!(v[0].current, vec!["a".to_string(), "b".to_string()]);
    assert_eq!(v[1].options, vec!["prod".to_string(), "dev".to_string()]);
    assert_eq!(v[1].current, vec!["dev".to_string()]);
    assert!(
        matches!(&v[2].kind, VariableKind::Interval { intervals, auto: true, auto_count: 300, .. } if intervals.len() == 2)
    );
    assert_eq!(v[3].options, vec!["42".to_string()]);
    assert!(matches!(&v[4].kind, VariableKind::TextBox { default } if default == "hello"));
    assert!(d.report.warnings.iter().any(|w| w.contains("variable odd")));
}

#[test]
fn legacy_text_panel_content_on_the_panel() {
    let p = one_panel(json!({"type": "text", "mode": "html", "content": "<b>hi</b>"}));
    assert_eq!(
        p.options,
        PanelOptions::Text(TextOptions {
            mode: TextMode::Html,
            content: "<b>hi</b>".into()
        })
    );
}

#[test]
fn repeat_settings() {
    let p = one_panel(
        json!({"type": "text", "repeat": "instances", "repeatDirection": "v", "maxPerRow": 4}),
    );
    assert_eq!(
        p.repeat,
        Some(Repeat {
            variable: "instances".into(),
            direction: RepeatDirection::Vertical,
            max_per_row: Some(4)
        })
    );
}

#[test]
fn wrong_types_never_panic() {
    let weird = json!({"title": 5, "tags": "x", "time": [], "panels": [1, "a", null, {"type": 3, "gridPos": "x",
        "targets": {"a": 1}, "fieldConfig": [], "options": 7, "id": -3}, {"type": "row", "panels": 5}],
        "templating": {"list": [{"name": 1}, {}, 3]}, "links": 7, "rows": [{"panels": [{"span": "x", "height": []}]}]});
    let imported = import(weird);
    assert_eq!(imported.dashboard.title, "5");
    assert!(imported.dashboard.all_panels().len() >= 3);
}

#[test]
fn round_trip_of_a_dashboard_with_every_option_kind() {
    let src = json!({"title": "all", "uid": "x", "panels": [
        {"id": 1, "type": "stat", "gridPos": {"x":0,"y":0,"w":6,"h":3}, "options": {"colorMode": "background", "reduceOptions": {"calcs": ["max"], "limit": 5}}},
        {"id": 2, "type": "gauge", "gridPos": {"x":6,"y":0,"w":6,"h":3}, "options": {"showThresholdLabels": true}},
        {"id": 3, "type": "bargauge", "gridPos": {"x":12,"y":0,"w":6,"h":3}, "options": {"displayMode": "lcd"}},
        {"id": 4, "type": "table", "gridPos": {"x":18,"y":0,"w":6,"h":3}, "options": {"sortBy": [{"displayName": "v", "desc": true}], "footer": {"show": true, "reducer": ["count"], "fields": ["v"], "countRows": true}},
         "transformations": [{"id": "organize", "options": {}}]},
        {"id": 5, "type": "heatmap", "gridPos": {"x":0,"y":3,"w":12,"h":8}, "options": {"color": {"scheme": "Warm", "exponent": 0.5}, "yAxis": {"unit": "s"}}},
        {"id": 6, "type": "news", "gridPos": {"x":12,"y":3,"w":12,"h":8}, "options": {"feedUrl": "x"}},
        {"id": 7, "type": "text", "gridPos": {"x":0,"y":11,"w":24,"h":2}, "options": {"mode": "markdown", "content": "# $job"}}]});
    let first = import(src).dashboard;
    let second = import(export_grafana(&first)).dashboard;
    assert_eq!(first, second);
    let PanelOptions::Table(t) = &second.panels[3].options else {
        panic!("table expected")
    };
    assert_eq!(
        (
            t.footer_show,
            t.footer_reducers.as_slice(),
            t.footer_fields.as_slice(),
            t.footer_count_rows
        ),
        (
            true,
            &["count".to_string()][..],
            &["v".to_string()][..],
            true
        )
    );
    let PanelOptions::Heatmap(h) = &second.panels[4].options else {
        panic!("heatmap expected")
    };
    assert_eq!(
        (
            h.color_scheme.as_str(),
            h.color_exponent,
            h.y_axis_unit.as_deref()
        ),
        ("Warm", Some(0.5), Some("s"))
    );
}

#[test]
fn bar_gauge_sizing_reads_grafana_10_2_options_and_round_trips() {
    let p = one_panel(json!({"type": "bargauge", "options": {"sizing": "manual",
        "minVizWidth": 40, "minVizHeight": 24, "maxVizHeight": 60}}));
    let PanelOptions::BarGauge(b) = &p.options else {
        panic!("bar gauge options expected")
    };
    assert_eq!(
        (
            b.manual_sizing,
            b.min_viz_width,
            b.min_viz_height,
            b.max_viz_height
        ),
        (true, 40.0, 24.0, 60.0)
    );
    let again = import(export_grafana(
        &import(json!({"title": "t", "panels": [
        {"id": 1, "type": "bargauge", "gridPos": {"x": 0, "y": 0, "w": 6, "h": 3},
         "options": {"sizing": "manual", "maxVizHeight": 60}}]}))
        .dashboard,
    ))
    .dashboard;
    let PanelOptions::BarGauge(b) = &again.panels[0].options else {
        panic!("bar gauge options expected")
    };
    assert_eq!(
        (b.manual_sizing, b.min_viz_height, b.max_viz_height),
        (true, 16.0, 60.0)
    );
    // Without `sizing` (dashboards before 10.2 saved minVizHeight 10) the defaults apply.
    let old = one_panel(json!({"type": "bargauge", "options": {"minVizHeight": 10}}));
    let PanelOptions::BarGauge(b) = &old.options else {
        panic!("bar gauge options expected")
    };
    assert!(!b.manual_sizing);
}

#[test]
fn table_footer_fields_empty_string_means_every_numeric_field() {
    let p = one_panel(
        json!({"type": "table", "options": {"footer": {"show": true, "reducer": ["sum"], "fields": ""}}}),
    );
    let PanelOptions::Table(t) = &p.options else {
        panic!("table options expected")
    };
    assert!(t.footer_fields.is_empty());
    assert!(!t.footer_count_rows);
    assert_eq!(t.footer_reducers, vec!["sum".to_string()]);
}

#[test]
fn legacy_heatmap_settings_on_the_panel() {
    let p = one_panel(
        json!({"type": "heatmap", "dataFormat": "tsbuckets", "yAxis": {"format": "s"},
        "color": {"mode": "spectrum", "colorScheme": "interpolateWarm", "exponent": 0.5}, "cards": {"cardPadding": 1}}),
    );
    let PanelOptions::Heatmap(h) = &p.options else {
        panic!("heatmap options expected")
    };
    assert!(!h.calculate);
    assert_eq!(
        (
            h.color_scheme.as_str(),
            h.y_axis_unit.as_deref(),
            h.cell_gap
        ),
        ("Warm", Some("s"), Some(1.0))
    );
}

#[test]
fn datasource_resolution_against_variables() {
    let mut vars = VariableValues::new();
    vars.set("ds", VariableValue::single("thanos"));
    vars.set("dflt", VariableValue::single("default"));
    let named = DatasourceRef::Named {
        uid: "prom-1".into(),
        plugin: None,
    };
    assert_eq!(named.resolve(&vars).as_deref(), Some("prom-1"));
    assert_eq!(
        DatasourceRef::Variable {
            name: "ds".into(),
            plugin: None
        }
        .resolve(&vars)
        .as_deref(),
        Some("thanos")
    );
    assert_eq!(
        DatasourceRef::Variable {
            name: "dflt".into(),
            plugin: None
        }
        .resolve(&vars),
        None
    );
    assert_eq!(
        DatasourceRef::Input {
            name: "DS_X".into(),
            plugin: None
        }
        .resolve(&vars),
        None
    );
    assert_eq!(DatasourceRef::Default.resolve(&vars), None);
}

#[test]
fn queries_on_non_prometheus_datasources_fail_with_a_reason() {
    let text = json!({"title": "t", "panels": [
        {"id": 1, "type": "timeseries", "datasource": {"type": "loki", "uid": "l1"}, "targets": [
            {"refId": "A", "expr": "{app=\"x\"} |= \"err\""},
            {"refId": "B", "expr": "up", "datasource": {"type": "prometheus", "uid": "p1"}}]},
        {"id": 2, "type": "timeseries", "datasource": "-- Grafana --", "targets": [{"refId": "A", "expr": "x"}]}]})
    .to_string();
    let imported = import_grafana_checked(&text, "v", &|_| Ok(())).unwrap();
    let statuses: Vec<_> = imported
        .report
        .queries
        .iter()
        .map(|q| q.status.clone())
        .collect();
    assert_eq!(
        statuses,
        vec![
            QueryStatus::Failed("datasource \"loki\" is not Prometheus-compatible".into()),
            QueryStatus::Parsed,
            QueryStatus::Failed("datasource \"-- Grafana --\" is not Prometheus-compatible".into()),
        ]
    );
}

#[test]
fn collapsed_row_children_without_grid_go_under_the_row() {
    let d = import(json!({"panels": [
        {"id": 1, "type": "row", "collapsed": true, "gridPos": {"x": 0, "y": 9, "w": 24, "h": 1},
         "panels": [{"id": 2, "type": "stat"}]}]}))
    .dashboard;
    assert_eq!(
        d.panels[0].panels[0].grid,
        GridPos {
            x: 0,
            y: 10,
            w: 6,
            h: 3
        }
    );
}

#[test]
fn angular_table_styles_become_field_config() {
    let imported = import(
        json!({"panels": [{"id": 4, "type": "table", "transform": "timeseries_to_rows", "showHeader": false,
        "styles": [
            {"pattern": "Time", "type": "date", "alias": "When"},
            {"pattern": "/.*/", "type": "number", "unit": "bytes", "decimals": 1, "thresholds": ["80", "90"],
             "colors": ["green", "orange", "red"], "colorMode": "cell"},
            {"pattern": "__name__", "type": "hidden"}]}]}),
    );
    let p = &imported.dashboard.panels[0];
    assert_eq!(p.kind, PanelKind::Table);
    let d = &p.field_config.defaults;
    assert_eq!(
        (d.unit.as_deref(), d.decimals, d.custom.cell_type.as_deref()),
        (Some("bytes"), Some(1), Some("color-background"))
    );
    assert_eq!(
        steps(p),
        vec![
            (None, "green".into()),
            (Some(80.0), "orange".into()),
            (Some(90.0), "red".into())
        ]
    );
    let o = &p.field_config.overrides;
    assert_eq!(o[0].matcher, FieldMatcher::ByName("Time".into()));
    let ids: Vec<&str> = o[0].properties.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, vec!["displayName", "unit"]);
    assert_eq!(
        o[1].properties[0],
        OverrideProperty {
            id: "custom.hidden".into(),
            value: json!(true)
        }
    );
    let PanelOptions::Table(t) = &p.options else {
        panic!("table options expected")
    };
    assert!(!t.show_header);
    assert!(imported
        .report
        .warnings
        .iter()
        .any(|w| w.starts_with("panel 4: old table transform")));
    assert_eq!(imported.report.panel_types["table"].rendered, 1);
}

#[test]
fn defaults_match_what_reading_empty_options_gives() {
    // A panel built in code and one imported without options must agree.
    for kind in [
        "timeseries",
        "stat",
        "gauge",
        "bargauge",
        "table",
        "text",
        "heatmap",
    ] {
        let p = one_panel(json!({"type": kind}));
        assert_eq!(p.options, PanelOptions::default_for(&p.kind), "{kind}");
    }
}

#[test]
fn library_panels_are_inlined_from_elements() {
    let imported = import(json!({
        "__elements": {"lib-1": {"name": "CPU", "uid": "lib-1", "kind": 1, "model": {
            "type": "stat", "title": "CPU (library)", "targets": [{"refId": "A", "expr": "up"}],
            "gridPos": {"x": 0, "y": 0, "w": 1, "h": 1}}}},
        "panels": [
            {"id": 7, "gridPos": {"x": 12, "y": 0, "w": 12, "h": 4}, "libraryPanel": {"uid": "lib-1", "name": "CPU"}},
            {"id": 8, "gridPos": {"x": 0, "y": 0, "w": 12, "h": 4}, "libraryPanel": {"uid": "gone", "name": "Lost"}}]}));
    let d = &imported.dashboard;
    let lib = d.panels.iter().find(|p| p.id == 7).unwrap();
    assert_eq!(
        (lib.kind.clone(), lib.title.as_str()),
        (PanelKind::Stat, "CPU (library)")
    );
    assert_eq!(
        lib.grid,
        GridPos {
            x: 12,
            y: 0,
            w: 12,
            h: 4
        }
    );
    assert_eq!(lib.targets[0].expr, "up");
    let lost = d.panels.iter().find(|p| p.id == 8).unwrap();
    assert!(matches!(lost.kind, PanelKind::Unsupported { .. }));
    assert!(imported
        .report
        .warnings
        .iter()
        .any(|w| w == "panel 8: library panel \"Lost\" is not in the file's __elements"));
}
