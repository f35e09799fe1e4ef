//! Where each value of a multi-value stat / gauge / bar gauge panel goes, as Grafana's
//! `VizRepeater` places them.
//!
//! Contract of [`repeater_cells`] (`n` values in a `width × height` panel):
//! - auto grid (`auto_grid` with `Orientation::Auto`, as stat and gauge panels do):
//!   Grafana's `calculateGridDimensions` — the largest squares that fit decide the column
//!   count, rows are then balanced, and the last row's items share the full width;
//! - otherwise a single column (`Horizontal`, or `Auto` when `width <= height`) or row
//!   (`Vertical`, or `Auto` when wider than tall), each item
//!   `size / n − spacing + spacing / n` long, clamped to `min_height ..= max_height` for
//!   rows (the minimum winning, as lodash's `clamp`) and at least `min_width` for columns
//!   (Grafana 11's `VizRepeater`; the panel then scrolls).
//!
//! Cells are returned in value order with their top-left corner relative to the panel.

/// Grafana's `VizOrientation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Orientation {
    #[default]
    Auto,
    /// Items stacked top to bottom (bars drawn horizontally).
    Horizontal,
    /// Items side by side.
    Vertical,
}

impl Orientation {
    /// Parses Grafana's option text (`auto`, `horizontal`, `vertical`).
    pub fn parse(text: &str) -> Self {
        match text {
            "horizontal" => Self::Horizontal,
            "vertical" => Self::Vertical,
            _ => Self::Auto,
        }
    }
}

/// One value's box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// Grafana's `calculateGridDimensions` result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GridDimensions {
    pub width: f64,
    pub height: f64,
    pub width_on_last_row: f64,
    pub x_count: usize,
    pub y_count: usize,
}

fn size_of_child(width: f64, height: f64, n: f64) -> f64 {
    let parts = (n * width / height).sqrt().ceil();
    if (parts * height / width).floor() * parts < n {
        height / (parts * height / width).ceil()
    } else {
        width / parts
    }
}

/// Grafana's `calculateGridDimensions`; `None` for no items or an empty panel.
pub fn grid_dimensions(width: f64, height: f64, spacing: f64, n: usize) -> Option<GridDimensions> {
    if n == 0 || !(width > 0.0 && height > 0.0) {
        return None;
    }
    let count = n as f64;
    let square = size_of_child(width, height, count).max(size_of_child(height, width, count));
    let x_count = (width / square).floor().max(1.0);
    let y_count = (count / x_count).ceil();
    let x_count = (count / y_count).ceil();
    let on_last_row = x_count - (x_count * y_count - count);
    let share = |total: f64, parts: f64| total / parts - spacing + spacing / parts;
    Some(GridDimensions {
        width: share(width, x_count),
        height: share(height, y_count),
        width_on_last_row: share(width, on_last_row),
        x_count: x_count as usize,
        y_count: y_count as usize,
    })
}

/// How a panel repeats its values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RepeaterOptions {
    pub orientation: Orientation,
    /// Gap between items (Grafana's `itemSpacing`, 8 by default).
    pub spacing: f64,
    /// Lay `Auto` orientation out as a grid (stat and gauge panels).
    pub auto_grid: bool,
    /// Grafana's `minVizWidth` / `minVizHeight` for rows and columns.
    pub min_width: f64,
    pub min_height: f64,
    /// Grafana's `maxVizHeight` for rows (bar gauge; unbounded elsewhere).
    pub max_height: f64,
}

impl Default for RepeaterOptions {
    fn default() -> Self {
        Self {
            orientation: Orientation::Auto,
            spacing: 8.0,
            auto_grid: true,
            min_width: 0.0,
            min_height: 0.0,
            max_height: f64::INFINITY,
        }
    }
}

/// The boxes of `n` values; see module docs.
pub fn repeater_cells(n: usize, width: f64, height: f64, options: &RepeaterOptions) -> Vec<Cell> {
    let RepeaterOptions {
        orientation,
        spacing,
        auto_grid,
        min_width,
        min_height,
        max_height,
    } = *options;
    if n == 0 {
        return Vec::new();
    }
    if auto_grid && orientation == Orientation::Auto {
        return grid_cells(n, width, height, spacing);
    }
    let vertical = match orientation {
        Orientation::Vertical => true,
        Orientation::Horizontal => false,
        Orientation::Auto => width > height,
    };
    let count = n as f64;
    let share = |total: f64| total / count - spacing + spacing / count;
    (0..n)
        .map(|i| {
            let i = i as f64;
            if vertical {
                let w = share(width).max(min_width);
                Cell {
                    x: i * (w + spacing),
                    y: 0.0,
                    width: w,
                    height,
                }
            } else {
                let h = share(height).min(max_height).max(min_height);
                Cell {
                    x: 0.0,
                    y: i * (h + spacing),
                    width,
                    height: h,
                }
            }
        })
        .collect()
}

