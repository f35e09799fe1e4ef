//! `signalboard-cli bench store [--json] [--series N] [--scrapes N]`: scrape ingestion rate
//! (parsed exposition → store, staleness tracking included) and select+iterate speed, on a
//! synthetic target exposing N counter series. Prints samples/s, bytes/sample and timings.

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use serde_json::json;
use signalboard_core::exposition::{self, Format};
use signalboard_core::store::{Matcher, Store, TargetLabels};

#[derive(Parser)]
#[command(name = "signalboard-cli bench store")]
struct StoreArgs {
    /// One JSON object per measurement instead of a table.
    #[arg(long)]
    json: bool,
    /// Series per scrape.
    #[arg(long, default_value_t = 100_000)]
    series: usize,
    /// Scrapes to ingest (15 s apart).
    #[arg(long, default_value_t = 20)]
    scrapes: usize,
}

fn exposition(series: usize, scrape: usize) -> String {
    let mut s = String::from("# TYPE http_requests_total counter\n");
    for i in 0..series {
        s.push_str(&format!(
            "http_requests_total{{method=\"GET\",path=\"/api/{}\",code=\"{}\"}} {}\n",
            i / 5,
            200 + i % 5,
            (i % 97 + 1) * scrape
        ));
    }
    s
}

pub fn run(words: Vec<String>) -> ExitCode {
    let args = match StoreArgs::try_parse_from(std::iter::once("store".to_string()).chain(words)) {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(2);
        }
    };
    let target = TargetLabels {
        job: "bench".into(),
        instance: "localhost:9100".into(),
        extra: Vec::new(),
        honor_labels: false,
    };
    let mut store = Store::new();
    let (mut first_ms, mut rest_ms, mut samples) = (0.0, 0.0, 0usize);
    for scrape in 0..args.scrapes.max(2) {
        let text = exposition(args.series, scrape);
        let exp = match exposition::parse(&text, Format::Prometheus) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("bench store: {e}");
                return ExitCode::from(1);
            }
        };
        let t = Instant::now();
        let r = store.ingest_scrape(&target, scrape as i64 * 15_000, &exp);
        let ms = t.elapsed().as_secs_f64() * 1e3;
        if scrape == 0 {
            first_ms = ms;
        } else {
            rest_ms += ms;
            samples += r.stored;
        }
    }
    let ingest_rate = samples as f64 / (rest_ms / 1e3);
    let stats = store.stats();
    let bytes_per_sample = stats.bytes as f64 / stats.samples.max(1) as f64;
    let t = Instant::now();
    let sel = store.select(
        &[Matcher::equal("__name__", "http_requests_total")],
        0,
        i64::MAX,
    );
    let sum: f64 = sel.iter().map(|s| s.values.iter().sum::<f64>()).sum();
    let select_ms = t.elapsed().as_secs_f64() * 1e3;
    let iterated: usize = sel.iter().map(|s| s.values.len()).sum();
    let select_rate = iterated as f64 / (select_ms / 1e3);
    let rows = [
        ("first-scrape", "latency", first_ms, "ms"),
        ("ingest", "throughput", ingest_rate, "samples/s"),
        ("select+iterate", "throughput", select_rate, "samples/s"),
        ("memory", "bytes/sample", bytes_per_sample, "B"),
    ];
    for (input, metric, value, unit) in rows {
        if args.json {
            println!(
                "{}",
                json!({"bench": "store", "input": input, "metric": metric, "value": value, "unit": unit})
            );
        } else {
            println!("{input:<16} {metric:<14} {value:>14.1} {unit}");
        }
    }
    if !args.json {
        println!(
            "({} series, {} samples; checksum {sum})",
            stats.series, stats.samples
        );
    }
    ExitCode::SUCCESS
}
