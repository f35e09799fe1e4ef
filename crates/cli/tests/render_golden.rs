//! Golden images for `signalboard-cli render`: one panel of each type from
//! `tests/render/dashboard.json` + a fixed query result, compared byte for byte with the
//! checked-in SVG under `tests/render/golden/`, plus semantic checks (threshold colours,
//! units, escaping) so a failure names a real regression. `UPDATE_GOLDEN=1` rewrites the
//! golden files.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use signalboard_core::display::{big_value, Theme};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/render")
}

/// Renders panel `id` with `data` (600×300, dark, UTC) and checks it against its golden.
fn render(id: &str, data: &str, extra: &[&str]) -> String {
    render_as(
        id,
        data,
        extra,
        &format!("{data}{}", extra.join("").replace('-', "")),
    )
}

/// [`render`] with the golden's file name given (panels sharing a data file).
fn render_as(id: &str, data: &str, extra: &[&str], name: &str) -> String {
    let out = std::env::temp_dir().join(format!("render-golden-{}-{name}.svg", std::process::id()));
    let status = Command::new(env!("CARGO_BIN_EXE_signalboard-cli"))
        .args(["render"])
        .arg(dir().join("dashboard.json"))
        .args(["--panel", id, "--data"])
        .arg(dir().join(format!("{data}.json")))
        .args(["--width", "600", "--height", "300", "-o"])
        .arg(&out)
        .args(extra)
        .status()
        .unwrap();
    assert!(status.success(), "render of panel {id} failed");
    let svg = std::fs::read_to_string(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    let golden = dir().join("golden").join(format!("{name}.svg"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(&golden, &svg).unwrap();
    }
    let expected = std::fs::read_to_string(&golden)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", golden.display()));
    assert!(
        svg == expected,
        "{name}: render differs from {} (inspect, then UPDATE_GOLDEN=1 if intended)",
        golden.display()
    );
    svg
}

fn count(svg: &str, needle: &str) -> usize {
    svg.matches(needle).count()
}

/// The SVG with plotters' `<text …>\nLABEL\n</text>` joined to `>LABEL<`, so label checks
/// read the same for both writers.
fn texts(svg: &str) -> String {
    svg.replace(">\n", ">").replace("\n</text>", "</text>")
}

/// Polylines stroked in `color` (series paths; grid lines are translucent white).
fn paths_in(svg: &str, color: &str) -> usize {
    svg.split("<polyline")
        .skip(1)
        .filter(|p| {
            let tag = p.split('>').next().unwrap_or_default();
            tag.contains(&format!("stroke=\"{color}\"")) && tag.contains("opacity=\"1\"")
        })
        .count()
}

#[test]
fn timeseries_lines_thresholds_and_unit() {
    let svg = texts(&render("1", "requests", &[]));
    assert!(svg.contains(">80 req/s<"), "y axis labels in the unit");
    assert!(svg.contains(">22:20<"), "UTC time ticks");
    // line+area thresholds: red band and line from 80 (Grafana red #F2495C).
    assert!(
        svg.to_ascii_uppercase().contains("#F2495C"),
        "red threshold drawn"
    );
    // One path per series (no nulls): classic palette green and yellow.
    assert_eq!(paths_in(&svg, "#73BF69"), 1);
    assert_eq!(paths_in(&svg, "#FADE2A"), 1);
    assert!(
        svg.contains(">200<") && svg.contains(">500<"),
        "legend from legendFormat"
    );
}

#[test]
fn timeseries_right_axis_negative_y_and_null_gap() {
    let svg = texts(&render("2", "network", &[]));
    assert!(
        svg.contains(">3%<") && svg.contains(">1%<"),
        "right axis in percentunit"
    );
    assert!(
        svg.contains(">-1 MB/s<"),
        "negative-Y series puts the left axis below 0"
    );
    assert!(svg.contains(">4 MB/s<"));
    // receive and transmit one path each; the errors series (fixed orange override)
    // is broken by its null gap into two runs.
    assert_eq!(paths_in(&svg, "#73BF69"), 1);
    assert_eq!(paths_in(&svg, "#FADE2A"), 1);
    assert_eq!(paths_in(&svg, "#FF9830"), 2);
    assert!(
        svg.contains("Network &lt;b&gt;I/O&lt;/b&gt;"),
        "title markup is escaped text"
    );
}

#[test]
fn stat_colours_by_threshold() {
    let svg = render("3", "stat", &[]);
    assert!(svg.contains(">91%<"), "lastNotNull in percent");
    // 91 is over the red step: the background gradient is derived from #F2495C.
    let css =
        big_value::stat_background("#F2495C", big_value::StatColorMode::Background, Theme::Dark)
            .unwrap();
    let inner = css.strip_prefix("linear-gradient(120deg, ").unwrap();
    let first_stop = &inner[..inner.find(')').unwrap() + 1];
    assert!(
        svg.contains(&format!("stop-color=\"{first_stop}\"")),
        "background derived from the red step: {first_stop}"
    );
    // Grafana's stat sets `noPadding`: the body is the whole box under the 32 px header.
    assert!(svg.contains("<g transform=\"translate(0,32)\">"));
    assert!(svg.contains("width=\"600\" height=\"268\" rx=\"3\" fill=\"url(#stat-bg-0)\""));
}

#[test]
fn gauge_value_and_threshold_ring() {
    let svg = render("4", "gauge", &[]);
    assert!(svg.contains(">65.5%<"));
    assert!(svg.contains("fill=\"#FF9830\""), "65.5 is orange (60..90)");
    assert!(
        svg.contains("fill=\"#73BF69\"") && svg.contains("fill=\"#F2495C\""),
        "marker ring"
    );
}

#[test]
fn bargauge_bars_per_series() {
    let svg = render("5", "bargauge", &[]);
    for name in ["email", "billing", "export"] {
        assert!(svg.contains(&format!(">{name}<")), "{name}");
    }
    assert!(
        svg.contains("fill=\"#F2495C\"") || svg.contains("stop-color=\"#F2495C\""),
        "88 is red"
    );
    // Grafana 11's BarGauge layout in rows of the 584 × 260 px body 10 px apart (its item
    // spacing): (260 + 10) / 3 − 10 = 80 px; the name above (0.45 of the row, font 36 /
    // 1.5), the value column a fifth of the width, the bar the rest, the value's font fitted
    // to the bar's 44 px.
    assert!(
        svg.contains("font-size=\"24\" font-weight=\"400\""),
        "name font"
    );
    assert!(
        svg.contains("width=\"467.2\" height=\"44\""),
        "track 584 − 116.8"
    );
    assert!(
        svg.contains("y=\"126\" width=\"467.2\""),
        "second row at 80 + 10 + 36"
    );
    assert!(svg.contains("x=\"574\" y=\"58\" font-size=\"44\""), "value");
}

#[test]
fn bargauge_lcd_draws_grafanas_cells() {
    let svg = render_as("12", "bargauge", &[], "bargaugelcd");
    // Rows (260 + 2) / 3 − 2 = 85.33 px tall, 2 px apart (Grafana's lcd item spacing), the
    // name above in 0.45 of it: the second bar starts at 85.33 + 2 + 38.4.
    assert!(svg.contains("<rect x=\"0\" y=\"125.73\" width=\"10\" height=\"46.93\""));
    // Each bar: floor(467.2 / 12) = 38 cells of floor((467.2 − 76) / 38) = 10 px, 2 px apart.
    assert_eq!(count(&svg, "width=\"10\""), 3 * 38);
    // A cell is lit when its start value (k · 100 / 38) is at most the value: 20 → 8 cells,
    // 55 → 21, 88 → 34, coloured by the thresholds at their start (red from 75: 5 lit).
    assert_eq!(count(&svg, "0.95)\""), 8 + 21 + 34);
    assert_eq!(count(&svg, "fill=\"rgba(242, 73, 92, 0.95)\""), 5);
    // The value follows the 38 cells (456 px), right-aligned in its 116.8 px column.
    assert!(svg.contains("x=\"562.8\" y=\"61.87\""));
}

#[test]
fn bargauge_manual_sizing_caps_rows_at_max_viz_height() {
    let svg = render_as("13", "bargauge", &[], "bargaugemanual");
    // sizing manual, maxVizHeight 36: rows 36 px tall, 10 px apart, from the top; at most
    // 40 px tall, so names go on the left.
    for y in [0, 46, 92] {
        assert!(
            svg.contains(&format!("y=\"{y}\" width=\"414.55\" height=\"36\"")),
            "track of the row at {y}"
        );
    }
    // The name's font: max(36 · 0.6, 18) / 1.5, right-aligned 10 px before the bar.
    assert!(svg.contains("font-size=\"14.4\" font-weight=\"400\""));
    assert_eq!(count(&svg, "text-anchor=\"end\" dy=\"0.35em\">billing<"), 1);
}

#[test]
fn table_cells_escaped_and_coloured() {
    let svg = render("6", "table", &[]);
    assert!(
        svg.contains("&lt;script&gt;x&lt;/sc"),
        "escaped (and shortened to fit)"
    );
    assert!(!svg.contains("<script"));
    assert!(svg.contains(">10.0.0.1:9100<"));
    // Grafana's `format: table` frame: Time, the labels by name (`__name__` hidden by its
    // override), Value.
    assert!(!svg.contains(">__name__<"));
    let headers: Vec<usize> = [">Time<", ">instance<", ">job<", ">Value<"]
        .iter()
        .map(|h| svg.find(h).unwrap_or_else(|| panic!("{h}")))
        .collect();
    assert!(headers.windows(2).all(|w| w[0] < w[1]), "column order");
    // Time is 140 px (`custom.width`); the other three share the remaining 460 px.
    assert!(
        svg.contains("x=\"146\""),
        "instance starts after Time's 140 px + 6 padding"
    );
    assert!(
        svg.contains("x=\"299.33\""),
        "job starts at 140 + 153.33 + 6"
    );
    assert!(
        svg.contains(">2023-11-14 22:43…<"),
        "the sample time, shortened to fit Time's 140 px"
    );
    // `sortBy` Value ascending: the 0 row (escaped script) comes before the 1 row.
    let script = svg.find("&lt;script&gt;").unwrap();
    let node = svg.find(">10.0.0.1:9100<").unwrap();
    assert!(script < node, "sorted by Value ascending");
    assert!(
        svg.contains("stop-color=\"#F2495C\""),
        "0 is red in color-background (a gradient by default)"
    );
}

#[test]
fn table_footer_reduces_columns_and_counts_rows() {
    // `reduce` (mean, max) per series, footer `sum`: the reducer's name under the text
    // column, each numeric column's sum in its unit (means 62 + 4.9 + 1, maxes 64 + 5.8 +
    // 1.5).
    let svg = render("10", "footer", &[]);
    let footer: Vec<usize> = [">Total<", ">67.9 req/s<", ">71.3 req/s<"]
        .iter()
        .map(|t| svg.find(t).unwrap_or_else(|| panic!("{t}")))
        .collect();
    let last_row = svg.find(">1.5 req/s<").unwrap();
    assert!(footer[0] > last_row, "footer after the rows");
    // At the bottom of the body (300 px less the 32 px panel header), whatever the row
    // count: the texts' middle is 14 px above it.
    assert!(
        svg.contains("y=\"254\" font-size=\"14\" font-weight=\"500\""),
        "footer centred in the bottom 28 px"
    );
    // countRows with the count reducer: only the row count, labelled, in the first column.
    let svg = render("11", "footercount", &[]);
    assert!(svg.contains(">Count<") && svg.contains(">2<"));
    assert!(!svg.contains(">Total<"));
    assert_eq!(
        count(&svg, "req/s<"),
        4,
        "no reduced values besides the 4 cells"
    );
}

#[test]
fn timeseries_without_samples_shows_no_data_instead_of_axes() {
    // Grafana's PanelDataErrorView: the text alone, centred in the body, no axes or legend.
    let svg = texts(&render("1", "empty", &[]));
    assert!(svg.contains(">No data<"));
    assert!(
        svg.contains("x=\"300\" y=\"162\" font-size=\"18\""),
        "centred in the 260 px body (under the 32 px title, 8 px padding), 18 px"
    );
    assert!(!svg.contains("<polyline"), "no grid or axis");
    assert!(
        !svg.contains(">0<") && !svg.contains("req/s<"),
        "no tick labels"
    );
}

#[test]
fn text_is_sanitised() {
    let svg = render("7", "text", &[]);
    assert!(svg.contains(">Runbook<"));
    assert!(
        !svg.contains("<script") && !svg.contains("<img"),
        "no markup from content"
    );
}

#[test]
fn heatmap_rows_and_time_axis() {
    let svg = texts(&render("8", "heatmap", &[]));
    for label in [">+Inf<", ">1 s<", ">50 ms<", ">22:30<"] {
        assert!(svg.contains(label), "{label}");
    }
    assert!(count(&svg, "<rect") > 100, "one rect per visible cell");
}

#[test]
fn log_axis_has_minor_grid_lines_and_labelled_powers() {
    let svg = texts(&render("9", "latency", &[]));
    // 4 ms .. 600 ms: the axis spans 1 ms .. 1 s, three decades.
    for label in [">1 ms<", ">10 ms<", ">100 ms<", ">1 s<"] {
        assert!(svg.contains(label), "{label}");
    }
    assert!(
        !svg.contains(">20 ms<"),
        "2 × 10^k unlabelled at this height"
    );
    // Horizontal grid lines: 4 powers + 8 minor splits in each of the 3 decades, each with
    // uPlot's 4 px tick mark left of the plot. Grid lines and ticks are translucent
    // two-point polylines; horizontal ones share their y.
    let horizontal: Vec<f64> = svg
        .split("<polyline")
        .skip(1)
        .filter(|l| l.contains("opacity=\"0.09\""))
        .filter_map(|l| l.split("points=\"").nth(1)?.split('"').next())
        .filter_map(|points| {
            let xy: Vec<(f64, &str)> = points
                .split_whitespace()
                .filter_map(|p| p.split_once(','))
                .map(|(x, y)| (x.parse().unwrap(), y))
                .collect();
            (xy.len() == 2 && xy[0].1 == xy[1].1).then(|| (xy[1].0 - xy[0].0).abs())
        })
        .collect();
    let ticks = horizontal.iter().filter(|&&len| len == 4.0).count();
    assert_eq!(horizontal.len() - ticks, 4 + 3 * 8, "grid lines");
    assert_eq!(ticks, 4 + 3 * 8, "tick marks");
    // `custom.axisLabel`: turned to read upwards at the left edge, centred on the plot, in
    // 20 px (12 px font + 8 px pad) the plot moves right by.
    assert!(svg.contains("transform=\"rotate(270, 10, 112)\">p99 latency<"));
    // The widest label (`100 ms`, 40 px), Grafana's gap 5 and tick 4: the plot from 20 + 49.
    assert!(svg.contains("points=\"69,"), "plot from 20 + 49 px");
}

#[test]
fn light_theme_uses_light_background() {
    let svg = render("1", "requests", &["--theme", "light"]);
    assert!(svg.contains("fill=\"#ffffff\""));
}
