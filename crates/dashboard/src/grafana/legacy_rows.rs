//! Legacy `rows[]` layouts (schemaVersion < 16) → `panels[]` with `gridPos`.
//!
//! Contract: follows Grafana's schema-16 migration (reimplemented from its description):
//! rows are emitted as `row` panels only when some row is collapsed, titled or repeated;
//! grid height = ceil(max(px, 90) / 38); width = floor(span) × 2 on 24 columns (default
//! span 4); panels fill a per-row occupancy array left to right and wrap when full; panels of
//! a collapsed row are nested in the row panel; `y` advances by the row height unless the
//! row is collapsed; `repeatIteration` rows are skipped. Output is JSON, read like any
//! modern dashboard afterwards.

use serde_json::{Map, Value};

use super::json::{array, flag, get, num, string, uint};

const GRID_COLUMNS: u32 = 24;
const DEFAULT_SPAN: f64 = 4.0;
const DEFAULT_ROW_HEIGHT_PX: f64 = 250.0;
const MIN_PANEL_HEIGHT_PX: f64 = 90.0;
const GRID_STEP_PX: f64 = 38.0; // 30 px cell + 8 px margin
const MAX_GRID_HEIGHT: f64 = 1000.0;

/// Grid rows for a pixel height given as `"250px"`, `"375"` or `151`; `None` when empty.
pub(crate) fn grid_height(v: Option<&Value>) -> Option<u32> {
    let px = num(v)?;
    // Capped so that absurd heights cannot overflow the y arithmetic below.
    Some(
        (px.max(MIN_PANEL_HEIGHT_PX) / GRID_STEP_PX)
            .ceil()
            .min(MAX_GRID_HEIGHT) as u32,
    )
}

/// Converts `rows[]` into a modern `panels[]` array (consuming it: panels are moved, not
/// copied).
pub(crate) fn upgrade_rows(rows: Vec<Value>) -> Vec<Value> {
    let show_rows = rows.iter().any(|r| {
        flag(get(r, "collapse"))
            || flag(get(r, "showTitle"))
            || string(get(r, "repeat")).is_some_and(|s| !s.is_empty())
    });
    let max_id = rows
        .iter()
        .flat_map(|r| array(r.get("panels")))
        .filter_map(|p| uint(get(p, "id")))
        .max()
        .unwrap_or(0);
    let mut next_row_id = max_id.saturating_add(1);
    let mut out = Vec::new();
    let mut y = 0u32;
    for mut row in rows {
        if flag(get(&row, "repeatIteration"))
            || uint(get(&row, "repeatIteration")).is_some_and(|n| n > 0)
        {
            continue;
        }
        let row_height = grid_height(get(&row, "height")).unwrap_or_else(default_row_height);
        let collapsed = show_rows && flag(get(&row, "collapse"));
        let mut row_panel = show_rows.then(|| {
            let panel = row_panel_json(&row, next_row_id, y, row_height);
            next_row_id = next_row_id.saturating_add(1);
            y = y.saturating_add(1);
            panel
        });
        let mut area = RowArea::new(row_height, y);
        let mut children = Vec::new();
        let panels = match row.get_mut("panels").map(Value::take) {
            Some(Value::Array(panels)) => panels,
            _ => Vec::new(),
        };
        for panel in panels {
            let Value::Object(map) = panel else { continue };
            let placed = place_panel(map, &mut area, row_height);
            y = area.y;
            children.push(placed);
        }
        if let (true, Some(Value::Object(rp))) = (collapsed, row_panel.as_mut()) {
            rp.insert("panels".into(), Value::Array(std::mem::take(&mut children)));
        }
        out.extend(row_panel);
        out.extend(children);
        if !collapsed {
            y = y.saturating_add(row_height);
        }
    }
    out
}

fn default_row_height() -> u32 {
    (DEFAULT_ROW_HEIGHT_PX / GRID_STEP_PX).ceil() as u32
}

fn row_panel_json(row: &Value, id: u64, y: u32, h: u32) -> Value {
    let mut map = Map::new();
    map.insert("id".into(), id.into());
    map.insert("type".into(), "row".into());
    map.insert(
        "title".into(),
        string(get(row, "title")).unwrap_or_default().into(),
    );
    map.insert("collapsed".into(), flag(get(row, "collapse")).into());
    if let Some(repeat) = string(get(row, "repeat")).filter(|s| !s.is_empty()) {
        map.insert("repeat".into(), repeat.into());
    }
    map.insert("panels".into(), Value::Array(Vec::new()));
    map.insert("gridPos".into(), grid_json(0, y, GRID_COLUMNS, h));
    Value::Object(map)
}

fn grid_json(x: u32, y: u32, w: u32, h: u32) -> Value {
    serde_json::json!({"x": x, "y": y, "w": w, "h": h})
}

fn place_panel(mut panel: Map<String, Value>, area: &mut RowArea, row_height: u32) -> Value {
    let span = num(panel.get("span"))
        .filter(|s| *s > 0.0)
        .unwrap_or(DEFAULT_SPAN);
    let w = (span.floor().min(12.0) as u32 * 2).clamp(1, GRID_COLUMNS);
    let h = grid_height(panel.get("height")).unwrap_or(row_height);
    let (x, rel_y) = area.position(w);
    let y = area.y.saturating_add(rel_y);
    area.add(x, y, w, h);
    panel.insert("gridPos".into(), grid_json(x, y, w, h));
    if let Some(min_span) = num(panel.get("minSpan")) {
        panel.insert(
            "minSpan".into(),
            ((min_span * 2.0).min(f64::from(GRID_COLUMNS)) as u32).into(),
        );
    }
    panel.remove("span");
    Value::Object(panel)
}

