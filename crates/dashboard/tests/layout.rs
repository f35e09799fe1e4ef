//! Layout: row collapse/expand, repeat expansion and upward packing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use serde_json::{json, Value};
use signalboard_dashboard::layout::{compact, expand_repeats, layout, toggle_row, PlacedPanel};
use signalboard_dashboard::*;

fn dashboard(panels: Value) -> Dashboard {
    import_grafana(&json!({"title": "l", "panels": panels}).to_string())
        .unwrap()
        .dashboard
}

fn grids(items: &[PlacedPanel]) -> Vec<(u64, u32, u32, u32, u32)> {
    items
        .iter()
        .map(|p| (p.panel.id, p.grid.x, p.grid.y, p.grid.w, p.grid.h))
        .collect()
}

fn no_values(_: &str) -> Vec<String> {
    Vec::new()
}

#[test]
fn compaction_packs_upward_but_not_through_panels() {
    let d = dashboard(json!([
        {"id": 1, "type": "stat", "gridPos": {"x": 0, "y": 10, "w": 12, "h": 4}},
        {"id": 2, "type": "stat", "gridPos": {"x": 12, "y": 2, "w": 12, "h": 8}},
        {"id": 3, "type": "stat", "gridPos": {"x": 6, "y": 30, "w": 12, "h": 2}}]));
    let items = layout(&d, &no_values);
    assert_eq!(
        grids(&items),
        vec![(1, 0, 0, 12, 4), (2, 12, 0, 12, 8), (3, 6, 8, 12, 2)]
    );
}

