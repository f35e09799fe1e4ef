//! The table panels of the Grafana fixtures (`../shared/fixtures/grafana/`), built by
//! `signalboard_render::table` from made-up query results: the columns, texts and colours
//! Grafana shows for them (transformations, renames, hidden fields, cell options).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use signalboard_dashboard::{import_grafana, Panel};
use signalboard_display::Theme;
use signalboard_render::series::SeriesRef;
use signalboard_render::table::{table_model, CellAlign, TableModel};

fn fixture_panel(file: &str, title: &str) -> Panel {
    let path = format!(
        "{}/../../../shared/fixtures/grafana/{file}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let d = import_grafana(&std::fs::read_to_string(path).unwrap())
        .unwrap()
        .dashboard;
    d.all_panels()
        .into_iter()
        .find(|p| p.title == title)
        .unwrap_or_else(|| panic!("{title} in {file}"))
        .clone()
}

struct S {
    name: String,
    ref_id: &'static str,
    labels: Vec<(String, String)>,
    ts: Vec<f64>,
    vs: Vec<f64>,
}

fn s(ref_id: &'static str, labels: &[(&str, &str)], ts: &[f64], vs: &[f64]) -> S {
    S {
        name: labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(","),
        ref_id,
        labels: labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ts: ts.to_vec(),
        vs: vs.to_vec(),
    }
}

fn model(panel: &Panel, series: &[S]) -> TableModel {
    let refs: Vec<SeriesRef> = series
        .iter()
        .map(|s| SeriesRef {
            name: &s.name,
            ref_id: s.ref_id,
            labels: &s.labels,
            ts: &s.ts,
            vs: &s.vs,
        })
        .collect();
    table_model(panel, &refs, Theme::Dark, 0, 0)
}

fn headers(m: &TableModel) -> Vec<&str> {
    m.columns.iter().map(|c| c.header.as_str()).collect()
}

fn row(m: &TableModel, r: usize) -> Vec<&str> {
    m.columns.iter().map(|c| c.cells[r].text.as_str()).collect()
}

const T: f64 = 1_700_000_000_000.0;

#[test]
fn ingress_percentiles_merge_five_queries_by_ingress_and_hide_time() {
    let p = fixture_panel(
        "ingress-nginx",
        "Ingress Percentile Response Times and Transfer Rates",
    );
    let mut series = Vec::new();
    for (r, a, b) in [
        ("A", 0.05, 0.5),
        ("B", 0.09, 0.9),
        ("C", 0.2, 2.0),
        ("D", 1024.0, 2048.0),
        ("E", 10.0, 20.0),
    ] {
        series.push(s(r, &[("ingress", "api")], &[T], &[a]));
        series.push(s(r, &[("ingress", "web")], &[T], &[b]));
    }
    let m = model(&p, &series);
    assert_eq!(
        headers(&m),
        [
            "Ingress",
            "P50 Latency",
            "P90 Latency",
            "P99 Latency",
            "IN",
            "OUT"
        ],
        "Time is hidden by its override; Value #X renamed by displayName"
    );
    assert_eq!(m.rows(), 2, "one row per ingress after merge");
    let api = row(&m, 0);
    assert_eq!(api[0], "api");
    assert_eq!(api[1], "50 milliseconds", "dtdurations");
    assert_eq!(api[4], "1.02 kB/s", "Bps (SI) with decimals 2");
    assert_eq!(row(&m, 1)[3], "2 seconds");
    assert_eq!(m.columns[1].align, CellAlign::Right, "numbers align right");
    assert_eq!(m.columns[0].align, CellAlign::Left);
}

#[test]
fn certificate_expiry_reduces_series_to_rows_with_a_coloured_ttl() {
    let p = fixture_panel("ingress-nginx", "Ingress Certificate Expiry");
    let mut a = s(
        "A",
        &[("host", "a.example")],
        &[T, T + 15e3],
        &[900_000.0, f64::NAN],
    );
    a.name = "a.example".into();
    let mut b = s(
        "A",
        &[("host", "b.example")],
        &[T, T + 15e3],
        &[-5.0, -20.0],
    );
    b.name = "b.example".into();
    let m = model(&p, &[a, b]);
    assert_eq!(
        headers(&m),
        ["Host", "TTL"],
        "Field → Host, Last * → TTL; no Time"
    );
    assert_eq!(row(&m, 0), ["a.example", "1.49 week"]);
    let ttl = &m.columns[1];
    assert_eq!(
        ttl.cells[0].color.as_deref(),
        Some("#32AC2DF7"),
        "above 691200 s: green"
    );
    assert!(
        ttl.cells[0]
            .colors
            .background
            .as_deref()
            .unwrap()
            .starts_with("linear-gradient(120deg"),
        "color-background defaults to the gradient mode"
    );
    assert_eq!(
        ttl.cells[1].color.as_deref(),
        Some("#F53636E6"),
        "expired: red"
    );
    assert_eq!(
        m.columns[0].cells[0].colors.background, None,
        "Host is not coloured"
    );
}

#[test]
fn cnpg_configurations_group_parameters_by_pod() {
    let p = fixture_panel("cloudnative-pg", "Configurations");
    let labels = |pod: &'static str, name: &'static str| {
        [
            ("__name__", "cnpg_pg_settings_setting"),
            ("instance", "x"),
            ("job", "j"),
            ("namespace", "db"),
            ("pod", pod),
            ("name", name),
        ]
    };
    let m = model(
        &p,
        &[
            s("A", &labels("pg-1", "max_connections"), &[T], &[100.0]),
            s("A", &labels("pg-2", "max_connections"), &[T], &[200.0]),
            s("A", &labels("pg-1", "work_mem"), &[T], &[4096.0]),
        ],
    );
    assert_eq!(headers(&m), ["parameter", "pg-1", "pg-2"]);
    assert_eq!(row(&m, 0), ["max_connections", "100", "200"]);
    assert_eq!(row(&m, 1)[..2], ["work_mem", "4096"]);
    assert!(
        m.columns[2].cells[1].value.is_nan(),
        "no value for pg-2 work_mem"
    );
}

#[test]
fn cnpg_extensions_sort_rename_and_colour_rows_with_updates() {
    let p = fixture_panel("cloudnative-pg", "Installed extensions");
    let ext = |name: &'static str, update: f64| {
        s(
            "A",
            &[
                ("datname", "app"),
                ("default_version", "1.1"),
                ("extname", name),
                ("installed_version", "1.0"),
            ],
            &[T],
            &[update],
        )
    };
    let m = model(&p, &[ext("pgvector", 1.0), ext("btree_gin", 0.0)]);
    assert_eq!(
        headers(&m),
        [
            "Extension",
            "Database",
            "Default Version",
            "Installed Version",
            "Update Available"
        ]
    );
    assert_eq!(
        row(&m, 0),
        ["btree_gin", "app", "1.1", "1.0", "False"],
        "sorted by extname; bool unit"
    );
    assert_eq!(row(&m, 1)[4], "True");
    let updated = m.row_colors[1]
        .as_ref()
        .expect("applyToRow colours the row");
    assert!(
        updated.background.as_deref().unwrap().contains("#F2495C"),
        "mapping 1 → red"
    );
    let fine = m.row_colors[0].as_ref().unwrap();
    assert_eq!(
        fine.text.as_deref(),
        Some("rgb(247, 248, 250)"),
        "on transparent: light text"
    );
    assert_eq!(
        m.initial_sort,
        vec![],
        "options.sortBy names `Value`, renamed away by organize: Grafana matches headers, so no sort"
    );
    assert_eq!(m.row_height, 35.0, "cellHeight sm");
}

