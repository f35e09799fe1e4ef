//! Times scrape ingestion of 100,000 series (two consecutive scrapes) and reports
//! bytes/sample: `cargo run --release -p signalboard-store --example ingest_timing`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::Instant;

use signalboard_store::{Store, TargetLabels};

fn exposition(scrape: usize) -> String {
    let mut s = String::from("# TYPE http_requests_total counter\n");
    for i in 0..100_000 {
        s.push_str(&format!(
            "http_requests_total{{method=\"GET\",path=\"/api/{}\",code=\"{}\"}} {}\n",
            i / 5,
            200 + i % 5,
            i * 10 + scrape
        ));
    }
    s
}

fn main() {
    let target = TargetLabels {
        job: "api".into(),
        instance: "host:9100".into(),
        extra: vec![],
        honor_labels: false,
    };
    let mut store = Store::new();
    for scrape in 0..4 {
        let text = exposition(scrape);
        let t = Instant::now();
        let exp = signalboard_exposition::parse(&text, signalboard_exposition::Format::Prometheus)
            .unwrap();
        let parsed = t.elapsed();
        let t = Instant::now();
        let r = store.ingest_scrape(&target, scrape as i64 * 15_000, &exp);
        println!(
            "scrape {scrape}: parse {:.1} ms, ingest {:.1} ms ({} stored, {} new series)",
            parsed.as_secs_f64() * 1e3,
            t.elapsed().as_secs_f64() * 1e3,
            r.stored,
            r.series_added
        );
    }
    let st = store.stats();
    println!(
        "{} series, {} samples, {} bytes",
        st.series, st.samples, st.bytes
    );
}