fn grid_cells(n: usize, width: f64, height: f64, spacing: f64) -> Vec<Cell> {
    let Some(grid) = grid_dimensions(width, height, spacing, n) else {
        return Vec::new();
    };
    (0..n)
        .map(|i| {
            let (col, row) = (i % grid.x_count.max(1), i / grid.x_count.max(1));
            let w = if row + 1 == grid.y_count {
                grid.width_on_last_row
            } else {
                grid.width
            };
            Cell {
                x: col as f64 * (w + spacing),
                y: row as f64 * (grid.height + spacing),
                width: w,
                height: grid.height,
            }
        })
        .collect()
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

    #[test]
    fn grid_balances_rows_and_widens_the_last_one() {
        // 5 values in 400 × 200: squares of 100 px → 3 columns, 2 rows; 2 on the last row.
        let g = grid_dimensions(400.0, 200.0, 8.0, 5).unwrap();
        assert_eq!((g.x_count, g.y_count), (3, 2));
        assert_eq!(g.width, 400.0 / 3.0 - 8.0 + 8.0 / 3.0);
        assert_eq!(g.height, 100.0 - 8.0 + 4.0);
        assert_eq!(g.width_on_last_row, 200.0 - 8.0 + 4.0);
        let cells = repeater_cells(5, 400.0, 200.0, &RepeaterOptions::default());
        assert_eq!(cells.len(), 5);
        assert_eq!(cells[3].y, g.height + 8.0);
        assert_eq!(cells[4].x, g.width_on_last_row + 8.0);
        // The last item ends at the panel's right edge.
        assert!((cells[4].x + cells[4].width - 400.0).abs() < 1e-9);
    }

    #[test]
    fn one_value_fills_the_panel() {
        let cells = repeater_cells(1, 300.0, 120.0, &RepeaterOptions::default());
        assert_eq!(
            cells,
            vec![Cell {
                x: 0.0,
                y: 0.0,
                width: 300.0,
                height: 120.0
            }]
        );
    }

    #[test]
    fn rows_and_columns_without_grid() {
        let list = RepeaterOptions {
            auto_grid: false,
            min_height: 16.0,
            ..RepeaterOptions::default()
        };
        let rows = repeater_cells(4, 300.0, 400.0, &list);
        assert!(rows.iter().all(|c| c.width == 300.0 && c.x == 0.0));
        assert_eq!(rows[1].y, rows[0].height + 8.0);
        assert!((rows[3].y + rows[3].height - 400.0).abs() < 1e-9);
        let vertical = RepeaterOptions {
            orientation: Orientation::Vertical,
            ..list
        };
        let cols = repeater_cells(4, 400.0, 100.0, &vertical);
        assert!(cols.iter().all(|c| c.height == 100.0));
        // Minimum sizes win over the share (the panel scrolls).
        let horizontal = RepeaterOptions {
            orientation: Orientation::Horizontal,
            ..list
        };
        let tall = repeater_cells(50, 300.0, 400.0, &horizontal);
        assert_eq!(tall[0].height, 16.0);
        // Grafana 11's maxVizHeight caps a row; its minimum wins over a smaller maximum.
        let capped = RepeaterOptions {
            max_height: 60.0,
            ..horizontal
        };
        let two = repeater_cells(2, 300.0, 400.0, &capped);
        assert_eq!((two[0].height, two[1].y), (60.0, 68.0));
        let inverted = RepeaterOptions {
            max_height: 10.0,
            ..horizontal
        };
        assert_eq!(repeater_cells(2, 300.0, 400.0, &inverted)[0].height, 16.0);
        assert!(repeater_cells(0, 1.0, 1.0, &RepeaterOptions::default()).is_empty());
        assert_eq!(Orientation::parse("vertical"), Orientation::Vertical);
    }
}