#[test]
fn compaction_never_overlaps_on_every_fixture() {
    for name in [
        "node-exporter-full",
        "cloudnative-pg",
        "thanos-query-legacy",
        "ingress-nginx",
    ] {
        let path = format!(
            "{}/../../../shared/fixtures/grafana/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let d = import_grafana(&text).unwrap().dashboard;
        let mut items = expand_repeats(&d.panels, &no_values);
        compact(&mut items);
        for (i, a) in items.iter().enumerate() {
            for b in items.iter().skip(i + 1) {
                let (a, b) = (a.grid, b.grid);
                let overlap =
                    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
                assert!(!overlap, "{name}: {a:?} overlaps {b:?}");
            }
        }
        assert_eq!(
            items.len(),
            d.panels.len(),
            "{name}: without repeats every top-level panel is placed once"
        );
    }
}

#[test]
fn collapse_then_expand_restores_the_layout() {
    let mut d = dashboard(json!([
        {"id": 1, "type": "row", "collapsed": false, "gridPos": {"x": 0, "y": 0, "w": 24, "h": 1}},
        {"id": 2, "type": "stat", "gridPos": {"x": 0, "y": 1, "w": 12, "h": 5}},
        {"id": 3, "type": "stat", "gridPos": {"x": 12, "y": 1, "w": 12, "h": 7}},
        {"id": 4, "type": "row", "collapsed": false, "gridPos": {"x": 0, "y": 8, "w": 24, "h": 1}},
        {"id": 5, "type": "stat", "gridPos": {"x": 0, "y": 9, "w": 24, "h": 3}}]));
    let before = grids(&layout(&d, &no_values));
    assert!(toggle_row(&mut d, 1));
    assert!(d.panels[0].collapsed);
    assert_eq!(d.panels[0].panels.len(), 2);
    // collapsed: row 4 and its panel move up under row 1
    assert_eq!(
        grids(&layout(&d, &no_values)),
        vec![(1, 0, 0, 24, 1), (4, 0, 1, 24, 1), (5, 0, 2, 24, 3)]
    );
    assert!(toggle_row(&mut d, 1));
    assert_eq!(grids(&layout(&d, &no_values)), before);
    assert!(!toggle_row(&mut d, 2), "not a row");
}

#[test]
fn expanding_a_collapsed_fixture_row_pushes_the_rest_down() {
    let path = format!(
        "{}/../../../shared/fixtures/grafana/node-exporter-full.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut d = import_grafana(&std::fs::read_to_string(path).unwrap())
        .unwrap()
        .dashboard;
    let row = d.panels.iter().find(|p| p.collapsed).unwrap().clone();
    let next_row_y = d
        .panels
        .iter()
        .find(|p| p.kind == PanelKind::Row && p.grid.y > row.grid.y)
        .unwrap()
        .grid
        .y;
    assert!(toggle_row(&mut d, row.id));
    let items = layout(&d, &no_values);
    let children_bottom = items
        .iter()
        .filter(|p| row.panels.iter().any(|c| c.id == p.panel.id))
        .map(|p| p.grid.y + p.grid.h)
        .max()
        .unwrap();
    let next = items
        .iter()
        .find(|p| p.panel.kind == PanelKind::Row && p.panel.id != row.id && p.grid.y > row.grid.y)
        .unwrap();
    assert_eq!(
        next.grid.y, children_bottom,
        "next row sits right under the expanded panels (was at {next_row_y})"
    );
    assert_eq!(
        items
            .iter()
            .filter(|p| row.panels.iter().any(|c| c.id == p.panel.id))
            .count(),
        row.panels.len()
    );
}

fn values(var: &str) -> Vec<String> {
    match var {
        "three" => vec!["a".into(), "b".into(), "c".into()],
        "five" => (1..=5).map(|i| format!("v{i}")).collect(),
        _ => Vec::new(),
    }
}

#[test]
fn horizontal_repeat_splits_the_width_and_wraps() {
    let d = dashboard(json!([
        {"id": 1, "type": "text", "repeat": "three", "gridPos": {"x": 4, "y": 0, "w": 6, "h": 3}},
        {"id": 2, "type": "stat", "gridPos": {"x": 0, "y": 3, "w": 24, "h": 2}}]));
    let items = layout(&d, &values);
    assert_eq!(
        grids(&items),
        vec![
            (1, 0, 0, 8, 3),
            (1, 8, 0, 8, 3),
            (1, 16, 0, 8, 3),
            (2, 0, 3, 24, 2)
        ]
    );
    let scopes: Vec<_> = items
        .iter()
        .take(3)
        .map(|p| p.scope[0].1.as_str())
        .collect();
    assert_eq!(scopes, vec!["a", "b", "c"]);
    let d = dashboard(json!([
        {"id": 1, "type": "text", "repeat": "five", "gridPos": {"x": 0, "y": 0, "w": 6, "h": 3}},
        {"id": 2, "type": "stat", "gridPos": {"x": 0, "y": 3, "w": 24, "h": 2}}]));
    let items = layout(&d, &values);
    // 24/5 = 4 < 24/maxPerRow(4) = 6: four per line, the fifth wraps; the panel below moves down
    assert_eq!(
        grids(&items),
        vec![
            (1, 0, 0, 6, 3),
            (1, 6, 0, 6, 3),
            (1, 12, 0, 6, 3),
            (1, 18, 0, 6, 3),
            (1, 0, 3, 6, 3),
            (2, 0, 6, 24, 2)
        ]
    );
    assert_eq!(
        items.iter().map(|p| p.repeat_index).collect::<Vec<_>>(),
        vec![0, 1, 2, 3, 4, 0]
    );
}

#[test]
fn vertical_repeat_stacks() {
    let d = dashboard(json!([
        {"id": 1, "type": "text", "repeat": "three", "repeatDirection": "v", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 2}},
        {"id": 2, "type": "stat", "gridPos": {"x": 0, "y": 2, "w": 12, "h": 2}}]));
    assert_eq!(
        grids(&layout(&d, &values)),
        vec![
            (1, 0, 0, 12, 2),
            (1, 0, 2, 12, 2),
            (1, 0, 4, 12, 2),
            (2, 0, 6, 12, 2)
        ]
    );
}

#[test]
fn repeated_row_copies_its_block() {
    let d = dashboard(json!([
        {"id": 1, "type": "row", "repeat": "three", "gridPos": {"x": 0, "y": 0, "w": 24, "h": 1}},
        {"id": 2, "type": "stat", "gridPos": {"x": 0, "y": 1, "w": 12, "h": 4}},
        {"id": 3, "type": "row", "gridPos": {"x": 0, "y": 5, "w": 24, "h": 1}}]));
    let items = layout(&d, &values);
    assert_eq!(
        grids(&items),
        vec![
            (1, 0, 0, 24, 1),
            (2, 0, 1, 12, 4),
            (1, 0, 5, 24, 1),
            (2, 0, 6, 12, 4),
            (1, 0, 10, 24, 1),
            (2, 0, 11, 12, 4),
            (3, 0, 15, 24, 1)
        ]
    );
    assert_eq!(items[3].scope, vec![("three".to_string(), "b".to_string())]);
}

#[test]
fn repeat_without_values_shows_the_panel_once() {
    let d = dashboard(
        json!([{"id": 1, "type": "text", "repeat": "unknown", "gridPos": {"x": 3, "y": 0, "w": 6, "h": 3}}]),
    );
    let items = layout(&d, &values);
    assert_eq!(grids(&items), vec![(1, 3, 0, 6, 3)]);
    assert!(items[0].scope.is_empty());
}
