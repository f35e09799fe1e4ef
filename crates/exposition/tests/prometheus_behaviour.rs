//! Targeted behaviour of the Prometheus text parser beyond the conformance suite: grouping,
//! the fast paths that reuse the previous line's names, error positions, public helpers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use signalboard_exposition::{format_go_float, parse, Format, MetricType};

#[test]
fn duplicate_label_after_a_reused_label_set_is_still_refused() {
    let text = "m{a=\"1\",b=\"2\"} 1\nm{a=\"1\",b=\"3\"} 2\nm{a=\"1\",a=\"2\"} 3\n";
    let err = parse(text, Format::Prometheus).unwrap_err();
    assert_eq!(
        (err.line, err.message.as_str()),
        (3, "duplicate label name \"a\"")
    );
    let err = parse(
        "m{a=\"1\"} 1\nm{a=\"1\",__name__=\"x\"} 1\n",
        Format::Prometheus,
    )
    .unwrap_err();
    assert_eq!(err.line, 2, "{err}");
}

#[test]
fn a_type_line_regroups_a_repeated_name() {
    let text =
        "x_bucket{le=\"1\"} 1\n# TYPE x histogram\nx_bucket{le=\"1\"} 2\nx_sum 3\nx_count 2\n";
    let exp = parse(text, Format::Prometheus).unwrap();
    let names: Vec<(&str, MetricType, usize)> = exp
        .families
        .iter()
        .map(|f| (f.name.as_ref(), f.kind, f.samples.len()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("x_bucket", MetricType::Untyped, 1),
            ("x", MetricType::Histogram, 3)
        ]
    );
    assert_eq!(
        exp.families[0].samples[0].label("le"),
        Some("1"),
        "untyped: verbatim"
    );
    assert_eq!(
        exp.families[1].samples[0].label("le"),
        Some("1.0"),
        "histogram: normalised"
    );
}

#[test]
fn families_group_suffixes_and_keep_metadata() {
    let text = "# HELP rpc_seconds RPC latency.\n# TYPE rpc_seconds summary\nrpc_seconds{quantile=\"0.5\"} 1\nrpc_seconds_sum 5\nrpc_seconds_count 3\n# TYPE up gauge\nup 1 1700000000000\n";
    let exp = parse(text, Format::Prometheus).unwrap();
    assert_eq!(exp.families.len(), 2);
    let rpc = &exp.families[0];
    assert_eq!(
        (rpc.kind, rpc.help.as_deref(), rpc.samples.len()),
        (MetricType::Summary, Some("RPC latency."), 3)
    );
    assert_eq!(
        exp.families[1].samples[0].timestamp_ms,
        Some(1_700_000_000_000)
    );
    assert_eq!((exp.sample_count(), exp.series_count()), (4, 4));
}

#[test]
fn escapes_borrow_or_allocate() {
    let exp = parse(
        "m{a=\"plain\",b=\"q\\\"uote\\\\ \\n\\t\"} 1\n",
        Format::Prometheus,
    )
    .unwrap();
    let labels = &exp.families[0].samples[0].labels;
    assert!(matches!(labels[0].1, std::borrow::Cow::Borrowed("plain")));
    assert_eq!(labels[1].1, "q\"uote\\ \n\\t");
}

#[test]
fn errors_name_line_column_and_what_was_found() {
    let err = parse("ok 1\nbad 1 2 3\n", Format::Prometheus).unwrap_err();
    assert_eq!(
        err.to_string(),
        "2:9: expected end of line after the timestamp, found '3'"
    );
    let err = parse("m 1\r\n", Format::Prometheus).unwrap_err();
    assert_eq!(err.to_string(), "1:3: invalid value \"1\\r\"");
    let err = parse("é{x=\"1\"} 1\n", Format::Prometheus).unwrap_err();
    assert_eq!((err.line, err.col), (1, 1));
}

#[test]
fn go_float_formatting_is_public() {
    assert_eq!(format_go_float(0.25), "0.25");
    assert_eq!(format_go_float(1e-7), "1e-07");
}