/// Column occupancy of the current line of a legacy row (heights relative to `y`).
struct RowArea {
    filled: [u32; GRID_COLUMNS as usize],
    height: u32,
    y: u32,
}

impl RowArea {
    fn new(height: u32, y: u32) -> Self {
        Self {
            filled: [0; GRID_COLUMNS as usize],
            height,
            y,
        }
    }

    fn add(&mut self, x: u32, y: u32, w: u32, h: u32) {
        let bottom = y.saturating_add(h).saturating_sub(self.y);
        for cell in self.filled.iter_mut().skip(x as usize).take(w as usize) {
            *cell = (*cell).max(bottom);
        }
    }

    /// Free run at the right end of the line (scanning right to left while columns have room
    /// and heights do not decrease), wrapping to a new line when it is narrower than `w`.
    fn position(&mut self, w: u32) -> (u32, u32) {
        if let Some(place) = self.find(w) {
            return place;
        }
        self.y = self.y.saturating_add(self.height);
        self.filled = [0; GRID_COLUMNS as usize];
        self.find(w).unwrap_or((0, 0))
    }

    fn find(&self, w: u32) -> Option<(u32, u32)> {
        let mut end = None;
        let mut start = None;
        for i in (0..self.filled.len()).rev() {
            let here = *self.filled.get(i)?;
            if self.height <= here {
                break;
            }
            if end.is_none() {
                end = Some(i);
            } else if self.filled.get(i + 1).is_some_and(|next| here <= *next) {
                start = Some(i);
            } else {
                break;
            }
        }
        let (start, end) = (start?, end?);
        if end - start + 1 < w as usize {
            return None;
        }
        let y = self
            .filled
            .get(start..)
            .and_then(|s| s.iter().max().copied())
            .unwrap_or(0);
        Some((start as u32, y))
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]
    use super::*;
    use serde_json::json;

    fn grid(p: &Value) -> (u64, u64, u64, u64) {
        let g = &p["gridPos"];
        (
            g["x"].as_u64().unwrap(),
            g["y"].as_u64().unwrap(),
            g["w"].as_u64().unwrap(),
            g["h"].as_u64().unwrap(),
        )
    }

    #[test]
    fn heights_in_px_strings_numbers_and_minimum() {
        assert_eq!(grid_height(Some(&json!("250px"))), Some(7));
        assert_eq!(grid_height(Some(&json!("375"))), Some(10));
        assert_eq!(grid_height(Some(&json!(151))), Some(4));
        assert_eq!(grid_height(Some(&json!(46))), Some(3)); // 90 px minimum
        assert_eq!(grid_height(Some(&json!(""))), None);
    }

    #[test]
    fn spans_fill_left_to_right_and_wrap() {
        let rows = vec![json!({"height": "250px", "panels": [
            {"id": 1, "span": 6}, {"id": 2, "span": 4}, {"id": 3, "span": 4}
        ]})];
        let panels = upgrade_rows(rows);
        assert_eq!(panels.len(), 3);
        assert_eq!(grid(&panels[0]), (0, 0, 12, 7));
        assert_eq!(grid(&panels[1]), (12, 0, 8, 7));
        // 4 columns left < 8 needed: wraps to the next line of the row
        assert_eq!(grid(&panels[2]), (0, 7, 8, 7));
    }

    #[test]
    fn rows_become_row_panels_when_titled_and_collapsed_rows_nest() {
        let rows = vec![
            json!({"title": "A", "showTitle": true, "height": 250, "panels": [{"id": 1, "span": 12}]}),
            json!({"title": "B", "collapse": true, "height": 250, "panels": [{"id": 2, "span": 12}]}),
            json!({"title": "C", "height": 250, "panels": [{"id": 3}]}),
        ];
        let panels = upgrade_rows(rows);
        let kinds: Vec<_> = panels
            .iter()
            .map(|p| p["type"].as_str().map(str::to_string))
            .collect();
        assert_eq!(
            kinds,
            vec![
                Some("row".into()),
                None,
                Some("row".into()),
                Some("row".into()),
                None
            ]
        );
        assert_eq!(grid(&panels[0]), (0, 0, 24, 7));
        assert_eq!(grid(&panels[1]), (0, 1, 24, 7));
        // row B at y = 1 + 7; collapsed, so its child is nested and y does not advance by 7
        assert_eq!(grid(&panels[2]).1, 8);
        assert_eq!(panels[2]["panels"].as_array().unwrap().len(), 1);
        assert_eq!(grid(&panels[2]["panels"][0]), (0, 9, 24, 7));
        assert_eq!(grid(&panels[3]).1, 9);
        // default span 4 → w 8
        assert_eq!(grid(&panels[4]), (0, 10, 8, 7));
        // row ids continue after the largest panel id
        assert_eq!(panels[0]["id"], 4);
    }
}
