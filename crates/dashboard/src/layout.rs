//! Dashboard layout on Grafana's 24-column grid: row collapse/expand, `repeat` expansion and
//! upward packing, as pure functions over the model (the app only draws the result).
//!
//! Contract:
//! - `toggle_row` collapses a row (the panels below it up to the next row move into it) or
//!   expands it (its panels come back right under it, the panels below are pushed down), the
//!   way Grafana's `toggleRow` does.
//! - `expand_repeats` copies a panel per selected value of its `repeat` variable —
//!   `h`: side by side, width max(24 / n, 24 / maxPerRow) (maxPerRow defaults to 4), wrapping;
//!   `v`: stacked — and a repeated row copies its whole block; panels below are pushed down.
//!   Each copy carries the variable binding (`scope`) to interpolate with.
//! - `compact` packs panels upward (react-grid-layout vertical compaction, as Grafana).
//! - `layout` = `compact(expand_repeats(top-level panels))`; children of collapsed rows are
//!   not laid out.

use crate::model::{Dashboard, GridPos, Panel, PanelKind, RepeatDirection};

const COLUMNS: u32 = 24;

/// A panel at its final place, with the variable values of its repeat copy.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedPanel {
    pub panel: Panel,
    pub grid: GridPos,
    /// Variable bindings for this copy (`[(var, value)]`); empty when not repeated.
    pub scope: Vec<(String, String)>,
    /// 0 for the original, 1.. for repeat copies (with `panel.id`, a unique key).
    pub repeat_index: usize,
}

impl PlacedPanel {
    fn new(
        panel: &Panel,
        grid: GridPos,
        scope: Vec<(String, String)>,
        repeat_index: usize,
    ) -> Self {
        Self {
            panel: panel.clone(),
            grid,
            scope,
            repeat_index,
        }
    }
}

/// Collapses or expands row `row_id`; returns false when there is no such row.
pub fn toggle_row(d: &mut Dashboard, row_id: u64) -> bool {
    let Some(index) = d
        .panels
        .iter()
        .position(|p| p.id == row_id && p.kind == PanelKind::Row)
    else {
        return false;
    };
    let end = d
        .panels
        .iter()
        .skip(index + 1)
        .position(|p| p.kind == PanelKind::Row)
        .map_or(d.panels.len(), |n| index + 1 + n);
    let Some(row) = d.panels.get(index) else {
        return false;
    };
    if !row.collapsed {
        let children: Vec<Panel> = d.panels.drain(index + 1..end).collect();
        if let Some(row) = d.panels.get_mut(index) {
            row.panels = children;
            row.collapsed = true;
        }
        return true;
    }
    expand_row(d, index);
    true
}

fn expand_row(d: &mut Dashboard, index: usize) {
    let Some(row) = d.panels.get_mut(index) else {
        return;
    };
    let mut children = std::mem::take(&mut row.panels);
    row.collapsed = false;
    let row_y = row.grid.y;
    children.sort_by_key(|p| (p.grid.y, p.grid.x));
    // Children keep their offsets relative to the first one, placed right under the row.
    let first_y = children.first().map_or(row_y + 1, |p| p.grid.y);
    let mut y_max = row_y;
    for child in &mut children {
        child.grid.y = child
            .grid
            .y
            .saturating_add(row_y)
            .saturating_add(1)
            .saturating_sub(first_y);
        y_max = y_max.max(child.grid.y.saturating_add(child.grid.h));
    }
    let push_down = y_max.saturating_sub(row_y + 1);
    let count = children.len();
    let insert_at = index + 1;
    d.panels.splice(insert_at..insert_at, children);
    for p in d.panels.iter_mut().skip(insert_at + count) {
        p.grid.y = p.grid.y.saturating_add(push_down);
    }
}

