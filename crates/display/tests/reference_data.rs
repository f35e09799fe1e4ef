//! Bit-for-bit comparisons with outputs of the reference implementations (V8's number
//! formatting, Grafana's `toFixed`, uPlot's range and tick algorithms, d3's colour
//! schemes) recorded in
//! `tests/data/` (see its README). The files must be present.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use signalboard_display::big_value::{stat_background, StatColorMode};
use signalboard_display::civil::format_ms;
use signalboard_display::color_scale::scheme_color;
use signalboard_display::colors::Theme;
use signalboard_display::gauge::{gauge_geometry, GaugeInput};
use signalboard_display::jsnum::{
    js_round, js_string_to_number as num, to_exponential, to_js_string, to_locale_en,
};
use signalboard_display::reducers::reduce;
use signalboard_display::repeater::grid_dimensions;
use signalboard_display::scale_range::{y_scale_range, ScaleLimits};
use signalboard_display::series_fill::{scale_gradient, ScaleFill};
use signalboard_display::stat_layout::{stat_layout, StatInput, TextMode};
use signalboard_display::table_cell::{cell_colors, CellColorMode};
use signalboard_display::ticks::{numeric_ticks, time_ticks};
use signalboard_display::tinycolor::TinyColor;
use signalboard_display::units::{format_raw, from_now, to_fixed};

fn rows(name: &str) -> Vec<Vec<String>> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let rows: Vec<Vec<String>> = text
        .lines()
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect();
    assert!(rows.len() >= 100, "{name}: only {} rows", rows.len());
    rows
}

fn list(cell: &str) -> Vec<f64> {
    if cell.is_empty() {
        Vec::new()
    } else {
        cell.split(',').map(num).collect()
    }
}

#[test]
fn javascript_number_text() {
    for r in rows("js_numbers.tsv") {
        let x = num(&r[0]);
        let d: u32 = r[1].parse().unwrap();
        // `String(-0)` is "0", so the sign of −0 cannot be recovered from the file.
        if r[0] == "0" && r[4] == "-0" {
            continue;
        }
        assert_eq!(to_js_string(x), r[0], "String({x})");
        assert_eq!(
            to_js_string(js_round(x * 10f64.powi(d as i32))),
            r[2],
            "Math.round({x}·10^{d})"
        );
        assert_eq!(to_exponential(x, Some(d)), r[3], "{x}.toExponential({d})");
        assert_eq!(to_locale_en(x, Some(d)), r[4], "{x}.toLocaleString({d})");
    }
}

#[test]
fn grafana_to_fixed() {
    for r in rows("grafana_to_fixed.tsv") {
        let x = num(&r[0]);
        let d: i32 = r[1].parse().unwrap();
        let decimals = (d >= 0).then_some(d as u32);
        assert_eq!(to_fixed(x, decimals), r[2], "toFixed({x}, {d})");
    }
}

#[test]
fn uplot_y_range() {
    for r in rows("uplot_range_num.tsv") {
        let (lo, hi) = (num(&r[0]), num(&r[1]));
        let got = y_scale_range(Some(lo), Some(hi), &ScaleLimits::default()).unwrap();
        assert_eq!(got, (num(&r[2]), num(&r[3])), "range of {lo}..{hi}");
    }
}

#[test]
fn uplot_numeric_ticks() {
    for r in rows("uplot_num_ticks.tsv") {
        let (lo, hi, px) = (num(&r[0]), num(&r[1]), num(&r[2]));
        let got = numeric_ticks(lo, hi, px, 30.0);
        assert_eq!(got.incr, num(&r[3]), "increment for {lo}..{hi} on {px} px");
        assert_eq!(got.values, list(&r[4]), "splits for {lo}..{hi} on {px} px");
    }
}

#[test]
fn uplot_time_ticks_in_utc() {
    for r in rows("uplot_time_ticks_utc.tsv") {
        let (lo, hi, px) = (num(&r[0]), num(&r[1]), num(&r[2]));
        let got = time_ticks(lo, hi, px, 60.0, 0);
        assert_eq!(
            got.incr_ms,
            num(&r[3]),
            "increment for {lo}..{hi} on {px} px"
        );
        let ms: Vec<f64> = got.ticks.iter().map(|t| t.ms).collect();
        assert_eq!(ms, list(&r[4]), "splits for {lo}..{hi} on {px} px");
    }
}

