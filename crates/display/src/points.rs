//! Whether a time series shows its data points, as uPlot decides for Grafana's
//! `showPoints: auto`.
//!
//! Contract of [`show_points_auto`]: points are drawn when the visible points are sparse:
//! `last_index − first_index ≤ plot_width / space`, where uPlot's `space` is twice the
//! default point diameter `3 + 2 · lineWidth` (a line width of 0 counts as 1), all in CSS
//! pixels. [`show_points`] applies Grafana's `showPoints` option around it (`always`,
//! `never`, `auto`; bars never auto-show points, the points draw style always shows them).

/// uPlot's `seriesPointsShow` for `visible_points` points spread over `plot_width_px`.
pub fn show_points_auto(visible_points: usize, plot_width_px: f64, line_width: f64) -> bool {
    let width = if line_width == 0.0 || line_width.is_nan() {
        1.0
    } else {
        line_width
    };
    let diameter = ((3.0 + width * 2.0) * 1000.0).round() / 1000.0;
    let max_points = plot_width_px.abs() / (diameter * 2.0);
    (visible_points.saturating_sub(1) as f64) <= max_points
}

/// Grafana's `showPoints` for a series with `draw_style` (`line`, `bars`, `points`).
pub fn show_points(
    show_points: &str,
    draw_style: &str,
    visible_points: usize,
    plot_width_px: f64,
    line_width: f64,
) -> bool {
    if draw_style == "points" {
        return true;
    }
    match show_points {
        "always" => true,
        "never" => false,
        _ if draw_style == "bars" => false,
        _ => show_points_auto(visible_points, plot_width_px, line_width),
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

    #[test]
    fn sparse_series_show_points() {
        // Line width 1: diameter 5, space 10 px → up to 81 points on 800 px.
        assert!(show_points_auto(81, 800.0, 1.0));
        assert!(!show_points_auto(82, 800.0, 1.0));
        // Thicker lines need more room per point.
        assert!(!show_points_auto(81, 800.0, 2.0));
        assert!(show_points_auto(1, 0.0, 1.0));
        assert_eq!(
            show_points_auto(11, 100.0, 0.0),
            show_points_auto(11, 100.0, 1.0)
        );
    }

    #[test]
    fn options_override_auto() {
        assert!(show_points("never", "points", 1000, 10.0, 1.0));
        assert!(!show_points("never", "line", 2, 800.0, 1.0));
        assert!(show_points("always", "line", 10_000, 800.0, 1.0));
        assert!(!show_points("auto", "bars", 2, 800.0, 1.0));
        assert!(show_points("auto", "line", 2, 800.0, 1.0));
    }
}