/// Copies repeated panels and rows for the values `values_of(variable)` returns (the
/// selection, with "All" already resolved to every option).
pub fn expand_repeats(
    panels: &[Panel],
    values_of: &dyn Fn(&str) -> Vec<String>,
) -> Vec<PlacedPanel> {
    let mut sorted: Vec<&Panel> = panels.iter().collect();
    sorted.sort_by_key(|p| (p.grid.y, p.grid.x));
    let mut out = Vec::new();
    // (original y from which panels move, by how much)
    let mut pushes: Vec<(u32, u32)> = Vec::new();
    let shift = |y: u32, pushes: &[(u32, u32)]| {
        pushes
            .iter()
            .filter(|(from, _)| y >= *from)
            .map(|(_, by)| by)
            .sum::<u32>()
    };
    let mut i = 0;
    while let Some(p) = sorted.get(i).copied() {
        let values = p
            .repeat
            .as_ref()
            .map(|r| (r.variable.clone(), values_of(&r.variable)))
            .filter(|(_, v)| !v.is_empty());
        let offset = shift(p.grid.y, &pushes);
        let Some((var, values)) = values else {
            out.push(PlacedPanel::new(
                p,
                GridPos {
                    y: p.grid.y.saturating_add(offset),
                    ..p.grid
                },
                Vec::new(),
                0,
            ));
            i += 1;
            continue;
        };
        if p.kind == PanelKind::Row {
            let end = sorted
                .iter()
                .skip(i + 1)
                .position(|q| q.kind == PanelKind::Row)
                .map_or(sorted.len(), |n| i + 1 + n);
            let block = sorted.get(i..end).unwrap_or_default();
            let bottom = block
                .iter()
                .map(|q| q.grid.y.saturating_add(q.grid.h))
                .max()
                .unwrap_or(p.grid.y.saturating_add(1))
                .max(p.grid.y.saturating_add(1));
            let height = if p.collapsed { 1 } else { bottom - p.grid.y };
            let block = if p.collapsed {
                block.get(..1).unwrap_or_default()
            } else {
                block
            };
            for (k, value) in values.iter().enumerate() {
                for q in block {
                    let y = q
                        .grid
                        .y
                        .saturating_add(offset)
                        .saturating_add(height.saturating_mul(k as u32));
                    out.push(PlacedPanel::new(
                        q,
                        GridPos { y, ..q.grid },
                        vec![(var.clone(), value.clone())],
                        k,
                    ));
                }
            }
            let copies = u32::try_from(values.len()).unwrap_or(u32::MAX);
            pushes.push((
                p.grid.y.saturating_add(height),
                height.saturating_mul(copies - 1),
            ));
            i = if p.collapsed { i + 1 } else { end };
            continue;
        }
        let extra = repeat_panel(p, offset, &var, &values, &mut out);
        pushes.push((p.grid.y.saturating_add(p.grid.h), extra));
        i += 1;
    }
    out
}

/// Places the copies of one repeated panel; returns the height added below it.
fn repeat_panel(
    p: &Panel,
    offset: u32,
    var: &str,
    values: &[String],
    out: &mut Vec<PlacedPanel>,
) -> u32 {
    let n = u32::try_from(values.len()).unwrap_or(u32::MAX);
    let g = p.grid;
    let direction = p
        .repeat
        .as_ref()
        .map_or(RepeatDirection::Horizontal, |r| r.direction);
    let scope = |value: &String| vec![(var.to_string(), value.clone())];
    if direction == RepeatDirection::Vertical {
        for (k, value) in values.iter().enumerate() {
            let y =
                g.y.saturating_add(offset)
                    .saturating_add(g.h.saturating_mul(k as u32));
            out.push(PlacedPanel::new(p, GridPos { y, ..g }, scope(value), k));
        }
        return g.h.saturating_mul(n - 1);
    }
    let max_per_row = p
        .repeat
        .as_ref()
        .and_then(|r| r.max_per_row)
        .unwrap_or(4)
        .clamp(1, COLUMNS);
    let w = (COLUMNS / n.max(1)).max(COLUMNS / max_per_row).max(1);
    let top = g.y.saturating_add(offset);
    let (mut x, mut y) = (0, top);
    for (k, value) in values.iter().enumerate() {
        out.push(PlacedPanel::new(
            p,
            GridPos { x, y, w, h: g.h },
            scope(value),
            k,
        ));
        x += w;
        if x + w > COLUMNS && k + 1 < values.len() {
            x = 0;
            y = y.saturating_add(g.h);
        }
    }
    y - top
}

fn collides(a: &GridPos, b: &GridPos) -> bool {
    a.x < b.x.saturating_add(b.w)
        && b.x < a.x.saturating_add(a.w)
        && a.y < b.y.saturating_add(b.h)
        && b.y < a.y.saturating_add(a.h)
}

/// Packs panels upward: each (in y, x order) rises until it touches one placed before it.
pub fn compact(items: &mut [PlacedPanel]) {
    items.sort_by_key(|p| (p.grid.y, p.grid.x));
    let mut placed: Vec<GridPos> = Vec::with_capacity(items.len());
    for item in items.iter_mut() {
        let mut g = item.grid;
        let bottom = placed
            .iter()
            .map(|p| p.y.saturating_add(p.h))
            .max()
            .unwrap_or(0);
        g.y = g.y.min(bottom);
        while g.y > 0 && !placed.iter().any(|p| collides(p, &g)) {
            g.y -= 1;
        }
        while let Some(hit) = placed.iter().find(|p| collides(p, &g)) {
            g.y = hit.y.saturating_add(hit.h);
        }
        item.grid = g;
        placed.push(g);
    }
}

/// The visible layout of `d`: repeats expanded, packed upward, in (y, x) order.
pub fn layout(d: &Dashboard, values_of: &dyn Fn(&str) -> Vec<String>) -> Vec<PlacedPanel> {
    let mut items = expand_repeats(&d.panels, values_of);
    compact(&mut items);
    items.sort_by_key(|p| (p.grid.y, p.grid.x));
    items
}
