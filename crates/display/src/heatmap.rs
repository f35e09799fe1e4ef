//! Heatmap data from Prometheus histogram buckets (`format: heatmap`), as Grafana's
//! Prometheus data source and heatmap panel prepare it.
//!
//! Contract:
//! - [`parse_le`] reads `le` label values (`0.5`, `1e+06`, `+Inf`).
//! - [`histogram_over_time`] sorts bucket series by `le` and turns cumulative counts into
//!   per-bucket counts, top down, like Grafana's `transformToHistogramOverTime`: each
//!   bucket minus the one below it; results below 1e-9 (negative or float noise) become
//!   0; a missing or NaN lower value counts as 0.
//! - [`cell_palette_index`] picks a palette colour for a cell value between the data's
//!   min and max, or `None` for cells Grafana hides (value ≤ `hide_at_or_below`, by
//!   default 1e-9) and NaN.
//! - [`heatmap_cells`] lays the visible cells out like Grafana's heatmap for bucketed
//!   data: equal-height rows per bucket, each cell ending at its timestamp;
//!   [`heatmap_row_labels`] labels the rows by their upper bounds in the unit.

use crate::color_scale::{palette_index, scale_fraction, Scale};

/// Grafana's default `filterValues.le`: cells at or below it are not drawn.
pub const DEFAULT_HIDE_AT_OR_BELOW: f64 = 1e-9;

/// A histogram bucket's upper bound from its `le` label.
pub fn parse_le(text: &str) -> Option<f64> {
    let t = text.trim();
    match t {
        "+Inf" | "Inf" | "+inf" | "inf" => Some(f64::INFINITY),
        "-Inf" | "-inf" => Some(f64::NEG_INFINITY),
        _ => t.parse::<f64>().ok().filter(|v| !v.is_nan()),
    }
}

/// Heatmap rows: one per bucket, ascending by upper bound.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatmapRows {
    /// Upper bound (`le`) of each row.
    pub bounds: Vec<f64>,
    /// Per row, the count in that bucket at each timestamp.
    pub rows: Vec<Vec<f64>>,
}

/// Cumulative bucket series `(le, values per timestamp)` → per-bucket counts.
pub fn histogram_over_time(mut buckets: Vec<(f64, Vec<f64>)>) -> HeatmapRows {
    buckets.sort_by(|a, b| a.0.total_cmp(&b.0));
    let bounds: Vec<f64> = buckets.iter().map(|(le, _)| *le).collect();
    let cumulative: Vec<Vec<f64>> = buckets.into_iter().map(|(_, v)| v).collect();
    let rows = cumulative
        .iter()
        .enumerate()
        .map(|(i, top)| {
            let below = i.checked_sub(1).and_then(|b| cumulative.get(b));
            top.iter()
                .enumerate()
                .map(|(j, value)| {
                    let lower = below
                        .and_then(|b| b.get(j))
                        .copied()
                        .filter(|v| !v.is_nan())
                        .unwrap_or(0.0);
                    let diff = value - lower;
                    if diff < 1e-9 {
                        0.0
                    } else {
                        diff
                    }
                })
                .collect()
        })
        .collect();
    HeatmapRows { bounds, rows }
}

/// The finite min and max over all cells above `hide_at_or_below` (`None` if none).
pub fn cell_range(rows: &HeatmapRows, hide_at_or_below: f64) -> Option<(f64, f64)> {
    rows.rows
        .iter()
        .flatten()
        .copied()
        .filter(|v| v.is_finite() && *v > hide_at_or_below)
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// Palette index for a cell, or `None` when the cell is hidden.
pub fn cell_palette_index(
    value: f64,
    range: (f64, f64),
    scale: Scale,
    palette_len: usize,
    hide_at_or_below: f64,
) -> Option<usize> {
    if value.is_nan() || value <= hide_at_or_below || palette_len == 0 {
        return None;
    }
    let (min, max) = range;
    let fraction = if max > min {
        scale_fraction(value, min, max, scale)
    } else {
        1.0
    };
    Some(palette_index(fraction, palette_len))
}

/// One drawable heatmap cell: time span, bucket row and palette colour index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeatmapCell {
    /// The cell ends at its sample's timestamp (Grafana's `xMax` layout) and starts one
    /// sample interval earlier.
    pub x_min_ms: f64,
    pub x_max_ms: f64,
    /// Row index into [`HeatmapRows::bounds`] (rows are equally tall, bottom row 0).
    pub row: usize,
    pub value: f64,
    pub palette_index: usize,
}

