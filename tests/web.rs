//! In-browser tests (wasm-bindgen-test in headless Chromium): the parts that need a real DOM,
//! canvas and fetch. Run by `make test` (scripts/test.sh).
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use signalboard::fetch::{self, FetchError};
use signalboard::panels::text::markup_fragment;
use signalboard::panels::timeseries::{bench_draw, draw_chart, Drawn};
use signalboard::query::{PanelData, SeriesData};
use signalboard_core::dashboard::FieldDefaults;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

#[wasm_bindgen_test]
fn hostile_text_panel_markup_builds_no_active_content() {
    let hostile = r#"<h1>t</h1><script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">
        <a href="javascript:window.__pwned=3">x</a><svg onload="window.__pwned=4"></svg>
        <p onclick="x()">ok</p><a href="https://example.org/">fine</a>"#;
    let frag = markup_fragment(&signalboard_markup::sanitize_html(hostile)).unwrap();
    let div = document().create_element("div").unwrap();
    div.append_child(&frag).unwrap();
    document().body().unwrap().append_child(&div).unwrap();
    assert_eq!(
        div.query_selector_all("script, img, svg, iframe")
            .unwrap()
            .length(),
        0
    );
    assert_eq!(
        div.query_selector_all("[onclick], [onerror], [onload]")
            .unwrap()
            .length(),
        0
    );
    let links = div.query_selector_all("a[href]").unwrap();
    assert_eq!(links.length(), 1, "only the https link keeps its href");
    assert_eq!(
        div.query_selector("h1")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "t"
    );
    let pwned = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__pwned".into()).unwrap();
    assert!(pwned.is_undefined());
}

fn canvas(w: u32, h: u32) -> web_sys::HtmlCanvasElement {
    let c: web_sys::HtmlCanvasElement = document()
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    c.set_attribute("style", &format!("width:{w}px;height:{h}px;display:block"))
        .unwrap();
    document().body().unwrap().append_child(&c).unwrap();
    c
}

#[wasm_bindgen_test]
fn chart_draws_the_series_in_its_colour() {
    let c = canvas(400, 200);
    let ts: Vec<f64> = (0..100).map(|i| 1_000_000.0 + i as f64 * 1000.0).collect();
    let vs: Vec<f64> = (0..100).map(|i| (i % 10) as f64).collect();
    let s = SeriesData {
        name: "a".into(),
        ref_id: "A".into(),
        labels: vec![],
        ts,
        vs,
    };
    let data = PanelData {
        series: vec![s.clone()],
        errors: vec![],
        instant: false,
        history_start_ms: None,
        start_ms: 1_000_000,
        end_ms: 1_099_000,
    };
    let drawn = [Drawn {
        data: &s,
        color: "#ff0000".into(),
        cfg: FieldDefaults::default(),
    }];
    let geo = draw_chart(
        &c,
        &data,
        &drawn,
        &FieldDefaults::default(),
        signalboard_core::display::Theme::Dark,
        false,
    )
    .expect("geometry");
    assert!(geo.plot_w > 300.0 && geo.plot_h > 100.0, "{geo:?}");
    let ctx: web_sys::CanvasRenderingContext2d =
        c.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    let img = ctx
        .get_image_data(0.0, 0.0, c.width() as f64, c.height() as f64)
        .unwrap()
        .data();
    let red = img
        .chunks(4)
        .filter(|p| p[0] > 200 && p[1] < 60 && p[2] < 60 && p[3] > 100)
        .count();
    assert!(
        red > 100,
        "expected the red series to be drawn, found {red} red pixels"
    );
}

#[wasm_bindgen_test]
fn bench_draw_measures_a_positive_time() {
    let ms = bench_draw(4, 20_000, 800, 300).unwrap();
    assert!(ms.is_finite() && ms > 0.0, "{ms}");
}

#[wasm_bindgen_test]
async fn refused_connection_is_a_network_error_with_a_hint() {
    let err = fetch::get("http://127.0.0.1:9/metrics", "text/plain", 5_000, 0)
        .await
        .err()
        .unwrap();
    assert!(matches!(err, FetchError::Network { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("CORS") && msg.contains("signalboard-cli serve"),
        "{msg}"
    );
}