#[test]
fn d3_colour_schemes() {
    for r in rows("d3_schemes.tsv") {
        let t = num(&r[1]);
        assert_eq!(scheme_color(&r[0], t).unwrap(), r[2], "{}({t})", r[0]);
    }
}

#[test]
fn moment_from_now() {
    for r in rows("moment_from_now.tsv") {
        let t = num(&r[0]);
        assert_eq!(from_now(t, 1.7e12), r[1], "{t}");
    }
}

#[test]
fn moment_date_formats() {
    for r in rows("moment_format.tsv") {
        let (t, offset) = (num(&r[0]), r[1].parse::<i32>().unwrap());
        assert_eq!(format_ms(t, &r[2], offset), r[3], "{t} {offset} {}", r[2]);
    }
}

#[test]
fn grafana_reducers() {
    const CALCS: [&str; 23] = [
        "lastNotNull",
        "last",
        "firstNotNull",
        "first",
        "min",
        "max",
        "mean",
        "sum",
        "count",
        "range",
        "delta",
        "step",
        "diff",
        "diffperc",
        "logmin",
        "allIsZero",
        "allIsNull",
        "variance",
        "changeCount",
        "distinctCount",
        "median",
        "p90",
        "p25",
    ];
    let cell = |c: &str| if c == "null" { None } else { Some(num(c)) };
    for r in rows("grafana_reducers.tsv") {
        let values: Vec<Option<f64>> = r[0].split(',').map(cell).collect();
        for (calc, expected) in CALCS.iter().zip(&r[1..]) {
            let got = reduce(&values, calc).unwrap();
            let same = match (got, cell(expected)) {
                (Some(a), Some(b)) => a == b || (a.is_nan() && b.is_nan()),
                (a, b) => a == b,
            };
            assert!(same, "{calc} of {}: got {got:?}, Grafana {expected}", r[0]);
        }
    }
}

#[test]
fn grafana_unit_formatters() {
    let mut checked = 0;
    for r in rows("grafana_units.tsv") {
        let (unit, x, d) = (&r[0], num(&r[1]), r[2].parse::<i32>().unwrap());
        let decimals = (d >= 0).then_some(d as u32);
        assert_eq!(
            format_raw(x, unit, decimals).to_string(),
            r[3],
            "{unit} {x} {d}"
        );
        checked += 1;
    }
    assert!(checked >= 3000);
}

#[test]
fn tinycolor_derivations() {
    for r in rows("tinycolor.tsv") {
        let color = TinyColor::parse(&r[0]).unwrap();
        let amount = num(&r[2]);
        let got = match r[1].as_str() {
            "darken" => color.darken(amount).to_rgb_string(),
            "spin" => color.spin(amount).to_rgb_string(),
            "lighten" => color.lighten(amount).to_rgb_string(),
            "saturate" => color.saturate(amount).to_rgb_string(),
            "brighten" => color.brighten(amount).to_rgb_string(),
            "brightness" => to_js_string(color.brightness()),
            "bgpair" => {
                let theme = if amount == 1.0 {
                    Theme::Dark
                } else {
                    Theme::Light
                };
                let css = stat_background(&r[0], StatColorMode::Background, theme).unwrap();
                css.trim_start_matches("linear-gradient(120deg, ")
                    .trim_end_matches(')')
                    .replacen("), ", ")|", 1)
                    + ")"
            }
            "cell" => {
                let theme = if amount == 1.0 {
                    Theme::Dark
                } else {
                    Theme::Light
                };
                let cell = cell_colors(&r[0], CellColorMode::BackgroundGradient, theme);
                let css = cell.background.unwrap();
                let inner = css.trim_start_matches("linear-gradient(120deg, ");
                inner[..inner.find(')').unwrap() + 1].to_string()
            }
            other => panic!("unknown op {other}"),
        };
        assert_eq!(got, r[3], "tinycolor({}).{}({})", r[0], r[1], r[2]);
    }
}

