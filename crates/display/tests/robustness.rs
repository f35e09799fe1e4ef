//! Hostile inputs never panic (a panic would take the whole wasm app down) and degrade to
//! empty or neutral results.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use signalboard_display::color_scale::{palette, palette_index, scheme_color, scheme_names, Scale};
use signalboard_display::colors::{resolve_color, Theme};
use signalboard_display::decimate::decimate;
use signalboard_display::heatmap::{cell_palette_index, histogram_over_time};
use signalboard_display::legend_format::{auto_series_names, expand_legend};
use signalboard_display::minire::Regex;
use signalboard_display::reducers::reduce;
use signalboard_display::ticks::{format_tick, numeric_ticks, time_ticks};

const NASTY: [f64; 9] = [
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::MAX,
    f64::MIN,
    0.0,
    -0.0,
    5e-324,
    1e300,
];

#[test]
fn ticks_survive_any_range() {
    for a in NASTY {
        for b in NASTY {
            for px in [0.0, -5.0, 1.0, 800.0, f64::NAN] {
                let t = numeric_ticks(a, b, px, 30.0);
                assert!(t.values.len() <= 10_000);
                let tt = time_ticks(a, b, px, 60.0, 0);
                assert!(tt.ticks.len() <= 10_000);
                let _ = format_tick(a, "s", b, None);
            }
        }
    }
}

#[test]
fn decimate_survives_nan_timestamps_and_mappings() {
    let ts: Vec<f64> = (0..5000)
        .map(|i| if i % 7 == 0 { f64::NAN } else { f64::from(i) })
        .collect();
    let vs: Vec<f64> = (0..5000).map(|i| NASTY[i % NASTY.len()]).collect();
    let (ot, ov) = decimate(&ts, &vs, |t| t / 50.0, 100);
    assert_eq!(ot.len(), ov.len());
    let (ot, _) = decimate(&ts, &vs, |_| f64::NAN, 100);
    assert!(!ot.is_empty());
    let (ot, _) = decimate(&[], &[], |t| t, 100);
    assert!(ot.is_empty());
}

#[test]
fn reducers_and_colours_survive() {
    let values: Vec<Option<f64>> = NASTY.iter().map(|v| Some(*v)).chain([None]).collect();
    for calc in [
        "mean",
        "sum",
        "delta",
        "step",
        "diffperc",
        "p50",
        "median",
        "variance",
        "distinctCount",
    ] {
        let _ = reduce(&values, calc).unwrap();
    }
    for name in [
        "",
        "#",
        "#zzzzzz",
        "rgb(",
        "rgba(1,2)",
        "rgb(999, -5, 1e99)",
        "héllo",
        "dark-",
        "light-blue-x",
    ] {
        assert!(resolve_color(name).starts_with('#'), "{name}");
    }
    for scheme in scheme_names() {
        for t in NASTY {
            assert!(scheme_color(scheme, t).unwrap().starts_with('#'));
        }
        assert!(palette(scheme, 0, false, Theme::Dark).is_empty());
    }
    for t in NASTY {
        assert!(palette_index(t, 10) < 10);
        let _ = cell_palette_index(t, (t, 1.0), Scale::Exponential(t), 0, 1e-9);
    }
    let rows = histogram_over_time(vec![
        (f64::NAN, vec![1.0]),
        (1.0, vec![]),
        (2.0, vec![f64::NAN, 3.0]),
    ]);
    assert_eq!(rows.rows.len(), 3);
}

#[test]
fn text_helpers_survive() {
    for template in ["{{", "}}", "{{{{}}}}", "{{ a }}{{b", "{{\n}}", "é{{é}}é"] {
        let _ = expand_legend(template, [("é", "x")]);
    }
    let empty: Vec<Vec<(&str, &str)>> = Vec::new();
    assert!(auto_series_names(&empty, "q").is_empty());
    for pattern in [
        "(", ")", "[", "[]", "[^]", "a{2,1}", "\\", "*", "a**", "(?", "(?:", "[z-a]", "x{99999}",
    ] {
        let _ = Regex::new(pattern, "");
    }
    let big = Regex::new("(a|b)*c", "").unwrap();
    assert!(!big.is_match(&"ab".repeat(5000)));
}