#[test]
fn sort_by_option_sorts_the_table_when_it_opens() {
    let mut p = fixture_panel("cloudnative-pg", "Installed extensions");
    let signalboard_dashboard::PanelOptions::Table(t) = &mut p.options else {
        panic!("table options");
    };
    t.sort_by = vec![("Update Available".into(), true)];
    let ext = |name: &'static str, update: f64| {
        s(
            "A",
            &[("datname", "app"), ("extname", name)],
            &[T],
            &[update],
        )
    };
    let m = model(
        &p,
        &[ext("a", 0.0), ext("b", 1.0), ext("c", 0.0), ext("d", 1.0)],
    );
    assert_eq!(
        m.initial_sort,
        vec![(2, true)],
        "Extension, Database, Update Available"
    );
    let order = m.sorted_rows(&m.initial_sort);
    let names: Vec<&str> = order
        .iter()
        .map(|&r| m.columns[0].cells[r].text.as_str())
        .collect();
    assert_eq!(names, ["d", "b", "c", "a"], "1s first; ties reversed");
}

#[test]
fn a_range_query_without_transformations_shows_time_per_sample() {
    let mut p = fixture_panel("ingress-nginx", "Ingress Certificate Expiry");
    p.transformations.clear();
    let mut a = s("A", &[("host", "a")], &[T, T + 15e3], &[1.0, 2.0]);
    a.name = "a".into();
    let mut b = s("A", &[("host", "b")], &[T], &[3.0]);
    b.name = "b".into();
    let m = model(&p, &[a, b]);
    assert_eq!(
        headers(&m),
        ["Time", "a"],
        "the first frame: Time and the series"
    );
    assert_eq!(row(&m, 0), ["2023-11-14 22:13:20", "1.00"]);
    assert_eq!(row(&m, 1)[0], "2023-11-14 22:13:35");
    assert_eq!(m.frame_count, 2, "one frame per series; a picker chooses");
}

