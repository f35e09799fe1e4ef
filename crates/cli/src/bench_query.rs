//! `signalboard-cli bench query [--json] [--repeat N] [--hours H]`: range-query latency of the
//! issue-5 dashboard queries (12 instances x 30 endpoints x 12 buckets, 15 s scrapes, 1 h range
//! at 15 s step) on the native engine. Prints the median and best of N runs in ms, as a
//! table or as DESIGN.md benchmark JSON lines.

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use serde_json::json;
use signalboard_core::promql::benchdata::{self, ERROR_RATIO_QUERY, P99_QUERY};
use signalboard_core::promql::{range_query, EngineOptions};

#[derive(Parser)]
#[command(name = "signalboard-cli bench query")]
struct QueryArgs {
    /// One JSON object per measurement instead of a table.
    #[arg(long)]
    json: bool,
    /// Timed runs per query.
    #[arg(long, default_value_t = 10)]
    repeat: usize,
    /// Hours of history in the store.
    #[arg(long, default_value_t = 6)]
    hours: i64,
}

pub fn run(words: Vec<String>) -> ExitCode {
    let args = match QueryArgs::try_parse_from(std::iter::once("query".to_string()).chain(words)) {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(2);
        }
    };
    let t = Instant::now();
    let store = benchdata::workload(12, 30, args.hours);
    let stats = store.stats();
    if !args.json {
        println!(
            "store: {} series, {} samples, built in {:.0} ms",
            stats.series,
            stats.samples,
            t.elapsed().as_secs_f64() * 1e3
        );
        println!(
            "{:<14} {:>10} {:>10} {:>12} {:>8}",
            "query", "median ms", "best ms", "median cpu", "series"
        );
    }
    let end = args.hours * 3_600_000;
    let opts = EngineOptions::default();
    for (name, q) in [("p99", P99_QUERY), ("error-ratio", ERROR_RATIO_QUERY)] {
        let mut times = Vec::with_capacity(args.repeat);
        let mut cpu = Vec::with_capacity(args.repeat);
        let mut series = 0;
        for _ in 0..args.repeat.max(1) {
            let (t, c) = (Instant::now(), thread_cpu_ns());
            match range_query(&store, q, end - 3_600_000, end, benchdata::SCRAPE_MS, &opts) {
                Ok(signalboard_core::promql::Value::Matrix(m)) => series = m.len(),
                Ok(_) => {}
                Err(e) => {
                    eprintln!("{name}: {e}");
                    return ExitCode::from(1);
                }
            }
            times.push(t.elapsed().as_secs_f64() * 1e3);
            cpu.push(thread_cpu_ns().saturating_sub(c) as f64 / 1e6);
        }
        cpu.sort_by(|a, b| a.total_cmp(b));
        let median_cpu = cpu.get(cpu.len() / 2).copied().unwrap_or(f64::NAN);
        times.sort_by(|a, b| a.total_cmp(b));
        let median = times.get(times.len() / 2).copied().unwrap_or(f64::NAN);
        let best = times.first().copied().unwrap_or(f64::NAN);
        if args.json {
            println!(
                "{}",
                json!({"bench": "query", "input": name, "metric": "latency", "value": median, "unit": "ms"})
            );
            println!(
                "{}",
                json!({"bench": "query", "input": name, "metric": "cpu", "value": median_cpu, "unit": "ms"})
            );
        } else {
            println!("{name:<14} {median:>10.1} {best:>10.1} {median_cpu:>12.1} {series:>8}");
        }
    }
    ExitCode::SUCCESS
}

/// CPU time of this thread in ns (Linux `schedstat`; 0 elsewhere): on a shared machine the
/// wall time includes waiting for a core.
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|x| x.parse().ok()))
        .unwrap_or(0)
}