#[test]
fn display_pipeline_survives() {
    use signalboard_display::display::{display_value, ColorMode, FieldDisplay};
    use signalboard_display::range::field_range;
    use signalboard_display::stacking::{stack, StackInput, StackingMode};
    use signalboard_display::thresholds::{threshold_bands, Thresholds, ThresholdsMode};
    for mode in [
        "thresholds",
        "continuous-GrYlRd",
        "palette-classic",
        "fixed",
        "continuous-blues",
    ] {
        for (min, max) in [
            (0.0, 0.0),
            (f64::NAN, 1.0),
            (f64::NEG_INFINITY, f64::INFINITY),
            (5.0, -5.0),
        ] {
            let field = FieldDisplay {
                unit: "bytes".into(),
                thresholds: Thresholds::from_json_steps(
                    ThresholdsMode::Percentage,
                    &[(None, "green"), (Some(50.0), "red")],
                ),
                color_mode: ColorMode::parse(mode, Some("not-a-colour"), usize::MAX),
                min,
                max,
                ..FieldDisplay::default()
            };
            for v in NASTY.iter().copied().map(Some).chain([None]) {
                let d = display_value(v, &field);
                assert!(d.color.starts_with('#'), "{mode} {v:?} {}", d.color);
            }
            let _ = threshold_bands(
                &field.thresholds,
                (min, max),
                (max, min),
                signalboard_display::Theme::Dark,
            );
        }
    }
    let series: [&[f64]; 2] = [&NASTY, &[]];
    let _ = field_range("percent", Some(f64::NAN), None, &series);
    let inputs: Vec<StackInput> = (0..3)
        .map(|i| StackInput {
            values: NASTY.iter().take(i * 3).map(|v| Some(*v)).collect(),
            mode: StackingMode::Percent,
            ..StackInput::default()
        })
        .collect();
    assert_eq!(stack(&inputs).len(), 3);
}

#[test]
fn scale_range_survives() {
    use signalboard_display::scale_range::{y_scale_range, ScaleLimits};
    for a in NASTY {
        for b in NASTY {
            let limits = ScaleLimits {
                hard_min: Some(a),
                soft_max: Some(b),
                ..ScaleLimits::default()
            };
            let _ = y_scale_range(Some(a), Some(b), &ScaleLimits::default());
            let _ = y_scale_range(Some(b), Some(a), &limits);
        }
    }
}

#[test]
fn panel_layout_and_colour_helpers_survive() {
    use signalboard_display::bar_gauge::{
        lcd_cells, scheme_gradient, threshold_gradient, value_percent, LcdGeometry,
    };
    use signalboard_display::big_value::{sparkline_colors, stat_background, StatColorMode};
    use signalboard_display::gauge::{
        gauge_angle, gauge_geometry, gauge_threshold_arcs, GaugeInput,
    };
    use signalboard_display::repeater::{repeater_cells, Orientation, RepeaterOptions};
    use signalboard_display::series_colors::{color_by_name, shade_color};
    use signalboard_display::stat_layout::{stat_layout, StatInput, TextMode};
    use signalboard_display::table_cell::{cell_colors, CellColorMode};
    use signalboard_display::thresholds::Thresholds;
    use signalboard_display::tinycolor::TinyColor;

    let t = Thresholds::grafana_default();
    for a in NASTY {
        for b in NASTY {
            let _ = value_percent(a, b, a);
            let _ = threshold_gradient(&t, a, b, a, b, true, Theme::Dark);
            let _ = scheme_gradient(&["#000".to_string()], a, false);
            let geometry = LcdGeometry {
                size_px: a,
                cell_width_px: b,
                spacing_px: a,
            };
            assert!(
                lcd_cells(Some(a), (a, b), &geometry, Theme::Dark, |_| "x".into())
                    .cells
                    .len()
                    <= 10_000
            );
            let input = StatInput {
                width: a,
                height: b,
                title: Some("t"),
                value_text: "1",
                text_mode: TextMode::ValueAndName,
                count: 2,
                has_sparkline: true,
                ..StatInput::default()
            };
            let _ = stat_layout(&input, |_, _| a);
            let _ = gauge_angle(a, b, a);
            let _ = gauge_threshold_arcs(&t, a, b, Some(3), Theme::Dark);
            let _ = gauge_geometry(&GaugeInput {
                width: a,
                height: b,
                has_title: true,
                show_threshold_markers: true,
                show_threshold_labels: true,
                value_width_14px: a,
                ..GaugeInput::default()
            });
            for orientation in [
                Orientation::Auto,
                Orientation::Horizontal,
                Orientation::Vertical,
            ] {
                for auto_grid in [true, false] {
                    let options = RepeaterOptions {
                        orientation,
                        auto_grid,
                        spacing: a,
                        ..RepeaterOptions::default()
                    };
                    assert!(repeater_cells(7, a, b, &options).len() <= 7);
                }
            }
        }
        if let Some(c) = TinyColor::parse("#123456") {
            let _ = c
                .darken(a)
                .spin(a)
                .brighten(a)
                .with_alpha(a)
                .to_rgb_string();
        }
    }
    for color in ["", "nope", "transparent", "#0000", "rgba(1,2,3,0.1)", "😀"] {
        for mode in [StatColorMode::Background, StatColorMode::BackgroundSolid] {
            let _ = stat_background(color, mode, Theme::Light);
            let _ = sparkline_colors(color, mode);
        }
        let _ = cell_colors(color, CellColorMode::BackgroundGradient, Theme::Dark);
        let _ = shade_color(color, usize::MAX, Theme::Dark);
        let _ = color_by_name(color, Theme::Light);
    }
}