/// Certificate Expiry with its `options.footer` set as a user would (the fixture's is off).
fn expiry_with_footer(reducer: &str, fields: &[&str], count_rows: bool) -> TableModel {
    let mut p = fixture_panel("ingress-nginx", "Ingress Certificate Expiry");
    let signalboard_dashboard::PanelOptions::Table(t) = &mut p.options else {
        panic!("table options")
    };
    assert!(!t.footer_show, "the fixture's footer is off");
    t.footer_show = true;
    t.footer_reducers = vec![reducer.to_string()];
    t.footer_fields = fields.iter().map(|f| f.to_string()).collect();
    t.footer_count_rows = count_rows;
    let mut a = s(
        "A",
        &[("host", "a")],
        &[T, T + 15e3],
        &[900_000.0, f64::NAN],
    );
    a.name = "a".into();
    let mut b = s("A", &[("host", "b")], &[T], &[-20.0]);
    b.name = "b".into();
    model(&p, &[a, b])
}

fn footer_texts(m: &TableModel) -> Vec<String> {
    use signalboard_render::table::FooterCell;
    m.footer
        .as_ref()
        .expect("a footer")
        .iter()
        .map(|c| match c {
            FooterCell::Empty => "-".to_string(),
            FooterCell::Text(t) => t.clone(),
            FooterCell::Count(n) => format!("Count={n}"),
        })
        .collect()
}

#[test]
fn footer_reduces_numeric_columns_with_their_unit_and_names_the_reducer_first() {
    let m = expiry_with_footer("sum", &[], false);
    // 900000 + (−20) s; the text column 0 shows the reducer's name.
    assert_eq!(footer_texts(&m), ["Total", "1.49 week"]);
    let m = expiry_with_footer("mean", &[], false);
    assert_eq!(footer_texts(&m), ["Mean", "5.21 day"]);
    // count does not keep units: a plain number.
    let m = expiry_with_footer("count", &[], false);
    assert_eq!(footer_texts(&m), ["Count", "2"]);
    let m = expiry_with_footer("min", &[], false);
    assert_eq!(
        footer_texts(&m),
        ["Min", "-20.00 s"],
        "the field's decimals: 2"
    );
}

#[test]
fn footer_fields_pick_columns_and_count_rows_shows_only_the_row_count() {
    // The field's name after the transformations and its shown header both select it.
    assert_eq!(
        footer_texts(&expiry_with_footer("max", &["TTL"], false)),
        ["Max", "1.49 week"]
    );
    assert_eq!(
        footer_texts(&expiry_with_footer("max", &["Host"], false)),
        ["Max", "-"]
    );
    assert_eq!(
        footer_texts(&expiry_with_footer("count", &[], true)),
        ["Count=2", "-"]
    );
    // countRows only counts with the count reducer.
    assert_eq!(
        footer_texts(&expiry_with_footer("sum", &[], true)),
        ["Total", "1.49 week"]
    );
}

#[test]
fn no_footer_unless_shown_with_a_reducer() {
    let p = fixture_panel("ingress-nginx", "Ingress Certificate Expiry");
    let mut a = s("A", &[("host", "a")], &[T], &[1.0]);
    a.name = "a".into();
    assert_eq!(model(&p, &[a]).footer, None, "footer.show false");
    let mut m = expiry_with_footer("sum", &[], false);
    assert!(m.footer.is_some());
    let mut p = fixture_panel("ingress-nginx", "Ingress Certificate Expiry");
    if let signalboard_dashboard::PanelOptions::Table(t) = &mut p.options {
        t.footer_show = true;
        t.footer_reducers.clear();
    }
    let mut a = s("A", &[("host", "a")], &[T], &[1.0]);
    a.name = "a".into();
    m = model(&p, &[a]);
    assert_eq!(m.footer, None, "show without a reducer: Grafana shows none");
}

#[test]
fn a_frame_without_rows_keeps_its_header_over_no_data() {
    let mut p = fixture_panel("ingress-nginx", "Ingress Certificate Expiry");
    p.transformations.clear();
    // The shown frame's series has no sample in range; another frame has one.
    let mut a = s("A", &[("host", "a")], &[], &[]);
    a.name = "a".into();
    let mut b = s("A", &[("host", "b")], &[T], &[3.0]);
    b.name = "b".into();
    let m = model(&p, &[a, b]);
    assert_eq!(headers(&m), ["Time", "a"]);
    assert_eq!(m.rows(), 0);
    assert_eq!(m.empty_text(&p).as_deref(), Some("No data"));
    p.field_config.defaults.no_value = Some("All healthy".into());
    assert_eq!(m.empty_text(&p).as_deref(), Some("All healthy"));
    let with_rows = model(&p, &[s("A", &[("host", "b")], &[T], &[3.0])]);
    assert_eq!(with_rows.empty_text(&p), None);
}