#[test]
fn grafana_grid_dimensions() {
    for r in rows("grafana_grid.tsv") {
        let (w, h, s) = (num(&r[0]), num(&r[1]), num(&r[2]));
        let n: usize = r[3].parse().unwrap();
        let g = grid_dimensions(w, h, s, n).unwrap();
        let got = [
            to_js_string(g.width),
            to_js_string(g.height),
            to_js_string(g.width_on_last_row),
            g.x_count.to_string(),
            g.y_count.to_string(),
        ];
        assert_eq!(
            got.as_slice(),
            &r[4..9],
            "calculateGridDimensions({w}, {h}, {s}, {n})"
        );
    }
}

#[test]
fn grafana_stat_layout() {
    // Text widths at 14 px: 8.5 px per character at weight 500, 7.5 px otherwise.
    let measure = |text: &str, weight: u32| {
        text.encode_utf16().count() as f64 * if weight == 500 { 8.5 } else { 7.5 }
    };
    for r in rows("grafana_stat_layout.tsv") {
        let input = StatInput {
            width: num(&r[0]),
            height: num(&r[1]),
            title: Some(&r[2]),
            value_text: &r[3],
            text_mode: TextMode::parse(&r[4]),
            count: r[5].parse().unwrap(),
            has_sparkline: r[6] == "true",
            has_percent_change: r[7] == "true",
            ..StatInput::default()
        };
        let l = stat_layout(&input, measure);
        let got = [
            format!("{:?}", l.kind),
            l.text.clone(),
            to_js_string(l.title_font_px),
            to_js_string(l.value_font_px),
            to_js_string(l.chart_width),
            to_js_string(l.chart_height),
            to_js_string(l.padding),
            l.justify_center.to_string(),
        ];
        assert_eq!(got.as_slice(), &r[8..16], "stat layout for {:?}", &r[..8]);
    }
}

#[test]
fn grafana_gauge_geometry() {
    for r in rows("grafana_gauge.tsv") {
        let g = gauge_geometry(&GaugeInput {
            width: num(&r[0]),
            height: num(&r[1]),
            has_title: r[2] == "true",
            show_threshold_markers: r[3] == "true",
            show_threshold_labels: r[4] == "true",
            value_width_14px: num(&r[5]),
            ..GaugeInput::default()
        });
        let got: Vec<String> = [
            g.cx,
            g.cy,
            g.radius,
            g.thickness,
            g.marker_width,
            g.label_margin,
            g.label_font_px,
            g.value_font_px,
        ]
        .iter()
        .map(|v| to_js_string(*v))
        .collect();
        assert_eq!(got.as_slice(), &r[6..14], "gauge layout for {:?}", &r[..6]);
    }
}

#[test]
fn grafana_scale_gradients() {
    for r in rows("grafana_scale_gradient.tsv") {
        let (min, max, top, height) = (num(&r[0]), num(&r[1]), num(&r[2]), num(&r[3]));
        let discrete = r[4] == "true";
        let stops: Vec<(f64, String)> = r[5]
            .split(',')
            .map(|s| {
                let (v, c) = s.split_once('=').unwrap();
                (num(v), c.to_string())
            })
            .collect();
        let to_px = |v: f64| top + height - (v - min) / (max - min) * height;
        let got = match scale_gradient(&stops, min, max, to_px, discrete).unwrap() {
            ScaleFill::Solid(c) => format!("solid:{c}"),
            ScaleFill::Gradient {
                from_px,
                to_px,
                stops,
            } => {
                let list: Vec<String> = stops
                    .iter()
                    .map(|s| format!("{}@{}", to_js_string(s.offset), s.color))
                    .collect();
                format!(
                    "{}|{}|{}",
                    to_js_string(from_px),
                    to_js_string(to_px),
                    list.join(",")
                )
            }
        };
        assert_eq!(got, r[6], "scaleGradient({min}..{max}, {})", r[5]);
    }
}