/// The visible cells of `rows` sampled at `timestamps` (ms, ascending), coloured over
/// their value range with a palette of `palette_len` colours; hidden cells (see
/// [`cell_palette_index`]) are left out. The sample interval is the first positive gap
/// between timestamps (0 with a single timestamp).
pub fn heatmap_cells(
    rows: &HeatmapRows,
    timestamps: &[f64],
    scale: Scale,
    palette_len: usize,
    hide_at_or_below: f64,
) -> Vec<HeatmapCell> {
    let Some(range) = cell_range(rows, hide_at_or_below) else {
        return Vec::new();
    };
    let interval = timestamps
        .windows(2)
        .filter_map(|w| match w {
            [a, b] if b - a > 0.0 => Some(b - a),
            _ => None,
        })
        .next()
        .unwrap_or(0.0);
    let mut cells = Vec::new();
    for (row, values) in rows.rows.iter().enumerate() {
        for (&t, &value) in timestamps.iter().zip(values) {
            if let Some(index) =
                cell_palette_index(value, range, scale, palette_len, hide_at_or_below)
            {
                cells.push(HeatmapCell {
                    x_min_ms: t - interval,
                    x_max_ms: t,
                    row,
                    value,
                    palette_index: index,
                });
            }
        }
    }
    cells
}

/// Y-axis labels of the bucket rows, as Grafana's heatmap shows Prometheus buckets: each
/// row's upper bound formatted with the unit (`+Inf` stays `+Inf`), plus the label of the
/// bottom edge (`0` formatted the same way).
pub fn heatmap_row_labels(
    bounds: &[f64],
    unit: &str,
    decimals: Option<u32>,
) -> (String, Vec<String>) {
    let unit = if unit.is_empty() { "short" } else { unit };
    let label = |v: f64| {
        if v == f64::INFINITY {
            "+Inf".to_string()
        } else {
            crate::units::format_value(v, unit, decimals).to_string()
        }
    };
    (label(0.0), bounds.iter().map(|b| label(*b)).collect())
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
    fn le_values() {
        assert_eq!(parse_le("0.5"), Some(0.5));
        assert_eq!(parse_le("1e+06"), Some(1e6));
        assert_eq!(parse_le("+Inf"), Some(f64::INFINITY));
        assert_eq!(parse_le("abc"), None);
        assert_eq!(parse_le("NaN"), None);
    }

    #[test]
    fn cumulative_buckets_become_counts() {
        // Grafana's own example: le10 [10 10 0], le20 [20 10 30], le30 [30 10 35].
        let rows = histogram_over_time(vec![
            (30.0, vec![30.0, 10.0, 35.0]),
            (10.0, vec![10.0, 10.0, 0.0]),
            (20.0, vec![20.0, 10.0, 30.0]),
        ]);
        assert_eq!(rows.bounds, vec![10.0, 20.0, 30.0]);
        assert_eq!(
            rows.rows,
            vec![
                vec![10.0, 10.0, 0.0],
                vec![10.0, 0.0, 30.0],
                vec![10.0, 0.0, 5.0]
            ]
        );
    }

    #[test]
    fn noise_and_gaps() {
        let rows = histogram_over_time(vec![
            (1.0, vec![5.0, f64::NAN, 3.0]),
            (f64::INFINITY, vec![5.0 + 1e-12, 4.0, 2.0]),
        ]);
        // Float noise and negative differences are 0; a NaN lower bucket counts as 0.
        assert_eq!(rows.rows[1], vec![0.0, 4.0, 0.0]);
        assert!(rows.rows[0][1].is_nan());
    }

    #[test]
    fn cells_end_at_their_timestamp() {
        let rows = HeatmapRows {
            bounds: vec![0.1, f64::INFINITY],
            rows: vec![vec![0.0, 2.0, 4.0], vec![1.0, 0.0, 3.0]],
        };
        let cells = heatmap_cells(&rows, &[1000.0, 2000.0, 3000.0], Scale::Linear, 5, 1e-9);
        assert_eq!(cells.len(), 4, "zero cells are hidden");
        let first = cells[0];
        assert_eq!(
            (first.x_min_ms, first.x_max_ms, first.row),
            (1000.0, 2000.0, 0)
        );
        assert_eq!(first.palette_index, 1);
        assert!(cells.iter().any(|c| c.row == 1 && c.value == 3.0));
        assert!(heatmap_cells(&rows, &[], Scale::Linear, 5, 1e-9).is_empty());
        let (bottom, labels) = heatmap_row_labels(&rows.bounds, "s", None);
        assert_eq!(bottom, "0 s");
        assert_eq!(labels, vec!["100 ms".to_string(), "+Inf".to_string()]);
    }

    #[test]
    fn cell_colours() {
        let rows = HeatmapRows {
            bounds: vec![1.0],
            rows: vec![vec![0.0, 1.0, 5.0, 9.0]],
        };
        let range = cell_range(&rows, DEFAULT_HIDE_AT_OR_BELOW).unwrap();
        assert_eq!(range, (1.0, 9.0));
        let idx = |v| cell_palette_index(v, range, Scale::Linear, 9, DEFAULT_HIDE_AT_OR_BELOW);
        assert_eq!(idx(0.0), None);
        assert_eq!(idx(1.0), Some(0));
        assert_eq!(idx(5.0), Some(4));
        assert_eq!(idx(9.0), Some(8));
        assert_eq!(idx(f64::NAN), None);
        let single = cell_palette_index(3.0, (3.0, 3.0), Scale::Exponential(0.5), 64, 1e-9);
        assert_eq!(single, Some(63));
    }
}
